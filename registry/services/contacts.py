"""A person keeps their own contacts (issue 16): the phone is saved at once in one written form;
a new e-mail address replaces the old one, on the person and on the login, only after the link
sent to the new address is opened, and the old address is told of the change.

The link carries a signed token (``django.core.signing``) with the id of the request and a
time limit of ``EMAIL_CHANGE_LINK_HOURS``; the addresses themselves stay in the database, never
in the link. A link stops working once it is used, once a newer change is asked for, and once
the person's address changes in any other way.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from registry.models import EmailChange, Letter, Person, User
from registry.services.mail import letters_queue

TOKEN_SALT = "registry.email-change"  # noqa: S105  (a namespace of signatures, not a secret)
EMAIL_TAKEN_BY_LOGIN = "Этот e-mail уже указан у другой учётной записи. Укажите свой адрес."
EMAIL_TAKEN_BY_PERSON = "Этот e-mail уже указан у другого участника реестра. Укажите свой адрес."
LINK_INVALID = "Ссылка неверна или устарела. Укажите новый адрес ещё раз: придёт новое письмо."


def email_refusal(*, person: Person, email: str) -> str | None:
    """Why ``email`` cannot become the address of ``person`` (a login or another person of the
    institution has it), or None."""
    if User.objects.filter(email__iexact=email).exclude(pk=person.user_id).exists():
        return EMAIL_TAKEN_BY_LOGIN
    others = Person.objects.filter(institution_id=person.institution_id, email__iexact=email)
    if others.exclude(pk=person.pk).exists():
        return EMAIL_TAKEN_BY_PERSON
    return None


@transaction.atomic
def phone_update(*, person: Person, phone: str) -> Person:
    """Saves the phone (already normalised by the form: «+7 921 123-45-67»)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.phone != phone:
        person.phone = phone
        person.full_clean()
        person.save()
    return person


def confirmation_token(change: EmailChange) -> str:
    return signing.dumps({"change": change.pk}, salt=TOKEN_SALT, compress=True)


def _mask(email: str) -> str:
    """«ivanova@example.ru» → «iv…@example.ru»: the old address is told where its mail went
    without the whole new address."""
    local, _, domain = email.partition("@")
    return f"{local[:2]}…@{domain}"


@transaction.atomic
def email_change_request(*, person: Person, email: str, site_url: str) -> EmailChange:
    """Records the wish and sends the confirmation link to the new address; the old address
    stays in force until the link is opened."""
    person = Person.objects.select_for_update().select_related("institution").get(pk=person.pk)
    if person.user_id is None:
        raise ValidationError("Адрес меняет владелец учётной записи.")
    if refusal := email_refusal(person=person, email=email):
        raise ValidationError({"email": refusal})
    change = EmailChange(person=person, old_email=person.email, new_email=email)
    change.full_clean()
    change.save()
    body = render_to_string(
        "registry/people/email_confirm_letter.txt",
        {
            "person": person,
            "institution": person.institution,
            "link": site_url
            + reverse("registry:my-email-confirm", args=[confirmation_token(change)]),
            "hours": settings.EMAIL_CHANGE_LINK_HOURS,
        },
    )
    letters_queue(
        [
            Letter(
                to=email,
                subject="Подтвердите адрес электронной почты",
                body=body,
                user_id=person.user_id,
                institution=person.institution,
            )
        ]
    )
    return change


def change_for_token(*, token: str, user: User) -> EmailChange | None:
    """The waiting change of ``user``'s own address the token names, or None when the token is
    forged, expired, already used or overtaken by a newer change."""
    try:
        payload = signing.loads(
            token, salt=TOKEN_SALT, max_age=settings.EMAIL_CHANGE_LINK_HOURS * 3600
        )
    except signing.BadSignature:
        return None
    change = (
        EmailChange.objects.filter(pk=payload.get("change"), person__user=user)
        .select_related("person__institution", "person__user")
        .first()
    )
    if change is None or change.confirmed_at is not None:
        return None
    newest = EmailChange.objects.filter(person=change.person).order_by("-requested_at", "-id")
    if newest.values_list("pk", flat=True).first() != change.pk:
        return None
    if change.person.email != change.old_email:
        return None
    return change


@transaction.atomic
def email_change_confirm(*, change: EmailChange, user: User) -> Person:
    """The new address replaces the old one on the person and on the login; the old address
    gets a letter saying so."""
    change = EmailChange.objects.select_for_update().get(pk=change.pk)
    person = (
        Person.objects.select_for_update().select_related("institution").get(pk=change.person_id)
    )
    if change.confirmed_at is not None or person.email != change.old_email:
        raise ValidationError(LINK_INVALID)
    if person.user_id != user.pk:
        raise ValidationError(LINK_INVALID)
    if refusal := email_refusal(person=person, email=change.new_email):
        raise ValidationError(refusal)
    person.email = change.new_email
    person.full_clean()
    person.save()
    user = User.objects.select_for_update().get(pk=user.pk)
    user.email = change.new_email
    user.full_clean()
    user.save(update_fields=["email"])
    change.confirmed_at = timezone.now()
    change.save(update_fields=["confirmed_at"])
    if change.old_email:
        body = render_to_string(
            "registry/people/email_changed_letter.txt",
            {
                "person": person,
                "institution": person.institution,
                "new_email": _mask(change.new_email),
                "changed_at": change.confirmed_at,
            },
        )
        letters_queue(
            [
                Letter(
                    to=change.old_email,
                    subject="Адрес электронной почты в реестре изменён",
                    body=body,
                    user=user,
                    institution=person.institution,
                )
            ]
        )
    return person
