"""The code forms of the second factor (``services.py`` checks the code)."""

import re

from django import forms

APP_CODE = re.compile(r"\d{6}")
BACKUP_CODE = re.compile(r"[a-z2-7]{8}")


class CodeForm(forms.Form):
    """A code from the app (six digits) or, where ``backup`` allows, a backup code. Spaces and
    hyphens people copy with the code are dropped; letters are folded to lower case."""

    code = forms.CharField(
        label="Код подтверждения",
        max_length=20,
        error_messages={"required": "Введите код."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, backup: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.backup = backup
        field = self.fields["code"]
        if backup:
            field.help_text = (
                "Шесть цифр из приложения-аутентификатора или один из резервных кодов."
            )
        else:
            field.label = "Код из приложения"
            field.help_text = "Шесть цифр, которые приложение показывает сейчас."
            field.widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()
        if APP_CODE.fullmatch(code) or (self.backup and BACKUP_CODE.fullmatch(code)):
            return code
        if self.backup:
            raise forms.ValidationError(
                "Введите шесть цифр из приложения или резервный код из восьми букв и цифр."
            )
        raise forms.ValidationError("Введите шесть цифр из приложения.")
