"""The vocabulary of the permission table (``tests/test_permissions.py``), shared with the
row files of each part (``tests/<app>/*permission_rows.py``).

A row file defines ``ROWS = {"namespace:url-name": Row(kwargs, expected, ...)}``. ``kwargs`` is
``callable(world, objects) -> dict``: ``objects`` holds group A (the world's mentor and mentee,
active) with its program, event, file, meeting, term change, petition and a draft order
(``tests/test_permissions.py::_objects``); a row may build its own objects inside ``kwargs``.

Two more roles come without a word in the rows: ``other_mentor`` and ``other_mentee`` are the
mentor and the mentee of group B of the same kindergarten. Unless a row names them, they get
what the mentor / the mentee gets where the URL names no object (their own lists and homes),
and 404 where it names one (an ``int`` among the URL kwargs: an object of group A, or one the
mentor has no business with either) — see ``expected_for``.
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
    "other_mentor",
    "other_mentee",
]
# The members of group B answer like the mentor / the mentee of group A, except on group A's
# objects (tests/test_permissions.py::_group_b builds them).
DERIVED_FROM = {"other_mentor": "mentor", "other_mentee": "mentee"}
DERIVE = "derive"  # expected answer of a role of DERIVED_FROM that the row does not name
LOGIN = 302  # anonymous users are sent to the login page


def answers(default=404, **by_role):
    """Expected status per role: anonymous → login, the members of group B derived (see
    ``expected_for``), the rest `default` unless named."""
    result = {role: default for role in ROLES}
    result["anonymous"] = LOGIN
    result.update(dict.fromkeys(DERIVED_FROM, DERIVE))
    result.update(by_role)
    return result


def names_an_object(kwargs: dict) -> bool:
    return any(isinstance(value, int) for value in kwargs.values())


def expected_for(expected: dict, role: str, kwargs: dict) -> int:
    """The row's answer for the role; for a member of group B the row does not name: 404 on an
    object, else what the member of group A in the same position gets."""
    answer = expected.get(role, DERIVE)
    if answer != DERIVE:
        return answer
    if names_an_object(kwargs):
        return 404
    return expected_for(expected, DERIVED_FROM[role], kwargs)


def is_refusal(status: int, role: str, location: str = "") -> bool:
    """403, 404, or the login page for an anonymous visitor."""
    return status in (403, 404) or (
        role == "anonymous" and status == LOGIN and location.startswith("/login/")
    )


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


def finished(response):
    """A FileResponse holds its file open until its stream is read: the test client's wrapper
    closes it at the end. Closing a response again would send ``request_finished`` and drop
    the test's database connection on PostgreSQL, failing every later request of the test."""
    if response.streaming:
        b"".join(response.streaming_content)
    return response
