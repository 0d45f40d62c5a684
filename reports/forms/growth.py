"""Forms of the growth records (п. 3.4, п. 4.2): a record with an optional update of the
qualification category in the card, and the filters of the institution's list."""

from django import forms
from django.utils import timezone

from mentoring_site.lib.versions import VersionedFormMixin
from registry.models import Person, QualificationCategory
from reports.models import GrowthRecord
from reports.services.growth import RECORD_FIELDS, academic_years, person_programs

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, program):
        return f"{program.group.title}, {program.start:%d.%m.%Y} — {program.end:%d.%m.%Y}"


class GrowthRecordForm(VersionedFormMixin, forms.ModelForm):
    version_fields = RECORD_FIELDS

    program = ProgramChoiceField(
        label="В рамках программы",
        queryset=None,
        required=False,
        empty_label="не связано с программой",
        help_text="Если достижение — результат программы наставничества.",
    )
    update_card = forms.BooleanField(
        label="Обновить категорию в карточке",
        required=False,
        help_text="Только для аттестации: категория и дата аттестации перейдут в карточку "
        "участника.",
    )
    category = forms.ChoiceField(
        label="Присвоенная категория",
        required=False,
        choices=[("", "—")] + [c for c in QualificationCategory.choices if c[0] != "none"],
        help_text="Нужна, если отмечено «Обновить категорию в карточке».",
    )

    class Meta:
        model = GrowthRecord
        fields = ["kind", "title", "date", "level", "result", "program"]
        widgets = {"date": DATE_WIDGET}
        help_texts = {
            "title": "Как в документе: «Аттестация на первую квалификационную категорию», "
            "«Конкурс „Воспитатель года“».",
        }
        error_messages = {
            "kind": {"required": "Выберите вид достижения."},
            "title": {"required": "Напишите название."},
            "date": {"required": "Укажите дату.", "invalid": "Дата — в виде 24.11.2026."},
        }

    def __init__(self, *args, person: Person, mentor: Person | None = None, **kwargs):
        """``mentor``: the person's mentor enters it (п. 4.2): only the programs of both are
        offered, and the card is the curator's to update."""
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = person_programs(person, mentor)
        self.fields["level"].choices = [("", "не указан")] + list(GrowthRecord.Level.choices)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        if self.instance.pk is not None or mentor is not None:
            del self.fields["update_card"]
            del self.fields["category"]

    def clean(self):
        data = super().clean()
        if data.get("update_card"):
            if data.get("kind") != GrowthRecord.Kind.ATTESTATION:
                self.add_error(
                    "update_card", "Категорию в карточке обновляет только запись об аттестации."
                )
            elif not data.get("category"):
                self.add_error("category", "Выберите категорию, которую присвоили.")
        return data

    @property
    def card_category(self) -> str:
        """The category to carry over to the card, or "" when the curator did not tick it."""
        if self.cleaned_data.get("update_card"):
            return self.cleaned_data.get("category", "")
        return ""


class DeleteForm(forms.Form):
    """Nothing to fill in: the page asks and the button confirms."""


class GrowthFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Вид", required=False, choices=[("", "Все")] + list(GrowthRecord.Kind.choices)
    )
    year = forms.TypedChoiceField(
        label="Учебный год", required=False, coerce=int, empty_value=None, choices=[]
    )
    level = forms.ChoiceField(
        label="Уровень", required=False, choices=[("", "Все")] + list(GrowthRecord.Level.choices)
    )
    status = forms.ChoiceField(
        label="Состояние",
        required=False,
        choices=[("", "Все")] + list(GrowthRecord.Status.choices),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = academic_years(timezone.localdate())
        self.fields["year"].choices = [("", "Все")] + [(y, f"{y}/{y + 1}") for y in years]

    @property
    def values(self) -> dict:
        """The valid filters (an invalid value is ignored rather than breaking the list)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}

    @property
    def is_filtered(self) -> bool:
        return bool(self.values)
