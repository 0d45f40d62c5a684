"""The register of data subjects' written requests (152-ФЗ ст. 14, 20, 21): what was asked, when
it arrived, the deadline in working days, and the answer."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class SubjectRequest(models.Model):
    """Запрос (обращение, требование) субъекта персональных данных."""

    class Kind(models.TextChoices):
        ACCESS = "access", "о сведениях об обработке его данных (ст. 14 ч. 7, ст. 20 ч. 1)"
        CORRECTION = (
            "correction",
            "об уточнении неполных, неточных или устаревших данных (ст. 14 ч. 1, ст. 20 ч. 3)",
        )
        DESTRUCTION = (
            "destruction",
            "об уничтожении незаконно полученных или ненужных данных (ст. 20 ч. 3)",
        )
        UNLAWFUL = "unlawful", "о неправомерной обработке (ст. 21 ч. 1, 3)"
        STOP = "stop", "о прекращении обработки (ст. 21 ч. 5.1)"

    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="оператор",
        on_delete=models.PROTECT,
        related_name="subject_requests",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name="участник в реестре",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subject_requests",
    )
    # As the request is signed: the person may be in no bank, or anonymized since.
    subject_name = models.CharField("от кого (ФИО)", max_length=310)
    kind = models.CharField("о чём", max_length=20, choices=Kind)
    summary = models.TextField("содержание запроса")
    received_on = models.DateField("дата получения")
    deadline = models.DateField("срок ответа")
    extended_on = models.DateField("срок продлён", null=True, blank=True)
    extension_reason = models.TextField("причина продления", blank=True)
    answered_on = models.DateField("дата ответа", null=True, blank=True)
    answer = models.TextField("ответ", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем внесён",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("внесён", auto_now_add=True)

    class Meta:
        verbose_name = "запрос субъекта персональных данных"
        verbose_name_plural = "запросы субъектов персональных данных"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["institution", "answered_on", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("received_on")),
                name="subject_request_deadline_after_receipt",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("received_on")),
                name="subject_request_answered_after_receipt",
                violation_error_message="Дата ответа не может быть раньше даты получения.",
            ),
            models.CheckConstraint(
                condition=Q(extended_on__isnull=True) | ~Q(extension_reason=""),
                name="subject_request_extension_has_reason",
                violation_error_message="Укажите причину продления срока.",
            ),
        ]

    def __str__(self):
        return f"Запрос от {self.received_on:%d.%m.%Y} ({self.subject_name})"
