"""The methodical council (методическое объединение / совет наставников, п. 3.4).

Its composition is set by the head's order «О составе методического совета» (signing it grants
the council role, ``registry.services.orders.order_sign``). The council records its meetings
and prints their minutes (протокол).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class CouncilMeeting(models.Model):
    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        related_name="council_meetings",
    )
    # Given once the minutes are written (the decisions recorded), by the meetings' dates within
    # the academic year; ``registry.services.council.meetings_renumber`` keeps it.
    number = models.PositiveSmallIntegerField("№ протокола", null=True, blank=True)
    held_on = models.DateField("дата заседания")
    year = models.PositiveSmallIntegerField("год начала учебного года", editable=False)
    agenda = models.TextField("повестка", help_text="Каждый вопрос — с новой строки.")
    attendees = models.ManyToManyField(
        "registry.Person",
        verbose_name="присутствовали",
        blank=True,
        related_name="council_meetings",
    )
    invited = models.CharField(
        "приглашённые", max_length=500, blank=True, help_text="Кто ещё присутствовал."
    )
    discussion = models.TextField("слушали, выступили", blank=True)
    # Empty while the meeting is only planned; the service requires it once the date has come.
    decisions = models.TextField("решили", blank=True, help_text="Каждое решение — с новой строки.")
    chair = models.ForeignKey(
        "registry.Person",
        verbose_name="председатель",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    secretary = models.ForeignKey(
        "registry.Person",
        verbose_name="секретарь",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("записано", default=timezone.now)

    class Meta:
        verbose_name = "заседание методического совета"
        verbose_name_plural = "заседания методического совета"
        ordering = ["-held_on", "-number"]
        constraints = [
            # Minutes are numbered anew each academic year.
            models.UniqueConstraint(
                fields=["institution", "year", "number"],
                name="council_meeting_number_unique",
                violation_error_message="Протокол с таким номером в этом учебном году уже есть.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="council_meeting_number_positive",
                violation_error_message="Номер протокола — целое число от 1.",
            ),
        ]

    def __str__(self):
        if self.number is None:
            return f"Заседание совета {self.held_on:%d.%m.%Y}"
        return f"Протокол № {self.number} от {self.held_on:%d.%m.%Y}"
