"""The audit trail (issue 8; ASVS V16.2, 152-ФЗ ст. 19 ч. 2 п. 9): who created, changed, deleted
or exported personal data, orders and programs, and when. django-auditlog keeps one entry table
for every registered model (the changed fields with old and new values) and takes the actor
from the request (``AuditlogMiddleware``).

Bulk operations (``bulk_create``, ``QuerySet.update``) send no signals: the services that use
them on these models call ``log_bulk`` right after, one insert for all the rows.
"""

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save

# Noise the journal does not need: derived columns and timestamps of the row itself.
EXCLUDED = [
    "search_name",
    "subject_name",
    "updated_at",
    "created_at",
    "recorded_at",
    "password",
    "last_login",
]

# (app label, model) of what holds personal data, orders and programs.
TRACKED = [
    ("registry", "Person"),
    ("registry", "MenteeProfile"),
    ("registry", "MentorProfile"),
    ("registry", "Difficulty"),
    ("registry", "Competence"),
    ("registry", "Consent"),
    ("registry", "SelfQuestionnaire"),
    ("registry", "RoleAssignment"),
    ("registry", "User"),
    ("registry", "Order"),
    ("registry", "MentoringGroup"),
    ("registry", "GroupMember"),
    ("registry", "Petition"),
    ("registry", "CouncilMeeting"),
    ("registry", "DestructionAct"),
    ("registry", "Organization"),
    ("programs", "Program"),
    ("programs", "ProgramEvent"),
    ("programs", "Meeting"),
    ("programs", "Evidence"),
    ("programs", "TermChange"),
    ("roadmap", "Roadmap"),
    ("roadmap", "Activity"),
    ("reports", "GrowthRecord"),
    ("reports", "Practice"),
    ("reports", "FinalReport"),
    ("reports", "Survey"),
]


def register_models() -> None:
    for app_label, name in TRACKED:
        model = apps.get_model(app_label, name)
        if auditlog.contains(model):
            continue
        excluded = [f.name for f in model._meta.get_fields() if f.name in EXCLUDED]
        auditlog.register(model, exclude_fields=excluded)


def tracked_content_types() -> list[ContentType]:
    models = [apps.get_model(app_label, name) for app_label, name in TRACKED]
    return list(ContentType.objects.get_for_models(*models).values())


def log_bulk(model, pks, *, action: int, changes: dict | None = None, actor=None) -> None:
    """Entries for rows written by a bulk operation: one INSERT for all of them."""
    pks = list(pks)
    if not pks:
        return
    content_type = ContentType.objects.get_for_model(model)
    entries = [
        LogEntry(
            content_type=content_type,
            object_pk=str(pk),
            object_id=pk,
            object_repr=f"{model._meta.verbose_name} № {pk}",
            action=action,
            changes=changes or {},
            actor=actor if getattr(actor, "pk", None) else None,
            additional_data={"bulk": True},
        )
        for pk in pks
    ]
    # bulk_create sends no pre_save, where auditlog puts the request's actor and address.
    for entry in entries:
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using="default")
    LogEntry.objects.bulk_create(entries)


def log_export(user, obj, what: str, institution=None) -> None:
    """An export or download of personal data: who, when, what (ASVS V16.2.1)."""
    target = obj if obj is not None else institution
    LogEntry.objects.log_create(
        target,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        changes={"выгрузка": [None, what]},
        actor=user if getattr(user, "pk", None) else None,
        additional_data={"export": what},
    )


def scrub_person(person) -> None:
    """After anonymization the trail keeps who changed what and when, but not the values: the
    entries of the person's own records and their login lose their changes and their names."""
    registry = apps.get_app_config("registry")
    owned = {
        registry.get_model("Person"): [person.pk],
        registry.get_model("MenteeProfile"): list(
            registry.get_model("MenteeProfile")
            .objects.filter(person=person)
            .values_list("pk", flat=True)
        ),
        registry.get_model("MentorProfile"): list(
            registry.get_model("MentorProfile")
            .objects.filter(person=person)
            .values_list("pk", flat=True)
        ),
        registry.get_model("Consent"): list(person.consents.values_list("pk", flat=True)),
        registry.get_model("Difficulty"): list(
            registry.get_model("Difficulty")
            .objects.filter(mentee__person=person)
            .values_list("pk", flat=True)
        ),
        registry.get_model("SelfQuestionnaire"): list(
            person.questionnaires.values_list("pk", flat=True)
        ),
    }
    for model, pks in owned.items():
        if not pks:
            continue
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_pk__in=[str(pk) for pk in pks],
        ).update(
            changes={},
            changes_text="",
            serialized_data=None,
            object_repr=f"{model._meta.verbose_name} (обезличено)",
        )


def scrub_user(user) -> None:
    """The same for a login closed by anonymization."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(user)), object_pk=str(user.pk)
    ).update(changes={}, changes_text="", serialized_data=None, object_repr="учётная запись")


CREATE, UPDATE, DELETE = LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE
