"""The methodical council's meetings and their minutes (п. 3.4; DOMAIN.md §1).

A meeting is planned ahead with a date and an agenda; after it the council writes down who
spoke and what was decided, and the minutes («Протокол № N заседания методического совета
наставников») are printed for the chair's and the secretary's signatures. Minutes are numbered
anew each academic year (1 September – 31 August). The council's composition is set by the
head's order «О составе методического совета наставников» (``registry.services.orders``).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from mentoring_site.lib.academic_year import academic_year_label, academic_year_start
from mentoring_site.lib.documents import PDF, render_document
from mentoring_site.lib.versions import check_version
from registry.forms.orders import parse_items  # one item a line, typed numbers taken off
from registry.models import CouncilMeeting, Order, Organization, Person, Role, RoleAssignment
from registry.services.orders import CITY


class State:
    """Where a meeting is: planned ahead, held without decisions written yet, or held."""

    PLANNED = "planned"
    AWAITING = "awaiting"
    HELD = "held"

    LABELS = {
        PLANNED: "запланировано",
        AWAITING: "ждёт решений",
        HELD: "проведено",
    }


# What two editors of one meeting may overwrite in each other (the form's fields).
MEETING_FIELDS = (
    "held_on",
    "number",
    "agenda",
    "chair",
    "secretary",
    "invited",
    "discussion",
    "decisions",
    "attendees",
)


def meeting_year(held_on: date) -> int:
    """The academic year of a meeting, by the year it starts in (2026 for «2026/2027»)."""
    return academic_year_start(held_on).year


def year_label(year: int) -> str:
    return f"{year}/{year + 1}"


def meeting_state(meeting: CouncilMeeting, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if meeting.held_on > today:
        return State.PLANNED
    return State.HELD if meeting.decisions.strip() else State.AWAITING


def can_print(meeting: CouncilMeeting, today: date | None = None) -> bool:
    """The minutes are printed only for a meeting that was held and has its decisions."""
    return meeting_state(meeting, today) == State.HELD


def meeting_next_number(*, institution: Organization, year: int) -> int:
    """The next free number of the minutes in the academic year starting in ``year``."""
    last = CouncilMeeting.objects.filter(institution=institution, year=year).aggregate(
        last=Max("number")
    )["last"]
    return (last or 0) + 1


def _number_taken(meeting: CouncilMeeting) -> ValidationError:
    free = meeting_next_number(institution=meeting.institution, year=meeting.year)
    return ValidationError(
        {
            "number": f"Протокол № {meeting.number} в {year_label(meeting.year)} учебном году "
            f"уже есть. Следующий свободный номер — {free}."
        }
    )


def _check_people(meeting: CouncilMeeting, attendees) -> None:
    institution_id = meeting.institution_id
    errors = {}
    composition = None
    for field in ("chair", "secretary"):
        person = getattr(meeting, field)
        if person is None:
            continue
        if person.institution_id != institution_id:
            errors[field] = "Выберите сотрудника своего учреждения."
            continue
        unchanged = (
            meeting.pk is not None
            and CouncilMeeting.objects.filter(pk=meeting.pk, **{f"{field}_id": person.pk}).exists()
        )
        if unchanged:
            continue
        if composition is None:
            composition = set(
                council_members_query(meeting.institution)
                .filter(anonymized_on__isnull=True)
                .values_list("pk", flat=True)
            )
        if person.pk not in composition:
            role = "Председателя" if field == "chair" else "Секретаря"
            errors[field] = (
                f"{role} выбирают из состава методического совета (п. 3.4): члены совета по "
                "приказу о составе совета и куратор."
            )
    if any(person.institution_id != institution_id for person in attendees):
        errors["attendees"] = "Присутствующими отмечают только сотрудников своего учреждения."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
@transaction.atomic
def meeting_save(
    *,
    meeting: CouncilMeeting,
    attendees,
    user,
    today: date | None = None,
    version: str | None = None,
) -> CouncilMeeting:
    """Create or change a meeting. A meeting in the future may have only a date and an agenda;
    once its date has come, the decisions are required. Without a number the meeting gets the
    next free one of its academic year. A change is refused (``StaleVersion``) when someone
    saved the meeting since ``version``."""
    if meeting.pk is not None:
        current = CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)
        check_version(current, version, MEETING_FIELDS)
    today = today or timezone.localdate()
    attendees = list(attendees)
    meeting.agenda = meeting.agenda.strip()
    meeting.decisions = meeting.decisions.strip()
    meeting.discussion = meeting.discussion.strip()
    meeting.invited = meeting.invited.strip()
    if meeting.held_on is None:
        raise ValidationError({"held_on": "Укажите дату заседания."})
    meeting.year = meeting_year(meeting.held_on)
    if meeting.held_on > today and (meeting.decisions or meeting.discussion or attendees):
        raise ValidationError(
            {
                "decisions": f"Заседание {meeting.held_on:%d.%m.%Y} ещё не состоялось: "
                "присутствующих, ход заседания и решения запишите после него (п. 3.4). Пока "
                "оставьте только дату и повестку."
            }
        )
    if meeting.held_on <= today and not meeting.decisions:
        raise ValidationError(
            {
                "decisions": f"Заседание {meeting.held_on:%d.%m.%Y} уже состоялось: запишите "
                "решения совета, каждое с новой строки. Пока заседание впереди, решения можно "
                "не заполнять."
            }
        )
    _check_people(meeting, attendees)
    if not meeting.number:
        meeting.number = meeting_next_number(institution=meeting.institution, year=meeting.year)
    elif (
        CouncilMeeting.objects.filter(
            institution=meeting.institution, year=meeting.year, number=meeting.number
        )
        .exclude(pk=meeting.pk)
        .exists()
    ):
        raise _number_taken(meeting)
    if meeting.pk is None:
        meeting.created_by = user
    meeting.full_clean()
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:  # another user took the number a moment ago
        raise _number_taken(meeting) from None
    meeting.attendees.set(attendees)
    return meeting


# --- The council's people ------------------------------------------------------------------


def latest_council_order(institution: Organization) -> Order | None:
    """The latest signed order «О составе методического совета наставников»."""
    return (
        Order.objects.filter(
            institution=institution, kind=Order.Kind.COUNCIL, status=Order.Status.SIGNED
        )
        .order_by("-date", "-signed_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class Holder:
    """Someone whose account holds a role now; ``person`` is None for an account without a
    record in the banks."""

    name: str
    position: str
    person: Person | None


def _role_holders(institution: Organization, role: str) -> list[Holder]:
    assignments = (
        RoleAssignment.objects.filter(
            role=role, user__institution=institution, user__is_active=True
        )
        .select_related("user__person__position")
        .order_by("user__person__last_name", "user__person__first_name", "user__username")
    )
    holders = []
    for assignment in assignments:
        user = assignment.user
        person = getattr(user, "person", None)
        if person is not None and person.institution_id != institution.pk:
            person = None
        if person is not None:
            name = person.full_name
        else:
            name = user.get_full_name() or f"учётная запись «{user.username}»"
        position = person.position.name if person and person.position_id else ""
        holders.append(Holder(name=name, position=position, person=person))
    return holders


@dataclass(frozen=True)
class Composition:
    order: Order | None  # the latest signed order on the composition
    appointees: list  # its appointees (Person), with positions
    role_holders: list  # Holder: accounts with the council role now
    curators: list  # Holder: the curators, who take part in the meetings
    draft: Order | None  # a draft of a new composition order, waiting for the head

    @property
    def holder_ids(self) -> set:
        return {h.person.pk for h in self.role_holders if h.person is not None}

    @property
    def without_role(self) -> list:
        """Appointees of the order whose account does not hold the council role (yet)."""
        holders = self.holder_ids
        return [p for p in self.appointees if p.pk not in holders]

    @property
    def not_in_order(self) -> list:
        """Role holders the latest order does not name (given the role by hand)."""
        appointed = {p.pk for p in self.appointees}
        return [h for h in self.role_holders if h.person is None or h.person.pk not in appointed]


def council_composition(institution: Organization) -> Composition:
    order = latest_council_order(institution)
    appointees = (
        list(order.appointees.select_related("position").order_by(*Person._meta.ordering))
        if order
        else []
    )
    draft = (
        Order.objects.filter(
            institution=institution, kind=Order.Kind.COUNCIL, status=Order.Status.DRAFT
        )
        .order_by("-created_at")
        .first()
    )
    return Composition(
        order=order,
        appointees=appointees,
        role_holders=_role_holders(institution, Role.COUNCIL),
        curators=_role_holders(institution, Role.CURATOR),
        draft=draft,
    )


def council_members_query(institution: Organization):
    """The people a meeting's attendance is ticked from: the holders of the council role, the
    appointees of the latest composition order and the curator."""
    order = latest_council_order(institution)
    members = Q(user__is_active=True, user__role_assignments__role__in=[Role.COUNCIL, Role.CURATOR])
    if order is not None:
        members |= Q(appointment_orders=order)
    return Person.objects.filter(institution=institution).filter(members).distinct()


# --- The minutes -----------------------------------------------------------------------------


def meeting_document(meeting: CouncilMeeting) -> dict:
    """The context of ``documents/council_minutes.html``."""
    attendees = list(meeting.attendees.select_related("position").order_by(*Person._meta.ordering))
    return {
        "meeting": meeting,
        "institution": meeting.institution,
        "city": CITY,
        "year_label": academic_year_label(meeting.held_on),
        "attendees": attendees,
        "agenda": parse_items(meeting.agenda),
        "decisions": parse_items(meeting.decisions),
        "discussion": [p.strip() for p in meeting.discussion.splitlines() if p.strip()],
    }


def meeting_filename(meeting: CouncilMeeting) -> str:
    return f"Протокол заседания совета № {meeting.number} от {meeting.held_on:%d.%m.%Y}.pdf"


def meeting_render(*, meeting: CouncilMeeting, fmt: str = PDF) -> bytes:
    """The minutes as a PDF or, with ``fmt`` DOCX, in Word."""
    if not can_print(meeting):
        raise ValidationError("Протокол печатается после заседания, когда записаны решения совета.")
    return render_document("documents/council_minutes.html", meeting_document(meeting), fmt=fmt)


# --- The workspace -----------------------------------------------------------------------------


def next_meeting(institution: Organization, today: date | None = None) -> CouncilMeeting | None:
    """The nearest meeting from today on that has not been written down as held."""
    today = today or timezone.localdate()
    return (
        CouncilMeeting.objects.filter(institution=institution, held_on__gte=today)
        .filter(Q(held_on__gt=today) | Q(decisions=""))
        .order_by("held_on", "number")
        .first()
    )


def latest_minutes(institution: Organization, today: date | None = None) -> CouncilMeeting | None:
    """The latest held meeting with its decisions: its minutes can be printed."""
    today = today or timezone.localdate()
    return (
        CouncilMeeting.objects.filter(institution=institution, held_on__lte=today)
        .exclude(decisions="")
        .order_by("-held_on", "-number")
        .first()
    )


def awaiting_decisions(institution: Organization, today: date | None = None):
    """Meetings whose date has passed without the decisions written down."""
    today = today or timezone.localdate()
    return CouncilMeeting.objects.filter(
        institution=institution, held_on__lt=today, decisions=""
    ).order_by("held_on")
