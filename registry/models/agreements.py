"""The mentor's supplementary agreement to the employment contract (ТК РФ ст. 351.8, in force
since 01.03.2025): mentoring is assigned with the employee's written consent by an agreement that
states the content of the mentoring work, its term, its form and its pay. Either side may end it
early with three working days' written notice.

draft (generated, ready to sign) → signed (number and date entered after signing on paper) →
ended (early by either side with notice, by the order that replaces the mentor, or with the
program's end, п. 7.1). An extension
of the program (п. 7.2) amends a signed agreement (``AgreementAmendment``).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class MentoringAgreement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "проект"
        SIGNED = "signed", "подписано"
        ENDED = "ended", "прекращено"

    class EndedBy(models.TextChoices):
        EMPLOYER = "employer", "по инициативе работодателя"
        MENTOR = "mentor", "по инициативе наставника"
        ORDER = "order", "приказом (замена наставника)"
        # п. 7.1: the program ended (completed or terminated early), and the mentoring work with it.
        PROGRAM = (
            "program",
            "в связи с окончанием наставничества (программа завершена / прекращена)",
        )

    # Draft and signed agreements are in force or about to be; one per mentor and group.
    LIVE_STATUSES = (Status.DRAFT, Status.SIGNED)
    # Signed on paper: in force, or ended since.
    SIGNED_STATUSES = (Status.SIGNED, Status.ENDED)

    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        related_name="mentoring_agreements",
    )
    group = models.ForeignKey(
        "registry.MentoringGroup",
        verbose_name="пара (группа)",
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    mentor = models.ForeignKey(
        "registry.Person",
        verbose_name="наставник",
        on_delete=models.PROTECT,
        related_name="mentoring_agreements",
    )
    status = models.CharField(
        "состояние", max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    number = models.CharField(
        "номер", max_length=30, blank=True, help_text="Как в подписанном экземпляре."
    )
    date = models.DateField("дата подписания", null=True, blank=True)
    content = models.TextField(
        "содержание наставнической работы",
        help_text="Что наставник делает: виды и направления наставничества, наставляемые.",
    )
    starts_on = models.DateField("начало наставничества")
    ends_on = models.DateField("окончание наставничества")
    form = models.ForeignKey(
        "registry.MentoringForm", verbose_name="форма наставничества", on_delete=models.PROTECT
    )
    pay_amount = models.DecimalField(
        "доплата, руб. в месяц",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    pay_percent = models.DecimalField(
        "доплата, % оклада",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="подготовил",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("подготовлено", default=timezone.now)
    signed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="внёс сведения о подписании",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_by = models.CharField(
        "прекращено", max_length=10, choices=EndedBy, blank=True, default=""
    )
    notice_on = models.DateField("дата письменного уведомления", null=True, blank=True)
    ended_on = models.DateField("дата прекращения", null=True, blank=True)
    ended_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="внёс прекращение",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    end_note = models.TextField("основание прекращения", blank=True)

    class Meta:
        verbose_name = "дополнительное соглашение о наставничестве"
        verbose_name_plural = "дополнительные соглашения о наставничестве"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(pay_amount__isnull=False) & Q(pay_percent__isnull=True))
                | (Q(pay_amount__isnull=True) & Q(pay_percent__isnull=False)),
                name="agreement_pay_amount_or_share",
                violation_error_message="Укажите доплату либо суммой в рублях, "
                "либо процентом оклада — одно из двух.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="agreement_end_after_start",
                violation_error_message="Окончание наставничества должно быть позже начала.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(date__isnull=False) & ~Q(number="")),
                name="agreement_signed_has_number_and_date",
                violation_error_message="У подписанного соглашения должны быть номер и дата.",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | (Q(ended_on__isnull=False) & ~Q(ended_by="")),
                name="agreement_ended_has_date",
                violation_error_message="У прекращённого соглашения должны быть дата и сторона.",
            ),
            # ТК РФ ст. 351.8: one agreement per mentor for the group while it is in force.
            models.UniqueConstraint(
                fields=["group", "mentor"],
                condition=Q(status__in=["draft", "signed"]),
                name="agreement_one_live_per_mentor",
                violation_error_message="У наставника уже есть соглашение по этой паре (группе).",
            ),
        ]
        indexes = [
            # The register lists one institution's agreements by state.
            models.Index(fields=["institution", "status"], name="agreement_register"),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if self.number and self.date:
            return f"Дополнительное соглашение № {self.number} от {self.date:%d.%m.%Y}"
        return "Проект дополнительного соглашения"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    @property
    def is_ended(self) -> bool:
        return self.status == self.Status.ENDED

    @property
    def pay_text(self) -> str:
        """«5 000,00 руб. в месяц» or «15 % оклада»."""
        if self.pay_amount is not None:
            whole = f"{self.pay_amount:,.2f}".replace(",", " ").replace(".", ",")
            return f"{whole} руб. в месяц"
        if self.pay_percent is not None:
            share = f"{self.pay_percent.normalize():f}".replace(".", ",")
            return f"{share} % должностного оклада"
        return ""


class AgreementAmendment(models.Model):
    """A change of a signed agreement: an extension of the program (п. 7.2) moves its end."""

    agreement = models.ForeignKey(
        MentoringAgreement,
        verbose_name="соглашение",
        on_delete=models.CASCADE,
        related_name="amendments",
    )
    previous_end = models.DateField("прежнее окончание")
    new_end = models.DateField("новое окончание")
    reason = models.TextField("основание")
    order = models.ForeignKey(
        "registry.Order",
        verbose_name="приказ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_amendments",
    )
    made_on = models.DateField("дата изменения")
    created_at = models.DateTimeField("внесено", default=timezone.now)

    class Meta:
        verbose_name = "изменение дополнительного соглашения"
        verbose_name_plural = "изменения дополнительных соглашений"
        ordering = ["made_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(new_end=F("previous_end")),
                name="amendment_changes_the_end",
                violation_error_message="Новое окончание совпадает с прежним.",
            ),
        ]

    def __str__(self):
        return f"Изменение от {self.made_on:%d.%m.%Y}: окончание {self.new_end:%d.%m.%Y}"

    @property
    def sequence(self) -> int:
        """Its number among the agreement's changes (1, 2, …), from the prefetched list."""
        return [a.pk for a in self.agreement.amendments.all()].index(self.pk) + 1
