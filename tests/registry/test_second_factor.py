"""The optional second factor (issue 8): enrolment, the code page after the password, backup
codes, throttling, the institution's requirement per role, the sysadmin's reset, the logs."""

import logging
import re
import time
from base64 import b32encode
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mentoring_site.lib.middleware import LOGIN_AT
from registry.second_factor.services import BACKUP_CODE_COUNT

PASSWORD = "correct horse battery staple"


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="mentoring.security")
    return caplog


def events(caplog, event):
    return [
        r.security
        for r in caplog.records
        if r.name == "mentoring.security" and r.security["event"] == event
    ]


def fresh_code(device: TOTPDevice) -> str:
    """The app's code for a time step django-otp has not seen yet (it refuses a step twice)."""
    device.refresh_from_db()
    now_t = int((time.time() - device.t0) // device.step) + device.drift
    return f"{hotp(device.bin_key, max(now_t, device.last_t + 1), digits=device.digits):06d}"


def log_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"
    return response


def enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    """Switch the second factor on through the pages; returns the app and the backup codes."""
    client.force_login(user)
    assert client.post(reverse("second-factor-start")).status_code == 302
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("second-factor-confirm"), {"code": fresh_code(device)})
    assert response["Location"] == reverse("second-factor-backup-codes")
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", client.get(response["Location"]).content.decode())
    client.post(reverse("logout"))
    device.refresh_from_db()
    return device, codes


def enrolled(user) -> TOTPDevice:
    """A confirmed app and ten backup codes, made directly (for tests of the login)."""
    device = TOTPDevice.objects.create(user=user, name="Приложение", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="Резервные коды")
    for _ in range(BACKUP_CODE_COUNT):
        backup.token_set.create(token=StaticToken.random_token())
    return device


# Enrolment -------------------------------------------------------------------------------


def test_the_page_draws_the_qr_code_as_svg_and_shows_the_secret(world, client):
    client.force_login(world.curator)
    client.post(reverse("second-factor-start"))
    device = TOTPDevice.objects.get(user=world.curator)
    assert not device.confirmed
    text = client.get(reverse("second-factor")).content.decode()
    svg = re.search(r"<svg.*?</svg>", text, re.S).group(0)
    assert "<path" in svg and "<script" not in svg and "style=" not in svg
    assert 'aria-label="QR-код для приложения"' in svg
    secret = b32encode(device.bin_key).decode()
    shown = re.search(r'id="secret-key">([A-Z2-7 ]+)<', text).group(1)
    assert shown.replace(" ", "") == secret
    assert "Код из приложения" in text


def test_enrolment_confirms_with_a_code_and_shows_ten_backup_codes_once(
    world, client, security_log
):
    device, codes = enrol(client, world.curator)
    assert device.confirmed
    assert len(codes) == BACKUP_CODE_COUNT == len(set(codes))
    stored = StaticToken.objects.filter(device__user=world.curator).values_list("token", flat=True)
    assert set(stored) == set(codes)
    log_in(client, world.curator)
    client.post(reverse("second-factor-verify"), {"code": fresh_code(device)})
    again = client.get(reverse("second-factor-backup-codes"))
    assert again["Location"] == reverse("second-factor")  # shown once only
    assert len(events(security_log, "otp_enabled")) == 1


def test_a_wrong_code_at_enrolment_is_refused_next_to_the_field(world, client, security_log):
    client.force_login(world.head)
    client.post(reverse("second-factor-start"))
    device = TOTPDevice.objects.get(user=world.head)
    wrong = f"{(int(fresh_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("second-factor-confirm"), {"code": wrong})
    assert response.status_code == 200
    form = response.context["confirm_form"]
    assert "Код не подошёл" in form.errors["code"][0]
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=world.head).exists()
    assert events(security_log, "otp_failed")[0]["step"] == "enrol"


def test_a_code_of_letters_is_not_an_app_code(world, client):
    client.force_login(world.head)
    client.post(reverse("second-factor-start"))
    response = client.post(reverse("second-factor-confirm"), {"code": "12ab"})
    assert response.context["confirm_form"].errors["code"] == ["Введите шесть цифр из приложения."]


def test_mentors_mentees_teachers_and_the_council_have_no_second_factor_page(world, client):
    for user in (world.mentor, world.mentee, world.teacher, world.council):
        client.force_login(user)
        assert client.get(reverse("second-factor")).status_code == 404
        assert client.post(reverse("second-factor-start")).status_code == 404
        assert "Второй фактор" not in client.get(reverse("home"), follow=True).content.decode()
    assert not TOTPDevice.objects.exists()


def test_the_user_menu_links_the_page_for_the_head_curator_and_sysadmin(world, client):
    for user in (world.head, world.curator, world.sysadmin):
        client.force_login(user)
        text = client.get(reverse("home"), follow=True).content.decode()
        assert f'href="{reverse("second-factor")}">Второй фактор<' in text


# The code after the password -------------------------------------------------------------


def test_after_the_password_a_user_with_an_app_is_asked_for_the_code(world, client, security_log):
    device, _ = enrol(client, world.curator)
    response = log_in(client, world.curator)
    assert client.get(response["Location"])["Location"].startswith(reverse("second-factor-verify"))
    page = client.get(reverse("second-factor-verify"))
    assert page.status_code == 200
    assert "<h1>Код подтверждения</h1>" in page.content.decode()
    response = client.post(reverse("second-factor-verify"), {"code": fresh_code(device)})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("registry:person-list")).status_code == 200
    [verified] = events(security_log, "otp_verified")
    assert verified["user_id"] == str(world.curator.pk) and verified["device"] == "app"


def test_every_other_url_leads_to_the_code_page_until_the_code(world, client):
    enrolled(world.curator)
    log_in(client, world.curator)
    verify = reverse("second-factor-verify")
    for url in (
        reverse("home"),
        reverse("registry:person-list"),
        reverse("registry:person-detail", args=[world.mentee_person.pk]),
        reverse("password_change"),
        reverse("second-factor"),
        reverse("registry:notification-list"),
        "/no-such-page/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(verify), url
        assert f"next={url}" in response["Location"].replace("%2F", "/")
    # A change posted before the code goes nowhere either.
    before = TOTPDevice.objects.get(user=world.curator).key
    response = client.post(reverse("second-factor-start"))
    assert response["Location"] == verify
    assert TOTPDevice.objects.get(user=world.curator).key == before
    # The session pings keep working; logging out is allowed.
    status = client.get(reverse("session-status"))
    assert status.status_code == 200 and status.json()["authenticated"] is True
    assert client.post(reverse("session-extend")).status_code == 200
    assert client.post(reverse("logout"))["Location"].startswith(reverse("login"))
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_the_code_page_has_no_navigation_but_a_logout(world, client):
    enrolled(world.head)
    log_in(client, world.head)
    text = client.get(reverse("second-factor-verify")).content.decode()
    assert reverse("registry:person-list") not in text
    assert f'action="{reverse("logout")}"' in text


def test_after_the_code_the_person_lands_where_they_were_going(world, client):
    device = enrolled(world.curator)
    log_in(client, world.curator)
    target = reverse("registry:person-list")
    response = client.post(
        reverse("second-factor-verify"), {"code": fresh_code(device), "next": target}
    )
    assert response["Location"] == target


def test_the_code_page_does_not_send_anyone_to_another_site(world, client):
    device = enrolled(world.curator)
    log_in(client, world.curator)
    response = client.post(
        reverse("second-factor-verify"), {"code": fresh_code(device), "next": "https://evil.test/"}
    )
    assert response["Location"] == reverse("home")


def test_a_wrong_code_and_a_reused_code_are_refused(world, client, security_log):
    device = enrolled(world.curator)
    log_in(client, world.curator)
    code = fresh_code(device)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(reverse("second-factor-verify"), {"code": wrong})
    assert response.status_code == 200
    assert "Код не подошёл" in response.context["form"].errors["code"][0]
    assert client.get(reverse("home"))["Location"].startswith(reverse("second-factor-verify"))
    # After the 1-second pause of django-otp the right code is taken…
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=5)
    )
    assert client.post(reverse("second-factor-verify"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    # …and the same code does not open a second session.
    log_in(client, world.curator)
    response = client.post(reverse("second-factor-verify"), {"code": code})
    assert response.status_code == 200
    assert "Код не подошёл" in response.context["form"].errors["code"][0]
    assert client.get(reverse("home"))["Location"].startswith(reverse("second-factor-verify"))
    failed = events(security_log, "otp_failed")
    assert [e["reason"] for e in failed] == ["wrong_code", "wrong_code"]
    assert all(e["username"] == "curator" for e in failed)
    levels = {r.levelname for r in security_log.records if "event=otp_failed" in r.getMessage()}
    assert levels == {"WARNING"}
    assert code not in " ".join(r.getMessage() for r in security_log.records)


def test_wrong_codes_are_throttled_even_the_right_one_waits(world, client, security_log):
    device = enrolled(world.curator)
    log_in(client, world.curator)
    code = fresh_code(device)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(3):
        client.post(reverse("second-factor-verify"), {"code": wrong})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # the 2nd and 3rd came inside the pause
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=4)  # 8 s pause
    response = client.post(reverse("second-factor-verify"), {"code": code})
    assert response.status_code == 200
    error = response.context["form"].errors["code"][0]
    assert error.startswith("Слишком много неверных кодов подряд. Подождите")
    assert int(re.search(r"(\d+) с", error).group(1)) in range(1, 9)
    assert client.get(reverse("home"))["Location"].startswith(reverse("second-factor-verify"))
    assert events(security_log, "otp_failed")[-1]["reason"] == "throttled"
    # Once the pause is over, the right code is taken.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=9)
    )
    assert client.post(reverse("second-factor-verify"), {"code": code}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_backup_code_works_once(world, client, security_log):
    device, codes = enrol(client, world.head)
    log_in(client, world.head)
    response = client.post(reverse("second-factor-verify"), {"code": codes[0].upper()})
    assert response["Location"] == reverse("home")
    assert events(security_log, "otp_verified")[-1]["device"] == "backup_code"
    assert StaticToken.objects.filter(device__user=world.head).count() == BACKUP_CODE_COUNT - 1
    client.post(reverse("logout"))
    log_in(client, world.head)
    response = client.post(reverse("second-factor-verify"), {"code": codes[0]})
    assert response.status_code == 200
    assert "Код не подошёл" in response.context["form"].errors["code"][0]
    StaticDevice.objects.filter(user=world.head).update(throttling_failure_timestamp=None)
    assert client.post(reverse("second-factor-verify"), {"code": codes[1]}).status_code == 302
    text = client.get(reverse("second-factor")).content.decode()
    assert f"осталось {BACKUP_CODE_COUNT - 2} из 10" in text


def test_the_session_limits_keep_working_on_the_code_page(world, client):
    enrolled(world.curator)
    log_in(client, world.curator)
    client.get(reverse("second-factor-verify"))
    session = client.session
    session[LOGIN_AT] = int(time.time()) - 12 * 3600 - 1
    session.save()
    response = client.get(reverse("second-factor-verify"))
    assert response["Location"].startswith(reverse("login"))


def test_users_without_an_app_log_in_with_the_password_only(world, client):
    enrolled(world.curator)  # someone else's app changes nothing for the head
    log_in(client, world.head)
    assert client.get(reverse("registry:person-list")).status_code == 200
    assert client.get(reverse("second-factor-verify"))["Location"] == reverse("home")


# Switching off and the sysadmin's reset --------------------------------------------------


def test_switching_off_needs_a_valid_code(world, client, security_log):
    device, codes = enrol(client, world.sysadmin)
    log_in(client, world.sysadmin)
    client.post(reverse("second-factor-verify"), {"code": codes[0]})
    response = client.post(reverse("second-factor-disable"), {"code": "000000"})
    assert response.status_code == 200
    assert "Код не подошёл" in response.context["disable_form"].errors["code"][0]
    assert TOTPDevice.objects.filter(user=world.sysadmin).exists()
    StaticDevice.objects.filter(user=world.sysadmin).update(throttling_failure_timestamp=None)
    response = client.post(reverse("second-factor-disable"), {"code": codes[1]})
    assert response["Location"] == reverse("second-factor")
    assert not TOTPDevice.objects.filter(user=world.sysadmin).exists()
    assert not StaticDevice.objects.filter(user=world.sysadmin).exists()
    assert len(events(security_log, "otp_disabled")) == 1
    client.post(reverse("logout"))
    log_in(client, world.sysadmin)
    assert client.get(reverse("registry:user-list")).status_code == 200


def test_the_sysadmin_resets_another_users_second_factor_but_not_their_own(
    world, client, security_log
):
    enrolled(world.curator)
    enrolled(world.sysadmin)
    client.force_login(world.sysadmin)
    client.post(
        reverse("second-factor-verify"),
        {"code": StaticToken.objects.filter(device__user=world.sysadmin).first().token},
    )
    roles_page = client.get(reverse("registry:user-roles", args=[world.curator.pk]))
    assert "Сбросить второй фактор" in roles_page.content.decode()
    response = client.post(reverse("second-factor-reset", args=[world.curator.pk]))
    assert response["Location"] == reverse("registry:user-roles", args=[world.curator.pk])
    assert not TOTPDevice.objects.filter(user=world.curator).exists()
    assert not StaticDevice.objects.filter(user=world.curator).exists()
    [reset] = events(security_log, "otp_reset")
    assert reset["user_id"] == str(world.sysadmin.pk)
    assert reset["target_user_id"] == world.curator.pk
    # Their own: refused, with the way to do it.
    own_page = client.get(reverse("registry:user-roles", args=[world.sysadmin.pk]))
    assert "Сбросить второй фактор" not in own_page.content.decode()
    client.post(reverse("second-factor-reset", args=[world.sysadmin.pk]))
    assert TOTPDevice.objects.filter(user=world.sysadmin).exists()
    # The curator now logs in with the password alone.
    client.post(reverse("logout"))
    log_in(client, world.curator)
    assert client.get(reverse("registry:person-list")).status_code == 200


def test_the_head_may_not_reset_and_an_outsider_finds_no_account(world, client):
    enrolled(world.curator)
    client.force_login(world.head)
    assert client.post(reverse("second-factor-reset", args=[world.curator.pk])).status_code == 403
    client.force_login(world.outsider)
    assert client.post(reverse("second-factor-reset", args=[world.curator.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=world.curator).exists()


# The institution's requirement -----------------------------------------------------------


def test_the_requirement_is_a_setting_of_the_institution(world, client):
    client.force_login(world.head)
    data = {
        "name": world.institution.name,
        "short_name": world.institution.short_name,
        "address": world.institution.address,
        "head_name": world.institution.head_name,
        "session_idle_minutes": 60,
        "require_second_factor": "on",
    }
    response = client.post(reverse("registry:institution-settings"), data)
    assert response.status_code == 302
    world.institution.refresh_from_db()
    assert world.institution.require_second_factor


@pytest.mark.parametrize("role", ["head", "curator", "sysadmin"])
def test_when_required_the_head_curator_and_sysadmin_must_enrol_first(world, client, role):
    world.institution.require_second_factor = True
    world.institution.save()
    user = getattr(world, role)
    log_in(client, user)
    for url in (reverse("home"), reverse("registry:person-list"), reverse("password_change")):
        assert client.get(url)["Location"] == reverse("second-factor"), url
    page = client.get(reverse("second-factor"))
    assert page.status_code == 200
    assert "Учреждение требует" in page.content.decode()
    client.post(reverse("second-factor-start"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("second-factor-confirm"), {"code": fresh_code(device)})
    assert response["Location"] == reverse("second-factor-backup-codes")
    assert client.get(reverse("home")).status_code == 302  # to the role's home, not the gate
    assert client.get(reverse("home"), follow=True).status_code == 200


@pytest.mark.parametrize("role", ["mentor", "mentee", "teacher", "council"])
def test_when_required_mentors_mentees_teachers_and_the_council_are_not_forced(world, client, role):
    world.institution.require_second_factor = True
    world.institution.save()
    log_in(client, getattr(world, role))
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/home/")


def test_the_requirement_of_another_institution_forces_nobody_here(world, client):
    world.other_institution.require_second_factor = True
    world.other_institution.save()
    log_in(client, world.head)
    assert client.get(reverse("registry:person-list")).status_code == 200


def test_switching_off_where_required_asks_to_enrol_again_at_once(world, client):
    device, codes = enrol(client, world.head)
    world.institution.require_second_factor = True
    world.institution.save()
    log_in(client, world.head)
    client.post(reverse("second-factor-verify"), {"code": fresh_code(device)})
    client.post(reverse("second-factor-disable"), {"code": codes[0]})
    assert client.get(reverse("home"))["Location"] == reverse("second-factor")
