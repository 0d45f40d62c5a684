"""The test databases without running the migrations (issue 15: 53 migrations took about 23 s
of each pytest-xdist worker, once per database, before its first test).

pyproject.toml passes pytest-django's ``--no-migrations``: the tables are created from the
models, as ``migrate --run-syncdb`` does. ``makemigrations --check`` in CI keeps the models and
the migrations one schema; the only SQL a migration runs of its own is the collation below and
audit 0002's (see the end). What the migrations do besides the schema is done here, in their
order:

- the ICU collation ``ru_ru`` on PostgreSQL, before the tables that use it (registry 0001);
- the seeded reference lists, forms of events, library and questionnaires (registry 0002,
  programs 0002 and 0005, registry 0030, reports 0002);
- every migration on disk recorded as applied, as ``migrate`` records them (the backups
  compare that state: mentoring_site/lib/backup.py).

The other data migrations change rows an empty database does not have; auditlog's own table,
whose foreign keys audit 0002 drops, is not created for a swapped-out model.
``tests/test_deploy_check.py::test_a_real_migrate_makes_the_cache_table_and_the_suites_database``
compares this database with one a real ``migrate`` made: the same rows in every table, the same
migrations.
"""

import importlib

from auditlog.context import disable_auditlog
from django.apps import apps
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings

# (migration module, function), in the order migrate runs them.
SEEDS = [
    ("registry.migrations.0002_seed_reference_lists", "seed"),
    ("programs.migrations.0002_seed_event_forms_and_library", "seed"),
    ("programs.migrations.0005_library_forms_match_titles", "match_forms"),
    ("registry.migrations.0030_group_forms_size", "seed_sizes"),
    ("reports.migrations.0002_seed_questionnaires", "seed_questionnaires"),
]
COLLATION = ("registry.migrations.0001_initial", "create_russian_collation")


def _function(module: str, name: str):
    return getattr(importlib.import_module(module), name)


def create_collation(sender, using, **kwargs) -> None:
    """pre_migrate, sent before the tables are created: the collation the models name."""
    if sender.label == "registry":
        with connections[using].schema_editor() as schema_editor:
            _function(*COLLATION)(apps, schema_editor)


def complete_as_migrated() -> None:
    """The data and the record of a migrated database, in one created from the models."""
    # The migrations' historical models write no audit entries; the real ones would.
    with disable_auditlog(), connection.schema_editor() as schema_editor:
        for module, name in SEEDS:
            _function(module, name)(apps, schema_editor)
    # pytest-django hides the migrations from Django (MIGRATION_MODULES); the project names no
    # modules of its own, so the files are where Django looks by default.
    with override_settings(MIGRATION_MODULES={}):
        on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    recorder.Migration.objects.bulk_create(
        recorder.Migration(app=app, name=name) for app, name in sorted(on_disk)
    )
