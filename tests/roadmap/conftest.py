"""Helpers of the roadmap's tests: a roadmap from the template, approving it, signed orders."""

from datetime import date

import pytest

from registry.models import Order
from roadmap import services
from roadmap.models import Activity, Roadmap

YEAR = 2026


def make_roadmap(world, year_start: int = YEAR) -> Roadmap:
    return services.roadmap_create_from_template(
        institution=world.institution, year_start=year_start, user=world.curator
    )


def approve(world, roadmap: Roadmap, number: str = "95/2", on: date = date(2026, 9, 5)) -> Order:
    services.roadmap_submit(roadmap=roadmap, user=world.curator)
    order = services.roadmap_approve(roadmap=roadmap, head=world.head, number=number, signed_on=on)
    roadmap.refresh_from_db()
    return order


def activity(roadmap: Roadmap, stage: int, position: int) -> Activity:
    return Activity.objects.get(stage__roadmap=roadmap, stage__number=stage, position=position)


def signed_order(institution, kind, number: str, on: date, **fields) -> Order:
    return Order.objects.create(
        institution=institution,
        kind=kind,
        title=Order.Kind(kind).label,
        items=["Пункт."],
        status=Order.Status.SIGNED,
        number=number,
        date=on,
        year=on.year,
        **fields,
    )


@pytest.fixture
def roadmap(world) -> Roadmap:
    return make_roadmap(world)
