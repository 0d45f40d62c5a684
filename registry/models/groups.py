"""Mentoring pairs and groups (п. 6.1, п. 6.2) and the petitions about them (п. 4.1, п. 5.1).

A group is proposed by the curator or a council member, each participant confirms or
declines in their own account (voluntarily, п. 6.2), the curator submits it to the head, and
the head approves it by an order «О закреплении наставнических пар/групп» (п. 3.2) or
returns it. A pair exists legally only once that order is signed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class MentoringGroup(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "на согласовании у участников"
        DECLINED = "declined", "участник отказался"
        CONFIRMED = "confirmed", "согласована участниками"
        SUBMITTED = "submitted", "на утверждении у заведующего"
        RETURNED = "returned", "возвращена заведующим"
        ACTIVE = "active", "утверждена"
        COMPLETED = "completed", "завершена"
        TERMINATED = "terminated", "прекращена"

    # Statuses in which the group holds its people (capacity, «already in a group»).
    OPEN_STATUSES = (
        Status.PROPOSED,
        Status.CONFIRMED,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.ACTIVE,
    )
    # Agreed by every participant, or returned by the head: the curator sends it to the head.
    AGREED_STATUSES = (Status.CONFIRMED, Status.RETURNED)

    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        related_name="groups",
    )
    status = models.CharField(
        "состояние", max_length=20, choices=Status, default=Status.PROPOSED, db_index=True
    )
    form = models.ForeignKey(
        "registry.MentoringForm", verbose_name="форма наставничества", on_delete=models.PROTECT
    )
    # п. 2.3: forms are used alone or together. ``form`` stays the main one (every figure «по
    # формам» counts it); the others used together are ``extra_forms``.
    extra_forms = models.ManyToManyField(
        "registry.MentoringForm",
        verbose_name="также используются формы",
        blank=True,
        related_name="+",
    )
    kinds = models.ManyToManyField("registry.MentoringKind", verbose_name="виды наставничества")
    directions = models.ManyToManyField("registry.Direction", verbose_name="направления")
    planned_start = models.DateField("начало")
    planned_end = models.DateField("окончание")
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="куратор",
        on_delete=models.PROTECT,
        related_name="curated_groups",
    )
    rationale = models.TextField(
        "обоснование подбора",
        blank=True,
        help_text="Почему эти люди подходят друг другу (п. 6.1): запросы, компетенции, интерес.",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="предложил",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField("предложена", default=timezone.now)
    submitted_at = models.DateTimeField("направлена на утверждение", null=True, blank=True)
    decided_at = models.DateTimeField("решение заведующего", null=True, blank=True)
    return_comment = models.TextField("комментарий заведующего", blank=True)
    # The latest signed order about the group: «О закреплении…», then «О замене наставника»
    # after a replacement (п. 5.1). All of them are ``orders`` (Order.covered_groups).
    order = models.ForeignKey(
        "registry.Order",
        verbose_name="действующий приказ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
    )

    class Meta:
        verbose_name = "наставническая пара (группа)"
        verbose_name_plural = "наставнические пары и группы"
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("planned_start")),
                name="group_end_after_start",
                violation_error_message="Окончание должно быть позже начала.",
            ),
        ]
        indexes = [
            # Lists and counters filter one institution's groups by state.
            models.Index(fields=["institution", "status"], name="group_state"),
        ]

    def __str__(self):
        return f"Группа № {self.pk}"

    @property
    def all_forms(self) -> list:
        """The main form and those used together with it (п. 2.3). With ``extra_forms``
        prefetched it reads no query."""
        return [self.form, *sorted(self.extra_forms.all(), key=lambda f: (f.sort_order, f.name))]

    @property
    def forms_display(self) -> str:
        """«педагог – педагог; руководитель образовательной организации – педагог»."""
        return "; ".join(f.name for f in self.all_forms)

    # Corrected by the curator or a council member until it goes to the head (item 4).
    CORRECTABLE_STATUSES = (Status.PROPOSED, Status.CONFIRMED, Status.RETURNED)

    @property
    def is_correctable(self) -> bool:
        """Proposed, agreed or returned by the head, and not a mentor's replacement."""
        return self.status in self.CORRECTABLE_STATUSES and self.order_id is None

    @property
    def is_pair(self) -> bool:
        return len(self.active_mentees) == 1

    @property
    def is_proposed(self) -> bool:
        """Waits for its participants' answers."""
        return self.status == self.Status.PROPOSED

    @property
    def is_agreed(self) -> bool:
        """Waits for the curator to send it to the head."""
        return self.status in self.AGREED_STATUSES

    @property
    def is_submitted(self) -> bool:
        """Waits for the head's decision."""
        return self.status == self.Status.SUBMITTED

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED

    @property
    def is_declined(self) -> bool:
        return self.status == self.Status.DECLINED

    @property
    def is_active(self) -> bool:
        """Approved by the head's order and working."""
        return self.status == self.Status.ACTIVE

    @property
    def is_replacing(self) -> bool:
        """Has an order but is not active: a mentor's replacement is under way."""
        return self.order_id is not None and self.status != self.Status.ACTIVE

    @property
    def active_members(self) -> list:
        return [m for m in self.members.all() if m.left_on is None]

    @property
    def active_mentors(self) -> list:
        return [m for m in self.active_members if m.role != GroupMember.Role.MENTEE]

    @property
    def active_mentees(self) -> list:
        return [m for m in self.active_members if m.role == GroupMember.Role.MENTEE]

    @property
    def title(self) -> str:
        """«Петрова М. И. — Иванова А. С., Смирнова О. С.» (mentors — mentees)."""
        return self.title_of(
            [m.person.short_name for m in self.active_mentors],
            [m.person.short_name for m in self.active_mentees],
        )

    @staticmethod
    def title_of(mentor_names, mentee_names) -> str:
        """``title`` of the members' names read as values (the lists, issue 21)."""
        return f"{', '.join(mentor_names)} — {', '.join(mentee_names)}"


class GroupMember(models.Model):
    class Role(models.TextChoices):
        MENTOR = "mentor", "наставник"
        CO_MENTOR = "co_mentor", "наставник (соруководитель)"
        MENTEE = "mentee", "наставляемый"

    class Response(models.TextChoices):
        PENDING = "pending", "ждёт ответа"
        CONFIRMED = "confirmed", "согласие дано"
        DECLINED = "declined", "отказ"

    group = models.ForeignKey(
        MentoringGroup, verbose_name="группа", on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name="участник",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField("роль", max_length=20, choices=Role)
    response = models.CharField("ответ", max_length=20, choices=Response, default=Response.PENDING)
    response_comment = models.TextField("комментарий", blank=True)
    responded_at = models.DateTimeField("ответил", null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name="заменяет",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text="Новый наставник вместо прежнего: прежний выходит из группы с приказом.",
    )
    # ТК РФ ст. 351.8: the number and date of a mentor's supplementary agreement as typed before
    # the agreement became a document (MentoringAgreement, issue 18). No form writes them now;
    # the order's appendix prints them only for a mentor without a MentoringAgreement.
    agreement_number = models.CharField(
        "дополнительное соглашение: номер", max_length=30, blank=True
    )
    agreement_date = models.DateField("дополнительное соглашение: дата", null=True, blank=True)
    joined_on = models.DateField("в группе с", null=True, blank=True)
    left_on = models.DateField("вышел из группы", null=True, blank=True)

    class Meta:
        verbose_name = "участник группы"
        verbose_name_plural = "участники групп"
        ordering = ["role", "id"]
        constraints = [
            # One role per person in a group: nobody mentors themselves.
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(left_on__isnull=True),
                name="group_member_once",
                violation_error_message="Один человек не может быть в группе дважды "
                "(и наставником, и наставляемым).",
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_role_display()}"

    @property
    def is_mentor(self) -> bool:
        return self.role != self.Role.MENTEE


class GroupEvent(models.Model):
    """The group's history: who did what, when and why."""

    group = models.ForeignKey(
        MentoringGroup, verbose_name="группа", on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField("когда", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.CharField("что произошло", max_length=500)
    comment = models.TextField("комментарий", blank=True)

    class Meta:
        verbose_name = "событие группы"
        verbose_name_plural = "история групп"
        ordering = ["at", "id"]

    def __str__(self):
        return self.text


class Petition(models.Model):
    """Ходатайство: a mentee asks to replace the mentor (п. 5.1), a mentor asks to be
    relieved (п. 4.1). The curator and the head decide. While it waits, the methodical
    council, «открытая площадка для … функций медиации» (п. 3.4), may hear the parties and
    record the outcome of its mediation on it."""

    class Kind(models.TextChoices):
        REPLACE_MENTOR = "replace_mentor", "о замене наставника"
        RELIEVE_MENTOR = "relieve_mentor", "о сложении обязанностей наставника"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "на рассмотрении"
        APPROVED = "approved", "удовлетворено"
        REJECTED = "rejected", "отклонено"

    class Mediation(models.TextChoices):
        SETTLED = "settled", "урегулировано"
        REFERRED = "referred", "не урегулировано — передано заведующему"

    group = models.ForeignKey(
        MentoringGroup, verbose_name="группа", on_delete=models.CASCADE, related_name="petitions"
    )
    kind = models.CharField("ходатайство", max_length=20, choices=Kind)
    author = models.ForeignKey(
        "registry.Person",
        verbose_name="от кого",
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    text = models.TextField("обоснование")
    status = models.CharField(
        "состояние", max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True
    )
    created_at = models.DateTimeField("подано", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто решил",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("решено", null=True, blank=True)
    decision_comment = models.TextField("решение", blank=True)
    # The council's mediation (п. 3.4), recorded by a council member or the curator.
    mediation = models.CharField("итог медиации", max_length=20, choices=Mediation, blank=True)
    mediation_text = models.TextField("решение совета", blank=True)
    mediated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто записал итог медиации",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    mediated_at = models.DateTimeField("итог медиации записан", null=True, blank=True)
    mediation_meeting = models.ForeignKey(
        "registry.CouncilMeeting",
        verbose_name="заседание совета",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediations",
    )

    class Meta:
        verbose_name = "ходатайство"
        verbose_name_plural = "ходатайства"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "author", "kind"],
                condition=Q(status="submitted"),
                name="petition_one_open",
                violation_error_message="Такое ходатайство уже подано и ждёт решения.",
            ),
            # A mediation outcome comes with its time and the council's decision in words.
            models.CheckConstraint(
                condition=Q(mediation="", mediated_at__isnull=True, mediation_meeting__isnull=True)
                | (~Q(mediation="") & Q(mediated_at__isnull=False) & ~Q(mediation_text="")),
                name="petition_mediation_complete",
                violation_error_message="Итог медиации записывают с решением совета.",
            ),
        ]

    def __str__(self):
        return f"Ходатайство {self.get_kind_display()}"

    @property
    def is_mediated(self) -> bool:
        return bool(self.mediation)

    @property
    def is_submitted(self) -> bool:
        """Waits for the curator's or the head's decision."""
        return self.status == self.Status.SUBMITTED
