"""Builds a synthetic city of kindergartens for benchmarks (issue 9): ``mentoring_site.dataset``.

    manage.py generate_dataset --institutions 1000 [--seed 2026]

Deterministic: the same seed on the same day builds the same city. Refuses to add to a
database that already holds it unless ``--append`` is given (numbers then continue).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from mentoring_site.dataset.data import DATASET_PASSWORD
from mentoring_site.dataset.generator import generate
from registry.models import Organization


class Command(BaseCommand):
    help = "Создаёт синтетический город детских садов для замеров (bulk_create, с seed)."

    def add_arguments(self, parser):
        parser.add_argument("--institutions", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch", type=int, default=50, help="Учреждений за транзакцию.")
        parser.add_argument(
            "--append", action="store_true", help="Добавить к уже созданным учреждениям."
        )

    def handle(self, *args, institutions, seed, batch, append, verbosity=1, **options):
        if institutions < 1:
            raise CommandError("Укажите --institutions от 1.")
        if not append and Organization.objects.filter(short_name__startswith="ДС ").exists():
            raise CommandError(
                "Синтетический город уже есть в этой базе; --append добавит учреждения."
            )
        started = time.perf_counter()

        def progress(done, total):
            if verbosity >= 1:
                elapsed = time.perf_counter() - started
                self.stdout.write(f"  {done} из {total} учреждений, {elapsed:.0f} с")

        counts = generate(institutions=institutions, seed=seed, batch=batch, progress=progress)
        elapsed = time.perf_counter() - started
        for name, count in counts.rows.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Создано учреждений: {institutions} за {elapsed:.1f} с. "
                f"Логины ds0001-head, ds0001-curator… пароль {DATASET_PASSWORD}"
            )
        )
