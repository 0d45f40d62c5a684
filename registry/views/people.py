"""The banks: lists, a person's page, the forms of the curator (п. 3.3)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.history import history_for
from mentoring_site.lib.academic_year import academic_year_label, academic_year_start
from mentoring_site.lib.forms import limit_formset_to_institution, limit_to_institution
from mentoring_site.lib.pages import list_page
from mentoring_site.lib.versions import StaleVersion
from registry.access import (
    bank_editor_required,
    bank_viewer_required,
    can_propose_groups,
    person_for_editing,
    person_for_user,
)
from registry.filters import (
    PROGRAM_SEARCH_KEY,
    MenteeFilter,
    MentorFilter,
    PersonFilter,
    TextSearchForm,
    mentees_by_text,
)
from registry.forms.people import (
    CompetenceFormSet,
    ConsentGateForm,
    DifficultyFormSet,
    MenteeProfileForm,
    MentorProfileForm,
    NameSearchForm,
    PersonForm,
)
from registry.models import Consent, MenteeProfile, MentorProfile, Person
from registry.roles import roles_for
from registry.services import people as services
from registry.services.groups import with_mentee_load
from reports.access import growth_section

SORTS = {
    "name": ("last_name", "first_name", "patronymic", "pk"),
    "position": ("position__sort_order", "last_name", "first_name", "pk"),
    "hired": ("hired_on", "last_name", "pk"),
    "reviewed": ("last_reviewed_on", "last_name", "pk"),
}
PAGE_SIZES = (25, 50)

# The columns each list shows (issue 21): a page reads these, not every detail of the people
# and their profiles (the Excel export of the same rows reads them all).
SHOWN = (
    "institution_id",
    "organization__short_name",
    "last_name",
    "first_name",
    "patronymic",
    "anonymized_on",
    "position__name",
    "last_reviewed_on",
    "mentor_profile__id",
    "mentee_profile__id",
)

LISTS = {
    "people": {
        "title": "Все участники",
        "filter": PersonFilter,
        "url": "registry:person-list",
        "template": "registry/people/person_list.html",
        "columns": SHOWN,
    },
    "mentors": {
        "title": "Банк наставников",
        "filter": MentorFilter,
        "url": "registry:mentor-list",
        "template": "registry/people/mentor_list.html",
        "columns": (*SHOWN, "mentor_profile__capacity", "mentor_profile__training_completed_on"),
    },
    "mentees": {
        "title": "Банк наставляемых",
        "filter": MenteeFilter,
        "url": "registry:mentee-list",
        "template": "registry/people/mentee_list.html",
        "columns": (*SHOWN, "mentee_profile__category__name", "mentee_profile__status"),
    },
}


def _search_key(list_name: str) -> str:
    return f"search:{list_name}"


# The lists with a free-text search besides the names: the mentee bank searches the requests
# and difficulties (PostgreSQL full-text search, russian configuration; registry/filters.py).
TEXT_SEARCHES = {"mentees": mentees_by_text}


def _text_key(list_name: str) -> str:
    return f"search:{list_name}:text"


def _bank_queryset(institution, list_name: str):
    queryset = Person.objects.filter(institution=institution).bank(list_name)
    if list_name == "mentors":
        queryset = queryset.with_mentoring_consent()
    return queryset.with_processing_consent()


def filtered_bank(request, list_name: str, institution):
    """The bank as its list shows it, one definition for the page and its Excel: the name search
    and the free-text search kept in the session, the filters and the sort of the query string.
    Returns (filterset, the rows in the list's order, the searches typed)."""
    queryset = _bank_queryset(institution, list_name)
    search_text = request.session.get(_search_key(list_name), "")
    queryset = queryset.search(search_text)
    free_text = request.session.get(_text_key(list_name), "")
    if list_name in TEXT_SEARCHES:
        queryset = TEXT_SEARCHES[list_name](queryset, institution, free_text)
    filterset = LISTS[list_name]["filter"](request.GET, queryset=queryset, institution=institution)
    if list_name != "people":
        filterset.filters.pop("bank", None)
        filterset.form.fields.pop("bank", None)
    sort = request.GET.get("sort", "name")
    order = SORTS.get(sort.lstrip("-"), SORTS["name"])
    if sort.startswith("-"):
        order = tuple(f"-{field}" for field in order)
    searches = [text for text in (search_text, free_text) if text]
    return filterset, filterset.qs.order_by(*order), searches


def _bank_list(request, list_name: str):
    spec = LISTS[list_name]
    roles = roles_for(request)
    filterset, rows, _searches = filtered_bank(request, list_name, roles.institution)
    search_text = request.session.get(_search_key(list_name), "")
    free_text = request.session.get(_text_key(list_name), "")
    sort = request.GET.get("sort", "name")
    try:
        per_page = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        per_page = PAGE_SIZES[0]
    per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[0]
    rows = rows.prefetch_related(None).only(*spec["columns"])
    if list_name == "mentors":
        rows = with_mentee_load(rows)
    page_obj = list_page(request, rows, per_page)
    if list_name != "people":
        page_obj.object_list = services.with_direction_names(page_obj.object_list, list_name)
    query = request.GET.copy()
    query.pop("page", None)
    export_query = query.urlencode()
    query_without_page = query.urlencode() + "&" if query else ""
    query.pop("sort", None)
    query_without_sort = query.urlencode() + "&" if query else ""
    today = timezone.localdate()
    return render(
        request,
        spec["template"],
        {
            "title": spec["title"],
            "crumbs": [("Главная", reverse("home")), (spec["title"], None)],
            "list_name": list_name,
            "list_url": reverse(spec["url"]),
            "filter": filterset,
            "page_obj": page_obj,
            "people": page_obj.object_list,
            "search_form": NameSearchForm(initial={"q": search_text, "list_name": list_name}),
            "search_text": search_text,
            "text_search": list_name in TEXT_SEARCHES,
            "free_text": free_text,
            "sort": sort,
            "query_without_page": query_without_page,
            "export_query": export_query,
            "query_without_sort": query_without_sort,
            "page_sizes": PAGE_SIZES,
            "per_page": per_page,
            "year_start": academic_year_start(today),
            "year_label": academic_year_label(today),
            "active_filters": sum(
                1 for key, value in request.GET.items() if key in filterset.filters and value
            ),
            "filtered": bool(search_text or free_text)
            or any(v for k, v in request.GET.items() if k in filterset.filters),
        },
    )


@bank_viewer_required
def person_list(request):
    return _bank_list(request, "people")


@bank_viewer_required
def mentor_list(request):
    return _bank_list(request, "mentors")


@bank_viewer_required
def mentee_list(request):
    return _bank_list(request, "mentees")


@require_POST
@bank_viewer_required
def search(request):
    """Keeps the name search in the session and returns to the list (no names in URLs); the
    program list's free-text search comes here too (the same viewers)."""
    if request.POST.get("list_name") == "programs":
        return _program_search(request)
    form = NameSearchForm(request.POST)
    if not form.is_valid():
        raise Http404
    list_name = form.cleaned_data["list_name"]
    reset = "reset" in request.POST
    _remember(request, _search_key(list_name), "" if reset else form.cleaned_data["q"])
    if list_name in TEXT_SEARCHES:
        free = TextSearchForm(request.POST)
        free_text = "" if reset or not free.is_valid() else free.cleaned_data["text"]
        _remember(request, _text_key(list_name), free_text)
    return redirect(LISTS[list_name]["url"])


def _remember(request, key: str, text: str) -> None:
    """Keeps a search text in the session; an empty one forgets it."""
    text = text.strip()
    if text:
        request.session[key] = text
    else:
        request.session.pop(key, None)


def _program_search(request):
    form = TextSearchForm(request.POST)
    if not form.is_valid():
        raise Http404
    _remember(
        request, PROGRAM_SEARCH_KEY, "" if "reset" in request.POST else form.cleaned_data["text"]
    )
    return redirect("programs:program-list")


@bank_editor_required
def person_create(request):
    roles = roles_for(request)
    form = PersonForm(request.POST or None, institution=roles.institution)
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person.institution = roles.institution
        person.last_reviewed_on = timezone.localdate()
        person.last_reviewed_by = request.user
        person.full_clean()
        person.save()
        messages.success(request, f"Участник «{person.full_name}» добавлен в реестр.")
        return redirect("registry:person-detail", pk=person.pk)
    return render(request, "registry/people/person_form.html", {"form": form, "person": None})


@login_required
def person_detail(request, pk):
    person, can_edit = person_for_user(request, pk)
    roles = roles_for(request)
    mentee = (
        MenteeProfile.objects.filter(person=person)
        .select_related("category")
        .prefetch_related("preferred_forms", "preferred_kinds", "difficulties__direction")
        .first()
    )
    mentor = (
        MentorProfile.objects.filter(person=person)
        .prefetch_related("ready_forms", "ready_kinds", "competences__direction")
        .first()
    )
    consents = list(person.consents.select_related("recorded_by", "withdrawn_by"))
    memberships = person.memberships.select_related("group__order").prefetch_related(
        "group__members__person"
    )
    if not roles.can_view_banks and not (roles.person and roles.person.pk == person.pk):
        # A mentor looking at a mentee's file sees only the groups they share (п. 4.1).
        memberships = memberships.filter(group__members__person=roles.person)
    memberships = list(memberships)
    has_processing_consent = any(
        c.kind == Consent.Kind.PROCESSING and c.is_active for c in consents
    )
    show_paperwork = roles.can_view_banks or (
        roles.person is not None and roles.person.pk == person.pk
    )
    return render(
        request,
        "registry/people/person_detail.html",
        {
            "person": person,
            "can_edit": can_edit,
            "can_create_account": roles.can_manage_users
            and person.user_id is None
            and person.anonymized_on is None,
            "mentee": mentee,
            "mentor": mentor,
            "consents": consents,
            "has_processing_consent": has_processing_consent,
            "questionnaires": person.questionnaires.all()[:10],
            "reviewed_this_year": person.is_reviewed_in_year(),
            "year_label": academic_year_label(timezone.localdate()),
            "is_own": roles.person is not None and roles.person.pk == person.pk,
            "memberships": memberships,
            # A mentor reads the mentee's file (п. 4.1), not the bank's paperwork.
            "show_paperwork": show_paperwork,
            # …but enters the mentee's contests and other achievements (п. 4.2).
            "growth": growth_section(request, person, shown_to_reader=show_paperwork),
            "can_match": mentee is not None and can_propose_groups(roles),
            "can_read_all_data": roles.can_export_banks,
            # The head, the curator and the sysadmin see the record's own history.
            "history": history_for(person)
            if roles.is_head or roles.is_curator or roles.is_sysadmin
            else None,
        },
    )


@login_required
def person_update(request, pk):
    person = person_for_editing(request, pk)
    form = PersonForm(request.POST or None, instance=person, institution=person.institution)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(form=form, version=form.version)
        except StaleVersion as error:
            form.refuse_stale(error)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect("registry:person-detail", pk=person.pk)
    return render(request, "registry/people/person_form.html", {"form": form, "person": person})


@require_POST
@login_required
def person_review(request, pk):
    person = person_for_editing(request, pk)
    services.person_review(person=person, user=request.user)
    messages.success(
        request,
        f"Сведения об участнике «{person.short_name}» отмечены как актуальные "
        f"на {timezone.localdate():%d.%m.%Y}.",
    )
    return redirect("registry:person-detail", pk=person.pk)


def _consent_gate(request, person):
    """The consent form, when the person has no processing consent yet (else None)."""
    has_consent = (
        Consent.objects.active().filter(person=person, kind=Consent.Kind.PROCESSING).exists()
    )
    if has_consent:
        return None
    return ConsentGateForm(request.POST or None, prefix="consent")


PROFILES = {
    "mentee": {
        "model": MenteeProfile,
        "form": MenteeProfileForm,
        "formset": DifficultyFormSet,
        "prefix": "difficulties",
        "template": "registry/people/mentee_profile_form.html",
        "created": "«{}» включена в банк наставляемых.",
        "saved": "Карточка наставляемого сохранена.",
    },
    "mentor": {
        "model": MentorProfile,
        "form": MentorProfileForm,
        "formset": CompetenceFormSet,
        "prefix": "competences",
        "template": "registry/people/mentor_profile_form.html",
        "created": "«{}» включена в банк наставников.",
        "saved": "Карточка наставника сохранена.",
    },
}


def _profile_edit(request, pk, bank: str):
    """Creates or edits a bank entry with its rows; the consent gate guards a new entry."""
    spec = PROFILES[bank]
    person = person_for_editing(request, pk)
    instance = spec["model"].objects.filter(person=person).first()
    form = spec["form"](request.POST or None, instance=instance)
    formset = spec["formset"](
        request.POST or None, instance=instance or spec["model"](), prefix=spec["prefix"]
    )
    limit_to_institution(form, person.institution)
    limit_formset_to_institution(formset, person.institution)
    gate = _consent_gate(request, person)
    if request.method == "POST":
        valid = [form.is_valid(), formset.is_valid(), gate is None or gate.is_valid()]
        if all(valid):
            try:
                services.bank_entry_save(
                    person=person,
                    form=form,
                    rows=formset,
                    consent_given_on=gate.cleaned_data["consent_given_on"] if gate else None,
                    consent_method=gate.cleaned_data["consent_method"] if gate else "",
                    user=request.user,
                    version=form.version,
                )
            except StaleVersion as error:
                form.refuse_stale(error)
            else:
                if instance is None:
                    messages.success(request, spec["created"].format(person.short_name))
                else:
                    messages.success(request, spec["saved"])
                return redirect("registry:person-detail", pk=person.pk)
    return render(
        request,
        spec["template"],
        {
            "person": person,
            "form": form,
            "formset": formset,
            "gate": gate,
            "creating": not instance,
        },
    )


@login_required
def mentee_profile_edit(request, pk):
    return _profile_edit(request, pk, "mentee")


@login_required
def mentor_profile_edit(request, pk):
    return _profile_edit(request, pk, "mentor")


@login_required
def my_data(request):
    roles = roles_for(request)
    if roles.person is None:
        raise Http404
    return redirect("registry:person-detail", pk=roles.person.pk)
