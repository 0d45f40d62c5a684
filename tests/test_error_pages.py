"""Error pages in Russian (403, 404, 500) and 503 «База данных недоступна» when the database does
not answer, with nothing half-written (docs/security.md)."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from mentoring_site.lib.security import server_error
from registry.models import Person, RoleAssignment, User
from tests.factories import make_person


def h1s(response) -> int:
    return response.content.decode().count("<h1")


def test_404_page_is_russian_with_one_heading(world, client):
    client.force_login(world.curator)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "<title>Страница не найдена — Наставничество</title>" in text
    assert h1s(response) == 1
    assert 'href="/"' in text


def test_404_of_an_outsider_to_an_object_is_the_same_page(world, client):
    client.force_login(world.outsider)
    response = client.get(reverse("registry:person-detail", args=[world.mentee_person.pk]))
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
    assert world.mentee_person.last_name not in response.content.decode()


def test_403_page_is_russian_with_one_heading(world, client):
    client.force_login(world.head)
    response = client.get(reverse("registry:person-create"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "<title>Нет доступа — Наставничество</title>" in text
    assert "обратитесь к куратору" in text
    assert h1s(response) == 1


def test_500_page_is_russian_and_plain(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.curator)
    with mock.patch("mentoring_site.views.roles_for", side_effect=RuntimeError("boom")):
        response = client.get(reverse("home"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "<title>Ошибка на сервере — Наставничество</title>" in text
    assert "boom" not in text  # no details of the error reach the visitor
    assert "<script" not in text
    assert h1s(response) == 1


def test_the_500_and_503_pages_need_no_database(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    for error in (RuntimeError("boom"), OperationalError("down")):
        try:
            raise error
        except Exception:  # noqa: BLE001  (handler500 runs inside the except block)
            with django_assert_num_queries(0):
                response = server_error(request)
        assert response.status_code in (500, 503)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_down_answers_503_in_russian_with_retry_after(world, error):
    client = Client(raise_request_exception=False)
    client.force_login(world.curator)
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=error("connection refused")
    ):
        response = client.get(reverse("registry:person-list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    text = response.content.decode()
    assert "<h1>База данных недоступна</h1>" in text
    assert "connection refused" not in text
    assert h1s(response) == 1


def test_database_failing_mid_write_leaves_nothing_half_written(world):
    """The account is created in one transaction: the role fails to save, so the user row
    written just before is rolled back and the person keeps no login."""
    person = make_person(world.institution, "Новикова", email="novikova@example.org")
    client = Client(raise_request_exception=False)
    client.force_login(world.sysadmin)
    users_before = User.objects.count()
    with mock.patch.object(
        RoleAssignment, "save", side_effect=OperationalError("server closed the connection")
    ):
        response = client.post(
            reverse("registry:user-create", args=[person.pk]),
            {"username": "novikova.e", "email": "novikova@example.org", "roles": ["sysadmin"]},
        )
    assert response.status_code == 503
    assert User.objects.count() == users_before
    assert not User.objects.filter(username="novikova.e").exists()
    assert Person.objects.get(pk=person.pk).user_id is None


def test_a_form_without_its_csrf_token_gets_a_russian_403(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "curator", "password": "x"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "<h1>Форма устарела</h1>" in text
    assert "ничего не сохранено" in text
