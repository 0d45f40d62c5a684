"""Forms of the consents: recording one with its signed scan, attaching a scan later, and
withdrawing it."""

from django import forms
from django.utils import timezone

from mentoring_site.lib.uploads import CheckedFileField, upload_help_text
from registry.models import DISSEMINATION_CATEGORIES, Consent

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


SCAN_KINDS = ("pdf", "jpg", "png")


def ScanField(**kwargs) -> CheckedFileField:  # noqa: N802  (reads as a field class)
    """A signed scan: PDF, JPEG or PNG. The clean file is named «scan.<kind>»: the uploaded
    name may hold a surname."""
    kwargs.setdefault("label", "Скан подписанного согласия")
    return CheckedFileField(kinds=SCAN_KINDS, noun="скан", rename="scan", **kwargs)


def scan_help_text() -> str:
    return upload_help_text(SCAN_KINDS)


ALLOWS_CHOICES = [("yes", "разрешаю"), ("no", "не разрешаю")]
DISSEMINATION_FIELDS = [f"allows_{code}" for code in DISSEMINATION_CATEGORIES] + [
    "conditions",
    "resource_url",
]


class ConsentForm(forms.ModelForm):
    """A consent as signed. The consent to dissemination (152-ФЗ ст. 10.1) adds, as its form
    does, «разрешаю» or «не разрешаю» for each category, the conditions and bans, and the
    site's address; these fields are ignored for the other kinds."""

    scan = ScanField(required=False)
    conditions = forms.CharField(
        label="Условия и запреты",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Как человек написал в п. 3–4 бланка; пусто, если ничего не написано.",
    )
    resource_url = forms.URLField(
        label="Адрес сайта, где публикуются сведения",
        required=False,
        assume_scheme="https",
        help_text="Адрес раздела «Наставничество», как он записан в п. 2 бланка.",
    )

    class Meta:
        model = Consent
        fields = ["kind", "given_on", "method", "scan", "note"]
        widgets = {"given_on": DATE_WIDGET, "method": forms.RadioSelect}
        labels = {"kind": "Вид согласия"}
        help_texts = {
            "given_on": "Дата, которую человек поставил под согласием.",
            "note": "Например: «подписано на собрании педагогов».",
        }

    def __init__(self, *args, section_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for code, words in DISSEMINATION_CATEGORIES.items():
            self.fields[f"allows_{code}"] = forms.ChoiceField(
                label=words[:1].upper() + words[1:],
                choices=ALLOWS_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )
        # The fields of ст. 10.1 last, in the form's order.
        self.order_fields([*self.Meta.fields, *DISSEMINATION_FIELDS])
        self.fields["resource_url"].initial = section_url

    @property
    def main_fields(self):
        return [self[name] for name in self.Meta.fields]

    @property
    def dissemination_fields(self):
        return [self[name] for name in DISSEMINATION_FIELDS]

    @property
    def categories(self) -> dict[str, bool] | None:
        """code → allowed, of the categories marked; None for a consent of another kind."""
        if self.cleaned_data.get("kind") != Consent.Kind.DISSEMINATION:
            return None
        return {
            code: self.cleaned_data[f"allows_{code}"] == "yes"
            for code in DISSEMINATION_CATEGORIES
            if self.cleaned_data.get(f"allows_{code}")
        }

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError("Дата согласия не может быть в будущем.")
        return given_on


class ConsentScanForm(forms.Form):
    """The signed scan of a consent recorded without one, or a better copy of it."""

    scan = ScanField(error_messages={"required": "Выберите файл со сканом подписанного согласия."})

    def __init__(self, *args, consent: Consent, **kwargs):
        super().__init__(*args, **kwargs)
        if consent.scan:
            self.fields["scan"].help_text = (
                f"{scan_help_text()} Скан уже загружен: новый файл заменит его, "
                "прежний будет удалён."
            )


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label="Дата отзыва",
        widget=DATE_WIDGET,
        help_text="Дата заявления об отзыве согласия.",
    )

    def __init__(self, *args, consent: Consent, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent = consent
        self.fields["withdrawn_on"].initial = timezone.localdate()

    def clean_withdrawn_on(self):
        withdrawn_on = self.cleaned_data["withdrawn_on"]
        if withdrawn_on > timezone.localdate():
            raise forms.ValidationError("Дата отзыва не может быть в будущем.")
        if withdrawn_on < self.consent.given_on:
            raise forms.ValidationError(
                "Дата отзыва не может быть раньше даты согласия "
                f"({self.consent.given_on:%d.%m.%Y})."
            )
        return withdrawn_on
