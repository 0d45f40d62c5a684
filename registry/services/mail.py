"""The outbox (issue 20): every letter the registry sends is a ``Letter`` row written in the same
transaction as the event that causes it, and a task of the background worker sends it
(``deliver_letters``; the task is a row of the same database, so a change that rolls back
leaves neither). Nothing is sent from inside a request: a mail server that is slow or down
slows no page and loses no letter. A letter that fails is tried again after the delays of
``MAIL_RETRY_MINUTES``; after the last one it waits for the sysadmin («Письма»)."""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from registry.models import Letter

logger = logging.getLogger("mentoring.mail")

# A letter left «sending» this long belongs to a worker that died: it may be sent again.
STUCK_AFTER = timedelta(minutes=10)


def letters_queue(letters: Iterable[Letter]) -> list[Letter]:
    """Writes the letters and the worker's task to send them, in the caller's transaction (two
    INSERTs, no savepoint of their own)."""
    letters = list(letters)
    if not letters:
        return []
    with transaction.atomic(savepoint=False):
        letters = Letter.objects.bulk_create(letters)
        deliver_letters.enqueue([letter.pk for letter in letters])
    return letters


def letter_queue(*, to: str, subject: str, body: str, user=None, institution=None) -> Letter:
    if institution is None and user is not None:
        institution = user.institution
    (letter,) = letters_queue(
        [Letter(to=to, subject=subject, body=body, user=user, institution=institution)]
    )
    return letter


def _claim(letter_id: int) -> Letter | None:
    """Marks a queued letter as being sent by this worker: a conditional UPDATE, so a letter
    queued twice (a resend) is sent once."""
    taken = Letter.objects.filter(pk=letter_id, status=Letter.Status.QUEUED).update(
        status=Letter.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=None
    )
    return Letter.objects.get(pk=letter_id) if taken else None


def _send(letter: Letter) -> None:
    EmailMessage(letter.subject, letter.body, settings.DEFAULT_FROM_EMAIL, [letter.to]).send(
        fail_silently=False
    )


def _failed(letter: Letter, error: Exception) -> None:
    delays = settings.MAIL_RETRY_MINUTES
    reason = f"{type(error).__name__}: {error}"[:300]
    if letter.attempts <= len(delays):
        retry_at = timezone.now() + timedelta(minutes=delays[letter.attempts - 1])
        Letter.objects.filter(pk=letter.pk).update(
            status=Letter.Status.QUEUED, last_error=reason, next_attempt_at=retry_at
        )
        deliver_letters.using(run_after=retry_at).enqueue([letter.pk])
        logger.warning("letter=%s attempt=%s retry_at=%s", letter.pk, letter.attempts, retry_at)
    else:
        Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.FAILED, last_error=reason)
        logger.error("letter=%s failed after %s attempts", letter.pk, letter.attempts)


@task()
def deliver_letters(letter_ids: list[int]) -> int:
    """The worker's task (``manage.py db_worker``): sends the letters still queued; returns
    how many went."""
    sent = 0
    for letter_id in letter_ids:
        letter = _claim(letter_id)
        if letter is None:
            continue
        try:
            _send(letter)
        except Exception as error:  # any failure of the mail server: SMTP, network, TLS
            _failed(letter, error)
        else:
            Letter.objects.filter(pk=letter.pk).update(
                status=Letter.Status.SENT, sent_at=timezone.now(), last_error=""
            )
            sent += 1
    return sent


def may_resend(letter: Letter) -> bool:
    if letter.status == Letter.Status.FAILED:
        return True
    return letter.status == Letter.Status.SENDING and (
        letter.next_attempt_at is None and letter.created_at < timezone.now() - STUCK_AFTER
    )


@transaction.atomic
def letters_resend(*, letters: Iterable[Letter]) -> int:
    """The sysadmin sends failed letters again: queued anew with their attempts counted from
    nothing, for the worker to send."""
    ids = [letter.pk for letter in letters if may_resend(letter)]
    if not ids:
        return 0
    Letter.objects.filter(pk__in=ids).update(
        status=Letter.Status.QUEUED, attempts=0, next_attempt_at=None
    )
    deliver_letters.enqueue(ids)
    return len(ids)
