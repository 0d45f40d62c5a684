"""The head's orders: drafting and signing (п. 3.1, п. 3.2; DOMAIN.md §3–§4).

Signing is the only way an order becomes valid, it happens once, and it carries the
order's effects: an appointed curator or council member gets the role (п. 3.2, п. 3.3).
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from registry.models import Order, Organization, Role, RoleAssignment

NUMBER_PATTERN = re.compile(r"^[0-9]{1,6}([/\-][0-9A-Za-zА-Яа-я]{1,6})?$")

ROLE_GRANTED_BY = {Order.Kind.CURATOR: Role.CURATOR, Order.Kind.COUNCIL: Role.COUNCIL}


def order_next_number(*, institution: Organization, year: int) -> str:
    """A suggestion: one more than the largest leading number signed this year («95»)."""
    numbers = Order.objects.filter(
        institution=institution, year=year, status=Order.Status.SIGNED
    ).values_list("number", flat=True)
    leading = [int(m.group()) for n in numbers if (m := re.match(r"\d+", n))]
    return str(max(leading, default=0) + 1)


def validate_order_number(number: str) -> str:
    number = (number or "").strip().replace(" ", "")
    if not NUMBER_PATTERN.match(number):
        raise ValidationError(
            {"number": "Номер приказа — цифры, можно с дробью или дефисом: «94», «94/1», «12-о»."}
        )
    return number


@transaction.atomic
def order_sign(*, order: Order, head, number: str, signed_on: date) -> Order:
    """Signs a draft. The row is locked, so a double click or two tabs sign it once; a
    number already used this year is refused; a signed order is never signed again."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.is_signed:
        raise ValidationError(f"Приказ уже подписан: № {order.number} от {order.date:%d.%m.%Y}.")
    if signed_on > timezone.localdate():
        raise ValidationError({"date": "Дата приказа не может быть в будущем."})
    number = validate_order_number(number)
    taken = Order.objects.filter(
        institution=order.institution,
        year=signed_on.year,
        number=number,
        status=Order.Status.SIGNED,
    ).exists()
    if taken:
        raise ValidationError({"number": f"Приказ № {number} в {signed_on.year} году уже есть."})
    order.number = number
    order.date = signed_on
    order.year = signed_on.year
    order.status = Order.Status.SIGNED
    order.signed_by = head
    order.signed_at = timezone.now()
    order.full_clean()
    order.save()
    role = ROLE_GRANTED_BY.get(order.kind)
    if role:
        for person in order.appointees.select_related("user"):
            if person.user_id is None:
                raise ValidationError(
                    f"У «{person.full_name}» нет учётной записи: роль выдать некому. "
                    "Попросите системного администратора создать учётную запись."
                )
            RoleAssignment.objects.get_or_create(
                user=person.user, role=role, defaults={"assigned_by": head}
            )
    return order


def order_update_draft(*, order: Order, **fields) -> Order:
    """Changes a draft; a signed order is immutable (a mistake is mended by a new order)."""
    if order.is_signed:
        raise ValidationError("Подписанный приказ изменить нельзя: издайте новый приказ.")
    for name, value in fields.items():
        setattr(order, name, value)
    order.full_clean()
    order.save()
    return order
