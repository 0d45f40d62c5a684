"""Forms of the consents: recording one with its signed scan, attaching a scan later, and
withdrawing it."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import lazy

from registry.models import Consent

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# What a scan may be: the extensions a kind of file is saved under, and its first bytes.
SCAN_TYPES = {
    "pdf": ({"pdf"}, (b"%PDF-",)),
    "jpg": ({"jpg", "jpeg"}, (b"\xff\xd8\xff",)),
    "png": ({"png"}, (b"\x89PNG\r\n\x1a\n",)),
}


def scan_type(upload) -> str | None:
    """The kind of the uploaded file ("pdf", "jpg", "png") when its name and its first bytes
    agree; ``None`` otherwise (a renamed file is not what it claims to be)."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, (extensions, signatures) in SCAN_TYPES.items():
        if extension in extensions and head.startswith(signatures):
            return kind
    return None


def scan_help_text() -> str:
    return f"PDF, JPEG или PNG, не больше {filesizeformat(settings.UPLOAD_MAX_BYTES)}."


class ScanField(forms.FileField):
    """A signed scan: PDF, JPEG or PNG within the upload limit, its name and first bytes
    agreeing. The clean file is named «scan.<kind>»: the uploaded name may hold a surname."""

    widget = forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Скан подписанного согласия")
        # Lazy: the limit is read when the form is shown, not when this module is imported.
        kwargs.setdefault("help_text", lazy(scan_help_text, str)())
        super().__init__(**kwargs)

    def to_python(self, data):
        scan = super().to_python(data)
        if scan is None:
            return None
        if scan.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"Файл слишком большой: {filesizeformat(scan.size)}. "
                f"Можно не больше {filesizeformat(settings.UPLOAD_MAX_BYTES)}."
            )
        kind = scan_type(scan)
        if kind is None:
            raise forms.ValidationError(
                "Загрузите скан в формате PDF, JPEG или PNG: этот файл не похож на такой."
            )
        scan.name = f"scan.{kind}"
        return scan


class ConsentForm(forms.ModelForm):
    scan = ScanField(required=False)

    class Meta:
        model = Consent
        fields = ["kind", "given_on", "method", "scan", "note"]
        widgets = {"given_on": DATE_WIDGET, "method": forms.RadioSelect}
        labels = {"kind": "Вид согласия"}
        help_texts = {
            "given_on": "Дата, которую человек поставил под согласием.",
            "note": "Например: «подписано на собрании педагогов».",
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
