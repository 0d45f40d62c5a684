"""Decisions given on paper by participants who have no login (issue 16, part 3).

A teacher without an account cannot click «Подтвердить участие»: she signs a printed form and
the curator records her decision on her behalf, with the date she signed it and either the
signed scan or the note that the original stays with the curator. The decision then works as if
she had answered herself (п. 6.2); the row keeps who recorded it and for whom.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def paper_upload_to(instance, filename):
    # The stored name holds no surname: the uploaded file is renamed «paper.<kind>» by the form.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"paper/{instance.person.institution_id}/{timezone.now():%Y/%m}/{instance.kind}.{suffix}"


class PaperDecision(models.Model):
    class Kind(models.TextChoices):
        GROUP_RESPONSE = "group_response", "ответ на предложение пары (группы), п. 6.2"
        TERM_AGREEMENT = "term_agreement", "согласие на изменение срока программы, п. 7.2"
        ORDER_ACQUAINTANCE = "order_acquaintance", "ознакомление с приказом"
        PROGRAM_ACQUAINTANCE = (
            "program_acquaintance",
            "ознакомление с программой наставничества",
        )

    person = models.ForeignKey(
        "registry.Person",
        verbose_name="участник",
        on_delete=models.CASCADE,
        related_name="paper_decisions",
    )
    kind = models.CharField("решение", max_length=30, choices=Kind)
    group = models.ForeignKey(
        "registry.MentoringGroup",
        verbose_name="пара (группа)",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="paper_decisions",
    )
    order = models.ForeignKey(
        "registry.Order",
        verbose_name="приказ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paper_decisions",
    )
    # A string reference: programs is a sibling app (pyproject.toml [tool.importlinter]).
    program = models.ForeignKey(
        "programs.Program",
        verbose_name="программа наставничества",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paper_decisions",
    )
    agreed = models.BooleanField("согласие дано")
    comment = models.TextField("комментарий", blank=True)
    decided_on = models.DateField("дата на бланке")
    scan = models.FileField("скан подписанного бланка", upload_to=paper_upload_to, blank=True)
    original_with_curator = models.BooleanField("оригинал хранится у куратора", default=False)
    # 152-ФЗ ст. 21: the scan is destroyed with the person's data when the consent is withdrawn
    # (registry/services/personal_data.py); the decision's effect stays.
    scan_destroyed_on = models.DateField("скан уничтожен", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем внесено",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("внесено", auto_now_add=True)
    # A group corrected after this answer (participants or term) asks everyone again: the
    # answer is kept, marked as no longer in force, and a new one may be recorded.
    superseded_on = models.DateField("утратило силу после исправления", null=True, blank=True)

    class Meta:
        verbose_name = "решение на бумаге"
        verbose_name_plural = "решения на бумаге"
        ordering = ["-recorded_at", "-id"]
        constraints = [
            # A paper decision is backed by something: the scan or the original at the curator
            # (or the scan was destroyed with the person's data).
            models.CheckConstraint(
                condition=~Q(scan="")
                | Q(original_with_curator=True)
                | Q(scan_destroyed_on__isnull=False),
                name="paper_decision_has_scan_or_original",
                violation_error_message="Загрузите скан подписанного бланка или отметьте, "
                "что оригинал хранится у куратора.",
            ),
            # A pair's answer is given once per person: the second would contradict the first.
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(kind="group_response", superseded_on__isnull=True),
                name="paper_group_response_once",
                violation_error_message="Решение этого участника уже внесено.",
            ),
            models.UniqueConstraint(
                fields=["order", "person"],
                condition=Q(kind="order_acquaintance"),
                name="paper_order_acquaintance_once",
                violation_error_message="Ознакомление этого участника уже внесено.",
            ),
            models.UniqueConstraint(
                fields=["program", "person"],
                condition=Q(kind="program_acquaintance"),
                name="paper_program_acquaintance_once",
                violation_error_message="Ознакомление этого участника с программой уже внесено.",
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()}"

    @property
    def source_text(self) -> str:
        """«скан» or «оригинал у куратора»: what backs the decision."""
        return "скан" if self.scan else "оригинал хранится у куратора"
