"""Permission-table rows of the indicators dashboard and the statistics (tests/permission_helpers.py
says how).

The head, the curator and the council read reports and statistics (DOMAIN.md §2); the sysadmin,
who sees the banks, gets 403; mentors, mentees and teachers get 404. Another kindergarten's
staff see their own institution's figures (200), never ours: the pages take no object. The rows
behind a number (``reports:indicator-rows``) answer as the dashboard: the figure and the year
are GET parameters, the rows always the viewer's own institution's."""

from tests.permission_helpers import Row, answers, no_kwargs

READERS = {"head": 200, "curator": 200, "council": 200, "sysadmin": 403, "outsider": 200}


def XLSX(world, objects):  # noqa: N802  (reads as a constant in the table)
    return {"fmt": "xlsx"}


ROWS = {
    "reports:dashboard": Row(no_kwargs, answers(**READERS)),
    "reports:indicator-rows": Row(no_kwargs, answers(**READERS), data={"key": "people.mentors"}),
    "reports:statistics": Row(no_kwargs, answers(**READERS)),
    "reports:statistics-export": Row(XLSX, answers(**READERS)),
}
