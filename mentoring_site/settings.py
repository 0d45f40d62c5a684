"""Settings of the mentoring registry, driven by environment variables.

Runs from a fresh checkout: SQLite by default, PostgreSQL when DATABASE_URL is set.
Every variable is listed in README.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from error


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY, or DJANGO_DEBUG=true for development.")
    SECRET_KEY = "development-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "csp",
    "axes",
    # The audit trail of changes (issue 8): one LogEntry table for every registered model.
    "auditlog",
    # The optional second factor (TOTP apps, one-time backup codes).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Background work (mail, summaries): Django's Tasks API, its database backend by default.
    "django_tasks",
    "django_tasks_db",
    "mentoring_site",
    "registry",
    "programs",
    "roadmap",
    "reports",
    "audit",
    # The section «Наставничество» of the site (п. 8): pages and editing; no models of its own.
    "public",
]
# The audit trail's entries carry their institution, indexed (audit/models.py).
AUDITLOG_LOGENTRY_MODEL = "audit.LogEntry"

# Restoring a backup (loaddata saves raw rows) must not add entries to the audit trail.
AUDITLOG_DISABLE_ON_RAW_SAVE = True

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The headers first (outermost), so that the session check below, answered before the
    # session is loaded, carries them too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # The session check of static/js/session.js, answered without a database query.
    "mentoring_site.lib.middleware.SessionStatusMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "mentoring_site.lib.security.SecurityLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mentoring_site.lib.middleware.SessionLimitsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Keeps a session that has the password but not yet the code on the code page.
    "registry.second_factor.middleware.SecondFactorMiddleware",
]

# Database sessions that know their user (mentoring_site/lib/sessions.py): deactivation and
# anonymization end a user's sessions with one indexed DELETE.
SESSION_ENGINE = "mentoring_site.lib.sessions"

ROOT_URLCONF = "mentoring_site.urls"
WSGI_APPLICATION = "mentoring_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentoring_site.context_processors.roles",
                "mentoring_site.context_processors.vision",
            ],
            # {{ n|plural:"анкета,анкеты,анкет" }} in every template without a {% load %};
            # {% url %} reversing each address once per process (issue 21).
            "builtins": [
                "mentoring_site.templatetags.russian",
                "mentoring_site.templatetags.urls",
                "mentoring_site.templatetags.printing",
                "mentoring_site.templatetags.dates",
            ],
        },
    },
]

# «— выберите —» instead of «---------» on every select (mentoring_site/lib/forms.py).
FORM_RENDERER = "mentoring_site.lib.forms.FormRenderer"
# django-filter's own empty choice, for a filter that names none (ours say «все»).
FILTERS_EMPTY_CHOICE_LABEL = "все"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two people deciding at once (approving a pair, signing an order): each transaction takes
    # SQLite's write lock when it begins (BEGIN IMMEDIATE), so the second waits for the first and
    # then reads its decision («уже утверждено»), as SELECT … FOR UPDATE makes it on PostgreSQL,
    # instead of both reading and the second failing to write («database is locked», a 503).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

# The cache (the computed indicators, reports/indicators.py). Every process that answers requests
# must see the same cache: a change saved through one gunicorn worker forgets the cached numbers
# for all of them. So the default is a table in the database (``mentoring_cache``, created by
# migration reports/0003); with several servers Redis is faster:
# DJANGO_CACHE_URL=redis://host:6379/1 (``pip install redis``). DJANGO_CACHE_URL=locmem:// keeps
# the cache in each process's memory, right only for one process (the tests).
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "")
CACHE_TABLE = "mentoring_cache"
if CACHE_URL.startswith(("redis://", "rediss://")):
    _cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
elif CACHE_URL == "locmem://":
    _cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
else:
    # One upsert per write, culling without a COUNT(*) per write (mentoring_site/lib/cache.py),
    # sized for a city: per institution its tokens and a few computed indicators and roadmap
    # facts a day, per active user the navigation context (docs/deployment.md «The cache»).
    _cache = {
        "BACKEND": "mentoring_site.lib.cache.CityDatabaseCache",
        "LOCATION": CACHE_TABLE,
        "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_CACHE_MAX_ENTRIES", 100_000)},
    }
CACHES = {"default": _cache}

# Days between the withdrawal of the processing consent and the daily anonymization
# (registry/services/personal_data.py); 152-ФЗ ст. 21 ч. 5 allows 30 at most.
PERSONAL_DATA_GRACE_DAYS = env_int("PERSONAL_DATA_GRACE_DAYS", 7)
if not 0 <= PERSONAL_DATA_GRACE_DAYS <= 30:
    raise ImproperlyConfigured("PERSONAL_DATA_GRACE_DAYS must be from 0 to 30 (152-ФЗ ст. 21 ч. 5)")

AUTH_USER_MODEL = "registry.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "registry.password_validation.ContextWordsValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end 12 hours after login at the latest; the idle limit is set per institution
# (Organization.session_idle_minutes) and enforced by SessionLimitsMiddleware.
SESSION_MAX_AGE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_AGE = SESSION_MAX_AGE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", False)
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
# How many proxies stand in front of the application and append to X-Forwarded-For: 1 for nginx
# alone, 2 for a provider's balancer in front of nginx. The client's address is the one the
# outermost of them saw (mentoring_site/lib/security.py::client_address); 0 reads REMOTE_ADDR.
TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 1 if BEHIND_PROXY else 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# HSTS (sent on HTTPS answers only): a year unless DEBUG. Subdomains of the registry's own
# host are covered. Not preloaded: the preload list binds the whole registrable domain, which
# belongs to the kindergarten or its hoster, not to this application — so security.W021 is
# silenced below, and whoever owns the domain may set DJANGO_HSTS_PRELOAD=true.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# django-axes: a lockout is keyed by username and address together, so one guessed
# account never locks a whole kindergarten behind one NAT address.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_BEHIND_REVERSE_PROXY = BEHIND_PROXY
# Lockouts count by the same client address as the security log.
AXES_CLIENT_IP_CALLABLE = "mentoring_site.lib.security.lockout_address"

# Sites allowed to embed the public section «Наставничество» in an <iframe> (e.g. the
# kindergarten's official site): CSP frame-ancestors of the public pages only. Empty: nobody.
PUBLIC_FRAME_ANCESTORS = env_list("DJANGO_PUBLIC_FRAME_ANCESTORS", [])

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where ``collectstatic`` writes and WhiteNoise serves from (each application server its own).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "DJANGO_STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Uploaded files (consent scans) are private: never served under a public URL, only
# through views that check access. MEDIA_URL is therefore not routed.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 2 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 2000)
# Reading a staff list stops after this many seconds, far below gunicorn's 30 s timeout.
IMPORT_READ_SECONDS = env_int("IMPORT_READ_SECONDS", 10)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "nastavnichestvo@localhost")
# The address of the registry as people open it, for links in e-mails.
# «Восстановление пароля»: letters per e-mail address and requests per client, an hour.
PASSWORD_RESET_PER_ADDRESS = env_int("PASSWORD_RESET_PER_ADDRESS", 3)
PASSWORD_RESET_PER_CLIENT = env_int("PASSWORD_RESET_PER_CLIENT", 10)

# The background worker (``manage.py db_worker``) runs the tasks kept in the database: the outbox
# of letters (registry/tasks.py) and the summaries of all institutions (reports/tasks.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Letters that fail are tried again after these delays; after the last one the sysadmin sees
# them under «Письма» and can send them again.
MAIL_RETRY_MINUTES = (1, 5, 30, 120, 720)

# The registry's address for the links of letters the background worker sends (there is no
# request there). Pages build their absolute links (the calendar file, the feed's address) from
# the address the request came to, unless SITE_URL is set (mentoring_site/lib/site.py).
SITE_URL_IS_SET = bool(os.environ.get("SITE_URL", "").strip())
SITE_URL = (os.environ.get("SITE_URL", "").strip() or "http://127.0.0.1:8000").rstrip("/")

# The first sign-in of imported staff (issue 16): an invitation code is valid this many days;
# wrong codes from one client an hour before it must wait (besides 5 per login, on the code).
INVITATION_CODE_DAYS = env_int("INVITATION_CODE_DAYS", 14)
if not 1 <= INVITATION_CODE_DAYS <= 90:
    raise ImproperlyConfigured("INVITATION_CODE_DAYS must be from 1 to 90")
INVITATION_CODE_FAILURES_PER_CLIENT = env_int("INVITATION_CODE_FAILURES_PER_CLIENT", 30)
# The link that confirms a new e-mail address of one's own is valid this many hours.
EMAIL_CHANGE_LINK_HOURS = env_int("EMAIL_CHANGE_LINK_HOURS", 48)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"timed": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "timed"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Logins, failed logins, lockouts, logouts, refused access (docs/security.md). It goes
        # to the root's console handler, so the process manager's log keeps it.
        "mentoring.security": {"level": os.environ.get("DJANGO_SECURITY_LOG_LEVEL", "INFO")},
    },
}
