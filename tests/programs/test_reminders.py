"""The daily reminders (`manage.py send_reminders`): deadlines a few days ahead, overdue events,
once per day. Tests pin the day with --today YYYY-MM-DD."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Program, ProgramEvent
from registry.models import Notification
from tests.programs.test_execution import make_event, make_program, other_pair
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

Status = ProgramEvent.Status
Responsible = ProgramEvent.Responsible
DAY = date(2026, 11, 24)


def run(on: date = DAY, *args) -> str:
    out = StringIO()
    call_command("send_reminders", "--today", on.isoformat(), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def program(world):
    for user, email in [
        (world.mentor, "petrova@example.org"),
        (world.mentee, "ivanova@example.org"),
        (world.curator, "curator@example.org"),
    ]:
        user.email = email
        user.save()
    return make_program(world)


def texts(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


def test_responsible_people_are_reminded_three_days_ahead(
    world, program, django_capture_on_commit_callbacks
):
    event = make_event(program, "Открытый просмотр НОД", deadline=DAY + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert "напоминаний о сроках — 1, просроченных мероприятий — 0" in out
    expected = "Через 3 дн. срок мероприятия «Открытый просмотр НОД» (27.11.2026)"
    assert texts(world.mentor)[0].startswith(expected)
    assert texts(world.mentee)[0].startswith(expected)
    assert not texts(world.curator)
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["ivanova@example.org", "petrova@example.org"]
    assert "Открытый просмотр НОД" in mail.outbox[0].body
    event.refresh_from_db()
    assert event.reminded_on == DAY
    assert event.status == Status.PLANNED


@pytest.mark.parametrize(
    ("responsible", "told", "not_told"),
    [(Responsible.MENTOR, "mentor", "mentee"), (Responsible.MENTEE, "mentee", "mentor")],
)
def test_only_the_responsible_side_is_reminded(world, program, responsible, told, not_told):
    make_event(program, deadline=DAY + timedelta(days=1), responsible=responsible)
    run()
    assert texts(getattr(world, told))[0].startswith("Завтра срок мероприятия")
    assert not texts(getattr(world, not_told))


def test_a_deadline_further_away_waits_unless_days_say_so(world, program):
    event = make_event(program, deadline=DAY + timedelta(days=5))
    run()
    assert not Notification.objects.exists()
    run(DAY, "--days", "5")
    assert texts(world.mentor)[0].startswith("Через 5 дн. срок мероприятия")
    event.refresh_from_db()
    assert event.reminded_on == DAY


def test_a_deadline_is_reminded_once_per_window(world, program):
    make_event(program, deadline=DAY + timedelta(days=3))
    run()
    run(DAY + timedelta(days=1))
    run(DAY + timedelta(days=2))
    assert len(texts(world.mentor)) == 1


def test_a_moved_deadline_is_reminded_again(world, program):
    event = make_event(program, deadline=DAY + timedelta(days=3))
    run()
    ProgramEvent.objects.filter(pk=event.pk).update(deadline=DAY + timedelta(days=10))
    run(DAY + timedelta(days=8))
    assert len(texts(world.mentor)) == 2


def test_an_event_past_its_deadline_becomes_overdue_and_mentor_and_curator_are_told(
    world, program, django_capture_on_commit_callbacks
):
    event = make_event(program, "Мастер-класс", deadline=DAY - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert "просроченных мероприятий — 1" in out
    event.refresh_from_db()
    assert event.status == Status.OVERDUE
    assert event.reminded_on == DAY
    assert texts(world.mentor)[0].startswith("Мероприятие просрочено: «Мастер-класс»")
    assert texts(world.curator)[0].startswith("Мероприятие просрочено")
    assert not texts(world.mentee)
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["curator@example.org", "petrova@example.org"]


def test_a_second_run_the_same_day_sends_nothing(
    world, program, django_capture_on_commit_callbacks
):
    make_event(program, "Скоро", deadline=DAY + timedelta(days=2))
    make_event(program, "Поздно", deadline=DAY - timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        run()
    run_tasks()
    notes, letters = Notification.objects.count(), len(mail.outbox)
    assert notes == 4 and letters == 4
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert "напоминаний о сроках — 0, просроченных мероприятий — 0" in out
    assert Notification.objects.count() == notes
    run_tasks()
    assert len(mail.outbox) == letters


def test_an_overdue_event_is_flagged_once_even_when_reopened(world, program):
    event = make_event(program, deadline=DAY - timedelta(days=1))
    run()
    # The mentor reopens it («выполняется»): the next days do not flag it again.
    ProgramEvent.objects.filter(pk=event.pk).update(status=Status.IN_PROGRESS)
    run(DAY + timedelta(days=1))
    event.refresh_from_db()
    assert event.status == Status.IN_PROGRESS
    assert len(texts(world.mentor)) == 1


@pytest.mark.parametrize("status", [Status.DONE, Status.CANCELLED, Status.OVERDUE])
def test_closed_and_already_overdue_events_are_left_alone(world, program, status):
    make_event(program, deadline=DAY - timedelta(days=1), status=status)
    make_event(program, deadline=DAY + timedelta(days=1), status=status)
    run()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("status", [Program.Status.DRAFT, Program.Status.COMPLETED])
def test_events_of_programs_not_in_progress_are_left_alone(world, status):
    program = make_program(world, status=status)
    event = make_event(program, deadline=DAY - timedelta(days=1))
    make_event(program, deadline=DAY + timedelta(days=1))
    run()
    assert not Notification.objects.exists()
    event.refresh_from_db()
    assert event.status == Status.PLANNED


def test_a_member_who_left_the_group_is_not_told(world, program):
    program.group.members.filter(role="mentee").update(left_on=DAY - timedelta(days=10))
    make_event(program, deadline=DAY + timedelta(days=1))
    run()
    assert not texts(world.mentee)
    assert texts(world.mentor)


def test_a_malformed_day_is_refused():
    with pytest.raises(CommandError, match="ГГГГ-ММ-ДД"):
        call_command("send_reminders", "--today", "24.11.2026", stdout=StringIO())


def reminder_queries(world, events: int) -> int:
    for n in range(events):
        group, _, _ = other_pair(world, suffix=f"r{events}-{n}")
        program = make_program(world, group=group)
        make_event(program, f"Скоро {n}", deadline=DAY + timedelta(days=1))
        make_event(program, f"Поздно {n}", deadline=DAY - timedelta(days=1))
    with CaptureQueriesContext(connection) as queries:
        run()
    ProgramEvent.objects.all().delete()
    return len(queries)


def test_reminders_fetch_in_bulk_and_write_one_notification_batch_per_event(world):
    few, many = reminder_queries(world, 5), reminder_queries(world, 50)
    # Fetching and updating are bulk; each event costs only the insert of its notifications.
    assert many - few == (50 - 5) * 2
