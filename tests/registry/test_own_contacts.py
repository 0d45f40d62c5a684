"""A teacher keeps her own contacts (issue 16, part 4): «Мои данные» → «Изменить телефон и
e-mail»; the phone in one written form; a new e-mail confirmed by the link sent to it, then on
the person and the login, and the old address told."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from audit.models import LogEntry
from mentoring_site.lib.phones import NotARussianPhone, normalize_phone
from registry.models import EmailChange, Letter, Person, User
from registry.services import contacts as services
from tests.factories import make_person, make_user
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

CONTACTS = reverse("registry:my-contacts")


# The normaliser (mentoring_site/lib/phones.py) ---------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "8 (921) 123-45-67",
        "+7 921 123-45-67",
        "+7(921)1234567",
        "89211234567",
        "7 921 123 45 67",
        "921 123-45-67",
        "8-921-123-45-67",
        "+7 (921) 123–45–67",  # en dashes, as a word processor writes them
    ],
)
def test_common_russian_writings_become_one(typed):
    assert normalize_phone(typed) == "+7 921 123-45-67"


def test_a_city_number_and_an_empty_one():
    assert normalize_phone("8 (812) 417-33-20") == "+7 812 417-33-20"
    assert normalize_phone("  ") == ""


@pytest.mark.parametrize(
    "typed",
    [
        "123-45-67",  # no city code
        "+380 44 123 4567",  # Ukraine
        "+7 701 123-45-67",  # Kazakhstan
        "8 (021) 123-45-67",  # no Russian number starts with 0
        "+1 921 123 45 67",
        "8 921 123-45-67 доб. 12",
        "921-123-45-678",
        "телефон",
    ],
)
def test_what_cannot_be_a_russian_number_is_refused(typed):
    with pytest.raises(NotARussianPhone, match="не похоже на российский номер"):
        normalize_phone(typed)


# The page ----------------------------------------------------------------------------------


def test_own_page_offers_the_change_and_others_do_not(world, as_user):
    client = as_user(world.teacher)
    own = client.get(reverse("registry:my-data"), follow=True).content.decode()
    assert "Изменить телефон и e-mail" in own and CONTACTS in own
    curator_view = as_user(world.curator).get(
        reverse("registry:person-detail", args=[world.teacher_person.pk])
    )
    assert CONTACTS not in curator_view.content.decode()


@pytest.mark.parametrize("who", ["head", "curator", "council", "sysadmin", "outsider"])
def test_logins_without_a_person_have_no_contacts_page(world, as_user, who):
    assert as_user(world.user(who)).get(CONTACTS).status_code == 404


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(CONTACTS)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# The phone ---------------------------------------------------------------------------------


def test_a_teacher_changes_her_phone_and_it_is_stored_in_one_form(world, as_user):
    client = as_user(world.teacher)
    response = client.post(CONTACTS, {"phone": "8 (921) 123-45-67", "email": ""}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "registry:person-detail", args=[world.teacher_person.pk]
    )
    assert "Телефон сохранён: +7 921 123-45-67." in response.content.decode()
    world.teacher_person.refresh_from_db()
    assert world.teacher_person.phone == "+7 921 123-45-67"
    entry = LogEntry.objects.filter(
        content_type__model="person", object_id=world.teacher_person.pk, actor=world.teacher
    ).latest("timestamp")
    assert entry.changes["phone"] == ["", "+7 921 123-45-67"]


def test_a_phone_that_cannot_be_russian_is_refused_next_to_the_field(world, as_user):
    Person.objects.filter(pk=world.teacher_person.pk).update(phone="+7 921 000-00-00")
    response = as_user(world.teacher).post(CONTACTS, {"phone": "+380 44 123 4567", "email": ""})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="id_phone_error"' in text
    assert "Это не похоже на российский номер телефона" in text
    assert 'value="+380 44 123 4567"' in text  # nothing typed is lost
    world.teacher_person.refresh_from_db()
    assert world.teacher_person.phone == "+7 921 000-00-00"


# The e-mail --------------------------------------------------------------------------------


def confirm_link(body: str) -> str:
    return re.search(r"http://testserver(/me/email/\S+/)", body).group(1)


def test_a_new_email_is_confirmed_by_the_link_then_replaces_the_old_one(world, as_user):
    person = world.teacher_person
    Person.objects.filter(pk=person.pk).update(email="smirnova@old.example")
    User.objects.filter(pk=world.teacher.pk).update(email="smirnova@old.example")
    client = as_user(world.teacher)
    response = client.post(CONTACTS, {"phone": "", "email": "Smirnova@New.example"}, follow=True)
    assert "На адрес smirnova@new.example отправлено письмо со ссылкой" in (
        response.content.decode()
    )
    person.refresh_from_db()
    assert person.email == "smirnova@old.example"  # not before the link
    assert "Ждёт подтверждения" in client.get(CONTACTS).content.decode()

    run_tasks()
    (letter,) = mail.outbox
    assert letter.to == ["smirnova@new.example"]
    link = confirm_link(letter.body)
    page = client.get(link)
    assert page.status_code == 200
    assert "smirnova@new.example" in page.content.decode()
    person.refresh_from_db()
    assert person.email == "smirnova@old.example"  # opening the link alone changes nothing

    done = client.post(link + "confirm/", follow=True)
    assert "Адрес подтверждён: теперь ваш e-mail — smirnova@new.example." in (done.content.decode())
    person.refresh_from_db()
    world.teacher.refresh_from_db()
    assert person.email == world.teacher.email == "smirnova@new.example"
    assert EmailChange.objects.get(person=person).confirmed_at is not None

    run_tasks()
    told = mail.outbox[-1]
    assert told.to == ["smirnova@old.example"]
    assert "изменён" in told.body and "sm…@new.example" in told.body

    for model, pk in [("person", person.pk), ("user", world.teacher.pk)]:
        entry = LogEntry.objects.filter(
            content_type__model=model, object_id=pk, actor=world.teacher
        ).latest("timestamp")
        assert entry.changes["email"] == ["smirnova@old.example", "smirnova@new.example"]

    # Used once: the same link now answers that it does not work.
    again = client.get(link)
    assert again.status_code == 404
    assert services.LINK_INVALID in again.content.decode()


def test_a_first_email_needs_the_link_too_and_nobody_is_told(world, as_user):
    client = as_user(world.teacher)
    client.post(CONTACTS, {"phone": "", "email": "smirnova@example.org"})
    change = EmailChange.objects.get(person=world.teacher_person)
    client.post(
        reverse("registry:my-email-confirm-post", args=[services.confirmation_token(change)])
    )
    world.teacher_person.refresh_from_db()
    assert world.teacher_person.email == "smirnova@example.org"
    assert Letter.objects.count() == 1  # the link only: there was no old address to tell


def test_an_email_of_another_login_is_refused_and_nothing_written(world, as_user):
    User.objects.filter(pk=world.head.pk).update(email="head@example.org")
    response = as_user(world.teacher).post(CONTACTS, {"phone": "", "email": "HEAD@example.org"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="id_email_error"' in text
    assert services.EMAIL_TAKEN_BY_LOGIN in text
    assert not EmailChange.objects.exists() and not Letter.objects.exists()


def test_an_email_of_another_person_is_refused(world, as_user):
    make_person(world.institution, "Занятова", email="busy@example.org")
    response = as_user(world.teacher).post(CONTACTS, {"phone": "", "email": "busy@example.org"})
    assert services.EMAIL_TAKEN_BY_PERSON in response.content.decode()
    assert not EmailChange.objects.exists()


def test_an_address_taken_while_the_link_waited_is_refused_at_confirmation(world, as_user):
    client = as_user(world.teacher)
    client.post(CONTACTS, {"phone": "", "email": "wanted@example.org"})
    change = EmailChange.objects.get()
    User.objects.filter(pk=world.head.pk).update(email="wanted@example.org")
    response = client.post(
        reverse("registry:my-email-confirm-post", args=[services.confirmation_token(change)]),
        follow=True,
    )
    assert services.EMAIL_TAKEN_BY_LOGIN in response.content.decode()
    world.teacher_person.refresh_from_db()
    assert world.teacher_person.email == ""


def test_the_email_cannot_be_removed_here(world, as_user):
    Person.objects.filter(pk=world.teacher_person.pk).update(email="smirnova@example.org")
    response = as_user(world.teacher).post(CONTACTS, {"phone": "", "email": ""})
    assert "Удалить адрес из реестра может куратор" in response.content.decode()


def test_a_newer_request_cancels_the_older_link(world, as_user):
    client = as_user(world.teacher)
    client.post(CONTACTS, {"phone": "", "email": "first@example.org"})
    client.post(CONTACTS, {"phone": "", "email": "second@example.org"})
    first, second = EmailChange.objects.order_by("requested_at", "id")
    assert (
        client.get(
            reverse("registry:my-email-confirm", args=[services.confirmation_token(first)])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("registry:my-email-confirm", args=[services.confirmation_token(second)])
        ).status_code
        == 200
    )


@override_settings(EMAIL_CHANGE_LINK_HOURS=0)
def test_an_expired_link_does_not_work(world, as_user):
    client = as_user(world.teacher)
    client.post(CONTACTS, {"phone": "", "email": "late@example.org"})
    token = services.confirmation_token(EmailChange.objects.get())
    response = client.post(reverse("registry:my-email-confirm-post", args=[token]))
    assert response.status_code == 404
    world.teacher_person.refresh_from_db()
    assert world.teacher_person.email == ""


def test_someone_elses_or_a_forged_link_does_not_work(world, as_user):
    as_user(world.teacher).post(CONTACTS, {"phone": "", "email": "mine@example.org"})
    token = services.confirmation_token(EmailChange.objects.get())
    mentor = as_user(world.mentor)
    assert mentor.get(reverse("registry:my-email-confirm", args=[token])).status_code == 404
    assert mentor.post(reverse("registry:my-email-confirm-post", args=[token])).status_code == 404
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    teacher = as_user(world.teacher)
    assert teacher.get(reverse("registry:my-email-confirm", args=[forged])).status_code == 404
    world.teacher_person.refresh_from_db()
    assert world.teacher_person.email == ""


def test_a_person_with_a_login_of_another_kindergarten_reaches_only_her_own(world, as_user):
    stranger = make_user(world.other_institution, "chuzhaya", person=world.other_person)
    client = as_user(stranger)
    assert client.get(CONTACTS).status_code == 200
    client.post(CONTACTS, {"phone": "8 812 417 33 20", "email": ""})
    world.other_person.refresh_from_db()
    world.teacher_person.refresh_from_db()
    assert world.other_person.phone == "+7 812 417-33-20"
    assert world.teacher_person.phone == ""
