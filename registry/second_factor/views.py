"""«Второй фактор»: the head, the curator and the sysadmin switch on a code from an
authenticator app for themselves (others 404); «Код подтверждения» after the password; the
sysadmin resets another user's second factor. The rules are in registry/second_factor/.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mentoring_site.lib.forms import error_text, posted
from registry.models import User
from registry.roles import require, roles_for
from registry.second_factor import services as otp
from registry.second_factor.forms import CodeForm


def _page(request, *, confirm_form=None, disable_form=None, status=200):
    roles = roles_for(request)
    device = otp.confirmed_device(request.user)
    pending = None if device is not None else otp.pending_device(request.user)
    context = {
        "device": device,
        "pending": pending,
        "required": otp.is_required(roles),
        "must_enrol": getattr(request, "second_factor_pending", False),
        "backup_left": otp.backup_codes_left(request.user) if device is not None else 0,
        "confirm_form": confirm_form or CodeForm(backup=False),
        "disable_form": disable_form or CodeForm(),
        "crumbs": [("Главная", reverse("home")), ("Второй фактор", None)],
    }
    if pending is not None:
        context["qr_svg"] = otp.qr_svg(pending)
        context["secret"] = otp.secret_text(pending)
    return render(request, "registry/second_factor/second_factor.html", context, status=status)


@never_cache
@login_required
@require(otp.may_use)
def second_factor(request):
    return _page(request)


@login_required
@require(otp.may_use)
@require_POST
def second_factor_start(request):
    try:
        otp.second_factor_start(user=request.user)
    except ValidationError as error:
        messages.info(request, error_text(error))
    return redirect("second-factor")


@never_cache
@login_required
@require(otp.may_use)
@require_POST
def second_factor_confirm(request):
    if otp.pending_device(request.user) is None:
        messages.info(request, "Сначала нажмите «Включить второй фактор».")
        return redirect("second-factor")
    form = CodeForm(request.POST, backup=False)
    if form.is_valid():
        outcome, codes = otp.second_factor_confirm(request=request, code=form.cleaned_data["code"])
        if outcome.ok:
            request.session[otp.BACKUP_CODES] = codes
            messages.success(request, "Второй фактор включён. Сохраните резервные коды.")
            return redirect("second-factor-backup-codes")
        form.add_error(
            "code",
            outcome.message
            if outcome.wait_seconds
            else "Код не подошёл. Проверьте время на телефоне и введите код, который "
            "приложение показывает сейчас.",
        )
    return _page(request, confirm_form=form)


@never_cache
@login_required
@require(otp.may_use)
def second_factor_backup_codes(request):
    """The fresh backup codes, once: the session forgets them as they are shown."""
    codes = request.session.pop(otp.BACKUP_CODES, None)
    if not codes:
        messages.info(
            request,
            "Резервные коды показываются один раз, сразу после включения. Если они потеряны, "
            "отключите второй фактор и включите его снова.",
        )
        return redirect("second-factor")
    return render(
        request,
        "registry/second_factor/backup_codes.html",
        {
            "codes": codes,
            "crumbs": [
                ("Главная", reverse("home")),
                ("Второй фактор", reverse("second-factor")),
                ("Резервные коды", None),
            ],
        },
    )


@never_cache
@login_required
@require(otp.may_use)
@require_POST
def second_factor_disable(request):
    if not otp.has_second_factor(request.user):
        messages.info(request, "Второй фактор уже отключён.")
        return redirect("second-factor")
    form = CodeForm(request.POST)
    if form.is_valid():
        outcome = otp.second_factor_disable(request=request, code=form.cleaned_data["code"])
        if outcome.ok:
            if otp.is_required(roles_for(request)):
                messages.success(
                    request,
                    "Прежнее приложение отключено. Учреждение требует второй фактор: "
                    "подключите приложение заново.",
                )
            else:
                messages.success(
                    request, "Второй фактор отключён: для входа снова нужен только пароль."
                )
            return redirect("second-factor")
        form.add_error("code", outcome.message)
    return _page(request, disable_form=form)


@never_cache
@login_required
def second_factor_verify(request):
    """«Код подтверждения» after the password, for anyone with a confirmed app."""
    target = otp.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_verified() or not otp.has_second_factor(request.user):
        return redirect(target)
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        outcome = otp.second_factor_verify(request=request, code=form.cleaned_data["code"])
        if outcome.ok:
            return redirect(target)
        form.add_error("code", outcome.message)
    return render(
        request,
        "registry/second_factor/verify.html",
        {"form": form, "next": target},
    )


def _can_assign_roles(roles) -> bool:
    return roles.can_assign_roles


@login_required
@require(_can_assign_roles)
@require_POST
def second_factor_reset(request, pk):
    """From the account page: only the sysadmin (the head 403, like the other account actions),
    never their own."""
    roles = roles_for(request)
    if not roles.can_manage_users:
        raise PermissionDenied
    account = get_object_or_404(User, pk=pk, institution=roles.institution)
    try:
        otp.second_factor_reset(request=request, user=account)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            f"Второй фактор пользователя «{account.get_username()}» сброшен: приложение и "
            "резервные коды удалены.",
        )
    return redirect("registry:user-roles", pk=account.pk)
