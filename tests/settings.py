"""Settings for the test suite: the real settings, with test-only speed-ups, and every value
that mentoring_site/settings.py reads from the environment pinned.

Whatever the shell exports (``DJANGO_DEBUG=true`` for ``make run``, a production HSTS or SMTP
host, ``DJANGO_SETTINGS_MODULE``: pyproject.toml passes ``--ds``), the suite runs with the
values below; tests/test_settings.py checks it. Only ``DATABASE_URL`` is honoured: it chooses
the database of the run (SQLite by default, PostgreSQL in CI). A malformed value still stops
the run at once, as the real settings mean it to.
"""

import atexit
import copy
import os
import shutil
import tempfile
from datetime import timedelta

# The real settings refuse to load without a key unless DEBUG is on.
if not os.environ.get("DJANGO_SECRET_KEY"):
    os.environ["DJANGO_SECRET_KEY"] = "tests-only-secret-key"

from mentoring_site.settings import *  # noqa: E402, F403
from mentoring_site.settings import DATABASES, LOGGING  # noqa: E402

DEBUG = False  # pytest-django turns it off as well; the values derived from it are pinned below
SECRET_KEY = "tests-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = []
DATABASES["default"]["CONN_MAX_AGE"] = 60

# HTTPS: the production answers (HSTS for a year on HTTPS answers), but cookies over plain HTTP
# so the test client and the live server keep their session; tests/test_headers.py turns them on.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W021"]
BEHIND_PROXY = False  # tests/test_security_log.py turns it on where it tests it
SECURE_PROXY_SSL_HEADER = None
PUBLIC_FRAME_ANCESTORS = []

AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_BEHIND_REVERSE_PROXY = False

# One process: the cache in its memory (mentoring_site/settings.py; tests/conftest.py empties it).
CACHE_URL = "locmem://"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PERSONAL_DATA_GRACE_DAYS = 7

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The live server answers 404 for hashed names of the manifest storage (TOOLCHAIN.md).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = BASE_DIR / "staticfiles"  # noqa: F405
# Static files straight from the source folders, without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Uploads of this process (each pytest-xdist worker is one) in a folder of its own, removed at exit.
MEDIA_ROOT = tempfile.mkdtemp(prefix="mentoring-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 2000
IMPORT_READ_SECONDS = 10
PASSWORD_RESET_PER_ADDRESS = 3
PASSWORD_RESET_PER_CLIENT = 10
INVITATION_CODE_DAYS = 14
INVITATION_CODE_FAILURES_PER_CLIENT = 30
EMAIL_CHANGE_LINK_HOURS = 48
TRUSTED_PROXIES = 0  # tests/test_security_log.py sets it where it tests it

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_HOST = ""
EMAIL_PORT = 587
EMAIL_HOST_USER = ""
EMAIL_HOST_PASSWORD = ""  # noqa: S105
EMAIL_USE_TLS = True
DEFAULT_FROM_EMAIL = "nastavnichestvo@localhost"
SITE_URL = "http://127.0.0.1:8000"
SITE_URL_IS_SET = False  # links in pages are built from the request, as without SITE_URL

LOGGING = copy.deepcopy(LOGGING)
LOGGING["root"]["level"] = "WARNING"
LOGGING["loggers"]["mentoring.security"]["level"] = "INFO"
