"""Daily reminders of the plans of events: a few days before a deadline the responsible people
are told, and an event past its deadline becomes «просрочено» with the mentor and the curator
told; questionnaires not answered are reminded once before their deadline. Run once a day
from cron (README); a second run the same day sends nothing.

    python manage.py send_reminders             # deadlines within 3 days
    python manage.py send_reminders --days 5    # within 5 days
    python manage.py send_reminders --today 2026-11-24   # as if it were that day (tests)
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from programs.services.execution import reminders_send
from reports.services.surveys import survey_send_reminders


class Command(BaseCommand):
    help = "Напоминает о сроках мероприятий программ и отмечает просроченные (раз в день)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=3,
            help="За сколько дней до срока напоминать (по умолчанию 3).",
        )
        parser.add_argument(
            "--today",
            help="Считать сегодняшней эту дату, ГГГГ-ММ-ДД (для проверок и повторного запуска "
            "за пропущенный день). По умолчанию — сегодня.",
        )

    def handle(self, *args, days, today, **options):
        if days < 0:
            raise CommandError("--days не может быть отрицательным.")
        try:
            on = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today: ожидается дата ГГГГ-ММ-ДД, получено «{today}».") from None
        sent = reminders_send(today=on, days=days)
        self.stdout.write(
            f"{on:%d.%m.%Y}: напоминаний о сроках — {sent.upcoming}, "
            f"просроченных мероприятий — {sent.overdue}."
        )
        # Questionnaires not answered yet (п. 3.3): once, a few days before their deadline.
        reminded = survey_send_reminders(today=on)
        self.stdout.write(f"{on:%d.%m.%Y}: напоминаний об анкетах — {reminded}.")
