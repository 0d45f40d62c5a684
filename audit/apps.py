from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit trail's entry table (``AUDITLOG_LOGENTRY_MODEL``); what is recorded and how is
    in ``mentoring_site/audit.py``."""

    name = "audit"
    verbose_name = "Журнал изменений"
    default_auto_field = "django.db.models.BigAutoField"
