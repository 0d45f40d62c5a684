"""Issue 18, item 10: names and the institution's name in the case the sentence asks for
(mentoring_site/lib/russian.py; petrovich for the names the dictionary does not know)."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template

from mentoring_site.lib.russian import (
    decline_full_name,
    decline_name,
    decline_person,
    decline_phrase,
)

KOZLOVA = ("Козлова", "Екатерина", "Александровна", "")


@pytest.mark.parametrize(
    ("name", "case", "expected"),
    [
        # A woman's name the dictionary knows.
        (KOZLOVA, "gent", "Козловой Екатерины Александровны"),
        (KOZLOVA, "datv", "Козловой Екатерине Александровне"),
        (KOZLOVA, "accs", "Козлову Екатерину Александровну"),
        (KOZLOVA, "ablt", "Козловой Екатериной Александровной"),
        (KOZLOVA, "loct", "Козловой Екатерине Александровне"),
        (KOZLOVA, "nomn", "Козлова Екатерина Александровна"),
        # A man's.
        (("Петров", "Илья", "Ильич", ""), "accs", "Петрова Илью Ильича"),
        (("Петров", "Илья", "Ильич", ""), "ablt", "Петровым Ильёй Ильичом"),
        # A man's name ending like a woman's: the dictionary knows «Никита» is a man.
        (("Смирнов", "Никита", "Олегович", ""), "datv", "Смирнову Никите Олеговичу"),
        # Double surnames and names: each half.
        (
            ("Петрова-Водкина", "Анна-Мария", "Сергеевна", ""),
            "accs",
            "Петрову-Водкину Анну-Марию Сергеевну",
        ),
        (
            ("Римский-Корсаков", "Андрей", "Николаевич", ""),
            "gent",
            "Римского-Корсакова Андрея Николаевича",
        ),
        # Names the dictionary does not know: petrovich's rules by their endings.
        (("Шевчук", "Нурсултан", "Ерланович", ""), "datv", "Шевчуку Нурсултану Ерлановичу"),
        (("Ахмедзянова", "Ильмира", "Фуатовна", ""), "ablt", "Ахмедзяновой Ильмирой Фуатовной"),
        # A woman's consonant-ending surname is not declined, a man's is.
        (("Бондарь", "Ольга", "Петровна", ""), "datv", "Бондарь Ольге Петровне"),
        (("Бондарь", "Олег", "Петрович", ""), "datv", "Бондарю Олегу Петровичу"),
        # Surnames never declined: «-ых», «-их», «-ко».
        (("Черных", "Илья", "Ильич", ""), "datv", "Черных Илье Ильичу"),
        (("Шевченко", "Мария", "Ивановна", ""), "gent", "Шевченко Марии Ивановны"),
        # A Turkic patronymic stays as it is; the sex given on the record when the
        # patronymic does not say it.
        (("Мамедов", "Рашид", "Ахмед оглы", ""), "accs", "Мамедова Рашида Ахмед оглы"),
        (("Ким", "Алина", "", "f"), "gent", "Ким Алины"),
        (("Ким", "Олег", "", "m"), "gent", "Кима Олега"),
    ],
)
def test_decline_name(name, case, expected):
    last, first, patronymic, gender = name
    declined = decline_name(
        last_name=last, first_name=first, patronymic=patronymic, gender=gender, case=case
    )
    assert declined == expected


def test_decline_name_refuses_an_unknown_case():
    with pytest.raises(ValueError):
        decline_name(last_name="Козлова", first_name="Екатерина", case="dative")


def test_decline_person_reads_the_recorded_sex_and_keeps_the_anonymized():
    person = SimpleNamespace(
        last_name="Ким", first_name="Саша", patronymic="", gender="f", anonymized_on=None
    )
    assert decline_person(person, "datv") == "Ким Саше"
    person.gender = "m"
    assert decline_person(person, "datv") == "Киму Саше"
    person.anonymized_on = "2026-01-01"
    person.full_name = "Обезличенный участник № 3"
    assert decline_person(person, "datv") == "Обезличенный участник № 3"


def test_decline_full_name_typed_in_one_line():
    assert decline_full_name("Иванова Анна Сергеевна", "datv") == "Ивановой Анне Сергеевне"
    assert decline_full_name("Иванов Пётр Сергеевич", "gent") == "Иванова Петра Сергеевича"
    assert decline_full_name("", "gent") == ""


LONG_NAME = (
    "Государственное бюджетное дошкольное образовательное учреждение детский сад № 64 "
    "комбинированного вида Невского района Санкт-Петербурга"
)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (
            "gent",
            "Государственного бюджетного дошкольного образовательного учреждения детского "
            "сада № 64 комбинированного вида Невского района Санкт-Петербурга",
        ),
        (
            "datv",
            "Государственному бюджетному дошкольному образовательному учреждению детскому "
            "саду № 64 комбинированного вида Невского района Санкт-Петербурга",
        ),
        ("accs", LONG_NAME),
        (
            "ablt",
            "Государственным бюджетным дошкольным образовательным учреждением детским "
            "садом № 64 комбинированного вида Невского района Санкт-Петербурга",
        ),
        (
            "loct",
            "Государственном бюджетном дошкольном образовательном учреждении детском "
            "саду № 64 комбинированного вида Невского района Санкт-Петербурга",
        ),
    ],
)
def test_decline_the_institutions_long_name(case, expected):
    assert decline_phrase(LONG_NAME, case) == expected


def test_decline_phrase_keeps_quotes_abbreviations_and_feminine_nouns():
    quoted = "Муниципальное автономное дошкольное образовательное учреждение «Детский сад № 7»"
    assert decline_phrase(quoted, "loct") == (
        "Муниципальном автономном дошкольном образовательном учреждении «Детский сад № 7»"
    )
    assert decline_phrase("ГБДОУ детский сад № 5", "gent") == "ГБДОУ детского сада № 5"
    assert decline_phrase("Средняя общеобразовательная школа № 12", "accs") == (
        "Среднюю общеобразовательную школу № 12"
    )


def test_case_filter_for_people_logins_organizations_and_text():
    person = SimpleNamespace(
        last_name="Козлова",
        first_name="Екатерина",
        patronymic="Александровна",
        gender="",
        anonymized_on=None,
    )
    login = SimpleNamespace(person=person)
    institution = SimpleNamespace(name_in=lambda case: f"[{case}]")
    template = Template(
        '{{ p|case:"accs" }}|{{ u|case:"datv" }}|{{ org|case:"loct" }}|'
        '{{ text|case:"gent" }}|{{ head|name_case:"datv" }}'
    )
    rendered = template.render(
        Context(
            {
                "p": person,
                "u": login,
                "org": institution,
                "text": "ГБДОУ детский сад № 5",
                "head": "Иванова Анна Сергеевна",
            }
        )
    )
    assert rendered == (
        "Козлову Екатерину Александровну|Козловой Екатерине Александровне|[loct]|"
        "ГБДОУ детского сада № 5|Ивановой Анне Сергеевне"
    )
