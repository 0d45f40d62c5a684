"""Matching mentors to a mentee (п. 6.1) and mentees to one another (п. 2.4): the scores,
their explanations, the filters and the matching page."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.matching import (
    MentorFilters,
    mentors_hidden_without_consent,
    rank_mentors,
    similar_mentees,
)
from registry.models import (
    Consent,
    Direction,
    GroupMember,
    MenteeProfile,
    MentoringForm,
    MentoringGroup,
    MentorProfile,
    Person,
    Position,
)
from tests.factories import make_mentee, make_mentor, make_person

pytestmark = pytest.mark.django_db

METHODICAL = "методическое"
ICT = "ИКТ-компетенции"
LEGAL = "нормативное правовое"
HEALTH = "здоровьесбережение"


def direction(name: str) -> Direction:
    return Direction.objects.get(name=name)


def add_mentor(institution, last_name, *directions, capacity=2, **fields):
    """A mentor with a processing consent and competences on the named directions."""
    training = fields.pop("training_completed_on", None)
    person = make_person(institution, last_name, **fields)
    profile = make_mentor(person)
    profile.competences.all().delete()
    for name in directions:
        profile.competences.create(direction=direction(name))
    profile.capacity = capacity
    profile.training_completed_on = training
    profile.save()
    return person


def add_mentee(institution, last_name, *directions, status=MenteeProfile.Status.IN_BANK):
    person = make_person(institution, last_name)
    profile = make_mentee(person)
    profile.difficulties.all().delete()
    for name in directions:
        profile.difficulties.create(direction=direction(name), text=f"Запрос: {name}")
    profile.status = status
    profile.save()
    return person


def make_group(world, mentor, *mentees, status=MentoringGroup.Status.ACTIVE):
    group = MentoringGroup.objects.create(
        institution=world.institution,
        status=status,
        form=MentoringForm.objects.first(),
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 5, 31),
        curator=world.curator,
    )
    GroupMember.objects.create(group=group, person=mentor, role=GroupMember.Role.MENTOR)
    for mentee in mentees:
        GroupMember.objects.create(group=group, person=mentee, role=GroupMember.Role.MENTEE)
    return group


@pytest.fixture
def scene(world):
    """Иванова asks about three directions. Петрова (own staff, same position) covers two of
    them and has both places free; Соколова (partner, senior teacher) covers one, is trained,
    led one completed group and has no free place; Жукова has no processing consent."""
    ivanova = world.mentee_person
    for name in (ICT, LEGAL):
        ivanova.mentee_profile.difficulties.create(direction=direction(name), text="Запрос")
    petrova = world.mentor_person
    petrova.mentor_profile.competences.create(direction=direction(ICT))
    sokolova = add_mentor(
        world.institution,
        "Соколова",
        LEGAL,
        capacity=1,
        organization=world.partner,
        position=Position.objects.get(name="старший воспитатель"),
        training_completed_on=date(2026, 5, 15),
    )
    make_group(world, sokolova, add_mentee(world.institution, "Орлова", HEALTH))
    make_group(
        world,
        sokolova,
        add_mentee(world.institution, "Белова", HEALTH),
        status=MentoringGroup.Status.COMPLETED,
    )
    zhukova = add_mentor(world.institution, "Жукова", METHODICAL, ICT, LEGAL)
    Consent.objects.filter(person=zhukova).update(withdrawn_on=date(2026, 9, 2))
    return world, ivanova, petrova, sokolova, zhukova


def everyone(ranking):
    """The ranked mentors and, after them, those listed apart with no free place."""
    return [*ranking.ranked, *ranking.without_places]


def parts_of(suggestion):
    return [(p.label, p.points, p.max_points, p.explanation) for p in suggestion.parts]


# --- scores and explanations -------------------------------------------------------------


def test_score_parts_explain_every_criterion_in_plain_russian(scene):
    world, ivanova, petrova, sokolova, _ = scene

    ranking = rank_mentors(mentee=ivanova, institution=world.institution)
    (first,), (second,) = ranking.ranked, ranking.without_places

    assert first.mentor == petrova
    assert first.score == 65
    assert parts_of(first) == [
        (
            "Затруднения",
            30,
            45,
            "Закрывает 2 из 3 направлений: методическое, ИКТ-компетенции; "
            "не закрывает: нормативное правовое",
        ),
        ("Свободные места", 15, 15, "Свободно 2 места из 2"),
        ("Должность", 10, 10, "Та же должность: воспитатель"),
        ("Организация", 10, 10, "Сотрудник своего учреждения"),
        ("Обучение", 0, 10, "Обучение наставников не пройдено"),
        ("Опыт", 0, 10, "Завершённых пар и групп в роли наставника пока нет"),
    ]
    assert second.mentor == sokolova
    assert second.score == 35
    assert parts_of(second) == [
        (
            "Затруднения",
            15,
            45,
            "Закрывает 1 из 3 направлений: нормативное правовое; "
            "не закрывает: методическое, ИКТ-компетенции",
        ),
        ("Свободные места", 0, 15, "Свободных мест нет: занято 1 из 1"),
        ("Должность", 0, 10, "Другая должность: старший воспитатель"),
        ("Организация", 5, 10, "Организация-партнёр: Педагогический колледж № 4"),
        ("Обучение", 10, 10, "Обучение наставников пройдено 15.05.2026"),
        ("Опыт", 5, 10, "Завершённых пар и групп в роли наставника: 1"),
    ]


def test_mentor_with_no_free_place_is_listed_but_marked(scene):
    world, ivanova, _, sokolova, _ = scene

    suggestion = next(
        s
        for s in rank_mentors(mentee=ivanova, institution=world.institution).without_places
        if s.mentor == sokolova
    )

    assert suggestion.free_places == 0
    assert not suggestion.has_free_place


def test_mentor_covering_nothing_says_so_and_half_free_capacity_scores_half(world):
    mentee = add_mentee(world.institution, "Кузнецова", HEALTH)
    mentor = add_mentor(world.institution, "Волкова", ICT, capacity=2)
    make_group(world, mentor, add_mentee(world.institution, "Орлова", ICT))
    make_group(
        world,
        mentor,
        add_mentee(world.institution, "Белова", ICT),
        status=MentoringGroup.Status.COMPLETED,
    )
    make_group(
        world,
        mentor,
        add_mentee(world.institution, "Зайцева", ICT),
        status=MentoringGroup.Status.COMPLETED,
    )
    make_group(
        world,
        mentor,
        add_mentee(world.institution, "Лебедева", ICT),
        status=MentoringGroup.Status.COMPLETED,
    )

    suggestion = next(
        s
        for s in everyone(rank_mentors(mentee=mentee, institution=world.institution))
        if s.mentor == mentor
    )

    coverage, capacity, *_, experience = parts_of(suggestion)
    assert coverage == (
        "Затруднения",
        0,
        45,
        "Не закрывает ни одного из 1 направления: здоровьесбережение",
    )
    assert capacity == ("Свободные места", 8, 15, "Свободно 1 место из 2")
    assert experience == ("Опыт", 10, 10, "Завершённых пар и групп в роли наставника: 3")


def test_declined_and_left_groups_do_not_take_places(world):
    mentee = add_mentee(world.institution, "Кузнецова", METHODICAL)
    mentor = add_mentor(world.institution, "Волкова", METHODICAL, capacity=1)
    make_group(
        world,
        mentor,
        add_mentee(world.institution, "Орлова", ICT),
        status=MentoringGroup.Status.DECLINED,
    )

    suggestion = next(
        s
        for s in everyone(rank_mentors(mentee=mentee, institution=world.institution))
        if s.mentor == mentor
    )

    assert suggestion.free_places == 1


def test_mentors_are_ordered_by_score_then_by_name(world):
    mentee = add_mentee(world.institution, "Кузнецова", METHODICAL)
    add_mentor(world.institution, "Яковлева", METHODICAL)
    add_mentor(world.institution, "Ёлкина", METHODICAL)
    add_mentor(world.institution, "Абрамова", ICT)

    names = [
        s.mentor.last_name
        for s in rank_mentors(mentee=mentee, institution=world.institution).ranked
    ]

    assert names == ["Ёлкина", "Петрова", "Яковлева", "Абрамова"]


def test_a_mentor_covering_nothing_never_ranks_above_one_covering_some(world):
    """п. 6.1: the mentee's requests come first. Волкова covers none of three directions but
    has every other point (55); Кравцова covers one, from a partner, untrained (about 28)."""
    mentee = add_mentee(world.institution, "Кузнецова", METHODICAL, ICT, LEGAL)
    world.mentor_person.mentor_profile.competences.all().delete()  # Петрова covers nothing
    volkova = add_mentor(
        world.institution, "Волкова", HEALTH, capacity=3, training_completed_on=date(2026, 5, 1)
    )
    for name in ("Орлова", "Белова"):
        make_group(
            world,
            volkova,
            add_mentee(world.institution, name, HEALTH),
            status=MentoringGroup.Status.COMPLETED,
        )
    kravtsova = add_mentor(
        world.institution,
        "Кравцова",
        LEGAL,
        organization=world.partner,
        position=Position.objects.get(name="старший воспитатель"),
    )

    ranked = rank_mentors(mentee=mentee, institution=world.institution).ranked

    by_name = {s.mentor.last_name: s for s in ranked}
    assert by_name["Волкова"].score > by_name["Кравцова"].score  # the trap of the old order
    assert [s.mentor for s in ranked][0] == kravtsova
    assert by_name["Кравцова"].covers_any
    assert not by_name["Волкова"].covers_any and not by_name["Петрова"].covers_any
    covering = [s.covers_any for s in ranked]
    assert covering == sorted(covering, reverse=True)  # every covering mentor first


def test_a_mentee_without_difficulties_is_ranked_by_score_alone(world):
    mentee = add_mentee(world.institution, "Кузнецова")
    add_mentor(world.institution, "Волкова", HEALTH, training_completed_on=date(2026, 5, 1))

    ranked = rank_mentors(mentee=mentee, institution=world.institution).ranked

    assert all(s.covers_any for s in ranked)
    assert [s.mentor.last_name for s in ranked] == ["Волкова", "Петрова"]


def test_mentors_with_no_free_place_are_never_ranked(world):
    """The best-scoring mentor is full: she is listed apart, and the first ranked has room."""
    mentee = add_mentee(world.institution, "Кузнецова", METHODICAL, ICT)
    full = add_mentor(
        world.institution,
        "Волкова",
        METHODICAL,
        ICT,
        capacity=1,
        training_completed_on=date(2026, 5, 1),
    )
    make_group(world, full, add_mentee(world.institution, "Орлова", ICT))
    other = add_mentor(world.institution, "Кравцова", ICT, capacity=2)

    ranking = rank_mentors(mentee=mentee, institution=world.institution)

    assert [s.mentor for s in ranking.without_places] == [full]
    assert full not in [s.mentor for s in ranking.ranked]
    assert all(s.has_free_place for s in ranking.ranked)
    assert {s.mentor for s in ranking.ranked} == {world.mentor_person, other}
    assert ranking.without_places[0].score > ranking.ranked[0].score


def test_a_person_never_matches_themselves(world):
    ivanova = world.mentee_person  # she is in the mentor bank too
    MentorProfile.objects.create(person=ivanova).competences.create(direction=direction(METHODICAL))

    mentors = [
        s.mentor for s in everyone(rank_mentors(mentee=ivanova, institution=world.institution))
    ]

    assert ivanova not in mentors
    assert mentors == [world.mentor_person]


def test_mentors_without_processing_consent_are_not_ranked(scene):
    world, ivanova, _, _, zhukova = scene

    mentors = [
        s.mentor for s in everyone(rank_mentors(mentee=ivanova, institution=world.institution))
    ]

    assert zhukova not in mentors
    assert mentors_hidden_without_consent(mentee=ivanova, institution=world.institution) == 1


def test_mentors_of_another_institution_are_never_ranked(world):
    stranger = add_mentor(world.other_institution, "Чужова", METHODICAL)

    mentors = [
        s.mentor
        for s in everyone(rank_mentors(mentee=world.mentee_person, institution=world.institution))
    ]

    assert stranger not in mentors


# --- filters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ({}, {"Петрова", "Соколова"}),
        ({"direction": LEGAL}, {"Соколова"}),
        ({"direction": ICT}, {"Петрова"}),
        ({"free_only": True}, {"Петрова"}),
        ({"trained_only": True}, {"Соколова"}),
        ({"organization": "own"}, {"Петрова"}),
        ({"organization": "partner"}, {"Соколова"}),
    ],
)
def test_filters_narrow_the_ranked_list(scene, chosen, expected):
    world, ivanova, *_ = scene
    if "direction" in chosen:
        chosen = {**chosen, "direction": direction(chosen["direction"])}
    filters = MentorFilters(**chosen)

    names = {
        s.mentor.last_name
        for s in everyone(
            rank_mentors(mentee=ivanova, institution=world.institution, filters=filters)
        )
    }

    assert names == expected


# --- similar mentees --------------------------------------------------------------------


def test_similar_mentees_share_directions_most_shared_first(world):
    ivanova = world.mentee_person  # методическое
    ivanova.mentee_profile.difficulties.create(direction=direction(ICT), text="Презентации")
    close = add_mentee(world.institution, "Смирнова", METHODICAL, ICT)
    partial = add_mentee(
        world.institution, "Орлова", ICT, HEALTH, status=MenteeProfile.Status.WITHOUT_PAIR
    )
    add_mentee(world.institution, "Белова", HEALTH)  # nothing in common
    add_mentee(world.institution, "Зайцева", METHODICAL, status=MenteeProfile.Status.IN_PAIR)
    no_consent = add_mentee(world.institution, "Лебедева", METHODICAL)
    Consent.objects.filter(person=no_consent).update(withdrawn_on=date(2026, 9, 2))
    other_kindergarten = add_mentee(world.other_institution, "Чужова", METHODICAL)

    similar = similar_mentees(mentee=ivanova, institution=world.institution)

    assert [s.person for s in similar] == [close, partial]
    assert similar[0].explanation == "Общие направления: методическое, ИКТ-компетенции"
    assert similar[0].similarity == 1.0
    assert similar[1].explanation == (
        "Общие направления: ИКТ-компетенции; другие запросы: здоровьесбережение"
    )
    assert similar[1].similarity == pytest.approx(1 / 3)
    assert other_kindergarten not in [s.person for s in similar]


def test_similar_mentees_are_limited_and_empty_without_difficulties(world):
    for n in range(4):
        add_mentee(world.institution, f"Похожая{n}", METHODICAL)
    lonely = add_mentee(world.institution, "Одинокова")

    assert (
        len(similar_mentees(mentee=world.mentee_person, institution=world.institution, limit=3))
        == 3
    )
    assert similar_mentees(mentee=lonely, institution=world.institution) == []


# --- the page ---------------------------------------------------------------------------


def matching_url(person) -> str:
    return reverse("registry:matching", args=[person.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("curator", 200),
        ("council", 200),
        ("sysadmin", 200),
        ("head", 403),
        ("mentor", 404),
        ("mentee", 404),
        ("teacher", 404),
        ("outsider", 404),
    ],
)
def test_matching_page_is_for_those_who_propose_pairs(world, as_user, role, status):
    response = as_user(world.user(role)).get(matching_url(world.mentee_person))

    assert response.status_code == status


def test_anonymous_user_is_sent_to_login(world, client):
    response = client.get(matching_url(world.mentee_person))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("whom", ["teacher_person", "mentor_person", "other_person"])
def test_page_of_someone_not_a_mentee_here_is_not_found(world, as_user, whom):
    response = as_user(world.curator).get(matching_url(getattr(world, whom)))

    assert response.status_code == 404


def test_page_shows_the_mentee_ranked_mentors_and_their_reasons(scene, as_user):
    world, ivanova, petrova, sokolova, zhukova = scene
    ivanova.mentee_profile.strengths = "Хорошо ладит с родителями"
    ivanova.mentee_profile.save()

    response = as_user(world.curator).get(matching_url(ivanova))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Подбор наставника: Иванова А. С. — Наставничество</title>" in html
    assert "<h1>Подбор наставника: Иванова А. С.</h1>" in html
    assert "Иванова Анна Сергеевна" in html
    assert "молодой специалист со стажем до 3 лет" in html
    assert "Хорошо ладит с родителями" in html
    assert "Планирование НОД" in html
    assert "п. 6.1" in html
    assert html.index("Петрова М. И.") < html.index("Соколова А. С.")
    assert "Закрывает 2 из 3 направлений: методическое, ИКТ-компетенции; " in html
    assert "Та же должность: воспитатель" in html
    assert 'value="65"' in html and "<meter" in html
    assert "свободных мест нет" in html
    # Соколова is full: listed apart under «Нет свободных мест», with no rank and no pair link.
    ranked_part, full_part = html.split('<h2 id="full-title">Нет свободных мест</h2>')
    assert "Соколова А. С." in full_part and "Соколова А. С." not in ranked_part
    assert [s.mentor for s in response.context["suggestions"]] == [petrova]
    assert "без согласия на обработку персональных данных — не показаны: 1" in html
    assert "Жукова" not in html
    pair_url = f"{reverse('registry:group-create')}?mentor={petrova.pk}&amp;mentee={ivanova.pk}"
    assert pair_url in html
    full_pair_url = f"?mentor={sokolova.pk}&amp;mentee={ivanova.pk}"
    assert full_pair_url not in html
    assert "style=" not in html.split("<main", 1)[1]


def test_page_suggests_mentees_to_join_in_a_group(world, as_user):
    ivanova = world.mentee_person
    close = add_mentee(world.institution, "Смирнова", METHODICAL)

    response = as_user(world.council).get(matching_url(ivanova))

    html = response.content.decode()
    assert "Можно объединить в группу" in html
    assert "Общие направления: методическое" in html
    group_url = f"{reverse('registry:group-create')}?mentee={ivanova.pk}&amp;mentee={close.pk}"
    assert group_url in html
    assert f'name="mentee" value="{close.pk}"' in html


def test_page_filters_by_get_parameters(scene, as_user):
    world, ivanova, *_ = scene

    response = as_user(world.curator).get(
        matching_url(ivanova), {"free_only": "on", "organization": "own"}
    )

    html = response.content.decode()
    assert "Петрова М. И." in html
    assert "Соколова" not in html
    assert "Фильтры — выбрано: 2" in html


def test_unknown_direction_is_refused_next_to_the_field_and_nothing_is_filtered(scene, as_user):
    world, ivanova, *_ = scene

    response = as_user(world.curator).get(matching_url(ivanova), {"direction": "999999"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Выберите корректный вариант" in html
    assert response.context["form"].errors["direction"]
    assert "Петрова М. И." in html and "Соколова А. С." in html


def test_page_says_a_mentor_covers_no_difficulty(world, as_user):
    add_mentor(world.institution, "Волкова", HEALTH)

    response = as_user(world.curator).get(matching_url(world.mentee_person))

    html = response.content.decode()
    volkova = html.split("Волкова", 1)[1].split("</article>", 1)[0]
    assert "не закрывает ни одного затруднения" in volkova
    petrova = html.split("Петрова М. И.", 1)[1].split("</article>", 1)[0]
    assert "не закрывает ни одного затруднения" not in petrova
    assert html.index("Петрова М. И.") < html.index("Волкова")


def test_page_explains_when_every_mentor_is_full(world, as_user):
    world.mentor_person.mentor_profile.capacity = 1
    world.mentor_person.mentor_profile.save()
    make_group(world, world.mentor_person, add_mentee(world.institution, "Орлова", ICT))

    response = as_user(world.curator).get(matching_url(world.mentee_person))

    html = response.content.decode()
    assert "Свободных мест сейчас нет ни у одного подходящего наставника" in html
    assert "Нет свободных мест" in html and "Петрова М. И." in html
    assert "В банке пока нет наставников" not in html


def test_page_explains_an_empty_list(world, as_user):
    Consent.objects.filter(person=world.mentor_person).update(withdrawn_on=date(2026, 9, 2))

    response = as_user(world.curator).get(matching_url(world.mentee_person))

    html = response.content.decode()
    assert "В банке пока нет наставников с согласием" in html
    assert "Других наставляемых с похожими запросами сейчас нет" in html


def test_page_reads_the_same_number_of_queries_for_5_and_50_mentors(world, as_user):
    def build(count, prefix):
        for n in range(count):
            mentor = add_mentor(
                world.institution,
                f"{prefix}{n}",
                METHODICAL,
                ICT,
                training_completed_on=date(2026, 5, 1) if n % 2 else None,
            )
            add_mentee(world.institution, f"{prefix}Ученица{n}", METHODICAL)
            mentee = add_mentee(world.institution, f"{prefix}Бывшая{n}", ICT)
            make_group(world, mentor, mentee, status=MentoringGroup.Status.COMPLETED)

    client = as_user(world.curator)
    client.get(matching_url(world.mentee_person))  # the session is saved on the first visit

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(matching_url(world.mentee_person))
        assert response.status_code == 200
        return len(captured), response

    build(5, "Малая")
    small, response = queries()
    assert response.context["page_obj"].paginator.count == 6
    build(45, "Большая")
    large, response = queries()
    assert response.context["page_obj"].paginator.count == 51

    assert small == large


def test_ranks_continue_on_the_next_page(world, as_user):
    for n in range(30):
        add_mentor(world.institution, f"Наставница{n:02d}", METHODICAL)

    response = as_user(world.curator).get(matching_url(world.mentee_person), {"page": 2})

    assert response.context["page_obj"].number == 2
    assert '<span class="text-body-secondary">26.</span>' in response.content.decode()
    assert Person.objects.filter(mentor_profile__isnull=False).count() == 31
