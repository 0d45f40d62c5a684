"""The meeting form: the schedule (date, time, place, topic) and, after the meeting, the
journal (held, attendance, content, result, the task given to the mentee)."""

from datetime import datetime

from django import forms
from django.utils import timezone

from mentoring_site.lib.versions import VersionedFormMixin
from programs.models import Meeting, Program
from programs.services.calendar import MEETING_VERSION_FIELDS
from registry.models import Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

SCHEDULE_FIELDS = ["date", "time", "duration_minutes", "place", "topic"]
JOURNAL_FIELDS = ["held", "attendees", "content", "result", "task"]


class _AttendeeField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class MeetingForm(VersionedFormMixin, forms.ModelForm):
    version_fields = MEETING_VERSION_FIELDS

    date = forms.DateField(
        label="Дата",
        widget=DATE_WIDGET,
        error_messages={"required": "Укажите дату встречи.", "invalid": "Дата вида 24.11.2026."},
    )
    time = forms.TimeField(
        label="Время",
        widget=TIME_WIDGET,
        error_messages={"required": "Укажите время встречи.", "invalid": "Время вида 14:05."},
    )
    attendees = _AttendeeField(
        label="Присутствовали",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Отметьте, кто был на встрече.",
    )

    class Meta:
        model = Meeting
        fields = ["duration_minutes", "place", "topic", "held", "content", "result", "task"]
        labels = {"held": "Встреча состоялась"}
        help_texts = {
            "place": "Кабинет, группа или ссылка на видеовстречу.",
            "held": "Отметьте после встречи и заполните журнал ниже.",
            "task": "Что наставляемый сделает к следующей встрече.",
        }
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "result": forms.Textarea(attrs={"rows": 2}),
            "task": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "topic": {"required": "Укажите тему встречи."},
            "duration_minutes": {
                "required": "Укажите длительность в минутах.",
                "invalid": "Длительность — целое число минут.",
            },
        }

    field_order = [*SCHEDULE_FIELDS, *JOURNAL_FIELDS]

    def __init__(self, *args, program: Program, members: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["attendees"].queryset = Person.objects.filter(
            pk__in=[m.person_id for m in members]
        ).order_by("last_name", "first_name")
        if self.instance.pk:
            local = timezone.localtime(self.instance.starts_at)
            self.initial.setdefault("date", local.date())
            self.initial.setdefault("time", local.time().replace(second=0, microsecond=0))
            self.initial.setdefault("attendees", list(self.instance.attendees.all()))

    @property
    def schedule_fields(self):
        return [self[name] for name in SCHEDULE_FIELDS]

    @property
    def journal_fields(self):
        return [self[name] for name in JOURNAL_FIELDS]

    def clean_duration_minutes(self):
        minutes = self.cleaned_data["duration_minutes"]
        if not 5 <= minutes <= 480:
            raise forms.ValidationError("Длительность — от 5 до 480 минут.")
        return minutes

    def clean(self):
        data = super().clean()
        day, time = data.get("date"), data.get("time")
        if day is None or time is None:
            return data
        program = self.program
        if not program.start <= day <= program.end:
            self.add_error(
                "date",
                f"Встреча должна быть в сроке программы: с {program.start:%d.%m.%Y} "
                f"по {program.end:%d.%m.%Y}.",
            )
            return data
        starts_at = timezone.make_aware(datetime.combine(day, time))
        if data.get("held") and starts_at > timezone.now():
            self.add_error(
                "held", "Встреча ещё не прошла: отметить её состоявшейся можно после начала."
            )
        if data.get("attendees") and not data.get("held"):
            self.add_error(
                "attendees", "Отметьте «Встреча состоялась», чтобы указать присутствовавших."
            )
        self.instance.starts_at = starts_at
        return data
