"""Loads the demo institution of the regulation with about 30 staff and a user per role
(``mentoring_site/demo/``).

``make run`` calls it with ``--if-empty``: the demo is loaded only into an empty database,
and the logins are printed every time.
"""

from django.core.management.base import BaseCommand

from mentoring_site.demo.data import DEMO_PASSWORD, DISTRICT_LOGIN, LOGINS, SHORT_NAME
from mentoring_site.demo.loader import load_demo
from registry.models import Organization


class Command(BaseCommand):
    help = "Загружает демонстрационное учреждение и печатает логины демо-пользователей."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Загрузить только в пустую базу (без учреждений).",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Organization.objects.exists():
            self.stdout.write("В базе уже есть данные — демо не загружается.")
        elif Organization.objects.filter(short_name=SHORT_NAME).exists():
            self.stdout.write("Демо-учреждение уже загружено.")
        else:
            load_demo()  # its letters count as sent (mentoring_site/demo/mail.py)
            self.stdout.write(self.style.SUCCESS("Демо-учреждение загружено."))
        self._print_logins()

    def _print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"Демо-пользователи (пароль у всех: {DEMO_PASSWORD}):")
        for login, title, _, _ in LOGINS:
            self.stdout.write(f"  {login:<10} {title}")
        self.stdout.write(
            f"  {DISTRICT_LOGIN:<10} Методист района (сводка по учреждениям, общие справочники)"
        )
        self.stdout.write("Откройте http://127.0.0.1:8000/")
