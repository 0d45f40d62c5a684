"""The vocabulary of the permission table (``tests/test_permissions.py``), shared with the
row files of each part (``tests/<app>/*permission_rows.py``).

A row file defines ``ROWS = {"namespace:url-name": Row(kwargs, expected, ...)}``. ``kwargs`` is
``callable(world, objects) -> dict``: ``objects`` holds group A (the world's mentor and mentee,
active) with its program, event, file, meeting, term change, petition and a draft order
(``tests/test_permissions.py::_objects``); a row may build its own objects inside ``kwargs``.
"""

from dataclasses import dataclass, field

ROLES = [
    "anonymous",
    "head",
    "curator",
    "council",
    "sysadmin",
    "mentor",
    "mentee",
    "teacher",
    "outsider",
]
LOGIN = 302  # anonymous users are sent to the login page


def answers(default=404, **by_role):
    """Expected status per role: anonymous → login, the rest `default` unless named."""
    result = {role: default for role in ROLES}
    result["anonymous"] = LOGIN
    result.update(by_role)
    return result


STAFF = {"head": 200, "curator": 200, "council": 200, "sysadmin": 200}
EDITORS_GET = {"head": 403, "curator": 200, "council": 403, "sysadmin": 200}
EVERYONE_LOGGED_IN = {r: 200 for r in ROLES if r != "anonymous"}
READ_ONLY_STAFF = {"head": 403, "curator": 403, "council": 403, "sysadmin": 403}
# Program changes: the mentor with the curator (Приложение 1); the mentee and the head read.
CHANGERS_GET = {"curator": 200, "sysadmin": 200, "mentor": 200, "head": 403, "council": 403}


@dataclass
class Row:
    kwargs: object  # callable(world, objects) -> dict of URL kwargs
    expected: dict
    method: str = "get"
    data: dict = field(default_factory=dict)


def no_kwargs(world, objects):
    return {}
