"""The forms of a staff import: the upload (the file as a whole is checked here) and the
mapping step (which sheet, and what each column of the file is taken as)."""

from django import forms
from django.conf import settings

from registry.services.imports import staff_upload_read
from registry.services.staff_files import size_text
from registry.services.staff_headers import FIELD_TITLES, NOT_USED, mapping_problems

FIELD_CHOICES = [("", NOT_USED), *FIELD_TITLES.items()]


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label="Файл со списком сотрудников",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
        error_messages={
            "required": "Выберите файл со списком сотрудников.",
            "empty": "Файл пустой. Заполните шаблон и загрузите его снова.",
        },
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.fields["file"].help_text = (
            "Excel (.xlsx или .xls) или CSV. Строки с названием списка над заголовками "
            "удалять не нужно. "
            f"Не больше {size_text(settings.IMPORT_MAX_BYTES)} "
            f"и {settings.IMPORT_MAX_ROWS} строк."
        )

    def clean_file(self):
        """The file read (a ``StaffUpload``), or a message about the file as a whole."""
        return staff_upload_read(uploaded=self.cleaned_data["file"], institution=self.institution)


class ColumnMappingForm(forms.Form):
    """The sheet to read and, for the sheet shown, what each column is taken as. Another sheet
    is read with its columns guessed anew, so the columns' choices then do not count."""

    sheet = forms.TypedChoiceField(label="Лист книги", coerce=int)

    def __init__(self, *args, staff_import, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff_import = staff_import
        self.fields["sheet"].choices = [
            (index, sheet["name"]) for index, sheet in enumerate(staff_import.sheets)
        ]
        self.fields["sheet"].initial = staff_import.sheet_index
        for index, column in enumerate(staff_import.columns):
            header = f"«{column['header']}»" if column["header"] else "без заголовка"
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=f"Столбец {column['letter']}: {header}",
                choices=FIELD_CHOICES,
                required=False,
                initial=column["key"],
            )

    def column_fields(self) -> list:
        return [self[f"column_{index}"] for index in range(len(self.staff_import.columns))]

    def other_sheet(self) -> bool:
        return self.cleaned_data.get("sheet", self.staff_import.sheet_index) != (
            self.staff_import.sheet_index
        )

    def clean(self):
        cleaned = super().clean()
        if "sheet" not in cleaned or self.other_sheet():
            cleaned["mapping"] = None
            return cleaned
        keys = [cleaned.get(f"column_{i}", "") for i in range(len(self.staff_import.columns))]
        overall, per_column = mapping_problems(keys)
        for index, message in per_column.items():
            self.add_error(f"column_{index}", message)
        if overall:
            raise forms.ValidationError(overall)
        cleaned["mapping"] = keys
        return cleaned
