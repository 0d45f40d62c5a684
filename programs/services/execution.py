"""Execution of a program: the mentor marks events, files prove them, the mentee reports on
their own tasks and the mentor confirms (п. 4.1: «личная проверка выполнения заданий»), and
the daily reminders of deadlines and overdue events.

Every change of an event is kept in the program's history (ProgramChange).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from audit.trail import update_logged
from mentoring_site.lib.russian import agreed
from mentoring_site.lib.versions import check_version
from programs.models import Evidence, Program, ProgramChange, ProgramEvent
from registry.models import GroupMember, User
from registry.services.notifications import notify

Status = ProgramEvent.Status
Responsible = ProgramEvent.Responsible

OPEN_STATUSES = ProgramEvent.OPEN_STATUSES
# What a person may set by hand; «просрочено» comes from the daily reminders.
CHOSEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS, Status.DONE, Status.CANCELLED)
# What the mentor and the curator both mark on «progress», and what the mentees of a group
# report on a task: checked against the version each editor saw (two editors at once).
PROGRESS_VERSION_FIELDS = ("status", "actual_result")
REPORT_VERSION_FIELDS = ("mentee_report",)
MENTEE_TASKS = ProgramEvent.MENTEE_TASKS
MENTOR_TASKS = (Responsible.MENTOR, Responsible.BOTH)


def overdue_events(*, institution, today: date):
    """Open events of active programs past their deadline, the oldest first: the staff's list
    and its Excel copy (one definition), with the groups' members loaded."""
    return (
        ProgramEvent.objects.filter(
            program__group__institution=institution,
            program__status=Program.Status.ACTIVE,
            status__in=OPEN_STATUSES,
            deadline__lt=today,
        )
        .select_related("program__group", "direction")
        .prefetch_related(
            Prefetch(
                "program__group__members",
                queryset=GroupMember.objects.select_related("person"),
            )
        )
        .order_by("deadline", "program_id", "id")
    )


def responsible_people(event: ProgramEvent) -> list[GroupMember]:
    """Who answers for the event: the active mentors, the mentees or both (the members loaded
    with the event's group)."""
    group = event.program.group
    people = []
    if event.responsible in MENTOR_TASKS:
        people += group.active_mentors
    if event.responsible in MENTEE_TASKS:
        people += group.active_mentees
    return people


def event_url(event: ProgramEvent) -> str:
    """The event's row on the program page."""
    return reverse("programs:program-detail", args=[event.program_id]) + f"#event-{event.pk}"


def _locked(event: ProgramEvent) -> ProgramEvent:
    """The event, locked, with its program read in the same query."""
    return (
        ProgramEvent.objects.select_for_update(of=("self",))
        .select_related("program")
        .get(pk=event.pk)
    )


def _require_active(event: ProgramEvent) -> None:
    if event.program.status != Program.Status.ACTIVE:
        raise ValidationError(
            "Отмечать мероприятия можно только в утверждённой программе, пока она выполняется. "
            f"Сейчас программа: {event.program.get_status_display()}."
        )


def _require_open(event: ProgramEvent) -> None:
    if event.status not in OPEN_STATUSES:
        raise ValidationError(
            f"Мероприятие «{event.title}» уже {event.get_status_display()}: отчёт не нужен."
        )


def _log(event: ProgramEvent, user: User, what: str) -> None:
    change = ProgramChange(program_id=event.program_id, actor=user, what=what)
    change.full_clean()
    change.save()


def _attach(event: ProgramEvent, file: UploadedFile, user: User) -> Evidence:
    """Stores the file under a neutral name (the uploaded one may hold a surname) and keeps
    the uploaded name to be shown to the people who see the program."""
    shown = file.name[-200:]
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else "bin"
    file.name = f"file.{extension}"
    evidence = Evidence(event=event, file=file, name=shown, uploaded_by=user)
    evidence.full_clean()
    evidence.save()
    return evidence


def _members(event: ProgramEvent, *, mentors: bool) -> list[GroupMember]:
    members = GroupMember.objects.filter(
        group_id=event.program.group_id, left_on__isnull=True
    ).select_related("person__user")
    if mentors:
        return list(members.exclude(role=GroupMember.Role.MENTEE))
    return list(members.filter(role=GroupMember.Role.MENTEE))


@transaction.atomic
def event_update_progress(
    *,
    event: ProgramEvent,
    status: str,
    actual_result: str,
    file: UploadedFile | None,
    user: User,
    version: str | None = None,
) -> ProgramEvent:
    """The mentor (or the curator) marks an event of an active program: its status, result
    or product, and optionally a file. A task the mentee reported on counts as confirmed
    once the mentor marks it done. Refused (``StaleVersion``) when someone marked the event
    since ``version``."""
    event = _locked(event)
    check_version(event, version, PROGRESS_VERSION_FIELDS)
    _require_active(event)
    if status not in CHOSEN_STATUSES:
        raise ValidationError({"status": "Выберите статус из списка."})
    actual_result = actual_result.strip()
    if status == Status.DONE and not actual_result:
        raise ValidationError(
            {
                "actual_result": "Опишите фактический результат или продукт: без него мероприятие "
                "не отметить выполненным."
            }
        )
    changes = []
    if status != event.status:
        changes.append(f"статус → {Status(status).label}")
    if actual_result != event.actual_result:
        changes.append("фактический результат записан" if actual_result else "результат стёрт")
    if status == Status.DONE:
        if event.status != Status.DONE:
            event.done_on = timezone.localdate()
        if event.reported_at and not event.confirmed_at:
            event.confirmed_at = timezone.now()
    else:
        event.done_on = None
    event.status = status
    event.actual_result = actual_result
    event.full_clean()
    event.save()
    if file:
        evidence = _attach(event, file, user)
        changes.append(f"добавлен файл «{evidence.name}»")
    if changes:
        _log(event, user, f"Мероприятие «{event.title}»: {', '.join(changes)}")
    return event


@transaction.atomic
def evidence_add(*, event: ProgramEvent, file: UploadedFile, user: User) -> Evidence:
    """One more file to an event of an active program."""
    event = _locked(event)
    _require_active(event)
    evidence = _attach(event, file, user)
    _log(event, user, f"Мероприятие «{event.title}»: добавлен файл «{evidence.name}»")
    return evidence


@transaction.atomic
def event_report(
    *,
    event: ProgramEvent,
    report: str,
    file: UploadedFile | None,
    user: User,
    version: str | None = None,
) -> ProgramEvent:
    """The mentee reports on their own task. The status stays until the mentor confirms;
    the mentor is told. Refused (``StaleVersion``) when another mentee of the group reported
    since ``version``."""
    event = _locked(event)
    check_version(event, version, REPORT_VERSION_FIELDS)
    _require_active(event)
    if not event.is_mentee_task:
        raise ValidationError(
            f"Мероприятие «{event.title}» выполняет наставник: отчёт наставляемого не нужен."
        )
    _require_open(event)
    report = report.strip()
    if not report:
        raise ValidationError({"report": "Напишите, что сделано."})
    event.mentee_report = report
    event.reported_at = timezone.now()
    event.confirmed_at = None
    event.full_clean()
    event.save()
    what = f"Мероприятие «{event.title}»: наставляемый отчитался о выполнении"
    if file:
        evidence = _attach(event, file, user)
        what += f", добавлен файл «{evidence.name}»"
    _log(event, user, what)
    author = getattr(user, "person", None)
    who = author.short_name if author else "Наставляемый"
    notify(
        users=[m.person.user for m in _members(event, mentors=True)],
        text=f"{who} {agreed(getattr(author, 'gender', ''), 'отчитался', 'отчиталась')} "
        f"о задании «{event.title}» ({event.program.group.title}): проверьте и подтвердите "
        "выполнение.",
        url=event_url(event),
    )
    return event


@transaction.atomic
def event_confirm(*, event: ProgramEvent, user: User) -> ProgramEvent:
    """The mentor (or the curator) confirms a task the mentee reported on: it is done
    (п. 4.1). The mentee is told."""
    event = _locked(event)
    _require_active(event)
    if event.reported_at is None:
        raise ValidationError(
            f"Наставляемый ещё не отчитался о задании «{event.title}»: подтверждать нечего."
        )
    if event.confirmed_at is not None:
        raise ValidationError(
            f"Выполнение задания «{event.title}» уже подтверждено "
            f"{timezone.localtime(event.confirmed_at):%d.%m.%Y}."
        )
    _require_open(event)
    event.status = Status.DONE
    event.done_on = timezone.localdate()
    event.confirmed_at = timezone.now()
    if not event.actual_result:
        event.actual_result = event.mentee_report
    event.full_clean()
    event.save()
    _log(event, user, f"Мероприятие «{event.title}»: статус → выполнено (отчёт подтверждён)")
    notify(
        users=[m.person.user for m in _members(event, mentors=False)],
        text=f"Наставник подтвердил выполнение задания «{event.title}» "
        f"программы «{event.program.group.title}».",
        url=event_url(event),
    )
    return event


# --- Daily reminders ------------------------------------------------------------------------


@dataclass(frozen=True)
class RemindersSent:
    upcoming: int  # events whose deadline comes soon, their responsible people told
    overdue: int  # events that became overdue, the mentor and the curator told


def _due_events(query: Q):
    """Open events of active programs with everyone the reminders go to, in a fixed number of
    queries."""
    return (
        ProgramEvent.objects.select_for_update(of=("self",))
        .filter(query, program__status=Program.Status.ACTIVE)
        .select_related("program__group__curator")
        .prefetch_related(
            Prefetch(
                "program__group__members",
                queryset=GroupMember.objects.filter(left_on__isnull=True).select_related(
                    "person__user"
                ),
            )
        )
        .order_by("deadline", "id")
    )


def _users(event: ProgramEvent, *, mentors: bool, mentees: bool) -> list[User]:
    group = event.program.group
    people = (group.active_mentors if mentors else []) + (group.active_mentees if mentees else [])
    return [m.person.user for m in people]


def _days(n: int) -> str:
    if n == 0:
        return "Сегодня"
    if n == 1:
        return "Завтра"
    return f"Через {n} дн."


@transaction.atomic
def reminders_send(*, today: date, days: int = 3) -> RemindersSent:
    """Once a day: tells the responsible people about deadlines within ``days`` days, and marks
    events past their deadline overdue, telling the mentor and the curator.

    Idempotent: an event is reminded once per reminder window (``reminded_on`` on or after
    ``deadline - days``), and becomes overdue once; a second run the same day sends nothing.
    """
    upcoming = list(
        _due_events(
            Q(status__in=(Status.PLANNED, Status.IN_PROGRESS))
            & Q(deadline__gte=today, deadline__lte=today + timedelta(days=days))
        )
    )
    # Not yet reminded in this window: a deadline moved later gets a new reminder.
    upcoming = [
        e
        for e in upcoming
        if e.reminded_on is None or e.reminded_on < e.deadline - timedelta(days=days)
    ]
    for event in upcoming:
        notify(
            users=_users(
                event,
                mentors=event.responsible in MENTOR_TASKS,
                mentees=event.responsible in MENTEE_TASKS,
            ),
            text=f"{_days((event.deadline - today).days)} срок мероприятия «{event.title}» "
            f"({event.deadline:%d.%m.%Y}), программа {event.program.group.title}.",
            url=event_url(event),
        )
    ProgramEvent.objects.filter(pk__in=[e.pk for e in upcoming]).update(reminded_on=today)

    # Once: an event the mentor reopened after it became overdue is not flagged again (it was
    # reminded after its deadline), unless its deadline was moved and has passed again.
    overdue = list(
        _due_events(
            Q(status__in=(Status.PLANNED, Status.IN_PROGRESS))
            & Q(deadline__lt=today)
            & (Q(reminded_on__isnull=True) | Q(reminded_on__lte=F("deadline")))
        )
    )
    for event in overdue:
        notify(
            users=[*_users(event, mentors=True, mentees=False), event.program.group.curator],
            text=f"Мероприятие просрочено: «{event.title}», срок был "
            f"{event.deadline:%d.%m.%Y}, программа {event.program.group.title}.",
            url=event_url(event),
        )
    # The mark of the reminder is bookkeeping; the new status is recorded.
    update_logged(
        ProgramEvent.objects.filter(pk__in=[e.pk for e in overdue]),
        status=Status.OVERDUE,
        reminded_on=today,
    )
    return RemindersSent(upcoming=len(upcoming), overdue=len(overdue))
