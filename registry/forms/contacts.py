"""«Мои контакты»: a person's own phone and e-mail address (issue 16)."""

from django import forms

from mentoring_site.lib.phones import NotARussianPhone, normalize_phone
from registry.models import Person
from registry.services.contacts import email_refusal


class OwnContactsForm(forms.Form):
    phone = forms.CharField(
        label="Телефон",
        max_length=40,
        required=False,
        help_text="Можно писать как привычно: 8 (921) 123-45-67 или +7 921 1234567 — "
        "сохранится в виде +7 921 123-45-67.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label="E-mail",
        required=False,
        help_text="На новый адрес придёт письмо со ссылкой. Адрес сменится, когда вы откроете "
        "ссылку; на прежний адрес придёт сообщение о смене.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Проверьте адрес: он пишется так — ivanova@example.ru."},
    )

    def __init__(self, *args, person: Person, **kwargs):
        kwargs.setdefault("initial", {"phone": person.phone, "email": person.email})
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_phone(self):
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except NotARussianPhone as error:
            raise forms.ValidationError(str(error)) from error

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if not email and self.person.email:
            raise forms.ValidationError(
                "Укажите новый адрес. Удалить адрес из реестра может куратор наставничества."
            )
        changed = email and email != self.person.email.lower()
        if changed and (refusal := email_refusal(person=self.person, email=email)):
            raise forms.ValidationError(refusal)
        return email

    @property
    def phone_changed(self) -> bool:
        return self.cleaned_data["phone"] != self.person.phone

    @property
    def email_changed(self) -> bool:
        return self.cleaned_data["email"] != self.person.email.lower()
