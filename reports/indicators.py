"""The indicators of monitoring (DOMAIN.md §5; п. 3.3, Приложение 2, этап 6), per academic year
and «на дату».

``compute(institution=..., year_start=2026, on_date=None)`` returns a JSON-serializable dict
(ints, floats rounded half up to one decimal, strings, ``None`` for «no data», lists, dicts); the
dashboard, the statistics and the final analytical report all read it. The number of queries
does not depend on the number of people, groups, programs or answers.

The period runs from 1 September of ``year_start`` to 31 August of the next year; when
``on_date`` falls inside the year the period ends on it instead («на дату»), and every fact
dated later is cut off. An ``on_date`` outside the year is ignored. «Until» below means «up to
and including ``period_end``»; moments (``*_at``) count up to the end of that day, Moscow time.

Definitions:

- **approved groups of the period** («groups»): groups of the institution approved by the head
  (status active, completed or terminated), whose planned term overlaps the period and that
  were approved until period_end *by the document's date*: the date of the founding order
  (a September order entered in October counts on 01.10), or, without an order date, the
  moment of the decision (or no decision date at all). «pairs»: those with exactly one
  mentee among their members of the period.
- **a member of the period**: a group member who had not left before the period started
  (``left_on`` empty or on/after period_start) and had joined by period_end (or the joining
  date is unknown). A replaced mentor therefore counts for the year they worked.
- **mentors** / **mentees**: people who were a mentor or co-mentor / a mentee of an approved
  group of the period, each counted once however many groups they were in.
- **mentors_in_bank** / **mentees_in_bank**: people with a mentor (mentee) profile created until
  period_end and not dismissed at period_end (``dismissed_on`` empty or later than period_end).
- **staff** (own pedagogical staff): people whose organization is the institution itself (not a
  partner), not dismissed at period_end and hired until period_end or with no hiring date. The
  registry keeps pedagogical workers only, so every such person counts.
- **staff_involved**: staff who are mentors or mentees of the period; the share is a percent of
  staff, ``None`` when there is no staff.
- **young_specialists**: people not dismissed at period_end, hired until then (or with no
  hiring date), who are either in the mentee bank with the category «молодой специалист со
  стажем до 3 лет», or are own staff with a recorded pedagogical experience under 3 years.
  **young_covered**: those of them who are mentees of the period; the share is of
  young_specialists.
- **by_form** / **by_kind**: approved groups of the period per form (kind) of mentoring; every
  active reference entry is listed, a hidden one only when a group uses it. A group of several
  kinds counts once under each. **by_category**: mentees of the period per the category of their
  mentee profile (mentees without a profile are not in this list).
- **programs**: programs of approved groups (status active, completed or terminated) approved
  until period_end (or with no approval date).
  «active»: such programs whose term overlaps the period and that were still running at
  period_end (status active, or finished later than period_end).
  «completed» / «terminated»: status completed (terminated) with the finishing date inside the
  period. «extended»: programs of the period (term overlapping, as for active, or finished in
  the period) whose term was changed by mutual consent (п. 7.2: an applied term change
  requested until period_end) or that are marked as extended beyond a year.
  «completed_on_time»: completed in the period, finished by the program's end and not extended.
  «terminated_by_reason»: terminated in the period per reason of п. 7.1 (every reason except
  «план выполнен», which completes a program; zeros included).
- **events** («Мероприятий выполнено в срок»): events of approved programs, not cancelled, whose
  deadline lies inside the period and has *passed* on the date asked («due»: the deadline is
  before ``on_date``, or before ``today`` when no date is asked; a deadline still ahead is not
  counted, done or not); «done_on_time»: of those, done with the date of doing on or before the
  deadline. The share is a percent of due, ``None`` when no deadline has passed yet. The
  dashboard, the head's home, the final report and the city's summary all read this one number
  (and show it through ``share_text``).
- **satisfaction**: responses to surveys of the institution whose questionnaire's purpose is the
  satisfaction of a mentee or of a mentor, submitted in the period. «average» is the mean of all
  1–10 scale answers of those responses; «mentee_average» / «mentor_average» the same for each
  purpose; «by_question» the mean per question key (questions without a key each on their own),
  in the order of the questionnaire. ``None`` when there is no scale answer. Each average of
  fewer than three people's answers is withheld (``reports.anonymity``): in its place stands
  the note «недостаточно ответов (меньше 3)», never the number; «mentee_responses» /
  «mentor_responses» count the responses of each side.
- **growth**: growth records (stage 2 of monitoring) of the institution's people dated in the
  period, per kind; a record a mentor entered counts once the curator confirmed it.
- **retention** after N = 1 and 3 years: the base is the people in the mentee bank with the
  young-specialist category who entered the institution in the same part of the academic year N
  years earlier: their hiring date (or, when it is unknown, the planned start of their first
  approved group as a mentee) lies between period_start and period_end each moved N years back.
  «retained»: of the base, those not dismissed at period_end.
- **practices**: best practices added to the bank in the period («added»); approved for
  publication in the period («published»).
- **is_empty**: no approved group of the period, no program of the period, and nobody in either
  bank at period_end.
Each countable figure also names the rows it counts (``FIGURES``, ``figure_rows``: the same
filters as its count), which the dashboard's drill-down lists (issue 18, item 9).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from time import monotonic
from uuid import uuid4

from asgiref.local import Local
from django.apps import apps
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from audit.trail import bulk_written
from mentoring_site.lib.academic_year import academic_year_start
from programs.models import Program, ProgramEvent, TermChange
from registry import models
from registry.models import GroupMember, MenteeCategory, MentoringForm, MentoringGroup, Person
from reports.anonymity import shown_or_withheld
from reports.models import Answer, GrowthRecord, Practice, Question, QuestionnaireTemplate, Response

YOUNG_SPECIALIST = "молодой специалист со стажем до 3 лет"
YOUNG_EXPERIENCE_YEARS = 3


# --- Small helpers ----------------------------------------------------------------------------


def share(part: int, whole: int) -> float | None:
    """``part`` as a percent of ``whole``, rounded half up to one decimal; None without a whole."""
    if not whole:
        return None
    return ratio(Fraction(part * 100, whole))


def ratio(value: Fraction | None) -> float | None:
    """A fraction rounded half up to one decimal (never banker's rounding)."""
    if value is None:
        return None
    tenths = int(value * 10 + Fraction(1, 2)) if value >= 0 else -int(-value * 10 + Fraction(1, 2))
    return tenths / 10


def mean(total, count: int) -> float | None:
    return ratio(Fraction(int(total), count)) if count else None


def years_back(day: date, years: int) -> date:
    """The same day ``years`` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def moments(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as aware datetimes [start 00:00, the day after the end 00:00)."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def year_label(year_start: int) -> str:
    return f"{year_start}/{year_start + 1}"


def share_text(value: float | None) -> str:
    """A share as every screen and document shows it: «57,1 %», «нет данных»."""
    if value is None:
        return "нет данных"
    return f"{value:.1f}".replace(".", ",") + " %"


def asked_date(start: date, end: date, on_date: date | None, today: date | None) -> date:
    """The date the figures are asked for: ``on_date``, else today; a year already over is
    asked for the day after its end (every deadline of it has passed)."""
    asked = on_date or today or timezone.localdate()
    return min(asked, end + timedelta(days=1)) if on_date is None else asked


def period(year_start: int, on_date: date | None = None) -> tuple[date, date, date | None]:
    """(period_start, period_end, the on_date in effect or None)."""
    start, end = date(year_start, 9, 1), date(year_start + 1, 8, 31)
    if on_date is not None and start <= on_date <= end:
        return start, on_date, on_date
    return start, end, None


# --- The filters every count shares --------------------------------------------------------


class Period:
    """The institution and the dates of one computation, with the filters built from them."""

    def __init__(self, institution, start: date, end: date, asked: date | None = None):

        self.institution = institution
        self.start, self.end = start, end
        # Deadlines before this day have passed (``asked_date``).
        self.asked = asked if asked is not None else end + timedelta(days=1)
        self.since, self.until = moments(start, end)
        self.approved = [
            MentoringGroup.Status.ACTIVE,
            MentoringGroup.Status.COMPLETED,
            MentoringGroup.Status.TERMINATED,
        ]

    def group_q(self, prefix: str = "") -> Q:
        """An approved group of the period (``prefix`` is the path to the group)."""
        p = prefix
        return Q(
            **{
                f"{p}institution": self.institution,
                f"{p}status__in": self.approved,
                f"{p}planned_start__lte": self.end,
                f"{p}planned_end__gte": self.start,
            }
        ) & self.approved_by_end_q(p)

    def approved_by_end_q(self, p: str = "") -> Q:
        """Approved by period_end by the document's date: the date of the founding order when
        it has one (a September order typed in October counts from its date), else the
        moment of the head's decision, else always (no decision date recorded)."""
        by_order = Q(**{f"{p}order__date__isnull": False, f"{p}order__date__lte": self.end})
        by_decision = Q(**{f"{p}order__date__isnull": True}) & (
            Q(**{f"{p}decided_at__isnull": True}) | Q(**{f"{p}decided_at__lt": self.until})
        )
        return by_order | by_decision

    def groups(self):

        return MentoringGroup.objects.filter(self.group_q())

    def member_q(self, prefix: str = "") -> Q:
        """A member of an approved group during the period."""
        p = prefix
        return (
            self.group_q(f"{p}group__")
            & (Q(**{f"{p}left_on__isnull": True}) | Q(**{f"{p}left_on__gte": self.start}))
            & (Q(**{f"{p}joined_on__isnull": True}) | Q(**{f"{p}joined_on__lte": self.end}))
        )

    def members(self):

        return GroupMember.objects.filter(self.member_q())

    @property
    def present_q(self) -> Q:
        """Not dismissed at period_end."""
        return Q(dismissed_on__isnull=True) | Q(dismissed_on__gt=self.end)

    @property
    def hired_q(self) -> Q:
        return Q(hired_on__isnull=True) | Q(hired_on__lte=self.end)

    @property
    def staff_q(self) -> Q:
        return Q(organization=self.institution) & self.present_q & self.hired_q

    @property
    def young_q(self) -> Q:
        young_mentee = Q(
            mentee_profile__category__name=YOUNG_SPECIALIST,
            mentee_profile__created_at__lt=self.until,
        )
        young_staff = Q(
            organization=self.institution, experience_pedagogical__lt=YOUNG_EXPERIENCE_YEARS
        )
        return self.present_q & self.hired_q & (young_mentee | young_staff)


MENTOR_ROLES = ["mentor", "co_mentor"]


def _people_rows(p: Period):
    """The institution's people with the flags every figure on people reads."""

    members = GroupMember.objects.filter(p.member_q(), person=OuterRef("pk"))
    first_group = (
        GroupMember.objects.filter(
            person=OuterRef("pk"),
            role=GroupMember.Role.MENTEE,
            group__institution=p.institution,
            group__status__in=p.approved,
        )
        .order_by("group__planned_start")
        .values("group__planned_start")[:1]
    )
    return Person.objects.filter(institution=p.institution).annotate(
        is_mentor=Exists(members.filter(role__in=MENTOR_ROLES)),
        is_mentee=Exists(members.filter(role=GroupMember.Role.MENTEE)),
        entered_on=Coalesce("hired_on", Subquery(first_group)),
    )


def _people_filters(p: Period) -> dict[str, Q]:
    """{figure: the filter of ``_people_rows`` whose rows it counts} (one definition for the
    count and for the list behind it)."""
    in_groups = Q(is_mentor=True) | Q(is_mentee=True)
    young_cohort = Q(mentee_profile__category__name=YOUNG_SPECIALIST)
    filters = {
        "mentors": Q(is_mentor=True),
        "mentees": Q(is_mentee=True),
        "mentors_in_bank": Q(mentor_profile__isnull=False, mentor_profile__created_at__lt=p.until)
        & p.present_q,
        "mentees_in_bank": Q(mentee_profile__isnull=False, mentee_profile__created_at__lt=p.until)
        & p.present_q,
        "staff": p.staff_q,
        "staff_involved": p.staff_q & in_groups,
        "young_specialists": p.young_q,
        "young_covered": p.young_q & Q(is_mentee=True),
    }
    for years in (1, 3):
        base = young_cohort & Q(
            entered_on__gte=years_back(p.start, years), entered_on__lte=years_back(p.end, years)
        )
        filters[f"base_{years}"] = base
        filters[f"retained_{years}"] = base & p.present_q
    return filters


def _people(p: Period) -> dict:

    counts = {key: Count("pk", filter=q) for key, q in _people_filters(p).items()}
    return _people_rows(p).aggregate(**counts)


def _group_rows(p: Period):
    """The approved groups of the period, each with the number of its mentees of the period."""
    mentee = Q(members__role="mentee") & (
        Q(members__left_on__isnull=True) | Q(members__left_on__gte=p.start)
    )
    mentee &= Q(members__joined_on__isnull=True) | Q(members__joined_on__lte=p.end)
    return p.groups().annotate(mentees=Count("members", filter=mentee))


def _group_sizes(p: Period) -> list[int]:
    """The number of mentees of each approved group of the period (one row per group)."""
    return list(_group_rows(p).values_list("mentees", flat=True))


PAIR = Q(mentees=1)  # «pairs»: an approved group with exactly one mentee of the period


def _counted_rows(model, count, value: str, institution) -> list[dict]:
    """Every active entry of a reference list the institution sees (the installation's and its
    own), a hidden one only when its count is positive, in the list's order, with the count
    (``count``: a correlated subquery on ``OuterRef("pk")``)."""
    rows = (
        model.objects.visible_to(institution)
        .annotate(**{value: Coalesce(Subquery(count), 0)})
        .filter(Q(is_active=True) | Q(**{f"{value}__gt": 0}))
        .order_by("sort_order", "name")
        .values("pk", "name", value)
    )
    return [{"id": r["pk"], "name": r["name"], value: r[value]} for r in rows]


def _count_of(queryset, field: str):
    """``SELECT COUNT(DISTINCT field)`` of ``queryset`` as a one-value subquery."""
    return (
        queryset.annotate(_one=Value(1))
        .values("_one")
        .annotate(n=Count(field, distinct=True))
        .values("n")
        .order_by()
    )


def _by_reference(model, p: Period) -> list[dict]:
    """Approved groups of the period per entry of a reference list (forms, kinds).

    Each entry counts the institution's own groups in a correlated subquery that starts from
    the institution (its groups by the ``group_state`` index, then the M2M row of the entry by
    its unique pair), so the cost follows the institution, not the city. The earlier version
    joined the reference list with every group of the city and filtered inside the aggregate
    (docs/benchmarks.md)."""

    groups = _reference_groups(p, model, OuterRef("pk"))
    return _counted_rows(model, _count_of(groups, "pk"), "groups", p.institution)


def _reference_groups(p: Period, model, entry):
    """The approved groups of the period of one entry of forms (kinds)."""
    link = "form" if model is MentoringForm else "kinds"
    return p.groups().filter(**{link: entry})


def _by_category(p: Period) -> list[dict]:
    """Mentees of the period per the category of their mentee profile; each category counts
    the institution's members (institution first, as in ``_by_reference``)."""

    mentees = _category_members(p, OuterRef("pk"))
    return _counted_rows(MenteeCategory, _count_of(mentees, "person"), "mentees", p.institution)


def _category_members(p: Period, category):
    """The mentee memberships of the period whose person's mentee profile has the category."""
    return p.members().filter(
        role=GroupMember.Role.MENTEE, person__mentee_profile__category=category
    )


def _program_rows(p: Period):
    """The programs of approved groups approved until period_end, with ``term_changed``."""
    S = Program.Status
    approved = Q(status__in=[S.ACTIVE, S.COMPLETED, S.TERMINATED]) & (
        Q(approved_at__isnull=True) | Q(approved_at__lt=p.until)
    )
    return (
        Program.objects.filter(group__institution=p.institution)
        .filter(approved)
        .annotate(
            term_changed=Exists(
                TermChange.objects.filter(
                    program=OuterRef("pk"),
                    status=TermChange.Status.APPLIED,
                    requested_at__lt=p.until,
                )
            )
        )
    )


TERMINATION_REASONS = [r for r in Program.Reason if r != Program.Reason.PLAN_DONE]


def _program_filters(p: Period) -> dict[str, Q]:
    """{figure: the filter of ``_program_rows`` whose rows it counts}."""
    S = Program.Status
    overlapping = Q(start__lte=p.end, end__gte=p.start)
    finished_in = Q(finished_on__gte=p.start, finished_on__lte=p.end)
    running = overlapping & (Q(status=S.ACTIVE) | Q(finished_on__gt=p.end))
    completed = Q(status=S.COMPLETED) & finished_in
    terminated = Q(status=S.TERMINATED) & finished_in
    extended = Q(extended=True) | Q(term_changed=True)
    filters = {
        "total": overlapping | finished_in,
        "active": running,
        "completed": completed,
        "completed_on_time": completed & Q(finished_on__lte=F("end")) & ~extended,
        "extended": (running | completed | terminated) & extended,
        "terminated": terminated,
    }
    for reason in TERMINATION_REASONS:
        filters[f"reason_{reason.value}"] = terminated & Q(reason=reason)
    return filters


def _programs(p: Period) -> dict:

    counts = {key: Count("pk", filter=q) for key, q in _program_filters(p).items()}
    result = _program_rows(p).aggregate(**counts)
    result["terminated_by_reason"] = [
        {"key": r.value, "reason": r.label, "count": result.pop(f"reason_{r.value}")}
        for r in TERMINATION_REASONS
    ]
    return result


DONE_ON_TIME = Q(status=ProgramEvent.Status.DONE, done_on__isnull=False) & Q(
    done_on__lte=F("deadline")
)


def due_events(p: Period):
    """The events whose deadline has passed in the period (the «due» of «в срок»)."""
    S = Program.Status
    return ProgramEvent.objects.filter(
        program__group__institution=p.institution,
        program__status__in=[S.ACTIVE, S.COMPLETED, S.TERMINATED],
        deadline__gte=p.start,
        deadline__lte=p.end,
        deadline__lt=p.asked,
    ).exclude(status=ProgramEvent.Status.CANCELLED)


def _events(p: Period) -> dict:

    counts = due_events(p).aggregate(due=Count("pk"), done_on_time=Count("pk", filter=DONE_ON_TIME))
    counts["share_on_time"] = share(counts["done_on_time"], counts["due"])
    return counts


def _satisfaction(p: Period) -> dict:

    P = QuestionnaireTemplate.Purpose
    purposes = [P.SATISFACTION_MENTEE, P.SATISFACTION_MENTOR]
    responses = Response.objects.filter(
        survey__institution=p.institution,
        survey__template__purpose__in=purposes,
        submitted_at__gte=p.since,
        submitted_at__lt=p.until,
    )
    rows = (
        Answer.objects.filter(
            response__in=responses, scale__isnull=False, question__kind=Question.Kind.SCALE
        )
        .values(
            "question_id",
            "question__key",
            "question__text",
            "question__position",
            "response__survey__template__purpose",
        )
        .annotate(total=Sum("scale"), count=Count("pk"))
        .order_by("response__survey__template__purpose", "question__position", "question_id")
    )
    total = count = 0
    by_purpose = {purpose: [0, 0] for purpose in purposes}
    by_key: dict = {}
    for row in rows:
        total += row["total"]
        count += row["count"]
        sums = by_purpose[row["response__survey__template__purpose"]]
        sums[0] += row["total"]
        sums[1] += row["count"]
        key = row["question__key"] or f"question-{row['question_id']}"
        entry = by_key.setdefault(
            key, {"key": row["question__key"], "text": row["question__text"], "sum": 0, "count": 0}
        )
        entry["sum"] += row["total"]
        entry["count"] += row["count"]
    answered = dict(
        responses.values_list("survey__template__purpose").annotate(n=Count("pk")).order_by()
    )
    mentees = answered.get(P.SATISFACTION_MENTEE, 0)
    mentors = answered.get(P.SATISFACTION_MENTOR, 0)
    return satisfaction_shown(
        {
            "responses": mentees + mentors,
            "mentee_responses": mentees,
            "mentor_responses": mentors,
            "average": mean(total, count),
            "mentee_average": mean(*by_purpose[P.SATISFACTION_MENTEE]),
            "mentor_average": mean(*by_purpose[P.SATISFACTION_MENTOR]),
            "by_question": [
                {
                    "key": e["key"],
                    "text": e["text"],
                    "average": mean(e["sum"], e["count"]),
                    "count": e["count"],
                }
                for e in by_key.values()
            ],
        }
    )


def satisfaction_shown(satisfaction: dict) -> dict:
    """The satisfaction figures with every average of fewer than three people's answers
    withheld (``reports.anonymity``). Also applied to a final report handed in before the rule:
    a snapshot without the count of a side's responses shows that side's average withheld.
    One answer per response to a question: a question's answers are its respondents."""
    return {
        **satisfaction,
        "average": shown_or_withheld(satisfaction["average"], answered=satisfaction["responses"]),
        "mentee_average": shown_or_withheld(
            satisfaction["mentee_average"], answered=satisfaction.get("mentee_responses", 0)
        ),
        "mentor_average": shown_or_withheld(
            satisfaction["mentor_average"], answered=satisfaction.get("mentor_responses", 0)
        ),
        "by_question": [
            {**q, "average": shown_or_withheld(q["average"], answered=q["count"])}
            for q in satisfaction["by_question"]
        ],
    }


def _growth_rows(p: Period):
    """Confirmed growth records of the institution's people dated in the period."""
    return GrowthRecord.objects.filter(
        person__institution=p.institution,
        status=GrowthRecord.Status.CONFIRMED,
        date__gte=p.start,
        date__lte=p.end,
    )


def _growth(p: Period) -> dict:

    K = GrowthRecord.Kind
    return _growth_rows(p).aggregate(**{kind.value: Count("pk", filter=Q(kind=kind)) for kind in K})


def _practice_filters(p: Period) -> dict[str, Q]:
    return {
        "added": Q(created_at__gte=p.since, created_at__lt=p.until),
        "published": Q(
            status=Practice.Status.APPROVED, approved_at__gte=p.since, approved_at__lt=p.until
        ),
    }


def _practices(p: Period) -> dict:

    counts = {key: Count("pk", filter=q) for key, q in _practice_filters(p).items()}
    return Practice.objects.filter(institution=p.institution).aggregate(**counts)


def compute(
    *, institution, year_start: int, on_date: date | None = None, today: date | None = None
) -> dict:
    """Every indicator of DOMAIN.md §5 for one academic year (or up to a date inside it);
    ``today`` (default: the local date) tells which deadlines have passed when no date is
    asked."""
    start, end, effective = period(year_start, on_date)
    asked = asked_date(start, end, effective, today)
    p = Period(institution, start, end, asked)
    people = _people(p)
    sizes = _group_sizes(p)
    programs = _programs(p)
    programs_total = programs.pop("total")
    retention = {}
    for years, key in ((1, "after_1_year"), (3, "after_3_years")):
        base, retained = people.pop(f"base_{years}"), people.pop(f"retained_{years}")
        retention[key] = {"base": base, "retained": retained, "share": share(retained, base)}
    people.update(
        groups=len(sizes),
        pairs=sum(1 for n in sizes if n == 1),
        staff_involved_share=share(people["staff_involved"], people["staff"]),
        young_covered_share=share(people["young_covered"], people["young_specialists"]),
    )
    people = {key: people[key] for key in PEOPLE_KEYS}
    return {
        "year_start": year_start,
        "year_label": year_label(year_start),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "on_date": effective.isoformat() if effective else None,
        "asked": asked.isoformat(),
        "is_empty": not (
            people["groups"]
            or programs_total
            or people["mentors_in_bank"]
            or people["mentees_in_bank"]
        ),
        "people": people,
        "by_form": _by_reference(_model("MentoringForm"), p),
        "by_kind": _by_reference(_model("MentoringKind"), p),
        "by_category": _by_category(p),
        "programs": programs,
        "events": _events(p),
        "satisfaction": _satisfaction(p),
        "growth": _growth(p),
        "retention": retention,
        "practices": _practices(p),
    }


PEOPLE_KEYS = [
    "staff",
    "mentors",
    "mentees",
    "mentors_in_bank",
    "mentees_in_bank",
    "groups",
    "pairs",
    "staff_involved",
    "staff_involved_share",
    "young_specialists",
    "young_covered",
    "young_covered_share",
]


def _model(name: str):

    return getattr(models, name)


# --- The rows behind each figure (issue 18, item 9) -----------------------------------------
#
# Every countable figure of ``compute`` names here the rows it counts, built from the same
# filters as its count (``_people_filters``, ``_program_filters``…), so that the dashboard's
# number and the list it opens cannot drift apart. A share lists the rows of its part and
# knows its whole; a figure per entry of a reference list takes the entry (``ref``).


@dataclass(frozen=True)
class Figure:
    """The rows behind one figure. ``kind`` tells what they are (people, groups, programs,
    events, growth, practices); ``rows(p, ref)`` is the queryset whose count is the figure;
    ``whole`` the one of a share's whole; ``entry(institution, ref)`` the name of a reference
    entry (None when there is no such entry) for the figures by form, kind, category, reason."""

    title: str
    kind: str
    rows: Callable
    whole: Callable | None = None
    entry: Callable | None = None
    note: str = ""


def _people_of(name: str) -> Callable:
    return lambda p, ref=None: _people_rows(p).filter(_people_filters(p)[name])


def _programs_of(name: str) -> Callable:
    return lambda p, ref=None: _program_rows(p).filter(_program_filters(p)[name])


def _practices_of(name: str) -> Callable:
    return lambda p, ref=None: Practice.objects.filter(institution=p.institution).filter(
        _practice_filters(p)[name]
    )


def _growth_of(kind) -> Callable:
    return lambda p, ref=None: _growth_rows(p).filter(kind=kind)


def _entry_of(model_name: str) -> Callable:
    def entry(institution, ref):
        model = _model(model_name)
        found = model.objects.visible_to(institution).filter(pk=ref).values_list("name").first()
        return found[0] if found else None

    return entry


def _reason_entry(institution, ref) -> str | None:
    return next((r.label for r in TERMINATION_REASONS if r.value == ref), None)


def _category_people(p: Period, ref):
    return Person.objects.filter(pk__in=_category_members(p, ref).values("person"))


RETENTION_NOTE = (
    "База — молодые специалисты банка наставляемых, пришедшие в учреждение в ту же часть "
    "учебного года {n} назад; остались — не уволены на конец периода."
)
FIGURES: dict[str, Figure] = {
    "people.mentors": Figure("Наставники в парах и группах", "people", _people_of("mentors")),
    "people.mentees": Figure("Наставляемые в парах и группах", "people", _people_of("mentees")),
    "people.mentors_in_bank": Figure("Наставники в банке", "people", _people_of("mentors_in_bank")),
    "people.mentees_in_bank": Figure(
        "Наставляемые в банке", "people", _people_of("mentees_in_bank")
    ),
    "people.groups": Figure(
        "Утверждённые пары и группы", "groups", lambda p, ref=None: _group_rows(p)
    ),
    "people.pairs": Figure(
        "Утверждённые пары (один наставляемый)",
        "groups",
        lambda p, ref=None: _group_rows(p).filter(PAIR),
    ),
    "people.staff": Figure("Педагоги учреждения", "people", _people_of("staff")),
    "people.staff_involved": Figure(
        "Педагоги, вовлечённые в наставничество", "people", _people_of("staff_involved")
    ),
    "people.staff_involved_share": Figure(
        "Педагоги, вовлечённые в наставничество",
        "people",
        _people_of("staff_involved"),
        whole=_people_of("staff"),
    ),
    "people.young_specialists": Figure(
        "Молодые специалисты", "people", _people_of("young_specialists")
    ),
    "people.young_covered": Figure(
        "Молодые специалисты, охваченные наставничеством", "people", _people_of("young_covered")
    ),
    "people.young_covered_share": Figure(
        "Молодые специалисты, охваченные наставничеством",
        "people",
        _people_of("young_covered"),
        whole=_people_of("young_specialists"),
    ),
    "programs.active": Figure("Программы, которые выполняются", "programs", _programs_of("active")),
    "programs.completed": Figure("Завершённые программы", "programs", _programs_of("completed")),
    "programs.completed_on_time": Figure(
        "Программы, завершённые в срок",
        "programs",
        _programs_of("completed_on_time"),
        note="Завершены в периоде не позже конца срока программы, срок не продлевался.",
    ),
    "programs.extended": Figure(
        "Программы с продлённым сроком",
        "programs",
        _programs_of("extended"),
        note="Срок изменён по взаимному согласию (п. 7.2) или программа продлена дольше года.",
    ),
    "programs.terminated": Figure(
        "Программы, прекращённые досрочно", "programs", _programs_of("terminated")
    ),
    "programs.terminated_by_reason": Figure(
        "Программы, прекращённые досрочно",
        "programs",
        lambda p, ref: _program_rows(p).filter(_program_filters(p)[f"reason_{ref}"]),
        entry=_reason_entry,
    ),
    "events.due": Figure(
        "Мероприятия программ, срок которых прошёл",
        "events",
        lambda p, ref=None: due_events(p),
    ),
    "events.done_on_time": Figure(
        "Мероприятия, выполненные в срок",
        "events",
        lambda p, ref=None: due_events(p).filter(DONE_ON_TIME),
    ),
    "events.share_on_time": Figure(
        "Мероприятия, выполненные в срок",
        "events",
        lambda p, ref=None: due_events(p).filter(DONE_ON_TIME),
        whole=lambda p, ref=None: due_events(p),
        note="Из мероприятий со сроком в периоде, срок которых уже прошёл; отменённые не в счёт.",
    ),
    **{
        f"growth.{kind.value}": Figure(f"Рост участников: {kind.label}", "growth", _growth_of(kind))
        for kind in GrowthRecord.Kind
    },
    "practices.added": Figure(
        "Практики, добавленные в копилку", "practices", _practices_of("added")
    ),
    "practices.published": Figure(
        "Практики, одобренные для публикации", "practices", _practices_of("published")
    ),
    "by_form": Figure(
        "Пары и группы формы наставничества",
        "groups",
        lambda p, ref: _reference_groups(p, MentoringForm, ref),
        entry=_entry_of("MentoringForm"),
    ),
    "by_kind": Figure(
        "Пары и группы вида наставничества",
        "groups",
        lambda p, ref: _reference_groups(p, _model("MentoringKind"), ref),
        entry=_entry_of("MentoringKind"),
    ),
    "by_category": Figure(
        "Наставляемые категории",
        "people",
        _category_people,
        entry=_entry_of("MenteeCategory"),
    ),
}
for _years, _key, _n in ((1, "after_1_year", "год"), (3, "after_3_years", "3 года")):
    _note = RETENTION_NOTE.format(n=_n)
    _base, _retained = _people_of(f"base_{_years}"), _people_of(f"retained_{_years}")
    FIGURES[f"retention.{_key}.base"] = Figure(
        f"Молодые специалисты, пришедшие {_n} назад", "people", _base, note=_note
    )
    FIGURES[f"retention.{_key}.retained"] = Figure(
        f"Молодые специалисты, оставшиеся через {_n}", "people", _retained, note=_note
    )
    FIGURES[f"retention.{_key}.share"] = Figure(
        f"Молодые специалисты, оставшиеся через {_n}",
        "people",
        _retained,
        whole=_base,
        note=_note,
    )


@dataclass(frozen=True)
class FigureRows:
    figure: Figure
    rows: object  # a queryset
    whole: object | None  # a queryset, for a share
    entry: str  # the name of the reference entry, or ""


def make_period(
    institution, year_start: int, on_date: date | None = None, today: date | None = None
) -> Period:
    """The period ``compute`` counts in."""
    start, end, effective = period(year_start, on_date)
    return Period(institution, start, end, asked_date(start, end, effective, today))


def figure_rows(
    *,
    institution,
    key: str,
    year_start: int,
    on_date: date | None = None,
    today: date | None = None,
    ref: str = "",
) -> FigureRows | None:
    """The rows behind the figure ``key`` (a path of ``compute``'s dict, e.g.
    «programs.completed_on_time»), as ``compute`` counts them; None for an unknown figure or
    reference entry. The rows are not fetched here; an entry's name costs one query."""
    figure = FIGURES.get(key)
    if figure is None:
        return None
    entry = ""
    if figure.entry is not None:
        if figure.entry is not _reason_entry and not str(ref).isdigit():
            return None
        entry = figure.entry(institution, ref) if ref else None
        if entry is None:
            return None
    p = make_period(institution, year_start, on_date, today)
    rows = figure.rows(p, ref) if figure.entry else figure.rows(p)
    whole = figure.whole(p) if figure.whole else None
    return FigureRows(figure, rows, whole, entry)


def years_with_data(institution, today: date) -> list[int]:
    """The academic years from the earliest group or bank entry to the current one, newest
    first (two queries)."""

    current = academic_year_start(today).year
    first_group = MentoringGroup.objects.filter(institution=institution).aggregate(
        first=Min("planned_start")
    )["first"]
    first_entry = Person.objects.filter(institution=institution).aggregate(
        mentor=Min("mentor_profile__created_at"), mentee=Min("mentee_profile__created_at")
    )
    days = [first_group] + [
        timezone.localtime(moment).date() for moment in first_entry.values() if moment
    ]
    days = [d for d in days if d is not None]
    first = min((academic_year_start(d).year for d in days), default=current)
    first = min(first, current)
    return list(range(current, first - 1, -1))


# --- The cache of computed indicators ------------------------------------------------------------
#
# The homes and the dashboard show the same numbers on every request while the data behind them
# changes a few times a day; computing them costs ≈ 50 ms of CPU (mostly building the SQL of the
# aggregates), twice on the dashboard. ``cached_compute`` keeps the result in Django's cache
# (settings.CACHES: a cache every application server shares in production, so no sticky sessions
# are needed; local memory in development and tests) under a key with the institution's *token*:
# every save or delete of a row the indicators read replaces that token (on the spot and again
# after the commit), so the next request recomputes. Bulk writes go through the audit trail's
# helpers (``audit.trail.log_bulk``), whose ``bulk_written`` signal forgets the same way;
# a write that bypasses both shows at the latest after ``CACHE_SECONDS``.

CACHE_SECONDS = 5 * 60
CACHE_PREFIX = "indicators"
GLOBAL = "all"  # the token of the reference lists and questionnaires every institution reads

# model label → the path from a row to its institution's id, followed through loaded relations
# only (a receiver never queries); a row whose path is not loaded replaces the global token.
INSTITUTION_PATHS = {
    "registry.Organization": ("pk",),
    "registry.Person": ("institution_id",),
    "registry.MentorProfile": ("person", "institution_id"),
    "registry.MenteeProfile": ("person", "institution_id"),
    "registry.MentoringGroup": ("institution_id",),
    "registry.GroupMember": ("group", "institution_id"),
    "programs.Program": ("group", "institution_id"),
    "programs.ProgramEvent": ("program", "group", "institution_id"),
    "programs.TermChange": ("program", "group", "institution_id"),
    "reports.Survey": ("institution_id",),
    "reports.Response": ("survey", "institution_id"),
    "reports.GrowthRecord": ("person", "institution_id"),
    "reports.Practice": ("institution_id",),
    # Read by the roadmap's facts (roadmap/progress.py, cached with the same tokens).
    "registry.Order": ("institution_id",),
    "registry.Consent": ("person", "institution_id"),
    "registry.Difficulty": ("mentee", "person", "institution_id"),
    "registry.SelfQuestionnaire": ("person", "institution_id"),
    "registry.NewsItem": ("institution_id",),
    "registry.PublicSection": ("institution_id",),
    "reports.Invitation": ("survey", "institution_id"),
    "programs.TypicalEvent": ("institution_id",),
    "roadmap.Roadmap": ("institution_id",),
    "roadmap.Stage": ("roadmap", "institution_id"),
    "roadmap.Activity": ("stage", "roadmap", "institution_id"),
    # Read by the curator's counters (mentoring_site/homes.py, cached with the same tokens).
    "registry.Petition": ("group", "institution_id"),
    "registry.CouncilMeeting": ("institution_id",),
    "programs.Meeting": ("program", "group", "institution_id"),
    # Read by the lists' filters (their options, cached per institution; registry/filters.py).
    "registry.Position": ("institution_id",),
    "registry.Direction": ("institution_id",),
}
# A partner organization is offered in the filters of the kindergarten it is a partner of.
ALSO_FORGETS = {"registry.Organization": "partner_of_id"}
GLOBAL_MODELS = (
    "registry.MentoringForm",
    "registry.MentoringKind",
    "registry.MenteeCategory",
    "reports.QuestionnaireTemplate",
    "reports.Question",
)


def _token_key(scope) -> str:
    return f"{CACHE_PREFIX}:token:{scope}"


# The tokens are read once per request (issue 21): a home reads the indicators, the roadmap's
# facts, the counters and a list its filters' options, all under the same two tokens. Only
# inside a request: a process that runs on (the worker) reads them afresh every time, and any
# ``forget`` in the request drops what was read.
_request = Local()


def _request_started(**kwargs) -> None:
    _request.tokens = {}


def _request_finished(**kwargs) -> None:
    _request.tokens = None


def _tokens(institution_id: int) -> tuple[str, str]:
    """The institution's token and the global one, made when missing."""

    memo = getattr(_request, "tokens", None)
    if memo is not None and institution_id in memo:
        return memo[institution_id]
    keys = [_token_key(institution_id), _token_key(GLOBAL)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid4().hex, timeout=None)
            found[key] = cache.get(key)
    tokens = found[keys[0]], found[keys[1]]
    if memo is not None:
        memo[institution_id] = tokens
    return tokens


def forget(scope) -> None:
    """Drops the cached indicators of one institution (its id), or of all (``GLOBAL``)."""

    cache.set(_token_key(scope), uuid4().hex, timeout=None)
    if getattr(_request, "tokens", None):
        _request.tokens = {}


def cached_compute(
    *, institution, year_start: int, on_date: date | None = None, today: date | None = None
) -> dict:
    """``compute`` through the cache (see above); the same dict. The key carries the date
    asked: a deadline passes with the day, not with a write the token sees."""

    today = today or timezone.localdate()
    start, end, effective = period(year_start, on_date)
    asked = asked_date(start, end, effective, today)
    day = effective.isoformat() if effective else "-"
    return cached_for_institution(
        institution_id=institution.pk,
        name=f"{year_start}:{day}:{asked.isoformat()}",
        build=lambda: compute(
            institution=institution, year_start=year_start, on_date=on_date, today=today
        ),
    )


# What ``cached_for_institution(..., in_process=True)`` keeps in the process as well: {key:
# (monotonic deadline, data)}. The key carries the tokens, read from the shared cache on every
# request, so a change made through any process is a new key here too.
_in_process: dict = {}
IN_PROCESS_LIMIT = 5_000


def cached_for_institution(*, institution_id: int, name: str, build, in_process: bool = False):
    """``build()`` through the cache under the institution's token and the global one: what
    is computed from the rows of ``INSTITUTION_PATHS`` and ``GLOBAL_MODELS`` only (the
    indicators; the roadmap's facts, roadmap/progress.py). ``name`` tells the computations of
    one institution apart (and carries every argument the result depends on). ``in_process``:
    small data read on every page (the lists' filter options, issue 21) is kept in the
    process too, for ``CACHE_SECONDS`` at most — one query of the cache less a page."""

    own, common = _tokens(institution_id)
    key = f"{CACHE_PREFIX}:{institution_id}:{name}:{own}:{common}"
    kept = _in_process.get(key) if in_process else None
    if kept is not None and kept[0] > monotonic():
        return kept[1]
    data = cache.get(key)
    if data is None:
        data = build()
        cache.set(key, data, CACHE_SECONDS)
    if in_process:
        if len(_in_process) >= IN_PROCESS_LIMIT:
            _in_process.clear()
        _in_process[key] = (monotonic() + CACHE_SECONDS, data)
    return data


def _institution_of(instance, path: tuple) -> int | None:
    """The institution id at the end of ``path``, or None when a relation on the way is not
    loaded (or empty)."""
    obj = instance
    for name in path[:-1]:
        if not obj._meta.get_field(name).is_cached(obj):
            return None
        obj = getattr(obj, name)
        if obj is None:
            return None
    return getattr(obj, path[-1])


def _changed(sender, instance, **kwargs) -> None:

    path = INSTITUTION_PATHS.get(sender._meta.label)
    scope = _institution_of(instance, path) if path else GLOBAL
    scopes = {GLOBAL if scope is None else scope}
    also = ALSO_FORGETS.get(sender._meta.label)
    if also and getattr(instance, also, None):
        scopes.add(getattr(instance, also))
    for each in scopes:
        forget(each)
    # Once more after the commit: a request that read the old rows in between cached them
    # under the new token.
    transaction.on_commit(lambda: [forget(each) for each in scopes])


def _bulk_changed(sender, institution_ids, **kwargs) -> None:
    """A bulk write (group approval, overdue events, a program's completion…) forgets the
    institutions of its rows, as a save of each would."""

    label = sender._meta.label
    if label not in INSTITUTION_PATHS and label not in GLOBAL_MODELS:
        return
    scopes = {GLOBAL if pk is None or label in GLOBAL_MODELS else pk for pk in institution_ids}
    for scope in scopes:
        forget(scope)
    transaction.on_commit(lambda: [forget(scope) for scope in scopes])


def _kinds_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_"):
        _changed(MentoringGroup if isinstance(instance, MentoringGroup) else sender, instance)


def connect_signals() -> None:
    """Called by ``ReportsConfig.ready``: every change of a row the indicators read forgets
    the cached indicators of its institution."""

    for label in (*INSTITUTION_PATHS, *GLOBAL_MODELS):
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"indicators-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"indicators-delete-{label}")

    bulk_written.connect(_bulk_changed, dispatch_uid="indicators-bulk")
    request_started.connect(_request_started, dispatch_uid="indicators-request-started")
    request_finished.connect(_request_finished, dispatch_uid="indicators-request-finished")
    through = apps.get_model("registry.MentoringGroup").kinds.through
    m2m_changed.connect(_kinds_changed, sender=through, dispatch_uid="indicators-kinds")
