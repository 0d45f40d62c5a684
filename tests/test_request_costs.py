"""What every request of a logged-in person costs (issue 21, item 2): the queries of a bare
view, of the session check, and the navigation context cached per user — forgotten by every
change it shows. Timings live in bench/cpu.py, never here."""

import time

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from mentoring_site.lib.middleware import IDLE_SECONDS
from mentoring_site.urls import urlpatterns as project_urlpatterns
from registry.models import (
    MentorProfile,
    Notification,
    Order,
    Role,
    RoleAssignment,
    SelfQuestionnaire,
)
from registry.services.notifications import notify
from tests.factories import make_person


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


# A bare view behind the whole middleware stack (the module is its own URLconf).
urlpatterns = [path("bare-ok/", ok), *project_urlpatterns]


@pytest.mark.urls("tests.test_request_costs")
def test_a_logged_in_bare_request_costs_two_queries(world, as_user, django_assert_num_queries):
    client = as_user(world.curator)
    client.get("/bare-ok/")  # the first request of the session notes its limits in it
    with django_assert_num_queries(2):  # the session and the user; nothing of the institution
        assert client.get("/bare-ok/").content == b"ok"


def test_the_session_check_touches_no_database(world, as_user, django_assert_num_queries):
    client = as_user(world.curator)
    client.get(reverse("home"))
    with django_assert_num_queries(0):
        response = client.get(reverse("session-status"))
    state = response.json()
    assert state["authenticated"] is True
    assert 59 * 60 < state["seconds_left"] <= 60 * 60
    # Answered before the session is loaded, and still with the headers of every answer.
    assert "object-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "no-cache" in response["Cache-Control"]


def test_the_session_check_of_a_visitor_without_a_session_touches_no_database(
    db, client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        state = client.get(reverse("session-status")).json()
    assert state == {"authenticated": False, "seconds_left": 0}


def test_a_forged_clock_is_not_believed(world, as_user):
    client = as_user(world.curator)
    client.get(reverse("home"))
    client.cookies["session_clock"] = "x:0:999999:" + str(int(time.time())) + ":forged"
    state = client.get(reverse("session-status")).json()  # the view reads the session
    assert 59 * 60 < state["seconds_left"] <= 60 * 60


def test_a_new_idle_limit_reaches_the_open_sessions(world, as_user):
    client = as_user(world.curator)
    client.get(reverse("home"))
    assert client.session[IDLE_SECONDS] == 60 * 60
    world.institution.session_idle_minutes = 15
    world.institution.save()
    assert client.session[IDLE_SECONDS] == 15 * 60
    response = client.get(reverse("role-home", args=["curator"]))
    assert 'data-idle-seconds="900"' in response.content.decode()


def test_pages_of_a_logged_in_person_read_the_navigation_from_the_cache(world, as_user):
    client = as_user(world.mentor)
    client.get(reverse("role-home", args=["mentor"]))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("role-home", args=["mentor"]))
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "registry_roleassignment" not in sql
    assert "registry_notification" not in sql


def test_the_navigation_cache_is_forgotten_when_a_role_changes(world, as_user):
    client = as_user(world.mentor)
    page = client.get(reverse("home"), follow=True).content.decode()
    assert "Банки" not in page
    RoleAssignment.objects.create(user=world.mentor, role=Role.CURATOR)
    page = client.get(reverse("role-home", args=["curator"])).content.decode()
    assert ">Банки<" in page
    RoleAssignment.objects.filter(user=world.mentor, role=Role.CURATOR).delete()
    assert client.get(reverse("role-home", args=["curator"])).status_code == 404


def test_the_navigation_cache_is_forgotten_when_a_profile_is_added(world, as_user):
    client = as_user(world.teacher)
    assert client.get(reverse("role-home", args=["mentor"])).status_code == 404
    MentorProfile.objects.create(person=world.teacher_person)
    assert client.get(reverse("role-home", args=["mentor"])).status_code == 200


def test_the_navigation_cache_is_forgotten_when_a_notification_arrives_or_is_read(world, as_user):
    client = as_user(world.curator)
    home = reverse("role-home", args=["curator"])
    assert "новых</span>" not in client.get(home).content.decode()
    notify(users=[world.curator], text="Новое уведомление")
    assert '1<span class="visually-hidden"> новых</span>' in client.get(home).content.decode()
    Notification.objects.create(user=world.curator, text="Ещё одно")
    assert '2<span class="visually-hidden"> новых</span>' in client.get(home).content.decode()
    client.post(reverse("registry:notification-read-all"))
    assert "новых</span>" not in client.get(home).content.decode()


def test_the_navigation_cache_is_forgotten_when_the_institution_is_renamed(world, as_user):
    client = as_user(world.curator)
    home = reverse("role-home", args=["curator"])
    client.get(home)
    world.institution.short_name = "ДС № 777"
    world.institution.save()
    assert "ДС № 777" in client.get(home).content.decode()


def test_a_deactivated_user_loses_the_cached_roles(world, as_user):
    client = as_user(world.curator)
    client.get(reverse("role-home", args=["curator"]))
    world.curator.is_active = False
    world.curator.save()
    assert client.get(reverse("role-home", args=["curator"])).status_code != 200


def test_the_curators_cached_counters_are_forgotten_by_a_write_they_read(world, as_user):
    client = as_user(world.curator)
    home = reverse("role-home", args=["curator"])

    def without_login() -> int:
        counters = client.get(home).context["counters"]
        return next(c.value for c in counters if c.url == reverse("registry:login-people"))

    before = without_login()
    assert without_login() == before  # from the cache
    make_person(world.institution, "Безлогинова")
    assert without_login() == before + 1


def test_the_heads_cached_decisions_are_forgotten_by_a_write_they_read(world, as_user):
    client = as_user(world.head)
    home = reverse("role-home", args=["head"])

    def drafts() -> int:
        decisions = client.get(home).context["decisions"]
        return next(c.value for c in decisions if c.url.endswith("?status=draft"))

    before = drafts()
    assert drafts() == before  # from the cache
    Order.objects.create(
        institution=world.institution, kind=Order.Kind.GROUPS, title="О закреплении",
        created_by=world.head,
    )  # fmt: skip
    assert drafts() == before + 1


def test_the_councils_cached_figures_are_forgotten_by_a_write_they_read(world, as_user):
    client = as_user(world.council)
    home = reverse("role-home", args=["council"])

    def waiting() -> int:
        counters = client.get(home).context["counters"]
        return next(c.value for c in counters if c.url.endswith("?status=submitted"))

    before = waiting()
    assert waiting() == before  # from the cache
    SelfQuestionnaire.objects.create(
        person=world.teacher_person, kind=SelfQuestionnaire.Kind.MENTOR, answers={}
    )
    assert waiting() == before + 1
