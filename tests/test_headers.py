"""Security headers on every answer (ASVS 5.0 V3.4; docs/security.md): a Content Security
Policy with ``object-src 'none'``, ``base-uri 'none'``, no inline scripts and
``frame-ancestors 'none'``; ``nosniff``; a referrer policy; ``X-Frame-Options``; over HTTPS,
HSTS and secure, HttpOnly session cookies.

The public section «Наставничество» (``/nastavnichestvo/``) may be framed by the sites the
institution configures (``DJANGO_PUBLIC_FRAME_ANCESTORS``): its pages are tested in
tests/public/test_*.py and skipped here.
"""

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from tests.permission_helpers import finished
from tests.test_permissions import TABLE, _objects

PASSWORD = "correct horse battery staple"  # tests/factories.py
PUBLIC_PREFIX = "/nastavnichestvo/"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    result = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


def assert_secure_headers(response, where: str):
    csp = directives(response)
    assert csp["object-src"] == ["'none'"], where
    assert csp["base-uri"] == ["'none'"], where
    assert csp["frame-ancestors"] == ["'none'"], where
    assert csp["default-src"] == ["'self'"], where
    script_src = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, where
    assert "'unsafe-inline'" not in csp.get("style-src", []), where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["X-Frame-Options"] == "DENY", where


PAGES = [
    # (who, url name, kwargs(world, objects))
    *[
        (role, "role-home", lambda w, o, r=role: {"role": r})
        for role in ("curator", "head", "council", "sysadmin", "mentor", "mentee", "teacher")
    ],
    ("curator", "registry:person-list", lambda w, o: {}),
    ("curator", "registry:person-detail", lambda w, o: {"pk": o["person"].pk}),
    ("curator", "registry:order-pdf", lambda w, o: {"pk": o["order"].pk}),
    ("mentor", "programs:program-detail", lambda w, o: {"pk": o["program"].pk}),
    ("anonymous", "login", lambda w, o: {}),
    ("anonymous", "password_reset", lambda w, o: {}),
    ("head", "registry:person-create", lambda w, o: {}),  # the 403 page
    ("mentor", "registry:person-list", lambda w, o: {}),  # the 404 page
]


@pytest.mark.parametrize(("who", "name", "kwargs"), PAGES, ids=[f"{n}-{w}" for w, n, _ in PAGES])
def test_chosen_pages_carry_the_headers(world, client, who, name, kwargs):
    objects = _objects(world)
    if who != "anonymous":
        client.force_login(world.user(who))
    response = finished(client.get(reverse(name, kwargs=kwargs(world, objects))))
    assert response.status_code in (200, 403, 404)
    assert_secure_headers(response, name)


def test_the_pdf_is_served_as_a_pdf(world, client):
    objects = _objects(world)
    client.force_login(world.curator)
    response = finished(client.get(reverse("registry:order-pdf", args=[objects["order"].pk])))
    assert response["Content-Type"] == "application/pdf"
    assert_secure_headers(response, "order-pdf")


def test_an_unknown_address_and_a_500_carry_the_headers(world, client):
    from unittest import mock

    from django.test import Client

    assert_secure_headers(client.get("/no/such/page/"), "404")
    failing = Client(raise_request_exception=False)
    failing.force_login(world.curator)
    with mock.patch("mentoring_site.views.roles_for", side_effect=RuntimeError):
        response = failing.get(reverse("home"))
    assert response.status_code == 500
    assert_secure_headers(response, "500")


def test_every_get_row_of_the_permission_table_carries_the_headers(world, client):
    """Walks every GET URL of the permission table as the curator (the role that sees most),
    whatever the answer: 200, a redirect, 403 or 404. Each row runs in a savepoint rolled
    back after it, so the objects one row builds do not disturb the next."""
    objects = _objects(world)
    client.force_login(world.curator)
    walked = 0
    for name, row in TABLE.items():
        if row.method != "get":
            continue
        with transaction.atomic():
            url = reverse(name, kwargs=row.kwargs(world, dict(objects)))
            if not url.startswith(PUBLIC_PREFIX):
                response = finished(client.get(url))
                assert_secure_headers(response, name)
                walked += 1
            transaction.set_rollback(True)
    assert walked >= 100


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_over_https_hsts_and_secure_httponly_session_cookie(world, client):
    login_page = client.get(reverse("login"), secure=True)
    hsts = login_page["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert login_page.cookies["csrftoken"]["secure"]
    # The CSRF cookie stays readable by static/js/session.js (it sends it with the ping);
    # the session cookie is never readable by scripts.
    response = client.post(
        reverse("login"), {"username": "curator", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
