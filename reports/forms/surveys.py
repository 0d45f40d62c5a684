"""Forms of the questionnaires: an own template, a question, sending a survey, and the answer
form built from a template's questions. Forms validate and normalise; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.html import format_html

from mentoring_site.lib.versions import VersionedFormMixin
from programs.models import Program
from reports.models import Question, QuestionnaireTemplate
from reports.services.surveys import QUESTION_FIELDS, SCALE, TEMPLATE_FIELDS, choices_error

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REQUIRED = "Ответьте на этот вопрос."
STATUS_FILTER = [
    ("", "все"),
    (Program.Status.ACTIVE, "выполняются"),
    (Program.Status.COMPLETED, "завершены"),
    (Program.Status.TERMINATED, "прекращены"),
]


class TemplateForm(VersionedFormMixin, forms.ModelForm):
    version_fields = TEMPLATE_FIELDS

    class Meta:
        model = QuestionnaireTemplate
        fields = list(TEMPLATE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"audience": "Кому адресована"}
        help_texts = {
            "description": "Несколько слов перед вопросами: зачем анкета и как отвечать.",
            "audience": "Анкета уйдёт только наставникам, только наставляемым или всем участникам "
            "выбранных программ.",
        }
        error_messages = {"title": {"required": "Назовите анкету."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [
            ("", "всем участникам"),
            *self.fields["audience"].choices[1:],
        ]


class QuestionForm(VersionedFormMixin, forms.ModelForm):
    version_fields = QUESTION_FIELDS

    choices = forms.CharField(
        label="Варианты ответа",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Для вопросов с выбором: каждый вариант с новой строки, не меньше двух. "
        "У шкалы и свободного ответа вариантов нет.",
    )

    class Meta:
        model = Question
        fields = list(QUESTION_FIELDS)
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        labels = {"required": "Обязательный вопрос"}
        error_messages = {"text": {"required": "Напишите вопрос."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["choices"] = "\n".join(self.instance.choices)

    def clean_choices(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines()]
        return [line for line in lines if line]

    def clean(self):
        data = super().clean()
        kind, choices = data.get("kind"), data.get("choices")
        if kind and choices is not None and (error := choices_error(kind, choices)):
            self.add_error("choices", error)
        return data


class ProgramChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, program):
        term = f"{program.start:%d.%m.%Y} — {program.end:%d.%m.%Y}"
        return f"{program.group.title} ({program.get_status_display()}, {term})"


# The send form's choice «both satisfaction questionnaires at once» (one per side).
BOTH_SATISFACTION = "satisfaction"


class SurveyTemplateField(forms.ModelChoiceField):
    """A template, or ``BOTH_SATISFACTION``: the mentees' and the mentors' satisfaction
    questionnaires, each to its side."""

    def to_python(self, value):
        if value == BOTH_SATISFACTION:
            return BOTH_SATISFACTION
        return super().to_python(value)


class SurveyFilterForm(forms.Form):
    status = forms.ChoiceField(label="Состояние программ", choices=STATUS_FILTER, required=False)


class SurveyForm(forms.Form):
    template = SurveyTemplateField(
        label="Анкета",
        queryset=QuestionnaireTemplate.objects.none(),
        empty_label="— выберите анкету —",
        error_messages={"required": "Выберите анкету."},
    )
    title = forms.CharField(
        label="Название анкетирования",
        max_length=300,
        help_text="Так его увидят участники: «Удовлетворённость программами, декабрь 2026».",
        error_messages={"required": "Назовите анкетирование."},
    )
    deadline = forms.DateField(
        label="Ответить до",
        required=False,
        widget=DATE_WIDGET,
        help_text="За три дня до срока не ответившим придёт напоминание. Без срока — через "
        "неделю после рассылки.",
    )
    anonymous = forms.BooleanField(
        label="Анонимно",
        required=False,
        help_text="Ответы видны только сводно и только когда ответили не меньше трёх человек; "
        "кто что ответил, не узнает никто.",
    )
    programs = ProgramChoiceField(
        label="Программы",
        queryset=Program.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Анкету получат наставники и наставляемые отмеченных программ — каждый один "
        "раз, даже если участвует в двух.",
        error_messages={"required": "Выберите хотя бы одну программу."},
    )

    def __init__(self, *args, templates, programs, satisfaction=(), **kwargs):
        """``satisfaction``: the institution's satisfaction questionnaires, one per side; with
        both, the first choice sends them together."""
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        field.queryset = templates
        self.fields["programs"].queryset = programs
        if len(satisfaction) == 2:
            field.widget.choices = [
                ("", field.empty_label),
                (BOTH_SATISFACTION, "Удовлетворённость программой: наставникам и наставляемым"),
                *list(field.choices)[1:],
            ]
            # help_text is shown as HTML: the titles a curator typed are escaped here.
            field.help_text = format_html(
                "«Удовлетворённость программой» — одна рассылка двух анкет, «{}» и «{}»: "
                "каждый участник получит анкету своей роли.",
                *(template.title for template, _ in satisfaction),
            )

    @property
    def sends_both_satisfaction(self) -> bool:
        return self.cleaned_data.get("template") == BOTH_SATISFACTION

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline is not None and deadline < timezone.localdate():
            raise forms.ValidationError("Срок ответа не может быть в прошлом.")
        return deadline


SCALE_CHOICES = [(n, str(n)) for n in SCALE]


def _field(question: Question) -> forms.Field:
    common = {
        "label": question.text,
        "required": question.required,
        "error_messages": {"required": REQUIRED},
    }
    if question.kind == Question.Kind.SCALE:
        return forms.TypedChoiceField(
            choices=SCALE_CHOICES,
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            help_text="1 — совсем нет, 10 — в полной мере.",
            **{
                **common,
                "error_messages": {
                    **common["error_messages"],
                    "invalid_choice": "Оценка — от 1 до 10.",
                },
            },
        )
    options = [(c, c) for c in question.choices]
    if question.kind == Question.Kind.SINGLE:
        return forms.ChoiceField(
            choices=options,
            widget=forms.RadioSelect,
            **{
                **common,
                "error_messages": {
                    **common["error_messages"],
                    "invalid_choice": "Выберите один из вариантов.",
                },
            },
        )
    if question.kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=options,
            widget=forms.CheckboxSelectMultiple,
            help_text="Можно выбрать несколько.",
            **{
                **common,
                "error_messages": {
                    **common["error_messages"],
                    "invalid_choice": "Выберите варианты из списка.",
                },
            },
        )
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)


class AnswerForm(forms.Form):
    """One field per question, named ``q<id>``, in the template's order."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = _field(question)

    def values(self) -> dict:
        """The answers by question id, as the service takes them."""
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def question_fields(self):
        """(question, bound field) pairs for the template."""
        return [(q, self[f"q{q.pk}"]) for q in self.questions]
