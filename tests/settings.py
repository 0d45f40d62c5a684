"""Settings for the test suite: the real settings, with test-only speed-ups."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")

from mentoring_site.settings import *  # noqa: E402, F403
from mentoring_site.settings import STORAGES  # noqa: E402

# The live server answers 404 for hashed names of the manifest storage (TOOLCHAIN.md).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One process: the cache in its memory (mentoring_site/settings.py; tests/conftest.py empties it).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="mentoring-test-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Static files straight from the source folders, without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
