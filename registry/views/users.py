"""«Пользователи»: the institution's logins and the people still without one (issue 16).

The head reads both lists and assigns roles (``accounts.user_roles``); the curator and the
sysadmin create logins in bulk and issue new invitation codes. The name searches go by POST into
the session, the filters by choices in the query string (no names in URLs). The clear codes of
a creation stay in the session for its result page and its PDF only: going back to a list
forgets them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit import trail
from mentoring_site.lib.collation import normalize_for_search
from mentoring_site.lib.documents import document_response, requested_format
from mentoring_site.lib.downloads import dated_name, xlsx_response
from mentoring_site.lib.pages import list_page
from mentoring_site.lib.site import site_url
from mentoring_site.lib.spreadsheets import filter_lines
from registry.exports import role_labels, user_workbook
from registry.filters import AccountFilter, LoginPeopleFilter
from registry.forms.logins import AccountSelectionForm, PeopleSelectionForm, UserSearchForm
from registry.models import Person, User
from registry.roles import require, roles_for
from registry.services import logins as services

PAGE_SIZES = (25, 50, 100)
# Kept in the session for this long after a creation at most (the result page and its PDF).
ISSUED_SECONDS = 60 * 60

ACCOUNT_SORTS = {
    "name": (
        F("person__last_name").asc(nulls_last=True),
        F("person__first_name").asc(nulls_last=True),
        "last_name",
        "username",
    ),
    "login": ("username",),
    "last_login": (F("last_login").asc(nulls_first=True), "username"),
}
PEOPLE_SORTS = {
    "name": ("last_name", "first_name", "patronymic", "pk"),
    "position": ("position__sort_order", "last_name", "first_name", "pk"),
}


def _can_view_users(roles) -> bool:
    return roles.can_view_users


def _search_key(list_name: str) -> str:
    return f"search:{list_name}"


def _crumbs(*tail):
    return [("Главная", reverse("home")), ("Пользователи", reverse("registry:user-list")), *tail]


def _reversed(field):
    if isinstance(field, str):
        return field[1:] if field.startswith("-") else f"-{field}"
    return field.copy().reverse_ordering()


def _ordered(request, queryset, sorts: dict):
    """The queryset in the order of ``?sort=`` (a key of ``sorts``, «-» for descending)."""
    sort = request.GET.get("sort", "name")
    if sort.lstrip("-") not in sorts:
        sort = "name"
    order = sorts[sort.lstrip("-")]
    if sort.startswith("-"):
        order = [_reversed(field) for field in order]
    return queryset.order_by(*order), sort


def _list_context(request, *, filterset, sorts: dict, list_name: str, default_per_page: int):
    """Paging, sorting and the query strings the headers and pages link with."""
    queryset, sort = _ordered(request, filterset.qs, sorts)
    try:
        per_page = int(request.GET.get("per_page", default_per_page))
    except ValueError:
        per_page = default_per_page
    per_page = per_page if per_page in PAGE_SIZES else default_per_page
    page_obj = list_page(request, queryset, per_page)
    query = request.GET.copy()
    query.pop("page", None)
    export_query = query.urlencode()
    query_without_page = export_query + "&" if query else ""
    query.pop("sort", None)
    query_without_sort = query.urlencode() + "&" if query else ""
    search_text = request.session.get(_search_key(list_name), "")
    active_filters = sum(1 for k, v in request.GET.items() if k in filterset.filters and v)
    return {
        "list_name": list_name,
        "filter": filterset,
        "page_obj": page_obj,
        "sort": sort,
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "query_without_page": query_without_page,
        "export_query": export_query,
        "query_without_sort": query_without_sort,
        "search_text": search_text,
        "active_filters": active_filters,
        "filtered": bool(search_text or active_filters),
    }


def _forget_issued(request) -> None:
    """Back on a list: the clear codes of the last creation are gone for good."""
    request.session.pop(services.SESSION_ISSUED, None)


# The logins -------------------------------------------------------------------------------


def _accounts(institution, search_text: str):
    queryset = (
        User.objects.filter(institution=institution)
        .select_related("person")
        .prefetch_related("role_assignments")
    )
    needle = normalize_for_search(search_text)
    if needle:
        queryset = queryset.filter(
            Q(person__search_name__contains=needle)
            | Q(username__icontains=search_text.strip())
            | Q(last_name__icontains=search_text.strip())
        )
    return queryset


def _account_rows(users, *, request, roles) -> list[dict]:
    """The rows of the logins' list; ``may_reissue`` by the rule of the service (no query: the
    person and the roles are loaded with the rows)."""
    return [
        {
            "user": user,
            "name": user.person.short_name if getattr(user, "person", None) else str(user),
            "roles": role_labels(user),
            "waits_for_code": not user.has_usable_password(),
            "may_reissue": roles.can_create_logins
            and services.refusal_for_code(
                user=user, by=request.user, by_is_sysadmin=roles.is_sysadmin
            )
            is None,
        }
        for user in users
    ]


def _without_login(institution):
    return (
        Person.objects.filter(institution=institution)
        .without_login(timezone.localdate())
        .select_related("position", "organization")
    )


def _account_filterset(request, institution) -> AccountFilter:
    """The logins' list as filtered: the page and its Excel copy (one definition)."""
    search_text = request.session.get(_search_key("users"), "")
    return AccountFilter(request.GET, queryset=_accounts(institution, search_text))


def _user_list_page(request, *, selection=None):
    roles = roles_for(request)
    institution = roles.institution
    filterset = _account_filterset(request, institution)
    context = _list_context(
        request, filterset=filterset, sorts=ACCOUNT_SORTS, list_name="users", default_per_page=25
    )
    page_obj = context["page_obj"]
    rows = _account_rows(page_obj.object_list, request=request, roles=roles)
    context.update(
        {
            "tab": "users",
            "rows": rows,
            "reissuable": sum(1 for row in rows if row["may_reissue"]),
            "without_login_count": _without_login(institution).count(),
            "can_manage_users": roles.can_manage_users,
            "can_assign_roles": roles.can_assign_roles,
            "can_create_logins": roles.can_create_logins,
            "selection": selection,
            "selected_ids": _selected_ids(selection),
            "crumbs": [("Главная", reverse("home")), ("Пользователи", None)],
        }
    )
    return render(request, "registry/accounts/user_list.html", context)


@login_required
@require(_can_view_users)
def user_export(request):
    """«Скачать Excel»: every login of the list as filtered and sorted, not one page."""
    institution = roles_for(request).institution
    filterset = _account_filterset(request, institution)
    users, _sort = _ordered(request, filterset.qs, ACCOUNT_SORTS)
    search_text = request.session.get(_search_key("users"), "")
    content = user_workbook(users=users, filters=filter_lines(filterset.form, search=search_text))
    trail.log_export(request.user, None, "список пользователей (Excel)", institution)
    return xlsx_response(content, dated_name("Пользователи", timezone.localdate()))


def _selected_ids(selection) -> set[str]:
    """The ticks of a refused submission, kept on the page that shows the refusal."""
    if selection is None:
        return set()
    return set(selection.data.getlist("selected"))


@login_required
@require(_can_view_users)
def user_list(request):
    _forget_issued(request)
    return _user_list_page(request)


# The people without a login ----------------------------------------------------------------


def _login_people_page(request, *, selection=None):
    roles = roles_for(request)
    institution = roles.institution
    search_text = request.session.get(_search_key("login-people"), "")
    filterset = LoginPeopleFilter(
        request.GET,
        queryset=_without_login(institution).search(search_text),
        institution=institution,
    )
    context = _list_context(
        request,
        filterset=filterset,
        sorts=PEOPLE_SORTS,
        list_name="login-people",
        default_per_page=50,
    )
    context.update(
        {
            "tab": "login-people",
            "people": context["page_obj"].object_list,
            "accounts_count": User.objects.filter(institution=institution).count(),
            "can_manage_users": roles.can_manage_users,
            "can_create_logins": roles.can_create_logins,
            "selection": selection,
            "selected_ids": _selected_ids(selection),
            "crumbs": _crumbs(("Без учётной записи", None)),
        }
    )
    return render(request, "registry/accounts/login_people.html", context)


@login_required
@require(_can_view_users)
def login_people(request):
    _forget_issued(request)
    return _login_people_page(request)


@require_POST
@login_required
@require(_can_view_users)
def user_search(request):
    """Keeps the name search of a list of «Пользователи» in the session (no names in URLs)."""
    form = UserSearchForm(request.POST)
    if not form.is_valid():
        raise Http404
    list_name = form.cleaned_data["list_name"]
    text = "" if "reset" in request.POST else form.cleaned_data["q"].strip()
    if text:
        request.session[_search_key(list_name)] = text
    else:
        request.session.pop(_search_key(list_name), None)
    return redirect("registry:user-list" if list_name == "users" else "registry:login-people")


# Creating logins and codes -----------------------------------------------------------------


def _creator_roles(request):
    roles = roles_for(request)
    if not roles.can_create_logins:
        raise PermissionDenied
    return roles


def _remember_issued(request, issued: list, *, what: str) -> None:
    request.session[services.SESSION_ISSUED] = {
        "institution": roles_for(request).institution.pk,
        "what": what,
        "at": timezone.now().timestamp(),
        "entries": [entry.as_session() for entry in issued],
    }


@require_POST
@login_required
@require(_can_view_users)
def logins_create(request):
    roles = _creator_roles(request)
    selection = PeopleSelectionForm(request.POST, institution=roles.institution)
    if selection.is_valid():
        try:
            issued = services.logins_create(
                people=selection.chosen(), by=request.user, site_url=site_url(request)
            )
        except ValidationError as error:
            selection.add_error(None, error)
        else:
            _remember_issued(request, issued, what="created")
            return redirect("registry:logins-issued")
    return _login_people_page(request, selection=selection)


@require_POST
@login_required
@require(_can_view_users)
def codes_reissue(request):
    roles = _creator_roles(request)
    selection = AccountSelectionForm(request.POST, institution=roles.institution)
    if selection.is_valid():
        try:
            issued = services.codes_reissue(
                users=selection.chosen(), by=request.user, site_url=site_url(request)
            )
        except ValidationError as error:
            selection.add_error(None, error)
        else:
            _remember_issued(request, issued, what="reissued")
            return redirect("registry:logins-issued")
    return _user_list_page(request, selection=selection)


def _issued_or_none(request):
    """The entries of the last creation in this session, if it is this institution's and fresh."""
    roles = _creator_roles(request)
    kept = request.session.get(services.SESSION_ISSUED)
    if (
        not kept
        or kept.get("institution") != roles.institution.pk
        or timezone.now().timestamp() - kept.get("at", 0) > ISSUED_SECONDS
    ):
        return None, None
    return [services.Issued(**entry) for entry in kept["entries"]], kept.get("what")


def _issued_gone(request):
    messages.info(
        request,
        "Коды приглашения показываются только сразу после выдачи. Если листы не скачаны, "
        "отметьте учётные записи и нажмите «Выдать новые коды»: прежние коды перестанут "
        "действовать.",
    )
    return redirect("registry:user-list")


@never_cache
@login_required
@require(_can_view_users)
def logins_issued(request):
    issued, what = _issued_or_none(request)
    if not issued:
        return _issued_gone(request)
    title = "Учётные записи созданы" if what == "created" else "Новые коды выданы"
    return render(
        request,
        "registry/accounts/logins_issued.html",
        {
            "issued": issued,
            "title": title,
            "created": what == "created",
            "with_letter": sum(1 for entry in issued if entry.email),
            "crumbs": _crumbs((title, None)),
        },
    )


@never_cache
@login_required
@require(_can_view_users)
def logins_issued_pdf(request):
    issued, _what = _issued_or_none(request)
    if not issued:
        return _issued_gone(request)
    institution = roles_for(request).institution
    fmt = requested_format(request)
    content = services.sheets_render(
        issued=issued, institution=institution, site_url=site_url(request), fmt=fmt
    )
    trail.log_export(
        request.user,
        None,
        f"листы приглашений с кодами ({len(issued)} чел.)",
        institution,
    )
    return document_response(content, f"Приглашения {timezone.localdate():%d.%m.%Y}.pdf", fmt=fmt)
