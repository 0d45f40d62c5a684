"""In-app notifications; each is also sent by e-mail (console by default)."""

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
