"""The head's signed orders of every institution: the regulation, the groups order of each year
and the roadmap of the current year."""

from datetime import date
from functools import partial

from mentoring_site.dataset.batch import Batch, aware
from registry.models import Order, Organization, Person, User


def sign_orders(
    batch: Batch, institutions: list[Organization], people_of: dict[int, list[Person]]
) -> dict[tuple, Order]:
    """Returns the orders by ``(number, year)`` (groups) and ``(number, "roadmap")``."""
    current, years = batch.current, batch.years
    orders, order_of = [], {}
    for number, institution in zip(batch.numbers, institutions, strict=True):
        head, curator = people_of[number][0].user, people_of[number][1].user
        signed = partial(_signed_order, institution=institution, head=head, by=curator)
        orders.append(
            signed(
                Order.Kind.REGULATION,
                Order.Kind.REGULATION.label,
                date(years[0], 9, 1),
                10,
                ["Утвердить Положение о системе (целевой модели) наставничества (приложение)."],
            )
        )
        for k, year in enumerate(years):
            order_of[number, year] = signed(
                Order.Kind.GROUPS,
                Order.Kind.GROUPS.label,
                date(year, 10, 1),
                40 + k,
                ["Закрепить наставнические пары и группы согласно приложению."],
            )
            orders.append(order_of[number, year])
        order_of[number, "roadmap"] = signed(
            Order.Kind.ROADMAP,
            f"Об утверждении дорожной карты на {current}/{current + 1} учебный год",
            date(current, 9, 10),
            15,
            ["Утвердить дорожную карту (план мероприятий) на учебный год (приложение)."],
        )
        orders.append(order_of[number, "roadmap"])
    batch.counts.add("Order", Order.objects.bulk_create(orders))
    return order_of


def _signed_order(
    kind, title: str, on: date, serial: int, items: list[str], *, institution, head, by: User
) -> Order:
    return Order(
        institution=institution,
        kind=kind,
        status=Order.Status.SIGNED,
        number=f"{serial}-од",
        date=on,
        year=on.year,
        title=title,
        basis="Положение о системе (целевой модели) наставничества педагогических "
        "работников (п. 3.2).",
        items=items,
        created_by=by,
        created_at=aware(on, 9),
        signed_by=head,
        signed_at=aware(on, 12),
        is_public=kind != Order.Kind.GROUPS,
    )
