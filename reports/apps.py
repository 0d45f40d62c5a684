from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Мониторинг и отчёты"

    def ready(self):
        # The indicators listen to the models of every app: connected once they are all loaded.
        from reports.indicators import connect_signals

        connect_signals()
