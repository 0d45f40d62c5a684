"""``manage.py check --deploy`` is clean with production settings (ASVS 5.0 V13; README.md
lists the variables). The only silenced check, security.W021 (HSTS preload), is explained in
mentoring_site/settings.py."""

import io
import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from tests.test_settings import shell_without_the_settings_variables

BASE_DIR = Path(__file__).resolve().parent.parent


def production_env(**changes) -> dict:
    """A production environment: none of what the shell exports for the settings (a developer's
    DJANGO_DEBUG, HSTS, cache...) but DATABASE_URL, the variables below, then `changes`."""
    env = shell_without_the_settings_variables()
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # tests/conftest.py sets it for the test run
    env.update(
        DJANGO_SETTINGS_MODULE="mentoring_site.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_SSL_REDIRECT="true",
        DJANGO_ALLOWED_HOSTS="nastavnichestvo.example.org",
        DJANGO_BEHIND_PROXY="true",
    )
    env.update(changes)
    return env


def manage(*args, env) -> subprocess.CompletedProcess:
    # A fixed command of this repository, run with the interpreter of the test run.
    return subprocess.run(  # noqa: S603
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=BASE_DIR,
        timeout=120,
    )


def settings_read(code: str, *, env) -> subprocess.CompletedProcess:
    """``code`` run after importing the settings module alone, as the server's processes read
    it (``s``): the settings' own reading of the environment, without loading every app."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import mentoring_site.settings as s; {code}"],
        capture_output=True,
        text=True,
        env=env,
        cwd=BASE_DIR,
        timeout=60,
    )


@pytest.mark.parametrize("behind_proxy", ["true", "false"])
def test_check_deploy_reports_nothing_with_production_settings(behind_proxy):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env=production_env(DJANGO_BEHIND_PROXY=behind_proxy),
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (1 silenced)." in output


def test_check_deploy_fails_on_a_weak_secret_key():
    """The control case: the check does find problems when there are some."""
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env=production_env(DJANGO_SECRET_KEY="short"),
    )  # fmt: skip
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_settings_turn_on_hsts_and_secure_cookies():
    code = (
        "import json; print(json.dumps({"
        "'debug': s.DEBUG, 'session_secure': s.SESSION_COOKIE_SECURE, "
        "'session_httponly': s.SESSION_COOKIE_HTTPONLY, 'csrf_secure': s.CSRF_COOKIE_SECURE, "
        "'hsts': s.SECURE_HSTS_SECONDS, 'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'proxy': s.SECURE_PROXY_SSL_HEADER, "
        "'session_age': s.SESSION_COOKIE_AGE, 'frame': s.X_FRAME_OPTIONS}))"
    )
    result = settings_read(code, env=production_env())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "debug": False,
        "session_secure": True,
        "session_httponly": True,
        "csrf_secure": True,
        "hsts": 31536000,
        "subdomains": True,
        "ssl_redirect": True,
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "session_age": 12 * 60 * 60,
        "frame": "DENY",
    }


@pytest.mark.parametrize(
    ("cache_url", "backend"),
    [
        ("", "mentoring_site.lib.cache.CityDatabaseCache"),
        ("redis://cache.internal:6379/1", "django.core.cache.backends.redis.RedisCache"),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
    ],
)
def test_production_shares_one_cache_between_its_processes(cache_url, backend):
    """Without DJANGO_CACHE_URL the cache is a database table every gunicorn worker and server
    sees (a save through one worker forgets the cached indicators for all); Redis when named."""
    code = "print(s.CACHES['default']['BACKEND'])"
    result = settings_read(code, env=production_env(DJANGO_CACHE_URL=cache_url))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == backend


# Every row of every table, foreign keys by natural key where a model has one (content types,
# permissions), so two databases compare whatever order made their ids.
DUMP = ["dumpdata", "--natural-foreign", "--natural-primary"]
APPLIED = (
    "from django.db import connection; "
    "from django.db.migrations.recorder import MigrationRecorder as R; "
    "print(sorted(R(connection).applied_migrations()))"
)


# auditlog's own entry model, swapped out for audit.LogEntry: its migrations give it a content
# type and permissions, the models do not; nothing reads them.
SWAPPED_OUT = ["auditlog", "logentry"]


def _rows(dump: str) -> list[str]:
    """The dumped rows, in one order (content types come in the order of their ids, which
    differs between a database made from the models and one made by the migrations), without
    the moment each seeded row was written."""
    rows = []
    for row in json.loads(dump):
        fields = row["fields"]
        if SWAPPED_OUT in (
            [fields.get("app_label"), fields.get("model")],
            fields.get("content_type"),
        ):
            continue
        fields.pop("created_at", None)
        rows.append(json.dumps(row, ensure_ascii=False, sort_keys=True))
    return sorted(rows)


@pytest.mark.django_db
def test_a_real_migrate_makes_the_cache_table_and_the_suites_database(tmp_path):
    """A fresh database made by ``migrate`` has the database cache's table. And the suite,
    which creates its databases from the models (tests/database.py), starts every test from
    what that migrate leaves: the seeded lists, the questionnaires, the permissions, the record
    of the migrations. One test, so the real migrate (about 25 s) runs once."""
    database = tmp_path / "fresh.sqlite3"
    migrated = production_env(DATABASE_URL=f"sqlite:///{database}", DJANGO_CACHE_URL="")
    result = manage("migrate", "--noinput", "-v", "0", env=migrated)
    assert result.returncode == 0, result.stderr
    code = "from django.core.cache import cache as c; c.set('p', 'да', 60); print(c.get('p'))"
    result = manage("shell", "-c", code, env=migrated)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "да"
    result = manage(*DUMP, env=migrated)
    assert result.returncode == 0, result.stderr
    ours = io.StringIO()
    call_command(*DUMP, stdout=ours)
    ours, real = _rows(ours.getvalue()), _rows(result.stdout)
    assert (sorted(set(real) - set(ours)), sorted(set(ours) - set(real))) == ([], [])
    assert ours == real
    applied = manage("shell", "-c", APPLIED, env=migrated)
    assert applied.returncode == 0, applied.stderr
    ours_applied = str(sorted(MigrationRecorder(connection).applied_migrations()))
    assert ours_applied == applied.stdout.strip().splitlines()[-1]


def test_the_anonymization_delay_is_read_from_the_environment_and_kept_within_the_law():
    code = "print(s.PERSONAL_DATA_GRACE_DAYS)"
    result = settings_read(code, env=production_env(PERSONAL_DATA_GRACE_DAYS="14"))
    assert result.stdout.strip().splitlines()[-1] == "14"
    refused = settings_read("", env=production_env(PERSONAL_DATA_GRACE_DAYS="45"))
    assert refused.returncode != 0
    assert "PERSONAL_DATA_GRACE_DAYS must be from 0 to 30" in refused.stderr


def test_collectstatic_succeeds_with_the_production_storage(tmp_path):
    """The manifest storage rewrites every reference inside CSS and JS and fails on one to a
    missing file (the vendored Bootstrap's source-map comments were such references)."""
    env = production_env(DJANGO_STATIC_ROOT=str(tmp_path))
    result = manage("collectstatic", "--noinput", "-v", "0", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text(encoding="utf-8"))
    hashed = manifest["paths"]["vendor/bootstrap/bootstrap.min.css"]
    assert hashed != "vendor/bootstrap/bootstrap.min.css"
    assert (tmp_path / hashed).is_file() and (tmp_path / f"{hashed}.gz").is_file()
