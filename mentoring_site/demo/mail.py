"""The demo's letters: the load queued a letter for every notification of a person with an
address (the outbox, registry/services/mail.py). They go to example addresses, so they count as
sent when the load ends, and no task is left for the worker; one letter whose address the mail
server refused shows the sysadmin's «Письма»."""

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from registry.models import Letter


def settle_letters(*, institution) -> None:
    now = timezone.now()
    letters = Letter.objects.filter(institution=institution, status=Letter.Status.QUEUED)
    failed = letters.order_by("pk").first()
    letters.update(status=Letter.Status.SENT, sent_at=now, attempts=1)
    DBTaskResult.objects.filter(task_path="registry.services.mail.deliver_letters").delete()
    if failed is not None:
        Letter.objects.filter(pk=failed.pk).update(
            status=Letter.Status.FAILED,
            sent_at=None,
            attempts=6,
            last_error=f"SMTPRecipientsRefused: {failed.to}: 550 5.1.1 Mailbox unavailable",
        )
