"""«Всё обо мне» (152-ФЗ ст. 14 ч. 7) includes every record that names the person: petitions,
comments, task reports, files, meetings, agreements, survey invitations, notifications and their
written requests about their data — in a fixed number of queries."""

import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import Meeting, ProgramComment
from registry.models import Notification, Petition, SubjectRequest
from tests.programs.test_lifecycle import active_program, make_event

pytestmark = pytest.mark.django_db


def fill(world, program, n: int) -> None:
    """``n`` records of every kind naming the world's mentee."""
    person = world.mentee_person
    for i in range(n):
        ProgramComment.objects.create(program=program, author=world.mentee, text=f"Комментарий {i}")
        make_event(program, title=f"Мероприятие {i}", mentee_report=f"Отчёт о задании {i}",
                   reported_at=timezone.now())  # fmt: skip
        meeting = Meeting.objects.create(
            program=program, starts_at=timezone.now() - timedelta(days=i), topic=f"Встреча {i}"
        )
        meeting.attendees.add(person)
        Notification.objects.create(user=world.mentee, text=f"Уведомление {i}")
        SubjectRequest.objects.create(
            institution=world.institution,
            person=person,
            subject_name=person.full_name,
            kind=SubjectRequest.Kind.ACCESS,
            summary=f"Запрос {i}",
            received_on=date(2026, 3, 2),
            deadline=date(2026, 3, 16),
        )
    Petition.objects.create(
        group=program.group,
        kind=Petition.Kind.REPLACE_MENTOR,
        author=person,
        text=f"Ходатайство {n}",
        status=Petition.Status.REJECTED,
    )


def test_the_export_holds_every_record_naming_the_person(as_user, world):
    program = active_program(world)
    fill(world, program, 1)
    response = as_user(world.mentee).get(
        reverse("registry:person-data-json", args=[world.mentee_person.pk])
    )
    data = json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    sections = {
        s["title"]: " ".join(r["value"] + r["field"] for r in s["rows"]) for s in data["sections"]
    }
    assert "Ходатайство 1" in sections["Ходатайства"]
    assert "Комментарий 0" in sections["Комментарии к программам"]
    assert "Отчёт о задании 0" in sections["Отчёты о выполнении мероприятий"]
    assert "Встреча 0" in sections["Встречи"]
    assert "Уведомление 0" in sections["Уведомления"]
    assert "Запрос 0" in sections["Запросы о персональных данных"]
    # The mentor's page of the same data does not hold the mentee's task reports as hers.
    mentor_data = as_user(world.curator).get(
        reverse("registry:person-data-json", args=[world.mentor_person.pk])
    )
    body = b"".join(mentor_data.streaming_content) if mentor_data.streaming else mentor_data.content
    assert "Отчёт о задании 0" not in body.decode()


def test_the_export_takes_the_same_queries_at_two_sizes(as_user, world):
    program = active_program(world)
    fill(world, program, 1)
    client = as_user(world.mentee)
    url = reverse("registry:person-data", args=[world.mentee_person.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    fill(world, program, 5)
    client.get(url)  # the notifications of the new rows forgot the cached menu: read it again
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert "Отчёт о задании 4" in response.content.decode()
    assert len(large) == len(small)
