"""Session limits: 12 hours after login at most, and the institution's idle time.

The idle limit is per institution (``Organization.session_idle_minutes``, default 60).
``static/js/session.js`` warns a person shortly before the idle limit, and keeps the text
they typed in the browser so nothing is lost if the session ends anyway.
"""

import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core import signing
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

LOGIN_AT = "login_at"
SEEN_AT = "seen_at"
# The institution's idle limit, in seconds, kept in the session (read once per session, so a
# request reads nothing the session does not hold; a change of the limit is written into the
# open sessions of the institution's users: ``registry/navigation_signals.py``).
IDLE_SECONDS = "idle_seconds"
DEFAULT_IDLE_MINUTES = 60
# A signed cookie with the session's clock (the session's key digest, last activity, idle
# limit, login time), renewed whenever the session's activity moves: the session check of
# session.js (``SessionStatusMiddleware``) reads it instead of the session, so it costs no
# database query. It tells only times, signed with the secret key; the session itself decides.
CLOCK_COOKIE = "session_clock"
_clock = signing.Signer(salt="mentoring_site.lib.middleware.session-clock")


def _digest(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:16]


def _seconds_left(now: int, seen_at: int, idle: int, login_at: int) -> int:
    return min(idle - (now - seen_at), settings.SESSION_MAX_AGE_SECONDS - (now - login_at))


def idle_seconds_for(user) -> int:
    institution = getattr(user, "institution", None)
    minutes = institution.session_idle_minutes if institution else DEFAULT_IDLE_MINUTES
    return minutes * 60


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.status_path = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            login_at = session.setdefault(LOGIN_AT, now)
            seen_at = session.get(SEEN_AT, now)
            idle = session.get(IDLE_SECONDS)
            if idle is None:
                idle = session[IDLE_SECONDS] = idle_seconds_for(user)
            expired = now - login_at > settings.SESSION_MAX_AGE_SECONDS or now - seen_at > idle
            if expired:
                logout(request)
                messages.info(request, "Сеанс завершён после перерыва в работе. Войдите снова.")
                return redirect(f"{reverse('login')}?next={request.path}")
            # The ping of session.js asks about the session without counting as activity.
            # Saved at most every 30 s, so a busy page does not write the session each time.
            if self.status_path is None:
                self.status_path = reverse("session-status")
            if request.path != self.status_path and now - seen_at >= 30:
                session[SEEN_AT] = now
            session.setdefault(SEEN_AT, now)
            request.session_idle_seconds = idle
            request.session_left_seconds = _seconds_left(now, session[SEEN_AT], idle, login_at)
        response = self.get_response(request)
        self._set_clock(request, response)
        return response

    @staticmethod
    def _set_clock(request, response) -> None:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return
        key, seen_at = session.session_key, session.get(SEEN_AT)
        if not key or seen_at is None:
            return
        value = _clock.sign(
            f"{_digest(key)}:{seen_at}:{session.get(IDLE_SECONDS)}:{session.get(LOGIN_AT)}"
        )
        if request.COOKIES.get(CLOCK_COOKIE) != value:
            response.set_cookie(
                CLOCK_COOKIE,
                value,
                max_age=settings.SESSION_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )


class SessionStatusMiddleware:
    """Answers the session check of ``static/js/session.js`` (``GET /session/status/``) from
    the session cookie and the signed clock cookie, before the session is loaded: no database
    query. Without a session cookie the visitor is anonymous; with a clock that does not belong
    to the session (a session older than the clock, a new login) the request goes on to the
    view (``mentoring_site.views.session_status``), which reads the session. A session ended on
    the server (deactivation) shows as open here until its idle time runs out; the next page
    the person opens goes to the login form."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.status_path = None

    def __call__(self, request):
        if self.status_path is None:
            self.status_path = reverse("session-status")
        if request.method == "GET" and request.path == self.status_path:
            answer = self._answer(request)
            if answer is not None:
                response = JsonResponse(answer)
                add_never_cache_headers(response)
                return response
        return self.get_response(request)

    @staticmethod
    def _answer(request) -> dict | None:
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not key:
            return {"authenticated": False, "seconds_left": 0}
        try:
            digest, seen_at, idle, login_at = _clock.unsign(
                request.COOKIES.get(CLOCK_COOKIE, "")
            ).split(":")
            seen_at, idle, login_at = int(seen_at), int(idle), int(login_at)
        except (signing.BadSignature, ValueError):
            return None
        if digest != _digest(key):
            return None
        left = _seconds_left(int(time.time()), seen_at, idle, login_at)
        if left <= 0:
            return None  # the view says it from the session (and the session ends there)
        return {"authenticated": True, "seconds_left": left}
