"""Accounts of the institution's people and their roles (DOMAIN.md §2; п. 3.2, п. 3.3, п. 3.4).

The sysadmin keeps the logins and the technical roles (``TECHNICAL_ROLES``). The roles of the
regulation come from documents: the curator's and the council's from the head's signed orders
(``registry.services.orders.order_sign``), the head's from the founder's order, recorded here
with its issuer, number and date (``head_appoint``). Assignments made before that rule, with no
document, are listed for the head to confirm by an order or to remove (``unbacked_assignments``).
"""

from datetime import date
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from mentoring_site.lib.sessions import UserSession
from registry.models import Order, Person, Role, RoleAssignment, User
from registry.services.mail import letter_queue
from registry.services.orders import DEFAULT_BASIS, order_create_draft

# Roles without which an institution cannot run: the head approves, the sysadmin keeps accounts.
KEY_ROLES = (Role.HEAD, Role.SYSADMIN)
# Roles the roles page gives and takes: the technical ones, which no order of the regulation names.
TECHNICAL_ROLES = (Role.SYSADMIN,)
# Why each other role cannot be ticked (a forged form is refused with this).
BY_DOCUMENT = {
    Role.HEAD: "Заведующего назначает учредитель: внесите приказ учредителя на странице "
    "«Назначение заведующего».",
    Role.CURATOR: "Куратора назначает заведующий приказом «О назначении куратора» (п. 3.2, "
    "п. 3.3); снимает — приказом «Об освобождении от обязанностей куратора».",
    Role.COUNCIL: "Состав методического совета утверждает заведующий приказом «О составе "
    "методического совета наставников» (п. 3.4).",
}


def check_technical(roles) -> None:
    """Refuses any role that only a document gives (п. 3.2–3.4), naming the document."""
    for role in roles:
        if Role(role) not in TECHNICAL_ROLES:
            raise ValidationError(
                f"Роль «{Role(role).label}» не назначается отметкой. {BY_DOCUMENT[Role(role)]}"
            )


def password_setting_link(*, user: User, base_url: str) -> str:
    """The one-time link of Django's password reset, used here to set the first password."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return urljoin(base_url, path)


def _send_password_setting_mail(*, user: User, base_url: str) -> None:
    """The one letter with the login and the password-setting link: sent when the account is
    created and again when the sysadmin asks for a new link."""
    body = render_to_string(
        "registry/accounts/email_account_created.html",
        {
            "user": user,
            "institution": user.institution,
            "link": password_setting_link(user=user, base_url=base_url),
            "login_url": urljoin(base_url, reverse("login")),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
    )
    letter_queue(
        to=user.email, subject="Учётная запись в реестре наставничества", body=body, user=user
    )


@transaction.atomic
def user_create_for_person(
    *, person: Person, username: str, email: str, roles: list[str], created_by: User, base_url: str
) -> User:
    """Creates a login for a person of the bank without a password; after the commit the
    person receives a link to set it. ``base_url`` is the site's address, e.g.
    ``request.build_absolute_uri("/")``."""
    check_technical(roles)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id is not None:
        raise ValidationError("У этого сотрудника уже есть учётная запись.")
    if person.anonymized_on is not None:
        raise ValidationError("Данные участника обезличены: учётную запись не создать.")
    user = User(
        username=username,
        email=email,
        first_name=" ".join(p for p in (person.first_name, person.patronymic) if p),
        last_name=person.last_name,
        institution=person.institution,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    for role in roles:
        assignment = RoleAssignment(user=user, role=role, assigned_by=created_by)
        assignment.full_clean()
        assignment.save()
    _send_password_setting_mail(user=user, base_url=base_url)
    return user


def _others_with_role(user: User, role: str) -> bool:
    return (
        RoleAssignment.objects.filter(
            role=role, user__institution_id=user.institution_id, user__is_active=True
        )
        .exclude(user=user)
        .exists()
    )


@transaction.atomic
def user_set_roles(*, user: User, roles: list[str], by: User) -> User:
    """Replaces the user's technical roles (``TECHNICAL_ROLES``); the roles given by orders
    stay as they are, and asking for one of them is refused (п. 3.2–3.4). Nobody takes away
    their own sysadmin role when nobody else has it."""
    check_technical(roles)
    # Lock the institution's assignments so two users cannot remove each other at once.
    list(
        RoleAssignment.objects.select_for_update().filter(user__institution_id=user.institution_id)
    )
    current = set(
        user.role_assignments.filter(role__in=TECHNICAL_ROLES).values_list("role", flat=True)
    )
    wanted = {Role(role) for role in roles}
    removed = current - wanted
    if user.pk == by.pk:
        for role in KEY_ROLES:
            if role in removed and not _others_with_role(user, role):
                raise ValidationError(
                    f"Нельзя снять с себя роль «{role.label}»: в учреждении не останется "
                    "никого с этой ролью."
                )
    user.role_assignments.filter(role__in=removed).delete()
    for role in sorted(wanted - current):
        assignment = RoleAssignment(user=user, role=role, assigned_by=by)
        assignment.full_clean()
        assignment.save()
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> User:
    """Closes the login; the person and everything they did stay in the registry."""
    if user.pk == by.pk:
        raise ValidationError("Нельзя отключить собственную учётную запись.")
    if user.role_assignments.filter(role=Role.HEAD).exists() and not _others_with_role(
        user, Role.HEAD
    ):
        raise ValidationError(
            "Нельзя отключить единственного заведующего: сначала назначьте заведующим "
            "другого сотрудника."
        )
    user.is_active = False
    user.full_clean()
    user.save(update_fields=["is_active"])
    _end_sessions(user)
    return user


def _end_sessions(user: User) -> None:
    """Ends every session of the user at once (ASVS 5.0 V7.4): a closed login does not wait
    for its sessions to run out, even if it is opened again later. One indexed DELETE: each
    session row carries its user (mentoring_site/lib/sessions.py)."""

    UserSession.objects.filter(user_id=user.pk).delete()


@transaction.atomic
def user_activate(*, user: User, by: User) -> User:
    """Opens a closed login again; the password and the roles are those it had before."""
    if user.is_active:
        raise ValidationError("Учётная запись уже включена.")
    user.is_active = True
    user.full_clean()
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_invite(*, user: User, base_url: str) -> User:
    """Sends the password-setting letter again, e.g. when the first link has expired or the
    person forgot the password: a new link in a new letter of the outbox."""
    if not user.is_active:
        raise ValidationError(
            "Учётная запись отключена: сначала включите её, потом отправьте письмо."
        )
    if not user.email:
        raise ValidationError("У учётной записи нет e-mail: письмо отправить некуда.")
    _send_password_setting_mail(user=user, base_url=base_url)
    return user


# The head, appointed by the founder ---------------------------------------------------------


def _check_founder_order(*, issuer: str, number: str, order_date: date | None) -> tuple:
    issuer, number = (issuer or "").strip(), (number or "").strip()
    errors = {}
    if not issuer:
        errors["issuer"] = "Укажите, кто издал приказ: учредителя, например администрацию района."
    if not number:
        errors["number"] = "Укажите номер приказа учредителя."
    if order_date is None:
        errors["order_date"] = "Укажите дату приказа учредителя."
    elif order_date > timezone.localdate():
        errors["order_date"] = "Дата приказа учредителя не может быть в будущем."
    if errors:
        raise ValidationError(errors)
    return issuer, number


@transaction.atomic
def head_appoint(*, user: User, issuer: str, number: str, order_date: date, by: User):
    """Records the founder's order appointing ``user`` the head (п. 3.2 names the head's
    powers; the founder appoints the head). A legacy head role without the order gets it."""
    issuer, number = _check_founder_order(issuer=issuer, number=number, order_date=order_date)
    if not user.is_active:
        raise ValidationError("Учётная запись отключена: сначала включите её.")
    assignment = RoleAssignment.objects.filter(user=user, role=Role.HEAD).first() or (
        RoleAssignment(user=user, role=Role.HEAD, assigned_by=by)
    )
    assignment.founder_issuer = issuer
    assignment.founder_order_number = number
    assignment.founder_order_date = order_date
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def head_relieve(*, user: User, issuer: str, number: str, order_date: date, by: User) -> None:
    """Takes the head role away by the founder's order of relief (kept in the audit trail with
    the assignment it deletes). The institution always keeps a head."""
    _check_founder_order(issuer=issuer, number=number, order_date=order_date)
    list(
        RoleAssignment.objects.select_for_update().filter(user__institution_id=user.institution_id)
    )
    assignment = RoleAssignment.objects.filter(user=user, role=Role.HEAD).first()
    if assignment is None:
        raise ValidationError("Этот сотрудник не заведующий.")
    if not _others_with_role(user, Role.HEAD):
        raise ValidationError(
            "Нельзя освободить единственного заведующего: сначала внесите приказ учредителя "
            "о назначении нового заведующего."
        )
    assignment.delete()


# Roles without a document (legacy) ------------------------------------------------------------


def unbacked_assignments(institution):
    """Assignments of the regulation's roles that rest on no document: curators and council
    members without the head's order, heads without the founder's order (made before roles came
    from orders). The head confirms each by an order or removes it."""
    return (
        RoleAssignment.objects.filter(user__institution=institution)
        .filter(
            Q(role__in=[Role.CURATOR, Role.COUNCIL], order__isnull=True)
            | Q(role=Role.HEAD, founder_order_date__isnull=True)
        )
        .select_related("user__person__position")
        .order_by("role", "user__last_name", "user__username")
    )


def _unbacked(assignment: RoleAssignment) -> RoleAssignment:
    assignment = (
        RoleAssignment.objects.select_for_update().select_related("user").get(pk=assignment.pk)
    )
    if assignment.has_basis:
        raise ValidationError("У этой роли уже есть приказ: снимают её новым приказом.")
    return assignment


@transaction.atomic
def unbacked_role_remove(*, assignment: RoleAssignment, by: User) -> None:
    """The head removes a curator's or a council member's role that no order gave. The head's
    own role goes only by the founder's order."""
    assignment = _unbacked(assignment)
    if assignment.role == Role.HEAD:
        raise ValidationError(
            "Роль заведующего снимают только по приказу учредителя: это делает системный "
            "администратор на странице «Назначение заведующего»."
        )
    assignment.delete()


@transaction.atomic
def unbacked_role_draft_order(*, assignment: RoleAssignment, by: User) -> Order:
    """A draft appointing the holder of a role without an order: «О назначении куратора» for a
    curator; «О составе методического совета» naming the council as it stands for a member.
    Signing the draft links the role to it."""
    assignment = _unbacked(assignment)
    if assignment.role == Role.HEAD:
        raise ValidationError(
            "Заведующего назначает учредитель, не приказ заведующего: сведения о приказе "
            "учредителя вносит системный администратор."
        )
    person = getattr(assignment.user, "person", None)
    if person is None or person.institution_id != assignment.user.institution_id:
        raise ValidationError(
            "У учётной записи нет карточки сотрудника в реестре: в приказ вписать некого. "
            "Снимите роль или попросите системного администратора связать учётную запись "
            "с сотрудником."
        )
    institution = assignment.user.institution
    if assignment.role == Role.CURATOR:
        kind, appointees = Order.Kind.CURATOR, [person]
    else:
        kind = Order.Kind.COUNCIL
        appointees = list(
            Person.objects.filter(
                institution=institution,
                user__role_assignments__role=Role.COUNCIL,
                user__is_active=True,
            ).distinct()
        )
    return order_create_draft(
        institution=institution,
        user=by,
        kind=kind,
        title="",
        basis=DEFAULT_BASIS,
        items=[],
        control_clause=Order._meta.get_field("control_clause").default,
        appointees=appointees,
        acquainted=[],
        is_public=False,
    )
