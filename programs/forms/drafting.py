"""Forms of drafting a program: the explanatory note, an event of the plan, a comment, the
curator's return, the overview's filters and the library of typical events.

The forms validate and normalise; ``programs.services.drafting`` assigns and decides.
"""

from django import forms
from django.db.models import Q

from mentoring_site.lib.forms import limit_to_institution
from mentoring_site.lib.versions import VersionedFormMixin
from programs.models import EventForm, Program, ProgramComment, ProgramEvent, TypicalEvent
from programs.services.drafting import (
    EVENT_VERSION_FIELDS,
    TYPICAL_EVENT_FIELDS,
    check_deadline,
    program_difficulties,
)
from registry.filters import cache_options
from registry.models import Difficulty, Direction, GroupMember, Person
from registry.services.groups import term_error

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


def _why_field(subject: str) -> forms.CharField:
    return forms.CharField(
        label="Причина изменения",
        widget=_text(2),
        help_text=f"Программа утверждена: {subject} меняют с куратором, причина попадёт в "
        "историю программы (Приложение 1).",
        error_messages={"required": "Укажите причину изменения."},
    )


class ProgramNoteForm(forms.ModelForm):
    """The explanatory note (Приложение 1). After approval the term is not edited here: it
    changes only by agreement of the mentor and the mentee (п. 7.2)."""

    # The version the editor started from (optimistic locking).
    version = forms.IntegerField(widget=forms.HiddenInput)

    SECTIONS = (
        ("Проблема и цели", ("problem", "goals", "content")),
        ("Сроки и режим", ("start", "end", "schedule", "mode", "conditions")),
        ("Результаты", ("intermediate_results", "planned_results")),
        ("Изменение", ("why",)),
    )

    class Meta:
        model = Program
        fields = [
            "problem",
            "goals",
            "content",
            "start",
            "end",
            "intermediate_results",
            "planned_results",
            "schedule",
            "mode",
            "conditions",
        ]
        widgets = {
            "problem": _text(4),
            "goals": _text(4),
            "content": _text(4),
            "start": DATE_WIDGET,
            "end": DATE_WIDGET,
            "intermediate_results": _text(),
            "planned_results": _text(),
            "schedule": _text(2),
            "conditions": _text(2),
        }
        help_texts = {
            "problem": "Какие профессиональные затруднения наставляемого решает программа.",
            "start": "Программа длится от 3 месяцев до 1 года (п. 1.2 Положения).",
            "schedule": "Например: «по вторникам в 14:00, раз в две недели».",
            "mode": "Онлайн, очно или смешанно.",
        }

    def __init__(self, *args, active: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.active = active
        if active:
            del self.fields["start"]
            del self.fields["end"]
            self.fields["why"] = _why_field("программу")
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def sections(self, current: dict | None = None) -> list:
        """[(title, [(bound field, the saved value or None)])] for the template."""
        current = current or {}
        result = []
        for title, names in self.SECTIONS:
            rows = [(self[name], current.get(name)) for name in names if name in self.fields]
            if rows:
                result.append((title, rows))
        return result

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            error = term_error(start, end)
            if error:
                self.add_error("end", error)
        return data

    def _post_clean(self):
        # The term's database rule is checked above with a message next to the field.
        if not self.errors:
            super()._post_clean()


class _DifficultyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.mentee.person.short_name}: {obj.direction.name} — {obj.text}"


class ProgramEventForm(VersionedFormMixin, forms.ModelForm):
    """An event of the plan: what, how, by when and for which difficulties. Two editors at
    once: the second save is refused and keeps its input (``version``)."""

    version_fields = EVENT_VERSION_FIELDS

    difficulties = _DifficultyChoiceField(
        label="Затруднения, на которые направлено",
        queryset=Difficulty.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Отметьте затруднения наставляемого, которые помогает преодолеть мероприятие.",
    )

    class Meta:
        model = ProgramEvent
        fields = [
            "direction",
            "title",
            "form",
            "deadline",
            "expected_result",
            "responsible",
            "difficulties",
        ]
        widgets = {"deadline": DATE_WIDGET, "title": forms.TextInput}
        error_messages = {
            "title": {"required": "Напишите, что за мероприятие."},
            "deadline": {"required": "Укажите срок."},
        }

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.active = program.status == Program.Status.ACTIVE
        current = self.instance.pk
        self.fields["direction"].queryset = Direction.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.direction_id if current else None)
        )
        self.fields["form"].queryset = EventForm.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.form_id if current else None)
        )
        limit_to_institution(self, program.group.institution)
        self.fields["difficulties"].queryset = program_difficulties(program).select_related(
            "mentee__person", "direction"
        )
        self.fields[
            "deadline"
        ].help_text = f"В пределах программы: с {program.start:%d.%m.%Y} по {program.end:%d.%m.%Y}."
        if self.active:
            self.fields["why"] = _why_field("план")

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        error = check_deadline(self.program, deadline)
        if error:
            raise forms.ValidationError(error)
        return deadline


class CommentForm(forms.ModelForm):
    class Meta:
        model = ProgramComment
        fields = ["text"]
        widgets = {"text": _text(3)}
        labels = {"text": "Комментарий или предложение"}
        help_texts = {"text": "Его увидят наставник, наставляемый и куратор."}
        error_messages = {"text": {"required": "Напишите комментарий."}}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Что нужно исправить",
        widget=_text(3),
        help_text="Наставник увидит это замечание на странице программы.",
        error_messages={"required": "Напишите, что нужно исправить."},
    )


class _MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.short_name


class ProgramFilterForm(forms.Form):
    """The curator's overview: by state, with overdue events, by mentor; sorted by end."""

    SORTS = {"end": "end", "-end": "-end"}

    status = forms.ChoiceField(
        label="Состояние", required=False, choices=[("", "Все")] + list(Program.Status.choices)
    )
    mentor = _MentorChoiceField(
        label="Наставник", required=False, queryset=Person.objects.none(), empty_label="Все"
    )
    overdue = forms.BooleanField(label="Только с просроченными мероприятиями", required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[("end", "end"), ("-end", "-end")],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = Person.objects.filter(
            institution=institution,
            memberships__role__in=[GroupMember.Role.MENTOR, GroupMember.Role.CO_MENTOR],
            memberships__left_on__isnull=True,
            memberships__group__program__isnull=False,
        ).distinct()
        cache_options(self, institution, scope="programs")

    @property
    def is_filtered(self) -> bool:
        if not self.is_valid():
            return False
        data = self.cleaned_data
        return bool(data.get("status") or data.get("mentor") or data.get("overdue"))

    def filter(self, programs):
        """``programs`` must be annotated with ``overdue_count``."""
        if not self.is_bound or not self.is_valid():
            return programs.order_by("end", "pk")
        data = self.cleaned_data
        if data["status"]:
            programs = programs.filter(status=data["status"])
        if data["mentor"]:
            mentored = GroupMember.objects.filter(
                person=data["mentor"],
                role__in=[GroupMember.Role.MENTOR, GroupMember.Role.CO_MENTOR],
                left_on__isnull=True,
            )
            programs = programs.filter(group__in=mentored.values("group"))
        if data["overdue"]:
            programs = programs.filter(overdue_count__gt=0)
        order = data["sort"] or "end"
        return programs.order_by(order, "pk")


class TypicalEventForm(VersionedFormMixin, forms.ModelForm):
    version_fields = TYPICAL_EVENT_FIELDS

    class Meta:
        model = TypicalEvent
        fields = list(TYPICAL_EVENT_FIELDS)
        widgets = {"title": forms.TextInput, "expected_result": forms.TextInput}
        help_texts = {
            "for_mentee": "Ответственным в плане будет наставляемый; иначе — наставник и "
            "наставляемый вместе.",
            "is_active": "Снимите отметку, чтобы мероприятие больше не попадало в новые программы.",
        }
        error_messages = {"title": {"required": "Напишите название мероприятия."}}

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.pk
        self.fields["direction"].queryset = Direction.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.direction_id if current else None)
        )
        self.fields["form"].queryset = EventForm.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.form_id if current else None)
        )
        limit_to_institution(self, institution)
