"""«Вход по коду приглашения» (issue 16): the login and the code from the invitation sheet or
letter, then a new password; the person is signed in and the code is spent. The rules of the
codes (single use, expiry, blocking, throttling) are in ``registry/services/logins.py``."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from mentoring_site.lib.forms import error_text, posted
from mentoring_site.lib.security import log_event
from registry.forms.accounts import SetPasswordForm
from registry.forms.logins import InvitationCodeForm
from registry.services import logins as services

BACKEND = "django.contrib.auth.backends.ModelBackend"


@never_cache
@sensitive_post_parameters("code")
def invitation_code(request):
    form = InvitationCodeForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        check = services.code_check(
            request=request,
            username=form.cleaned_data["username"],
            code=form.cleaned_data["code"],
        )
        if check.ok:
            services.code_remember(request, check.invitation)
            return redirect("invitation-password")
        form.add_error(None if check.throttled else "code", check.message)
        status = 429 if check.throttled else 200
    return render(request, "registration/invitation_code.html", {"form": form}, status=status)


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_password(request):
    invitation = services.code_remembered(request)
    if invitation is None:
        request.session.pop(services.SESSION_CODE, None)
        messages.info(request, "Введите логин и код приглашения, затем задайте пароль.")
        return redirect("invitation-code")
    form = SetPasswordForm(invitation.user, posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.code_redeem(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            request.session.pop(services.SESSION_CODE, None)
            messages.error(request, error_text(error))
            return redirect("invitation-code")
        request.session.pop(services.SESSION_CODE, None)
        login(request, user, backend=BACKEND)
        log_event("invitation_code_used", request, user=user)
        messages.success(
            request,
            f"Пароль задан. Теперь входите с логином {user.username} и этим паролем.",
        )
        return redirect("home")
    return render(
        request,
        "registration/invitation_password.html",
        {"form": form, "username": invitation.user.username},
    )
