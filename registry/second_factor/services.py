"""The optional second factor: a code from an authenticator app (TOTP) and one-time backup
codes (ASVS 5.0 V6.3; docs/security.md §7).

The head, the curator and the sysadmin may switch it on for themselves; the institution may
require it of them (``Organization.require_second_factor``). django-otp keeps the devices,
refuses a reused code and throttles wrong ones (1, 2, 4, 8 … seconds after each failure);
the gate of ``middleware.py`` keeps a session that has the password but not yet the code on the
code page, and a session that must enrol on the enrolment page. A session that has passed the
gate remembers it (``PASSED``), so later requests cost no query.
"""

from base64 import b32encode
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import django_otp
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mentoring_site.lib.security import log_event
from registry.models import Role

PASSED = "second_factor_passed"  # session: the pk of the user whose session passed the gate
BACKUP_CODES = "second_factor_backup_codes"  # session: fresh backup codes, shown once
BACKUP_CODE_COUNT = 10
ISSUER = "Наставничество"
ROLES_WITH_SECOND_FACTOR = frozenset({Role.HEAD, Role.CURATOR, Role.SYSADMIN})


def may_use(roles) -> bool:
    """The head, the curator and the sysadmin of an institution have the «Второй фактор» page."""
    return roles.institution is not None and bool(roles.assigned & ROLES_WITH_SECOND_FACTOR)


def is_required(roles) -> bool:
    return may_use(roles) and roles.institution.require_second_factor


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32 groups of four, for typing into the app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def config_url(device: TOTPDevice) -> str:
    """The otpauth:// address the app reads from the QR code (Key Uri Format)."""
    label = f"{ISSUER}:{device.user.get_username()}"
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode(),
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{quote(label)}?{params}"


def qr_svg(device: TOTPDevice) -> str:
    """The QR code as inline SVG drawn on the server: one path with presentation attributes,
    no script and no style attribute, so it shows under ``style-src 'self'``. The markup is
    the library's, built from the device's key, never from typed text."""
    # qrcode is needed only on the enrolment page: loaded there, not by every worker.
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(config_url(device), image_factory=SvgPathImage, box_size=15)
    svg = image.to_string(encoding="unicode")
    svg = svg.replace("<svg ", '<svg role="img" aria-label="QR-код для приложения" ', 1)
    return mark_safe(svg)  # noqa: S308  (library markup, see above)


# Checking a code -------------------------------------------------------------------------


@dataclass
class Outcome:
    """The answer to a typed code: the device that took it, or why it was refused."""

    device: object = None
    wait_seconds: int = 0

    @property
    def ok(self) -> bool:
        return self.device is not None

    @property
    def message(self) -> str:
        if self.wait_seconds:
            return (
                "Слишком много неверных кодов подряд. Подождите "
                f"{self.wait_seconds} с и введите код снова."
            )
        return (
            "Код не подошёл. Введите код, который приложение показывает сейчас, "
            "или неиспользованный резервный код."
        )


def _check(user, code: str, *, pending: bool = False) -> Outcome:
    """Verify ``code`` against the user's app (six digits) or backup codes (letters); with
    ``pending``, against the app being switched on. Must run inside a transaction: the device
    row is locked, so two requests cannot spend the same code. A failure is not raised: the
    throttle counter django-otp wrote must commit."""
    if pending:
        devices = TOTPDevice.objects.filter(user=user, confirmed=False) if code.isdigit() else None
    elif code.isdigit():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    device = devices.select_for_update().first() if devices is not None else None
    if device is None:
        return Outcome()
    allowed, info = device.verify_is_allowed()
    if not allowed:
        left = (info["locked_until"] - timezone.now()).total_seconds()
        return Outcome(wait_seconds=max(int(left) + 1, 1))
    if device.verify_token(code):
        return Outcome(device=device)
    return Outcome()


def _log_failure(request, outcome: Outcome, step: str) -> None:
    log_event(
        "otp_failed",
        request,
        step=step,
        reason="throttled" if outcome.wait_seconds else "wrong_code",
    )


def second_factor_verify(*, request, code: str) -> Outcome:
    """The code page after the password: on success the session is verified for its life."""
    with transaction.atomic():
        outcome = _check(request.user, code)
    if not outcome.ok:
        _log_failure(request, outcome, "login")
        return outcome
    django_otp.login(request, outcome.device)
    request.session.cycle_key()
    request.session[PASSED] = request.user.pk
    log_event(
        "otp_verified",
        request,
        device="backup_code" if isinstance(outcome.device, StaticDevice) else "app",
    )
    return outcome


# Switching on and off --------------------------------------------------------------------


@transaction.atomic
def second_factor_start(*, user) -> TOTPDevice:
    """A new secret for the app, unconfirmed until the person types a code from it."""
    if has_second_factor(user):
        raise ValidationError("Второй фактор уже включён.")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice(user=user, name="Приложение", confirmed=False)
    device.full_clean()
    device.save()
    return device


def second_factor_confirm(*, request, code: str) -> tuple[Outcome, list[str]]:
    """The first code from the app confirms it; then 10 new backup codes, shown once."""
    user = request.user
    codes: list[str] = []
    with transaction.atomic():
        outcome = _check(user, code, pending=True)
        if outcome.ok:
            device = outcome.device
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            StaticDevice.objects.filter(user=user).delete()
            backup = StaticDevice.objects.create(user=user, name="Резервные коды")
            codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
            StaticToken.objects.bulk_create(StaticToken(device=backup, token=c) for c in codes)
    if not outcome.ok:
        _log_failure(request, outcome, "enrol")
        return outcome, []
    django_otp.login(request, outcome.device)
    request.session[PASSED] = user.pk
    log_event("otp_enabled", request)
    return outcome, codes


def _remove_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def second_factor_disable(*, request, code: str) -> Outcome:
    """Switching off needs a valid code. Where the institution requires the second factor,
    the gate then asks to enrol again at once (e.g. on a new phone)."""
    with transaction.atomic():
        outcome = _check(request.user, code)
        if outcome.ok:
            _remove_devices(request.user)
    if not outcome.ok:
        _log_failure(request, outcome, "disable")
        return outcome
    request.session.pop(PASSED, None)
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    log_event("otp_disabled", request)
    return outcome


def second_factor_reset(*, request, user) -> None:
    """The sysadmin removes another user's app and backup codes (a lost phone)."""
    if user.pk == request.user.pk:
        raise ValidationError(
            "Свой второй фактор нельзя сбросить здесь: отключите его на странице «Второй фактор»."
        )
    with transaction.atomic():
        if not TOTPDevice.objects.filter(user=user).exists():
            raise ValidationError("У этого пользователя второй фактор не включён.")
        _remove_devices(user)
    log_event("otp_reset", request, target_user_id=user.pk)


def safe_next(request, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")
