"""The register of data subjects' written requests (152-ФЗ ст. 14, 20, 21): deadlines in working
days across the holidays, the extension by five with a reason, the answer, and overdue requests
on the curator's and the head's homes."""

from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry.models import SubjectRequest
from registry.services import subject_requests as services
from registry.services.subject_requests import (
    deadline_for,
    subject_request_answer,
    subject_request_extend,
    subject_request_record,
)

pytestmark = pytest.mark.django_db

Kind = SubjectRequest.Kind


def record(world, received_on, kind=Kind.ACCESS, person=None, name="Сидорова Нина Павловна"):
    return subject_request_record(
        institution=world.institution,
        person=person,
        subject_name=name,
        kind=kind,
        summary="Прошу сообщить, какие мои данные обрабатываются.",
        received_on=received_on,
        user=world.curator,
    )


def on_day(day):
    """Today is ``day`` for the services and the views."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


@pytest.mark.parametrize(
    ("received_on", "kind", "deadline"),
    [
        # Just before the New Year holidays: 29, 30 December, then 12–16, 19–21 January.
        (date(2025, 12, 26), Kind.ACCESS, date(2026, 1, 21)),
        # Before 8 March 2026 (a Sunday; Monday 9 March is off).
        (date(2026, 3, 6), Kind.ACCESS, date(2026, 3, 23)),
        # Across 1 May and 9 May 2026 (Monday 11 May is off).
        (date(2026, 4, 30), Kind.STOP, date(2026, 5, 18)),
        (date(2026, 4, 30), Kind.CORRECTION, date(2026, 5, 13)),
        (date(2026, 4, 30), Kind.DESTRUCTION, date(2026, 5, 13)),
        (date(2026, 4, 30), Kind.UNLAWFUL, date(2026, 5, 6)),
    ],
)
def test_deadline_in_working_days_across_holidays(world, received_on, kind, deadline):
    with on_day(date(2026, 12, 1)):
        item = record(world, received_on, kind)
    assert item.deadline == deadline == deadline_for(kind, received_on)


def test_extension_by_five_working_days_with_a_reason(world):
    with on_day(date(2026, 5, 5)):
        item = record(world, date(2026, 4, 30))
        with pytest.raises(ValidationError) as error:
            subject_request_extend(
                subject_request=item, reason="  ", on=date(2026, 5, 5), user=None
            )
        assert "Укажите причину" in str(error.value)
        item = subject_request_extend(
            subject_request=item,
            reason="Сведения хранятся в архиве, нужен запрос в архив.",
            on=date(2026, 5, 5),
            user=world.curator,
        )
    assert item.deadline == date(2026, 5, 25)  # 18 May + 19, 20, 21, 22, 25
    assert item.extended_on == date(2026, 5, 5)
    with on_day(date(2026, 5, 6)), pytest.raises(ValidationError, match="уже продлён"):
        subject_request_extend(subject_request=item, reason="ещё", on=date(2026, 5, 6), user=None)


def test_extension_refused_where_the_law_gives_none_or_after_the_deadline(world):
    with on_day(date(2026, 5, 5)):
        correction = record(world, date(2026, 4, 30), Kind.CORRECTION)
        with pytest.raises(ValidationError, match="продлевать не позволяет"):
            subject_request_extend(
                subject_request=correction, reason="много работы", on=date(2026, 5, 5), user=None
            )
    with on_day(date(2026, 5, 19)):
        late = record(world, date(2026, 4, 30))
        with pytest.raises(ValidationError, match="Срок истёк 18.05.2026"):
            subject_request_extend(
                subject_request=late, reason="архив", on=date(2026, 5, 19), user=None
            )


def test_answer_and_status(world):
    with on_day(date(2026, 3, 10)):
        item = record(world, date(2026, 3, 6))
        assert services.status_text(item) == "осталось 9 рабочих дней"
        with pytest.raises(ValidationError, match="раньше даты получения"):
            subject_request_answer(
                subject_request=item, answered_on=date(2026, 3, 5), answer="x", user=None
            )
        item = subject_request_answer(
            subject_request=item,
            answered_on=date(2026, 3, 10),
            answer="Выслан перечень обрабатываемых данных.",
            user=world.curator,
        )
    assert services.status_text(item) == "ответ дан 10.03.2026"
    with on_day(date(2026, 3, 25)):
        assert services.status_text(record(world, date(2026, 3, 6))) == (
            "просрочен на 2 рабочих дня"
        )


def test_the_person_must_be_of_the_institution(world):
    with on_day(date(2026, 3, 10)), pytest.raises(ValidationError) as error:
        record(world, date(2026, 3, 6), person=world.other_person)
    assert "не из вашего учреждения" in str(error.value)
    with on_day(date(2026, 3, 10)), pytest.raises(ValidationError, match="в будущем"):
        record(world, date(2026, 3, 11))


def test_overdue_requests_on_the_curators_and_the_heads_homes(world, as_user):
    with on_day(date(2026, 5, 1)):
        record(world, date(2026, 4, 1), name="Просроченная Анна")  # deadline 15 April
        record(world, date(2026, 4, 30), name="Свежая Ольга")  # deadline 18 May
    with on_day(date(2026, 5, 13)):
        curator_home = as_user(world.curator).get(reverse("role-home", args=["curator"]))
        labels = [c.label for c in curator_home.context["to_do"]]
        assert "запрос о персональных данных просрочен" in labels
        # 18 May is 3 working days on: due soon.
        assert "запрос о персональных данных: срок ответа истекает" in labels
        head_html = as_user(world.head).get(reverse("role-home", args=["head"])).content.decode()
        assert "запрос о персональных данных просрочен" in head_html
        overdue = as_user(world.head).get(
            reverse("registry:subject-request-list") + "?status=overdue"
        )
        html = overdue.content.decode()
        assert "Просроченная Анна" in html and "Свежая Ольга" not in html
        assert "просрочен на 18 рабочих дней" in html


def test_the_curator_records_extends_and_answers_by_the_pages(world, as_user):
    client = as_user(world.curator)
    with on_day(date(2026, 12, 28)):
        response = client.post(
            reverse("registry:subject-request-create"),
            {
                "person": world.teacher_person.pk,
                "subject_name": "",
                "kind": "access",
                "received_on": "2026-12-28",
                "summary": "Прошу выдать сведения.",
            },
        )
        item = SubjectRequest.objects.get()
        assert response.status_code == 302
        assert item.subject_name == world.teacher_person.full_name
        # 29, 30 December; 31 December 2026 and 1–10 January 2027 are off; 11–15, 18–20.
        assert item.deadline == date(2027, 1, 20)
        refused = client.post(
            reverse("registry:subject-request-extend", args=[item.pk]), {"extension_reason": ""}
        )
        assert "Укажите причину" in refused.content.decode()
        client.post(
            reverse("registry:subject-request-extend", args=[item.pk]),
            {"extension_reason": "Нужны сведения из архива"},
        )
        item.refresh_from_db()
        assert item.deadline == date(2027, 1, 27)
        client.post(
            reverse("registry:subject-request-answer", args=[item.pk]),
            {"answered_on": "2026-12-28", "answer": "Сведения выданы."},
        )
        item.refresh_from_db()
        assert item.answered_on == date(2026, 12, 28)
    # The curator of another kindergarten (the outsider) does not find it.
    outsider = as_user(world.outsider)
    assert (
        outsider.get(reverse("registry:subject-request-detail", args=[item.pk])).status_code == 404
    )
