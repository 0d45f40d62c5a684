"""The year of a new «Сводка по учреждениям»."""

from django import forms


class SummaryForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Учебный год",
        coerce=int,
        error_messages={
            "required": "Выберите учебный год.",
            "invalid_choice": "Выберите учебный год из списка.",
        },
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}/{y + 1}") for y in years]
