"""Forms of «Пользователи» and of the first sign-in (issue 16): the name search, the selections
of people and logins, the login with the invitation code."""

from django import forms

from registry.models import Person, User
from registry.services.logins import CODE_DIGITS, code_normalize, refusal_for_person

USER_LISTS = ("users", "login-people")


class UserSearchForm(forms.Form):
    """The name search of the two lists of «Пользователи» (POST, kept in the session)."""

    q = forms.CharField(label="Поиск по ФИО или логину", max_length=100, required=False)
    list_name = forms.ChoiceField(choices=[(name, name) for name in USER_LISTS])


class _SelectionForm(forms.Form):
    """Rows ticked in a list; «Выбрать всех» sends the ids of every row shown (``shown``), so
    it works without JavaScript: the server takes them all."""

    EMPTY = "Отметьте хотя бы одну строку."
    all = forms.BooleanField(label="Выбрать всех", required=False)

    def chosen(self):
        if self.cleaned_data.get("all"):
            return list(self.cleaned_data.get("shown") or [])
        return list(self.cleaned_data.get("selected") or [])

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.chosen():
            raise forms.ValidationError(self.EMPTY, code="empty")
        return cleaned


def _choices(queryset, label: str):
    return forms.ModelMultipleChoiceField(
        queryset=queryset,
        label=label,
        required=False,
        error_messages={
            "invalid_choice": "В списке нет такой строки: обновите страницу и отметьте снова.",
            "invalid_pk_value": "В списке нет такой строки: обновите страницу и отметьте снова.",
        },
    )


class PeopleSelectionForm(_SelectionForm):
    """Whom to give a login: people of the institution (a person who has a login by now, or
    whose data were anonymized, is named in the error)."""

    EMPTY = (
        "Никто не выбран: отметьте сотрудников в списке или поставьте «Выбрать всех», "
        "потом нажмите «Создать учётные записи»."
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(institution=institution)
        self.fields["selected"] = _choices(people, "Сотрудники")
        self.fields["shown"] = _choices(people, "Сотрудники на странице")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            refusals = [text for person in self.chosen() if (text := refusal_for_person(person))]
            if refusals:
                raise forms.ValidationError(refusals)
        return cleaned


class AccountSelectionForm(_SelectionForm):
    """Which logins get new invitation codes."""

    EMPTY = (
        "Никто не выбран: отметьте учётные записи в списке или поставьте «Выбрать всех», "
        "потом нажмите «Выдать новые коды»."
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        users = User.objects.filter(institution=institution)
        self.fields["selected"] = _choices(users, "Учётные записи")
        self.fields["shown"] = _choices(users, "Учётные записи на странице")


class InvitationCodeForm(forms.Form):
    """«Вход по коду приглашения», the first step: the login and the code from the sheet."""

    username = forms.CharField(
        label="Логин",
        max_length=150,
        help_text="Как на листе приглашения или в письме, например ivanova.as.",
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": "Введите логин с листа приглашения."},
    )
    code = forms.CharField(
        label="Код приглашения",
        max_length=40,
        help_text=f"{CODE_DIGITS} цифр; пробелы и дефисы можно не набирать. После пяти неверных "
        "попыток код блокируется.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
        error_messages={"required": "Введите код приглашения."},
    )

    def clean_code(self):
        code = self.cleaned_data["code"]
        if len(code_normalize(code)) != CODE_DIGITS:
            raise forms.ValidationError(
                f"В коде приглашения {CODE_DIGITS} цифр, например 4821-0937-5512. "
                "Проверьте, все ли цифры набраны."
            )
        return code
