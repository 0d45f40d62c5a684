"""The head's orders (приказы): numbered, dated, signed local acts (п. 3.1, п. 3.2, п. 6.2;
DOMAIN.md §4). A draft can change; a signed order never does — a mistake is mended by a new
order."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Order(models.Model):
    class Kind(models.TextChoices):
        REGULATION = "regulation", "Об утверждении Положения о системе наставничества"
        CURATOR = "curator", "О назначении куратора"
        CURATOR_RELIEF = "curator_relief", "Об освобождении от обязанностей куратора"
        ROADMAP = "roadmap", "Об утверждении дорожной карты (плана мероприятий)"
        COUNCIL = "council", "О составе методического совета наставников"
        GROUPS = "groups", "О закреплении наставнических пар/групп"
        REPLACEMENT = "replacement", "О замене наставника"
        RELIEF = "relief", "Об освобождении от обязанностей наставника"
        PROGRAM_CHANGE = "program_change", "О продлении (корректировке) программы наставничества"
        TERMINATION = "termination", "О досрочном прекращении наставничества"
        RELEASE = (
            "release",
            "Об освобождении от должностных обязанностей для участия в мероприятиях",
        )
        FINAL_EVENT = "final_event", "О проведении итогового мероприятия"
        REWARD = "reward", "О поощрении наставников"

    class Status(models.TextChoices):
        DRAFT = "draft", "проект"
        SIGNED = "signed", "подписан"

    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        related_name="orders",
    )
    kind = models.CharField("вид приказа", max_length=20, choices=Kind)
    status = models.CharField(
        "состояние", max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    number = models.CharField(
        "номер", max_length=20, blank=True, help_text="В формате учреждения, например «94/1»."
    )
    date = models.DateField("дата", null=True, blank=True)
    year = models.PositiveSmallIntegerField("год", null=True, blank=True, editable=False)
    title = models.CharField("заголовок", max_length=500)
    basis = models.TextField("основание", blank=True)
    items = models.JSONField(
        "пункты «ПРИКАЗЫВАЮ»", default=list, blank=True, help_text="Нумерованные пункты."
    )
    control_clause = models.CharField(
        "контроль исполнения",
        max_length=300,
        default="Контроль за исполнением настоящего приказа оставляю за собой.",
    )
    # People granted a role when the order is signed (curator, council composition).
    appointees = models.ManyToManyField(
        "registry.Person",
        verbose_name="назначаемые",
        blank=True,
        related_name="appointment_orders",
    )
    # The pairs and groups an order «О закреплении…» or «О замене наставника» is about. The
    # appendix shows their members as of the order's date (joined_on / left_on).
    covered_groups = models.ManyToManyField(
        "registry.MentoringGroup",
        verbose_name="пары и группы приказа",
        blank=True,
        related_name="orders",
    )
    acquainted = models.ManyToManyField(
        "registry.Person",
        verbose_name="с приказом ознакомлены",
        blank=True,
        related_name="acquainted_orders",
    )
    is_public = models.BooleanField(
        "публиковать в разделе «Наставничество»",
        default=False,
        help_text="Подписанный приказ появится среди локальных актов на сайте.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="подготовил",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("создан", default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="подписал",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField("подписан", null=True, blank=True)

    class Meta:
        verbose_name = "приказ"
        verbose_name_plural = "приказы"
        ordering = ["-date", "-signed_at", "-created_at"]
        constraints = [
            # An order number is unique per institution and year (DOMAIN.md §3).
            models.UniqueConstraint(
                fields=["institution", "year", "number"],
                condition=Q(status="signed"),
                name="order_number_unique_per_year",
                violation_error_message="Приказ с таким номером в этом году уже есть.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(date__isnull=False) & Q(year__isnull=False) & ~Q(number="")),
                name="order_signed_has_number_and_date",
                violation_error_message="У подписанного приказа должны быть номер и дата.",
            ),
        ]
        indexes = [
            # The register lists one institution's orders by year and kind.
            models.Index(fields=["institution", "year", "kind"], name="order_register"),
        ]

    def __str__(self):
        return self.title_with_number

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    @property
    def title_with_number(self) -> str:
        if self.is_signed:
            return f"Приказ от {self.date:%d.%m.%Y} № {self.number} «{self.title}»"
        return f"Проект приказа «{self.title}»"
