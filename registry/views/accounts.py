"""Users, roles, the institution's settings and its partner organizations.

The sysadmin keeps the accounts and the technical roles (DOMAIN.md §2) and records the
founder's order that appoints the head. The curator and the council hold their roles by the
head's signed orders (п. 3.2–3.4, ``registry.services.orders``); roles that rest on no order
are listed for the head to confirm by an order or to remove («Роли без приказа»).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mentoring_site.lib import throttle
from mentoring_site.lib.forms import add_service_errors, posted
from mentoring_site.lib.security import client_address, log_event
from registry.access import bank_editor_required, bank_viewer_required, user_of_institution
from registry.forms.accounts import (
    FounderOrderForm,
    InstitutionSettingsForm,
    PartnerForm,
    PasswordResetForm,
    UserCreateForm,
    UserRolesForm,
)
from registry.models import Organization, Person, Role, RoleAssignment, User
from registry.roles import require, roles_for
from registry.second_factor.services import has_second_factor
from registry.services import accounts as services

ROLE_ORDER = {role.value: index for index, role in enumerate(Role)}


def _can_assign_roles(roles) -> bool:
    return roles.can_assign_roles


def _display_name(user: User) -> str:
    person = getattr(user, "person", None)
    return person.short_name if person is not None else str(user)


def _users_crumbs(*tail):
    return [("Главная", reverse("home")), ("Пользователи", reverse("registry:user-list")), *tail]


# Users and roles ------------------------------------------------------------------------


@login_required
@require(_can_assign_roles)
def user_create(request, person_pk):
    roles = roles_for(request)
    if not roles.can_manage_users:
        raise PermissionDenied
    person = get_object_or_404(
        Person.objects.select_related("position"), pk=person_pk, institution=roles.institution
    )
    if person.user_id is not None:
        messages.warning(request, f"У сотрудника «{person.short_name}» уже есть учётная запись.")
        return redirect("registry:user-list")
    if person.anonymized_on is not None:
        messages.warning(
            request,
            f"«{person.short_name}»: данные обезличены после отзыва согласия на обработку, "
            "учётную запись не создать.",
        )
        return redirect("registry:user-list")
    form = UserCreateForm(posted(request), initial={"email": person.email})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create_for_person(
                person=person,
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
                created_by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Учётная запись создана, письмо для установки пароля отправлено на {user.email}.",
            )
            return redirect("registry:user-list")
    return render(
        request,
        "registry/accounts/user_create.html",
        {
            "form": form,
            "person": person,
            "crumbs": _users_crumbs((f"Учётная запись: {person.short_name}", None)),
        },
    )


@login_required
@require(_can_assign_roles)
def user_roles(request, pk):
    roles = roles_for(request)
    account = user_of_institution(request, pk)
    current = [a.role for a in account.role_assignments.all()]
    form = UserRolesForm(posted(request), initial={"roles": current})
    by_document = sorted(
        (a for a in account.role_assignments.select_related("order") if a.role != Role.SYSADMIN),
        key=lambda a: ROLE_ORDER[a.role],
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_roles(user=account, roles=form.cleaned_data["roles"], by=request.user)
        except ValidationError as error:
            form.add_error("roles", error)
        else:
            messages.success(request, f"Роли пользователя «{_display_name(account)}» сохранены.")
            return redirect("registry:user-list")
    return render(
        request,
        "registry/accounts/user_roles.html",
        {
            "form": form,
            "account": account,
            "name": _display_name(account),
            "by_document": by_document,
            "can_manage_users": roles.can_manage_users,
            "can_deactivate": roles.can_manage_users
            and account.is_active
            and account.pk != request.user.pk,
            # The sysadmin resets another user's second factor (a lost phone), not their own.
            "second_factor_on": roles.can_manage_users and has_second_factor(account),
            "can_reset_second_factor": account.pk != request.user.pk,
            "crumbs": _users_crumbs((f"Роли: {_display_name(account)}", None)),
        },
    )


@login_required
@require_POST
@require(_can_assign_roles)
def user_deactivate(request, pk):
    roles = roles_for(request)
    if not roles.can_manage_users:
        raise PermissionDenied
    account = user_of_institution(request, pk)
    try:
        services.user_deactivate(user=account, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:user-roles", pk=account.pk)
    messages.success(
        request,
        f"Учётная запись «{_display_name(account)}» отключена: войти в систему больше нельзя.",
    )
    return redirect("registry:user-list")


@login_required
@require_POST
@require(_can_assign_roles)
def user_activate(request, pk):
    roles = roles_for(request)
    if not roles.can_manage_users:
        raise PermissionDenied
    account = user_of_institution(request, pk)
    try:
        services.user_activate(user=account, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Учётная запись «{_display_name(account)}» снова включена.")
    return redirect("registry:user-roles", pk=account.pk)


@login_required
@require_POST
@require(_can_assign_roles)
def user_invite(request, pk):
    roles = roles_for(request)
    if not roles.can_manage_users:
        raise PermissionDenied
    account = user_of_institution(request, pk)
    try:
        services.user_invite(user=account, base_url=request.build_absolute_uri("/"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Письмо для установки пароля отправлено на {account.email}.")
    return redirect("registry:user-roles", pk=account.pk)


# The head, by the founder's order ----------------------------------------------------------


def _head_page(request, account, *, appoint_form, relieve_form):
    assignment = account.role_assignments.filter(role=Role.HEAD).first()
    name = _display_name(account)
    return render(
        request,
        "registry/accounts/user_head.html",
        {
            "account": account,
            "name": name,
            "assignment": assignment,
            "appoint_form": appoint_form,
            "relieve_form": relieve_form,
            "crumbs": _users_crumbs(
                (f"Роли: {name}", reverse("registry:user-roles", args=[account.pk])),
                ("Назначение заведующего", None),
            ),
        },
    )


def _founder_order(form) -> dict:
    data = form.cleaned_data
    return {"issuer": data["issuer"], "number": data["number"], "order_date": data["order_date"]}


@login_required
@require(_can_assign_roles)
def user_head(request, pk):
    """The sysadmin records the founder's order appointing the head (issuer, number, date):
    the head's role is never a free tick."""
    if not roles_for(request).can_manage_users:
        raise PermissionDenied
    account = user_of_institution(request, pk)
    assignment = account.role_assignments.filter(role=Role.HEAD).first()
    initial = {}
    if assignment is not None and assignment.founder_order_date:
        initial = {
            "issuer": assignment.founder_issuer,
            "number": assignment.founder_order_number,
            "order_date": assignment.founder_order_date,
        }
    form = FounderOrderForm(posted(request), initial=initial, prefix="appoint")
    if request.method == "POST" and form.is_valid():
        try:
            services.head_appoint(user=account, by=request.user, **_founder_order(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"«{_display_name(account)}» — заведующий по приказу учредителя "
                f"№ {form.cleaned_data['number']} от {form.cleaned_data['order_date']:%d.%m.%Y}.",
            )
            return redirect("registry:user-roles", pk=account.pk)
    return _head_page(
        request, account, appoint_form=form, relieve_form=FounderOrderForm(prefix="relieve")
    )


@login_required
@require_POST
@require(_can_assign_roles)
def user_head_relieve(request, pk):
    """The founder's order relieving the head: the role is taken away (the audit trail keeps
    the deleted assignment); the institution always keeps a head."""
    if not roles_for(request).can_manage_users:
        raise PermissionDenied
    account = user_of_institution(request, pk)
    form = FounderOrderForm(request.POST, prefix="relieve")
    if form.is_valid():
        try:
            services.head_relieve(user=account, by=request.user, **_founder_order(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Роль заведующего снята с «{_display_name(account)}» по приказу учредителя "
                f"№ {form.cleaned_data['number']}.",
            )
            return redirect("registry:user-roles", pk=account.pk)
    return _head_page(
        request, account, appoint_form=FounderOrderForm(prefix="appoint"), relieve_form=form
    )


# Roles without an order (made before roles came from orders) ------------------------------


def _unbacked_for(request, pk) -> RoleAssignment:
    """A role of our institution resting on no document; 404 otherwise."""
    institution = roles_for(request).institution
    return get_object_or_404(services.unbacked_assignments(institution), pk=pk)


@login_required
@require(_can_assign_roles)
def unbacked_roles(request):
    roles = roles_for(request)
    return render(
        request,
        "registry/accounts/unbacked_roles.html",
        {
            "assignments": list(services.unbacked_assignments(roles.institution)),
            "can_decide": roles.is_head,
            "can_manage_users": roles.can_manage_users,
            "crumbs": _users_crumbs(("Роли без приказа", None)),
        },
    )


@login_required
@require_POST
@require(_can_assign_roles)
def unbacked_role_draft(request, pk):
    if not roles_for(request).is_head:
        raise PermissionDenied
    assignment = _unbacked_for(request, pk)
    try:
        order = services.unbacked_role_draft_order(assignment=assignment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:unbacked-roles")
    messages.success(
        request,
        f"Проект приказа «{order.title}» подготовлен. Проверьте его и подпишите: роль будет "
        "опираться на этот приказ.",
    )
    return redirect("registry:order-detail", pk=order.pk)


@login_required
@require_POST
@require(_can_assign_roles)
def unbacked_role_remove(request, pk):
    if not roles_for(request).is_head:
        raise PermissionDenied
    assignment = _unbacked_for(request, pk)
    name = _display_name(assignment.user)
    label = assignment.get_role_display()
    try:
        services.unbacked_role_remove(assignment=assignment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Роль «{label}» снята с «{name}».")
    return redirect("registry:unbacked-roles")


# The institution ------------------------------------------------------------------------


@login_required
@require(_can_assign_roles)
def institution_settings(request):
    roles = roles_for(request)
    institution = get_object_or_404(Organization, pk=roles.institution.pk, partner_of=None)
    form = InstitutionSettingsForm(posted(request), instance=institution)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Настройки учреждения сохранены.")
        return redirect("registry:institution-settings")
    return render(
        request,
        "registry/accounts/institution_settings.html",
        {
            "form": form,
            "crumbs": [("Главная", reverse("home")), ("Настройки учреждения", None)],
        },
    )


# Partner organizations (п. 1.2, п. 2.3) -------------------------------------------------


def _partners_crumbs(*tail):
    return [
        ("Главная", reverse("home")),
        ("Организации-партнёры", reverse("registry:partner-list")),
        *tail,
    ]


@bank_viewer_required
def partner_list(request):
    roles = roles_for(request)
    partners = (
        Organization.objects.filter(partner_of=roles.institution)
        .annotate(staff_count=Count("staff"))
        .order_by("short_name")
    )
    return render(
        request,
        "registry/accounts/partner_list.html",
        {
            "partners": partners,
            "can_edit": roles.can_edit_banks,
            "crumbs": [("Главная", reverse("home")), ("Организации-партнёры", None)],
        },
    )


@bank_editor_required
def partner_create(request):
    roles = roles_for(request)
    form = PartnerForm(posted(request), instance=Organization(partner_of=roles.institution))
    if request.method == "POST" and form.is_valid():
        partner = form.save()
        messages.success(request, f"Организация «{partner.short_name}» добавлена в партнёры.")
        return redirect("registry:partner-list")
    return render(
        request,
        "registry/accounts/partner_form.html",
        {"form": form, "partner": None, "crumbs": _partners_crumbs(("Новая организация", None))},
    )


@bank_editor_required
def partner_update(request, pk):
    roles = roles_for(request)
    partner = get_object_or_404(Organization, pk=pk, partner_of=roles.institution)
    saved_name = partner.short_name  # the form writes the typed values into the instance
    form = PartnerForm(posted(request), instance=partner)
    if request.method == "POST" and form.is_valid():
        partner = form.save()
        messages.success(request, f"Сведения об организации «{partner.short_name}» сохранены.")
        return redirect("registry:partner-list")
    return render(
        request,
        "registry/accounts/partner_form.html",
        {
            "form": form,
            "partner": partner,
            "saved_name": saved_name,
            "crumbs": _partners_crumbs((saved_name, None)),
        },
    )


class PasswordResetView(auth_views.PasswordResetView):
    """«Восстановление пароля» with a limit per client (issue 20): at most
    ``PASSWORD_RESET_PER_CLIENT`` requests an hour from one address, then a message and 429;
    the limit per e-mail address is the form's (``PasswordResetForm``)."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        allowed = throttle.allow(
            f"password-reset:client:{client_address(self.request)}",
            limit=settings.PASSWORD_RESET_PER_CLIENT,
            window_seconds=3600,
        )
        if not allowed:
            log_event("password_reset_throttled", self.request, scope="client")
            form.add_error(
                None,
                "Слишком много запросов на восстановление пароля с этого компьютера. "
                "Попробуйте через час или обратитесь к системному администратору.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
