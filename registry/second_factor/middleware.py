"""The gate after the password (``SecondFactorMiddleware`` in ``MIDDLEWARE``): a session that has
the password but not yet the code stays on «Код подтверждения»; a session that must enrol stays on
the enrolment page. The rules of the second factor are in ``registry/second_factor/services.py``."""

from urllib.parse import urlencode

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from registry.roles import roles_for
from registry.second_factor.services import PASSED, has_second_factor, is_required

# What a session waiting for the code may open; a session that must enrol opens these and
# the enrolment pages. The policy is public; the session pings keep the idle warning working.
OPEN_WHILE_WAITING = ("second-factor-verify", "logout", "session-status", "session-extend")
OPEN_WHILE_ENROLLING = (
    "second-factor",
    "second-factor-start",
    "second-factor-confirm",
    "second-factor-backup-codes",
    "logout",
    "session-status",
    "session-extend",
)


ALWAYS_OPEN = ("registry:personal-data-policy",)


def _paths(names) -> set[str]:
    return {reverse(name) for name in names + ALWAYS_OPEN}


@receiver(user_logged_in, dispatch_uid="second-factor-login")
def _password_accepted(sender, request, user, **kwargs):
    # Each login passes the gate anew, also when Django keeps the session's data.
    if request is not None and hasattr(request, "session"):
        request.session.pop(PASSED, None)


class SecondFactorMiddleware:
    """After the password: a user with a confirmed app is kept on «Код подтверждения» until a
    valid code; a head, curator or sysadmin whose institution requires the second factor and
    who has none is kept on the enrolment page. Everyone else passes at once, and a session
    that passed is not asked again (``PASSED``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.session.get(PASSED) != user.pk:
            refused = self._gate(request, user)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _gate(self, request, user):
        if getattr(user, "is_verified", lambda: False)():
            request.session[PASSED] = user.pk
            return None
        if has_second_factor(user):
            request.second_factor_pending = True
            if request.path in _paths(OPEN_WHILE_WAITING):
                return None
            target = reverse("second-factor-verify")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        # The institution's flag first: roles cost two queries, and most institutions are off.
        institution = getattr(user, "institution", None)
        required = institution is not None and institution.require_second_factor
        if required and is_required(roles_for(request)):
            request.second_factor_pending = True
            if request.path in _paths(OPEN_WHILE_ENROLLING):
                return None
            return redirect("second-factor")
        request.session[PASSED] = user.pk
        return None
