"""The security log and the answers of a failing site (ASVS 5.0 V16.3, V16.5; docs/security.md).

``mentoring.security`` records every login, failed login, lockout, logout and refused access
(403, 404) with the time (the log formatter's), the user's id and username and the client's
address — nothing else about the person, and never a password. Behind proxies
(``DJANGO_TRUSTED_PROXIES=N``: 1 for nginx, 2 for a balancer in front of nginx) the address is
the N-th from the end of ``X-Forwarded-For``: the one the outermost trusted proxy saw, which the
visitor cannot forge (what the visitor writes into the header stays in front of it). Lockouts
(django-axes) use the same address.

Every value is written in logfmt: a value with a space, a quote, «=» or a backslash is quoted,
and control characters (a newline, a carriage return, a tab, the Unicode line separators) are
escaped, so a path, a username or a browser's name typed by an attacker can never start a line of
its own or pose as another key (ASVS 5.0 V16.4.1).

``server_error`` (``handler500``) answers 503 «База данных недоступна» with ``Retry-After``
when the database does not answer, from a template that needs no database. Nothing is left
half-written: every service that changes data is one ``transaction.atomic`` block, which the
error rolls back.
"""

import logging
import re
import sys

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("mentoring.security")

RETRY_AFTER_SECONDS = 60
# Events that may be an attack or a lost account: WARNING, the rest INFO.
WARNING_EVENTS = frozenset(
    {
        "login_failed",
        "lockout",
        "refused",
        "otp_failed",
        "otp_reset",
        "password_reset_throttled",
        "invitation_code_failed",
        "invitation_code_throttled",
    }
)
AGENT_LIMIT = 200  # characters of the browser's self-description kept with a login event

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NEEDS_QUOTES = re.compile(r'[\s"=\\]')


def _escaped_control(match) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\u{ord(char):04x}")


def log_value(value) -> str:
    """One value of a log line, safe to write: controls escaped, quoted when it holds a space,
    a quote, «=» or a backslash, «-» when empty."""
    text = str(value) if value is not None else ""
    if not text:
        return "-"
    if _NEEDS_QUOTES.search(text) or _CONTROL.search(text):
        text = text.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + _CONTROL.sub(_escaped_control, text) + '"'
    return text


def client_address(request) -> str:
    if request is None:
        return "-"
    trusted = getattr(settings, "TRUSTED_PROXIES", 0)
    if trusted:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            # Fewer hops than proxies: the request skipped the outer ones; the first is the client.
            return hops[-trusted] if len(hops) >= trusted else hops[0]
    return request.META.get("REMOTE_ADDR", "-")


def lockout_address(request) -> str | None:
    """The client's address for django-axes (``AXES_CLIENT_IP_CALLABLE``): the same address as
    the log's, or nothing when there is none (a login made in code, as the tests' own), since
    axes stores it in an IP address column."""
    address = client_address(request)
    return None if address == "-" else address


def _agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:AGENT_LIMIT] if request is not None else ""


def _who(user) -> tuple[str, str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return "-", "-"
    return str(user.pk), user.get_username()


def log_event(event: str, request, *, user=None, username: str | None = None, **details) -> None:
    """One line per event: ``event=… user_id=… username=… ip=…`` and the details given."""
    user_id, name = _who(user if user is not None else getattr(request, "user", None))
    if username is not None:
        name = username or "-"
    extra = {"event": event, "user_id": user_id, "username": name, "ip": client_address(request)}
    extra.update(details)
    text = " ".join(f"{key}={log_value(value)}" for key, value in extra.items())
    level = logging.WARNING if event in WARNING_EVENTS else logging.INFO
    logger.log(level, text, extra={"security": extra})


@receiver(user_logged_in, dispatch_uid="security-log-login")
def _logged_in(sender, request, user, **kwargs):
    log_event("login", request, user=user, agent=_agent(request))


@receiver(user_logged_out, dispatch_uid="security-log-logout")
def _logged_out(sender, request, user, **kwargs):
    log_event("logout", request, user=user)


@receiver(user_login_failed, dispatch_uid="security-log-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in ``credentials``; only the username is kept.
    username = str(credentials.get("username", ""))[:150]
    log_event("login_failed", request, username=username, agent=_agent(request))


@receiver(user_locked_out, dispatch_uid="security-log-lockout")
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    log_event("lockout", request, username=str(username or "")[:150], agent=_agent(request))


class SecurityLogMiddleware:
    """Logs every refused access: a 403 or 404 answer to a logged-in user or a visitor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404):
            log_event(
                "refused",
                request,
                status=response.status_code,
                method=request.method,
                path=request.path,
            )
        return response


def server_error(request):
    """``handler500``: a database that does not answer gets the 503 page with ``Retry-After``
    (from wherever it failed: a middleware loading the session or a view), anything else the
    plain 500 page. Neither touches the database; both are in Russian."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        logger.error("event=database_unavailable path=%s", log_value(request.path))
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
