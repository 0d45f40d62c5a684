"""The models of the project package: the session table, defined beside its engine in
``mentoring_site/lib/sessions.py``."""

from mentoring_site.lib.sessions import UserSession

__all__ = ["UserSession"]
