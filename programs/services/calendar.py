"""Meetings of a program and the iCalendar (RFC 5545) of a person's meetings and deadlines.

The writer is small on purpose: a calendar here is a list of VEVENTs — meetings with a time,
event deadlines as all-day events — and RFC 5545 asks only for CRLF line endings, lines
folded at 75 octets, escaped text values and UTC times. A library would add a dependency
for these forty lines.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib.versions import check_version
from programs.models import CalendarFeed, Meeting, Program, ProgramEvent, new_token
from registry.models import GroupMember, User
from registry.services.notifications import notify

CALENDAR_NAME = "Наставничество"
PRODID = "-//Mentoring registry//RU"
LINE_OCTETS = 75
# What the meeting form changes, checked against the version the editor saw.
MEETING_VERSION_FIELDS = (
    "starts_at",
    "duration_minutes",
    "place",
    "topic",
    "held",
    "content",
    "result",
    "task",
    "attendees",
)

# --- The writer ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT: a meeting (start is an aware datetime) or a deadline (start is a date)."""

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date
    description: str = ""
    location: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    for char, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        value = value.replace(char, escaped)
    return value


def fold(line: str) -> str:
    """Splits a content line into lines of at most 75 octets (RFC 5545 §3.1): each further
    line starts with a space; a UTF-8 character is never cut in two."""
    parts = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode())
        if size + octets > LINE_OCTETS:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += octets
    parts.append(current)
    return "\r\n".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: datetime | date) -> str:
    if isinstance(value, datetime):
        return f"{name}:{_utc(value)}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def render_calendar(
    events: list[CalendarEvent], *, name: str = CALENDAR_NAME, now: datetime | None = None
) -> str:
    """The text of a VCALENDAR with the events, CRLF line endings throughout."""
    stamp = _utc(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            _when("DTSTART", event.start),
            _when("DTEND", event.end),
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


# --- A person's calendar --------------------------------------------------------------------

OPEN_EVENT_STATUSES = (
    ProgramEvent.Status.PLANNED,
    ProgramEvent.Status.IN_PROGRESS,
    ProgramEvent.Status.OVERDUE,
)
FINISHED = (Program.Status.COMPLETED, Program.Status.TERMINATED)


def calendar_programs(user: User):
    """The programs whose meetings and deadlines the user sees in their calendar: those of
    the groups they are a member of, and for a curator those of the groups they curate."""
    if user.institution_id is None:
        return Program.objects.none()
    in_group = Q(
        group__members__person__user=user,
        group__members__left_on__isnull=True,
    )
    return (
        Program.objects.filter(
            in_group | Q(group__curator=user),
            group__institution_id=user.institution_id,
            status__in=(Program.Status.ACTIVE, *FINISHED),
        )
        .distinct()
        .prefetch_related(
            Prefetch("group__members", queryset=GroupMember.objects.select_related("person"))
        )
    )


def _program_url(program: Program, base_url: str) -> str:
    return base_url + reverse("programs:program-detail", args=[program.pk])


def meeting_event(meeting: Meeting, program: Program, base_url: str) -> CalendarEvent:
    details = [f"Программа: {program.group.title}"]
    if meeting.task:
        details.append(f"Задание наставляемому: {meeting.task}")
    return CalendarEvent(
        uid=f"meeting-{meeting.pk}@mentoring",
        summary=f"Встреча наставничества: {meeting.topic}",
        start=meeting.starts_at,
        end=meeting.starts_at + timedelta(minutes=meeting.duration_minutes),
        description="\n".join(details),
        location=meeting.place,
        url=_program_url(program, base_url),
    )


def deadline_event(event: ProgramEvent, program: Program, base_url: str) -> CalendarEvent:
    details = [
        f"Программа: {program.group.title}",
        f"Ответственный: {event.get_responsible_display()}",
    ]
    if event.expected_result:
        details.append(f"Ожидаемый результат: {event.expected_result}")
    return CalendarEvent(
        uid=f"event-{event.pk}@mentoring",
        summary=f"Срок: {event.title}",
        start=event.deadline,
        end=event.deadline + timedelta(days=1),
        description="\n".join(details),
        url=_program_url(program, base_url),
    )


def user_calendar(user: User, *, base_url: str) -> str:
    """The user's meetings and the deadlines of the open events of their active programs.
    Of a finished program only the meetings that took place stay. ``base_url``: the registry's
    address the links start with (``mentoring_site.lib.site.site_url``)."""
    programs = {p.pk: p for p in calendar_programs(user)}
    active = [pk for pk, p in programs.items() if p.status == Program.Status.ACTIVE]
    meetings = Meeting.objects.filter(
        Q(program_id__in=active) | Q(program_id__in=programs, held=True)
    ).order_by("starts_at", "id")
    deadlines = ProgramEvent.objects.filter(
        program_id__in=active, status__in=OPEN_EVENT_STATUSES
    ).order_by("deadline", "id")
    events = [meeting_event(m, programs[m.program_id], base_url) for m in meetings]
    events += [deadline_event(e, programs[e.program_id], base_url) for e in deadlines]
    return render_calendar(events)


@transaction.atomic
def calendar_feed_rotate(*, user: User) -> CalendarFeed:
    """Creates the user's private feed or gives it a new token: the old URL stops working."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed(user=user)
    else:
        feed.token = new_token()
    feed.full_clean()
    feed.save()
    return feed


def feed_url(feed: CalendarFeed, *, base_url: str) -> str:
    return base_url + reverse("programs:calendar-feed", args=[feed.token])


# --- Meetings -------------------------------------------------------------------------------


@transaction.atomic
def meeting_save(
    *,
    program: Program,
    meeting: Meeting,
    attendees: list,
    user: User,
    version: str | None = None,
) -> Meeting:
    """Schedules a meeting or records it in the journal. The other members hear of a new
    meeting and of a task given to the mentee. A change is refused (``StaleVersion``) when
    someone saved the meeting since ``version`` (the mentor and the curator both keep it)."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.status != Program.Status.ACTIVE:
        raise ValidationError(
            "Встречи назначают и отмечают в утверждённой, выполняемой программе: сейчас она "
            f"«{program.get_status_display()}»."
        )
    is_new = meeting.pk is None
    if not is_new:
        stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
        check_version(stored, version, MEETING_VERSION_FIELDS)
    previous_task = "" if is_new else stored.task
    meeting.program = program
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees if meeting.held else [])
    members = GroupMember.objects.filter(
        group_id=program.group_id, left_on__isnull=True, person__user__isnull=False
    ).select_related("person__user")
    others = [m for m in members if m.person.user_id != user.pk]
    mentees = [m.person.user for m in others if m.role == GroupMember.Role.MENTEE]
    url = reverse("programs:program-detail", args=[program.pk]) + "#meetings"
    when = timezone.localtime(meeting.starts_at)
    pair = program.group.title
    if is_new and not meeting.held:
        notify(
            users=[m.person.user for m in others],
            text=f"Назначена встреча {when:%d.%m.%Y %H:%M} по программе «{pair}»: {meeting.topic}",
            url=url,
        )
    if meeting.task and meeting.task != previous_task:
        notify(
            users=mentees,
            text=f"Задание по итогам встречи {when:%d.%m.%Y} (программа «{pair}»): {meeting.task}",
            url=url,
        )
    return meeting
