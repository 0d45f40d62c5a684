"""The entry of the audit trail: django-auditlog's entry with the institution it belongs to.

One installation serves a city's kindergartens, so the journal of one institution is read
through an index on ``institution`` rather than by scanning every entry's JSON. The column is
filled when the entry is written, from the object (``audit.institutions.institution_id_of``).
"""

from auditlog.models import AbstractLogEntry
from auditlog.models import LogEntryManager as BaseLogEntryManager
from django.db import models

from audit.institutions import institution_id_of


class LogEntryManager(BaseLogEntryManager):
    def log_create(self, instance, force_log: bool = False, **kwargs):
        kwargs.setdefault("institution_id", institution_id_of(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        kwargs.setdefault("institution_id", institution_id_of(instance))
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


class LogEntry(AbstractLogEntry):
    institution = models.ForeignKey(
        "registry.Organization",
        verbose_name="учреждение",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the first column of the indexes below
        help_text="Пусто — общие справочники и шаблоны всех учреждений.",
    )

    objects = LogEntryManager()

    class Meta(AbstractLogEntry.Meta):
        swappable = "AUDITLOG_LOGENTRY_MODEL"
        verbose_name = "запись журнала изменений"
        verbose_name_plural = "журнал изменений"
        indexes = [
            # «Журнал изменений» of one institution, newest first, 50 a page.
            models.Index(fields=["institution", "-timestamp"], name="audit_institution_time"),
            # An object's own history on its page.
            models.Index(fields=["content_type", "object_id"], name="audit_object"),
        ]
