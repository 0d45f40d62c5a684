"""Forms of accounts: passwords, users and roles, the institution and its partners."""

import hashlib
import re

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.template.loader import render_to_string

from mentoring_site.lib import throttle
from mentoring_site.lib.names import normalize_name, validate_name
from mentoring_site.lib.russian import OBLIQUE_CASES, decline_phrase
from mentoring_site.lib.security import log_event
from registry.models import Organization, Role, User
from registry.services.accounts import TECHNICAL_ROLES, check_technical
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
    """The technical roles (п. 3.2–3.4 give the others by orders): only they are offered; any
    other role sent (a forged form) is refused naming the order that gives it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Технические роли")
        kwargs.setdefault("required", False)
        super().__init__(choices=Role.choices, widget=forms.CheckboxSelectMultiple, **kwargs)
        self.widget.choices = [(role.value, role.label) for role in TECHNICAL_ROLES]

    def validate(self, value):
        super().validate(value)
        try:
            check_technical(value)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


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
        help_text="Куратор и методический совет назначаются приказом заведующего, заведующий — "
        "приказом учредителя. Наставник и наставляемый следуют из банков и групп."
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
        help_text="Здесь отмечают только технические роли. Куратора и состав методического "
        "совета утверждает заведующий приказом (п. 3.2–3.4), заведующего назначает учредитель."
    )


class FounderOrderForm(forms.Form):
    """The founder's order appointing or relieving the head: all three details are required."""

    issuer = forms.CharField(
        label="Кто издал приказ",
        max_length=300,
        help_text="Учредитель, например «Администрация Невского района Санкт-Петербурга».",
    )
    number = forms.CharField(label="Номер приказа", max_length=30)
    order_date = forms.DateField(
        label="Дата приказа",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class InstitutionSettingsForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            *(f"name_{case}" for case in OBLIQUE_CASES),
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
            "name_gent": "Как в документах: «Заведующему … учреждения». Падежи заполнены "
            "по словарю — проверьте и исправьте, если нужно; пустое поле заполнится само.",
            "name_loct": "«в … учреждении».",
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
        # The cases the dictionary suggests, for a person to check (issue 18, item 10).
        for case in OBLIQUE_CASES:
            name = f"name_{case}"
            if self.instance.name and not getattr(self.instance, name):
                self.initial[name] = decline_phrase(self.instance.name, case)
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

    def clean(self):
        """A renamed institution gets new suggested cases, except those the person typed anew."""
        cleaned = super().clean()
        name = (cleaned.get("name") or "").strip()
        for case in OBLIQUE_CASES:
            field = f"name_{case}"
            value = " ".join((cleaned.get(field) or "").split())
            if name and "name" in self.changed_data and field not in self.changed_data:
                value = decline_phrase(name, case)
            cleaned[field] = value
        return cleaned


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
