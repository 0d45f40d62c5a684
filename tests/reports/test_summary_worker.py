"""The worker command itself builds a queued summary: a transactional test (``db_worker`` closes
its connection between tasks), so it lives apart from the module world of test_summary.py."""

import pytest
from django.core.management import call_command

from reports.models import InstitutionSummary
from reports.services import summary as services
from tests.factories import make_institution, seed_reference_lists
from tests.reports.test_summary import YEAR, methodologist  # noqa: F401 (a fixture)


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_builds_what_is_queued(methodologist):  # noqa: F811
    seed_reference_lists()  # a transactional test before it in this worker flushed them
    make_institution("ГБДОУ детский сад № 1")
    summary, _ = services.request_summary(user=methodologist, year_start=YEAR)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    summary.refresh_from_db()
    assert summary.status == InstitutionSummary.Status.DONE
