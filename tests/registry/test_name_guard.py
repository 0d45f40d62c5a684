"""The guard of published texts (152-ФЗ ст. 10.1; issue 17, item 1): which people of the
institution a text names, in any case, with initials before or after, «е» for «ё», and without
taking an ordinary word for a surname."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from registry.models import Consent
from registry.services import name_guard
from tests.factories import give_consent, make_person

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "texts_naming_people.md"

# The people of the sample texts: surname, first name, patronymic.
PEOPLE = [
    ("Белова", "Анна", "Андреевна"),
    ("Волкова", "Вера", "Борисовна"),
    ("Гусева", "Галина", "Викторовна"),
    ("Данилова", "Дарья", "Дмитриевна"),
    ("Ефимова", "Елена", "Евгеньевна"),
    ("Жукова", "Жанна", "Игоревна"),
    ("Зайцева", "Зоя", "Исаевна"),
    ("Калинина", "Ксения", "Петровна"),
    ("Лебедева", "Людмила", "Романовна"),
    ("Макарова", "Ирина", "Михайловна"),
    ("Никитина", "Надежда", "Николаевна"),
    ("Осипова", "Ольга", "Константиновна"),
    ("Орлов", "Артём", "Сергеевич"),
    ("Павлова", "Полина", "Фёдоровна"),
    ("Семёнова", "Светлана", "Юрьевна"),
    # Named in none of the texts.
    ("Соколова", "Алла", "Дмитриевна"),
    ("Кшесинская", "Матильда", "Феликсовна"),
]

# Who each sample text names (its number in the file).
EXPECTED = {
    1: {"Белова", "Волкова"},
    2: {"Гусева", "Данилова", "Ефимова", "Жукова"},
    3: {"Зайцева"},
    4: {"Калинина", "Лебедева"},
    5: {"Макарова", "Никитина", "Осипова"},
    6: {"Орлов", "Павлова"},
    7: {"Семёнова"},
}


def sample_texts() -> dict[int, str]:
    """The numbered texts of tests/data/texts_naming_people.md, their lines joined."""
    texts, number = {}, None
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        start = re.match(r"(\d+)\. (.*)", line)
        if start:
            number = int(start.group(1))
            texts[number] = start.group(2)
        elif number and line.startswith("   "):
            texts[number] += " " + line.strip()
    return texts


@pytest.fixture
def people(world):
    return {
        last: make_person(world.institution, last, first_name=first, patronymic=patronymic)
        for last, first, patronymic in PEOPLE
    }


def surnames(text, world) -> set[str]:
    return {p.last_name for p in name_guard.people_named(text, institution=world.institution)}


def test_the_file_holds_seven_texts():
    assert sorted(sample_texts()) == list(EXPECTED)


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_each_sample_text_names_exactly_its_people(world, people, number):
    assert surnames(sample_texts()[number], world) == EXPECTED[number]


# Three grammatical cases of each person's surname, with and without first names.
CASES = [
    ("Белова", ["Белова выступила", "у Беловой", "поздравили Белову"]),
    ("Волкова", ["Волкова выступила", "у Волковой", "поздравили Волкову"]),
    ("Гусева", ["Гусева выступила", "у Гусевой", "поздравили Гусеву"]),
    ("Данилова", ["Данилова выступила", "с Даниловой", "поздравили Данилову"]),
    ("Ефимова", ["Ефимова выступила", "у Ефимовой", "поздравили Ефимову"]),
    ("Жукова", ["Жукова выступила", "с Жуковой", "поздравили Жукову"]),
    ("Зайцева", ["Зайцева выступила", "у Зайцевой", "поздравили Зайцеву"]),
    ("Макарова", ["Макарова выступила", "у Макаровой", "поздравили Макарову"]),
    ("Осипова", ["Осипова выступила", "с Осиповой", "поздравили Осипову"]),
    ("Калинина", ["Калинина выступила", "с Калининой", "поздравили Калинину"]),
    ("Лебедева", ["Лебедева выступила", "о Лебедевой", "поздравили Лебедеву"]),
    ("Никитина", ["Никитина выступила", "Никитиной вручили", "с Никитиной"]),
    ("Павлова", ["Павлова выступила", "у Павловой", "поздравили Павлову"]),
    ("Орлов", ["Орлов А. С. выступил", "у Орлова", "с Орловым"]),
    ("Семёнова", ["Семенова выступила", "у Семёновой", "поздравили Семенову"]),
    ("Кшесинская", ["Кшесинская выступила", "у Кшесинской", "поздравили Кшесинскую"]),
]


@pytest.mark.parametrize("surname, phrases", CASES)
def test_a_surname_is_found_in_three_cases(world, people, surname, phrases):
    for phrase in phrases:
        assert surnames(phrase, world) == {surname}, phrase


@pytest.mark.parametrize(
    "text",
    [
        "Соколова А. Д. провела занятие",
        "А. Д. Соколова провела занятие",
        "А.Д. Соколова",
        "Соколовой А.Д.",
    ],
)
def test_initials_before_or_after_the_surname(world, people, text):
    assert surnames(text, world) == {"Соколова"}


def test_a_name_after_another_with_initials_is_found(world, people):
    # The initials before «Соколова» are Беловой's (found by issue 17, item 3's scan).
    assert surnames("Программа «Белова А. А. — Соколова А. Д.»", world) == {"Белова", "Соколова"}


def test_someone_elses_initials_are_another_person(world, people):
    assert surnames("Соколова Б. В. из соседнего сада", world) == set()


def test_e_written_for_yo_in_the_surname_and_the_first_name(world, people):
    assert surnames("Артем Сергеевич Орлов провёл игру", world) == {"Орлов"}
    assert surnames("о Семеновой", world) == {"Семёнова"}


def test_first_name_with_patronymic_names_a_person(world, people):
    assert surnames("Спасибо Зое Исаевне!", world) == {"Зайцева"}
    assert surnames("Спасибо Зое!", world) == set()


def test_ordinary_words_are_not_taken_for_surnames(world, people):
    # «орлов» is also the genitive of «орёл»: without a first name or initials it is a bird.
    assert surnames("Орлов в небе над садом не видели. Стая орлов.", world) == set()
    assert surnames("Орлов Артём провёл игру", world) == {"Орлов"}
    # Lower case is no name: «белова» is no word, but a surname is written with a capital.
    assert surnames("белова лебедева", world) == set()


def test_people_of_another_institution_are_not_looked_for(world, people):
    make_person(world.other_institution, "Морозова", first_name="Мария")
    assert surnames("Морозова Мария", world) == set()


def test_unconsented_names_are_refused_by_field_until_the_consent_is_given(world, people):
    texts = {"title": "Новость", "text": sample_texts()[1]}
    with pytest.raises(ValidationError) as refused:
        name_guard.require_consented_names(institution=world.institution, texts=texts)
    message = refused.value.message_dict["text"][0]
    assert "Белова А. А." in message and "Волкова В. Б." in message
    assert "title" not in refused.value.message_dict
    give_consent(people["Белова"], Consent.Kind.DISSEMINATION)
    give_consent(people["Волкова"], Consent.Kind.DISSEMINATION)
    name_guard.require_consented_names(institution=world.institution, texts=texts)


def test_a_processing_consent_is_not_enough(world, people):
    give_consent(people["Зайцева"], Consent.Kind.PROCESSING)
    found = name_guard.unconsented_named(sample_texts()[3], institution=world.institution)
    assert [p.last_name for p in found] == ["Зайцева"]


def test_two_queries_whatever_the_number_of_people(world, people, django_assert_num_queries):
    text = sample_texts()[5]
    with django_assert_num_queries(2):  # the people, then their consents
        assert len(name_guard.unconsented_named(text, institution=world.institution)) == 3
    for n in range(20):
        make_person(world.institution, f"Добавочная{n}", first_name="Вера")
    with django_assert_num_queries(2):
        assert len(name_guard.unconsented_named(text, institution=world.institution)) == 3
