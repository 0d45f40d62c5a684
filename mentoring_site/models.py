"""The session table with the user's id beside the data (Django's «extending database-backed
session engines»): ending every session of a user is one indexed DELETE
(``registry.services.accounts._end_sessions``), where the stock table would have every session
of the city decoded to find them (ASVS 5.0 V7.4)."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class UserSession(AbstractBaseSession):
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
        db_table = "mentoring_session"
        verbose_name = "сеанс"
        verbose_name_plural = "сеансы"

    @classmethod
    def get_session_store_class(cls):
        from mentoring_site.sessions import SessionStore

        return SessionStore
