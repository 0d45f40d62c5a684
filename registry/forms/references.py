"""The editable reference lists of the regional model (DOMAIN.md §7).

The lists are shared by the whole deployment; an entry in use is hidden, never deleted.
"""

from dataclasses import dataclass

from django import forms

from mentoring_site.lib.collation import normalize_for_search
from programs.models import EventForm
from registry.models import Direction, MenteeCategory, MentoringForm, MentoringKind, Position

DUPLICATE_NAME = "Такое значение уже есть в списке."


class ReferenceItemForm(forms.ModelForm):
    class Meta:
        fields = ["name", "sort_order", "is_active"]
        labels = {"is_active": "Показывать в формах"}
        help_texts = {
            "sort_order": "Чем меньше число, тем выше значение в списке.",
            "is_active": "Снимите отметку, чтобы скрыть значение: в уже заполненных записях "
            "оно останется.",
        }
        error_messages = {"name": {"unique": DUPLICATE_NAME}}

    def clean_name(self):
        """The same value written with another case or with «е» for «ё» is a duplicate too."""
        name = " ".join(self.cleaned_data["name"].split())
        needle = normalize_for_search(name)
        others = self._meta.model.objects.exclude(pk=self.instance.pk)
        names = others.values_list("name", flat=True)
        if any(normalize_for_search(other) == needle for other in names):
            raise forms.ValidationError(DUPLICATE_NAME)
        return name


@dataclass(frozen=True)
class ReferenceList:
    slug: str
    title: str
    model: type

    @property
    def form_class(self) -> type[ReferenceItemForm]:
        return forms.modelform_factory(
            self.model, form=ReferenceItemForm, fields=ReferenceItemForm.Meta.fields
        )


REFERENCE_LISTS = {
    item.slug: item
    for item in (
        ReferenceList("forms", "Формы наставничества (п. 2.3)", MentoringForm),
        ReferenceList("kinds", "Виды наставничества (п. 2.4)", MentoringKind),
        ReferenceList("directions", "Направления (Приложение 1)", Direction),
        ReferenceList("categories", "Категории наставляемых", MenteeCategory),
        ReferenceList("positions", "Должности", Position),
        ReferenceList("event-forms", "Формы мероприятий программ", EventForm),
    )
}
