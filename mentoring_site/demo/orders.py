"""The head's founding orders (п. 3.2): the regulation, public, and the curator's appointment."""

from datetime import date

from registry.models import Order, Organization, Person, User
from registry.services.orders import order_sign


def sign_founding_orders(
    *, institution: Organization, people: list[Person], users: dict[str, User]
) -> None:
    head, curator = users["head"], users["curator"]
    regulation = Order.objects.create(
        institution=institution,
        kind=Order.Kind.REGULATION,
        title="Об утверждении Положения о системе (целевой модели) наставничества "
        "педагогических работников",
        basis="Распоряжение Комитета по образованию Санкт-Петербурга от 29.11.2023 № 1520-р",
        items=[
            "Утвердить Положение о системе (целевой модели) наставничества педагогических "
            "работников (приложение 1).",
            "Утвердить дорожную карту (план мероприятий) по реализации Положения (приложение 2).",
        ],
        is_public=True,
        created_by=curator,
    )
    order_sign(order=regulation, head=head, number="94/1", signed_on=date(2022, 8, 31))
    appointment = Order.objects.create(
        institution=institution,
        kind=Order.Kind.CURATOR,
        title="О назначении куратора реализации программ наставничества",
        items=[
            "Назначить куратором реализации программ наставничества педагогических "
            "работников старшего воспитателя Кузнецову Ирину Павловну."
        ],
        created_by=curator,
    )
    appointment.appointees.set([people[1]])
    appointment.acquainted.set([people[1]])
    order_sign(order=appointment, head=head, number="94/3", signed_on=date(2022, 8, 31))
