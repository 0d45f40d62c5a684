"""The kindergartens, their partner colleges and their published sections «Наставничество»."""

from mentoring_site.dataset.batch import Batch
from mentoring_site.dataset.data import DISTRICTS
from registry.models import Organization, Person, PublicSection


def create_institutions(batch: Batch) -> tuple[list[Organization], list[Organization]]:
    """A kindergarten per number and its partner college, in the order of ``batch.numbers``."""
    institutions = []
    for number in batch.numbers:
        district = DISTRICTS[number % len(DISTRICTS)]
        institutions.append(
            Organization(
                name=f"Государственное бюджетное дошкольное образовательное учреждение детский "
                f"сад № {number} {district} района Санкт-Петербурга",
                short_name=f"ДС № {number:04d}",
                kind=Organization.Kind.KINDERGARTEN,
                address=f"Санкт-Петербург, {district} район (синтетический адрес)",
                head_name="",
                public_slug=f"ds{number:04d}",
            )
        )
    batch.counts.add("Organization", Organization.objects.bulk_create(institutions))
    colleges = batch.counts.add(
        "Organization",
        Organization.objects.bulk_create(
            Organization(
                name=f"Педагогический колледж — партнёр ДС № {number:04d}",
                short_name=f"Колледж ДС № {number:04d}",
                kind=Organization.Kind.COLLEGE,
                partner_of=institution,
            )
            for number, institution in zip(batch.numbers, institutions, strict=True)
        ),
    )
    return institutions, colleges


def publish_sections(
    batch: Batch, institutions: list[Organization], people_of: dict[int, list[Person]]
) -> None:
    """The published section «Наставничество» (п. 8.1) of every institution, the curator its
    contact."""
    batch.counts.add(
        "PublicSection",
        PublicSection.objects.bulk_create(
            PublicSection(
                institution=institution,
                is_published=True,
                about="Система наставничества педагогических работников: цели, задачи, сроки.",
                contacts="Приём по вторникам, 14:00–16:00.",
                contact_position="старший воспитатель",
                contact_email=people_of[number][1].email,
            )
            for number, institution in zip(batch.numbers, institutions, strict=True)
        ),
    )
