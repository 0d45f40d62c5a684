"""Accounts of the institution's people and their roles (DOMAIN.md §2; п. 3.2, п. 3.3)."""

from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from mentoring_site.lib.sessions import UserSession
from registry.models import Person, Role, RoleAssignment, User
from registry.services.mail import letter_queue

# Roles without which an institution cannot run: the head approves, the sysadmin keeps accounts.
KEY_ROLES = (Role.HEAD, Role.SYSADMIN)


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
    """Replaces the user's assigned roles. The institution always keeps a head (п. 3.2: the
    head approves the curator and the council), and nobody takes away their own head or
    sysadmin role when nobody else has it."""
    # Lock the institution's assignments so two heads cannot remove each other at once.
    list(
        RoleAssignment.objects.select_for_update().filter(user__institution_id=user.institution_id)
    )
    current = set(user.role_assignments.values_list("role", flat=True))
    wanted = {Role(role) for role in roles}
    removed = current - wanted
    if Role.HEAD in removed and not _others_with_role(user, Role.HEAD):
        raise ValidationError(
            "Нельзя снять роль заведующего: в учреждении не останется ни одного заведующего. "
            "Сначала назначьте заведующим другого сотрудника."
        )
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
