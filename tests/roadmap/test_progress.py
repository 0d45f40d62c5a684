"""Progress computed from the registry's data (Приложение 2): every measure checked against
hand-built data with exact numbers, and a fixed number of queries at two sizes of data."""

from datetime import date, datetime
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programs.models import Program, TypicalEvent
from registry.models import (
    Consent,
    Direction,
    GroupMember,
    MenteeCategory,
    MenteeProfile,
    MentoringForm,
    MentoringGroup,
    MentorProfile,
    NewsItem,
    Order,
    PublicSection,
    SelfQuestionnaire,
)
from reports.models import Invitation, Practice, QuestionnaireTemplate, Survey
from roadmap.models import Activity
from roadmap.progress import cached_facts, compute_facts, percent_of, roadmap_progress
from tests.factories import give_consent, make_person
from tests.roadmap.conftest import activity, approve, signed_order

pytestmark = pytest.mark.django_db

M = Activity.Measure
TODAY = date(2026, 11, 24)


def moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=12)))


def mentee(world, last_name, *, consent=True, request=True, **profile):
    person = make_person(world.institution, last_name)
    if consent:
        give_consent(person)
    entry = MenteeProfile.objects.create(
        person=person, category=MenteeCategory.objects.first(), **profile
    )
    if request:
        entry.difficulties.create(direction=Direction.objects.first(), text="Запрос")
    return person


def mentor(world, last_name, *, consent=True, trained=None, questionnaire=None):
    """questionnaire: (submitted on, status) of the mentor's questionnaire, if any."""
    person = make_person(world.institution, last_name)
    if consent:
        give_consent(person)
    MentorProfile.objects.create(person=person, training_completed_on=trained)
    if questionnaire:
        on, status = questionnaire
        SelfQuestionnaire.objects.create(
            person=person,
            kind=SelfQuestionnaire.Kind.MENTOR,
            status=status,
            submitted_at=moment(on),
        )
    return person


def group(world, status, *, start=date(2026, 9, 15), end=date(2027, 5, 31), order=None,
          institution=None, people=()):  # fmt: skip
    created = MentoringGroup.objects.create(
        institution=institution or world.institution,
        status=status,
        form=MentoringForm.objects.first(),
        planned_start=start,
        planned_end=end,
        curator=world.curator,
        order=order,
    )
    for person, role in people:
        GroupMember.objects.create(group=created, person=person, role=role)
    return created


def survey(institution, sent_on, answered, unanswered, people):
    template = QuestionnaireTemplate.objects.create(title="Удовлетворённость")
    sent = Survey.objects.create(
        institution=institution, template=template, title="Анкета", sent_at=moment(sent_on)
    )
    for index, person in enumerate(people[: answered + unanswered]):
        Invitation.objects.create(
            survey=sent,
            person=person,
            role="mentee",
            answered_at=moment(sent_on) if index < answered else None,
        )
    return sent


@pytest.fixture
def data(world):
    """The hand-built registry the expected numbers below are counted from."""
    S = MentoringGroup.Status
    inst = world.institution
    # Mentees in the bank: the world's mentee (consent, request), «Безсогласия» (neither),
    # «Поддержанная» (both, without a pair, support recorded), «Завершившая» (consent, a
    # program completed earlier). Not counted: a dismissed one, another kindergarten's.
    mentee(world, "Безсогласия", consent=False, request=False)
    mentee(
        world,
        "Поддержанная",
        status=MenteeProfile.Status.WITHOUT_PAIR,
        support_note="Консультации педагога-психолога",
    )
    mentee(world, "Завершившая", request=False, status=MenteeProfile.Status.COMPLETED)
    dismissed = mentee(world, "Уволенная")
    dismissed.dismissed_on = date(2026, 10, 1)
    dismissed.save()
    other = make_person(world.other_institution, "Чужая2")
    give_consent(other)
    MenteeProfile.objects.create(person=other, category=MenteeCategory.objects.first())

    # Mentors: the world's mentor (consent, questionnaire this year, trained in October),
    # «Прошлогодний» (no consent, questionnaire of the last year), «Отклонённый» (consent, a
    # rejected questionnaire, trained the year before), «Отозвавший» (withdrew the consent,
    # a questionnaire waiting for review).
    world.mentor_person.mentor_profile.training_completed_on = date(2026, 10, 15)
    world.mentor_person.mentor_profile.save()
    SelfQuestionnaire.objects.create(
        person=world.mentor_person,
        kind=SelfQuestionnaire.Kind.MENTOR,
        status=SelfQuestionnaire.Status.ACCEPTED,
        submitted_at=moment(date(2026, 9, 10)),
    )
    mentor(
        world,
        "Прошлогодний",
        consent=False,
        questionnaire=(date(2025, 9, 10), SelfQuestionnaire.Status.ACCEPTED),
    )
    mentor(
        world,
        "Отклонённый",
        trained=date(2025, 5, 1),
        questionnaire=(date(2026, 10, 1), SelfQuestionnaire.Status.REJECTED),
    )
    withdrawn = mentor(
        world,
        "Отозвавший",
        consent=False,
        questionnaire=(date(2026, 11, 1), SelfQuestionnaire.Status.SUBMITTED),
    )
    Consent.objects.create(
        person=withdrawn,
        kind=Consent.Kind.PROCESSING,
        given_on=date(2026, 9, 1),
        withdrawn_on=date(2026, 10, 1),
    )

    # Orders: the regulation (2022), a public order of this year, a draft marked public, the
    # final event order of this year and one of the last year.
    signed_order(inst, Order.Kind.REGULATION, "94/1", date(2022, 8, 31), is_public=True)
    signed_order(inst, Order.Kind.REWARD, "120", date(2026, 10, 1), is_public=True)
    Order.objects.create(institution=inst, kind=Order.Kind.REWARD, title="Проект", is_public=True)
    signed_order(inst, Order.Kind.FINAL_EVENT, "130", date(2026, 11, 20))
    signed_order(inst, Order.Kind.FINAL_EVENT, "40", date(2026, 4, 10))
    signed_order(world.other_institution, Order.Kind.FINAL_EVENT, "1", date(2026, 11, 1))

    # Groups of the year: g1 active with an approved program (the world's pair), g2 active
    # with a draft program, g3 waiting for the head, g4 waiting for its participants, g5
    # declined, g7 terminated. Not of the year: g6 completed in May 2026; another
    # kindergarten's group.
    o1 = signed_order(inst, Order.Kind.GROUPS, "101", date(2026, 9, 15))
    o2 = signed_order(inst, Order.Kind.GROUPS, "102", date(2026, 9, 16))
    o7 = signed_order(inst, Order.Kind.GROUPS, "103", date(2026, 9, 17))
    g1 = group(
        world,
        S.ACTIVE,
        order=o1,
        people=[
            (world.mentor_person, GroupMember.Role.MENTOR),
            (world.mentee_person, GroupMember.Role.MENTEE),
        ],
    )
    Program.objects.create(
        group=g1,
        status=Program.Status.ACTIVE,
        start=date(2026, 9, 20),
        end=date(2027, 5, 31),
        approved_at=moment(date(2026, 10, 1)),
    )
    g2 = group(world, S.ACTIVE, order=o2)
    Program.objects.create(group=g2, start=date(2026, 9, 20), end=date(2027, 5, 31))
    group(world, S.SUBMITTED)
    group(world, S.PROPOSED)
    group(world, S.DECLINED)
    group(world, S.COMPLETED, start=date(2025, 9, 1), end=date(2026, 5, 31))
    group(world, S.TERMINATED, order=o7)
    group(world, S.ACTIVE, institution=world.other_institution)

    # Surveys: one this year (2 of 3 answered), one of the last year, another kindergarten's.
    people = [world.mentee_person, world.mentor_person, world.teacher_person]
    survey(inst, date(2026, 10, 1), 2, 1, people)
    survey(inst, date(2026, 5, 1), 1, 0, people)
    survey(world.other_institution, date(2026, 10, 1), 0, 1, [world.other_person])

    # Practices: a draft and an approved one added this year, an approved one of the last year.
    direction = Direction.objects.first()

    def practice(created, status=Practice.Status.DRAFT, approved=None):
        return Practice.objects.create(
            institution=inst,
            title="Практика",
            direction=direction,
            summary="Описание",
            status=status,
            created_at=moment(created),
            approved_at=moment(approved) if approved else None,
        )

    practice(date(2026, 10, 5))
    practice(date(2026, 11, 1), Practice.Status.APPROVED, date(2026, 11, 10))
    practice(date(2025, 12, 1), Practice.Status.APPROVED, date(2026, 1, 10))

    # The public section is published; news: one published this year, a draft, one of the last
    # year, one scheduled after today.
    inst.public_slug = "ds64"
    inst.save(update_fields=["public_slug"])
    PublicSection.objects.create(institution=inst, is_published=True)
    for on, status in [
        (date(2026, 10, 20), NewsItem.Status.PUBLISHED),
        (date(2026, 10, 21), NewsItem.Status.DRAFT),
        (date(2026, 5, 20), NewsItem.Status.PUBLISHED),
        (date(2026, 12, 20), NewsItem.Status.PUBLISHED),
    ]:
        NewsItem.objects.create(
            institution=inst, title="Новость", text="Текст", status=status, published_at=moment(on)
        )


EXPECTED = {
    M.REGULATION_ORDER: (1, 1),
    M.ROADMAP_ORDER: (0, 1),
    M.GROUPS_ORDER: (3, 4),
    M.PROGRAM_TEMPLATE: (1, 1),
    M.REQUESTS: (2, 4),
    M.MENTEE_CONSENTS: (3, 4),
    M.MENTORS_SURVEYED: (2, 4),
    M.MENTOR_CONSENTS: (2, 4),
    M.MENTORS_TRAINED: (2, 4),
    M.GROUPS_APPROVED: (3, 5),
    M.PROGRAMS_APPROVED: (1, 2),
    M.MENTEES_PLACED: (2, 3),
    M.QUESTIONNAIRES: (2, 3),
    M.FINAL_EVENT_ORDER: (1, 1),
    M.PRACTICES: (1, 1),  # the approved one of the year; the draft does not count
    M.PUBLICATIONS: (3, 1),
}


def test_every_measure_counts_exactly_what_the_registry_holds(world, data, roadmap):
    facts = compute_facts(roadmap, TODAY, list(M))
    assert {m: (f.value, f.total) for m, f in facts.items()} == EXPECTED
    assert facts[M.MENTEES_PLACED].note == "без пары: 2, из них с отметкой о поддержке: 1"
    assert facts[M.PUBLICATIONS].note == "приказов: 1, практик: 1, новостей: 1"
    assert facts[M.PUBLICATIONS].url == "/nastavnichestvo/ds64/"
    assert facts[M.GROUPS_ORDER].note == "ждут приказа: 1"
    assert facts[M.GROUPS_ORDER].text == "3 из 4"
    assert facts[M.REGULATION_ORDER].text == "да"
    assert facts[M.PRACTICES].text == "1 (нужно не меньше 1)"
    assert facts[M.PRACTICES].fraction == 1


def test_nothing_counts_as_published_while_the_section_is_not(world, data, roadmap):
    PublicSection.objects.filter(institution=world.institution).update(is_published=False)
    fact = compute_facts(roadmap, TODAY, [M.PUBLICATIONS])[M.PUBLICATIONS]
    assert (fact.value, fact.url) == (0, "")
    assert fact.note == "раздел «Наставничество» ещё не опубликован"


def test_stage_progress_is_the_mean_of_its_activities(world, data, roadmap):
    progress = roadmap_progress(roadmap, TODAY)
    stages = {s.stage.number: s for s in progress.stages}
    assert stages[1].fraction == Fraction(1 + 0 + Fraction(3, 4) + 1, 4)
    assert {n: s.percent for n, s in stages.items()} == {
        1: 69,  # regulation, roadmap not approved, 3/4 groups with an order, the library
        2: 63,  # 2/4 requests, 3/4 consents: 62.5 rounded half up
        3: 50,  # 2/4 surveyed, 2/4 consents
        4: 25,  # the analysis is not marked, 2/4 trained
        5: 59,  # 3/5 approved, 1/2 programs, 2/3 placed or supported
        6: 89,  # 2/3 answered, the final event order, practices
        7: 50,  # publications, the results not marked
    }
    assert progress.percent == percent_of(sum((s.fraction for s in stages.values()), 0) / 7)


def test_marked_done_activity_counts_in_full_and_approval_completes_its_activity(
    world, data, roadmap
):
    analysis = activity(roadmap, 4, 1)
    analysis.status = Activity.Status.DONE
    analysis.done_on = date(2026, 10, 20)
    analysis.save()
    approve(world, roadmap, number="95/2", on=date(2026, 9, 5))
    progress = roadmap_progress(roadmap, TODAY)
    stages = {s.stage.number: s for s in progress.stages}
    assert stages[4].percent == 75  # 1 and 2/4
    assert stages[1].fraction == Fraction(1 + 1 + Fraction(3, 4) + 1, 4)
    item = next(a for a in stages[1].activities if a.activity.measure == M.ROADMAP_ORDER)
    assert item.done_by_registry and item.fact.text == "да"
    assert "от 05.09.2026 № 95/2" in item.fact.label


def test_without_a_library_the_template_activity_is_not_done(world, roadmap):
    TypicalEvent.objects.update(is_active=False)
    facts = compute_facts(roadmap, TODAY, [M.PROGRAM_TEMPLATE])
    assert (facts[M.PROGRAM_TEMPLATE].value, facts[M.PROGRAM_TEMPLATE].percent) == (0, 0)


def test_an_empty_registry_shows_zero_of_zero_not_done(world, roadmap):
    facts = compute_facts(roadmap, TODAY, [M.GROUPS_APPROVED, M.QUESTIONNAIRES])
    assert facts[M.GROUPS_APPROVED].text == "0 из 0"
    assert facts[M.GROUPS_APPROVED].percent == 0
    assert facts[M.QUESTIONNAIRES].fraction == 0


def test_overdue_means_not_done_and_past_its_deadline(world, data, roadmap):
    progress = roadmap_progress(roadmap, TODAY)
    overdue = {(a.activity.stage.number, a.activity.position) for a in progress.overdue}
    # Past deadlines by 24.11.2026: 1.1–1.2, 1.4 (30.09), 2.x, 3.x (30.09, 15.10), 4.1 (31.10).
    # 1.1 and 1.4 are done by the registry's data; the rest are not.
    assert overdue == {(1, 2), (2, 1), (2, 2), (3, 1), (3, 2), (4, 1)}
    due = {(a.activity.stage.number, a.activity.position) for a in progress.due_this_month}
    assert due == {(1, 3), (4, 2), (5, 1)}  # due 30.11.2026 and not done


def test_percent_is_100_only_when_complete_and_0_only_when_nothing():
    assert percent_of(Fraction(0)) == 0
    assert percent_of(Fraction(1, 1000)) == 1
    assert percent_of(Fraction(999, 1000)) == 99
    assert percent_of(Fraction(2, 3)) == 67
    assert percent_of(Fraction(1)) == 100


def _more_data(world, n):
    for i in range(n):
        person = mentee(world, f"Ещё{i}")
        tutor = mentor(
            world,
            f"Наставник{i}",
            trained=date(2026, 10, 1),
            questionnaire=(date(2026, 9, 20), SelfQuestionnaire.Status.ACCEPTED),
        )
        g = group(
            world,
            MentoringGroup.Status.ACTIVE,
            order=signed_order(world.institution, Order.Kind.GROUPS, f"{200 + i}", TODAY),
            people=[(tutor, GroupMember.Role.MENTOR), (person, GroupMember.Role.MENTEE)],
        )
        Program.objects.create(group=g, start=date(2026, 10, 1), end=date(2027, 5, 31))


def test_queries_do_not_grow_with_people_and_groups(world, data, roadmap):
    def count():
        with CaptureQueriesContext(connection) as queries:
            progress = roadmap_progress(roadmap, TODAY)
            assert len(progress.stages) == 7
        return len(queries)

    small = count()
    _more_data(world, 6)
    large = count()
    assert small == large
    assert large <= 10


def test_the_cached_facts_are_forgotten_by_a_write_they_read(world, roadmap):
    """The facts are cached under the institution's token of the indicators (issue 21): the
    second reading costs no aggregate, a change of what they count shows on the next one."""

    def requests():
        fact = cached_facts(roadmap, TODAY, [M.REQUESTS])[M.REQUESTS]
        return fact.value, fact.total

    value, total = requests()  # the world's mentee
    cold = roadmap_progress(roadmap, TODAY)  # the cache is filled
    with CaptureQueriesContext(connection) as queries:
        roadmap_progress(roadmap, TODAY)
    assert len(queries) <= 4 < len(compute_queries(roadmap))  # stages, activities, cache
    assert cold.percent == roadmap_progress(roadmap, TODAY).percent

    person = mentee(world, "Новикова", request=False)  # a mentee joins the bank
    assert requests() == (value, total + 1)
    person.mentee_profile.difficulties.create(direction=Direction.objects.first(), text="Запрос")
    assert requests() == (value + 1, total + 1)
    person.dismissed_on = date(2026, 10, 1)  # leaves the bank
    person.save()
    assert requests() == (value, total)


def compute_queries(roadmap):
    with CaptureQueriesContext(connection) as queries:
        compute_facts(roadmap, TODAY, list(M))
    return queries


# --- Issue 18: honest measures of 2.2, 3.2 and 6.3; the roadmap's year -------------------------


def test_a_young_specialist_or_a_request_not_in_the_bank_keeps_2_2_below_100(world, data, roadmap):
    """2.2: the bank of mentees covers those who need a mentor; in the bank alone it would
    always be 100 % (nobody enters it without a consent)."""
    before = compute_facts(roadmap, TODAY, [M.MENTEE_CONSENTS])[M.MENTEE_CONSENTS]
    assert (before.value, before.total) == (3, 4)
    make_person(world.institution, "Молодая", experience_pedagogical=1, hired_on=date(2026, 9, 1))
    make_person(world.institution, "Опытная", experience_pedagogical=12)
    asking = make_person(world.institution, "Просящая", experience_pedagogical=8)
    SelfQuestionnaire.objects.create(
        person=asking,
        kind=SelfQuestionnaire.Kind.MENTEE_REQUEST,
        submitted_at=moment(date(2026, 10, 5)),
    )
    refused = make_person(world.institution, "Отклонённая", experience_pedagogical=8)
    SelfQuestionnaire.objects.create(
        person=refused,
        kind=SelfQuestionnaire.Kind.MENTEE_REQUEST,
        status=SelfQuestionnaire.Status.REJECTED,
        submitted_at=moment(date(2026, 10, 5)),
    )
    fact = compute_facts(roadmap, TODAY, [M.MENTEE_CONSENTS])[M.MENTEE_CONSENTS]
    assert (fact.value, fact.total) == (3, 6)  # + the young specialist and the request
    assert fact.percent == 50
    assert fact.note == "не внесены в банк с согласием: 3"
    assert "kind=mentee_request&status=submitted" in fact.url


def test_a_mentor_questionnaire_not_entered_keeps_3_2_below_100(world, data, roadmap):
    volunteer = make_person(world.institution, "Желающий")
    SelfQuestionnaire.objects.create(
        person=volunteer, kind=SelfQuestionnaire.Kind.MENTOR, submitted_at=moment(date(2026, 11, 2))
    )
    fact = compute_facts(roadmap, TODAY, [M.MENTOR_CONSENTS])[M.MENTOR_CONSENTS]
    # The bank (4, two with a consent in force) and the new volunteer.
    assert (fact.value, fact.total) == (2, 5)
    assert fact.fraction < 1
    assert "kind=mentor&status=submitted" in fact.url


def test_6_3_counts_only_practices_approved_for_publication(world, data, roadmap):
    Practice.objects.filter(institution=world.institution, status=Practice.Status.APPROVED).update(
        status=Practice.Status.DRAFT
    )
    fact = compute_facts(roadmap, TODAY, [M.PRACTICES])[M.PRACTICES]
    assert fact.value == 0  # two drafts added this year count for nothing
    assert fact.fraction == 0


def test_a_roadmap_before_its_year_shows_nothing_done(world, data, roadmap):
    """The regulation of 2022, the library and the bank exist, but the year has not begun."""
    facts = compute_facts(roadmap, date(2026, 8, 20), list(M))
    assert all(f.value == 0 for f in facts.values())
    assert facts[M.REGULATION_ORDER].note == "учебный год начнётся 01.09.2026"
    assert roadmap_progress(roadmap, date(2026, 8, 20)).percent == 0
    # From its first day the standing facts count.
    first_day = compute_facts(roadmap, date(2026, 9, 1), [M.REGULATION_ORDER])
    assert first_day[M.REGULATION_ORDER].value == 1


def test_after_its_year_a_roadmap_stands_as_on_its_last_day(world, data, roadmap):
    """A consent withdrawn after the year does not change the year's facts."""
    last_day = compute_facts(roadmap, date(2027, 8, 31), [M.MENTEE_CONSENTS])
    Consent.objects.filter(person=world.mentee_person).update(withdrawn_on=date(2027, 10, 1))
    later = compute_facts(roadmap, date(2027, 12, 1), [M.MENTEE_CONSENTS])
    assert (later[M.MENTEE_CONSENTS].value, later[M.MENTEE_CONSENTS].total) == (
        last_day[M.MENTEE_CONSENTS].value,
        last_day[M.MENTEE_CONSENTS].total,
    )
