"""Permission-table rows of the second factor (tests/permission_helpers.py says how).

«Второй фактор» belongs to the head, the curator and the sysadmin (the outsider is all three
in their own kindergarten); everyone else gets 404. Nobody in the table has an app yet, so the
actions that need one (confirm, disable, the backup codes shown once) send the allowed roles
back to the page (302), and the code page sends every signed-in role on to the home page.
Only the sysadmin resets another user's second factor; the head 403, like the other account
actions; the outsider 404 (not their institution's account)."""

from tests.permission_helpers import ROLES, Row, answers, no_kwargs

OWNERS_GET = {"head": 200, "curator": 200, "sysadmin": 200, "outsider": 200}
OWNERS_POST = {"head": 302, "curator": 302, "sysadmin": 302, "outsider": 302}


def ACCOUNT(world, objects):  # noqa: N802  (reads as a constant in the table)
    return {"pk": world.curator.pk}


ROWS = {
    "second-factor": Row(no_kwargs, answers(**OWNERS_GET)),
    "second-factor-start": Row(no_kwargs, answers(**OWNERS_POST), method="post"),
    "second-factor-confirm": Row(no_kwargs, answers(**OWNERS_POST), method="post"),
    "second-factor-backup-codes": Row(no_kwargs, answers(**OWNERS_POST)),
    "second-factor-disable": Row(no_kwargs, answers(**OWNERS_POST), method="post"),
    "second-factor-verify": Row(no_kwargs, {role: 302 for role in ROLES}),
    "second-factor-reset": Row(ACCOUNT, answers(sysadmin=302, head=403), method="post"),
}
