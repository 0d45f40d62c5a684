"""Monitoring and reports (п. 3.3; Приложение 2, этап 6; DOMAIN.md §5).

Two stages of monitoring: the quality of the process (questionnaires: templates, surveys sent to
the participants of programs, their responses) and the growth of the participants (growth
records). Above them: the bank of best practices (методическая копилка) and the curator's final
analytical report, kept as a snapshot once handed in.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Audience(models.TextChoices):
    MENTOR = "mentor", "наставник"
    MENTEE = "mentee", "наставляемый"


# Questionnaires ------------------------------------------------------------------------


class QuestionnaireTemplate(models.Model):
    """A questionnaire form. Seeded templates are shared by the deployment (institution
    empty); a curator's own templates belong to the institution."""

    class Purpose(models.TextChoices):
        SATISFACTION_MENTEE = "satisfaction_mentee", "удовлетворённость наставляемого"
        SATISFACTION_MENTOR = "satisfaction_mentor", "удовлетворённость наставника"
        OTHER = "other", "другая анкета"

    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaire_templates",
        help_text="Пусто — общий шаблон для всех учреждений.",
    )
    title = models.CharField("название", max_length=300)
    description = models.TextField("обращение к отвечающему", blank=True)
    purpose = models.CharField("назначение", max_length=30, choices=Purpose, default=Purpose.OTHER)
    audience = models.CharField(
        "кому", max_length=10, choices=Audience, blank=True, help_text="Пусто — всем участникам."
    )
    is_active = models.BooleanField("используется", default=True)
    created_at = models.DateTimeField("создан", default=timezone.now)

    class Meta:
        verbose_name = "шаблон анкеты"
        verbose_name_plural = "шаблоны анкет"
        ordering = ["title"]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", "шкала 1–10"
        SINGLE = "single", "один вариант"
        MULTIPLE = "multiple", "несколько вариантов"
        TEXT = "text", "свободный ответ"

    template = models.ForeignKey(
        QuestionnaireTemplate,
        verbose_name="анкета",
        on_delete=models.CASCADE,
        related_name="questions",
    )
    position = models.PositiveSmallIntegerField("порядок", default=0)
    text = models.CharField("вопрос", max_length=500)
    kind = models.CharField("тип", max_length=10, choices=Kind, default=Kind.SCALE)
    required = models.BooleanField("обязательный", default=True)
    choices = models.JSONField("варианты ответа", default=list, blank=True)
    # A stable name for the indicators (e.g. "effectiveness"); blank for ad-hoc questions.
    key = models.SlugField("код показателя", max_length=50, blank=True)

    class Meta:
        verbose_name = "вопрос анкеты"
        verbose_name_plural = "вопросы анкеты"
        ordering = ["template", "position", "id"]

    def __str__(self):
        return self.text


class Survey(models.Model):
    """A questionnaire sent to the participants of chosen programs (an «анкетирование»)."""

    class Reason(models.TextChoices):
        MANUAL = "manual", "разослал куратор"
        COMPLETION = "completion", "завершение программы"

    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    template = models.ForeignKey(
        QuestionnaireTemplate, verbose_name="анкета", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("название", max_length=300)
    anonymous = models.BooleanField(
        "анонимно",
        default=False,
        help_text="Ответы видны только сводно и только когда ответили не меньше трёх человек.",
    )
    reason = models.CharField("повод", max_length=20, choices=Reason, default=Reason.MANUAL)
    programs = models.ManyToManyField(
        "programs.Program", verbose_name="программы", blank=True, related_name="surveys"
    )
    deadline = models.DateField("ответить до", null=True, blank=True)
    sent_at = models.DateTimeField("разослана", default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "анкетирование"
        verbose_name_plural = "анкетирования"
        ordering = ["-sent_at"]

    def __str__(self):
        return self.title


class Invitation(models.Model):
    """Who is asked to answer a survey, and whether they have. For an anonymous survey the
    answers (``Response``) are not linked back to this row."""

    survey = models.ForeignKey(
        Survey, verbose_name="анкетирование", on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name="участник",
        on_delete=models.CASCADE,
        related_name="survey_invitations",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name="программа",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField("роль", max_length=10, choices=Audience)
    answered_at = models.DateTimeField("ответил", null=True, blank=True)
    reminded_at = models.DateTimeField("напоминание", null=True, blank=True)

    class Meta:
        verbose_name = "приглашение к анкете"
        verbose_name_plural = "приглашения к анкетам"
        ordering = ["survey", "id"]
        constraints = [
            # A person answers a survey once.
            models.UniqueConstraint(
                fields=["survey", "person"],
                name="invitation_once_per_survey",
                violation_error_message="Этот участник уже приглашён к анкете.",
            ),
        ]
        indexes = [
            # «Мои анкеты»: a person's unanswered invitations.
            models.Index(fields=["person", "answered_at"], name="invitation_inbox"),
        ]

    def __str__(self):
        return f"{self.survey}: {self.person}"


class Response(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name="анкетирование", on_delete=models.CASCADE, related_name="responses"
    )
    # Empty for an anonymous survey: nobody can read who gave these answers.
    invitation = models.OneToOneField(
        Invitation,
        verbose_name="приглашение",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name="программа",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField("роль", max_length=10, choices=Audience)
    submitted_at = models.DateTimeField("получен", default=timezone.now)

    class Meta:
        verbose_name = "ответ на анкету"
        verbose_name_plural = "ответы на анкеты"
        ordering = ["survey", "submitted_at"]

    def __str__(self):
        return f"Ответ на «{self.survey}»"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, verbose_name="ответ", on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name="вопрос", on_delete=models.PROTECT, related_name="answers"
    )
    scale = models.PositiveSmallIntegerField("оценка", null=True, blank=True)
    choices = models.JSONField("выбранные варианты", default=list, blank=True)
    text = models.TextField("ответ", blank=True)

    class Meta:
        verbose_name = "ответ на вопрос"
        verbose_name_plural = "ответы на вопросы"
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | (Q(scale__gte=1) & Q(scale__lte=10)),
                name="answer_scale_1_to_10",
                violation_error_message="Оценка — от 1 до 10.",
            ),
        ]

    def __str__(self):
        return str(self.question)


# Growth of the participants ------------------------------------------------------------


class GrowthRecord(models.Model):
    """Stage 2 of monitoring: what a participant achieved (п. 3.4, п. 4.2; DOMAIN.md §5). The
    curator and the sysadmin keep the records; a mentor enters her mentees' (п. 4.2: she
    organises their contests and events), and such a record waits for the curator's
    confirmation: only confirmed records count in the indicators."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "подтверждено"
        PENDING = "pending", "ждёт подтверждения куратора"

    class Kind(models.TextChoices):
        ATTESTATION = "attestation", "аттестация на квалификационную категорию"
        COURSE = "course", "курсы повышения квалификации"
        CONTEST = "contest", "профессиональный конкурс"
        OPEN_EVENT = "open_event", "открытое мероприятие"
        PUBLICATION = "publication", "публикация"

    class Level(models.TextChoices):
        INSTITUTION = "institution", "учреждение"
        DISTRICT = "district", "район"
        CITY = "city", "город, регион"
        FEDERAL = "federal", "всероссийский"
        INTERNATIONAL = "international", "международный"

    person = models.ForeignKey(
        "registry.Person",
        verbose_name="участник",
        on_delete=models.CASCADE,
        related_name="growth_records",
    )
    kind = models.CharField("вид", max_length=20, choices=Kind)
    title = models.CharField("название", max_length=500)
    date = models.DateField("дата")
    level = models.CharField("уровень", max_length=20, choices=Level, blank=True)
    result = models.CharField(
        "результат",
        max_length=300,
        blank=True,
        help_text="Категория, часы, место, диплом — как в документе.",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name="в рамках программы",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="growth_records",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("внесено", default=timezone.now)
    status = models.CharField(
        "состояние", max_length=20, choices=Status, default=Status.CONFIRMED, db_index=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="подтвердил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("подтверждено", null=True, blank=True)

    class Meta:
        verbose_name = "достижение участника"
        verbose_name_plural = "достижения участников"
        ordering = ["-date", "-id"]
        indexes = [
            # Indicators count records by kind and date.
            models.Index(fields=["kind", "date"], name="growth_by_kind_date"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


# Best practices --------------------------------------------------------------------------


class Practice(models.Model):
    """A case in the bank of best practices (методическая копилка, Приложение 2, этап 6–7)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        APPROVED = "approved", "одобрена для публикации"

    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        related_name="practices",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name="программа",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
    )
    title = models.CharField("название", max_length=300)
    direction = models.ForeignKey(
        "registry.Direction", verbose_name="направление", on_delete=models.PROTECT
    )
    summary = models.TextField("описание практики")
    tags = models.CharField(
        "метки", max_length=300, blank=True, help_text="Через запятую: «ИКТ, молодой педагог»."
    )
    photo_consents_confirmed = models.BooleanField(
        "Согласия родителей (законных представителей) детей на фото получены",
        default=False,
        help_text="Без этой отметки практика с фотографиями не одобряется для публикации.",
    )
    status = models.CharField(
        "состояние", max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    approved_at = models.DateTimeField("одобрена", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("создана", default=timezone.now)

    class Meta:
        verbose_name = "лучшая практика"
        verbose_name_plural = "банк лучших практик"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_at__isnull=False),
                name="practice_approved_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


def material_upload_to(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"practices/{instance.practice.institution_id}/{secrets.token_hex(8)}.{suffix}"


class PracticeMaterial(models.Model):
    practice = models.ForeignKey(
        Practice, verbose_name="практика", on_delete=models.CASCADE, related_name="materials"
    )
    file = models.FileField("файл", upload_to=material_upload_to, max_length=300)
    name = models.CharField("имя файла", max_length=200)
    uploaded_at = models.DateTimeField("загружен", default=timezone.now)

    class Meta:
        verbose_name = "материал практики"
        verbose_name_plural = "материалы практики"
        ordering = ["practice", "id"]

    def __str__(self):
        return self.name


# The final analytical report -------------------------------------------------------------


class FinalReport(models.Model):
    """The curator's yearly report (п. 3.3). While a draft, it is computed from the data;
    once finalized, the ``snapshot`` is what it shows, whatever changes later."""

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        FINAL = "final", "сдан"
        APPROVED = "approved", "утверждён"

    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        related_name="final_reports",
    )
    year_start = models.PositiveSmallIntegerField("учебный год")
    status = models.CharField("состояние", max_length=10, choices=Status, default=Status.DRAFT)
    problems = models.TextField("проблемы", blank=True)
    risks = models.TextField("риски", blank=True)
    proposals = models.TextField("предложения", blank=True)
    snapshot = models.JSONField("данные отчёта на момент сдачи", null=True, blank=True)
    finalized_at = models.DateTimeField("сдан", null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField("утверждён", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "итоговый аналитический отчёт"
        verbose_name_plural = "итоговые аналитические отчёты"
        ordering = ["-year_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year_start"],
                name="final_report_one_per_year",
                violation_error_message="Отчёт за этот учебный год уже есть.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(snapshot__isnull=False) & Q(finalized_at__isnull=False)),
                name="final_report_final_has_snapshot",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="final_report_approved_has_date",
                violation_error_message="У утверждённого отчёта должна быть дата утверждения.",
            ),
        ]

    def __str__(self):
        return f"Итоговый аналитический отчёт за {self.year_label} учебный год"

    @property
    def year_label(self) -> str:
        return f"{self.year_start}/{self.year_start + 1}"

    @property
    def is_final(self) -> bool:
        """Handed in (or approved): shows its snapshot only and is not changed any more."""
        return self.status in (self.Status.FINAL, self.Status.APPROVED)


class FinalReportEvent(models.Model):
    """The history of a final report: handed in, reopened by the head with a reason, approved
    by the head (УТВЕРЖДАЮ)."""

    class Action(models.TextChoices):
        FINALIZED = "finalized", "сдан куратором"
        REOPENED = "reopened", "возвращён заведующим на доработку"
        APPROVED = "approved", "утверждён заведующим"

    report = models.ForeignKey(
        FinalReport, verbose_name="отчёт", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("событие", max_length=10, choices=Action)
    reason = models.TextField("причина", blank=True)
    at = models.DateTimeField("когда", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "событие итогового отчёта"
        verbose_name_plural = "история итоговых отчётов"
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="reopened") | ~Q(reason=""),
                name="final_report_reopened_has_reason",
                violation_error_message="Укажите, почему отчёт возвращается на доработку.",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%d.%m.%Y}"


# The summary of every institution (issue 9: a city-wide report runs in the background) ---------


def summary_upload_to(instance, filename):
    return f"summaries/{timezone.now():%Y/%m}/summary-{instance.pk or 'new'}.xlsx"


class InstitutionSummary(models.Model):
    """«Сводка по учреждениям»: the indicators of the academic year for every kindergarten of the
    installation, one row each, built by the background worker (``manage.py db_worker``) and kept
    as an Excel file. Counts only, no personal data. Asked for by a user with the permission
    «run_institution_summary» (the district's methodologist; a superuser has it)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "в очереди"
        RUNNING = "running", "формируется"
        DONE = "done", "готова"
        FAILED = "failed", "не сформирована"

    year_start = models.PositiveSmallIntegerField("учебный год (год начала)")
    status = models.CharField("состояние", max_length=10, choices=Status, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто запросил",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField("запрошена", default=timezone.now)
    started_at = models.DateTimeField("начата", null=True, blank=True)
    finished_at = models.DateTimeField("закончена", null=True, blank=True)
    # The worker's heartbeat: a running summary whose worker stopped is found by it.
    updated_at = models.DateTimeField("обновлена", auto_now=True)
    total = models.PositiveIntegerField("учреждений всего", default=0)
    done = models.PositiveIntegerField("учреждений обработано", default=0)
    error = models.TextField("причина ошибки", blank=True)
    file = models.FileField("файл", upload_to=summary_upload_to, blank=True, max_length=200)
    # The «Итого» row of the file, shown on the page (counts and shares, no personal data).
    totals = models.JSONField("итоги", default=dict, blank=True)

    class Meta:
        verbose_name = "сводка по учреждениям"
        verbose_name_plural = "сводки по учреждениям"
        ordering = ["-requested_at", "-pk"]
        permissions = [("run_institution_summary", "Формирует сводку по всем учреждениям")]
        indexes = [models.Index(fields=["status", "requested_at"], name="summary_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="summary_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="summary_done_le_total"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="summary_done_has_file"
            ),
        ]

    def __str__(self):
        return f"Сводка по учреждениям за {self.year_label} учебный год"

    @property
    def year_label(self) -> str:
        return f"{self.year_start}/{self.year_start + 1}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return self.done * 100 // self.total if self.total else 0

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_queued(self) -> bool:
        return self.status == self.Status.QUEUED

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def is_done(self) -> bool:
        """Its file is ready to download."""
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED
