"""manage.py restore ARCHIVE [--force]: loads an archive of manage.py backup into an empty,
migrated database, checks rows and files against its manifest, then runs the anonymization
(mentoring_site/lib/backup.py; docs/operations.md describes the rehearsal)."""

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mentoring_site.lib.backup import BackupError, restore


class Command(BaseCommand):
    help = "Восстановление из архива manage.py backup в пустую базу данных."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Архив mentoring-backup-….tar.gz (расшифрованный).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="База не пуста: сначала удалить из неё все данные, затем восстановить.",
        )

    def handle(self, *args, archive, force, **options):
        try:
            manifest = restore(Path(archive), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        per_app = Counter()
        for label, count in manifest["rows"].items():
            per_app[label.split(".")[0]] += count
        self.stdout.write(
            f"Восстановлено из архива от {manifest['created_at']} (версия {manifest['version']}): "
            f"{sum(per_app.values())} строк, {len(manifest['files'])} файлов; "
            "строки и контрольные суммы файлов совпали с описью."
        )
        for app, count in sorted(per_app.items()):
            self.stdout.write(f"  {app}: {count}")
