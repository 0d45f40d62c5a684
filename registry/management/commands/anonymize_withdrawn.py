"""The daily duty of 152-ФЗ ст. 21 ч. 5: anonymizes the people whose processing consent was
withdrawn (``PERSONAL_DATA_GRACE_DAYS`` days ago, 7 by default; the law allows 30), records an
act of destruction for each, and deletes the acts older than three years. Run it every day
(docs/deploy/mentoring-daily.service); it is safe to run again."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from registry.services import personal_data as services


class Command(BaseCommand):
    help = "Обезличивает данные участников, отозвавших согласие на обработку (152-ФЗ, ст. 21)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Дата выполнения в формате ГГГГ-ММ-ДД (по умолчанию сегодня)."
        )

    def handle(self, *args, **options):
        on = None
        if options["date"]:
            try:
                on = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("Дата — в формате ГГГГ-ММ-ДД.") from error
        acts = services.anonymize_due(on)
        purged = services.purge_expired_acts(on)
        for act in acts:
            self.stdout.write(f"{act.institution.short_name}: акт № {act.number}")
        self.stdout.write(
            f"Обезличено участников: {len(acts)}; удалено актов старше трёх лет: {purged}."
        )
