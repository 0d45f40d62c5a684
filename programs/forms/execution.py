"""Forms of a program's execution: the mentor's progress on an event, evidence files and the
mentee's report on their own task (п. 4.1)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy

from programs.models import ProgramEvent

# What an evidence file may be: the extensions a kind of file is saved under, and its first
# bytes. A DOCX is a zip archive, so it starts with the zip signature «PK».
EVIDENCE_TYPES = {
    "pdf": ({"pdf"}, (b"%PDF-",)),
    "docx": ({"docx"}, (b"PK\x03\x04",)),
    "jpg": ({"jpg", "jpeg"}, (b"\xff\xd8\xff",)),
    "png": ({"png"}, (b"\x89PNG\r\n\x1a\n",)),
}

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


def evidence_type(upload) -> str | None:
    """The kind of the uploaded file ("pdf", "docx", "jpg", "png") when its name and its first
    bytes agree; ``None`` otherwise (a renamed file is not what it claims to be)."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, (extensions, signatures) in EVIDENCE_TYPES.items():
        if extension in extensions and head.startswith(signatures):
            return kind
    return None


def evidence_help_text() -> str:
    return (
        "Фото, скан или документ: PDF, DOCX, JPEG или PNG, "
        f"не больше {filesizeformat(settings.UPLOAD_MAX_BYTES)}."
    )


class EvidenceField(forms.FileField):
    """A file that proves an event was done, within the upload limit, its name and first
    bytes agreeing. The uploaded name is kept to be shown; the file is stored under a neutral
    name (programs.models.evidence_upload_to)."""

    widget = forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Подтверждающий файл")
        # Lazy: the limit is read when the form is shown, not when this module is imported.
        kwargs.setdefault("help_text", lazy(evidence_help_text, str)())
        super().__init__(**kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"Файл слишком большой: {filesizeformat(upload.size)}. "
                f"Можно не больше {filesizeformat(settings.UPLOAD_MAX_BYTES)}."
            )
        if evidence_type(upload) is None:
            raise forms.ValidationError(
                "Загрузите файл в формате PDF, DOCX, JPEG или PNG: этот файл не похож на такой."
            )
        return upload


class EventProgressForm(forms.Form):
    """The mentor marks an event: its status, the result or product, and a file at once."""

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
        super().__init__(*args, **kwargs)
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


class EventReportForm(forms.Form):
    """The mentee's report on their own task; the mentor confirms it (п. 4.1)."""

    report = forms.CharField(
        label="Отчёт о выполнении",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Что сделано и что получилось. Наставник прочитает и подтвердит выполнение.",
        error_messages={
            "required": "Напишите, что сделано: без отчёта наставнику нечего подтверждать."
        },
    )
    file = EvidenceField(required=False)
