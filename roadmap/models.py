"""The roadmap (дорожная карта, план мероприятий): the institution's plan for an academic year
in seven stages (Приложение 2). The curator develops it (п. 3.3), the head approves it with an
order (п. 3.2). Progress is computed from the registry's data wherever it knows the facts
(``roadmap.progress``); the rest the curator marks done with evidence.
"""

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def activity_upload_to(instance, filename):
    """Server-made names under the institution's folder; served only through a view."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"roadmap/{instance.stage.roadmap.institution_id}/{secrets.token_hex(8)}.{suffix}"


class Roadmap(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "проект"
        SUBMITTED = "submitted", "на утверждении у заведующего"
        APPROVED = "approved", "утверждена"

    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        related_name="roadmaps",
    )
    year_start = models.PositiveSmallIntegerField(
        "учебный год", help_text="Год начала учебного года: 2026 — это 2026/2027."
    )
    status = models.CharField(
        "состояние", max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    # The order that approved the current version (п. 3.2); earlier ones stay in versions.
    order = models.ForeignKey(
        "registry.Order",
        verbose_name="приказ об утверждении",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmaps",
    )
    return_comment = models.TextField("замечания заведующего", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("создана", default=timezone.now)
    submitted_at = models.DateTimeField("направлена заведующему", null=True, blank=True)
    approved_at = models.DateTimeField("утверждена", null=True, blank=True)

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["-year_start"]
        constraints = [
            # One roadmap per institution and academic year.
            models.UniqueConstraint(
                fields=["institution", "year_start"],
                name="roadmap_one_per_year",
                violation_error_message="Дорожная карта на этот учебный год уже есть.",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(order__isnull=False),
                name="roadmap_approved_has_order",
                violation_error_message="Утверждённой дорожной карте нужен приказ.",
            ),
        ]

    def __str__(self):
        return f"Дорожная карта на {self.year_label} учебный год"

    @property
    def year_label(self) -> str:
        return f"{self.year_start}/{self.year_start + 1}"

    @property
    def starts_on(self) -> date:
        return date(self.year_start, 9, 1)

    @property
    def ends_on(self) -> date:
        return date(self.year_start + 1, 8, 31)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        """Waits for the head's decision."""
        return self.status == self.Status.SUBMITTED

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class Stage(models.Model):
    """One of the seven stages of Приложение 2."""

    roadmap = models.ForeignKey(
        Roadmap, verbose_name="дорожная карта", on_delete=models.CASCADE, related_name="stages"
    )
    number = models.PositiveSmallIntegerField("№ этапа")
    title = models.CharField("наименование этапа", max_length=500)

    class Meta:
        verbose_name = "этап дорожной карты"
        verbose_name_plural = "этапы дорожной карты"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "number"],
                name="stage_number_unique",
                violation_error_message="Этап с таким номером уже есть.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=7),
                name="stage_number_1_to_7",
                violation_error_message="Этапов дорожной карты семь (Приложение 2).",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Activity(models.Model):
    """An activity (содержание деятельности) of a stage."""

    class Status(models.TextChoices):
        PLANNED = "planned", "запланировано"
        IN_PROGRESS = "in_progress", "выполняется"
        DONE = "done", "выполнено"

    class Measure(models.TextChoices):
        """What the registry itself knows about an activity (``roadmap.progress``).
        Blank: the registry cannot see it, the curator marks it done with evidence."""

        REGULATION_ORDER = "regulation_order", "приказ об утверждении Положения подписан"
        ROADMAP_ORDER = "roadmap_order", "приказ об утверждении дорожной карты подписан"
        GROUPS_ORDER = "groups_order", "приказы о закреплении пар/групп подписаны"
        PROGRAM_TEMPLATE = "program_template", "шаблон программы (библиотека мероприятий)"
        REQUESTS = "requests", "запросы наставляемых собраны"
        MENTEE_CONSENTS = (
            "mentee_consents",
            "согласия наставляемых на обработку персональных данных",
        )
        MENTORS_SURVEYED = "mentors_surveyed", "анкеты наставников"
        MENTOR_CONSENTS = "mentor_consents", "согласия наставников на обработку персональных данных"
        MENTORS_TRAINED = "mentors_trained", "наставники прошли обучение"
        GROUPS_APPROVED = "groups_approved", "пары и группы сформированы и утверждены"
        PROGRAMS_APPROVED = "programs_approved", "программы утверждены"
        MENTEES_PLACED = "mentees_placed", "наставляемые в парах (без пары — поддержка)"
        QUESTIONNAIRES = "questionnaires", "анкеты мониторинга заполнены"
        FINAL_EVENT_ORDER = "final_event_order", "приказ о проведении итогового мероприятия"
        PRACTICES = "practices", "лучшие практики в методической копилке"
        PUBLICATIONS = "publications", "публикации в разделе «Наставничество»"

    stage = models.ForeignKey(
        Stage, verbose_name="этап", on_delete=models.CASCADE, related_name="activities"
    )
    position = models.PositiveSmallIntegerField("порядок", default=0)
    title = models.CharField("мероприятие", max_length=500)
    content = models.TextField("содержание деятельности", blank=True)
    starts_on = models.DateField("начало", null=True, blank=True)
    deadline = models.DateField("срок")
    responsible = models.ForeignKey(
        "registry.Person",
        verbose_name="ответственный",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmap_activities",
    )
    responsible_note = models.CharField(
        "ответственные (текстом)",
        max_length=300,
        blank=True,
        help_text="Например: «заведующий, куратор, методический совет».",
    )
    expected_result = models.TextField("предполагаемый результат", blank=True)
    status = models.CharField(
        "статус", max_length=20, choices=Status, default=Status.PLANNED, db_index=True
    )
    measure = models.CharField("что отслеживает реестр", max_length=30, choices=Measure, blank=True)
    # Evidence of a manually marked activity: an order, a file, a link to a page.
    evidence_order = models.ForeignKey(
        "registry.Order",
        verbose_name="подтверждение: приказ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence_file = models.FileField(
        "подтверждение: файл", upload_to=activity_upload_to, blank=True, max_length=300
    )
    evidence_link = models.CharField(
        "подтверждение: ссылка",
        max_length=500,
        blank=True,
        help_text="Адрес страницы реестра или сайта, анкеты, публикации.",
    )
    evidence_note = models.TextField("подтверждение: пояснение", blank=True)
    done_on = models.DateField("выполнено", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "мероприятие дорожной карты"
        verbose_name_plural = "мероприятия дорожной карты"
        ordering = ["stage__number", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(deadline__gte=models.F("starts_on")),
                name="activity_deadline_after_start",
                violation_error_message="Срок не может быть раньше начала.",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False),
                name="activity_done_has_date",
                violation_error_message="У выполненного мероприятия должна быть дата.",
            ),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today: date) -> bool:
        return self.status != self.Status.DONE and self.deadline < today


class RoadmapVersion(models.Model):
    """An approved version, kept as it was approved: later edits never change it."""

    roadmap = models.ForeignKey(
        Roadmap, verbose_name="дорожная карта", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField("версия")
    order = models.ForeignKey(
        "registry.Order", verbose_name="приказ", on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("утверждена", default=timezone.now)
    # Stages and activities as the head approved them: the PDF of this version reads from here.
    snapshot = models.JSONField("утверждённый текст")

    class Meta:
        verbose_name = "утверждённая версия дорожной карты"
        verbose_name_plural = "утверждённые версии дорожной карты"
        ordering = ["roadmap", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="roadmap_version_unique"),
        ]

    def __str__(self):
        return f"Версия {self.number}"


class RoadmapChange(models.Model):
    """A change made to an approved roadmap: what, why, who and when."""

    roadmap = models.ForeignKey(
        Roadmap, verbose_name="дорожная карта", on_delete=models.CASCADE, related_name="changes"
    )
    made_at = models.DateTimeField("когда", default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    what = models.TextField("что изменено")
    reason = models.TextField("причина")

    class Meta:
        verbose_name = "изменение дорожной карты"
        verbose_name_plural = "изменения дорожной карты"
        ordering = ["-made_at"]

    def __str__(self):
        return self.what
