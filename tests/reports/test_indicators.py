"""The indicators of monitoring (DOMAIN.md §5; п. 3.3; Приложение 2, этап 6): every key checked
against hand-built data with the exact expected number, for the whole academic year and «на
дату», an empty year, and a fixed number of queries at two sizes of data."""

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programs.models import EventForm, Program, ProgramEvent, TermChange
from registry.models import (
    Direction,
    GroupMember,
    MenteeCategory,
    MenteeProfile,
    MentoringForm,
    MentoringGroup,
    MentoringKind,
    MentorProfile,
    Person,
)
from reports import indicators
from reports.anonymity import TOO_FEW_ANSWERS
from reports.models import (
    Answer,
    GrowthRecord,
    Practice,
    Question,
    QuestionnaireTemplate,
    Response,
    Survey,
)
from tests.factories import make_institution, make_person

pytestmark = pytest.mark.django_db

YOUNG = "молодой специалист со стажем до 3 лет"
NEW = "новый сотрудник"
PEDAGOG = "педагог – педагог"
HEAD_FORM = "руководитель образовательной организации – педагог"
TRADITIONAL = "традиционное («один-на-один»)"
IN_GROUP = "в группе"
SITUATIONAL = "ситуационное"
ON_DATE = date(2027, 1, 15)


def moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=12)))


def person(world, last_name, *, organization=None, **fields):
    return make_person(
        world.institution, last_name, organization=organization or world.institution, **fields
    )


def mentee_entry(someone, category=YOUNG, created=date(2025, 6, 1)):
    profile = MenteeProfile.objects.create(
        person=someone, category=MenteeCategory.objects.get(name=category)
    )
    MenteeProfile.objects.filter(pk=profile.pk).update(created_at=moment(created))
    return profile


def mentor_entry(someone, created=date(2025, 6, 1)):
    profile = MentorProfile.objects.create(person=someone)
    MentorProfile.objects.filter(pk=profile.pk).update(created_at=moment(created))
    return profile


def group(world, status, form, kinds, start, end, members, decided=None, institution=None):
    g = MentoringGroup.objects.create(
        institution=institution or world.institution,
        status=status,
        form=MentoringForm.objects.get(name=form),
        planned_start=start,
        planned_end=end,
        curator=world.curator,
        decided_at=moment(decided) if decided else None,
    )
    g.kinds.set(MentoringKind.objects.filter(name__in=kinds))
    for someone, role in members:
        GroupMember.objects.create(
            group=g, person=someone, role=role, response=GroupMember.Response.CONFIRMED
        )
    return g


def program(g, status, start, end, approved, **fields):
    return Program.objects.create(
        group=g, status=status, start=start, end=end, approved_at=moment(approved), **fields
    )


def event(p, deadline, status=ProgramEvent.Status.PLANNED, done_on=None):
    return ProgramEvent.objects.create(
        program=p,
        direction=Direction.objects.get(name="методическое"),
        form=EventForm.objects.first(),
        title="Мероприятие",
        deadline=deadline,
        status=status,
        done_on=done_on,
    )


def survey(world, template, day):
    return Survey.objects.create(
        institution=world.institution, template=template, title=template.title, sent_at=moment(day)
    )


def respond(s, day, scales: dict, role="mentee"):
    r = Response.objects.create(survey=s, role=role, submitted_at=moment(day))
    for question, value in scales.items():
        if question.kind == Question.Kind.SCALE:
            Answer.objects.create(response=r, question=question, scale=value)
        else:
            Answer.objects.create(response=r, question=question, text=value)
    return r


MENTOR, CO, MENTEE = (
    GroupMember.Role.MENTOR,
    GroupMember.Role.CO_MENTOR,
    GroupMember.Role.MENTEE,
)
G = MentoringGroup.Status
P = Program.Status


@pytest.fixture
def data(world):
    """The kindergarten of the tests: 9 people, 5 groups, 4 programs, events, surveys, growth
    records and practices across 2025/2026 and 2026/2027 (the numbers below say who is who)."""
    # The world's three people leave the picture: out of the banks, dismissed long ago.
    MentorProfile.objects.filter(person__institution=world.institution).delete()
    MenteeProfile.objects.filter(person__institution=world.institution).delete()
    Person.objects.filter(institution=world.institution).update(dismissed_on=date(2020, 1, 1))
    inst = world.institution

    p1 = person(world, "Петрова-наставник", hired_on=date(2010, 9, 1))
    mentor_entry(p1)
    p2 = person(world, "Молодая", hired_on=date(2026, 8, 25))
    mentee_entry(p2)
    person(world, "Опытнаянет", experience_pedagogical=Decimal("2.0"))
    p4 = person(world, "Кузнецова", hired_on=date(2005, 9, 1))
    mentor_entry(p4)
    p5 = person(world, "Соколова", hired_on=date(2026, 3, 1))
    mentee_entry(p5, NEW)
    p6 = person(world, "Попова", organization=world.partner)
    mentee_entry(p6)
    p7 = person(world, "Уволенная", hired_on=date(2023, 10, 1), dismissed_on=date(2027, 3, 1))
    mentee_entry(p7)
    p8 = person(world, "Ранняя", hired_on=date(2023, 9, 10))
    mentee_entry(p8)
    person(world, "Новенькая", hired_on=date(2027, 3, 1))

    g1 = group(
        world,
        G.ACTIVE,
        PEDAGOG,
        [TRADITIONAL],
        date(2026, 9, 1),
        date(2027, 5, 31),
        [(p1, MENTOR), (p2, MENTEE)],
        decided=date(2026, 8, 28),
    )
    g2 = group(
        world,
        G.COMPLETED,
        PEDAGOG,
        [IN_GROUP, TRADITIONAL],
        date(2026, 9, 15),
        date(2027, 2, 28),
        [(p4, MENTOR), (p1, CO), (p5, MENTEE), (p6, MENTEE)],
        decided=date(2026, 9, 10),
    )
    g3 = group(
        world,
        G.TERMINATED,
        HEAD_FORM,
        [SITUATIONAL],
        date(2027, 2, 1),
        date(2027, 6, 30),
        [(p4, MENTOR), (p7, MENTEE)],
        decided=date(2027, 1, 20),
    )
    group(  # not approved: counts nowhere
        world,
        G.PROPOSED,
        PEDAGOG,
        [TRADITIONAL],
        date(2026, 10, 1),
        date(2027, 6, 1),
        [(p4, MENTOR), (p8, MENTEE)],
    )
    g5 = group(  # the previous year
        world,
        G.COMPLETED,
        PEDAGOG,
        [TRADITIONAL],
        date(2025, 9, 1),
        date(2026, 5, 31),
        [(p1, MENTOR), (p8, MENTEE)],
        decided=date(2025, 8, 30),
    )
    # Another kindergarten's group with its own people: never counted here.
    other_mentor = make_person(world.other_institution, "Чужая-наставник")
    other_mentee = make_person(world.other_institution, "Чужая-наставляемая")
    group(
        world,
        G.ACTIVE,
        PEDAGOG,
        [TRADITIONAL],
        date(2026, 9, 1),
        date(2027, 5, 31),
        [(other_mentor, MENTOR), (other_mentee, MENTEE)],
        decided=date(2026, 8, 28),
        institution=world.other_institution,
    )

    pr1 = program(g1, P.ACTIVE, date(2026, 9, 1), date(2027, 6, 30), date(2026, 9, 5))
    TermChange.objects.create(
        program=pr1,
        new_end=date(2027, 6, 30),
        reason="Больничный",
        status=TermChange.Status.APPLIED,
        requested_at=moment(date(2027, 3, 1)),
    )
    pr2 = program(
        g2,
        P.COMPLETED,
        date(2026, 9, 15),
        date(2027, 2, 28),
        date(2026, 9, 20),
        finished_on=date(2027, 2, 20),
        reason=Program.Reason.PLAN_DONE,
    )
    program(
        g3,
        P.TERMINATED,
        date(2027, 2, 1),
        date(2027, 6, 30),
        date(2027, 2, 5),
        finished_on=date(2027, 4, 10),
        reason=Program.Reason.MENTEE,
    )
    pr4 = program(
        g5,
        P.COMPLETED,
        date(2025, 9, 1),
        date(2026, 5, 31),
        date(2025, 9, 5),
        finished_on=date(2026, 5, 30),
        reason=Program.Reason.PLAN_DONE,
    )
    Done = ProgramEvent.Status.DONE
    event(pr1, date(2026, 10, 1), Done, date(2026, 9, 30))  # on time
    event(pr1, date(2026, 11, 1), Done, date(2026, 11, 5))  # late
    event(pr1, date(2027, 3, 1))  # not done
    event(pr1, date(2027, 4, 1), ProgramEvent.Status.CANCELLED)  # not counted
    event(pr2, date(2026, 12, 1), Done, date(2026, 12, 1))  # on time, on the day
    event(pr4, date(2026, 3, 1), Done, date(2026, 2, 20))  # the previous year

    Purpose = QuestionnaireTemplate.Purpose
    t_mentee = QuestionnaireTemplate.objects.create(
        title="Удовлетворённость наставляемого", purpose=Purpose.SATISFACTION_MENTEE
    )
    q1 = t_mentee.questions.create(position=1, text="Эффективность программы", key="effectiveness")
    q2 = t_mentee.questions.create(position=2, text="Комфорт общения", key="comfort")
    q3 = t_mentee.questions.create(position=3, text="Что было ценным", kind=Question.Kind.TEXT)
    t_mentor = QuestionnaireTemplate.objects.create(
        title="Удовлетворённость наставника", purpose=Purpose.SATISFACTION_MENTOR
    )
    q4 = t_mentor.questions.create(
        position=1, text="Эффективность (наставник)", key="effectiveness"
    )
    t_other = QuestionnaireTemplate.objects.create(title="Запросы", purpose=Purpose.OTHER)
    q5 = t_other.questions.create(position=1, text="Оценка", key="other")
    s1 = survey(world, t_mentee, date(2027, 2, 1))
    respond(s1, date(2027, 2, 2), {q1: 8, q2: 10, q3: "Встречи"})
    respond(s1, date(2027, 2, 3), {q1: 7})
    respond(survey(world, t_mentor, date(2026, 12, 1)), date(2026, 12, 10), {q4: 9}, "mentor")
    respond(survey(world, t_other, date(2026, 12, 1)), date(2026, 12, 10), {q5: 1})
    respond(survey(world, t_mentee, date(2026, 5, 20)), date(2026, 6, 1), {q1: 5})

    K = GrowthRecord.Kind
    for who, kind, day in [
        (p2, K.ATTESTATION, date(2027, 3, 1)),
        (p2, K.COURSE, date(2026, 10, 10)),
        (p2, K.COURSE, date(2026, 11, 11)),
        (p5, K.CONTEST, date(2026, 12, 12)),
        (p5, K.PUBLICATION, date(2026, 5, 5)),
        (other_mentee, K.OPEN_EVENT, date(2026, 10, 10)),
    ]:
        GrowthRecord.objects.create(person=who, kind=kind, title="Достижение", date=day)

    direction = Direction.objects.first()
    for created, approved in [
        (date(2026, 10, 1), date(2027, 2, 1)),
        (date(2027, 3, 1), None),
        (date(2026, 1, 1), date(2026, 2, 1)),
    ]:
        Practice.objects.create(
            institution=inst,
            title="Практика",
            direction=direction,
            summary="Описание",
            status=Practice.Status.APPROVED if approved else Practice.Status.DRAFT,
            approved_at=moment(approved) if approved else None,
            created_at=moment(created),
        )
    return world


def test_the_whole_year(data):
    result = indicators.compute(
        institution=data.institution, year_start=2026, today=date(2027, 9, 1)
    )
    json.dumps(result)  # the final report keeps it as JSON
    assert result["year_start"] == 2026
    assert result["year_label"] == "2026/2027"
    assert result["period_start"] == "2026-09-01"
    assert result["period_end"] == "2027-08-31"
    assert result["on_date"] is None
    assert result["is_empty"] is False
    assert result["people"] == {
        # Петрова, Молодая, Опытнаянет, Кузнецова, Соколова, Ранняя, Новенькая (Уволенная left
        # on 01.03.2027, Попова works for the partner).
        "staff": 7,
        "mentors": 2,  # Петрова (a mentor in g1 and a co-mentor in g2: once), Кузнецова
        "mentees": 4,  # Молодая, Соколова, Попова, Уволенная
        "mentors_in_bank": 2,
        "mentees_in_bank": 4,  # Уволенная is dismissed at the period's end
        "groups": 3,
        "pairs": 2,  # g1 and g3; g2 has two mentees
        "staff_involved": 4,
        "staff_involved_share": 57.1,  # 4 of 7
        "young_specialists": 4,  # Молодая, Попова, Ранняя (category), Опытнаянет (2 years)
        "young_covered": 2,  # Молодая, Попова
        "young_covered_share": 50.0,
    }
    by_form = {row["name"]: row["groups"] for row in result["by_form"]}
    assert by_form[PEDAGOG] == 2
    assert by_form[HEAD_FORM] == 1
    assert sum(by_form.values()) == 3
    assert list(by_form)[0] == PEDAGOG  # the reference list's order
    by_kind = {row["name"]: row["groups"] for row in result["by_kind"]}
    assert by_kind[TRADITIONAL] == 2
    assert by_kind[IN_GROUP] == 1
    assert by_kind[SITUATIONAL] == 1
    assert sum(by_kind.values()) == 4
    by_category = {row["name"]: row["mentees"] for row in result["by_category"]}
    assert by_category[YOUNG] == 3
    assert by_category[NEW] == 1
    assert sum(by_category.values()) == 4
    assert result["programs"] == {
        "active": 1,
        "completed": 1,
        "completed_on_time": 1,
        "extended": 1,  # the active one, by an applied term change
        "terminated": 1,
        "terminated_by_reason": [
            {"key": "mentor", "reason": Program.Reason.MENTOR.label, "count": 0},
            {"key": "mentee", "reason": Program.Reason.MENTEE.label, "count": 1},
            {"key": "mutual", "reason": Program.Reason.MUTUAL.label, "count": 0},
            {"key": "curator", "reason": Program.Reason.CURATOR.label, "count": 0},
        ],
    }
    assert result["events"] == {"due": 4, "done_on_time": 2, "share_on_time": 50.0}
    # Averages of fewer than three people's answers are withheld (reports.anonymity).
    assert result["satisfaction"] == {
        "responses": 3,
        "mentee_responses": 2,
        "mentor_responses": 1,
        "average": 8.5,  # (8 + 10 + 7 + 9) / 4
        "mentee_average": TOO_FEW_ANSWERS,  # 25 / 3 of two mentees
        "mentor_average": TOO_FEW_ANSWERS,  # 9 of one mentor
        "by_question": [
            {"key": "effectiveness", "text": "Эффективность программы", "average": 8.0, "count": 3},
            {"key": "comfort", "text": "Комфорт общения", "average": TOO_FEW_ANSWERS, "count": 1},
        ],
    }
    assert result["growth"] == {
        "attestation": 1,
        "course": 2,
        "contest": 1,
        "open_event": 0,
        "publication": 0,
    }
    assert result["retention"] == {
        # Молодая, hired 25.08.2026, still works.
        "after_1_year": {"base": 1, "retained": 1, "share": 100.0},
        # Уволенная (hired 01.10.2023, left 01.03.2027) and Ранняя (hired 10.09.2023).
        "after_3_years": {"base": 2, "retained": 1, "share": 50.0},
    }
    assert result["practices"] == {"added": 2, "published": 1}


def test_on_a_date_later_facts_are_cut_off(data):
    result = indicators.compute(institution=data.institution, year_start=2026, on_date=ON_DATE)
    assert result["period_end"] == "2027-01-15"
    assert result["on_date"] == "2027-01-15"
    assert result["people"] == {
        "staff": 7,  # Уволенная still works, Новенькая is not hired yet
        "mentors": 2,
        "mentees": 3,  # g3 was approved on 20.01.2027
        "mentors_in_bank": 2,
        "mentees_in_bank": 5,
        "groups": 2,
        "pairs": 1,
        "staff_involved": 4,
        "staff_involved_share": 57.1,
        "young_specialists": 5,  # and Уволенная
        "young_covered": 2,
        "young_covered_share": 40.0,
    }
    by_form = {row["name"]: row["groups"] for row in result["by_form"]}
    assert (by_form[PEDAGOG], by_form[HEAD_FORM]) == (2, 0)
    by_kind = {row["name"]: row["groups"] for row in result["by_kind"]}
    assert (by_kind[TRADITIONAL], by_kind[IN_GROUP], by_kind[SITUATIONAL]) == (2, 1, 0)
    by_category = {row["name"]: row["mentees"] for row in result["by_category"]}
    assert (by_category[YOUNG], by_category[NEW]) == (2, 1)
    programs = result["programs"]
    assert (programs["active"], programs["completed"], programs["completed_on_time"]) == (2, 0, 0)
    assert (programs["extended"], programs["terminated"]) == (0, 0)
    assert [r["count"] for r in programs["terminated_by_reason"]] == [0, 0, 0, 0]
    assert result["events"] == {"due": 3, "done_on_time": 2, "share_on_time": 66.7}
    assert result["satisfaction"] == {
        "responses": 1,
        "mentee_responses": 0,
        "mentor_responses": 1,
        "average": TOO_FEW_ANSWERS,  # 9 of one mentor, withheld
        "mentee_average": None,
        "mentor_average": TOO_FEW_ANSWERS,
        "by_question": [
            {
                "key": "effectiveness",
                "text": "Эффективность (наставник)",
                "average": TOO_FEW_ANSWERS,
                "count": 1,
            },
        ],
    }
    assert result["growth"] == {
        "attestation": 0,
        "course": 2,
        "contest": 1,
        "open_event": 0,
        "publication": 0,
    }
    assert result["retention"] == {
        "after_1_year": {"base": 0, "retained": 0, "share": None},
        "after_3_years": {"base": 2, "retained": 2, "share": 100.0},
    }
    assert result["practices"] == {"added": 1, "published": 0}


def test_the_previous_year(data):
    result = indicators.compute(institution=data.institution, year_start=2025)
    assert result["period_end"] == "2026-08-31"
    people = result["people"]
    assert (people["groups"], people["pairs"], people["mentors"], people["mentees"]) == (1, 1, 1, 1)
    assert (people["mentors_in_bank"], people["mentees_in_bank"]) == (2, 5)
    assert result["programs"]["completed"] == 1
    assert result["programs"]["completed_on_time"] == 1
    assert result["events"] == {"due": 1, "done_on_time": 1, "share_on_time": 100.0}
    assert result["satisfaction"]["responses"] == 1
    assert result["satisfaction"]["average"] == TOO_FEW_ANSWERS  # one answer: withheld
    assert result["growth"]["publication"] == 1
    assert result["practices"] == {"added": 1, "published": 1}


def test_a_date_outside_the_year_is_ignored(data):
    result = indicators.compute(
        institution=data.institution, year_start=2026, on_date=date(2030, 1, 1)
    )
    assert result["period_end"] == "2027-08-31"
    assert result["on_date"] is None


def test_an_empty_year_is_empty_and_has_no_shares(world):
    fresh = make_institution("ГБДОУ детский сад № 99")
    result = indicators.compute(institution=fresh, year_start=2026)
    json.dumps(result)
    assert result["is_empty"] is True
    people = result["people"]
    assert set(people.values()) <= {0, None}
    assert people["staff_involved_share"] is None
    assert people["young_covered_share"] is None
    assert result["events"] == {"due": 0, "done_on_time": 0, "share_on_time": None}
    assert result["satisfaction"] == {
        "responses": 0,
        "mentee_responses": 0,
        "mentor_responses": 0,
        "average": None,
        "mentee_average": None,
        "mentor_average": None,
        "by_question": [],
    }
    assert result["retention"]["after_1_year"] == {"base": 0, "retained": 0, "share": None}
    assert result["programs"]["terminated_by_reason"][0]["count"] == 0
    assert all(row["groups"] == 0 for row in result["by_form"])


def test_a_year_before_anything_existed_is_empty(data):
    result = indicators.compute(institution=data.institution, year_start=2020)
    assert result["is_empty"] is True
    assert result["people"]["mentors_in_bank"] == 0


def test_rounding_is_half_up():
    assert indicators.share(1, 8) == 12.5
    assert indicators.share(1, 3) == 33.3
    assert indicators.share(2, 3) == 66.7
    assert indicators.mean(9, 4) == 2.3  # 2.25: half up, not to even
    assert indicators.share(0, 0) is None


def test_years_with_data_run_from_the_first_group_to_the_current_year(data):
    years = indicators.years_with_data(data.institution, date(2026, 12, 2))
    assert years == [2026, 2025, 2024]  # the bank entries of 01.06.2025 are in 2024/2025


def _grow(world, n: int):
    """n more pairs with programs, events and answers."""
    t = QuestionnaireTemplate.objects.create(
        title="Ещё", purpose=QuestionnaireTemplate.Purpose.SATISFACTION_MENTEE
    )
    q = t.questions.create(position=1, text="Оценка", key="effectiveness")
    s = survey(world, t, date(2026, 12, 1))
    for i in range(n):
        a = person(world, f"Наставник{i}")
        mentor_entry(a)
        b = person(world, f"Наставляемый{i}")
        mentee_entry(b)
        g = group(
            world,
            G.ACTIVE,
            PEDAGOG,
            [TRADITIONAL, IN_GROUP],
            date(2026, 9, 1),
            date(2027, 5, 31),
            [(a, MENTOR), (b, MENTEE)],
        )
        p = program(g, P.ACTIVE, date(2026, 9, 1), date(2027, 5, 31), date(2026, 9, 5))
        event(p, date(2026, 10, 1), ProgramEvent.Status.DONE, date(2026, 10, 1))
        respond(s, date(2026, 12, 2), {q: 7})
        GrowthRecord.objects.create(
            person=b, kind=GrowthRecord.Kind.COURSE, title="КПК", date=date(2026, 11, 1)
        )


def _queries(world) -> int:
    with CaptureQueriesContext(connection) as queries:
        indicators.compute(institution=world.institution, year_start=2026, on_date=ON_DATE)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_data(data):
    _grow(data, 2)
    small = _queries(data)
    _grow(data, 12)
    assert _queries(data) == small
    assert small == 11


# --- The cache of computed indicators (docs/benchmarks.md) ----------------------------------


def _cached(world, **kwargs):
    kwargs.setdefault("on_date", ON_DATE)
    return indicators.cached_compute(institution=world.institution, year_start=2026, **kwargs)


def _cached_queries(world) -> int:
    with CaptureQueriesContext(connection) as queries:
        _cached(world)
    return len(queries)


def test_cached_indicators_are_the_computed_ones_and_a_second_call_costs_no_query(data):
    computed = indicators.compute(institution=data.institution, year_start=2026, on_date=ON_DATE)
    assert _cached(data) == computed
    assert _cached_queries(data) == 0
    assert _cached(data, on_date=None) == indicators.compute(
        institution=data.institution, year_start=2026
    )


def test_a_change_in_the_institution_forgets_its_cached_indicators(data):
    before = _cached(data)
    a, b = person(data, "Новикова"), person(data, "Орлова")
    g = group(
        data,
        G.ACTIVE,
        PEDAGOG,
        [SITUATIONAL],
        date(2026, 9, 1),
        date(2027, 5, 31),
        [(a, MENTOR), (b, MENTEE)],
    )
    after = _cached(data)
    assert after == indicators.compute(
        institution=data.institution, year_start=2026, on_date=ON_DATE
    )
    assert after["people"]["groups"] == before["people"]["groups"] + 1
    kinds = {row["name"]: row["groups"] for row in after["by_kind"]}
    g.kinds.clear()  # the M2M table has no model of its own: m2m_changed forgets too
    assert {row["name"]: row["groups"] for row in _cached(data)["by_kind"]} == {
        **kinds,
        SITUATIONAL: kinds[SITUATIONAL] - 1,
    }
    g.delete()
    assert _cached(data)["people"]["groups"] == before["people"]["groups"]


def test_a_change_in_another_institution_keeps_the_cache(data):
    _cached(data)
    other = make_institution("ГБДОУ детский сад № 65")
    make_person(other, "Соседова")
    assert _cached_queries(data) == 0


def test_a_changed_reference_list_forgets_every_institution(data):
    _cached(data)
    form = MentoringForm.objects.get(name=PEDAGOG)
    form.name = "педагог – педагог (переименовано)"
    form.save()
    names = [row["name"] for row in _cached(data)["by_form"]]
    assert "педагог – педагог (переименовано)" in names
    assert PEDAGOG not in names


def test_a_row_whose_institution_is_not_loaded_forgets_every_institution(data):
    _cached(data)
    other = make_institution("ГБДОУ детский сад № 65")
    elsewhere = indicators.cached_compute(institution=other, year_start=2026)
    member = GroupMember.objects.filter(group__institution=data.institution).first()
    fresh = GroupMember.objects.get(pk=member.pk)  # its group is not loaded: no query to find it
    with CaptureQueriesContext(connection) as queries:
        fresh.save()
    # The receiver did not look the group up (the audit trail reads the old row and writes its
    # entry: those queries are its own).
    assert not [q for q in queries.captured_queries if '"registry_mentoringgroup"' in q["sql"]]
    assert _cached_queries(data) > 0
    with CaptureQueriesContext(connection) as queries:
        assert indicators.cached_compute(institution=other, year_start=2026) == elsewhere
    assert len(queries) > 0


def test_the_cache_is_forgotten_again_after_the_commit(data, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    key = indicators._token_key(data.institution.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        data.institution.save()
        token = cache.get(key)
    mine = [c for c in callbacks if getattr(c, "__qualname__", "").startswith("_changed")]
    assert len(mine) == 1
    _cached(data)  # a request that read the rows before the commit…
    mine[0]()
    assert cache.get(key) != token  # …cached them under a token the commit replaces
    assert _cached_queries(data) > 0


def test_a_bulk_write_through_the_audit_helpers_forgets_the_cache(data):
    """Bulk writes send no post_save; ``log_bulk``'s signal forgets the institution instead."""
    from audit.trail import update_logged

    before = _cached(data)
    other = make_institution("ГБДОУ детский сад № 65")
    elsewhere = indicators.cached_compute(institution=other, year_start=2026)
    active = MentoringGroup.objects.filter(institution=data.institution, status=G.ACTIVE)
    assert update_logged(active, status=G.PROPOSED) > 0
    after = _cached(data)
    assert after == indicators.compute(
        institution=data.institution, year_start=2026, on_date=ON_DATE
    )
    assert after != before
    with CaptureQueriesContext(connection) as queries:
        assert indicators.cached_compute(institution=other, year_start=2026) == elsewhere
    assert len(queries) == 0  # another kindergarten's numbers stay cached


# --- «Мероприятий выполнено в срок»: only deadlines passed on the date asked -----------------


@pytest.mark.parametrize(
    ("today", "due", "on_time", "share"),
    [
        (date(2026, 10, 1), 0, 0, None),  # the first deadline is today: not passed yet
        (date(2026, 10, 2), 1, 1, 100.0),
        (date(2026, 11, 15), 2, 1, 50.0),  # 01.11 done late on 05.11
        (date(2026, 12, 2), 3, 2, 66.7),  # 01.12 done on the day
        (date(2027, 3, 2), 4, 2, 50.0),  # 01.03 passed undone; the cancelled 01.04 never counts
    ],
)
def test_on_time_counts_only_deadlines_passed(data, today, due, on_time, share):
    result = indicators.compute(institution=data.institution, year_start=2026, today=today)
    assert result["events"] == {"due": due, "done_on_time": on_time, "share_on_time": share}
    # The same figures asked «на дату» of that day.
    on_date = indicators.compute(institution=data.institution, year_start=2026, on_date=today)
    assert on_date["events"] == result["events"]


def test_an_event_done_early_counts_once_its_deadline_has_passed(data):
    program = ProgramEvent.objects.filter(deadline=date(2027, 3, 1)).get().program
    event(program, date(2027, 2, 1), ProgramEvent.Status.DONE, date(2026, 11, 10))
    before = indicators.compute(
        institution=data.institution, year_start=2026, today=date(2027, 2, 1)
    )
    after = indicators.compute(
        institution=data.institution, year_start=2026, today=date(2027, 2, 2)
    )
    assert before["events"]["due"] == 3
    assert after["events"] == {"due": 4, "done_on_time": 3, "share_on_time": 75.0}


def test_the_cached_figures_follow_the_day(data):
    """A deadline passes with the day: the cache key carries the date asked."""
    first = indicators.cached_compute(
        institution=data.institution, year_start=2026, today=date(2026, 11, 15)
    )
    second = indicators.cached_compute(
        institution=data.institution, year_start=2026, today=date(2026, 12, 2)
    )
    assert (first["events"]["due"], second["events"]["due"]) == (2, 3)


def test_share_text_is_the_one_way_a_share_is_shown():
    assert indicators.share_text(66.7) == "66,7 %"
    assert indicators.share_text(50.0) == "50,0 %"
    assert indicators.share_text(None) == "нет данных"
