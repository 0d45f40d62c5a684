"""The upload form of a staff list: the file as a whole is checked here."""

from django import forms
from django.conf import settings

from registry.services.imports import read_staff_file, size_text


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label="Файл со списком сотрудников",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={
            "required": "Выберите файл со списком сотрудников.",
            "empty": "Файл пустой. Заполните шаблон и загрузите его снова.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "Excel (.xlsx) или CSV; первая строка — заголовки столбцов, как в шаблоне. "
            f"Не больше {size_text(settings.IMPORT_MAX_BYTES)} "
            f"и {settings.IMPORT_MAX_ROWS} строк."
        )

    def clean_file(self):
        """The rows of the file (a ``StaffTable``), or a message about the file as a whole."""
        return read_staff_file(self.cleaned_data["file"])
