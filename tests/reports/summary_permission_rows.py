"""Permission-table rows of «Сводка по учреждениям» (tests/permission_helpers.py says how). The
summary shows every kindergarten's numbers, so no role of a kindergarten opens it, the head and
the sysadmin included: every role of the table gets 404. Only a user with the permission
«run_institution_summary» (the district's methodologist) or a superuser does
(tests/reports/test_summary.py)."""

from reports.models import InstitutionSummary
from tests.permission_helpers import Row, answers, no_kwargs


def SUMMARY(world, objects):  # noqa: N802  (reads as a constant in the table)
    summary = InstitutionSummary.objects.create(year_start=2026, total=2)
    return {"pk": summary.pk}


ROWS = {
    "reports:summary-list": Row(no_kwargs, answers()),
    "reports:summary-create": Row(no_kwargs, answers(), method="post", data={"year": "2026"}),
    "reports:summary-download": Row(SUMMARY, answers()),
}
