from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Банки наставников и наставляемых"

    def ready(self):
        # The cached navigation context (registry/roles.py) listens to the users, people,
        # profiles, roles, institutions and notifications.
        from registry.navigation_signals import connect_signals

        connect_signals()
