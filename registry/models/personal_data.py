"""Personal-data duties of the operator (152-ФЗ): the act of destruction (ст. 21 ч. 5, 7;
Приказ Роскомнадзора от 28.10.2022 № 179, п. 3) written when a person's data is anonymized
after the processing consent was withdrawn. The act keeps the person's name on purpose: the
order requires it, and it is itself kept three years and then deleted."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

ACT_RETENTION_YEARS = 3


def three_years_after(day: date) -> date:
    try:
        return day.replace(year=day.year + ACT_RETENTION_YEARS)
    except ValueError:  # 29 February
        return day.replace(year=day.year + ACT_RETENTION_YEARS, day=28)


class DestructionAct(models.Model):
    """Акт об уничтожении (обезличивании) персональных данных."""

    class Reason(models.TextChoices):
        CONSENT_WITHDRAWN = "consent_withdrawn", "отзыв согласия на обработку (152-ФЗ, ст. 21 ч. 5)"
        PURPOSE_ACHIEVED = "purpose_achieved", "достижение цели обработки (152-ФЗ, ст. 21 ч. 4)"

    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="оператор",
        on_delete=models.PROTECT,
        related_name="destruction_acts",
    )
    number = models.PositiveIntegerField("номер акта")
    # Who the data belonged to, as the act must name them; the person record itself is
    # anonymized and keeps only what the statistics need.
    subject_name = models.CharField("субъект персональных данных", max_length=310)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name="обезличенная запись",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    categories = models.JSONField("категории уничтоженных данных", default=list)
    system = models.CharField("информационная система", max_length=300)
    method = models.CharField("способ", max_length=300)
    reason = models.CharField("основание", max_length=30, choices=Reason)
    consent_withdrawn_on = models.DateField("дата отзыва согласия", null=True, blank=True)
    destroyed_on = models.DateField("дата уничтожения")
    files_deleted = models.PositiveIntegerField("удалено файлов", default=0)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем выполнено",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Пусто, если выполнено ежедневной задачей.",
    )
    keep_until = models.DateField("хранить до")
    # What else was destroyed (issue 17, item 3): how many records of each kind lost the
    # mentions of the person, and the extract from the event log (Приказ Роскомнадзора № 179,
    # п. 3): the trail's entries of the destruction — what, when, by whom — without the values.
    texts_rewritten = models.JSONField(
        "записи, из которых удалены упоминания субъекта", default=dict, blank=True
    )
    log_extract = models.JSONField(
        "выписка из журнала регистрации событий", default=list, blank=True
    )

    class Meta:
        verbose_name = "акт об уничтожении персональных данных"
        verbose_name_plural = "акты об уничтожении персональных данных"
        ordering = ["-destroyed_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "number"], name="destruction_act_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(keep_until__gt=models.F("destroyed_on")),
                name="destruction_act_kept_after_destruction",
            ),
        ]

    def __str__(self):
        return f"Акт № {self.number} от {self.destroyed_on:%d.%m.%Y}"
