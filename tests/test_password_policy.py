"""The password policy (ASVS 5.0 V6.2; docs/security.md): at least 8 characters with 15 and more
recommended in the help text, common passwords and context words refused (the institution's
name, «наставник», the role names), long passphrases accepted, no forced rotation."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

OLD = "correct horse battery staple"  # tests/factories.py


def refused(password, user) -> bool:
    try:
        validate_password(password, user)
    except ValidationError:
        return True
    return False


def test_eight_characters_at_least(world):
    assert refused("Чайник7", world.curator)  # 7 characters
    assert not refused("Чайник7!", world.curator)  # 8


def test_the_help_text_recommends_15_characters_and_names_the_words_to_avoid():
    text = " ".join(password_validators_help_texts())
    assert "от 15 символов" in text
    assert "название учреждения" in text and "«наставник»" in text


@pytest.mark.parametrize("password", ["password123", "qwertyuiop", "12345678", "iloveyou"])
def test_common_and_numeric_passwords_are_refused(world, password):
    assert refused(password, world.curator)


@pytest.mark.parametrize(
    "password",
    [
        "Наставник2026!",
        "мой куратор лучший",
        "ЗаведующийСадом1",
        "наставляемый-42",
        "детский сад 64 навсегда",  # the institution's name
        "nastavnik2026",
    ],
)
def test_context_words_and_role_names_are_refused(world, password):
    assert refused(password, world.curator)


def test_the_institutions_own_name_is_refused(world):
    world.institution.short_name = "Солнышко"
    world.institution.save()
    assert refused("солнышко-и-радуга", world.curator)


@pytest.mark.parametrize(
    "password",
    [
        "тихий вечер у синей реки",
        "Зелёный чайник поёт на рассвете, а кот спит на подоконнике у окна " * 2,  # 134
    ],
)
def test_long_passphrases_are_accepted_and_change_the_password(world, as_user, password):
    assert not refused(password, world.curator)
    client = as_user(world.curator)
    response = client.post(
        reverse("password_change"),
        {"old_password": OLD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 302
    world.curator.refresh_from_db()
    assert world.curator.check_password(password)


def test_no_forced_rotation(world, client):
    """A password set years ago still opens the account: nothing expires it."""
    type(world.curator).objects.filter(pk=world.curator.pk).update(
        last_login=timezone.now() - timedelta(days=3 * 365),
        date_joined=timezone.now().replace(year=2020),
    )
    response = client.post(reverse("login"), {"username": "curator", "password": OLD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
