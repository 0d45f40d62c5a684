"""The choices of the dashboard and the statistics: an academic year and «на дату». Sent by GET:
a year and a date are not personal data."""

from datetime import date

from django import forms

from mentoring_site.lib.academic_year import academic_year_start

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DashboardForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Учебный год",
        coerce=int,
        error_messages={"invalid_choice": "Выберите учебный год из списка."},
    )
    on_date = forms.DateField(
        label="На дату",
        required=False,
        widget=DATE_WIDGET,
        help_text="Пусто — за весь учебный год. Дата внутри года покажет показатели на этот день.",
        error_messages={"invalid": "Введите дату, например 15.01.2027."},
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}/{y + 1}") for y in years]

    def clean(self):
        data = super().clean()
        year, on = data.get("year"), data.get("on_date")
        if year is not None and on is not None and academic_year_start(on).year != year:
            self.add_error(
                "on_date",
                f"Дата должна быть внутри {year}/{year + 1} учебного года: "
                f"с 01.09.{year} по 31.08.{year + 1}.",
            )
        return data


class StatisticsForm(forms.Form):
    on_date = forms.DateField(
        label="На дату",
        widget=DATE_WIDGET,
        error_messages={
            "invalid": "Введите дату, например 15.01.2027.",
            "required": "Укажите дату.",
        },
    )

    def clean_on_date(self):
        on = self.cleaned_data["on_date"]
        if on.year < 2000 or on > date(2100, 1, 1):
            raise forms.ValidationError("Укажите дату между 2000 и 2100 годом.")
        return on
