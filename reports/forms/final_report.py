"""Forms of the final analytical report (п. 3.3): the year of a new draft and the curator's
own texts. Forms validate; the services decide and save."""

from django import forms

from mentoring_site.lib.versions import VersionedFormMixin
from reports.models import FinalReport
from reports.services.final_report import TEXT_FIELDS


class CreateForm(forms.Form):
    """The academic year of a new draft: the current one or a past year with data."""

    year_start = forms.TypedChoiceField(
        label="Учебный год", coerce=int, error_messages={"required": "Выберите учебный год."}
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year_start"].choices = [(y, f"{y}/{y + 1}") for y in years]
        self.fields["year_start"].error_messages["invalid_choice"] = (
            "Отчёт создают за текущий учебный год или за прошедший, по которому есть данные."
        )


def _area(placeholder: str) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": 10, "placeholder": placeholder})


class TextsForm(VersionedFormMixin, forms.ModelForm):
    """Problems, risks and proposals: the curator's analysis that no number replaces."""

    version_fields = TEXT_FIELDS

    class Meta:
        model = FinalReport
        fields = ["problems", "risks", "proposals"]
        labels = {
            "problems": "Выявленные проблемы",
            "risks": "Риски",
            "proposals": "Предложения по совершенствованию системы наставничества",
        }
        help_texts = {
            "problems": "Что мешало реализации программ в этом году: по данным отчёта, "
            "анкетам и наблюдениям. Каждую мысль — с новой строки.",
            "risks": "Что может помешать в следующем году: кадры, нагрузка, сроки.",
            "proposals": "Что изменить: в дорожной карте, программах, обучении наставников.",
        }
        widgets = {
            "problems": _area("Например: не все наставляемые прошли анкетирование в срок…"),
            "risks": _area("Например: уход наставников в декретный отпуск…"),
            "proposals": _area("Например: провести установочную сессию для новых наставников…"),
        }
