"""Forms of the banks: a person, the mentee and mentor profiles and their rows."""

from datetime import date

from django import forms
from django.db.models import Q
from django.utils import timezone

from mentoring_site.lib.forms import limit_to_institution
from mentoring_site.lib.names import normalize_name, validate_name
from mentoring_site.lib.versions import VersionedFormMixin
from registry.models import (
    Competence,
    Consent,
    Difficulty,
    Direction,
    MenteeCategory,
    MenteeProfile,
    MentoringForm,
    MentoringKind,
    MentorProfile,
    Organization,
    Person,
    Position,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _active(model, current=None):
    """Active reference items, plus the ones a record already uses (so nothing is lost)."""
    condition = Q(is_active=True)
    if current:
        condition |= Q(pk__in=[item.pk for item in current])
    return model.objects.filter(condition)


class PersonForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = [name for name in Person.DETAILS if name not in Person.DETAILS_NOT_IN_FORM]
        widgets = {
            "birth_date": DATE_WIDGET,
            "hired_on": DATE_WIDGET,
            "attestation_date": DATE_WIDGET,
        }
        help_texts = {
            "experience_total": "Полных лет, можно с десятыми: 2,5.",
            "phone": "Например, +7 921 123-45-67.",
        }

    def __init__(self, *args, institution: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.fields["organization"].queryset = Organization.objects.filter(
            Q(pk=institution.pk) | Q(partner_of=institution)
        ).order_by("partner_of", "short_name")
        self.fields["organization"].empty_label = None
        if not self.instance.pk:
            self.initial.setdefault("organization", institution.pk)
        current = [self.instance.position] if self.instance.position_id else None
        self.fields["position"].queryset = _active(Position, current)
        limit_to_institution(self, institution)
        for name in ("experience_total", "experience_pedagogical", "experience_in_position"):
            self.fields[name].localize = True
            self.fields[name].widget.is_localized = True

    def _name(self, field):
        """A name as typed: letters, hyphens, spaces, apostrophes (mentoring_site/lib/names.py).
        A name kept before the rule and left as it was is not checked again."""
        value = normalize_name(self.cleaned_data.get(field) or "")
        if field in self.changed_data:
            validate_name(value)
        return value

    def clean_last_name(self):
        return self._name("last_name")

    def clean_first_name(self):
        return self._name("first_name")

    def clean_patronymic(self):
        return self._name("patronymic")

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value:
            today = timezone.localdate()
            age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
            if not 15 <= age <= 90:
                raise forms.ValidationError("Проверьте дату рождения: возраст от 15 до 90 лет.")
        return value

    def _not_in_future(self, name):
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            raise forms.ValidationError("Дата не может быть в будущем.")
        return value

    def clean_hired_on(self):
        return self._not_in_future("hired_on")

    def clean_attestation_date(self):
        return self._not_in_future("attestation_date")

    def _experience(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and not 0 <= value <= 70:
            raise forms.ValidationError("Стаж — число лет от 0 до 70.")
        return value

    def clean_experience_total(self):
        return self._experience("experience_total")

    def clean_experience_pedagogical(self):
        return self._experience("experience_pedagogical")

    def clean_experience_in_position(self):
        return self._experience("experience_in_position")

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        if email:
            taken = Person.objects.filter(institution=self.institution, email__iexact=email)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise forms.ValidationError("Участник с таким e-mail уже есть в реестре.")
        return email

    def clean(self):
        cleaned = super().clean()
        total = cleaned.get("experience_total")
        pedagogical = cleaned.get("experience_pedagogical")
        in_position = cleaned.get("experience_in_position")
        if total is not None and pedagogical is not None and pedagogical > total:
            self.add_error(
                "experience_pedagogical", "Педагогический стаж не может быть больше общего."
            )
        if total is not None and in_position is not None and in_position > total:
            self.add_error(
                "experience_in_position", "Стаж в должности не может быть больше общего."
            )
        birth, hired = cleaned.get("birth_date"), cleaned.get("hired_on")
        if birth and hired and hired <= birth:
            self.add_error("hired_on", "Дата приёма должна быть позже даты рождения.")
        return cleaned

    def validate_unique(self):
        # The form sets the institution before validation, so the name + birth date rule
        # (a database constraint) is checked here and shown next to the date of birth.
        self.instance.institution = self.institution
        try:
            self.instance.validate_constraints(exclude={"email"})
        except forms.ValidationError as error:
            for message in error.messages:
                field = "birth_date" if "ФИО" in message else None
                if not (field and field in self.errors):
                    self.add_error(field, message)


class ConsentGateForm(forms.Form):
    """Shown while the person has no processing consent: nobody enters a bank without it
    (152-ФЗ ст. 9; Приложение 2, этапы 2.2 и 3.2)."""

    consent_given_on = forms.DateField(
        label="Дата согласия на обработку персональных данных",
        widget=DATE_WIDGET,
        error_messages={
            "required": "Без согласия на обработку персональных данных включить в банк нельзя "
            "(152-ФЗ, ст. 9). Укажите дату подписанного согласия."
        },
        help_text="Дата на подписанном бланке; бланк можно распечатать на странице участника.",
    )
    consent_method = forms.ChoiceField(
        label="Как получено согласие", choices=Consent.Method.choices, initial="paper"
    )

    def clean_consent_given_on(self):
        value = self.cleaned_data["consent_given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Дата согласия не может быть в будущем.")
        if value < date(2000, 1, 1):
            raise forms.ValidationError("Проверьте дату согласия.")
        return value


class MenteeProfileForm(VersionedFormMixin, forms.ModelForm):
    version_rows = ("difficulties",)

    class Meta:
        model = MenteeProfile
        fields = [
            "category",
            "strengths",
            "preferred_forms",
            "preferred_kinds",
            "preferred_mode",
            "status",
            "support_note",
        ]
        widgets = {
            "preferred_forms": forms.CheckboxSelectMultiple,
            "preferred_kinds": forms.CheckboxSelectMultiple,
            "preferred_mode": forms.RadioSelect,
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "support_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.fields["category"].queryset = _active(
            MenteeCategory, [instance.category] if instance.category_id else None
        )
        existing = instance.pk is not None
        self.fields["preferred_forms"].queryset = _active(
            MentoringForm, list(instance.preferred_forms.all()) if existing else None
        )
        self.fields["preferred_kinds"].queryset = _active(
            MentoringKind, list(instance.preferred_kinds.all()) if existing else None
        )
        # Being in a pair and completing follow from groups (the pairs issue); here the
        # curator keeps a mentee in the bank or on the «без пары» list (этап 5.3).
        allowed = [MenteeProfile.Status.IN_BANK, MenteeProfile.Status.WITHOUT_PAIR]
        if instance.status not in allowed:
            allowed.append(instance.status)
        self.fields["status"].choices = [
            (value, label) for value, label in MenteeProfile.Status.choices if value in allowed
        ]


class DifficultyForm(forms.ModelForm):
    class Meta:
        model = Difficulty
        fields = ["kind", "direction", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = [self.instance.direction] if self.instance.direction_id else None
        self.fields["direction"].queryset = _active(Direction, current)


# Rows of a bank entry: a person names a handful of difficulties or competences; the bound keeps
# the work of one request bounded however many rows a hand-made form claims (absolute_max).
MAX_ROWS = 30

DifficultyFormSet = forms.inlineformset_factory(
    MenteeProfile,
    Difficulty,
    form=DifficultyForm,
    extra=2,
    can_delete=True,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)


class MentorProfileForm(VersionedFormMixin, forms.ModelForm):
    version_rows = ("competences",)

    class Meta:
        model = MentorProfile
        fields = list(MentorProfile.DETAILS)
        widgets = {
            "ready_forms": forms.CheckboxSelectMultiple,
            "ready_kinds": forms.CheckboxSelectMultiple,
            "experience": forms.Textarea(attrs={"rows": 3}),
            "awards": forms.Textarea(attrs={"rows": 2}),
            "training_completed_on": DATE_WIDGET,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = self.instance.pk is not None
        self.fields["ready_forms"].queryset = _active(
            MentoringForm, list(self.instance.ready_forms.all()) if existing else None
        )
        self.fields["ready_kinds"].queryset = _active(
            MentoringKind, list(self.instance.ready_kinds.all()) if existing else None
        )
        self.fields["capacity"].widget.attrs.update({"min": 1, "max": 10})

    def clean_capacity(self):
        value = self.cleaned_data.get("capacity")
        if value is not None and not 1 <= value <= 10:
            raise forms.ValidationError("Одновременно — от 1 до 10 наставляемых.")
        return value

    def clean_training_completed_on(self):
        value = self.cleaned_data.get("training_completed_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("Дата не может быть в будущем.")
        return value


class CompetenceForm(forms.ModelForm):
    class Meta:
        model = Competence
        fields = ["direction", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = [self.instance.direction] if self.instance.direction_id else None
        self.fields["direction"].queryset = _active(Direction, current)


class BaseCompetenceFormSet(forms.BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        return "Это направление уже указано: у наставника одна строка на направление."

    def get_form_error(self):
        return "Исправьте повторяющиеся направления."

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            direction = form.cleaned_data.get("direction")
            if direction in seen:
                form.add_error("direction", "Это направление уже указано.")
            seen.add(direction)
        if not seen - {None}:
            raise forms.ValidationError(
                "Укажите хотя бы одно направление, в котором наставник может помочь."
            )


CompetenceFormSet = forms.inlineformset_factory(
    MentorProfile,
    Competence,
    form=CompetenceForm,
    formset=BaseCompetenceFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)


class NameSearchForm(forms.Form):
    """Names are searched by POST so that they never appear in a URL (STYLE.md)."""

    q = forms.CharField(label="Поиск по ФИО", max_length=100, required=False)
    list_name = forms.ChoiceField(choices=[(n, n) for n in ("people", "mentors", "mentees")])
