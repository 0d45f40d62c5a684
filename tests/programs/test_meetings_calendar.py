"""Meetings (the schedule, attendance and the journal) and the iCalendar: the writer
(RFC 5545), the download, the private feed and its token."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from programs.access import ProgramAccess
from programs.models import CalendarFeed, Meeting, Program, ProgramEvent
from programs.services.calendar import (
    CalendarEvent,
    calendar_feed_rotate,
    escape_text,
    fold,
    render_calendar,
    user_calendar,
)
from registry.models import GroupMember, MentoringGroup, Notification
from tests.download_helpers import download_name
from tests.factories import make_mentee, make_mentor, make_person, make_user
from tests.programs.test_lifecycle import active_program, make_event, today

pytestmark = pytest.mark.django_db

BASE = "https://nastavnik.example.ru"


@pytest.fixture
def program(world):
    return active_program(world)


def at(day: date, hour: int = 14, minute: int = 5) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def make_meeting(program, starts_at=None, **fields) -> Meeting:
    values = {"topic": "Планирование НОД", "place": "Методический кабинет"}
    values.update(fields)
    starts_at = starts_at or at(today() + timedelta(days=3))
    return Meeting.objects.create(program=program, starts_at=starts_at, **values)


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


# --- The writer -----------------------------------------------------------------------------


def test_text_values_escape_commas_semicolons_backslashes_and_newlines():
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_long_lines_fold_at_75_octets_without_cutting_a_letter():
    line = "SUMMARY:" + "Планирование НОД " * 20
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert unfold(folded) == line  # every part decodes: no letter cut in two


def test_a_short_line_is_not_folded():
    assert fold("VERSION:2.0") == "VERSION:2.0"


def test_the_calendar_uses_crlf_and_utc_and_all_day_deadlines():
    moment = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)
    text = render_calendar(
        [
            CalendarEvent(
                uid="meeting-7@mentoring",
                summary="Встреча: анализ, итоги; план",
                start=moment,
                end=moment + timedelta(minutes=45),
                location="Кабинет 2",
            ),
            CalendarEvent(
                uid="event-9@mentoring",
                summary="Срок: конспект",
                start=date(2026, 12, 1),
                end=date(2026, 12, 2),
            ),
        ],
        now=moment,
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "X-WR-CALNAME:Наставничество\r\n" in text
    assert "UID:meeting-7@mentoring\r\n" in text
    assert "DTSTAMP:20261124T140500Z\r\n" in text
    assert "DTSTART:20261124T140500Z\r\nDTEND:20261124T145000Z\r\n" in text
    assert "SUMMARY:Встреча: анализ\\, итоги\\; план\r\n" in text
    assert "DTSTART;VALUE=DATE:20261201\r\nDTEND;VALUE=DATE:20261202\r\n" in text
    assert text.count("BEGIN:VEVENT") == 2 == text.count("END:VEVENT")


def test_a_moscow_meeting_is_written_in_utc(program):
    meeting = make_meeting(program, starts_at=at(program.start + timedelta(days=1), 14, 5))
    text = unfold(user_calendar(program.group.curator, base_url=BASE))
    assert f"DTSTART:{meeting.starts_at.astimezone(UTC):%Y%m%dT%H%M%S}Z" in text
    assert f"{program.start + timedelta(days=1):%Y%m%d}T110500Z" in text  # 14:05 MSK


# --- A person's calendar --------------------------------------------------------------------


def test_my_calendar_holds_my_meetings_and_open_deadlines(world, program, as_user):
    meeting = make_meeting(program, topic="Анализ НОД, итоги")
    event = make_event(program, title="Конспект занятия")
    make_event(program, title="Уже сделано", status=ProgramEvent.Status.DONE)
    response = as_user(world.mentee).get(reverse("programs:my-calendar"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert download_name(response) == "Календарь встреч.ics"
    text = unfold(response.content.decode())
    assert f"UID:meeting-{meeting.pk}@mentoring" in text
    assert "SUMMARY:Встреча наставничества: Анализ НОД\\, итоги" in text
    assert f"UID:event-{event.pk}@mentoring" in text
    assert f"DTSTART;VALUE=DATE:{event.deadline:%Y%m%d}" in text
    assert "Уже сделано" not in text


def test_my_calendar_leaves_out_other_pairs(world, program, as_user):
    make_meeting(program, topic="Наша встреча")
    other_mentor = make_person(world.institution, "Другова")
    make_mentor(other_mentor)
    other_mentee = make_person(world.institution, "Другая")
    make_mentee(other_mentee)
    user_b = make_user(world.institution, "mentor_b", person=other_mentor)
    group_b = MentoringGroup.objects.create(
        institution=world.institution,
        status=MentoringGroup.Status.ACTIVE,
        form=program.group.form,
        planned_start=program.start,
        planned_end=program.end,
        curator=world.sysadmin,
    )
    for person, role in [(other_mentor, "mentor"), (other_mentee, "mentee")]:
        GroupMember.objects.create(group=group_b, person=person, role=role, response="confirmed")
    program_b = active_program(world, group=group_b)
    make_meeting(program_b, topic="Чужая встреча")

    mine = unfold(as_user(world.mentor).get(reverse("programs:my-calendar")).content.decode())
    assert "Наша встреча" in mine and "Чужая встреча" not in mine
    theirs = unfold(as_user(user_b).get(reverse("programs:my-calendar")).content.decode())
    assert "Чужая встреча" in theirs and "Наша встреча" not in theirs
    # The curator of a group sees its program; a head without groups sees none.
    curated = unfold(user_calendar(world.curator, base_url=BASE))
    assert "Наша встреча" in curated and "Чужая встреча" not in curated
    assert "VEVENT" not in user_calendar(world.head, base_url=BASE)


def test_a_finished_program_keeps_only_the_meetings_held(world, program):
    make_meeting(program, topic="Проведённая", held=True, starts_at=at(program.start))
    make_meeting(program, topic="Несостоявшаяся")
    make_event(program, title="Открытое мероприятие")
    Program.objects.filter(pk=program.pk).update(
        status=Program.Status.TERMINATED, finished_on=today(), reason=Program.Reason.MUTUAL
    )
    text = unfold(user_calendar(world.mentee, base_url=BASE))
    assert "Проведённая" in text
    assert "Несостоявшаяся" not in text and "Открытое мероприятие" not in text


def test_my_calendar_needs_a_login(client):
    response = client.get(reverse("programs:my-calendar"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- The private feed -----------------------------------------------------------------------


def test_the_feed_works_without_a_login(client, world, program):
    make_meeting(program, topic="Встреча по ссылке")
    feed = calendar_feed_rotate(user=world.mentee)
    response = client.get(reverse("programs:calendar-feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Встреча по ссылке" in unfold(response.content.decode())


def test_a_wrong_token_is_404(client, world):
    calendar_feed_rotate(user=world.mentee)
    assert client.get(reverse("programs:calendar-feed", args=["nope"])).status_code == 404


def test_a_rotated_token_kills_the_old_url(client, world):
    old = calendar_feed_rotate(user=world.mentee).token
    new = calendar_feed_rotate(user=world.mentee).token
    assert old != new
    assert CalendarFeed.objects.filter(user=world.mentee).count() == 1
    assert client.get(reverse("programs:calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("programs:calendar-feed", args=[new])).status_code == 200


def test_a_deactivated_users_feed_is_404(client, world):
    feed = calendar_feed_rotate(user=world.mentee)
    world.mentee.is_active = False
    world.mentee.save()
    assert client.get(reverse("programs:calendar-feed", args=[feed.token])).status_code == 404


def test_reset_creates_the_feed_and_shows_its_url(world, program, as_user):
    client = as_user(world.mentor)
    url = reverse("programs:calendar-reset")
    assert client.get(url).status_code == 405
    back = reverse("programs:program-detail", args=[program.pk])
    response = client.post(url, {"next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    feed = CalendarFeed.objects.get(user=world.mentor)
    response = client.post(url, {"next": "https://evil.example.org/"}, follow=True)
    assert response.redirect_chain[0][0] == reverse("home")
    text = " ".join(str(m) for m in response.context["messages"])
    new_token = CalendarFeed.objects.get(user=world.mentor).token
    assert new_token != feed.token
    assert reverse("programs:calendar-feed", args=[new_token]) in text
    assert "Прежняя ссылка больше не работает" in text


def test_reset_needs_a_login(client):
    response = client.post(reverse("programs:calendar-reset"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not CalendarFeed.objects.exists()


# --- Meetings: views ------------------------------------------------------------------------


def create_url(program):
    return reverse("programs:meeting-create", args=[program.pk])


def meeting_data(day, **changes):
    data = {
        "date": day.isoformat(),
        "time": "14:05",
        "duration_minutes": 45,
        "place": "Методический кабинет",
        "topic": "Планирование НОД",
    }
    data.update(changes)
    return data


def test_the_mentor_schedules_a_meeting(world, program, as_user):
    client = as_user(world.mentor)
    assert client.get(create_url(program)).status_code == 200
    day = today() + timedelta(days=7)
    response = client.post(create_url(program), meeting_data(day))
    assert response.status_code == 302
    meeting = program.meetings.get()
    assert timezone.localtime(meeting.starts_at) == timezone.localtime(at(day))
    assert meeting.held is False
    note = Notification.objects.get(user=world.mentee, text__contains="Назначена встреча")
    assert f"по программе «{program.group.title}»" in note.text


def test_a_meeting_outside_the_term_is_refused_next_to_the_date(world, program, as_user):
    day = program.end + timedelta(days=1)
    response = as_user(world.curator).post(create_url(program), meeting_data(day))
    assert response.status_code == 200
    error = response.context["form"].errors["date"][0]
    assert error == (
        f"Встреча должна быть в сроке программы: с {program.start:%d.%m.%Y} "
        f"по {program.end:%d.%m.%Y}."
    )
    assert not program.meetings.exists()


def test_a_future_meeting_cannot_be_marked_held(world, program, as_user):
    data = meeting_data(today() + timedelta(days=2), held="on")
    response = as_user(world.mentor).post(create_url(program), data)
    assert response.status_code == 200
    assert "ещё не прошла" in response.context["form"].errors["held"][0]
    assert not program.meetings.exists()


def test_the_journal_records_attendance_content_and_a_task(world, program, as_user):
    meeting = make_meeting(program, starts_at=at(today() - timedelta(days=1)))
    url = reverse("programs:meeting-update", args=[meeting.pk])
    client = as_user(world.mentor)
    response = client.get(url)
    assert response.status_code == 200
    assert "Иванова Анна Сергеевна" in response.content.decode()  # the attendance checkboxes
    data = meeting_data(
        today() - timedelta(days=1),
        held="on",
        attendees=[world.mentor_person.pk, world.mentee_person.pk],
        content="Разобрали конспект",
        result="План на месяц",
        task="Составить конспект НОД",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.held is True
    assert meeting.task == "Составить конспект НОД"
    assert set(meeting.attendees.all()) == {world.mentor_person, world.mentee_person}
    assert Notification.objects.filter(user=world.mentee, text__contains="Составить конспект")


def test_attendance_only_for_a_meeting_that_took_place(world, program, as_user):
    meeting = make_meeting(program, starts_at=at(today() - timedelta(days=1)))
    url = reverse("programs:meeting-update", args=[meeting.pk])
    data = meeting_data(today() - timedelta(days=1), attendees=[world.mentee_person.pk])
    response = as_user(world.mentor).post(url, data)
    assert response.status_code == 200
    assert "Встреча состоялась" in response.context["form"].errors["attendees"][0]
    assert not meeting.attendees.exists()


def test_only_group_members_can_be_marked_present(world, program, as_user):
    meeting = make_meeting(program, starts_at=at(today() - timedelta(days=1)))
    url = reverse("programs:meeting-update", args=[meeting.pk])
    data = meeting_data(today() - timedelta(days=1), held="on", attendees=[world.teacher_person.pk])
    response = as_user(world.mentor).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["attendees"]
    assert not meeting.attendees.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("mentee", 403), ("head", 403), ("council", 403), ("teacher", 404), ("outsider", 404)],
)
def test_who_may_not_schedule_meetings(world, program, as_user, role, status):
    response = as_user(getattr(world, role)).post(
        create_url(program), meeting_data(today() + timedelta(days=3))
    )
    assert response.status_code == status
    assert not program.meetings.exists()


@pytest.mark.parametrize(("role", "status"), [("mentee", 403), ("outsider", 404)])
def test_who_may_not_edit_a_meeting(world, program, as_user, role, status):
    meeting = make_meeting(program)
    url = reverse("programs:meeting-update", args=[meeting.pk])
    assert as_user(getattr(world, role)).get(url).status_code == status


def test_meetings_need_a_login(client, world, program):
    response = client.get(create_url(program))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_draft_has_no_meetings_yet(world, as_user):
    draft = active_program(world, status=Program.Status.DRAFT)
    response = as_user(world.mentor).get(create_url(draft), follow=True)
    assert "черновик" in response.content.decode()
    assert not draft.meetings.exists()


# --- The meetings part of the program page --------------------------------------------------


def render_meetings(world, program, user, member=None, is_curator=False):
    request = RequestFactory().get(reverse("programs:program-detail", args=[program.pk]))
    request.user = user
    access = ProgramAccess(
        status=program.status, member=member, is_staff=is_curator, is_curator=is_curator
    )
    meetings = list(program.meetings.prefetch_related("attendees"))
    return render_to_string(
        "programs/_meetings.html",
        {"program": program, "access": access, "meetings": meetings},
        request=request,
    )


def test_the_page_lists_upcoming_meetings_first_and_the_journal(world, program):
    held = make_meeting(
        program, topic="Первая встреча", held=True, starts_at=at(program.start), task="Конспект"
    )
    held.attendees.set([world.mentee_person])
    make_meeting(program, topic="Без журнала", starts_at=at(today() - timedelta(days=1)))
    make_meeting(program, topic="Следующая встреча")
    html = render_meetings(world, program, world.curator, is_curator=True)
    assert html.index("Следующая встреча") < html.index("Без журнала") < html.index("Первая")
    assert "журнал не заполнен" in html
    assert "Иванова А. С." in html and "Конспект" in html
    assert create_url(program) in html
    assert reverse("programs:my-calendar") in html
    assert "Получить ссылку для подписки" in html


def test_the_mentee_reads_meetings_and_sees_their_feed_url(world, program):
    meeting = make_meeting(program, topic="Следующая встреча")
    feed = calendar_feed_rotate(user=world.mentee)
    mentee = GroupMember.objects.get(group=program.group, person=world.mentee_person)
    html = render_meetings(world, program, world.mentee, member=mentee)
    assert "Следующая встреча" in html
    assert create_url(program) not in html
    assert reverse("programs:meeting-update", args=[meeting.pk]) not in html
    assert reverse("programs:calendar-feed", args=[feed.token]) in html
    assert "Сменить ссылку" in html


# --- Absolute links: from the request unless SITE_URL is set (issue 22) ----------------------


def test_the_calendar_links_to_the_address_the_registry_is_served_at(
    world, program, as_user, settings
):
    settings.SITE_URL_IS_SET = False
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = ["nastavnik.sad64.ru"]
    make_meeting(program, topic="Встреча по ссылке")
    client = as_user(world.mentee)

    text = unfold(
        client.get(reverse("programs:my-calendar"), HTTP_HOST="nastavnik.sad64.ru").content.decode()
    )

    page = f"URL:http://nastavnik.sad64.ru{reverse('programs:program-detail', args=[program.pk])}"
    assert page in text
    assert "127.0.0.1:8000" not in text


def test_the_feed_and_its_address_follow_the_request_too(world, program, as_user, settings):
    settings.SITE_URL_IS_SET = False
    settings.ALLOWED_HOSTS = ["nastavnik.sad64.ru"]
    make_meeting(program, topic="Встреча по ссылке")
    client = as_user(world.mentor)

    response = client.post(
        reverse("programs:calendar-reset"),
        {"next": "/"},
        HTTP_HOST="nastavnik.sad64.ru",
        follow=True,
    )
    feed = CalendarFeed.objects.get(user=world.mentor)
    shown = " ".join(str(m) for m in response.context["messages"])
    feed_path = reverse("programs:calendar-feed", args=[feed.token])
    assert f"http://nastavnik.sad64.ru{feed_path}" in shown
    text = unfold(client.get(feed_path, HTTP_HOST="nastavnik.sad64.ru").content.decode())
    assert "http://nastavnik.sad64.ru/programs/" in text


def test_a_site_url_set_in_the_environment_wins(world, program, as_user, settings):
    settings.SITE_URL_IS_SET = True
    settings.SITE_URL = BASE
    settings.ALLOWED_HOSTS = ["internal-host"]
    make_meeting(program, topic="Встреча по ссылке")

    response = as_user(world.mentee).get(reverse("programs:my-calendar"), HTTP_HOST="internal-host")

    text = unfold(response.content.decode())
    assert f"URL:{BASE}{reverse('programs:program-detail', args=[program.pk])}" in text
    assert "internal-host" not in text


def test_a_meeting_whose_time_has_passed_today_is_not_upcoming(world, program):
    now = timezone.now()
    earlier = make_meeting(program, topic="Утренняя встреча", starts_at=now - timedelta(minutes=5))
    later = make_meeting(program, topic="Следующая встреча", starts_at=now + timedelta(hours=1))
    make_meeting(program, topic="Уже записанная", starts_at=now + timedelta(minutes=30), held=True)

    assert list(Meeting.objects.upcoming(now)) == [later]
    assert not earlier.is_upcoming(now) and later.is_upcoming(now)


def test_the_mentees_home_leaves_out_a_meeting_held_earlier_today(world, program, as_user):
    now = timezone.now()
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    make_meeting(
        program, topic="Утренняя встреча", starts_at=max(midnight, now - timedelta(minutes=5))
    )
    make_meeting(program, topic="Следующая встреча", starts_at=now + timedelta(days=2))

    page = as_user(world.mentee).get(reverse("home"), follow=True).content.decode()

    assert "Ближайшие встречи" in page
    assert "Следующая встреча" in page
    assert "Утренняя встреча" not in page
