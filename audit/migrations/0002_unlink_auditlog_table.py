"""auditlog's own entry table is still created by its migrations although the project swaps in
``audit.LogEntry`` (AUDITLOG_LOGENTRY_MODEL). It stays empty, but on PostgreSQL its foreign keys
to the users and content types make every TRUNCATE of those tables fail (Django's flush, used by
transactional tests and ``manage.py flush``, does not know the swapped-out table). Its foreign
keys are dropped; the table itself is left for auditlog's later migrations."""

from django.db import migrations

DROP_FOREIGN_KEYS = """
DO $$
DECLARE r record;
BEGIN
  IF to_regclass('auditlog_logentry') IS NULL THEN RETURN; END IF;
  FOR r IN SELECT conname FROM pg_constraint
           WHERE conrelid = 'auditlog_logentry'::regclass AND contype = 'f'
  LOOP
    EXECUTE 'ALTER TABLE auditlog_logentry DROP CONSTRAINT ' || quote_ident(r.conname);
  END LOOP;
END $$;
"""


def drop_foreign_keys(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_FOREIGN_KEYS)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(drop_foreign_keys, migrations.RunPython.noop)]
