"""The security log ``mentoring.security`` (ASVS 5.0 V16.3; docs/security.md): every
login, failed login, lockout, logout and refused access, with the time, the user and the client's
address — and never a password."""

import logging

import pytest
from django.test import override_settings
from django.urls import reverse

PASSWORD = "correct horse battery staple"  # tests/factories.py
WRONG = "Wrong-password-123"


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="mentoring.security")
    return caplog


def events(caplog, event=None) -> list[dict]:
    found = [
        r.security
        for r in caplog.records
        if r.name == "mentoring.security" and hasattr(r, "security")
    ]
    return [e for e in found if event is None or e["event"] == event]


def assert_no_password(caplog):
    text = " ".join(r.getMessage() for r in caplog.records) + repr(events(caplog))
    assert PASSWORD not in text and WRONG not in text


def test_a_login_is_logged_with_user_and_address(world, client, security_log):
    response = client.post(
        reverse("login"),
        {"username": "curator", "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
        HTTP_USER_AGENT="Firefox",
    )
    assert response.status_code == 302
    [login] = events(security_log, "login")
    assert login == {
        "event": "login",
        "user_id": str(world.curator.pk),
        "username": "curator",
        "ip": "10.1.2.3",
        "agent": "Firefox",
    }
    record = next(r for r in security_log.records if getattr(r, "security", None) == login)
    assert record.created > 0  # the formatter prints the time (settings.LOGGING «timed»)
    assert (
        record.getMessage()
        == f"event=login user_id={world.curator.pk} username=curator ip=10.1.2.3 agent=Firefox"
    )
    assert_no_password(security_log)


def test_a_failed_login_is_logged_with_the_username_only(world, client, security_log):
    client.post(
        reverse("login"), {"username": "curator", "password": WRONG}, REMOTE_ADDR="10.1.2.4"
    )
    [failed] = events(security_log, "login_failed")
    assert failed["username"] == "curator"
    assert failed["user_id"] == "-"
    assert failed["ip"] == "10.1.2.4"
    assert_no_password(security_log)
    assert security_log.records[-1].levelno >= logging.WARNING


def test_a_failed_login_of_an_unknown_name_is_logged_too(db, client, security_log):
    client.post(reverse("login"), {"username": "nobody", "password": WRONG})
    assert [e["username"] for e in events(security_log, "login_failed")] == ["nobody"]


def test_a_lockout_is_logged(world, client, security_log):
    for _ in range(6):
        client.post(reverse("login"), {"username": "head", "password": WRONG})
    [lockout] = events(security_log, "lockout")[:1]
    assert lockout["username"] == "head"
    assert_no_password(security_log)


def test_a_logout_is_logged(world, client, security_log):
    client.force_login(world.head)
    client.post(reverse("logout"))
    [logout] = events(security_log, "logout")
    assert logout["username"] == "head"
    assert logout["user_id"] == str(world.head.pk)


def test_a_refused_404_is_logged_with_the_user_and_the_path(world, client, security_log):
    client.force_login(world.mentor)
    assert client.get(reverse("registry:person-list")).status_code == 404
    [refused] = events(security_log, "refused")
    assert refused["status"] == 404
    assert refused["username"] == "mentor"
    assert refused["method"] == "GET"
    assert refused["path"] == reverse("registry:person-list")


def test_a_refused_403_is_logged(world, client, security_log):
    client.force_login(world.head)
    url = reverse("registry:person-create")
    assert client.get(url).status_code == 403
    [refused] = events(security_log, "refused")
    assert (refused["status"], refused["username"], refused["path"]) == (403, "head", url)


def test_allowed_pages_are_not_logged_as_refused(world, client, security_log):
    client.force_login(world.curator)
    assert client.get(reverse("registry:person-list")).status_code == 200
    assert events(security_log, "refused") == []


@override_settings(TRUSTED_PROXIES=1)
def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(world, client, security_log):
    client.post(
        reverse("login"),
        {"username": "curator", "password": WRONG},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7",  # the visitor wrote the first one
    )
    assert events(security_log, "login_failed")[0]["ip"] == "203.0.113.7"


def test_without_the_proxy_setting_a_forwarded_header_is_ignored(world, client, security_log):
    client.post(
        reverse("login"),
        {"username": "curator", "password": WRONG},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="6.6.6.6",
    )
    assert events(security_log, "login_failed")[0]["ip"] == "10.9.9.9"


# --- Lines that cannot be forged (issue 20: a newline in a path, a username, a user agent) ------


def _lines(caplog) -> list[str]:
    return [
        line
        for r in caplog.records
        if r.name == "mentoring.security"
        for line in r.getMessage().splitlines()
    ]


FORGED = "x\nevent=login user_id=1 username=head ip=10.0.0.1"


def test_a_newline_in_the_username_writes_no_line_of_its_own(db, client, security_log):
    client.post(reverse("login"), {"username": FORGED, "password": WRONG})
    lines = _lines(security_log)
    assert len(lines) == 1
    assert lines[0].startswith("event=login_failed user_id=- username=")
    assert '"x\\nevent=login user_id=1 username=head ip=10.0.0.1"' in lines[0]
    assert not any(line.startswith("event=login ") for line in lines)


def test_a_newline_in_the_path_writes_no_line_of_its_own(world, client, security_log):
    client.force_login(world.mentor)
    security_log.clear()  # the login of force_login
    assert client.get("/people/%0Aevent=login%20user_id=1/").status_code == 404
    [line] = _lines(security_log)
    assert line.startswith("event=refused ")
    assert 'path="/people/\\nevent=login user_id=1/"' in line


def test_a_newline_and_a_quote_in_the_user_agent_stay_in_their_value(world, client, security_log):
    client.post(
        reverse("login"),
        {"username": "curator", "password": PASSWORD},
        HTTP_USER_AGENT='Evil"\r\nevent=login user_id=1\u2028',
    )
    [line] = _lines(security_log)
    assert line.endswith('agent="Evil\\"\\r\\nevent=login user_id=1\\u2028"')


def test_a_value_with_a_space_or_an_equals_sign_cannot_pose_as_another_key(
    db, client, security_log
):
    client.post(reverse("login"), {"username": "a user_id=7", "password": WRONG})
    [line] = _lines(security_log)
    assert ' username="a user_id=7" ' in line
    assert " user_id=- " in line


@override_settings(TRUSTED_PROXIES=2)
def test_behind_a_balancer_and_nginx_the_address_is_the_one_the_balancer_saw(
    world, client, security_log
):
    client.post(
        reverse("login"),
        {"username": "curator", "password": WRONG},
        REMOTE_ADDR="127.0.0.1",  # nginx
        # the visitor wrote the first; the balancer appended the client; nginx the balancer
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.2",
    )
    assert events(security_log, "login_failed")[0]["ip"] == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=2)
def test_a_request_that_skipped_the_balancer_is_read_from_its_only_hop(world, client, security_log):
    client.post(
        reverse("login"),
        {"username": "curator", "password": WRONG},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert events(security_log, "login_failed")[0]["ip"] == "198.51.100.4"


@override_settings(TRUSTED_PROXIES=2, AXES_FAILURE_LIMIT=3)
def test_lockouts_behind_the_balancer_count_per_client_not_per_proxy(world, client):
    """Two clients behind the same balancer and nginx: one locks itself out, the other logs in."""

    def attempt(password, client_ip):
        return client.post(
            reverse("login"),
            {"username": "curator", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"{client_ip}, 10.0.0.2",
        )

    for _ in range(3):
        attempt(WRONG, "203.0.113.7")
    assert attempt(PASSWORD, "203.0.113.7").status_code == 429  # locked out
    assert attempt(PASSWORD, "198.51.100.4").status_code == 302  # another client, not locked
