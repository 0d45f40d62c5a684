"""``generate``: the city in batches of institutions, one transaction each, the steps of a batch
in the order their rows refer to each other."""

import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from mentoring_site.dataset.banks import describe_banks, fill_banks
from mentoring_site.dataset.batch import Batch, Counts, load_reference
from mentoring_site.dataset.groups import form_groups, link_groups, update_mentee_status
from mentoring_site.dataset.institutions import create_institutions, publish_sections
from mentoring_site.dataset.orders import sign_orders
from mentoring_site.dataset.people import assign_roles, create_logins, create_people
from mentoring_site.dataset.programs import create_programs
from mentoring_site.dataset.reports import create_final_reports, survey_mentees
from mentoring_site.dataset.roadmaps import approve_roadmaps
from registry.models import Organization


def generate(
    *,
    institutions: int,
    seed: int = 2026,
    today: date | None = None,
    batch: int = 50,
    progress=None,
) -> Counts:
    """Build ``institutions`` institutions, ``batch`` at a time (one transaction each).
    ``progress(done, total)`` is called after each batch. Returns the counts created."""
    today = today or timezone.localdate()
    reference = load_reference()
    counts = Counts()
    rng = random.Random(seed)
    first = Organization.objects.filter(partner_of=None, short_name__startswith="ДС ").count() + 1
    for start in range(first, first + institutions, batch):
        numbers = range(start, min(start + batch, first + institutions))
        with transaction.atomic():
            build_batch(
                Batch(numbers=numbers, rng=rng, today=today, reference=reference, counts=counts)
            )
        if progress is not None:
            progress(numbers[-1] - first + 1, institutions)
    return counts


def build_batch(batch: Batch) -> None:
    institutions, colleges = create_institutions(batch)
    people_of = create_people(batch, institutions, colleges)
    sysadmin_of = create_logins(batch, institutions, people_of)
    assign_roles(batch, people_of, sysadmin_of)
    mentor_profiles, mentee_profiles = fill_banks(batch, people_of)
    difficulties_of = describe_banks(batch, mentor_profiles, mentee_profiles)
    order_of = sign_orders(batch, institutions, people_of)
    plans = form_groups(batch, institutions, people_of, order_of, difficulties_of)
    link_groups(batch, plans)
    update_mentee_status(plans, mentee_profiles)
    program_of_group = create_programs(batch, plans)
    approve_roadmaps(batch, institutions, people_of, order_of)
    publish_sections(batch, institutions, people_of)
    create_final_reports(batch, institutions)
    survey_mentees(batch, institutions, people_of, plans, program_of_group)
