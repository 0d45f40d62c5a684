"""«Вход по коду приглашения» (issue 16, part 2): the login and the code, then a new password.
A code is used once, expires, is kept hashed and is blocked after five wrong tries; wrong codes
from one client are limited too; a login that does not exist is told apart from nothing."""

import re
from datetime import time, timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import LogEntry
from registry.models import InvitationCode, Person
from registry.services import logins as services
from registry.services.personal_data import person_anonymize
from tests.factories import give_consent, make_person

pytestmark = pytest.mark.django_db

CODE_PAGE = reverse("invitation-code")
PASSWORD_PAGE = reverse("invitation-password")
PASSWORD = "Зелёный-трамвай-1987"


@pytest.fixture
def invited(world):
    """A teacher of the world with a new login and her code (as on the sheet)."""
    person = make_person(world.institution, "Новикова", first_name="Елена", patronymic="Игоревна")
    (issued,) = services.logins_create(people=[person], by=world.curator, site_url="http://x")
    return issued


def submit_code(client, username, code, **extra):
    return client.post(CODE_PAGE, {"username": username, "code": code, **extra})


def set_password(client, password=PASSWORD):
    return client.post(PASSWORD_PAGE, {"new_password1": password, "new_password2": password})


# The journey ------------------------------------------------------------------------------


def test_the_login_page_links_to_the_code_page(client):
    text = client.get(reverse("login")).content.decode()
    assert f'href="{CODE_PAGE}">Вход по коду приглашения</a>' in text
    page = client.get(CODE_PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<h1>Вход по коду приглашения</h1>" in text
    assert "Логин" in text and "Код приглашения" in text


def test_a_teacher_signs_in_with_the_code_and_sets_a_password(client, invited):
    response = submit_code(client, invited.username, invited.code)
    assert response.status_code == 302 and response.url == PASSWORD_PAGE
    page = client.get(PASSWORD_PAGE).content.decode()
    assert "Задайте пароль" in page and invited.username in page

    done = set_password(client)
    assert done.status_code == 302 and done.url == reverse("home")
    assert client.session[SESSION_KEY] == str(invited.user_id)
    code = InvitationCode.objects.get(user_id=invited.user_id)
    assert code.used_at is not None and not code.is_usable
    assert code.user.check_password(PASSWORD)
    home = client.get(reverse("home"), follow=True).content.decode()
    assert f"Пароль задан. Теперь входите с логином {invited.username}" in home


def test_spaces_dashes_and_the_login_case_do_not_matter(client, invited):
    typed = invited.code.replace("-", " ")
    response = submit_code(client, invited.username.upper(), f" {typed} ")
    assert response.status_code == 302 and response.url == PASSWORD_PAGE


def test_the_code_cannot_be_used_twice(client, invited):
    submit_code(client, invited.username, invited.code)
    set_password(client)
    client.logout()
    again = submit_code(client, invited.username, invited.code)
    assert again.status_code == 200
    assert "Этот код уже использован: по нему задан пароль" in again.content.decode()
    assert client.get(PASSWORD_PAGE).status_code == 302  # no second password with it


def test_two_password_steps_with_one_code_set_one_password(client, invited):
    submit_code(client, invited.username, invited.code)
    other = type(client)()
    submit_code(other, invited.username, invited.code)
    set_password(client)
    late = set_password(other, "Другой-пароль-2024")
    assert late.status_code == 302 and late.url == CODE_PAGE
    user = InvitationCode.objects.get(user_id=invited.user_id).user
    assert user.check_password(PASSWORD)


def test_a_password_the_validators_refuse_keeps_the_code(client, invited):
    submit_code(client, invited.username, invited.code)
    response = set_password(client, "12345678")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Введённый пароль состоит только из цифр" in text
    code = InvitationCode.objects.get(user_id=invited.user_id)
    assert code.used_at is None
    assert not code.user.has_usable_password()
    assert SESSION_KEY not in client.session


def test_the_password_page_without_a_code_sends_back_to_the_code(client):
    response = client.get(PASSWORD_PAGE, follow=True)
    assert response.redirect_chain[-1][0] == CODE_PAGE
    assert "Введите логин и код приглашения, затем задайте пароль." in response.content.decode()


def test_the_password_step_expires(client, invited):
    submit_code(client, invited.username, invited.code)
    session = client.session
    session[services.SESSION_CODE]["at"] -= services.PASSWORD_STEP_SECONDS + 1
    session.save()
    assert set_password(client).url == CODE_PAGE
    assert InvitationCode.objects.get(user_id=invited.user_id).used_at is None


# Wrong, unknown, expired, replaced, blocked -----------------------------------------------


def wrong(code: str) -> str:
    """Another code of the right shape."""
    digits = services.code_normalize(code)
    return ("1" if digits[0] != "1" else "2") + digits[1:]


def test_a_wrong_code_and_an_unknown_login_get_the_same_message(client, invited):
    unknown = submit_code(client, "nobody.xx", wrong(invited.code))
    mistyped = submit_code(client, invited.username, wrong(invited.code))
    for response in (unknown, mistyped):
        assert response.status_code == 200
        assert services.WRONG in response.content.decode()
        assert SESSION_KEY not in client.session

    # The pages differ only by the login typed back into the field (and the CSRF token).
    def page(response):
        text = response.content.decode().replace("nobody.xx", invited.username)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert page(unknown) == page(mistyped)


def test_a_code_of_the_wrong_length_is_told_next_to_the_field(client, invited):
    response = submit_code(client, invited.username, "1234-5678")
    assert "В коде приглашения 12 цифр" in response.content.decode()
    assert InvitationCode.objects.get(user_id=invited.user_id).failed_attempts == 0


def test_five_wrong_codes_block_the_code(client, invited):
    for _attempt in range(5):
        response = submit_code(client, invited.username, wrong(invited.code))
        assert services.WRONG in response.content.decode()
    code = InvitationCode.objects.get(user_id=invited.user_id)
    assert code.failed_attempts == 5 and code.is_blocked
    # A sixth wrong one changes nothing and says nothing new.
    assert (
        services.WRONG
        in submit_code(client, invited.username, wrong(invited.code)).content.decode()
    )
    assert InvitationCode.objects.get(pk=code.pk).failed_attempts == 5
    # The right code now: blocked, said only to who knows it.
    right = submit_code(client, invited.username, invited.code)
    assert services.BLOCKED in right.content.decode()
    assert client.get(PASSWORD_PAGE).status_code == 302


def test_an_expired_code_is_refused_with_its_date(client, invited):
    expired = timezone.now() - timedelta(minutes=1)
    InvitationCode.objects.filter(user_id=invited.user_id).update(
        created_at=expired - timedelta(days=14), expires_at=expired
    )
    response = submit_code(client, invited.username, invited.code)
    text = response.content.decode()
    assert "Срок действия кода истёк" in text
    assert f"{timezone.localtime(expired):%d.%m.%Y}" in text


def test_a_replaced_code_is_refused_and_the_new_one_works(client, world, invited):
    (fresh,) = services.codes_reissue(
        users=[InvitationCode.objects.get(user_id=invited.user_id).user],
        by=world.curator,
        site_url="http://x",
    )
    old = submit_code(client, invited.username, invited.code)
    assert "Этот код больше не действует: вам выдан новый" in old.content.decode()
    assert submit_code(client, invited.username, fresh.code).url == PASSWORD_PAGE


@override_settings(INVITATION_CODE_FAILURES_PER_CLIENT=3)
def test_wrong_codes_from_one_client_are_limited(client, world, invited):
    for _ in range(3):
        submit_code(client, "nobody.xx", invited.code)
    response = submit_code(client, invited.username, invited.code)
    assert response.status_code == 429
    assert "Слишком много неверных кодов с этого компьютера" in response.content.decode()
    # Another client is not held back.
    other = submit_code(type(client)(REMOTE_ADDR="10.0.0.2"), invited.username, invited.code)
    assert other.status_code == 302


def test_a_closed_or_anonymized_login_gets_no_sign_in(client, world, invited):
    user = InvitationCode.objects.get(user_id=invited.user_id).user
    user.is_active = False
    user.save()
    assert services.WRONG in submit_code(client, invited.username, invited.code).content.decode()
    user.is_active = True
    user.save()
    person = Person.objects.get(user=user)
    give_consent(person)
    person.consents.update(withdrawn_on=timezone.localdate())
    person_anonymize(person=person)
    assert services.WRONG in submit_code(client, invited.username, invited.code).content.decode()
    code = InvitationCode.objects.get(user_id=invited.user_id)
    assert code.revoked_at is not None  # closed by the anonymization


# Storage and the trail --------------------------------------------------------------------


def test_a_code_works_to_the_end_of_its_last_day(invited):
    code = InvitationCode.objects.get(user_id=invited.user_id)
    last_day = timezone.localdate() + timedelta(days=14)
    assert invited.valid_until_date == last_day
    assert timezone.localtime(code.expires_at).date() == last_day + timedelta(days=1)
    assert timezone.localtime(code.expires_at).time() == time.min


def test_the_code_is_kept_only_as_a_hash(invited):
    stored = InvitationCode.objects.get(user_id=invited.user_id).code_hash
    digits = services.code_normalize(invited.code)
    assert digits not in stored and invited.code not in stored
    assert stored.startswith("pbkdf2_sha256$20000$")


def test_using_a_code_is_in_the_audit_trail(client, world, invited):
    submit_code(client, invited.username, invited.code)
    set_password(client)
    code = InvitationCode.objects.get(user_id=invited.user_id)
    entry = LogEntry.objects.get(
        content_type__model="invitationcode", object_id=code.pk, action=LogEntry.Action.UPDATE
    )
    assert "used_at" in entry.changes
    assert entry.institution_id == world.institution.pk
    assert "code_hash" not in entry.changes
