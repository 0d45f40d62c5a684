"""Where each stage of a roadmap stands, computed from what the registry holds (Приложение 2).

``roadmap_progress(roadmap, today)`` gives per-stage percentages and, per activity, the fact
behind it: a label, a value, a total and the list that shows it. Everything is counted inside
the roadmap's institution and its academic year (1 September – 31 August, «the year» below);
«the bank» is the people of the institution with a mentee (mentor) profile who are not dismissed
by ``today``; «groups of the year» are groups whose planned term overlaps the year.

Measures (``Activity.Measure``):

- REGULATION_ORDER: a signed order «Об утверждении Положения…» (Order.Kind.REGULATION) dated up
  to the year's end exists. Yes/no.
- ROADMAP_ORDER: this roadmap has been approved by an order (п. 3.2). Yes/no.
- GROUPS_ORDER: groups of the year sent to the head or approved (submitted, active, completed,
  terminated) whose founding order is signed / all such groups (п. 6.2).
- PROGRAM_TEMPLATE: the library of typical events that «Создать по шаблону» draws from has an
  active entry (Приложение 1). Yes/no.
- REQUESTS: mentees in the bank with at least one difficulty or request / mentees in the bank.
- MENTEE_CONSENTS (2.2 «Формирование банка данных наставляемых, обеспечение согласий»): the
  pedagogues who need a mentor — own staff with a pedagogical experience under 3 years (young
  specialists), whoever sent a mentee's request questionnaire during the year that was not
  rejected, and the mentee bank — of whom those in the mentee bank with a processing consent in
  force on the day (152-ФЗ, ст. 9). Nobody enters the bank without a consent, so «with a consent
  / the bank» was always 100 %; a young specialist or a request not yet entered keeps it lower.
- MENTORS_SURVEYED: mentors in the bank who submitted the questionnaire of a potential mentor
  during the year and whose questionnaire was not rejected / mentors in the bank. The
  questionnaire is yearly: one from an earlier year does not count.
- MENTOR_CONSENTS (3.2 «Формирование банка данных наставников, обеспечение согласий»): the
  potential mentors — whoever submitted the questionnaire of a potential mentor during the year
  that was not rejected, and the mentor bank — of whom those in the mentor bank with a
  processing consent in force on the day. A questionnaire not yet entered keeps it below 100 %.
- MENTORS_TRAINED: mentors in the bank whose training was completed by the year's end / mentors.
- GROUPS_APPROVED: groups of the year approved by the head (active, completed, terminated) /
  groups of the year except those a participant declined.
- PROGRAMS_APPROVED: approved groups of the year (active, completed) whose program was approved /
  those groups.
- MENTEES_PLACED: mentees in a pair or group of the year (active or completed), plus mentees
  without one whose support is recorded (Приложение 2, этап 5.3) / mentees in the bank, except
  those who completed a program earlier and are not placed this year.
- QUESTIONNAIRES: invitations to surveys sent during the year that were answered / all of them.
- FINAL_EVENT_ORDER: a signed order «О проведении итогового мероприятия» dated in the year.
- PRACTICES (6.3): best practices approved for publication during the year (a draft or a
  practice waiting for approval does not count); the target is at least one.
- PUBLICATIONS: what the public section «Наставничество» shows from the year (п. 8.1): signed
  orders marked for publication, practices approved for publication and news published during
  the year; nothing counts while the section itself is not published. The target is at least
  one.

Everything is counted within the roadmap's year: before its first day nothing is done (every
fact is 0, whatever was signed or entered earlier), and after its last day the facts stand as
on that day (consents in force, people not dismissed).

An activity with a measure is done when its fact reaches 100 %, or when the curator marked it
done with evidence; one without a measure counts 0 until marked done. A stage's progress is the
mean of its activities, the roadmap's the mean of its stages. The number of queries does not
depend on the number of people, groups or activities.
"""

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from programs.models import TypicalEvent
from registry.models import (
    Consent,
    Difficulty,
    GroupMember,
    MenteeProfile,
    MentoringGroup,
    NewsItem,
    Order,
    Person,
    PublicSection,
    SelfQuestionnaire,
)
from reports.indicators import YOUNG_EXPERIENCE_YEARS, cached_for_institution
from reports.models import Invitation, Practice
from roadmap.models import Activity, Roadmap, Stage

M = Activity.Measure
ZERO = Fraction(0)
ONE = Fraction(1)


def percent_of(fraction: Fraction) -> int:
    """Rounded half up; 100 % only when complete and 0 % only when nothing is done."""
    if fraction <= 0:
        return 0
    if fraction >= 1:
        return 100
    return min(max(int(fraction * 100 + Fraction(1, 2)), 1), 99)


def _url(name: str, query: str = "", *args) -> str:
    """The list behind a fact; empty while the part that owns it is not installed yet."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


@dataclass(frozen=True)
class Fact:
    """What the registry knows about one activity."""

    label: str
    value: int
    total: int
    url: str = ""
    kind: str = "ratio"  # "ratio": 12 из 15; "flag": да/нет; "target": at least ``total``
    note: str = ""
    link: str = ""  # what ``url`` opens, the link's text («Банк наставляемых»)

    @property
    def fraction(self) -> Fraction:
        if self.total <= 0:
            return ZERO
        return min(Fraction(self.value, self.total), ONE)

    @property
    def percent(self) -> int:
        return percent_of(self.fraction)

    @property
    def text(self) -> str:
        if self.kind == "flag":
            return "да" if self.value else "нет"
        if self.kind == "target":
            return f"{self.value} (нужно не меньше {self.total})"
        return f"{self.value} из {self.total}"


@dataclass(frozen=True)
class ActivityProgress:
    activity: Activity
    fact: Fact | None
    fraction: Fraction
    overdue: bool

    @property
    def percent(self) -> int:
        return percent_of(self.fraction)

    @property
    def marked_done(self) -> bool:
        return self.activity.status == Activity.Status.DONE

    @property
    def done(self) -> bool:
        return self.fraction >= 1

    @property
    def done_by_registry(self) -> bool:
        """Done by the registry's data, without the curator's mark."""
        return self.done and not self.marked_done

    @property
    def state(self) -> str:
        """«done», «in_progress» or «planned»: what the badge shows."""
        if self.done:
            return Activity.Status.DONE
        if self.fraction > 0 or self.activity.status == Activity.Status.IN_PROGRESS:
            return Activity.Status.IN_PROGRESS
        return Activity.Status.PLANNED

    @property
    def state_label(self) -> str:
        return Activity.Status(self.state).label


@dataclass(frozen=True)
class StageProgress:
    stage: Stage
    activities: list[ActivityProgress]

    @property
    def fraction(self) -> Fraction:
        if not self.activities:
            return ZERO
        return sum((a.fraction for a in self.activities), ZERO) / len(self.activities)

    @property
    def percent(self) -> int:
        return percent_of(self.fraction)

    @property
    def starts_on(self) -> date | None:
        days = [a.activity.starts_on or a.activity.deadline for a in self.activities]
        return min(days, default=None)

    @property
    def ends_on(self) -> date | None:
        return max((a.activity.deadline for a in self.activities), default=None)

    @property
    def overdue(self) -> list[ActivityProgress]:
        return [a for a in self.activities if a.overdue]

    @property
    def done_count(self) -> int:
        return sum(1 for a in self.activities if a.done)

    @property
    def partial(self) -> list[ActivityProgress]:
        """Begun, not done: each counts in the stage's percent by its share."""
        return [a for a in self.activities if 0 < a.fraction < 1]


@dataclass(frozen=True)
class RoadmapProgress:
    roadmap: Roadmap
    today: date
    stages: list[StageProgress] = field(default_factory=list)

    @property
    def fraction(self) -> Fraction:
        if not self.stages:
            return ZERO
        return sum((s.fraction for s in self.stages), ZERO) / len(self.stages)

    @property
    def percent(self) -> int:
        return percent_of(self.fraction)

    @property
    def activities(self) -> list[ActivityProgress]:
        return [a for s in self.stages for a in s.activities]

    @property
    def overdue(self) -> list[ActivityProgress]:
        return [a for a in self.activities if a.overdue]

    @property
    def due_this_month(self) -> list[ActivityProgress]:
        """Not done, due from today to the end of this month."""
        month_end = (self.today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(
            days=1
        )
        return [
            a
            for a in self.activities
            if not a.done and self.today <= a.activity.deadline <= month_end
        ]


# --- Facts ---------------------------------------------------------------------------------


def _moments(start: date, end: date) -> tuple[datetime, datetime]:
    """The year as aware datetimes [start 00:00, the day after the end 00:00)."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


ORDER_MEASURES = {M.REGULATION_ORDER, M.FINAL_EVENT_ORDER, M.PUBLICATIONS}
PEOPLE_MEASURES = {
    M.REQUESTS,
    M.MENTEE_CONSENTS,
    M.MENTORS_SURVEYED,
    M.MENTOR_CONSENTS,
    M.MENTORS_TRAINED,
    M.MENTEES_PLACED,
}
GROUP_MEASURES = {M.GROUPS_ORDER, M.GROUPS_APPROVED, M.PROGRAMS_APPROVED}
PRACTICE_MEASURES = {M.PRACTICES, M.PUBLICATIONS}


def _order_counts(institution, start, end) -> dict:

    in_year = Q(date__gte=start, date__lte=end)
    return Order.objects.filter(institution=institution, status=Order.Status.SIGNED).aggregate(
        regulation=Count("pk", filter=Q(kind=Order.Kind.REGULATION, date__lte=end)),
        final_event=Count("pk", filter=Q(kind=Order.Kind.FINAL_EVENT) & in_year),
        public=Count("pk", filter=Q(is_public=True) & in_year),
    )


def _group_filter(start, end) -> Q:
    return Q(planned_start__lte=end, planned_end__gte=start)


def _people_counts(institution, start, end, today) -> dict:

    since, until = _moments(start, end)
    Group = MentoringGroup.Status
    placed = GroupMember.objects.filter(
        person=OuterRef("pk"),
        role=GroupMember.Role.MENTEE,
        left_on__isnull=True,
        group__status__in=[Group.ACTIVE, Group.COMPLETED],
        group__planned_start__lte=end,
        group__planned_end__gte=start,
    )
    questionnaires = SelfQuestionnaire.objects.filter(
        person=OuterRef("pk"), submitted_at__gte=since, submitted_at__lt=until
    ).exclude(status=SelfQuestionnaire.Status.REJECTED)
    people = (
        Person.objects.filter(institution=institution)
        .filter(Q(dismissed_on__isnull=True) | Q(dismissed_on__gt=today))
        .annotate(
            has_consent=Exists(
                Consent.objects.active(today).filter(
                    person=OuterRef("pk"), kind=Consent.Kind.PROCESSING
                )
            ),
            has_request=Exists(Difficulty.objects.filter(mentee__person=OuterRef("pk"))),
            surveyed=Exists(questionnaires.filter(kind=SelfQuestionnaire.Kind.MENTOR)),
            requested=Exists(questionnaires.filter(kind=SelfQuestionnaire.Kind.MENTEE_REQUEST)),
            placed=Exists(placed),
        )
    )
    mentee = Q(mentee_profile__isnull=False)
    mentor = Q(mentor_profile__isnull=False)
    young_staff = Q(
        organization_id=institution, experience_pedagogical__lt=YOUNG_EXPERIENCE_YEARS
    ) & (Q(hired_on__isnull=True) | Q(hired_on__lte=today))
    mentee_candidate = mentee | Q(requested=True) | young_staff
    mentor_candidate = mentor | Q(surveyed=True)
    completed = Q(mentee_profile__status=MenteeProfile.Status.COMPLETED)
    needs_pair = mentee & (~completed | Q(placed=True))
    return people.aggregate(
        mentee_candidates=Count("pk", filter=mentee_candidate),
        mentor_candidates=Count("pk", filter=mentor_candidate),
        mentees=Count("pk", filter=mentee),
        mentees_with_requests=Count("pk", filter=mentee & Q(has_request=True)),
        mentees_with_consent=Count("pk", filter=mentee & Q(has_consent=True)),
        mentees_needing_pair=Count("pk", filter=needs_pair),
        mentees_placed=Count("pk", filter=mentee & Q(placed=True)),
        mentees_supported=Count(
            "pk",
            filter=needs_pair & Q(placed=False) & ~Q(mentee_profile__support_note=""),
        ),
        mentors=Count("pk", filter=mentor),
        mentors_surveyed=Count("pk", filter=mentor & Q(surveyed=True)),
        mentors_with_consent=Count("pk", filter=mentor & Q(has_consent=True)),
        mentors_trained=Count(
            "pk", filter=mentor & Q(mentor_profile__training_completed_on__lte=end)
        ),
    )


def _group_counts(institution, start, end) -> dict:

    Group = MentoringGroup.Status
    sent = [Group.SUBMITTED, Group.ACTIVE, Group.COMPLETED, Group.TERMINATED]
    approved = [Group.ACTIVE, Group.COMPLETED, Group.TERMINATED]
    working = [Group.ACTIVE, Group.COMPLETED]
    groups = MentoringGroup.objects.filter(institution=institution).filter(
        _group_filter(start, end)
    )
    return groups.aggregate(
        sent=Count("pk", filter=Q(status__in=sent)),
        with_order=Count("pk", filter=Q(status__in=sent, order__status=Order.Status.SIGNED)),
        formed=Count("pk", filter=~Q(status=Group.DECLINED)),
        approved=Count("pk", filter=Q(status__in=approved)),
        submitted=Count("pk", filter=Q(status=Group.SUBMITTED)),
        working=Count("pk", filter=Q(status__in=working)),
        with_program=Count("pk", filter=Q(status__in=working, program__approved_at__isnull=False)),
    )


def _invitation_counts(institution, start, end) -> dict:

    since, until = _moments(start, end)
    return Invitation.objects.filter(
        survey__institution=institution, survey__sent_at__gte=since, survey__sent_at__lt=until
    ).aggregate(sent=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))


def _practice_counts(institution, start, end) -> dict:

    since, until = _moments(start, end)
    return Practice.objects.filter(institution=institution).aggregate(
        added=Count("pk", filter=Q(created_at__gte=since, created_at__lt=until)),
        approved=Count(
            "pk",
            filter=Q(
                status=Practice.Status.APPROVED, approved_at__gte=since, approved_at__lt=until
            ),
        ),
    )


def _publication_counts(institution, start, end, today) -> dict:

    since, until = _moments(start, min(end, today))
    section = (
        PublicSection.objects.filter(institution=institution, is_published=True)
        .select_related("institution")
        .first()
    )
    news = NewsItem.objects.filter(
        institution=institution,
        status=NewsItem.Status.PUBLISHED,
        published_at__gte=since,
        published_at__lt=until,
    ).count()
    return {"section": section, "news": news}


def _has_program_template(institution_id) -> bool:
    """The library the institution's programs draw from: the installation's and its own."""
    return TypicalEvent.objects.visible_to(institution_id).filter(is_active=True).exists()


def _lacking_or_all_fact(
    label: str, value: int, total: int, name: str, filter_name: str, links: tuple[str, str]
) -> Fact:
    """A ratio whose link lists those who still lack it, or everyone when nobody does;
    ``links`` names the two lists (those who lack it, everyone)."""
    missing = value < total
    url = _url(name, f"{filter_name}=no" if missing else "")
    return Fact(label, value, total, url, link=links[0] if missing else links[1])


@dataclass(frozen=True)
class _Sources:
    """What the facts are computed from: the counts of each source the measures need, one
    query per source, and the reader's flags that leave out links they may not open."""

    roadmap: Roadmap
    today: date
    orders: dict
    people: dict
    groups: dict
    practices: dict
    can_edit_banks: bool
    can_read_surveys: bool

    @property
    def year(self) -> tuple:
        """(institution id, the year's first day, its last day)."""
        return self.roadmap.institution_id, self.roadmap.starts_on, self.roadmap.ends_on


def _load_sources(
    roadmap: Roadmap, today: date, measures: set, *, can_edit_banks: bool, can_read_surveys: bool
) -> _Sources:
    """The counts of each source some measure needs (one query a source; none for the rest)."""
    institution, start, end = roadmap.institution_id, roadmap.starts_on, roadmap.ends_on
    return _Sources(
        roadmap=roadmap,
        today=today,
        orders=_order_counts(institution, start, end) if measures & ORDER_MEASURES else {},
        people=(
            _people_counts(institution, start, end, today) if measures & PEOPLE_MEASURES else {}
        ),
        groups=_group_counts(institution, start, end) if measures & GROUP_MEASURES else {},
        practices=(
            _practice_counts(institution, start, end) if measures & PRACTICE_MEASURES else {}
        ),
        can_edit_banks=can_edit_banks,
        can_read_surveys=can_read_surveys,
    )


def _regulation_order_fact(s: _Sources) -> Fact:
    return Fact(
        "Приказ об утверждении Положения подписан",
        min(s.orders["regulation"], 1),
        1,
        _url("registry:order-list", "kind=regulation&status=signed"),
        kind="flag",
        link="Приказы об утверждении Положения",
    )


def _roadmap_order_fact(s: _Sources) -> Fact:
    order = s.roadmap.order if s.roadmap.order_id else None
    if order is None:
        return Fact("Дорожная карта утверждена приказом", 0, 1, "", kind="flag")
    return Fact(
        f"Дорожная карта утверждена приказом от {order.date:%d.%m.%Y} № {order.number}",
        1,
        1,
        _url("registry:order-detail", "", order.pk),
        kind="flag",
        link=f"Приказ № {order.number}",
    )


def _groups_order_fact(s: _Sources) -> Fact:
    waiting = s.groups["submitted"]
    return Fact(
        "пар и групп закреплены подписанным приказом",
        s.groups["with_order"],
        s.groups["sent"],
        _url("registry:group-list", f"status={'submitted' if waiting else 'active'}"),
        note=f"ждут приказа: {waiting}" if waiting else "",
        link="Пары и группы на утверждении" if waiting else "Утверждённые пары и группы",
    )


def _program_template_fact(s: _Sources) -> Fact:
    return Fact(
        "Библиотека типовых мероприятий для программ заполнена",
        1 if _has_program_template(s.roadmap.institution_id) else 0,
        1,
        _url("programs:library-list") if s.can_edit_banks else "",
        kind="flag",
        link="Библиотека типовых мероприятий",
    )


def _requests_fact(s: _Sources) -> Fact:
    return Fact(
        "наставляемых с записанными затруднениями и запросами",
        s.people["mentees_with_requests"],
        s.people["mentees"],
        _url("registry:mentee-list"),
        link="Банк наставляемых",
    )


def _bank_fact(label: str, value: int, total: int, outside: int, lists: dict) -> Fact:
    """2.2 and 3.2: those who need the bank, of whom in it with a consent; the link opens the
    questionnaires waiting to be entered while some are, else the bank."""
    waiting = total - value
    name, query, link = lists["waiting"] if outside else lists["bank"]
    return Fact(
        label,
        value,
        total,
        _url(name, query),
        note=f"не внесены в банк с согласием: {waiting}" if waiting else "",
        link=link,
    )


def _mentee_consents_fact(s: _Sources) -> Fact:
    people = s.people
    return _bank_fact(
        "педагогов, которым нужен наставник (молодые специалисты, анкеты-запросы, банк), "
        "внесены в банк наставляемых с согласием на обработку персональных данных",
        people["mentees_with_consent"],
        people["mentee_candidates"],
        people["mentee_candidates"] - people["mentees"],
        {
            "waiting": (
                "registry:questionnaire-list",
                "kind=mentee_request&status=submitted",
                "Анкеты-запросы наставляемых",
            ),
            "bank": ("registry:mentee-list", "", "Банк наставляемых"),
        },
    )


def _mentors_surveyed_fact(s: _Sources) -> Fact:
    return Fact(
        "наставников заполнили анкету в этом учебном году",
        s.people["mentors_surveyed"],
        s.people["mentors"],
        _url("registry:questionnaire-list", "kind=mentor"),
        link="Анкеты наставников",
    )


def _mentor_consents_fact(s: _Sources) -> Fact:
    people = s.people
    return _bank_fact(
        "потенциальных наставников (анкеты учебного года и банк) внесены в банк наставников "
        "с согласием на обработку персональных данных",
        people["mentors_with_consent"],
        people["mentor_candidates"],
        people["mentor_candidates"] - people["mentors"],
        {
            "waiting": (
                "registry:questionnaire-list",
                "kind=mentor&status=submitted",
                "Анкеты потенциальных наставников",
            ),
            "bank": ("registry:mentor-list", "", "Банк наставников"),
        },
    )


def _mentors_trained_fact(s: _Sources) -> Fact:
    return _lacking_or_all_fact(
        "наставников прошли обучение",
        s.people["mentors_trained"],
        s.people["mentors"],
        "registry:mentor-list",
        "trained",
        ("Наставники без обучения", "Банк наставников"),
    )


def _groups_approved_fact(s: _Sources) -> Fact:
    return Fact(
        "пар и групп утверждены заведующим",
        s.groups["approved"],
        s.groups["formed"],
        _url("registry:group-list"),
        link="Пары и группы",
    )


def _programs_approved_fact(s: _Sources) -> Fact:
    return Fact(
        "пар и групп с утверждённой программой",
        s.groups["with_program"],
        s.groups["working"],
        _url("programs:program-list"),
        link="Программы",
    )


def _mentees_placed_fact(s: _Sources) -> Fact:
    people = s.people
    without = people["mentees_needing_pair"] - people["mentees_placed"]
    return Fact(
        "наставляемых в парах или с оказанной поддержкой",
        people["mentees_placed"] + people["mentees_supported"],
        people["mentees_needing_pair"],
        _url("registry:mentee-list", "status=without_pair"),
        note=f"без пары: {without}, из них с отметкой о поддержке: {people['mentees_supported']}",
        link="Наставляемые без пары",
    )


def _questionnaires_fact(s: _Sources) -> Fact:
    invitations = _invitation_counts(*s.year)
    return Fact(
        "анкет мониторинга заполнено",
        invitations["answered"],
        invitations["sent"],
        _url("reports:survey-list") if s.can_read_surveys else "",
        link="Анкетирование",
    )


def _final_event_order_fact(s: _Sources) -> Fact:
    return Fact(
        "Приказ о проведении итогового мероприятия подписан",
        min(s.orders["final_event"], 1),
        1,
        _url("registry:order-list", "kind=final_event"),
        kind="flag",
        link="Приказы о проведении итогового мероприятия",
    )


def _practices_fact(s: _Sources) -> Fact:
    return Fact(
        "лучших практик одобрено для публикации в методической копилке в этом учебном году",
        s.practices["approved"],
        1,
        _url("reports:practice-list", "status=approved"),
        kind="target",
        link="Методическая копилка",
    )


def _publications_fact(s: _Sources) -> Fact:
    published = _publication_counts(*s.year, s.today)
    section = published["section"]
    if section is None:
        value, note, url = 0, "раздел «Наставничество» ещё не опубликован", ""
    else:
        orders, practices, news = s.orders["public"], s.practices["approved"], published["news"]
        value = orders + practices + news
        note = f"приказов: {orders}, практик: {practices}, новостей: {news}"
        url = _url("public:section", "", section.institution.public_slug)
    return Fact(
        "материалов в разделе «Наставничество» за учебный год: приказы для публикации, "
        "одобренные практики, новости",
        value,
        1,
        url,
        kind="target",
        note=note,
        link="Раздел «Наставничество» на сайте",
    )


# One builder a measure, in the order the facts are computed (and their queries asked).
FACT_BUILDERS = {
    M.REGULATION_ORDER: _regulation_order_fact,
    M.ROADMAP_ORDER: _roadmap_order_fact,
    M.GROUPS_ORDER: _groups_order_fact,
    M.PROGRAM_TEMPLATE: _program_template_fact,
    M.REQUESTS: _requests_fact,
    M.MENTEE_CONSENTS: _mentee_consents_fact,
    M.MENTORS_SURVEYED: _mentors_surveyed_fact,
    M.MENTOR_CONSENTS: _mentor_consents_fact,
    M.MENTORS_TRAINED: _mentors_trained_fact,
    M.GROUPS_APPROVED: _groups_approved_fact,
    M.PROGRAMS_APPROVED: _programs_approved_fact,
    M.MENTEES_PLACED: _mentees_placed_fact,
    M.QUESTIONNAIRES: _questionnaires_fact,
    M.FINAL_EVENT_ORDER: _final_event_order_fact,
    M.PRACTICES: _practices_fact,
    M.PUBLICATIONS: _publications_fact,
}


def compute_facts(
    roadmap: Roadmap, today: date, measures, *, can_edit_banks=True, can_read_surveys=True
) -> dict:
    """{measure: Fact} for the given measures, a fixed number of queries (one per source).
    The flags leave out links to lists the reader may not open."""
    measures = set(measures)
    # Within the roadmap's year: after it, the facts as on its last day.
    day = min(today, roadmap.ends_on)
    sources = _load_sources(
        roadmap,
        day,
        measures,
        can_edit_banks=can_edit_banks,
        can_read_surveys=can_read_surveys,
    )
    facts = {
        measure: build(sources) for measure, build in FACT_BUILDERS.items() if measure in measures
    }
    if today < roadmap.starts_on:
        # Before the year begins nothing of it is done, whatever was signed or entered earlier.
        note = f"учебный год начнётся {roadmap.starts_on:%d.%m.%Y}"
        facts = {measure: replace(fact, value=0, note=note) for measure, fact in facts.items()}
    return facts


def cached_facts(
    roadmap: Roadmap, today: date, measures, *, can_edit_banks=True, can_read_surveys=True
) -> dict:
    """``compute_facts`` through the cache of the indicators (``reports.indicators``): under
    the institution's token, which every write of a row the facts read replaces (the roadmap's
    models, orders, consents, questionnaires, invitations, the public section… are in
    ``INSTITUTION_PATHS``). Half of the curator's home was this computation (issue 21)."""
    measures = sorted(set(measures))
    which = hashlib.sha256(",".join(measures).encode()).hexdigest()[:12]  # a key ≤ 250 chars
    name = f"roadmap:{roadmap.pk}:{today}:{int(can_edit_banks)}{int(can_read_surveys)}:{which}"
    return cached_for_institution(
        institution_id=roadmap.institution_id,
        name=name,
        build=lambda: compute_facts(
            roadmap,
            today,
            measures,
            can_edit_banks=can_edit_banks,
            can_read_surveys=can_read_surveys,
        ),
    )


def stages_with_activities(roadmap: Roadmap) -> list[Stage]:
    """The roadmap's stages with their activities, in two queries."""
    return list(
        Stage.objects.filter(roadmap=roadmap).prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.select_related(
                    "responsible", "evidence_order", "done_by__person"
                ).order_by("position", "pk"),
            )
        )
    )


def roadmap_progress(
    roadmap: Roadmap,
    today: date,
    *,
    stages=None,
    can_edit_banks: bool = True,
    can_read_surveys: bool = True,
) -> RoadmapProgress:
    """The progress of every stage and activity of ``roadmap`` on ``today``."""
    stages = stages_with_activities(roadmap) if stages is None else stages
    measures = {a.measure for s in stages for a in s.activities.all() if a.measure}
    facts = cached_facts(
        roadmap,
        today,
        measures,
        can_edit_banks=can_edit_banks,
        can_read_surveys=can_read_surveys,
    )
    result = []
    for stage in stages:
        items = []
        for activity in stage.activities.all():
            fact = facts.get(activity.measure) if activity.measure else None
            if activity.status == Activity.Status.DONE:
                fraction = ONE
            elif fact is not None:
                fraction = fact.fraction
            else:
                fraction = ZERO
            items.append(
                ActivityProgress(
                    activity=activity,
                    fact=fact,
                    fraction=fraction,
                    overdue=fraction < 1 and activity.deadline < today,
                )
            )
        result.append(StageProgress(stage=stage, activities=items))
    return RoadmapProgress(roadmap=roadmap, today=today, stages=result)
