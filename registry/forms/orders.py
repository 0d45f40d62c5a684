"""Forms of the orders register: the filter, the draft and the signature."""

import re

from django import forms
from django.utils import timezone

from mentoring_site.lib.versions import VersionedFormMixin
from registry.models import Order, Person
from registry.services.orders import (
    DEFAULT_BASIS,
    DRAFT_KINDS,
    ORDER_VERSION_FIELDS,
    order_default_title,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# «1.», «2)», «п. 3.», «-», «•» typed before an item: the numbers are put by the document.
ITEM_PREFIX = re.compile(r"^\s*(?:(?:п\.\s*)?\d+\s*[.)]|[-–—•*])\s*", re.IGNORECASE)

KIND_LABELS = {kind.label for kind in Order.Kind}


def parse_items(text: str) -> list[str]:
    """One item a line, the numbering the user typed taken off, empty lines skipped."""
    items = (ITEM_PREFIX.sub("", line, count=1).strip() for line in text.splitlines())
    return [item for item in items if item]


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        if person.position_id:
            return f"{person.full_name}, {person.position.name}"
        return person.full_name


class OrderFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="Год", coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label="Вид приказа", required=False)
    status = forms.ChoiceField(label="Состояние", required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Все годы")] + [(y, str(y)) for y in years]
        self.fields["kind"].choices = [("", "Все виды")] + Order.Kind.choices
        self.fields["status"].choices = [("", "Все")] + Order.Status.choices


class OrderForm(VersionedFormMixin, forms.ModelForm):
    version_fields = ORDER_VERSION_FIELDS

    items = forms.CharField(
        label="Пункты «ПРИКАЗЫВАЮ»",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Каждый пункт — с новой строки, номера проставятся сами. В приказе "
        "о назначении куратора или о составе совета можно оставить пустым: пункты "
        "составятся по назначаемым.",
    )
    appointees = PersonChoiceField(
        label="Назначаемые",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"data-searchable": "true"}),
        help_text="Только для приказов о назначении куратора (один человек), об освобождении "
        "от обязанностей куратора и о составе методического совета. После подписания роль "
        "будет выдана (при освобождении — снята); новый состав совета заменяет прежний.",
    )
    acquainted = PersonChoiceField(
        label="С приказом ознакомлены",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"data-searchable": "true"}),
        help_text="Под приказом будут строки для их подписи. Назначаемые добавятся сами.",
    )

    class Meta:
        model = Order
        fields = list(ORDER_VERSION_FIELDS)
        widgets = {"basis": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "title": "Оставьте название вида приказа или уточните его.",
            "basis": "Например: «В соответствии с Положением о системе (целевой модели) "
            "наставничества педагогических работников».",
        }

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in DRAFT_KINDS]
        self.fields["title"].required = False
        people = Person.objects.filter(institution=institution).select_related("position")
        self.fields["appointees"].queryset = people
        self.fields["acquainted"].queryset = people
        if self.instance.pk:
            self.initial["items"] = "\n".join(self.instance.items)
        else:
            self.initial.setdefault("basis", DEFAULT_BASIS)
            if not self.initial.get("title"):
                kind = self.initial.get("kind", DRAFT_KINDS[0])
                self.initial["title"] = order_default_title(kind)

    def clean_items(self) -> list[str]:
        return parse_items(self.cleaned_data["items"])

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        title = (cleaned.get("title") or "").strip()
        # Empty, or the prefilled name of another kind left as it was: the kind's name.
        if kind and (not title or title in KIND_LABELS):
            cleaned["title"] = order_default_title(kind)
        return cleaned


class OrderSignForm(forms.Form):
    number = forms.CharField(
        label="Номер приказа",
        max_length=20,
        help_text="В формате учреждения: «94», «94/1», «12-о». Номер не повторяется в году.",
    )
    date = forms.DateField(label="Дата приказа", widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
