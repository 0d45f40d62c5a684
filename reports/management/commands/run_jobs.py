"""The background worker: builds the summaries people asked for (``reports/services/summary.py``).
Runs as a service beside the application servers (docs/deploy/mentoring-worker.service; one is
enough for a city, two do no harm: a summary is claimed by one). ``--once`` builds what is queued
and exits (cron, tests). Stops after the current summary on SIGTERM or Ctrl+C."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from reports.services import summary as services


class Command(BaseCommand):
    help = "Фоновый обработчик: формирует запрошенные сводки по учреждениям."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Обработать очередь и завершиться.")
        parser.add_argument(
            "--poll", type=float, default=3.0, help="Пауза между проверками очереди, с."
        )

    def handle(self, *args, **options):
        self.stopping = False
        if not options["once"]:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        while True:
            built = services.run_pending()
            if built and options["verbosity"]:
                self.stdout.write(f"Сформировано сводок: {built}")
            if options["once"] or self.stopping:
                return
            close_old_connections()
            for _ in range(max(int(options["poll"] * 10), 1)):
                if self.stopping:
                    return
                time.sleep(0.1)

    def _stop(self, signum, frame):
        self.stopping = True
