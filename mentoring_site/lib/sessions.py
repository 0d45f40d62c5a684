"""The session engine (``SESSION_ENGINE``): Django's «extending database-backed session engines»
with the id of the logged-in user beside the data. Ending every session of a user is one indexed
DELETE (``registry.services.accounts._end_sessions``), where the stock table would have every
session of the city decoded to find them (ASVS 5.0 V7.4)."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone


class UserSession(AbstractBaseSession):
    # The model of the app ``mentoring_site`` (its migration 0001), defined beside its engine.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # written by the session engine before and after the user exists
    )

    class Meta(AbstractBaseSession.Meta):
        app_label = "mentoring_site"
        db_table = "mentoring_session"
        verbose_name = "сеанс"
        verbose_name_plural = "сеансы"

    @classmethod
    def get_session_store_class(cls):
        return SessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        return UserSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            session.user_id = None
        return session


def write_into_sessions(*, user_ids, values: dict) -> int:
    """Sets ``values`` in every open session of these users (a setting the sessions hold, e.g.
    the institution's idle limit, changed); the number of sessions written."""
    rows = list(UserSession.objects.filter(user_id__in=user_ids, expire_date__gt=timezone.now()))
    store = SessionStore()
    for row in rows:
        data = store.decode(row.session_data)
        data.update(values)
        row.session_data = store.encode(data)
    UserSession.objects.bulk_update(rows, ["session_data"])
    return len(rows)
