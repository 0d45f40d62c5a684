"""Forms of a program's execution: the mentor's progress on an event, evidence files and the
mentee's report on their own task (п. 4.1)."""

from django import forms

from mentoring_site.lib.uploads import CheckedFileField
from mentoring_site.lib.versions import VersionedFormMixin
from programs.models import ProgramEvent
from programs.services.execution import PROGRESS_VERSION_FIELDS, REPORT_VERSION_FIELDS

# Statuses a person chooses; «просрочено» is set by the daily reminders, not by hand.
CHOSEN_STATUSES = [
    (status.value, status.label)
    for status in (
        ProgramEvent.Status.PLANNED,
        ProgramEvent.Status.IN_PROGRESS,
        ProgramEvent.Status.DONE,
        ProgramEvent.Status.CANCELLED,
    )
]


def EvidenceField(**kwargs) -> CheckedFileField:  # noqa: N802  (reads as a field class)
    """A file that proves an event was done. The uploaded name is kept to be shown; the file
    is stored under a neutral name (programs.models.evidence_upload_to)."""
    kwargs.setdefault("label", "Подтверждающий файл")
    return CheckedFileField(what="Фото, скан или документ", **kwargs)


class EventProgressForm(VersionedFormMixin, forms.Form):
    """The mentor marks an event: its status, the result or product, and a file at once. The
    mentor and the curator may mark it at once: the second save is refused and keeps its input."""

    version_fields = PROGRESS_VERSION_FIELDS

    status = forms.ChoiceField(
        label="Статус",
        choices=CHOSEN_STATUSES,
        widget=forms.RadioSelect,
        error_messages={"required": "Выберите статус мероприятия."},
    )
    actual_result = forms.CharField(
        label="Фактический результат, продукт",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Что получилось: конспект, анализ занятия, выступление. "
        "Обязательно, если мероприятие выполнено.",
    )
    file = EvidenceField(required=False)

    def __init__(self, *args, event: ProgramEvent, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                # An overdue event is still open: the mentor picks what it is now.
                "status": None if event.status == ProgramEvent.Status.OVERDUE else event.status,
                "actual_result": event.actual_result,
            },
        )
        super().__init__(*args, version_of=event, **kwargs)
        if event.status == ProgramEvent.Status.OVERDUE:
            self.fields[
                "status"
            ].help_text = (
                f"Срок ({event.deadline:%d.%m.%Y}) прошёл: отметьте, что с мероприятием сейчас."
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ProgramEvent.Status.DONE and not cleaned.get("actual_result"):
            self.add_error(
                "actual_result",
                "Опишите фактический результат или продукт: без него мероприятие "
                "не отметить выполненным.",
            )
        return cleaned


class EvidenceForm(forms.Form):
    """One more file to an event."""

    file = EvidenceField(error_messages={"required": "Выберите файл, который нужно добавить."})


class EventReportForm(VersionedFormMixin, forms.Form):
    """The mentee's report on their own task; the mentor confirms it (п. 4.1). Every mentee of
    a group may report on a shared task: the second of two at once is refused."""

    version_fields = REPORT_VERSION_FIELDS

    report = forms.CharField(
        label="Отчёт о выполнении",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Что сделано и что получилось. Наставник прочитает и подтвердит выполнение.",
        error_messages={
            "required": "Напишите, что сделано: без отчёта наставнику нечего подтверждать."
        },
    )
    file = EvidenceField(required=False)
