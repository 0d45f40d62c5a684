"""The filters of the matching page (GET): they go by ids and choices, never by names."""

from django import forms

from registry.matching import MentorFilters
from registry.models import Direction

ORGANIZATIONS = [("", "все"), ("own", "своё учреждение"), ("partner", "организации-партнёры")]


class MentorFilterForm(forms.Form):
    direction = forms.ModelChoiceField(
        label="Направление",
        queryset=Direction.objects.filter(is_active=True),
        required=False,
        empty_label="все",
        help_text="Наставник указал компетенцию по этому направлению.",
    )
    organization = forms.ChoiceField(label="Организация", choices=ORGANIZATIONS, required=False)
    free_only = forms.BooleanField(label="Только со свободными местами", required=False)
    trained_only = forms.BooleanField(label="Только прошедшие обучение", required=False)

    def filters(self) -> MentorFilters:
        """The chosen filters; none when the form is not valid."""
        if not self.is_valid():
            return MentorFilters()
        data = self.cleaned_data
        return MentorFilters(
            direction=data["direction"],
            free_only=data["free_only"],
            trained_only=data["trained_only"],
            organization=data["organization"],
        )

    @property
    def active_count(self) -> int:
        if not self.is_valid():
            return 0
        return sum(1 for value in self.cleaned_data.values() if value)
