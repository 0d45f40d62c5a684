"""Issue 18, item 10: each order opens with «В соответствии с …» citing the signed order that
approved the regulation (and ТК РФ ст. 351.8 where the order touches a mentor's work), and
everyone an order gives a duty signs «С приказом ознакомлены»."""

import shutil
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from registry.models import Order
from registry.services.orders import (
    DEFAULT_BASIS,
    order_create_draft,
    order_preamble,
    order_render,
    order_sign,
    order_update_draft,
)
from tests.factories import make_person

pytestmark = pytest.mark.django_db

REGULATION_CITED = (
    "В соответствии с Положением о системе (целевой модели) наставничества педагогических "
    "работников, утверждённым приказом от 29.08.2025 № 12"
)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "order.pdf"
    path.write_bytes(content)
    # A fixed local tool on a file the test wrote itself (TOOLCHAIN.md: poppler-utils).
    command = [shutil.which("pdftotext"), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return " ".join(result.stdout.split())


def draft(world, kind, **changes) -> Order:
    fields = {
        "institution": world.institution,
        "user": world.curator,
        "kind": kind,
        "title": "",
        "basis": "",
        "items": ["Провести итоговое мероприятие 20 мая."],
        "control_clause": "Контроль за исполнением настоящего приказа оставляю за собой.",
        "appointees": [],
        "acquainted": [],
        "is_public": False,
    }
    fields.update(changes)
    return order_create_draft(**fields)


@pytest.fixture
def regulation(world):
    order = draft(world, Order.Kind.REGULATION)
    return order_sign(order=order, head=world.head, number="12", signed_on=date(2025, 8, 29))


@pytest.fixture
def curator(world):
    return make_person(world.institution, "Кураторова", user=world.curator)


@pytest.fixture
def council_member(world):
    return make_person(world.institution, "Советова", user=world.council)


@pytest.mark.parametrize(
    ("kind", "clauses", "cites_labour_code"),
    [
        (Order.Kind.CURATOR, "(п. 3.2, п. 3.3)", False),
        (Order.Kind.COUNCIL, "(п. 3.2, п. 3.4)", False),
        (Order.Kind.RELIEF, "(п. 3.1, п. 7.1)", True),
        (Order.Kind.PROGRAM_CHANGE, "(п. 7.2)", True),
        (Order.Kind.TERMINATION, "(п. 7.1)", True),
        (Order.Kind.RELEASE, "(п. 1.4)", False),
        (Order.Kind.FINAL_EVENT, "(Приложение 2, этап 6)", False),
        (Order.Kind.REWARD, "(п. 3.2, п. 3.4)", False),
        (Order.Kind.ROADMAP, "(п. 3.2, Приложение 2)", False),
        (Order.Kind.GROUPS, "(п. 3.1, п. 6.2)", True),
        (Order.Kind.REPLACEMENT, "(п. 3.1, п. 6.2)", True),
    ],
)
def test_each_kinds_preamble_cites_the_regulations_order(
    world, regulation, kind, clauses, cites_labour_code
):
    preamble = order_preamble(institution=world.institution, kind=kind)
    assert preamble.startswith(f"{REGULATION_CITED} {clauses}")
    assert ("статьёй 351.8 Трудового кодекса" in preamble) is cites_labour_code


def test_without_a_signed_regulation_the_preamble_names_the_regulation_alone(world):
    draft(world, Order.Kind.REGULATION)  # a draft approves nothing yet
    preamble = order_preamble(institution=world.institution, kind=Order.Kind.TERMINATION)
    assert preamble.startswith(
        "В соответствии с Положением о системе (целевой модели) наставничества педагогических "
        "работников (п. 7.1)"
    )
    assert "утверждённым приказом" not in preamble


def test_the_regulations_own_order_cites_the_law_and_the_institution_in_its_case(world):
    order = draft(world, Order.Kind.REGULATION, items=[])
    assert order.basis == (
        "В соответствии со статьёй 351.8 Трудового кодекса Российской Федерации, в целях "
        "создания системы (целевой модели) наставничества педагогических работников в "
        "ГБДОУ детском саду № 64 Невского района Санкт-Петербурга"
    )


def test_a_draft_gets_its_kinds_preamble_and_keeps_a_typed_one(world, regulation):
    order = draft(world, Order.Kind.TERMINATION, basis=DEFAULT_BASIS)
    assert order.basis.startswith(f"{REGULATION_CITED} (п. 7.1)")
    # The drafter switches the kind: the preamble follows it.
    order = order_update_draft(order=order, kind=Order.Kind.RELEASE)
    assert order.basis.startswith(f"{REGULATION_CITED} (п. 1.4)")
    # Words the drafter typed are hers.
    typed = "В соответствии с заявлением наставника от 01.03.2026"
    order = order_update_draft(order=order, basis=typed)
    assert order.basis == typed


# Who signs «С приказом ознакомлены», per kind -----------------------------------------------


def test_curator_order_the_appointee_signs(world):
    person = make_person(world.institution, "Новикова")
    order = draft(world, Order.Kind.CURATOR, items=[], appointees=[person])
    assert list(order.acquainted.all()) == [person]


def test_council_order_the_members_sign(world):
    members = [make_person(world.institution, name) for name in ("Андреева", "Борисова")]
    order = draft(world, Order.Kind.COUNCIL, items=[], appointees=members)
    assert set(order.acquainted.all()) == set(members)


def test_regulation_order_the_curator_told_to_acquaint_the_staff_signs(world, curator):
    order = draft(world, Order.Kind.REGULATION, items=[])
    assert any(item.startswith("Куратору") for item in order.items)
    assert list(order.acquainted.all()) == [curator]


@pytest.mark.parametrize(
    "kind",
    [
        Order.Kind.RELIEF,
        Order.Kind.PROGRAM_CHANGE,
        Order.Kind.TERMINATION,
        Order.Kind.RELEASE,
        Order.Kind.FINAL_EVENT,
        Order.Kind.REWARD,
    ],
)
def test_an_item_addressed_to_the_curator_or_council_puts_them_among_the_acquainted(
    world, curator, council_member, kind
):
    chosen = make_person(world.institution, "Выбранная")
    plain = draft(world, kind, acquainted=[chosen])
    assert list(plain.acquainted.all()) == [chosen]

    order = draft(
        world,
        kind,
        items=[
            "Провести итоговое мероприятие 20 мая.",
            "Куратору реализации программ наставничества обеспечить подготовку.",
        ],
        acquainted=[chosen],
    )
    assert set(order.acquainted.all()) == {chosen, curator}
    order = order_update_draft(
        order=order,
        items=[*order.items, "Методическому совету наставников подготовить материалы."],
    )
    assert set(order.acquainted.all()) == {chosen, curator, council_member}


def test_the_printed_order_opens_with_the_preamble_and_lists_the_curator(
    world, regulation, curator, as_user, tmp_path
):
    order = draft(
        world,
        Order.Kind.FINAL_EVENT,
        items=["Куратору реализации программ наставничества подготовить итоговое мероприятие."],
    )
    text = " ".join(pdf_text(order_render(order=order), tmp_path).split())
    assert f"{REGULATION_CITED} (Приложение 2, этап 6) ПРИКАЗЫВАЮ:" in text
    assert "С приказом ознакомлены: Кураторова Анна Сергеевна" in text
    page = as_user(world.head).get(reverse("registry:order-detail", args=[order.pk]))
    assert REGULATION_CITED in page.content.decode()
