"""The outbox (issue 20): every letter is written in the transaction of the event that causes it
and sent by the background worker with retries and backoff; nothing is sent from inside a
request; failed letters wait for the sysadmin, who sends them again; password reset is throttled
per address and per client."""

import logging
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from registry.models import Letter
from registry.services import mail as outbox
from registry.services.notifications import notify
from tests.factories import make_institution, make_user
from tests.programs.test_execution import make_program
from tests.tasks import run_tasks

DELAYS = (1, 5, 30, 120, 720)


def with_email(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


def refusing_server():
    """The mail server refuses every letter."""
    error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    return mock.patch("django.core.mail.EmailMessage.send", side_effect=error)


def make_due(letter):
    """Moves the deferred retry of ``letter`` to now, as time passing would."""
    DBTaskResult.objects.filter(finished_at__isnull=True).update(run_after=timezone.now())
    Letter.objects.filter(pk=letter.pk).update(next_attempt_at=timezone.now())


def test_a_notification_writes_its_letter_and_the_workers_task_in_one_transaction(world):
    with_email(world.mentor, "mentor@example.org")
    notify(users=[world.mentor], text="Пара предложена", url="/groups/1/")
    letter = Letter.objects.get()
    assert (letter.to, letter.status, letter.user, letter.institution) == (
        "mentor@example.org",
        Letter.Status.QUEUED,
        world.mentor,
        world.institution,
    )
    assert "Пара предложена" in letter.body and "/groups/1/" in letter.body
    assert mail.outbox == []  # nothing sent yet: the worker sends it
    assert DBTaskResult.objects.count() == 1
    assert run_tasks() == 1
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT and letter.sent_at is not None
    assert [m.to for m in mail.outbox] == [["mentor@example.org"]]


def test_a_change_that_rolls_back_leaves_no_letter_and_no_task(world):
    with_email(world.mentor, "mentor@example.org")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(users=[world.mentor], text="Пара предложена")
        raise RuntimeError
    assert not Letter.objects.exists()
    assert not DBTaskResult.objects.exists()
    run_tasks()
    assert mail.outbox == []


def test_nothing_is_sent_from_inside_a_request(world, as_user):
    """The mentee comments on her program, which notifies her mentor: the request answers at
    once without touching the mail server, which here refuses everything."""
    program = make_program(world)
    with_email(world.mentor, "mentor@example.org")
    with refusing_server() as send:
        response = as_user(world.mentee).post(
            reverse("programs:comment-create", args=[program.pk]), {"text": "Вопрос по плану"}
        )
    assert response.status_code == 302
    send.assert_not_called()
    assert Letter.objects.get().to == "mentor@example.org"
    run_tasks()
    assert [m.to for m in mail.outbox] == [["mentor@example.org"]]


def test_a_failed_letter_is_retried_with_backoff_then_waits_for_the_sysadmin(world, caplog):
    with_email(world.mentor, "mentor@example.org")
    notify(users=[world.mentor], text="Проверка")
    letter = Letter.objects.get()
    caplog.set_level(logging.WARNING, logger="mentoring.mail")
    with refusing_server():
        for attempt, minutes in enumerate(DELAYS, start=1):
            before = timezone.now()
            run_tasks()
            letter.refresh_from_db()
            assert letter.status == Letter.Status.QUEUED
            assert letter.attempts == attempt
            assert "SMTPServerDisconnected" in letter.last_error
            expected = before + timedelta(minutes=minutes)
            assert abs(letter.next_attempt_at - expected) < timedelta(seconds=30)
            assert run_tasks() == 0  # the retry is not due yet
            make_due(letter)
        run_tasks()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.FAILED
    assert letter.attempts == len(DELAYS) + 1
    assert mail.outbox == []
    assert any("failed after 6 attempts" in r.getMessage() for r in caplog.records)


def test_a_letter_queued_twice_is_sent_once(world):
    with_email(world.mentor, "mentor@example.org")
    notify(users=[world.mentor], text="Проверка")
    letter = Letter.objects.get()
    outbox.deliver_letters.enqueue([letter.pk])  # a second task for the same letter
    run_tasks()
    assert len(mail.outbox) == 1


def failed_letter(world, to="teacher@example.org", institution=None):
    return Letter.objects.create(
        institution=institution or world.institution,
        to=to,
        subject="Наставничество: проверка",
        body="Текст",
        status=Letter.Status.FAILED,
        attempts=6,
        last_error="SMTPRecipientsRefused",
    )


def test_the_sysadmin_sees_failed_letters_and_sends_one_again(world, as_user):
    letter = failed_letter(world)
    sent = Letter.objects.create(
        institution=world.institution, to="ok@example.org", subject="Ушло", body="-", status="sent"
    )
    client = as_user(world.sysadmin)
    page = client.get(reverse("registry:letter-list")).content.decode()
    assert "teacher@example.org" in page and "SMTPRecipientsRefused" in page
    assert "ok@example.org" not in page  # the first view shows what failed
    assert "ok@example.org" in client.get(reverse("registry:letter-list") + "?state=all").text
    response = client.post(reverse("registry:letter-resend", args=[letter.pk]), follow=True)
    assert "Письмо на teacher@example.org поставлено в очередь на отправку." in response.text
    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == (Letter.Status.QUEUED, 0)
    run_tasks()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    assert [m.to for m in mail.outbox] == [["teacher@example.org"]]
    # A letter already sent is not sent again.
    client.post(reverse("registry:letter-resend", args=[sent.pk]))
    run_tasks()
    assert len(mail.outbox) == 1


def test_the_sysadmin_sends_all_failed_letters_again(world, as_user):
    letters = [failed_letter(world, f"t{n}@example.org") for n in range(3)]
    response = as_user(world.sysadmin).post(reverse("registry:letters-resend-failed"), follow=True)
    assert "Писем поставлено в очередь на отправку: 3." in response.text
    assert run_tasks() == 1  # one task for the three
    assert sorted(m.to[0] for m in mail.outbox) == sorted(letter.to for letter in letters)


def test_the_sysadmins_home_counts_failed_letters(world, as_user):
    failed_letter(world)
    page = as_user(world.sysadmin).get(reverse("role-home", args=["sysadmin"])).text
    assert "письмо не отправлено" in page  # one letter: «1 письмо», not «1 писем»
    assert reverse("registry:letter-list") + "?state=failed" in page


def test_the_sysadmin_of_another_kindergarten_sees_none_of_ours(world, as_user):
    ours = failed_letter(world, "ours@example.org")
    client = as_user(world.outsider)  # head, curator and sysadmin of kindergarten № 65
    assert "ours@example.org" not in client.get(reverse("registry:letter-list")).text
    assert client.post(reverse("registry:letter-resend", args=[ours.pk])).status_code == 404
    client.post(reverse("registry:letters-resend-failed"))
    ours.refresh_from_db()
    assert ours.status == Letter.Status.FAILED


def test_another_institutions_letters_are_neither_shown_nor_sent(world, as_user):
    theirs = failed_letter(world, "theirs@example.org", institution=world.other_institution)
    client = as_user(world.sysadmin)
    assert "theirs@example.org" not in client.get(reverse("registry:letter-list")).text
    assert client.post(reverse("registry:letter-resend", args=[theirs.pk])).status_code == 404
    client.post(reverse("registry:letters-resend-failed"))
    theirs.refresh_from_db()
    assert theirs.status == Letter.Status.FAILED


@pytest.mark.parametrize("role", ["head", "curator", "council", "mentor", "teacher"])
def test_only_the_sysadmin_opens_the_letters(world, as_user, role):
    letter = failed_letter(world)
    client = as_user(world.user(role))
    assert client.get(reverse("registry:letter-list")).status_code == 404
    assert client.post(reverse("registry:letter-resend", args=[letter.pk])).status_code == 404


# --- Password reset: through the outbox, throttled ---------------------------------------------


def test_password_reset_goes_through_the_outbox(world, client):
    with_email(world.curator, "curator@example.org")
    response = client.post(reverse("password_reset"), {"email": "curator@example.org"})
    assert response.status_code == 302
    letter = Letter.objects.get()
    assert (letter.to, letter.user) == ("curator@example.org", world.curator)
    assert "Смена пароля" in letter.subject
    assert mail.outbox == []
    run_tasks()
    assert "/password/reset/" in mail.outbox[0].body


@override_settings(PASSWORD_RESET_PER_ADDRESS=3)
def test_password_reset_sends_at_most_three_letters_an_hour_to_one_address(world, client, caplog):
    with_email(world.curator, "curator@example.org")
    caplog.set_level(logging.INFO, logger="mentoring.security")
    for _ in range(5):
        response = client.post(
            reverse("password_reset"), {"email": "Curator@Example.org"}, REMOTE_ADDR="10.0.0.1"
        )
        # The same answer every time: the form tells nothing about the address.
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
    assert Letter.objects.count() == 3
    throttled = [r for r in caplog.records if "password_reset_throttled" in r.getMessage()]
    assert len(throttled) == 2 and "scope=address" in throttled[0].getMessage()
    assert "curator@example.org" not in throttled[0].getMessage().casefold()


@override_settings(PASSWORD_RESET_PER_CLIENT=10, PASSWORD_RESET_PER_ADDRESS=100)
def test_password_reset_answers_429_after_ten_requests_from_one_client(db, client):
    users = [with_email(make_user_for_reset(n), f"user{n}@example.org") for n in range(11)]
    answers = [
        client.post(
            reverse("password_reset"), {"email": user.email}, REMOTE_ADDR="203.0.113.9"
        ).status_code
        for user in users
    ]
    assert answers == [302] * 10 + [429]
    assert Letter.objects.count() == 10
    last = client.post(
        reverse("password_reset"), {"email": "user0@example.org"}, REMOTE_ADDR="203.0.113.9"
    )
    assert "Слишком много запросов на восстановление пароля" in last.text
    other = client.post(
        reverse("password_reset"), {"email": "user0@example.org"}, REMOTE_ADDR="198.51.100.1"
    )
    assert other.status_code == 302  # another client is not held back


def make_user_for_reset(number):
    institution = make_institution(f"ГБДОУ № {100 + number}")
    return make_user(institution, f"reset{number}")
