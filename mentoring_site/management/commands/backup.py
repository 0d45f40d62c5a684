"""manage.py backup --output DIR [--keep-days N]: one archive with the database, the uploaded
files and a manifest (mentoring_site/lib/backup.py; docs/operations.md gives the schedule)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mentoring_site.lib.backup import backup


class Command(BaseCommand):
    help = "Резервная копия: база данных, загруженные файлы и опись в одном архиве."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Папка для архивов.")
        parser.add_argument(
            "--keep-days",
            type=int,
            default=14,
            help="Удалить архивы старше N дней (по умолчанию 14; см. docs/operations.md).",
        )

    def handle(self, *args, output, keep_days, **options):
        if keep_days < 1:
            raise CommandError("--keep-days: не меньше 1 дня.")
        path = backup(Path(output), keep_days=keep_days)
        self.stdout.write(f"Архив: {path} ({path.stat().st_size // 1024} КБ)")
