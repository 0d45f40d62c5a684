"""The banks: lists, filters, search, a person's page and the curator's forms (п. 3.3)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import (
    Consent,
    Direction,
    MenteeCategory,
    MenteeProfile,
    MentorProfile,
    Person,
    Position,
)
from tests.factories import make_mentee, make_mentor, make_person

pytestmark = pytest.mark.django_db


def person_data(own, **overrides):
    data = {
        "last_name": "Ёлкина",
        "first_name": "Дарья",
        "patronymic": "Андреевна",
        "birth_date": "2000-05-14",
        "organization": own.pk,
        "position": Position.objects.get(name="воспитатель").pk,
        "hired_on": "2025-09-01",
        "experience_total": "1,5",
        "experience_pedagogical": "1,5",
        "experience_in_position": "1",
        "education_level": "higher_pedagogical",
        "education": "РГПУ им. А. И. Герцена",
        "qualification_category": "none",
        "attestation_date": "",
        "email": "elkina@example.org",
        "phone": "+7 921 000-00-00",
    }
    data.update(overrides)
    return data


# Lists ------------------------------------------------------------------------------


def test_curator_sees_people_of_own_institution_only(world, as_user):
    response = as_user(world.curator).get(reverse("registry:person-list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Иванова А. С." in text
    assert "Петрова М. И." in text
    assert "Чужая" not in text


def test_mentee_list_shows_only_mentees_with_category(world, as_user):
    response = as_user(world.curator).get(reverse("registry:mentee-list"))
    text = response.content.decode()
    assert "Иванова А. С." in text
    assert "Петрова М. И." not in text
    assert "молодой специалист со стажем до 3 лет" in text


def test_mentor_list_filters_by_direction(world, as_user):
    client = as_user(world.curator)
    other = make_person(world.institution, "Громова")
    mentor = make_mentor(other)
    mentor.competences.all().delete()
    mentor.competences.create(direction=Direction.objects.get(name="здоровьесбережение"))
    methodical = Direction.objects.get(name="методическое")
    response = client.get(reverse("registry:mentor-list"), {"direction": methodical.pk})
    text = response.content.decode()
    assert "Петрова М. И." in text
    assert "Громова" not in text


def test_filter_by_consent_and_review(world, as_user):
    client = as_user(world.curator)
    response = client.get(reverse("registry:person-list"), {"consent": "no"})
    text = response.content.decode()
    assert "Смирнова О. С." in text  # the teacher has no consent
    assert "Иванова А. С." not in text
    world.teacher_person.last_reviewed_on = date.today()
    world.teacher_person.save()
    response = client.get(reverse("registry:person-list"), {"reviewed": "yes"})
    text = response.content.decode()
    assert "Смирнова О. С." in text
    assert "Иванова А. С." not in text


def test_filter_by_mentee_status_and_category(world, as_user):
    client = as_user(world.curator)
    response = client.get(reverse("registry:mentee-list"), {"status": "without_pair"})
    assert "Иванова А. С." not in response.content.decode()
    category = MenteeCategory.objects.get(name="молодой специалист со стажем до 3 лет")
    response = client.get(reverse("registry:mentee-list"), {"category": category.pk})
    assert "Иванова А. С." in response.content.decode()


def test_name_search_goes_by_post_and_finds_cyrillic_in_any_case(world, as_user):
    client = as_user(world.curator)
    response = client.post(
        reverse("registry:search"), {"q": "иванова", "list_name": "people"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("registry:person-list")
    text = response.content.decode()
    assert "Иванова А. С." in text
    assert "Петрова М. И." not in text
    # Clearing the search shows everyone again.
    response = client.post(
        reverse("registry:search"), {"q": "", "list_name": "people"}, follow=True
    )
    assert "Петрова М. И." in response.content.decode()


def test_search_treats_yo_as_ye(world, as_user):
    make_person(world.institution, "Семёнова")
    client = as_user(world.curator)
    response = client.post(
        reverse("registry:search"), {"q": "семенова", "list_name": "people"}, follow=True
    )
    assert "Семёнова" in response.content.decode()


def test_sorting_by_name_follows_russian_alphabet(world, as_user):
    for name in ["Ёлкина", "Жукова", "Ежова", "Абрамова", "яковлева"]:
        make_person(world.institution, name)
    response = as_user(world.curator).get(reverse("registry:person-list"), {"per_page": 50})
    names = [p.last_name for p in response.context["people"]]
    order = [n for n in names if n in {"Ёлкина", "Жукова", "Ежова", "Абрамова", "яковлева"}]
    assert order == ["Абрамова", "Ежова", "Ёлкина", "Жукова", "яковлева"]
    response = as_user(world.curator).get(reverse("registry:person-list"), {"sort": "-name"})
    assert response.context["people"][0].last_name == "яковлева"


def test_pagination_25_and_50(world, as_user):
    for index in range(40):
        make_person(world.institution, f"Участникова{index:02d}")
    client = as_user(world.curator)
    response = client.get(reverse("registry:person-list"))
    assert len(response.context["people"]) == 25
    response = client.get(reverse("registry:person-list"), {"per_page": 50})
    assert len(response.context["people"]) == 43
    response = client.get(reverse("registry:person-list"), {"per_page": "abc", "page": 2})
    assert len(response.context["people"]) == 18


@pytest.mark.parametrize("url_name", ["person-list", "mentor-list", "mentee-list"])
def test_bank_lists_run_the_same_queries_for_5_and_50_people(world, as_user, url_name):
    client = as_user(world.curator)

    def add(count):
        for _ in range(count):
            person = make_person(world.institution)
            if url_name == "mentor-list":
                make_mentor(person)
            else:
                make_mentee(person)

    def count_queries():
        client.get(reverse(f"registry:{url_name}"))  # the first request of a session writes it
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(f"registry:{url_name}"), {"per_page": 50})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    add(3)
    small = count_queries()
    add(45)
    large = count_queries()
    # Everybody grows past a page of 50, the mentors and the mentees do not: only the longer list
    # asks its COUNT(*) (lib/pages.py::first_page).
    assert large == small + (url_name == "person-list")


# A person --------------------------------------------------------------------------


def test_curator_creates_a_person(world, as_user):
    response = as_user(world.curator).post(
        reverse("registry:person-create"), person_data(world.institution)
    )
    person = Person.objects.get(last_name="Ёлкина")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person-detail", args=[person.pk])
    assert person.institution == world.institution
    assert str(person.experience_total) == "1.5"
    assert person.search_name == "елкина дарья андреевна"
    assert person.last_reviewed_on is not None


def test_person_form_keeps_input_and_explains_errors_in_russian(world, as_user):
    data = person_data(
        world.institution,
        last_name="",
        birth_date="2030-01-01",
        email="not-an-email",
        experience_total="2",
        experience_pedagogical="5",
    )
    response = as_user(world.curator).post(reverse("registry:person-create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "Обязательное поле." in form.errors["last_name"]
    assert "возраст от 15 до 90" in form.errors["birth_date"][0]
    assert form.errors["email"]
    assert "больше общего" in form.errors["experience_pedagogical"][0]
    text = response.content.decode()
    assert "Проверьте форму" in text
    assert 'value="Дарья"' in text  # what the curator typed is kept
    assert not Person.objects.filter(first_name="Дарья", last_name="").exists()


def test_person_duplicate_name_and_birth_date_is_refused(world, as_user):
    data = person_data(
        world.institution,
        last_name="Иванова",
        first_name="Анна",
        patronymic="Сергеевна",
        birth_date=world.mentee_person.birth_date.isoformat(),
        email="",
    )
    response = as_user(world.curator).post(reverse("registry:person-create"), data)
    assert response.status_code == 200
    assert "уже есть" in response.context["form"].errors["birth_date"][0]
    assert Person.objects.filter(last_name="Иванова").count() == 1


def test_person_duplicate_email_is_refused_next_to_the_field(world, as_user):
    world.mentor_person.email = "petrova@example.org"
    world.mentor_person.save()
    data = person_data(world.institution, email="Petrova@Example.org")
    response = as_user(world.curator).post(reverse("registry:person-create"), data)
    assert "уже есть" in response.context["form"].errors["email"][0]


def test_organization_choice_is_limited_to_own_institution_and_partners(world, as_user):
    data = person_data(world.institution, organization=world.other_institution.pk)
    response = as_user(world.curator).post(reverse("registry:person-create"), data)
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    data = person_data(world.institution, organization=world.partner.pk)
    as_user(world.curator).post(reverse("registry:person-create"), data)
    assert Person.objects.get(last_name="Ёлкина").organization == world.partner


def test_extra_fields_posted_to_the_person_form_are_ignored(world, as_user):
    data = person_data(
        world.institution,
        institution=world.other_institution.pk,
        user=world.head.pk,
        last_reviewed_on="2001-01-01",
    )
    as_user(world.curator).post(reverse("registry:person-create"), data)
    person = Person.objects.get(last_name="Ёлкина")
    assert person.institution == world.institution
    assert person.user is None
    assert person.last_reviewed_on != date(2001, 1, 1)


def test_curator_edits_a_person(world, as_user):
    person = world.teacher_person
    data = person_data(world.institution, last_name="Смирнова-Орлова", email="")
    response = as_user(world.curator).post(
        reverse("registry:person-update", args=[person.pk]), data
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Смирнова-Орлова"
    assert person.search_name.startswith("смирнова-орлова")


def test_person_page_shows_profiles_consents_and_actions(world, as_user):
    response = as_user(world.curator).get(
        reverse("registry:person-detail", args=[world.mentee_person.pk])
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Иванова Анна Сергеевна" in text
    assert "Планирование НОД" in text
    assert "Отметить как актуальные" in text
    assert "Включить в банк наставников" in text


def test_council_sees_a_person_read_only(world, as_user):
    client = as_user(world.council)
    response = client.get(reverse("registry:person-detail", args=[world.mentee_person.pk]))
    assert response.status_code == 200
    assert "Отметить как актуальные" not in response.content.decode()
    response = client.post(
        reverse("registry:person-update", args=[world.mentee_person.pk]),
        person_data(world.institution),
    )
    assert response.status_code == 403


def test_a_teacher_sees_only_their_own_record(world, as_user):
    client = as_user(world.teacher)
    response = client.get(reverse("registry:my-data"))
    assert response["Location"] == reverse("registry:person-detail", args=[world.teacher_person.pk])
    response = client.get(reverse("registry:person-detail", args=[world.teacher_person.pk]))
    assert response.status_code == 200
    assert "Это ваши данные" in response.content.decode()
    response = client.get(reverse("registry:person-detail", args=[world.mentee_person.pk]))
    assert response.status_code == 404


def test_another_institutions_person_is_404(world, as_user):
    response = as_user(world.curator).get(
        reverse("registry:person-detail", args=[world.other_person.pk])
    )
    assert response.status_code == 404
    response = as_user(world.curator).post(
        reverse("registry:person-review", args=[world.other_person.pk])
    )
    assert response.status_code == 404


def test_annual_review_marks_the_person_and_says_so(world, as_user):
    person = world.teacher_person
    response = as_user(world.curator).post(
        reverse("registry:person-review", args=[person.pk]), follow=True
    )
    person.refresh_from_db()
    assert person.last_reviewed_on is not None
    assert person.last_reviewed_by == world.curator
    assert person.is_reviewed_in_year()
    assert "отмечены как актуальные" in response.content.decode()


# Bank entries ----------------------------------------------------------------------


def mentee_data(**overrides):
    data = {
        "category": MenteeCategory.objects.get(name="новый сотрудник").pk,
        "strengths": "Рисует",
        "preferred_mode": "offline",
        "status": "in_bank",
        "support_note": "",
        "difficulties-TOTAL_FORMS": "2",
        "difficulties-INITIAL_FORMS": "0",
        "difficulties-MIN_NUM_FORMS": "0",
        "difficulties-MAX_NUM_FORMS": "1000",
        "difficulties-0-kind": "difficulty",
        "difficulties-0-direction": Direction.objects.get(name="методическое").pk,
        "difficulties-0-text": "Конспекты занятий",
        "difficulties-1-kind": "difficulty",
        "difficulties-1-direction": "",
        "difficulties-1-text": "",
    }
    data.update(overrides)
    return data


def test_nobody_enters_the_mentee_bank_without_processing_consent(world, as_user):
    person = world.teacher_person
    url = reverse("registry:mentee-profile", args=[person.pk])
    response = as_user(world.curator).post(url, mentee_data())
    assert response.status_code == 200
    gate = response.context["gate"]
    assert "152-ФЗ" in gate.errors["consent_given_on"][0]
    assert "Без согласия" in response.content.decode()
    assert not MenteeProfile.objects.filter(person=person).exists()
    assert not Consent.objects.filter(person=person).exists()


def test_curator_completes_a_mentee_recording_the_consent(world, as_user):
    person = world.teacher_person
    url = reverse("registry:mentee-profile", args=[person.pk])
    data = mentee_data(
        **{"consent-consent_given_on": "2026-10-01", "consent-consent_method": "paper"}
    )
    response = as_user(world.curator).post(url, data)
    assert response.status_code == 302
    profile = MenteeProfile.objects.get(person=person)
    assert profile.category.name == "новый сотрудник"
    assert [d.text for d in profile.difficulties.all()] == ["Конспекты занятий"]
    consent = Consent.objects.get(person=person)
    assert consent.kind == Consent.Kind.PROCESSING
    assert consent.given_on == date(2026, 10, 1)
    assert consent.recorded_by == world.curator


def test_a_form_claiming_a_thousand_rows_is_refused_in_russian_and_writes_nothing(world, as_user):
    """The rows of a bank entry are bounded (registry/forms/people.py, MAX_ROWS): a hand-made
    form claiming 1,000 difficulties builds no more than the bound and is refused."""
    person = world.teacher_person
    data = mentee_data(
        **{
            "consent-consent_given_on": "2026-10-01",
            "consent-consent_method": "paper",
            "difficulties-TOTAL_FORMS": "1000",
        }
    )
    response = as_user(world.curator).post(
        reverse("registry:mentee-profile", args=[person.pk]), data
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) <= 30
    assert "не больше 30" in " ".join(formset.non_form_errors())
    assert not MenteeProfile.objects.filter(person=person).exists()


def test_mentee_profile_is_all_or_nothing(world, as_user):
    person = world.teacher_person
    data = mentee_data(
        **{
            "consent-consent_given_on": "2026-10-01",
            "consent-consent_method": "paper",
            "difficulties-0-text": "",  # a direction without a text is an error
        }
    )
    response = as_user(world.curator).post(
        reverse("registry:mentee-profile", args=[person.pk]), data
    )
    assert response.status_code == 200
    assert not Consent.objects.filter(person=person).exists()
    assert not MenteeProfile.objects.filter(person=person).exists()


def test_curator_edits_an_existing_mentee_without_the_consent_gate(world, as_user):
    person = world.mentee_person
    profile = person.mentee_profile
    difficulty = profile.difficulties.get()
    url = reverse("registry:mentee-profile", args=[person.pk])
    client = as_user(world.curator)
    assert client.get(url).context["gate"] is None
    data = mentee_data(
        status="without_pair",
        support_note="Консультации психолога",
        **{
            "difficulties-INITIAL_FORMS": "1",
            "difficulties-0-id": difficulty.pk,
            "difficulties-0-DELETE": "on",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == "without_pair"
    assert profile.difficulties.count() == 0


def test_status_in_pair_cannot_be_set_by_hand(world, as_user):
    url = reverse("registry:mentee-profile", args=[world.mentee_person.pk])
    response = as_user(world.curator).post(url, mentee_data(status="in_pair"))
    assert response.status_code == 200
    assert "status" in response.context["form"].errors


def mentor_data(**overrides):
    data = {
        "experience": "20 лет",
        "awards": "",
        "capacity": "2",
        "training_completed_on": "",
        "training_note": "",
        "competences-TOTAL_FORMS": "1",
        "competences-INITIAL_FORMS": "0",
        "competences-MIN_NUM_FORMS": "0",
        "competences-MAX_NUM_FORMS": "1000",
        "competences-0-direction": Direction.objects.get(name="ИКТ-компетенции").pk,
        "competences-0-text": "Интерактивная доска",
    }
    data.update(overrides)
    return data


def test_curator_adds_a_mentor(world, as_user):
    person = world.teacher_person
    data = mentor_data(
        **{"consent-consent_given_on": "2026-10-01", "consent-consent_method": "paper"}
    )
    response = as_user(world.curator).post(
        reverse("registry:mentor-profile", args=[person.pk]), data
    )
    assert response.status_code == 302
    profile = MentorProfile.objects.get(person=person)
    assert profile.capacity == 2
    assert profile.competences.get().direction.name == "ИКТ-компетенции"


def test_mentor_needs_a_competence_and_a_sane_capacity(world, as_user):
    person = world.mentee_person  # has a processing consent already
    data = mentor_data(capacity="25", **{"competences-0-direction": "", "competences-0-text": ""})
    response = as_user(world.curator).post(
        reverse("registry:mentor-profile", args=[person.pk]), data
    )
    assert response.status_code == 200
    assert "от 1 до 10" in response.context["form"].errors["capacity"][0]
    assert "хотя бы одно направление" in response.content.decode()
    assert not MentorProfile.objects.filter(person=person).exists()


def test_duplicate_competence_direction_is_refused(world, as_user):
    direction = Direction.objects.get(name="методическое").pk
    data = mentor_data(
        **{
            "competences-TOTAL_FORMS": "2",
            "competences-0-direction": direction,
            "competences-1-direction": direction,
            "competences-1-text": "ещё раз",
        }
    )
    response = as_user(world.curator).post(
        reverse("registry:mentor-profile", args=[world.mentee_person.pk]), data
    )
    assert response.status_code == 200
    assert "уже указано" in response.content.decode()


# Free-text search of requests and difficulties (issue 9) --------------------------------------


def _text_search(client, text, list_name="mentees"):
    return client.post(
        reverse("registry:search"), {"q": "", "text": text, "list_name": list_name}, follow=True
    )


@pytest.fixture
def mentees_with_texts(world):
    """Иванова (the world's mentee: «Планирование НОД») and two more mentees with requests."""
    methodical = Direction.objects.get(name="методическое")
    adapting = make_mentee(make_person(world.institution, "Кузнецова"))
    adapting.difficulties.create(
        direction=methodical,
        kind="request",
        text="Помощь в адаптации к коллективу и работе с родителями",
    )
    speaking = make_mentee(make_person(world.institution, "Лебедева"))
    speaking.difficulties.all().delete()
    speaking.difficulties.create(direction=methodical, text="Развитие речи детей младшей группы")
    # Another kindergarten's mentee with the same words is never found.
    make_mentee(make_person(world.other_institution, "Чужова")).difficulties.create(
        direction=methodical, text="Адаптация к коллективу"
    )
    return world


def test_mentee_bank_searches_requests_and_difficulties_by_post(mentees_with_texts, as_user):
    client = as_user(mentees_with_texts.curator)
    response = _text_search(client, "коллективу")
    assert response.redirect_chain[-1][0] == reverse("registry:mentee-list")
    names = {p.last_name for p in response.context["people"]}
    assert names == {"Кузнецова"}
    text = response.content.decode()
    assert "в запросах и затруднениях «коллективу»" in text
    assert "коллективу" not in response.redirect_chain[-1][0]  # never in the URL
    # Every word must match; case does not matter on either database.
    assert {p.last_name for p in _text_search(client, "РЕЧИ детей").context["people"]} == {
        "Лебедева"
    }
    assert not _text_search(client, "речи коллективу").context["people"]
    # The text search and the name search combine; the reset button clears both.
    client.post(reverse("registry:search"), {"q": "иванова", "text": "НОД", "list_name": "mentees"})
    response = client.get(reverse("registry:mentee-list"))
    assert {p.last_name for p in response.context["people"]} == {"Иванова"}
    response = client.post(
        reverse("registry:search"),
        {"q": "иванова", "text": "НОД", "list_name": "mentees", "reset": "1"},
        follow=True,
    )
    assert {p.last_name for p in response.context["people"]} == {
        "Иванова",
        "Кузнецова",
        "Лебедева",
    }


def test_word_forms_are_found_on_both_databases(mentees_with_texts, as_user):
    client = as_user(mentees_with_texts.curator)

    def found(text):
        return {p.last_name for p in _text_search(client, text).context["people"]}

    # Any form of a word finds any other (mentoring_site/lib/morphology.py), on both databases.
    assert found("адаптация") == {"Кузнецова"}
    assert found("родитель") == {"Кузнецова"}
    assert found("ребёнок") == {"Лебедева"}  # «детей»: no stemmer gets there
    assert found("Ёлки") == set()
    if connection.vendor == "postgresql":
        assert found("адап") == set()  # words, not pieces of them
    else:
        # SQLite still finds a piece of a word in the casefolded text (its LIKE folds ASCII only).
        assert found("АДАПТАЦ") == {"Кузнецова"}


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Провести родительские собрания", "родительских собраний"),
        ("Провести цикл родительских собраний", "родительские собрания"),
        ("Как говорить с детьми о правилах", "ребёнок правило"),
    ],
)
def test_a_request_is_found_by_any_form_of_its_words(world, as_user, written, typed):
    """Issue 22: «родительских собраний» finds «родительские собрания», and back."""
    profile = world.mentee_person.mentee_profile
    profile.difficulties.update(text=written)
    client = as_user(world.curator)
    assert {p.last_name for p in _text_search(client, typed).context["people"]} == {"Иванова"}
    assert not _text_search(client, f"{typed} аттестация").context["people"]


def test_the_text_search_runs_the_same_number_of_queries(mentees_with_texts, as_user):
    client = as_user(mentees_with_texts.curator)
    _text_search(client, "коллективу")
    url = reverse("registry:mentee-list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        make_mentee(make_person(mentees_with_texts.institution, f"Ещёва{n}")).difficulties.create(
            direction=Direction.objects.get(name="методическое"), text="Работа с коллективу"
        )
    client.get(url)  # the filters' options, forgotten by the writes, are read again once
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)


def test_the_text_search_is_only_on_the_mentee_bank(world, as_user):
    client = as_user(world.curator)
    response = _text_search(client, "НОД", list_name="people")
    assert "Петрова М. И." in response.content.decode()
    assert 'name="text"' not in response.content.decode()
    assert 'name="text"' in client.get(reverse("registry:mentee-list")).content.decode()


# The filter selects rendered flat (issue 9: the per-option widget templates) --------------------


@pytest.mark.parametrize(
    "query",
    [{}, {"position": "2", "category": "1", "status": "in_pair"}, {"category": "999"}],
)
def test_flat_filter_selects_are_the_crispy_markup(world, query):
    from django.http import QueryDict
    from django.template import engines
    from django.test.html import parse_html

    from registry.filters import MenteeFilter

    filterset = MenteeFilter(
        QueryDict(mutable=True) | query,
        queryset=Person.objects.filter(institution=world.institution),
        institution=world.institution,
    )
    engine = engines["django"]
    crispy = engine.from_string(
        "{% load crispy_forms_tags %}{% for f in form %}{{ f|as_crispy_field }}{% endfor %}"
    ).render({"form": filterset.form})
    flat = engine.from_string(
        '{% for field in form %}{% include "includes/_select_field.html" %}{% endfor %}'
    ).render({"form": filterset.form})
    assert parse_html(flat) == parse_html(crispy)
    # One selected option per field (eight), none in the field with an invalid value.
    assert flat.count(" selected>") == {0: 8, 3: 8, 1: 7}[len(query)]
    for value in query.values():
        assert (f'<option value="{value}" selected>' in flat) == (value != "999")
