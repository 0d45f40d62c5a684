"""Drafting and approving a personalized program (п. 1.2, п. 5.1, Приложение 1; DOMAIN.md §3).

draft (the mentor, the mentee comments and proposes) → on_review (the curator) → active
(approved) or back to draft with the curator's remarks. After approval the curator with the
mentor changes the note and the plan, each change with its reason (Приложение 1, last
paragraph). Every step locks the program row, so it cannot run twice or out of order, and
every step leaves a line in the program's history.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from audit.trail import log_created
from mentoring_site.lib.versions import check_version
from programs.models import Program, ProgramChange, ProgramComment, ProgramEvent, TypicalEvent
from registry.models import Difficulty, GroupMember, MentoringGroup, Mode, Role, User
from registry.services.groups import add_months
from registry.services.notifications import notify

Status = Program.Status

# The note fields a form may change, in the order of Приложение 1.
NOTE_FIELDS = (
    "problem",
    "goals",
    "content",
    "start",
    "end",
    "intermediate_results",
    "planned_results",
    "schedule",
    "mode",
    "conditions",
)
TERM_FIELDS = ("start", "end")
# The plan fields of an event (its status and result are updated while the plan runs).
EVENT_FIELDS = ("direction", "title", "form", "deadline", "expected_result", "responsible")
# What two editors of one event may overwrite in each other (mentoring_site/lib/versions.py).
EVENT_VERSION_FIELDS = (*EVENT_FIELDS, "difficulties")


class VersionConflict(Exception):
    """Someone saved the program after the editor opened it: nothing was saved."""

    def __init__(self, current: Program, last_change: ProgramChange | None):
        super().__init__("Программу успели изменить.")
        self.current = current
        self.last_change = last_change


# --- Helpers ------------------------------------------------------------------------------


def _lock(program: Program) -> Program:
    return Program.objects.select_for_update().get(pk=program.pk)


def _require(program: Program, *statuses, action: str):
    if program.status not in statuses:
        raise ValidationError(
            f"Нельзя {action}: программа в состоянии «{program.get_status_display()}»."
        )


def _log(program: Program, user, what: str, why: str = "") -> ProgramChange:
    return ProgramChange.objects.create(program=program, actor=user, what=what, why=why)


def _url(program: Program) -> str:
    return reverse("programs:program-detail", args=[program.pk])


def _members(group: MentoringGroup) -> list[GroupMember]:
    return list(group.members.filter(left_on__isnull=True).select_related("person__user", "person"))


def _users(members) -> list[User]:
    return [m.person.user for m in members if m.person.user_id]


def _mentor_users(group) -> list[User]:
    return _users(m for m in _members(group) if m.is_mentor)


def _curator_users(group) -> list[User]:
    """The group's curator and every curator of the institution (the curator may change)."""
    curators = list(
        User.objects.filter(
            institution_id=group.institution_id, role_assignments__role=Role.CURATOR
        ).distinct()
    )
    return [group.curator, *curators]


def _fmt(value) -> str:
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    return str(value) if value not in (None, "") else "—"


# --- «Создать по шаблону» ----------------------------------------------------------------


def template_term(group: MentoringGroup, today: date | None = None) -> tuple[date, date]:
    """Start today or at the group's planned start, whichever is later; end at the group's
    planned end, kept within 3 months to 1 year (п. 1.2)."""
    today = today or timezone.localdate()
    start = max(today, group.planned_start)
    end = min(group.planned_end, add_months(start, 12))
    end = max(end, add_months(start, 3))
    return start, end


def _mentee_profiles(group: MentoringGroup) -> list:
    members = (
        group.members.filter(left_on__isnull=True, role=GroupMember.Role.MENTEE)
        .select_related("person__mentee_profile")
        .prefetch_related("person__mentee_profile__difficulties__direction")
    )
    return [m.person for m in members if hasattr(m.person, "mentee_profile")]


def _note_from_mentees(mentees) -> dict:
    problem, goals, planned = [], [], []
    for person in mentees:
        profile = person.mentee_profile
        difficulties = list(profile.difficulties.all())
        if difficulties:
            problem.append(f"{person.short_name}, профессиональные затруднения и запросы:")
            problem += [f"— {d.direction.name}: {d.text}" for d in difficulties]
            goals += [
                f"— преодолеть затруднение «{d.text}» ({d.direction.name})" for d in difficulties
            ]
            planned += [f"— затруднение «{d.text}» преодолено" for d in difficulties]
        if profile.strengths:
            goals.append(f"— поддержать сильные стороны ({person.short_name}): {profile.strengths}")
    return {
        "problem": "\n".join(problem),
        "goals": "\n".join(["Цель: профессиональное становление и развитие наставляемого.", *goals])
        if goals
        else "",
        "planned_results": "\n".join(planned),
        "mode": mentees[0].mentee_profile.preferred_mode if mentees else Mode.MIXED,
    }


# What the library's form changes, checked against the version the editor saw (the curators
# and the sysadmin of a kindergarten share its library).
TYPICAL_EVENT_FIELDS = (
    "direction",
    "title",
    "form",
    "expected_result",
    "week",
    "for_mentee",
    "is_active",
)


@transaction.atomic
def typical_event_save(*, item: TypicalEvent, version: str | None = None) -> TypicalEvent:
    """Saves an entry of the library of typical events (validated by its form); a change is refused
    (``StaleVersion``) when someone saved the entry since ``version``."""
    if item.pk is not None:
        stored = TypicalEvent.objects.select_for_update().get(pk=item.pk)
        check_version(stored, version, TYPICAL_EVENT_FIELDS)
    item.save()  # validated by its form
    return item


def typical_deadline(typical: TypicalEvent, program: Program, today: date | None = None) -> date:
    """The typical event's week counted from the program's start, or from today once that
    date has passed (an event added to a running plan), never after the program's end."""
    today = today or timezone.localdate()
    weeks = timedelta(weeks=typical.week)
    deadline = program.start + weeks
    if deadline < today:
        deadline = today + weeks
    return min(deadline, program.end)


def typical_event_values(typical: TypicalEvent, program: Program, today=None) -> dict:
    """The plan fields (``EVENT_FIELDS``) of an event drawn from the library."""
    return {
        "direction_id": typical.direction_id,
        "title": typical.title,
        "form_id": typical.form_id,
        "deadline": typical_deadline(typical, program, today),
        "expected_result": typical.expected_result,
        "responsible": ProgramEvent.Responsible.MENTEE
        if typical.for_mentee
        else ProgramEvent.Responsible.BOTH,
    }


def program_difficulties(program: Program):
    """The difficulties of the program's mentees (those still in the group)."""
    return Difficulty.objects.filter(
        mentee__person__memberships__group_id=program.group_id,
        mentee__person__memberships__role=GroupMember.Role.MENTEE,
        mentee__person__memberships__left_on__isnull=True,
    ).distinct()


@dataclass
class LibrarySection:
    direction: object
    entries: list  # [(typical event, the deadline it would get in this program)]
    for_difficulties: bool  # a direction of the mentees' difficulties


def library_for_program(program: Program, today: date | None = None) -> list[LibrarySection]:
    """«Добавить из библиотеки»: the active typical events the program's kindergarten sees
    (the installation's and its own), by направление, the directions of the mentees'
    difficulties first. Entries whose direction or form is no longer used are left out: the
    event form would not offer them."""
    today = today or timezone.localdate()
    needed = set(program_difficulties(program).values_list("direction_id", flat=True))
    typical_events = (
        TypicalEvent.objects.visible_to(program.group.institution_id)
        .filter(is_active=True, direction__is_active=True, form__is_active=True)
        .select_related("direction", "form")
        .order_by("direction__sort_order", "direction__name", "week", "pk")
    )
    sections = {}
    for typical in typical_events:
        section = sections.get(typical.direction_id)
        if section is None:
            section = sections[typical.direction_id] = LibrarySection(
                typical.direction, [], typical.direction_id in needed
            )
        section.entries.append((typical, typical_deadline(typical, program, today)))
    # A stable sort keeps the directions' own order inside each of the two parts.
    return sorted(sections.values(), key=lambda section: not section.for_difficulties)


@transaction.atomic
def program_create_from_template(*, group: MentoringGroup, user) -> Program:
    """A draft program of an approved group: the note from the mentees' difficulties and the
    plan from the library of typical events of each difficulty's direction."""
    group = MentoringGroup.objects.select_for_update().get(pk=group.pk)
    if group.status != MentoringGroup.Status.ACTIVE:
        raise ValidationError("Программу составляют для пары (группы), утверждённой приказом.")
    if Program.objects.filter(group=group).exists():
        raise ValidationError("У этой пары (группы) программа уже есть.")
    mentees = _mentee_profiles(group)
    start, end = template_term(group)
    program = Program(
        group=group, start=start, end=end, created_by=user, **_note_from_mentees(mentees)
    )
    program.full_clean()
    program.save()

    difficulties = [d for person in mentees for d in person.mentee_profile.difficulties.all()]
    library = {}
    for typical in TypicalEvent.objects.visible_to(group.institution_id).filter(
        is_active=True, direction__in={d.direction_id for d in difficulties}
    ):
        library.setdefault(typical.direction_id, []).append(typical)
    # One event per typical event, linked to every difficulty of its direction.
    planned = {}  # typical event id -> (event, [difficulties])
    for difficulty in difficulties:
        for typical in library.get(difficulty.direction_id, []):
            if typical.pk not in planned:
                event = ProgramEvent(
                    program=program, position=len(planned), **typical_event_values(typical, program)
                )
                event.full_clean(exclude=["program"])
                planned[typical.pk] = (event, [])
            planned[typical.pk][1].append(difficulty)
    events = ProgramEvent.objects.bulk_create([event for event, _ in planned.values()])
    log_created(events)
    links = ProgramEvent.difficulties.through
    links.objects.bulk_create(
        [
            links(programevent_id=event.pk, difficulty_id=difficulty.pk)
            for event, (_, linked) in zip(events, planned.values(), strict=True)
            for difficulty in linked
        ]
    )
    _log(program, user, f"Программа создана по шаблону: мероприятий в плане — {len(events)}.")
    return program


# --- The note ------------------------------------------------------------------------------


def _describe_note_changes(old: Program, new: dict) -> list[str]:
    """«цели и задачи», «окончание: 31.05.2027 → 30.06.2027» for every changed field."""
    parts = []
    for name, value in new.items():
        before = getattr(old, name)
        if before == value:
            continue
        field = Program._meta.get_field(name)
        if name in TERM_FIELDS:
            parts.append(f"{field.verbose_name}: {_fmt(before)} → {_fmt(value)}")
        elif field.choices:
            labels = dict(field.choices)
            parts.append(f"{field.verbose_name}: {labels.get(before)} → {labels.get(value)}")
        else:
            parts.append(str(field.verbose_name))
    return parts


def last_change(program: Program) -> ProgramChange | None:
    return program.changes.select_related("actor__person").first()


@transaction.atomic
def program_update(*, program: Program, data: dict, version: int, user, why: str = "") -> Program:
    """Saves the note if nobody saved the program since ``version`` was read. A draft is
    edited freely; an approved program only with a reason and never its term (the term
    changes by agreement, п. 7.2)."""
    locked = _lock(program)
    _require(locked, Status.DRAFT, Status.ACTIVE, action="изменить программу")
    if locked.version != version:
        raise VersionConflict(locked, last_change(locked))
    if locked.status == Status.ACTIVE and not why.strip():
        raise ValidationError("Укажите причину изменения утверждённой программы.")
    allowed = NOTE_FIELDS if locked.status == Status.DRAFT else set(NOTE_FIELDS) - set(TERM_FIELDS)
    changes = {name: data[name] for name in NOTE_FIELDS if name in allowed and name in data}
    described = _describe_note_changes(locked, changes)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.full_clean()
    locked.save()
    what = "Изменена пояснительная записка"
    what += ": " + "; ".join(described) + "." if described else " (без изменений в полях)."
    _log(locked, user, what, why.strip())
    return locked


# --- The plan ------------------------------------------------------------------------------


def check_deadline(program: Program, deadline: date) -> str | None:
    """An event's deadline lies inside the program's term."""
    if deadline < program.start or deadline > program.end:
        return (
            f"Срок должен быть в пределах программы: с {program.start:%d.%m.%Y} "
            f"по {program.end:%d.%m.%Y}."
        )
    return None


def _plan_editable(program: Program, why: str):
    _require(program, Status.DRAFT, Status.ACTIVE, action="изменить план мероприятий")
    if program.status == Status.ACTIVE and not why.strip():
        raise ValidationError("Укажите причину изменения плана утверждённой программы.")


def _check_event(program: Program, event: ProgramEvent):
    error = check_deadline(program, event.deadline)
    if error:
        raise ValidationError({"deadline": error})
    event.full_clean()


@transaction.atomic
def event_create(*, program: Program, event: ProgramEvent, difficulties, user, why: str = ""):
    """Adds ``event`` (unsaved, its plan fields filled) to the program's plan."""
    locked = _lock(program)
    _plan_editable(locked, why)
    event.program = locked
    event.position = locked.events.count()
    _check_event(locked, event)
    event.save()
    event.difficulties.set(difficulties)
    _log(
        locked,
        user,
        f"Добавлено мероприятие «{event.title}», срок {event.deadline:%d.%m.%Y}.",
        why.strip(),
    )
    return event


@transaction.atomic
def event_update(
    *,
    event: ProgramEvent,
    data: dict,
    difficulties,
    user,
    why: str = "",
    version: str | None = None,
):
    """Changes the plan fields of an event (``data`` by the names of ``EVENT_FIELDS``) if
    nobody saved it since ``version`` was read (``StaleVersion`` otherwise)."""
    locked = _lock(event.program)
    _plan_editable(locked, why)
    event = ProgramEvent.objects.select_for_update().get(pk=event.pk, program=locked)
    check_version(event, version, EVENT_VERSION_FIELDS)
    parts = []
    for name in EVENT_FIELDS:
        before, value = getattr(event, name), data[name]
        if before != value:
            field = ProgramEvent._meta.get_field(name)
            if name in ("deadline", "responsible", "direction", "form"):
                shown = dict(field.choices) if field.choices else {}
                parts.append(
                    f"{field.verbose_name}: {_fmt(shown.get(before, before))} → "
                    f"{_fmt(shown.get(value, value))}"
                )
            else:
                parts.append(str(field.verbose_name))
            setattr(event, name, value)
    before_ids = set(event.difficulties.values_list("pk", flat=True))
    if before_ids != {d.pk for d in difficulties}:
        parts.append("затруднения, на которые направлено")
    event.program = locked
    _check_event(locked, event)
    event.save()
    event.difficulties.set(difficulties)
    what = f"Изменено мероприятие «{event.title}»"
    what += ": " + "; ".join(parts) + "." if parts else " (без изменений)."
    _log(locked, user, what, why.strip())
    return event


@transaction.atomic
def event_delete(*, event: ProgramEvent, user) -> None:
    """Only a draft loses events; after approval an event is cancelled, not deleted, so the
    plan keeps its history."""
    locked = _lock(event.program)
    if locked.status != Status.DRAFT:
        raise ValidationError(
            "Мероприятие утверждённой программы не удаляют: установите ему статус «отменено»."
        )
    title = event.title
    ProgramEvent.objects.filter(pk=event.pk, program=locked).delete()
    _log(locked, user, f"Удалено мероприятие «{title}».")


# --- Comments and the workflow -------------------------------------------------------------


@transaction.atomic
def comment_add(*, program: Program, user, text: str) -> ProgramComment:
    """A comment or a proposal (п. 5.1: the mentee co-authors the program)."""
    comment = ProgramComment(program=program, author=user, text=text.strip())
    comment.full_clean()
    comment.save()
    group = program.group
    recipients = [u for u in [*_mentor_users(group), group.curator] if u.pk != user.pk]
    notify(
        users=recipients,
        text=f"Новый комментарий к программе «{group.title}»",
        url=_url(program),
    )
    return comment


def _quoted(parts) -> str:
    return ", ".join(f"«{part}»" for part in parts)


def note_gaps_text(program: Program) -> str:
    """What the mentor is asked before sending: the note's empty parts, by name."""
    return (
        f"В пояснительной записке не заполнено: {_quoted(program.empty_note_parts)}. Заполните "
        "эти части (Приложение 1 к Положению); если часть к программе не относится, так и "
        "напишите в ней, например «не требуются»."
    )


def note_gaps_remark(program: Program) -> str:
    """The curator's remark on returning a program whose note has empty parts."""
    return f"Заполните в пояснительной записке: {_quoted(program.empty_note_parts)}."


@transaction.atomic
def program_submit(*, program: Program, user) -> Program:
    """The mentor sends the draft to the curator: every part of the note filled (Приложение 1)
    and at least one event planned."""
    locked = _lock(program)
    _require(locked, Status.DRAFT, action="направить программу куратору")
    if locked.empty_note_parts:
        raise ValidationError(note_gaps_text(locked))
    if not locked.events.exists():
        raise ValidationError("Добавьте в план хотя бы одно мероприятие.")
    locked.status = Status.ON_REVIEW
    locked.submitted_at = timezone.now()
    locked.version += 1
    locked.full_clean()
    locked.save()
    _log(locked, user, "Программа направлена куратору на согласование.")
    notify(
        users=_curator_users(locked.group),
        text=f"Программа «{locked.group.title}» ждёт согласования",
        url=_url(locked),
    )
    return locked


@transaction.atomic
def program_approve(*, program: Program, user) -> Program:
    """The curator approves the program: it starts to run. A note with empty parts is not
    approved, not even with a remark: the curator returns it, since the note cannot be changed
    while on review and its remarks would be lost on approval (issue 22)."""
    locked = _lock(program)
    _require(locked, Status.ON_REVIEW, action="утвердить программу")
    if locked.empty_note_parts:
        raise ValidationError(
            f"Утвердить нельзя: в пояснительной записке не заполнено: "
            f"{_quoted(locked.empty_note_parts)}. Верните программу наставнику на доработку."
        )
    locked.status = Status.ACTIVE
    locked.approved_at = timezone.now()
    locked.approved_by = user
    locked.return_comment = ""
    locked.version += 1
    locked.full_clean()
    locked.save()
    _log(locked, user, "Программа утверждена куратором.")
    notify(
        users=_users(_members(locked.group)),
        text=f"Программа «{locked.group.title}» утверждена",
        url=_url(locked),
    )
    return locked


@transaction.atomic
def program_return(*, program: Program, user, comment: str) -> Program:
    """The curator returns the program to the mentor with remarks."""
    if not comment.strip():
        raise ValidationError("Напишите, что нужно исправить.")
    locked = _lock(program)
    _require(locked, Status.ON_REVIEW, action="вернуть программу")
    locked.status = Status.DRAFT
    locked.return_comment = comment.strip()
    locked.version += 1
    locked.full_clean()
    locked.save()
    _log(locked, user, "Программа возвращена наставнику на доработку.", comment.strip())
    notify(
        users=_mentor_users(locked.group),
        text=f"Куратор вернул программу «{locked.group.title}» на доработку",
        url=_url(locked),
    )
    return locked


# --- The page and the document -------------------------------------------------------------


@dataclass
class Progress:
    done: int
    total: int
    overdue: int


def plan_progress(events) -> Progress:
    """Done of all (cancelled events do not count) and overdue, from loaded events."""
    counted = [e for e in events if e.status != ProgramEvent.Status.CANCELLED]
    return Progress(
        done=sum(e.status == ProgramEvent.Status.DONE for e in counted),
        total=len(counted),
        overdue=sum(e.is_overdue for e in counted),
    )


def uncovered_difficulties(mentees, events) -> list:
    """The mentees' difficulties no (not cancelled) event of the plan addresses."""
    covered = {
        d.pk
        for e in events
        if e.status != ProgramEvent.Status.CANCELLED
        for d in e.difficulties.all()
    }
    return [
        d
        for person in mentees
        if hasattr(person, "mentee_profile")
        for d in person.mentee_profile.difficulties.all()
        if d.pk not in covered
    ]


def members_prefetch() -> Prefetch:
    return Prefetch(
        "group__members",
        queryset=GroupMember.objects.filter(left_on__isnull=True).select_related(
            "person__mentee_profile", "person__position"
        ),
    )


def events_queryset():
    return ProgramEvent.objects.select_related("direction", "form").prefetch_related(
        "difficulties", "evidence"
    )


@dataclass(frozen=True)
class Approval:
    """Who approved a program and when, as recorded (issue 18, item 10): «УТВЕРЖДАЮ» prints
    these, not the head's blank lines."""

    role: str  # «Куратор реализации программ наставничества»
    name: str  # «Смирнова Ольга Сергеевна»
    short_name: str  # «Смирнова О. С.»
    on: date


# The approver's role as the document names it, the curator's first: she approves programs
# (п. 3.3 «курирует процесс разработки и реализации…»); a head or a sysadmin who also approves
# is named by the role they hold.
APPROVER_ROLES = (
    (Role.CURATOR, "Куратор реализации программ наставничества"),
    (Role.HEAD, "Заведующий"),
    (Role.SYSADMIN, "Системный администратор"),
)


def program_approval(program: Program) -> Approval | None:
    """The recorded approval, or None for a program not approved (or approved before the
    approver was kept)."""
    if program.approved_at is None or program.approved_by_id is None:
        return None
    user = program.approved_by
    held = set(user.role_assignments.values_list("role", flat=True))
    role = next((label for value, label in APPROVER_ROLES if value in held), "Утвердил")
    person = getattr(user, "person", None)
    return Approval(
        role=role,
        name=person.full_name if person else (user.get_full_name() or user.get_username()),
        short_name=person.short_name if person else (user.get_full_name() or user.get_username()),
        on=timezone.localdate(program.approved_at),
    )


def program_document(program: Program) -> dict:
    """What the printed program shows (templates/documents/program.html)."""
    program = (
        Program.objects.select_related(
            "group__institution", "group__form", "group__curator__person", "approved_by__person"
        )
        .prefetch_related(
            members_prefetch(),
            "group__kinds",
            "group__directions",
            "group__extra_forms",
            Prefetch("events", queryset=ProgramEvent.objects.select_related("direction", "form")),
        )
        .get(pk=program.pk)
    )
    members = list(program.group.members.all())
    curator = program.group.curator
    curator_person = getattr(curator, "person", None)
    return {
        "program": program,
        "institution": program.group.institution,
        "mentors": [m.person for m in members if m.is_mentor],
        "mentees": [m.person for m in members if not m.is_mentor],
        "curator_name": curator_person.full_name
        if curator_person
        else (curator.get_full_name() or curator.get_username()),
        "events": list(program.events.all()),
        "approval": program_approval(program),
    }
