"""Questionnaires a teacher fills in herself: the mentee request form (Приложение 2, этап 2.1)
and the questionnaire of a potential mentor (этап 3.1).

The answers are kept as JSON with ids AND names of the reference items, so a questionnaire
still reads after an item is renamed or hidden. ``answers()`` builds that JSON;
``initial_from_answers()`` turns it back into the form's initial data.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone

from registry.models import (
    Direction,
    MenteeCategory,
    MentoringForm,
    MentoringKind,
    Mode,
    SelfQuestionnaire,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

PROCESSING_CONSENT_LABEL = (
    "Даю согласие на обработку моих персональных данных на условиях, изложенных выше "
    "(152-ФЗ, ст. 9)"
)
PROCESSING_CONSENT_REQUIRED = (
    "Без согласия на обработку персональных данных анкету отправить нельзя: "
    "отметьте согласие или обратитесь к куратору."
)


def _items(model, ids=()):
    """Active reference items, plus the ones a saved answer already uses."""
    return model.objects.filter(Q(is_active=True) | Q(pk__in=list(ids)))


def _named(item) -> dict:
    return {"id": item.pk, "name": item.name}


def _consent_field():
    return forms.BooleanField(
        label=PROCESSING_CONSENT_LABEL,
        required=True,
        error_messages={"required": PROCESSING_CONSENT_REQUIRED},
    )


def _ids(answers: dict, key: str) -> list[int]:
    value = answers.get(key)
    if isinstance(value, dict):
        return [value["id"]] if "id" in value else []
    return [entry["id"] for entry in value or [] if "id" in entry]


class _QuestionnaireForm(forms.Form):
    """What both questionnaires share: the directions and the processing consent."""

    def __init__(self, *args, institution, saved_answers: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.saved_answers = saved_answers or {}
        used = [row["direction_id"] for row in self._saved_rows()]
        # The installation's directions and the kindergarten's own (issue 20).
        self.directions = list(_items(Direction, used).visible_to(institution))

    def _saved_rows(self) -> list[dict]:
        return []

    def _direction_rows(self, *names: str) -> list[tuple]:
        return [
            (direction, *(self[f"{name}_{direction.pk}"] for name in names))
            for direction in self.directions
        ]


class MenteeRequestForm(_QuestionnaireForm):
    """Анкета-запрос наставляемого (Приложение 2, этап 2.1)."""

    category = forms.ModelChoiceField(
        label="Категория",
        queryset=MenteeCategory.objects.none(),
        empty_label="— выберите —",
        help_text="Кто вы сейчас: например, молодой специалист или педагог после перерыва.",
        error_messages={"required": "Выберите категорию."},
    )
    strengths = forms.CharField(
        label="Ваши сильные стороны",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Что у вас получается хорошо: программа наставничества будет на это опираться.",
    )
    preferred_forms = forms.ModelMultipleChoiceField(
        label="Предпочтительные формы наставничества",
        queryset=MentoringForm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    preferred_kinds = forms.ModelMultipleChoiceField(
        label="Предпочтительные виды наставничества",
        queryset=MentoringKind.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Можно отметить несколько.",
    )
    preferred_mode = forms.ChoiceField(
        label="Как удобнее встречаться с наставником",
        choices=Mode.choices,
        initial=Mode.MIXED,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Комментарий для куратора",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Всё, что важно знать куратору: удобное время, пожелания к наставнику.",
    )
    processing_consent = _consent_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        saved = self.saved_answers
        self.fields["category"].queryset = _items(MenteeCategory, _ids(saved, "category"))
        self.fields["preferred_forms"].queryset = _items(
            MentoringForm, _ids(saved, "preferred_forms")
        )
        self.fields["preferred_kinds"].queryset = _items(
            MentoringKind, _ids(saved, "preferred_kinds")
        )
        for direction in self.directions:
            self.fields[f"difficulty_{direction.pk}"] = forms.CharField(
                label=f"Что вызывает затруднения по направлению «{direction.name}»",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def _saved_rows(self):
        return self.saved_answers.get("difficulties") or []

    @property
    def difficulty_rows(self):
        return self._direction_rows("difficulty")

    @staticmethod
    def initial_from_answers(answers: dict) -> dict:
        initial = {
            "category": (answers.get("category") or {}).get("id"),
            "strengths": answers.get("strengths", ""),
            "preferred_forms": _ids(answers, "preferred_forms"),
            "preferred_kinds": _ids(answers, "preferred_kinds"),
            "preferred_mode": (answers.get("preferred_mode") or {}).get("value", Mode.MIXED),
            "comment": answers.get("comment", ""),
        }
        for row in answers.get("difficulties") or []:
            initial[f"difficulty_{row['direction_id']}"] = row.get("text", "")
        return initial

    def clean(self):
        cleaned = super().clean()
        filled = [d for d in self.directions if cleaned.get(f"difficulty_{d.pk}", "").strip()]
        if self.directions and not filled:
            self.add_error(
                f"difficulty_{self.directions[0].pk}",
                "Опишите затруднения или запросы хотя бы по одному направлению.",
            )
        return cleaned

    def answers(self) -> dict:
        data = self.cleaned_data
        mode = Mode(data["preferred_mode"])
        return {
            "category": _named(data["category"]),
            "difficulties": [
                {
                    "direction_id": direction.pk,
                    "direction": direction.name,
                    "text": data[f"difficulty_{direction.pk}"].strip(),
                }
                for direction in self.directions
                if data.get(f"difficulty_{direction.pk}", "").strip()
            ],
            "strengths": data["strengths"].strip(),
            "preferred_forms": [_named(item) for item in data["preferred_forms"]],
            "preferred_kinds": [_named(item) for item in data["preferred_kinds"]],
            "preferred_mode": {"value": mode.value, "name": mode.label},
            "comment": data["comment"].strip(),
            "processing_consent": True,
        }


class MentorQuestionnaireForm(_QuestionnaireForm):
    """Анкета потенциального наставника (Приложение 2, этап 3.1)."""

    experience = forms.CharField(
        label="Опыт наставничества",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Кого и сколько лет вы уже сопровождали: молодых педагогов, студентов, коллег.",
    )
    awards = forms.CharField(
        label="Награды, участие в профессиональных конкурсах",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    ready_forms = forms.ModelMultipleChoiceField(
        label="К каким формам наставничества вы готовы",
        queryset=MentoringForm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ready_kinds = forms.ModelMultipleChoiceField(
        label="К каким видам наставничества вы готовы",
        queryset=MentoringKind.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Можно отметить несколько.",
    )
    capacity = forms.IntegerField(
        label="Сколько наставляемых вы готовы сопровождать одновременно",
        min_value=1,
        max_value=10,
        initial=2,
        help_text="От 1 до 10.",
        error_messages={
            "required": "Укажите число наставляемых: от 1 до 10.",
            "min_value": "Не меньше одного наставляемого.",
            "max_value": "Не больше 10 наставляемых одновременно.",
            "invalid": "Введите целое число от 1 до 10.",
        },
    )
    training_completed_on = forms.DateField(
        label="Когда вы прошли обучение для наставников",
        required=False,
        widget=DATE_WIDGET,
        help_text="Если ещё не проходили, оставьте пустым: куратор предложит обучение.",
    )
    training_note = forms.CharField(
        label="Программа обучения, организация",
        required=False,
        max_length=500,
    )
    mentoring_consent_ready = forms.BooleanField(
        label="Готовы дать письменное согласие на наставничество (ТК РФ, ст. 351.8)",
        required=False,
        help_text="Само согласие подписывается на бумаге, когда вас назначат наставником.",
    )
    comment = forms.CharField(
        label="Комментарий для куратора",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    processing_consent = _consent_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        saved = self.saved_answers
        self.fields["ready_forms"].queryset = _items(MentoringForm, _ids(saved, "ready_forms"))
        self.fields["ready_kinds"].queryset = _items(MentoringKind, _ids(saved, "ready_kinds"))
        for direction in self.directions:
            self.fields[f"can_help_{direction.pk}"] = forms.BooleanField(
                label="Могу помогать", required=False
            )
            self.fields[f"help_text_{direction.pk}"] = forms.CharField(
                label="В чём именно",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def _saved_rows(self):
        return self.saved_answers.get("competences") or []

    @property
    def competence_rows(self):
        return self._direction_rows("can_help", "help_text")

    @staticmethod
    def initial_from_answers(answers: dict) -> dict:
        training = answers.get("training_completed_on")
        initial = {
            "experience": answers.get("experience", ""),
            "awards": answers.get("awards", ""),
            "ready_forms": _ids(answers, "ready_forms"),
            "ready_kinds": _ids(answers, "ready_kinds"),
            "capacity": answers.get("capacity", 2),
            "training_completed_on": training or None,
            "training_note": answers.get("training_note", ""),
            "mentoring_consent_ready": bool(answers.get("mentoring_consent_ready")),
            "comment": answers.get("comment", ""),
        }
        for row in answers.get("competences") or []:
            initial[f"can_help_{row['direction_id']}"] = True
            initial[f"help_text_{row['direction_id']}"] = row.get("text", "")
        return initial

    def clean_training_completed_on(self):
        value = self.cleaned_data.get("training_completed_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("Дата обучения не может быть в будущем.")
        return value

    def clean(self):
        cleaned = super().clean()
        chosen = 0
        for direction in self.directions:
            can_help = cleaned.get(f"can_help_{direction.pk}")
            text = cleaned.get(f"help_text_{direction.pk}", "").strip()
            if text and not can_help:
                self.add_error(
                    f"can_help_{direction.pk}",
                    "Отметьте «Могу помогать» или очистите поле «В чём именно».",
                )
            chosen += bool(can_help)
        first = f"can_help_{self.directions[0].pk}" if self.directions else None
        if first and not chosen and not self.has_error(first):
            self.add_error(
                first,
                "Отметьте хотя бы одно направление, по которому можете помогать.",
            )
        return cleaned

    def answers(self) -> dict:
        data = self.cleaned_data
        training = data["training_completed_on"]
        return {
            "competences": [
                {
                    "direction_id": direction.pk,
                    "direction": direction.name,
                    "text": data[f"help_text_{direction.pk}"].strip(),
                }
                for direction in self.directions
                if data.get(f"can_help_{direction.pk}")
            ],
            "experience": data["experience"].strip(),
            "awards": data["awards"].strip(),
            "ready_forms": [_named(item) for item in data["ready_forms"]],
            "ready_kinds": [_named(item) for item in data["ready_kinds"]],
            "capacity": data["capacity"],
            "training_completed_on": training.isoformat() if training else None,
            "training_note": data["training_note"].strip(),
            "mentoring_consent_ready": data["mentoring_consent_ready"],
            "comment": data["comment"].strip(),
            "processing_consent": True,
        }


FORMS = {
    SelfQuestionnaire.Kind.MENTEE_REQUEST: MenteeRequestForm,
    SelfQuestionnaire.Kind.MENTOR: MentorQuestionnaireForm,
}


class RejectForm(forms.Form):
    comment = forms.CharField(
        label="Почему анкета отклонена",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Педагог увидит этот комментарий в личном кабинете.",
        error_messages={"required": "Напишите причину отказа."},
    )


class QuestionnaireFilterForm(forms.Form):
    """Filters of the review list: choices only, never names (no personal data in URLs)."""

    status = forms.ChoiceField(
        label="Статус",
        required=False,
        choices=[("", "все")] + SelfQuestionnaire.Status.choices,
    )
    kind = forms.ChoiceField(
        label="Анкета",
        required=False,
        choices=[("", "все")] + SelfQuestionnaire.Kind.choices,
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        for name in ("status", "kind"):
            if self.cleaned_data[name]:
                queryset = queryset.filter(**{name: self.cleaned_data[name]})
        return queryset
