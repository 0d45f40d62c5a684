from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit trail: the entry table (``AUDITLOG_LOGENTRY_MODEL``, ``audit/models.py``), what is
    recorded and how (``audit/trail.py``), the journal and an object's history (``audit/views.py``,
    ``audit/history.py``, ``{% audit_history %}``)."""

    name = "audit"
    verbose_name = "Журнал изменений"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Models are registered with django-auditlog once every app's models are loaded.
        from audit.trail import register_models

        register_models()
