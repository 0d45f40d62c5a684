"""The suite gives the same result whatever the shell exports (issue 15): tests/settings.py pins
every value mentoring_site/settings.py reads from the environment, and pyproject.toml names the
settings module with ``--ds``, which beats an exported ``DJANGO_SETTINGS_MODULE``."""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
REAL_SETTINGS = BASE_DIR / "mentoring_site" / "settings.py"

# A value for each variable the real settings read, other than what tests/settings.py pins:
# a developer's `make run` shell, a production deployment, a typo'd limit.
EXPORTED = {
    "DJANGO_DEBUG": "true",
    "DJANGO_SECRET_KEY": "a-key-someone-exported",
    "DJANGO_ALLOWED_HOSTS": "nastavnik.example.ru",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://nastavnik.example.ru",
    "DATABASE_CONN_MAX_AGE": "0",
    "DJANGO_CACHE_URL": "redis://127.0.0.1:6379/1",
    "DJANGO_CACHE_MAX_ENTRIES": "500",
    "PERSONAL_DATA_GRACE_DAYS": "30",
    "DJANGO_SECURE_COOKIES": "true",
    "DJANGO_SSL_REDIRECT": "true",
    "DJANGO_BEHIND_PROXY": "true",
    "DJANGO_HSTS_SECONDS": "0",
    "DJANGO_HSTS_PRELOAD": "true",
    "AXES_ENABLED": "false",
    "AXES_FAILURE_LIMIT": "1",
    "AXES_COOLOFF_MINUTES": "1",
    "DJANGO_PUBLIC_FRAME_ANCESTORS": "https://ds64.spb.ru",
    "DJANGO_STATICFILES_STORAGE": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    "DJANGO_MEDIA_ROOT": "/srv/mentoring/media",
    "UPLOAD_MAX_BYTES": "1",
    "IMPORT_MAX_BYTES": "1",
    "IMPORT_MAX_ROWS": "1",
    "EMAIL_HOST": "smtp.example.ru",
    "EMAIL_PORT": "25",
    "EMAIL_HOST_USER": "robot",
    "EMAIL_HOST_PASSWORD": "robot-password",
    "EMAIL_USE_TLS": "false",
    "DEFAULT_FROM_EMAIL": "robot@example.ru",
    "SITE_URL": "https://nastavnik.example.ru",
    "DJANGO_LOG_LEVEL": "DEBUG",
    "DJANGO_SECURITY_LOG_LEVEL": "ERROR",
    "DJANGO_TRUSTED_PROXIES": "2",
    "DJANGO_STATIC_ROOT": "/srv/mentoring/static",
    "IMPORT_READ_SECONDS": "1",
    "PASSWORD_RESET_PER_ADDRESS": "1",
    "PASSWORD_RESET_PER_CLIENT": "1",
    "INVITATION_CODE_DAYS": "1",
    "INVITATION_CODE_FAILURES_PER_CLIENT": "1",
    "EMAIL_CHANGE_LINK_HOURS": "1",
}
# The one variable the suite honours: the database of the run.
HONOURED = {"DATABASE_URL"}


def variables_read_by_the_settings() -> set[str]:
    """The names mentoring_site/settings.py reads (env_bool, env_int, env_list, os.environ)."""
    source = REAL_SETTINGS.read_text(encoding="utf-8")
    return set(re.findall(r'(?:env_\w+|os\.environ\.get)\(\s*"([A-Z0-9_]+)"', source))


def shell_without_the_settings_variables() -> dict[str, str]:
    """This process's environment less every variable the settings read but DATABASE_URL (and
    less pytest-xdist's, which would make a pytest run here think it is a worker)."""
    read = variables_read_by_the_settings() - HONOURED
    return {
        key: value
        for key, value in os.environ.items()
        if key not in read and not key.startswith("PYTEST_XDIST_")
    }


def test_every_variable_of_the_settings_is_exported_below():
    """A new variable in mentoring_site/settings.py comes here, and its value into
    tests/settings.py, or this test fails."""
    assert variables_read_by_the_settings() - HONOURED == set(EXPORTED)


def _test_settings_under(env: dict[str, str]) -> dict[str, str]:
    """Every setting of tests/settings.py (its repr) as a fresh process loads it with `env`."""
    code = (
        "import json; from tests import settings as s; "
        "print(json.dumps({k: repr(getattr(s, k)) for k in dir(s) if k.isupper()}))"
    )
    result = subprocess.run(  # noqa: S603  (this interpreter, a fixed snippet)
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=BASE_DIR,
        timeout=60,
        check=True,
    )
    values = json.loads(result.stdout)
    # Each process has its own upload folder (tests/settings.py): compare where it is.
    media = values.pop("MEDIA_ROOT")
    assert media.strip("'").startswith(tempfile.gettempdir()), media
    return values


def test_exported_variables_change_no_setting_of_the_suite():
    clean = shell_without_the_settings_variables()
    assert _test_settings_under(clean) == _test_settings_under({**clean, **EXPORTED})


def test_the_suite_runs_on_the_pinned_values():
    assert settings.SETTINGS_MODULE == "tests.settings"
    assert settings.DEBUG is False
    assert settings.SECURE_HSTS_SECONDS == 365 * 24 * 60 * 60
    assert settings.SECURE_HSTS_INCLUDE_SUBDOMAINS and not settings.SECURE_HSTS_PRELOAD
    assert not settings.SESSION_COOKIE_SECURE and not settings.CSRF_COOKIE_SECURE
    assert not settings.SECURE_SSL_REDIRECT
    assert not settings.BEHIND_PROXY and settings.SECURE_PROXY_SSL_HEADER is None
    assert not settings.AXES_BEHIND_REVERSE_PROXY
    assert settings.AXES_ENABLED and settings.AXES_FAILURE_LIMIT == 5
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert settings.DEFAULT_FROM_EMAIL == "nastavnichestvo@localhost"
    assert settings.SITE_URL == "http://127.0.0.1:8000"
    assert settings.STORAGES["staticfiles"]["BACKEND"].endswith(".StaticFilesStorage")
    assert str(settings.MEDIA_ROOT).startswith(tempfile.gettempdir())
    assert (settings.UPLOAD_MAX_BYTES, settings.IMPORT_MAX_BYTES) == (10 << 20, 2 << 20)
    assert settings.IMPORT_MAX_ROWS == 2000
    assert settings.PERSONAL_DATA_GRACE_DAYS == 7
    assert settings.PUBLIC_FRAME_ANCESTORS == []
    assert settings.LOGGING["root"]["level"] == "WARNING"
    assert settings.LOGGING["loggers"]["mentoring.security"]["level"] == "INFO"


def test_a_run_in_a_shell_that_exports_everything_still_runs_on_the_pinned_values():
    """pytest itself in such a shell, DJANGO_SETTINGS_MODULE naming the production settings."""
    env = {
        **shell_without_the_settings_variables(),
        **EXPORTED,
        "DJANGO_SETTINGS_MODULE": "mentoring_site.settings",
    }
    result = subprocess.run(  # noqa: S603  (this interpreter, this file)
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            f"{__file__}::test_the_suite_runs_on_the_pinned_values",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=BASE_DIR,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
