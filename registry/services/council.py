"""The methodical council's meetings and their minutes (п. 3.4; DOMAIN.md §1).

A meeting is planned ahead with a date and an agenda; after it the council writes down who
spoke and what was decided, and the minutes («Протокол № N заседания методического совета
наставников») are printed for the chair's and the secretary's signatures. The council's
composition is set by the head's order «О составе методического совета наставников»
(``registry.services.orders``).

Numbering, as a secretary keeps it: a meeting gets the number of its minutes once they are
written (its decisions recorded); the minutes of an academic year (1 September – 31 August) are
numbered 1, 2, 3… in the order of the meetings' dates. A meeting entered late with an earlier
date takes its place in that order and the later minutes move up by one (``meetings_renumber``,
in the same transaction as the save); the page that saved it names the minutes whose numbers
changed, to be printed again. A planned meeting has no number yet.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.trail import UPDATE, log_bulk
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


NUMBERING_RULE = (
    "Номер протокола присваивается сам, когда записаны решения заседания: протоколы учебного "
    "года (1 сентября — 31 августа) нумеруются с 1 по датам заседаний. Если внести прошедшее "
    "заседание позже, оно встанет на своё место по дате, а номера следующих протоколов "
    "увеличатся — уже распечатанные протоколы с новыми номерами распечатайте заново."
)


@dataclass(frozen=True)
class Renumbered:
    """Minutes whose number changed because a meeting took its place by date."""

    meeting: CouncilMeeting
    old: int | None
    new: int | None


def meetings_renumber(*, institution: Organization, year: int) -> list[Renumbered]:
    """Number the minutes of the academic year starting in ``year`` by the meetings' dates:
    1, 2, 3… for the meetings with decisions, none for the others. Returns the minutes whose
    number changed. Called inside ``meeting_save``'s transaction."""
    meetings = CouncilMeeting.objects.filter(institution=institution, year=year).order_by(
        "held_on", "created_at", "pk"
    )
    changed = []
    number = 0
    for meeting in meetings:
        target = None
        if meeting.decisions:
            number += 1
            target = number
        if meeting.number != target:
            changed.append(Renumbered(meeting=meeting, old=meeting.number, new=target))
    if not changed:
        return []
    pks = [item.meeting.pk for item in changed]
    # Free the numbers first: the constraint «one number per year» holds after every row.
    CouncilMeeting.objects.filter(pk__in=pks).update(number=None)
    for item in changed:
        item.meeting.number = item.new
    CouncilMeeting.objects.bulk_update([item.meeting for item in changed], ["number"])
    log_bulk(
        CouncilMeeting,
        pks,
        action=UPDATE,
        changes_by_pk={item.meeting.pk: {"number": [item.old, item.new]} for item in changed},
    )
    return changed


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
def meeting_save(
    *,
    meeting: CouncilMeeting,
    attendees,
    user,
    today: date | None = None,
    version: str | None = None,
) -> CouncilMeeting:
    """Create or change a meeting. A meeting in the future may have only a date and an agenda;
    once its date has come, the decisions are required. The minutes of the meeting's academic
    year are then numbered by date (``meetings_renumber``); the minutes of other meetings whose
    number changed are left in ``meeting.renumbered``. A change is refused (``StaleVersion``)
    when someone saved the meeting since ``version``."""
    # One numbering of an institution at a time: the institution's row is the lock.
    Organization.objects.select_for_update().filter(pk=meeting.institution_id).first()
    old_year = None
    if meeting.pk is not None:
        current = CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)
        check_version(current, version, MEETING_FIELDS)
        old_year = current.year
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
    if meeting.pk is None:
        meeting.created_by = user
    if meeting.pk is None or old_year != meeting.year:
        meeting.number = None  # numbered below, among the meetings of its year
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees)
    renumbered = meetings_renumber(institution=meeting.institution, year=meeting.year)
    if old_year is not None and old_year != meeting.year:
        renumbered += meetings_renumber(institution=meeting.institution, year=old_year)
    own = [item for item in renumbered if item.meeting.pk == meeting.pk]
    if own:
        meeting.number = own[0].new
    meeting.renumbered = [
        item
        for item in renumbered
        if item.meeting.pk != meeting.pk and item.old is not None and item.new is not None
    ]
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
