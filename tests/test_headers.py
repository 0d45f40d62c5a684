"""Security headers on every answer (ASVS 5.0 V3.4; docs/security.md): a Content Security
Policy with ``object-src 'none'``, ``base-uri 'none'``, no inline scripts and
``frame-ancestors 'none'``; ``nosniff``; a referrer policy; ``X-Frame-Options``; over HTTPS,
HSTS and secure, HttpOnly session cookies.

The public section «Наставничество» (``/nastavnichestvo/``) may be framed by the sites the
institution configures (``DJANGO_PUBLIC_FRAME_ANCESTORS``): its pages are tested in
tests/public/test_*.py and skipped here. Every answer of the permission table is checked on the
table's own request (tests/page_checks.py).
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.page_checks import assert_secure_headers
from tests.permission_helpers import finished
from tests.test_permissions import _objects

PASSWORD = "correct horse battery staple"  # tests/factories.py


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
