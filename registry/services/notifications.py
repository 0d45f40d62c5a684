"""Notifications: a row in the person's in-app list and an e-mail (console by default)."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from registry.models import Notification, User


def notify(*, users: Iterable[User], text: str, url: str = "") -> list[Notification]:
    """Creates one notification per active user and mails those with an address once the
    surrounding transaction commits (nothing is mailed for a change that rolled back)."""
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    rows = Notification.objects.bulk_create(
        [Notification(user=user, text=text, url=url) for user in recipients.values()]
    )
    messages = [
        (
            "Наставничество: " + text[:120],
            f"{text}\n\n{settings.SITE_URL}{url}\n\nЭто письмо отправлено реестром наставничества.",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        for user in recipients.values()
        if user.email
    ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return rows
