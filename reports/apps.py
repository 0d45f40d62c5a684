from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Мониторинг и отчёты"

    def ready(self):
        from reports.indicators import connect_signals

        connect_signals()
