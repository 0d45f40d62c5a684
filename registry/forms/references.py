"""The editable reference lists of the regional model (DOMAIN.md §7).

The installation's entries are kept by its administrator; a kindergarten adds its own, seen by
it alone (``registry.access.ListScope``). An entry in use is hidden, never deleted.
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

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope

    def clean_name(self):
        """The same value written with another case or with «е» for «ё» is a duplicate too, among
        what the user's kindergarten sees (the shared entries and its own)."""
        name = " ".join(self.cleaned_data["name"].split())
        needle = normalize_for_search(name)
        others = self.scope.items(self._meta.model).exclude(pk=self.instance.pk)
        names = others.values_list("name", flat=True)
        if any(normalize_for_search(other) == needle for other in names):
            raise forms.ValidationError(DUPLICATE_NAME)
        return name

    def save(self, commit=True):
        if self.instance.pk is None:
            # A kindergarten's sysadmin adds to its own list; the installation's administrator
            # to the shared one.
            self.instance.institution = self.scope.institution
        return super().save(commit=commit)


@dataclass(frozen=True)
class ReferenceList:
    slug: str
    title: str
    model: type
    extra_fields: tuple = ()  # beyond the name, the order and «используется»

    @property
    def form_class(self) -> type[ReferenceItemForm]:
        return forms.modelform_factory(
            self.model,
            form=ReferenceItemForm,
            fields=[*ReferenceItemForm.Meta.fields, *self.extra_fields],
        )


REFERENCE_LISTS = {
    item.slug: item
    for item in (
        # group_size: the number of mentees the form or kind asks for (п. 2.4).
        ReferenceList("forms", "Формы наставничества (п. 2.3)", MentoringForm, ("group_size",)),
        ReferenceList("kinds", "Виды наставничества (п. 2.4)", MentoringKind, ("group_size",)),
        ReferenceList("directions", "Направления (Приложение 1)", Direction),
        ReferenceList("categories", "Категории наставляемых", MenteeCategory),
        ReferenceList("positions", "Должности", Position),
        ReferenceList("event-forms", "Формы мероприятий программ", EventForm),
    )
}
