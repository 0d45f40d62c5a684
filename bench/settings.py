"""Settings of the web benchmark (bench/web.py): the production settings, with the bench's
URLconf (the project's URLs plus a bare «ok» view and an admin reference) and static files
from the source folders (no collectstatic needed). Never used outside bench/."""

import os
import warnings

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")

from mentoring_site.settings import *  # noqa: E402, F403
from mentoring_site.settings import STORAGES  # noqa: E402

ROOT_URLCONF = "bench.urls"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Axes would lock the harness out after a mistyped run; the login form is not measured.
AXES_ENABLED = False
# Static files from the source folders (the harness does not run collectstatic).
WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message="No directory at")
