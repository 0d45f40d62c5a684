"""The first sign-in of imported staff (issue 16): one-time invitation codes, and the change of
one's own e-mail address waiting for the confirmation link."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

# Wrong codes typed for one login before its code is blocked (a new one must be issued).
MAX_FAILED_ATTEMPTS = 5


class InvitationCode(models.Model):
    """A one-time code that lets a person without a password set one («Вход по коду
    приглашения»). Only its hash is kept; the clear code is printed once on the invitation
    sheet and sent in the invitation letter. A login has at most one open code: issuing a new
    one closes the previous one (``revoked_at``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="учётная запись",
        on_delete=models.CASCADE,
        related_name="invitation_codes",
    )
    code_hash = models.CharField("хеш кода", max_length=200)
    created_at = models.DateTimeField("выдан", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем выдан",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField("действует до")
    failed_attempts = models.PositiveSmallIntegerField("неверных попыток", default=0)
    used_at = models.DateTimeField("использован", null=True, blank=True)
    revoked_at = models.DateTimeField("заменён новым", null=True, blank=True)

    class Meta:
        verbose_name = "код приглашения"
        verbose_name_plural = "коды приглашения"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="invitation_code_one_open_per_login",
                violation_error_message="У этой учётной записи уже есть действующий код.",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="invitation_code_expires_after_issue",
                violation_error_message="Код должен действовать после выдачи.",
            ),
            models.CheckConstraint(
                condition=Q(failed_attempts__lte=MAX_FAILED_ATTEMPTS),
                name="invitation_code_attempts_limit",
                violation_error_message="Неверных попыток не больше пяти.",
            ),
        ]

    def __str__(self):
        return f"Код приглашения для {self.user}"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_blocked(self) -> bool:
        return self.failed_attempts >= MAX_FAILED_ATTEMPTS

    @property
    def is_usable(self) -> bool:
        return self.is_open and not self.is_expired and not self.is_blocked


class EmailChange(models.Model):
    """A person's request to change their own e-mail address: the new address replaces the old
    one on the person and on the login only after the link sent to it is opened."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name="участник",
        on_delete=models.CASCADE,
        related_name="email_changes",
    )
    old_email = models.EmailField("прежний e-mail", blank=True)
    new_email = models.EmailField("новый e-mail")
    requested_at = models.DateTimeField("запрошено", default=timezone.now)
    confirmed_at = models.DateTimeField("подтверждено", null=True, blank=True)

    class Meta:
        verbose_name = "смена e-mail"
        verbose_name_plural = "смены e-mail"
        ordering = ["-requested_at", "-id"]
        constraints = [
            # Both addresses are empty only after the person's data were anonymized.
            models.CheckConstraint(
                condition=Q(new_email="") | ~Q(new_email=F("old_email")),
                name="email_change_to_another_address",
                violation_error_message="Новый адрес совпадает с прежним.",
            ),
        ]

    def __str__(self):
        return f"Смена e-mail: {self.person}"
