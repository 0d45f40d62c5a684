"""Consents: 152-ФЗ ст. 9 (processing), ст. 10.1 (dissemination), ТК РФ ст. 351.8 (mentoring).

Recording and withdrawing a consent, attaching its signed scan, and the printable form a
person signs.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from mentoring_site.lib.documents import PDF, render_document
from registry.models import DISSEMINATION_CATEGORIES, Consent, Person

FORM_TEMPLATES = {
    Consent.Kind.PROCESSING: "documents/consent_processing.html",
    Consent.Kind.DISSEMINATION: "documents/consent_dissemination.html",
    Consent.Kind.MENTORING: "documents/consent_mentoring.html",
}

# What withdrawing a consent means, said to the curator after the withdrawal.
WITHDRAW_EFFECTS = {
    Consent.Kind.PROCESSING: (
        "Обработка персональных данных прекращается. Реестр обезличит сведения участника "
        "через 7 дней после даты отзыва и составит акт об уничтожении (закон требует — не "
        "позднее 30 дней, 152-ФЗ, ст. 21 ч. 5); до этого отзыв можно исправить, а обезличить "
        "раньше — на странице «Все данные об участнике»."
    ),
    Consent.Kind.DISSEMINATION: (
        "Сведения об участнике больше не публикуются: его имя сразу исчезло со всех страниц "
        "раздела «Наставничество»; проверьте, не названо ли оно в текстах новостей."
    ),
    Consent.Kind.MENTORING: (
        "Наставничество прекращается досрочно (ТК РФ, ст. 351.8): оформите прекращение "
        "дополнительного соглашения к трудовому договору."
    ),
}


def _already_active_error(existing: Consent) -> ValidationError:
    return ValidationError(
        {"kind": f"Согласие этого вида уже действует с {existing.given_on:%d.%m.%Y}."}
    )


def _dissemination_terms(
    kind: str, categories: dict[str, bool] | None, conditions: str, resource_url: str
) -> dict:
    """The fields of ст. 10.1 for a consent to dissemination: every category marked «разрешаю»
    or «не разрешаю», at least one allowed, and the site's address; nothing for other kinds."""
    if kind != Consent.Kind.DISSEMINATION:
        return {}
    categories = categories or {}
    errors = {}
    missing = [code for code in DISSEMINATION_CATEGORIES if code not in categories]
    for code in missing:
        errors[f"allows_{code}"] = "Отметьте «разрешаю» или «не разрешаю», как в бланке."
    if not missing and not any(categories.values()):
        errors["allows_name"] = (
            "Ни одна категория не разрешена: такое согласие ничего не позволяет публиковать, "
            "вносить его не нужно."
        )
    if not resource_url:
        errors["resource_url"] = "Укажите адрес сайта, как он записан в согласии."
    if errors:
        raise ValidationError(errors)
    return {
        **{f"allows_{code}": bool(categories[code]) for code in DISSEMINATION_CATEGORIES},
        "conditions": conditions.strip(),
        "resource_url": resource_url,
    }


@transaction.atomic
def consent_record(
    *,
    person: Person,
    kind: str,
    given_on: date,
    method: str,
    scan: UploadedFile | None,
    note: str,
    user,
    categories: dict[str, bool] | None = None,
    conditions: str = "",
    resource_url: str = "",
) -> Consent:
    """Records a consent the person gave; at most one of a kind is in force at a time. A consent
    to dissemination (ст. 10.1) records each category of ``DISSEMINATION_CATEGORIES`` allowed or
    refused (``categories``: code → allowed), the conditions and bans, and the site's address."""
    terms = _dissemination_terms(kind, categories, conditions, resource_url)
    existing = (
        Consent.objects.select_for_update()
        .filter(person=person, kind=kind, withdrawn_on__isnull=True)
        .first()
    )
    if existing is not None:
        raise _already_active_error(existing)
    consent = Consent(
        person=person,
        kind=kind,
        given_on=given_on,
        method=method,
        note=note,
        recorded_by=user,
        **terms,
    )
    if scan:
        consent.scan = scan
    consent.full_clean()
    try:
        with transaction.atomic():
            consent.save()
    except IntegrityError:
        # Recorded by someone else between the check and the save.
        existing = Consent.objects.get(person=person, kind=kind, withdrawn_on__isnull=True)
        raise _already_active_error(existing) from None
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, withdrawn_on: date, user) -> Consent:
    """Marks the consent withdrawn from ``withdrawn_on``. What follows from it (stopping the
    processing, anonymisation, unpublishing) is done by the workflows that own that data."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError(f"Согласие уже отозвано {consent.withdrawn_on:%d.%m.%Y}.")
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_by = user
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    return consent


@transaction.atomic
def consent_attach_scan(*, consent: Consent, scan: UploadedFile, user) -> Consent:
    """Attaches the signed scan to a consent, replacing an earlier one. The earlier file is
    deleted from storage only after the commit, so a failed save leaves the old scan whole."""
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    previous = consent.scan.name
    consent.scan = scan
    consent.full_clean()
    consent.save(update_fields=["scan"])
    if previous and previous != consent.scan.name:
        storage = consent.scan.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return consent


def section_url(institution) -> str:
    """The address of the institution's section «Наставничество», where the consent to
    dissemination lets the data be published; empty while the section has no address."""
    if not institution.public_slug:
        return ""
    return settings.SITE_URL + reverse("public:section", args=[institution.public_slug])


def consent_form_render(*, person: Person, kind: str, fmt: str = PDF) -> bytes:
    """The printable consent of ``kind`` for the person to sign (PDF, or DOCX with ``fmt``): the
    operator is the person's institution; passport data, signature and date are left blank for
    the hand."""
    context = {
        "person": person,
        "institution": person.institution,
        "position": person.position.name if person.position_id else "",
        "kind": kind,
        "categories": list(DISSEMINATION_CATEGORIES.values()),
        "section_url": section_url(person.institution),
    }
    return render_document(FORM_TEMPLATES[kind], context, fmt=fmt)
