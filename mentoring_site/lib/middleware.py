"""Session limits: 12 hours after login at most, and the institution's idle time.

The idle limit is per institution (``Organization.session_idle_minutes``, default 60).
``static/js/session.js`` warns a person shortly before the idle limit, and keeps the text
they typed in the browser so nothing is lost if the session ends anyway.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

LOGIN_AT = "login_at"
SEEN_AT = "seen_at"
DEFAULT_IDLE_MINUTES = 60


def idle_seconds_for(user) -> int:
    institution = getattr(user, "institution", None)
    minutes = institution.session_idle_minutes if institution else DEFAULT_IDLE_MINUTES
    return minutes * 60


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            login_at = session.setdefault(LOGIN_AT, now)
            seen_at = session.get(SEEN_AT, now)
            idle = idle_seconds_for(user)
            expired = now - login_at > settings.SESSION_MAX_AGE_SECONDS or now - seen_at > idle
            if expired:
                logout(request)
                messages.info(request, "Сеанс завершён после перерыва в работе. Войдите снова.")
                return redirect(f"{reverse('login')}?next={request.path}")
            # The ping of session.js asks about the session without counting as activity.
            # Saved at most every 30 s, so a busy page does not write the session each time.
            if request.path != reverse("session-status") and now - seen_at >= 30:
                session[SEEN_AT] = now
            session.setdefault(SEEN_AT, now)
            request.session_idle_seconds = idle
            request.session_left_seconds = idle - (now - session[SEEN_AT])
        return self.get_response(request)
