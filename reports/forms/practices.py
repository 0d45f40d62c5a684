"""Forms of the bank of best practices (Приложение 2, этап 6–7): a practice, a material file,
and the filters of the list."""

from django import forms

from mentoring_site.lib.collation import normalize_for_search
from mentoring_site.lib.uploads import CheckedFileField
from mentoring_site.lib.versions import VersionedFormMixin
from registry.models import Direction
from reports.models import Practice
from reports.services.practices import PRACTICE_FIELDS

MATERIAL_KINDS = ("pdf", "docx", "pptx", "jpg", "png")


class PracticeForm(VersionedFormMixin, forms.ModelForm):
    version_fields = PRACTICE_FIELDS

    class Meta:
        model = Practice
        fields = list(PRACTICE_FIELDS)
        widgets = {"summary": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "summary": "Проблема, что делали наставник и наставляемый, какой получился "
            "результат и чем опыт полезен другим (п. 3.3 «описание лучшего опыта»).",
        }
        error_messages = {
            "title": {"required": "Напишите название практики."},
            "direction": {"required": "Выберите направление."},
            "summary": {"required": "Опишите практику."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.direction_id if self.instance.pk else None
        self.fields["direction"].queryset = Direction.objects.filter(
            is_active=True
        ) | Direction.objects.filter(pk=current)
        self.fields["direction"].empty_label = "выберите направление"


class MaterialForm(forms.Form):
    file = CheckedFileField(
        kinds=MATERIAL_KINDS,
        what="Конспект, презентация, методическая разработка, фото",
        label="Файл",
        error_messages={"required": "Выберите файл."},
    )


class DeleteForm(forms.Form):
    """Nothing to fill in: the page asks and the button confirms."""


class PracticeSearchForm(forms.Form):
    """The search by title goes by POST and is kept in the session: a title made from a
    program names the pair, and names stay out of URLs."""

    q = forms.CharField(label="Поиск по названию", required=False, max_length=100)


class TagChoiceField(forms.ChoiceField):
    """A tag of the bank, whatever its case: «икт» from a link finds «ИКТ»."""

    def valid_value(self, value):
        key = normalize_for_search(str(value))
        return any(normalize_for_search(str(choice)) == key for choice, _ in self.choices)


class PracticeFilterForm(forms.Form):
    direction = forms.ModelChoiceField(
        label="Направление", required=False, queryset=Direction.objects.all(), empty_label="Все"
    )
    tag = TagChoiceField(label="Метка", required=False, choices=[])
    status = forms.ChoiceField(
        label="Состояние", required=False, choices=[("", "Все")] + list(Practice.Status.choices)
    )

    def __init__(self, *args, tags: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", "Все")] + [(tag, tag) for tag in tags]

    @property
    def values(self) -> dict:
        """The valid filters (an invalid value is ignored rather than breaking the list)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}

    @property
    def is_filtered(self) -> bool:
        return bool(self.values)
