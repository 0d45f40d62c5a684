from django.apps import AppConfig


class MentoringSiteConfig(AppConfig):
    name = "mentoring_site"
    verbose_name = "Основа сайта"

    def ready(self):
        # Imported once the app registry is ready, for what importing them connects.
        from mentoring_site.lib import (
            collation,  # noqa: F401  (registers the SQLite collation)
            lookups,  # noqa: F401  (integer ``in`` without values out of range)
            security,  # noqa: F401  (connects the security log)
        )
