"""The table of the database cache (settings.CACHES when DJANGO_CACHE_URL names no Redis): the
cached indicators every application process shares (reports/indicators.py). ``createcachetable``
creates the tables of the configured database caches only and skips those that exist, so with
Redis, or in the tests (local memory), this creates nothing."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_seed_questionnaires")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
