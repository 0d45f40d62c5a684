"""152-ФЗ ст. 21 in the demo: one teacher withdrew the processing consent two days ago (she waits
for anonymization on the curator's home), another forty days ago (anonymized by the daily task,
with act № 1)."""

from datetime import date, timedelta

from registry.models import Consent, Organization, Person
from registry.services.personal_data import person_anonymize


def withdraw_consents(*, institution: Organization, today: date) -> None:
    for last_name, days in (("Воробьёва", 2), ("Виноградова", 40)):
        person = Person.objects.get(institution=institution, last_name=last_name)
        Consent.objects.update_or_create(
            person=person,
            kind=Consent.Kind.PROCESSING,
            defaults={
                "given_on": date(2025, 9, 1),
                "withdrawn_on": today - timedelta(days=days),
                "note": "Письменное заявление об отзыве",
            },
        )
        if days > 30:
            person_anonymize(person=person, on=today - timedelta(days=days - 7))
