"""The demo kindergarten, its partner college and the reference lists the demo draws from."""

from dataclasses import dataclass
from datetime import date

from mentoring_site.demo.data import SHORT_NAME
from registry.models import (
    Direction,
    MenteeCategory,
    MentoringForm,
    MentoringKind,
    Organization,
    Position,
)


@dataclass
class References:
    """The reference lists seeded by the migrations: by name where the demo names an item,
    in their order where it takes the first few."""

    positions: dict
    directions: dict
    categories: dict
    forms: list
    kinds: list


def create_institution() -> tuple[Organization, Organization]:
    """The kindergarten of the regulation and the college whose staff mentor its interns."""
    institution = Organization.objects.create(
        name=(
            "Государственное бюджетное дошкольное образовательное учреждение детский сад "
            "№ 64 комбинированного вида Невского района Санкт-Петербурга"
        ),
        short_name=SHORT_NAME,
        kind=Organization.Kind.KINDERGARTEN,
        address="Санкт-Петербург, Невский район (демонстрационный адрес)",
        head_name="Тимофеева Елена Викторовна",
    )
    college = Organization.objects.create(
        name="Санкт-Петербургское государственное бюджетное профессиональное "
        "образовательное учреждение «Педагогический колледж № 4»",
        short_name="Педагогический колледж № 4",
        kind=Organization.Kind.COLLEGE,
        partner_of=institution,
        address="Санкт-Петербург (демонстрационный адрес)",
        # Its staff mentor under the cooperation agreement, not an employment contract.
        cooperation_agreement_number="14-с",
        cooperation_agreement_date=date(2026, 8, 28),
    )
    return institution, college


def load_references() -> References:
    return References(
        positions={p.name: p for p in Position.objects.all()},
        directions={d.name: d for d in Direction.objects.all()},
        categories={c.name: c for c in MenteeCategory.objects.all()},
        forms=list(MentoringForm.objects.all()),
        kinds=list(MentoringKind.objects.all()),
    )
