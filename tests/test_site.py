"""What every part shares: role homes, the health check, session limits, passwords,
Russian sorting, the demo data."""

import time
from datetime import date
from io import StringIO
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse

from mentoring_site.lib.academic_year import academic_year_label, academic_year_start
from mentoring_site.lib.collation import normalize_for_search, sort_key
from mentoring_site.lib.middleware import CLOCK_COOKIE, LOGIN_AT, SEEN_AT
from registry.models import (
    GroupEvent,
    MentoringGroup,
    Organization,
    Person,
    RoleAssignment,
    SelfQuestionnaire,
    User,
)
from registry.password_validation import ContextWordsValidator
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


# Homes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "home", "heading"),
    [
        ("curator", "curator", "Куратор наставничества"),
        ("head", "head", "Заведующий"),
        ("council", "council", "Методический совет наставников"),
        ("sysadmin", "sysadmin", "Системный администратор"),
        ("mentor", "mentor", "Наставник"),
        ("mentee", "mentee", "Наставляемый"),
        ("teacher", "teacher", "Личный кабинет педагога"),
    ],
)
def test_each_role_lands_on_its_own_home(world, as_user, role, home, heading):
    client = as_user(world.user(role))
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("role-home", args=[home])
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_curator_home_counts_what_waits(world, as_user):
    SelfQuestionnaire.objects.create(
        person=world.teacher_person, kind=SelfQuestionnaire.Kind.MENTOR, answers={}
    )
    world.mentee_person.mentee_profile.status = "without_pair"
    world.mentee_person.mentee_profile.save()
    response = as_user(world.curator).get(reverse("role-home", args=["curator"]))
    counters = {c.label: c.value for c in response.context["counters"]}
    assert counters["анкета ждёт рассмотрения"] == 1
    assert counters["наставляемый без пары"] == 1
    # Nobody of the world was reviewed this academic year.
    year = academic_year_label(date.today())
    assert counters[f"участника не актуализированы в {year} учебном году"] == 3
    assert counters["участников в банках без согласия на обработку персональных данных"] == 0
    consent = world.mentor_person.consents.get()
    consent.withdrawn_on = date.today()
    consent.save()
    response = as_user(world.curator).get(reverse("role-home", args=["curator"]))
    counters = {c.label: c.value for c in response.context["counters"]}
    assert counters["участник в банках без согласия на обработку персональных данных"] == 1
    assert "Петрова М. И." in response.content.decode()  # withdrawn in the last 30 days


def test_a_person_with_several_roles_can_switch_homes(world, as_user):
    RoleAssignment.objects.create(user=world.mentor, role="council")
    client = as_user(world.mentor)
    assert client.get(reverse("home"))["Location"] == reverse("role-home", args=["council"])
    response = client.get(reverse("role-home", args=["mentor"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert reverse("role-home", args=["council"]) in text
    assert client.get(reverse("role-home", args=["curator"])).status_code == 404


def test_home_of_an_unknown_role_is_404(world, as_user):
    assert as_user(world.curator).get("/home/nobody/").status_code == 404


def test_user_without_institution_sees_an_explanation(client):
    user = User.objects.create_user(username="lonely", password="x")
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "не связана с учреждением" in response.content.decode()


def test_empty_curator_home_offers_the_first_action(as_user):
    institution = Organization.objects.create(name="Пустой сад", short_name="Пустой сад")
    curator = User.objects.create_user(username="c", password="x", institution=institution)
    RoleAssignment.objects.create(user=curator, role="curator")
    response = as_user(curator).get(reverse("role-home", args=["curator"]))
    assert "загрузите список сотрудников" in response.content.decode()


# Health check ----------------------------------------------------------------------


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("mentoring_site.views.connection.cursor", side_effect=DatabaseError):
        response = client.get("/healthz")
    assert response.status_code == 503


# Sessions --------------------------------------------------------------------------


def test_session_ends_after_the_institutions_idle_time(world, client):
    world.institution.session_idle_minutes = 10
    world.institution.save()
    client.force_login(world.curator)
    assert client.get(reverse("registry:person-list")).status_code == 200
    session = client.session
    session[SEEN_AT] = int(time.time()) - 11 * 60
    session.save()
    response = client.get(reverse("registry:person-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("registry:person-list")).status_code == 302


def test_session_ends_12_hours_after_login_even_when_active(world, client):
    client.force_login(world.curator)
    client.get(reverse("home"))
    session = client.session
    session[LOGIN_AT] = int(time.time()) - 12 * 3600 - 1
    session[SEEN_AT] = int(time.time())
    session.save()
    response = client.get(reverse("registry:person-list"))
    assert response["Location"].startswith(reverse("login"))


def test_session_status_tells_seconds_left_without_counting_as_activity(world, client):
    client.force_login(world.curator)
    client.get(reverse("home"))
    seen_at = client.session[SEEN_AT]
    later = time.time() + 50 * 60  # fifty idle minutes: the status is asked, nothing else
    with mock.patch("time.time", return_value=later):
        state = client.get(reverse("session-status")).json()
    assert state["authenticated"] is True
    assert 0 < state["seconds_left"] <= 10 * 60
    assert client.session[SEEN_AT] == seen_at  # not refreshed
    # Without the clock cookie the view reads the session: the same answer.
    del client.cookies[CLOCK_COOKIE]
    with mock.patch("time.time", return_value=later):
        state = client.get(reverse("session-status")).json()
    assert 0 < state["seconds_left"] <= 10 * 60
    assert client.session[SEEN_AT] == seen_at
    state = client.post(reverse("session-extend")).json()
    assert state["seconds_left"] == 60 * 60
    assert client.session[SEEN_AT] >= int(time.time()) - 1


def test_session_status_of_an_anonymous_visitor(client):
    assert client.get(reverse("session-status")).json() == {
        "authenticated": False,
        "seconds_left": 0,
    }


def test_pages_carry_the_idle_time_for_the_warning(world, as_user):
    response = as_user(world.curator).get(reverse("role-home", args=["curator"]))
    assert 'data-idle-seconds="3600"' in response.content.decode()


# Security headers ------------------------------------------------------------------


def test_content_security_policy_forbids_inline_scripts(world, as_user):
    response = as_user(world.curator).get(reverse("role-home", args=["curator"]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()


def test_typed_text_is_escaped(world, as_user):
    world.mentee_person.mentee_profile.strengths = "<script>alert(1)</script>"
    world.mentee_person.mentee_profile.save()
    response = as_user(world.curator).get(
        reverse("registry:person-detail", args=[world.mentee_person.pk])
    )
    text = response.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_login_page_and_django_texts_are_in_russian(client):
    response = client.get(reverse("login"))
    text = response.content.decode()
    assert "Имя пользователя" in text
    assert "Пароль" in text


def test_failed_logins_lock_the_username_from_that_address_only(world, client):
    url = reverse("login")
    for _ in range(5):
        client.post(url, {"username": "curator", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    locked = client.post(url, {"username": "curator", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429
    assert "временно заблокирован" in locked.content.decode()
    # A colleague behind the same address is not locked out…
    other = client.post(
        url,
        {"username": "head", "password": "correct horse battery staple"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert other.status_code == 302
    client.post(reverse("logout"))
    # …nor is the curator from another address.
    ok = client.post(
        url,
        {"username": "curator", "password": "correct horse battery staple"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert ok.status_code == 302


def test_password_reset_sends_a_russian_mail(world, client, mailoutbox):
    world.curator.email = "curator@example.org"
    world.curator.save()
    response = client.post(reverse("password_reset"), {"email": "curator@example.org"})
    assert response.status_code == 302
    run_tasks()
    assert len(mailoutbox) == 1
    assert "Смена пароля" in mailoutbox[0].subject
    assert "/password/reset/" in mailoutbox[0].body


# Passwords -------------------------------------------------------------------------


def test_password_context_words_are_refused(world):
    validator = ContextWordsValidator()
    with pytest.raises(ValidationError):
        validator.validate("Наставник2026!", world.curator)
    with pytest.raises(ValidationError):
        validator.validate("гбдоу детский сад № 64 пароль", world.curator)
    validator.validate("зелёный чайник поёт на рассвете", world.curator)


def test_password_change_refuses_short_and_common_passwords(world, as_user):
    client = as_user(world.curator)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": "1234567",
            "new_password2": "1234567",
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert "слишком короткий" in errors
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": "тихий вечер у синей реки",
            "new_password2": "тихий вечер у синей реки",
        },
    )
    assert response.status_code == 302


# Russian sorting and search --------------------------------------------------------


def test_sort_key_puts_yo_after_ye_and_ignores_case():
    names = ["Жукова", "яковлева", "Ёлкина", "Ежова", "Абрамова", "елисеева", "Борисова", "Егорова"]
    assert sorted(names, key=sort_key) == [
        "Абрамова",
        "Борисова",
        "Егорова",
        "Ежова",
        "елисеева",
        "Ёлкина",
        "Жукова",
        "яковлева",
    ]


def test_database_orders_names_in_russian(world):
    for name in ["Жукова", "яковлева", "Ёлкина", "Ежова", "Абрамова"]:
        Person.objects.create(
            institution=world.other_institution,
            organization=world.other_institution,
            last_name=name,
            first_name="Анна",
        )
    names = list(
        Person.objects.filter(institution=world.other_institution, first_name="Анна")
        .exclude(last_name="Чужая")
        .order_by("last_name")
        .values_list("last_name", flat=True)
    )
    assert names == ["Абрамова", "Ежова", "Ёлкина", "Жукова", "яковлева"]


def test_normalize_for_search():
    assert normalize_for_search("  Семёнова   ОЛЬГА ") == "семенова ольга"


# Academic year ---------------------------------------------------------------------


def test_academic_year_runs_september_to_august():
    assert academic_year_start(date(2026, 11, 24)) == date(2026, 9, 1)
    assert academic_year_start(date(2027, 8, 31)) == date(2026, 9, 1)
    assert academic_year_label(date(2026, 9, 1)) == "2026/2027"


# Demo data -------------------------------------------------------------------------


def test_demo_loads_once_with_every_role_and_prints_logins():
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    institution = Organization.objects.get(short_name="ГБДОУ детский сад № 64")
    assert Person.objects.filter(institution=institution).count() >= 30
    assert institution.partners.count() == 1
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == {"head", "curator", "council", "sysadmin"}
    # п. 3.2–3.4: every role of the demo rests on an order (the head's on the founder's).
    assert all(a.has_basis for a in RoleAssignment.objects.all())
    assert RoleAssignment.objects.filter(role__in=["curator", "council"], order=None).count() == 0
    text = out.getvalue()
    for login in ("head", "curator", "council", "sysadmin", "mentor", "mentee", "teacher"):
        assert login in text
        assert User.objects.get(username=login).check_password("demo-2026-registry")
    # п. 2.3: the demo shows forms used together and a correction of a proposed pair.
    groups = MentoringGroup.objects.filter(institution=institution)
    assert groups.filter(extra_forms__isnull=False).distinct().count() == 2
    assert GroupEvent.objects.filter(
        group__in=groups, text__startswith="Исправлено: формы"
    ).exists()
    again = StringIO()
    call_command("load_demo", "--if-empty", stdout=again)
    assert "не загружается" in again.getvalue()
    assert Organization.objects.filter(short_name="ГБДОУ детский сад № 64").count() == 1


def test_demo_homes_render_for_every_login(client):
    call_command("load_demo", stdout=StringIO())
    for login in ("head", "curator", "council", "sysadmin", "mentor", "mentee", "teacher"):
        client.force_login(User.objects.get(username=login))
        response = client.get(reverse("home"), follow=True)
        assert response.status_code == 200, login
