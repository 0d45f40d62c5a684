"""In-app notifications; each is also sent by e-mail through the outbox (console by default)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кому",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    text = models.CharField("текст", max_length=500)
    url = models.CharField("ссылка", max_length=300, blank=True)
    created_at = models.DateTimeField("когда", default=timezone.now)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The navbar counts a user's unread notifications on every page.
            models.Index(fields=["user", "read_at"], name="notification_unread"),
        ]

    def __str__(self):
        return self.text


class Letter(models.Model):
    """A letter in the outbox (issue 20): written in the same transaction as the event that
    causes it, sent by the background worker (``registry/tasks.py``) with retries and backoff,
    never from inside a request. Failed letters wait for the sysadmin («Письма»)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "ждёт отправки"
        SENDING = "sending", "отправляется"
        SENT = "sent", "отправлено"
        FAILED = "failed", "не отправлено"

    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the first column of the index below
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кому (учётная запись)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
    )
    to = models.EmailField("адрес")
    subject = models.CharField("тема", max_length=200)
    body = models.TextField("текст")
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    last_error = models.CharField("последняя ошибка", max_length=300, blank=True)
    created_at = models.DateTimeField("создано", default=timezone.now)
    next_attempt_at = models.DateTimeField("следующая попытка", null=True, blank=True)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)

    class Meta:
        verbose_name = "письмо"
        verbose_name_plural = "письма"
        ordering = ["-created_at", "-id"]
        indexes = [
            # «Письма» of one institution, newest first, by state.
            models.Index(fields=["institution", "status", "-created_at"], name="letter_state"),
        ]

    def __str__(self):
        return self.subject
