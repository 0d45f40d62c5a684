from django.apps import AppConfig


class MentoringSiteConfig(AppConfig):
    name = "mentoring_site"
    verbose_name = "Основа сайта"

    def ready(self):
        from mentoring_site import (
            collation,  # noqa: F401  (registers the SQLite collation)
            lookups,  # noqa: F401  (integer ``in`` without values out of range)
            security,  # noqa: F401  (connects the security log)
        )
        from mentoring_site.audit import register_models

        register_models()
