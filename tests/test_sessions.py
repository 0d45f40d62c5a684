"""The session engine (mentoring_site/lib/sessions.py): each session row carries its user, so
ending a user's sessions is one indexed DELETE; clearsessions still removes the expired ones."""

from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib.sessions import UserSession
from registry.services.accounts import _end_sessions
from tests.browser.conftest import PASSWORD


def test_a_login_writes_its_user_beside_the_session_and_a_logout_removes_it(world):
    browser = Client()
    browser.post(reverse("login"), {"username": "curator", "password": PASSWORD})
    (session,) = UserSession.objects.all()
    assert session.user_id == world.curator.pk
    assert session.get_decoded()["_auth_user_id"] == str(world.curator.pk)
    browser.post(reverse("logout"))
    assert not UserSession.objects.filter(user_id=world.curator.pk).exists()


def test_ending_a_users_sessions_is_one_query_whatever_the_others(world):
    for user in (world.teacher, world.teacher, world.curator, world.head):
        Client().force_login(user)
    with CaptureQueriesContext(connection) as queries:
        _end_sessions(world.teacher)
    assert len(queries) == 1
    assert sorted(UserSession.objects.values_list("user_id", flat=True)) == sorted(
        [world.curator.pk, world.head.pk]
    )


def test_clearsessions_removes_the_expired_sessions(world):
    Client().force_login(world.curator)
    Client().force_login(world.head)
    UserSession.objects.filter(user_id=world.head.pk).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    call_command("clearsessions")
    assert list(UserSession.objects.values_list("user_id", flat=True)) == [world.curator.pk]
