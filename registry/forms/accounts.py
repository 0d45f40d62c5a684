"""Forms of accounts: passwords, users and roles, the institution and its partners."""

import hashlib
import re

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.template.loader import render_to_string

from mentoring_site.lib import throttle
from mentoring_site.lib.names import normalize_name, validate_name
from mentoring_site.lib.security import log_event
from registry.models import Organization, Role, User
from registry.services.mail import letter_queue


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form; the validators of AUTH_PASSWORD_VALIDATORS give the Russian rules."""


class SetPasswordForm(auth_forms.SetPasswordForm):
    pass


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, with two changes (issue 20): the letter goes through the outbox, and an
    address gets at most ``PASSWORD_RESET_PER_ADDRESS`` letters an hour. A throttled address is
    told nothing different, so the form still says nothing about which addresses exist."""

    def save(self, *args, request=None, **kwargs):
        email = self.cleaned_data["email"]
        digest = hashlib.sha256(email.casefold().encode()).hexdigest()
        allowed = throttle.allow(
            f"password-reset:address:{digest}",
            limit=settings.PASSWORD_RESET_PER_ADDRESS,
            window_seconds=3600,
        )
        if not allowed:
            log_event("password_reset_throttled", request, scope="address")
            return
        super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        letter_queue(to=to_email, subject=subject, body=body, user=context["user"])


# Users, roles and the institution's settings --------------------------------------------

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9._-]+$")
IDLE_MINUTES_MIN = 5
IDLE_MINUTES_MAX = 720
IDLE_MINUTES_ERROR = "Время бездействия — от 5 до 720 минут."


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Роли")
        kwargs.setdefault("required", False)
        super().__init__(choices=Role.choices, widget=forms.CheckboxSelectMultiple, **kwargs)


class UserCreateForm(forms.Form):
    """A login for a person of the bank; the person sets the password by the e-mail link."""

    username = forms.CharField(
        label="Логин",
        max_length=150,
        help_text="Латинские буквы, цифры, точка, дефис и подчёркивание: например, ivanova.a",
    )
    email = forms.EmailField(
        label="E-mail",
        help_text="На этот адрес придёт письмо со ссылкой: по ней сотрудник сам задаст пароль.",
        error_messages={"required": "Укажите e-mail: без него сотрудник не сможет задать пароль."},
    )
    roles = RolesField(
        help_text="Наставник и наставляемый не назначаются: они следуют из банков и групп."
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not USERNAME_PATTERN.match(username):
            raise forms.ValidationError(
                "Логин может содержать только латинские буквы, цифры, точку, дефис и подчёркивание."
            )
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Такой логин уже занят. Выберите другой.")
        return username


class UserRolesForm(forms.Form):
    roles = RolesField(
        help_text="Заведующий утверждает куратора (п. 3.2) и состав методического совета (п. 3.3)."
    )


class InstitutionSettingsForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "address",
            "inn",
            "ogrn",
            "head_name",
            "session_idle_minutes",
            "require_second_factor",
        ]
        help_texts = {
            "short_name": "Так учреждение называется в шапке и в списках.",
            "head_name": "Как в приказах: «Иванова Анна Сергеевна».",
            "inn": "Оператор персональных данных называется в политике и в согласиях "
            "(152-ФЗ, ст. 10.1, ст. 18.1).",
            "session_idle_minutes": "От 5 до 720 минут (12 часов). Через это время без "
            "действий сеанс завершается, и нужно снова войти.",
            "require_second_factor": "Тогда заведующий, куратор и администратор после пароля "
            "вводят код из приложения на телефоне; у кого приложение ещё не подключено, "
            "подключит его при следующем входе.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["session_idle_minutes"]
        field.widget.attrs.update({"min": IDLE_MINUTES_MIN, "max": IDLE_MINUTES_MAX})
        field.error_messages["invalid"] = "Введите целое число минут."
        field.validators = [
            MinValueValidator(IDLE_MINUTES_MIN, message=IDLE_MINUTES_ERROR),
            MaxValueValidator(IDLE_MINUTES_MAX, message=IDLE_MINUTES_ERROR),
        ]

    def clean_head_name(self):
        """The head's full name as orders print it: a person's name (mentoring_site/lib/names.py);
        a name kept before the rule and left as it was is not checked again."""
        value = normalize_name(self.cleaned_data.get("head_name") or "")
        if "head_name" in self.changed_data:
            validate_name(value)
        return value


class PartnerForm(forms.ModelForm):
    """A partner organization of the institution (п. 1.2, п. 2.3)."""

    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "kind",
            "address",
            "cooperation_agreement_number",
            "cooperation_agreement_date",
        ]
        help_texts = {
            "name": "Как в уставе: «Санкт-Петербургское государственное бюджетное "
            "профессиональное образовательное учреждение …».",
            "short_name": "Так организация будет видна в списках: «Педагогический колледж № 4».",
        }
        widgets = {
            "cooperation_agreement_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        }

    def clean(self):
        data = super().clean()
        number = (data.get("cooperation_agreement_number") or "").strip()
        if bool(number) != bool(data.get("cooperation_agreement_date")):
            raise forms.ValidationError(
                "Укажите и номер, и дату договора о сотрудничестве (или оставьте оба пустыми)."
            )
        data["cooperation_agreement_number"] = number
        return data
