"""The permission table: every URL pattern × every role, with the expected answer.

Outsiders to an object get 404, read-only users 403 (STYLE.md). The ``outsider`` is the
head, curator and sysadmin of another kindergarten: they must never reach our records.
A URL pattern without a row fails ``test_every_url_pattern_has_a_row``.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from registry.models import Consent, Position, SelfQuestionnaire, StaffImport
from tests.factories import make_person

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


@dataclass
class Row:
    kwargs: object  # callable(world, objects) -> dict of URL kwargs
    expected: dict
    method: str = "get"
    data: dict = field(default_factory=dict)


def _objects(world):
    """Objects of our institution that the object URLs point at."""
    return {
        "person": world.mentee_person,
        "consent": Consent.objects.filter(person=world.mentee_person).first(),
        "import": StaffImport.objects.create(
            institution=world.institution, uploaded_by=world.curator, filename="staff.xlsx"
        ),
        "questionnaire": SelfQuestionnaire.objects.create(
            person=world.teacher_person, kind=SelfQuestionnaire.Kind.MENTOR, answers={}
        ),
        "user": world.teacher,
        "partner": world.partner,
        "position": Position.objects.first(),
        "person_without_account": make_person(world.institution, "Безлогина"),
    }


def no_kwargs(world, objects):
    return {}


TABLE = {
    # Shared pages
    "home": Row(no_kwargs, answers(**{r: 302 for r in ROLES if r != "anonymous"})),
    "role-home": Row(
        lambda w, o: {"role": "curator"}, answers(curator=200, outsider=200)
    ),  # only the curator has the curator's home; the outsider is a curator elsewhere
    "healthz": Row(no_kwargs, {r: 200 for r in ROLES}),
    "session-status": Row(no_kwargs, {r: 200 for r in ROLES}),
    "session-extend": Row(no_kwargs, answers(**EVERYONE_LOGGED_IN), method="post"),
    "login": Row(no_kwargs, {r: (200 if r == "anonymous" else 302) for r in ROLES}),
    "logout": Row(no_kwargs, {r: 302 for r in ROLES}, method="post"),
    "password_change": Row(no_kwargs, answers(**EVERYONE_LOGGED_IN)),
    "password_change_done": Row(no_kwargs, answers(**EVERYONE_LOGGED_IN)),
    "password_reset": Row(no_kwargs, {r: 200 for r in ROLES}),
    "password_reset_done": Row(no_kwargs, {r: 200 for r in ROLES}),
    "password_reset_confirm": Row(
        lambda w, o: {"uidb64": "MQ", "token": "bad-token"}, {r: 200 for r in ROLES}
    ),
    "password_reset_complete": Row(no_kwargs, {r: 200 for r in ROLES}),
    # The banks
    "registry:person-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:mentor-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:mentee-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:search": Row(
        no_kwargs,
        answers(**{k: 302 for k in STAFF}, outsider=302),
        method="post",
        data={"q": "Иван", "list_name": "people"},
    ),
    "registry:person-create": Row(no_kwargs, answers(**EDITORS_GET, outsider=200)),
    "registry:person-detail": Row(
        lambda w, o: {"pk": o["person"].pk}, answers(**STAFF, mentee=200)
    ),
    # The mentee is the person itself: they see their record read-only, so changes are 403.
    "registry:person-update": Row(
        lambda w, o: {"pk": o["person"].pk}, answers(**EDITORS_GET, mentee=403)
    ),
    "registry:person-review": Row(
        lambda w, o: {"pk": o["person"].pk},
        answers(head=403, council=403, curator=302, sysadmin=302, mentee=403),
        method="post",
    ),
    "registry:mentee-profile": Row(
        lambda w, o: {"pk": o["person"].pk}, answers(**EDITORS_GET, mentee=403)
    ),
    "registry:mentor-profile": Row(
        lambda w, o: {"pk": o["person"].pk}, answers(**EDITORS_GET, mentee=403)
    ),
    "registry:my-data": Row(no_kwargs, answers(mentor=302, mentee=302, teacher=302)),
    # Export and import
    "registry:bank-export": Row(
        lambda w, o: {"bank": "mentees"},
        answers(head=200, curator=200, sysadmin=200, council=403, outsider=200),
    ),
    "registry:import-upload": Row(no_kwargs, answers(**EDITORS_GET, outsider=200)),
    "registry:import-template": Row(no_kwargs, answers(**EDITORS_GET, outsider=200)),
    "registry:import-preview": Row(lambda w, o: {"pk": o["import"].pk}, answers(**EDITORS_GET)),
    "registry:import-confirm": Row(
        lambda w, o: {"pk": o["import"].pk},
        answers(head=403, council=403, curator=302, sysadmin=302),
        method="post",
    ),
    "registry:import-discard": Row(
        lambda w, o: {"pk": o["import"].pk},
        answers(head=403, council=403, curator=302, sysadmin=302),
        method="post",
    ),
    # Consents
    "registry:consent-create": Row(
        lambda w, o: {"pk": o["person"].pk}, answers(**EDITORS_GET, mentee=403)
    ),
    "registry:consent-form-pdf": Row(
        lambda w, o: {"pk": o["person"].pk, "kind": "processing"}, answers(**STAFF, mentee=200)
    ),
    "registry:consent-withdraw": Row(
        lambda w, o: {"pk": o["consent"].pk}, answers(**EDITORS_GET, mentee=403)
    ),
    "registry:consent-scan": Row(
        # No scan was uploaded: the people who may see it get 404 too; with a scan, see
        # tests/registry/test_consents.py.
        lambda w, o: {"pk": o["consent"].pk},
        answers(),
    ),
    "registry:consent-scan-upload": Row(
        lambda w, o: {"pk": o["consent"].pk}, answers(**EDITORS_GET, mentee=403)
    ),
    # Questionnaires
    "registry:questionnaire-fill": Row(
        lambda w, o: {"kind": "mentor"}, answers(mentor=200, mentee=200, teacher=200)
    ),
    "registry:questionnaire-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:questionnaire-detail": Row(
        lambda w, o: {"pk": o["questionnaire"].pk}, answers(**STAFF)
    ),
    "registry:questionnaire-accept": Row(
        lambda w, o: {"pk": o["questionnaire"].pk},
        answers(head=403, council=403, curator=302, sysadmin=302),
        method="post",
    ),
    "registry:questionnaire-reject": Row(
        lambda w, o: {"pk": o["questionnaire"].pk},
        answers(head=403, council=403, curator=200, sysadmin=200),
        method="post",
    ),
    # Users, roles, the institution
    "registry:user-list": Row(no_kwargs, answers(head=200, sysadmin=200, outsider=200)),
    "registry:user-create": Row(
        lambda w, o: {"person_pk": o["person_without_account"].pk},
        answers(head=403, sysadmin=200),
    ),
    "registry:user-roles": Row(lambda w, o: {"pk": o["user"].pk}, answers(head=200, sysadmin=200)),
    "registry:user-deactivate": Row(
        lambda w, o: {"pk": o["user"].pk}, answers(head=403, sysadmin=302), method="post"
    ),
    "registry:user-activate": Row(
        lambda w, o: {"pk": o["user"].pk}, answers(head=403, sysadmin=302), method="post"
    ),
    "registry:user-invite": Row(
        lambda w, o: {"pk": o["user"].pk}, answers(head=403, sysadmin=302), method="post"
    ),
    "registry:institution-settings": Row(no_kwargs, answers(head=200, sysadmin=200, outsider=200)),
    "registry:partner-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:partner-create": Row(no_kwargs, answers(**EDITORS_GET, outsider=200)),
    "registry:partner-update": Row(lambda w, o: {"pk": o["partner"].pk}, answers(**EDITORS_GET)),
    # Reference lists
    "registry:reference-index": Row(no_kwargs, answers(sysadmin=200, outsider=200)),
    "registry:reference-list": Row(
        lambda w, o: {"kind": "positions"}, answers(sysadmin=200, outsider=200)
    ),
    "registry:reference-create": Row(
        lambda w, o: {"kind": "positions"}, answers(sysadmin=200, outsider=200)
    ),
    "registry:reference-update": Row(
        # Reference lists are shared by the deployment: any institution's sysadmin edits them.
        lambda w, o: {"kind": "positions", "pk": o["position"].pk},
        answers(sysadmin=200, outsider=200),
    ),
}

# Django's admin is guarded by is_staff, which no role of the registry grants.
EXCLUDED_NAMESPACES = {"admin"}


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from _url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_has_a_row():
    names = set(_url_names())
    missing = sorted(names - set(TABLE))
    assert not missing, f"URL patterns without a row in the permission table: {missing}"
    stale = sorted(set(TABLE) - names)
    assert not stale, f"Rows for URL patterns that no longer exist: {stale}"


CASES = [(name, role) for name in TABLE for role in ROLES]


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_permission_table(client, world, url_name, role):
    row = TABLE[url_name]
    objects = _objects(world)
    url = reverse(url_name, kwargs=row.kwargs(world, objects))
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    response = getattr(client, row.method)(url, data=row.data)
    assert response.status_code == row.expected[role], (
        f"{row.method.upper()} {url_name} as {role}: "
        f"expected {row.expected[role]}, got {response.status_code}"
    )
    if role == "anonymous" and row.expected[role] == LOGIN and url_name != "logout":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "url_name", ["registry:person-list", "registry:mentor-list", "registry:mentee-list"]
)
def test_outsider_lists_show_none_of_our_people(client, world, url_name):
    client.force_login(world.outsider)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    text = response.content.decode()
    assert world.mentee_person.last_name not in text
    assert world.mentor_person.last_name not in text
