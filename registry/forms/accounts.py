from django.contrib.auth import forms as auth_forms


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form; the validators of AUTH_PASSWORD_VALIDATORS give the Russian rules."""


class SetPasswordForm(auth_forms.SetPasswordForm):
    pass
