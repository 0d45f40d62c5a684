"""Permission-table rows of the final analytical report (tests/permission_helpers.py says how).

The head, the curator and the council of the institution read reports; only the curator
creates a report, writes its texts and hands it in (п. 3.3); the head and the council get 403
there. The sysadmin gets 403 everywhere (DOMAIN.md §2: reports are for the head, the curator
and the council). Mentors, mentees, teachers and another kindergarten's staff get 404; the
outsider (another kindergarten's curator and head) has its own list and creates its own draft.
"""

from reports.models import FinalReport
from reports.services.final_report import current_year_start
from tests.permission_helpers import Row, answers, no_kwargs

READERS_GET = {"head": 200, "curator": 200, "council": 200, "sysadmin": 403}
CURATOR_ONLY_GET = {"curator": 200, "head": 403, "council": 403, "sysadmin": 403}
CURATOR_ONLY_POST = {"curator": 302, "head": 403, "council": 403, "sysadmin": 403}


def REPORT(world, objects):  # noqa: N802  (reads as a constant in the table)
    if "final_report" not in objects:
        objects["final_report"] = FinalReport.objects.create(
            institution=world.institution, year_start=current_year_start()
        )
    return {"pk": objects["final_report"].pk}


ROWS = {
    "reports:report-list": Row(no_kwargs, answers(**READERS_GET, outsider=200)),
    "reports:report-create": Row(
        no_kwargs,
        answers(**CURATOR_ONLY_POST, outsider=302),
        method="post",
        data={"year_start": current_year_start()},
    ),
    "reports:report-detail": Row(REPORT, answers(**READERS_GET)),
    "reports:report-pdf": Row(REPORT, answers(**READERS_GET)),
    "reports:report-edit": Row(REPORT, answers(**CURATOR_ONLY_GET)),
    "reports:report-finalize": Row(REPORT, answers(**CURATOR_ONLY_GET)),
    # The head decides on a handed-in report (a draft here: refused with a message, 302).
    "reports:report-reopen": Row(
        REPORT,
        answers(head=302, curator=403, council=403, sysadmin=403),
        method="post",
        data={"reason": "Уточнить цифры"},
    ),
    "reports:report-approve": Row(
        REPORT, answers(head=302, curator=403, council=403, sysadmin=403), method="post"
    ),
}
