"""Notifications: a row in the person's in-app list and a letter through the outbox (console by
default; ``registry/services/mail.py``)."""

from collections.abc import Iterable

from django.conf import settings

from registry.models import Letter, Notification, User
from registry.roles import forget_navigation
from registry.services.mail import letters_queue

FOOTER = "Это письмо отправлено реестром наставничества."


def notify(*, users: Iterable[User], text: str, url: str = "") -> list[Notification]:
    """Creates one notification per active user and a letter for those with an address, in the
    surrounding transaction (nothing is mailed for a change that rolled back)."""
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    rows = Notification.objects.bulk_create(
        [Notification(user=user, text=text, url=url) for user in recipients.values()]
    )
    forget_navigation(recipients)  # the unread count in their menus (bulk_create sends no signal)
    letters_queue(
        Letter(
            institution_id=user.institution_id,
            user=user,
            to=user.email,
            subject="Наставничество: " + text[:120],
            body=f"{text}\n\n{settings.SITE_URL}{url}\n\n{FOOTER}",
        )
        for user in recipients.values()
        if user.email
    )
    return rows
