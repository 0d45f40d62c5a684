"""Workflows of the banks that write several rows (STYLE.md «Models»)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from mentoring_site.lib.versions import check_version
from registry.models import (
    Competence,
    Consent,
    Difficulty,
    MenteeProfile,
    MentorProfile,
    Person,
)


def person_review(*, person: Person, user) -> Person:
    """п. 3.3: the curator brings each entry up to date at least once a year."""
    person.last_reviewed_on = timezone.localdate()
    person.last_reviewed_by = user
    person.full_clean()
    person.save(update_fields=["last_reviewed_on", "last_reviewed_by", "updated_at"])
    return person


def _ensure_processing_consent(*, person: Person, given_on: date | None, method: str, user):
    if Consent.objects.active().filter(person=person, kind=Consent.Kind.PROCESSING).exists():
        return
    if given_on is None:
        raise ValueError("A bank entry needs a processing consent (152-ФЗ ст. 9).")
    consent = Consent(
        person=person,
        kind=Consent.Kind.PROCESSING,
        given_on=given_on,
        method=method,
        recorded_by=user,
    )
    consent.full_clean()
    consent.save()


@transaction.atomic
def person_update(*, form, version: str | None = None) -> Person:
    """Saves a person's card (a valid ``PersonForm``) unless someone saved it since
    ``version`` was read (``StaleVersion``: nothing is saved)."""
    current = Person.objects.select_for_update().get(pk=form.instance.pk)
    check_version(current, version, form.version_fields)
    return form.save()


@transaction.atomic
def bank_entry_save(
    *,
    person: Person,
    form,
    rows,
    consent_given_on,
    consent_method,
    user,
    version: str | None = None,
) -> MenteeProfile | MentorProfile:
    """Creates or updates a mentee or mentor bank entry (the profile form) with its rows
    (difficulties or competences); records the processing consent first when the person
    has none, since nobody enters a bank without it (152-ФЗ ст. 9). A change is refused
    (``StaleVersion``) when someone saved the entry or its rows since ``version``."""
    if form.instance.pk is not None:
        current = type(form.instance).objects.select_for_update().get(pk=form.instance.pk)
        check_version(current, version, form.version_fields, form.version_rows)
    _ensure_processing_consent(
        person=person, given_on=consent_given_on, method=consent_method, user=user
    )
    profile = form.save(commit=False)
    profile.person = person
    profile.full_clean()
    profile.save()
    form.save_m2m()
    rows.instance = profile
    rows.save()
    return profile


def with_direction_names(people, bank: str) -> list[Person]:
    """The people of a bank list's page (``bank``: «mentors» or «mentees») with
    ``direction_names`` set: the directions of the mentors' competences or of the mentees'
    difficulties in their order, read as one query of values (issue 21), not as the profiles'
    prefetched rows."""
    people = list(people)
    if bank == "mentors":
        profiles = {person.mentor_profile.pk: person for person in people}
        rows = Competence.objects.filter(mentor__in=profiles).values_list(
            "mentor", "direction__name"
        )
    else:
        profiles = {person.mentee_profile.pk: person for person in people}
        rows = Difficulty.objects.filter(mentee__in=profiles).values_list(
            "mentee", "direction__name"
        )
    for person in people:
        person.direction_names = []
    for profile_id, name in rows:
        profiles[profile_id].direction_names.append(name)
    return people
