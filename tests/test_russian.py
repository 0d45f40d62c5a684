"""Issue 19, item 1: one plural helper, its filter, and counters that agree with their number;
verbs agreed with the person («подтвердила», «согласен»)."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from mentoring_site.lib.counters import Counter
from mentoring_site.lib.russian import agreed, gender_from_patronymic, plural

FORMS = ("анкета", "анкеты", "анкет")


@pytest.mark.parametrize(
    ("number", "word"),
    [
        (0, "анкет"),
        (1, "анкета"),
        (2, "анкеты"),
        (4, "анкеты"),
        (5, "анкет"),
        (11, "анкет"),
        (12, "анкет"),
        (14, "анкет"),
        (21, "анкета"),
        (22, "анкеты"),
        (101, "анкета"),
        (111, "анкет"),
        (112, "анкет"),
        (1001, "анкета"),
    ],
)
def test_plural_picks_the_form_that_agrees(number, word):
    assert plural(number, *FORMS) == word


def test_the_template_filter_is_a_builtin_of_every_template():
    template = Template(
        '{% for n in numbers %}{{ n }} {{ n|plural:"анкета, анкеты, анкет" }}; {% endfor %}'
    )
    text = template.render(Context({"numbers": [1, 3, 5, 21]}))
    assert text == "1 анкета; 3 анкеты; 5 анкет; 21 анкета; "


def test_the_filter_falls_back_to_many_for_a_value_that_is_no_number():
    assert Template('{{ n|plural:"анкета,анкеты,анкет" }}').render(Context({"n": None})) == "анкет"


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (1, "анкета ждёт рассмотрения"),
        (2, "анкеты ждут рассмотрения"),
        (5, "анкет ждут рассмотрения"),
    ],
)
def test_a_counter_with_three_forms_labels_itself_for_its_value(value, label):
    forms = ("анкета ждёт рассмотрения", "анкеты ждут рассмотрения", "анкет ждут рассмотрения")
    counter = Counter(forms, value, "/")
    assert counter.label == label
    assert counter.forms == forms


def test_a_counter_with_one_text_keeps_it():
    counter = Counter("педагогов вовлечено в наставничество", "57 %", "/")
    assert counter.label == "педагогов вовлечено в наставничество"
    assert counter.forms is None


def test_there_is_one_plural_helper():
    root = Path(__file__).resolve().parent.parent
    definitions = [
        path.relative_to(root).as_posix()
        for app in (
            "mentoring_site",
            "public",
            "audit",
            "registry",
            "programs",
            "roadmap",
            "reports",
        )
        for path in (root / app).rglob("*.py")
        if re.search(
            r"^def _?plural\(\w+(: int)?, one", path.read_text(encoding="utf-8"), re.MULTILINE
        )
    ]
    assert definitions == ["mentoring_site/lib/russian.py"]


def test_every_home_counter_that_counts_things_carries_three_forms():
    """A counter whose label starts with a word in the plural genitive («анкет», «пар») and has no
    forms is the old fixed string: «1 анкет ждут рассмотрения»."""
    root = Path(__file__).resolve().parent.parent
    sources = [
        root / "mentoring_site" / "homes.py",
        root / "roadmap" / "homes.py",
        root / "reports" / "homes_dashboard.py",
        root / "reports" / "homes_growth.py",
    ]
    fixed = [
        f"{path.name}: {match.group(1)}"
        for path in sources
        for match in re.finditer(r'Counter\(\s*"([^"]+)"', path.read_text(encoding="utf-8"))
        if not match.group(1).startswith(("дорожная карта", "педагогов", "мероприятий выполнено"))
    ]
    assert fixed == []


@pytest.mark.parametrize(
    ("patronymic", "gender"),
    [
        ("Ивановна", "f"),
        ("Ильинична", "f"),
        ("Кузьминична", "f"),
        ("Алиевна", "f"),
        ("Мамед кызы", "f"),
        ("Сергеевич", "m"),
        ("Ильич", "m"),
        ("Кузьмич", "m"),
        ("Рашид оглы", "m"),
        ("", ""),
        ("Smith", ""),
    ],
)
def test_the_patronymic_says_the_sex(patronymic, gender):
    assert gender_from_patronymic(patronymic) == gender


@pytest.mark.parametrize(
    ("masculine", "feminine", "unknown"),
    [
        ("подтвердил", "подтвердила", "подтвердил(а)"),
        ("согласен", "согласна", "согласен(на)"),
        ("отказался", "отказалась", "отказался(ась)"),
        ("вышел", "вышла", "вышел(ла)"),
    ],
)
def test_a_verb_agrees_with_the_person(masculine, feminine, unknown):
    assert agreed("m", masculine, feminine) == masculine
    assert agreed("f", masculine, feminine) == feminine
    assert agreed("", masculine, feminine) == unknown


def test_the_filter_reads_a_person_a_login_or_nothing():
    from types import SimpleNamespace

    from mentoring_site.templatetags.russian import agreed as agreed_filter

    woman = SimpleNamespace(gender="f")
    assert agreed_filter(woman, "согласен,согласна") == "согласна"
    assert agreed_filter(SimpleNamespace(person=woman), "входил,входила") == "входила"
    assert agreed_filter(SimpleNamespace(), "входил,входила") == "входил(а)"
    assert agreed_filter(None, "входил,входила") == "входил(а)"
