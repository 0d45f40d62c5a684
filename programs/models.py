"""Personalized mentoring programs (п. 1.2, Приложение 1; п. 7.1, п. 7.2).

Every approved group gets one program: the explanatory note, the plan of events, meetings,
changes and completion. A program lasts 3 months to 1 year; longer only by an extension
that both the mentor and the mentee agree to.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from registry.models import Mode, ReferenceItem, ReferenceQuerySet

MAX_TERM = timedelta(days=366)
MIN_TERM = timedelta(days=89)


class EventForm(ReferenceItem):
    """Форма мероприятия: консультация, взаимопосещение НОД, мастер-класс… (editable)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = "форма мероприятия"
        verbose_name_plural = "формы мероприятий"


class TypicalEvent(models.Model):
    """The library «Создать по шаблону» draws from: typical events per направление. The
    installation's entries (``institution`` empty) are kept by its administrator; a
    kindergarten's own entries are offered to it alone (issue 20)."""

    direction = models.ForeignKey(
        "registry.Direction", verbose_name="направление", on_delete=models.PROTECT
    )
    title = models.CharField("мероприятие", max_length=500)
    form = models.ForeignKey(EventForm, verbose_name="форма", on_delete=models.PROTECT)
    expected_result = models.CharField("ожидаемый результат", max_length=500, blank=True)
    week = models.PositiveSmallIntegerField(
        "неделя программы", default=2, help_text="Через сколько недель от начала — срок."
    )
    for_mentee = models.BooleanField("задание наставляемому", default=False)
    is_active = models.BooleanField("используется", default=True)
    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Пусто — общая библиотека установки; иначе — мероприятие одного учреждения.",
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = "типовое мероприятие"
        verbose_name_plural = "библиотека типовых мероприятий"
        ordering = ["direction__sort_order", "week", "id"]

    def __str__(self):
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.institution_id is None


# The parts of the explanatory note the mentor writes (Приложение 1: «описание проблемы, цели
# и задачи наставничества, описание возможного содержания деятельности…, промежуточные и
# планируемые результаты, расписание встреч, …условия обучения»); the term and the mode always
# hold a value.
NOTE_TEXT_FIELDS = (
    "problem",
    "goals",
    "content",
    "intermediate_results",
    "planned_results",
    "schedule",
    "conditions",
)


class Program(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        ON_REVIEW = "on_review", "на согласовании у куратора"
        ACTIVE = "active", "утверждена, выполняется"
        COMPLETED = "completed", "завершена"
        TERMINATED = "terminated", "прекращена"

    class Reason(models.TextChoices):
        """п. 7.1: why a program ended."""

        PLAN_DONE = "plan_done", "план мероприятий выполнен в полном объёме"
        MENTOR = "mentor", "по инициативе наставника (уважительная причина)"
        MENTEE = "mentee", "по инициативе наставляемого (уважительная причина)"
        MUTUAL = "mutual", "по обоюдному решению наставника и наставляемого"
        CURATOR = "curator", "по инициативе куратора (недолжное исполнение, форс-мажор)"

    class Party(models.TextChoices):
        """Who ends a program (п. 7.1); the head acts as the curator (the employer)."""

        MENTOR = "mentor", "наставник"
        MENTEE = "mentee", "наставляемый"
        CURATOR = "curator", "куратор"

    # The free texts of a program: its page and documents show them, its lists do not read them.
    TEXTS = (*NOTE_TEXT_FIELDS, "return_comment", "reason_note", "mentee_result", "mentor_result")

    # п. 7.1: who may choose each reason. The one table of it: the completion form offers each
    # person only their reasons and the service refuses the others.
    REASONS_BY_PARTY = {
        Party.MENTOR: (Reason.MENTOR, Reason.MUTUAL),
        Party.MENTEE: (Reason.MENTEE, Reason.MUTUAL),
        Party.CURATOR: (Reason.PLAN_DONE, Reason.CURATOR),
    }
    # ТК РФ ст. 351.8: an early end on the initiative of either side of the labour relation —
    # the mentor (the employee) or the curator for the employer — needs three working days'
    # written notice. A mutual decision, the mentee's wish and a plan done in full need none.
    NOTICE_REASONS = frozenset({Reason.MENTOR, Reason.CURATOR})
    NOTICE_WORKING_DAYS = 3

    group = models.OneToOneField(
        "registry.MentoringGroup",
        verbose_name="пара (группа)",
        on_delete=models.PROTECT,
        related_name="program",
    )
    status = models.CharField(
        "состояние", max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    # The explanatory note (Приложение 1)
    problem = models.TextField("описание проблемы", blank=True)
    goals = models.TextField("цели и задачи", blank=True)
    content = models.TextField("содержание деятельности наставника и наставляемого", blank=True)
    start = models.DateField("начало")
    end = models.DateField("окончание")
    intermediate_results = models.TextField("промежуточные результаты", blank=True)
    planned_results = models.TextField("планируемые результаты", blank=True)
    schedule = models.TextField("расписание встреч", blank=True)
    mode = models.CharField("режим работы", max_length=10, choices=Mode, default=Mode.MIXED)
    conditions = models.TextField("условия обучения", blank=True)
    extended = models.BooleanField(
        "срок продлён", default=False, help_text="Дольше года — только продлением (п. 7.2)."
    )
    # Workflow
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("создана", default=timezone.now)
    submitted_at = models.DateTimeField("направлена куратору", null=True, blank=True)
    approved_at = models.DateTimeField("утверждена", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="утвердил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    return_comment = models.TextField("замечания куратора", blank=True)
    # Completion (п. 7.1)
    finished_on = models.DateField("дата завершения", null=True, blank=True)
    reason = models.CharField("основание завершения", max_length=20, choices=Reason, blank=True)
    reason_note = models.TextField("пояснение", blank=True)
    notice_on = models.DateField(
        "дата письменного предупреждения (ТК РФ, ст. 351.8)", null=True, blank=True
    )
    mentee_result = models.TextField("итоговый результат наставляемого", blank=True)
    mentor_result = models.TextField("итоговый результат наставника", blank=True)
    # Optimistic locking: a save names the version it started from (two editors at once).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "программа наставничества"
        verbose_name_plural = "программы наставничества"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="program_end_after_start",
                violation_error_message="Окончание программы должно быть позже начала.",
            ),
            # п. 1.2: from 3 months to 1 year; longer only through an extension (п. 7.2).
            models.CheckConstraint(
                condition=Q(extended=True) | Q(end__lte=F("start") + MAX_TERM),
                name="program_term_at_most_a_year",
                violation_error_message="Программа длится не больше года; дольше — только "
                "продлением по согласию наставника и наставляемого.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["completed", "terminated"])
                | (Q(finished_on__isnull=False) & ~Q(reason="")),
                name="program_finished_has_reason",
                violation_error_message="Завершённой программе нужны дата и основание.",
            ),
        ]

    def __str__(self):
        return f"Программа: {self.group.title}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_on_review(self) -> bool:
        return self.status == self.Status.ON_REVIEW

    @property
    def is_active(self) -> bool:
        """Approved and running."""
        return self.status == self.Status.ACTIVE

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def is_finished(self) -> bool:
        """Completed or terminated (п. 7.1): read-only from then on."""
        return self.status in (self.Status.COMPLETED, self.Status.TERMINATED)

    @property
    def empty_note_parts(self) -> list[str]:
        """The names of the note's parts left empty, in the order of Приложение 1."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in NOTE_TEXT_FIELDS
            if not getattr(self, name).strip()
        ]

    @property
    def was_approved(self) -> bool:
        """Approved by the curator: running or finished; it has meetings and a term."""
        return self.is_active or self.is_finished


class ProgramEvent(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "запланировано"
        IN_PROGRESS = "in_progress", "выполняется"
        DONE = "done", "выполнено"
        OVERDUE = "overdue", "просрочено"
        CANCELLED = "cancelled", "отменено"

    class Responsible(models.TextChoices):
        MENTOR = "mentor", "наставник"
        MENTEE = "mentee", "наставляемый"
        BOTH = "both", "наставник и наставляемый"

    # Events that still wait for someone: reminders and the overdue list look only at these.
    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS, Status.OVERDUE)
    # Tasks the mentee reports on (п. 4.1).
    MENTEE_TASKS = (Responsible.MENTEE, Responsible.BOTH)

    program = models.ForeignKey(
        Program, verbose_name="программа", on_delete=models.CASCADE, related_name="events"
    )
    direction = models.ForeignKey(
        "registry.Direction", verbose_name="направление", on_delete=models.PROTECT
    )
    title = models.CharField("мероприятие", max_length=500)
    form = models.ForeignKey(EventForm, verbose_name="форма", on_delete=models.PROTECT)
    deadline = models.DateField("срок")
    expected_result = models.CharField("ожидаемый результат", max_length=500, blank=True)
    responsible = models.CharField(
        "ответственный", max_length=10, choices=Responsible, default=Responsible.BOTH
    )
    status = models.CharField(
        "статус", max_length=20, choices=Status, default=Status.PLANNED, db_index=True
    )
    actual_result = models.TextField("фактический результат, продукт", blank=True)
    difficulties = models.ManyToManyField(
        "registry.Difficulty",
        verbose_name="затруднения, на которые направлено",
        blank=True,
        related_name="program_events",
    )
    # A mentee's task: the mentee reports, the mentor confirms (п. 4.1).
    mentee_report = models.TextField("отчёт наставляемого", blank=True)
    reported_at = models.DateTimeField("наставляемый отчитался", null=True, blank=True)
    confirmed_at = models.DateTimeField("наставник подтвердил", null=True, blank=True)
    done_on = models.DateField("выполнено", null=True, blank=True)
    reminded_on = models.DateField("напоминание отправлено", null=True, blank=True)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "мероприятие программы"
        verbose_name_plural = "план мероприятий"
        ordering = ["deadline", "position", "id"]
        indexes = [
            # Overdue lists and reminders look up open events by deadline.
            models.Index(fields=["status", "deadline"], name="event_due"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_mentee_task(self) -> bool:
        return self.responsible in self.MENTEE_TASKS

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()


def evidence_upload_to(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.event.program_id}/{timezone.now():%Y/%m}/file.{suffix}"


class Evidence(models.Model):
    """A file that proves an event was done: PDF, DOCX, images. Served only through a view
    that checks access to the program."""

    event = models.ForeignKey(
        ProgramEvent, verbose_name="мероприятие", on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField("файл", upload_to=evidence_upload_to)
    name = models.CharField("имя файла", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("загружен", default=timezone.now)

    class Meta:
        verbose_name = "подтверждающий файл"
        verbose_name_plural = "подтверждающие файлы"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


class ProgramComment(models.Model):
    """The mentee's (and others') comments and proposals on the program (п. 5.1)."""

    program = models.ForeignKey(
        Program, verbose_name="программа", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="автор", on_delete=models.SET_NULL, null=True
    )
    text = models.TextField("комментарий или предложение")
    created_at = models.DateTimeField("когда", default=timezone.now)

    class Meta:
        verbose_name = "комментарий к программе"
        verbose_name_plural = "комментарии к программам"
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:60]


class ProgramChange(models.Model):
    """The program's history: who, when, what changed and why."""

    program = models.ForeignKey(
        Program, verbose_name="программа", on_delete=models.CASCADE, related_name="changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="кто", on_delete=models.SET_NULL, null=True
    )
    at = models.DateTimeField("когда", default=timezone.now)
    what = models.TextField("что изменено")
    why = models.TextField("почему", blank=True)

    class Meta:
        verbose_name = "изменение программы"
        verbose_name_plural = "история программ"
        ordering = ["-at", "-id"]

    def __str__(self):
        return self.what[:60]


class TermChange(models.Model):
    """Extending or shortening the term (п. 7.2): proposed by the curator with the mentor,
    agreed by every mentee in their own account, then decided by the head's order."""

    class Status(models.TextChoices):
        PENDING = "pending", "ждёт согласия"
        ORDERED = "ordered", "ждёт приказа заведующего"
        APPLIED = "applied", "применено"
        DECLINED = "declined", "отклонено"

    # Not decided yet: waits for the participants or for the head's order.
    OPEN_STATUSES = (Status.PENDING, Status.ORDERED)

    program = models.ForeignKey(
        Program, verbose_name="программа", on_delete=models.CASCADE, related_name="term_changes"
    )
    new_end = models.DateField("новая дата окончания")
    reason = models.TextField("причина")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    mentor_agreed_at = models.DateTimeField("наставник согласен", null=True, blank=True)
    # п. 7.2 with issue 18: the curator proposes the change together with the mentor.
    curator_agreed_at = models.DateTimeField("куратор согласен", null=True, blank=True)
    curator_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="куратор",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    mentee_agreed_at = models.DateTimeField("наставляемый согласен", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    decline_comment = models.TextField("почему отклонено", blank=True)
    # п. 7.2: once everyone agreed, the change is drafted as the head's order «О продлении
    # (корректировке) программы»; it applies when she signs it.
    order = models.ForeignKey(
        "registry.Order",
        verbose_name="приказ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="term_changes",
    )

    class Meta:
        verbose_name = "изменение срока программы"
        verbose_name_plural = "изменения сроков программ"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program"],
                condition=Q(status__in=["pending", "ordered"]),
                name="term_change_one_pending",
                violation_error_message="Изменение срока уже ждёт согласия.",
            ),
        ]

    def __str__(self):
        return f"Новый срок до {self.new_end:%d.%m.%Y}"

    # Withdrawn by the curator or the mentor who proposed it (п. 7.2): declined, with this
    # prefix before the reason.
    WITHDRAWN_PREFIX = "Отозвано: "

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.DECLINED and self.decline_comment.startswith(
            self.WITHDRAWN_PREFIX
        )


class TermAgreement(models.Model):
    """One participant's agreement to a term change, given in their own account."""

    term_change = models.ForeignKey(
        TermChange,
        verbose_name="изменение срока",
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name="участник", on_delete=models.CASCADE, related_name="+"
    )
    agreed_at = models.DateTimeField("согласие дано", default=timezone.now)
    # Given on paper by a participant without a login and recorded by the curator (issue 16).
    paper = models.OneToOneField(
        "registry.PaperDecision",
        verbose_name="решение на бумаге",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="term_agreement",
    )

    class Meta:
        verbose_name = "согласие на изменение срока"
        verbose_name_plural = "согласия на изменение срока"
        constraints = [
            models.UniqueConstraint(
                fields=["term_change", "person"],
                name="term_agreement_once",
                violation_error_message="Вы уже согласились с этим изменением срока.",
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.agreed_at:%d.%m.%Y}"


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        """«Ближайшие встречи»: not held and not begun yet (a meeting whose time has passed is
        not upcoming, even on its day)."""
        return self.filter(held=False, starts_at__gte=now or timezone.now())


class Meeting(models.Model):
    """A meeting of the schedule and its journal entry."""

    program = models.ForeignKey(
        Program, verbose_name="программа", on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField("дата и время")
    duration_minutes = models.PositiveSmallIntegerField("длительность, минут", default=45)
    place = models.CharField("место или ссылка", max_length=300, blank=True)
    topic = models.CharField("тема", max_length=300)
    content = models.TextField("содержание", blank=True)
    result = models.TextField("результат", blank=True)
    task = models.TextField("задание наставляемому", blank=True)
    attendees = models.ManyToManyField(
        "registry.Person", verbose_name="присутствовали", blank=True, related_name="meetings"
    )
    held = models.BooleanField("встреча состоялась", default=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "встреча"
        verbose_name_plural = "встречи"
        ordering = ["starts_at", "id"]

    def __str__(self):
        return self.topic

    def is_upcoming(self, now=None) -> bool:
        """The rule of ``MeetingQuerySet.upcoming`` for a loaded meeting."""
        return not self.held and self.starts_at >= (now or timezone.now())


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A private iCalendar feed URL of one user's meetings and deadlines."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "календарь"
        verbose_name_plural = "календари"

    def __str__(self):
        return f"Календарь {self.user}"
