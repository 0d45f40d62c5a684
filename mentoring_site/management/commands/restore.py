"""manage.py restore ARCHIVE [--force]: loads an archive of manage.py backup into an empty,
migrated database, checks rows and files against its manifest, then runs the anonymization."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mentoring_site.backup import BackupError, restore


class Command(BaseCommand):
    help = "Восстановление из архива manage.py backup в пустую базу данных."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="Загрузить и в непустую базу.")

    def handle(self, *args, archive, force, **options):
        try:
            manifest = restore(Path(archive), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Восстановлено: {rows} строк, {len(manifest['files'])} файлов "
            f"(архив от {manifest['created_at']})."
        )
