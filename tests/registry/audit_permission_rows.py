"""Permission-table rows of the audit trail (tests/permission_helpers.py says how): the head
and the sysadmin read «Журнал изменений» of their institution; the curator and the council,
staff who know the page exists, get 403; everyone else 404 (the outsider, a head elsewhere,
reads their own journal)."""

from tests.permission_helpers import Row, answers, no_kwargs

ROWS = {
    "audit:journal": Row(
        no_kwargs, answers(head=200, sysadmin=200, curator=403, council=403, outsider=200)
    ),
}
