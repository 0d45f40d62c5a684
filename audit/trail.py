"""The audit trail (issue 8; ASVS V16.2, 152-ФЗ ст. 19 ч. 2 п. 9): who created, changed, deleted
or exported personal data, orders and programs, and when. django-auditlog writes one entry per
change of a registered model (the changed fields with old and new values) and takes the actor
from the request (``AuditlogMiddleware``). The entry model is ``audit.LogEntry``: auditlog's own
with the institution, filled here by ``institution_id_of`` and indexed, so that a city's
installation reads one kindergarten's journal without scanning the others'.

Bulk operations (``bulk_create``, ``QuerySet.update``, ``bulk_update``) send no signals: the
services call ``log_created``, ``update_logged`` or ``bulk_update_logged`` (or the low-level
``log_bulk``) instead, which write all the rows' entries in one insert.
"""

from auditlog.diff import model_instance_diff
from auditlog.registry import auditlog
from auditlog.signals import pre_log
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import ManyToManyField, Value
from django.db.models.functions import Replace
from django.db.models.signals import pre_save
from django.dispatch import Signal

from audit.institutions import SELF, TRACKED, institution_id_of, path_of, register_path
from audit.models import LogEntry

CREATE, UPDATE, DELETE, ACCESS = (
    LogEntry.Action.CREATE,
    LogEntry.Action.UPDATE,
    LogEntry.Action.DELETE,
    LogEntry.Action.ACCESS,
)

# Noise the journal does not need: derived columns, the row's own timestamps, a daily job's
# reminder marks, whole-document snapshots; never a password hash, nor an invitation code's.
# ``subject_name`` of an act of destruction is the name of someone whose data was destroyed:
# the act keeps it, the trail not.
EXCLUDED = {
    "search_name",
    "subject_name",
    "updated_at",
    "created_at",
    "recorded_at",
    "password",
    "code_hash",
    "last_login",
    "version",
    "reminded_on",
    "reminded_at",
    "snapshot",
}

# Sent after the entries of a bulk write (which sends no post_save): sender the model,
# ``institution_ids`` the institutions of its rows (None for a row of none). The cached
# indicators listen (reports/indicators.py).
bulk_written = Signal()


def _tracked_fields(model) -> tuple[list[str], list[str]]:
    """The concrete fields worth recording and the many-to-many ones. Listing the fields also
    keeps auditlog off the reverse relations, which would cost a query each."""
    fields = [
        f.name for f in model._meta.concrete_fields if f.name not in EXCLUDED and not f.primary_key
    ]
    m2m = [f.name for f in model._meta.many_to_many if isinstance(f, ManyToManyField)]
    return fields, m2m


def register_models() -> None:
    for (app_label, name), path in TRACKED.items():
        model = apps.get_model(app_label, name)
        register_path(model, path)
        if auditlog.contains(model):
            continue
        fields, m2m = _tracked_fields(model)
        auditlog.register(model, include_fields=fields, m2m_fields=m2m)
    pre_log.connect(_skip_anonymous_answers, dispatch_uid="audit-skip-anonymous-answers")


def tracked_models() -> list:
    return [apps.get_model(app_label, name) for app_label, name in TRACKED]


def tracked_content_types() -> list[ContentType]:
    return list(ContentType.objects.get_for_models(*tracked_models()).values())


def _institutions(model, pks) -> dict:
    """pk → institution id for rows written in bulk: one query for all of them."""
    path = path_of(model)
    if path is None:
        return {}
    if path == SELF:
        rows = model._default_manager.filter(pk__in=pks).values_list("pk", "partner_of", "pk")
        return {pk: partner or own for pk, partner, own in rows}
    return dict(model._default_manager.filter(pk__in=pks).values_list("pk", path))


def _is_anonymous_answer(obj) -> bool:
    """An anonymous survey keeps no trace of who answered (reports/services/surveys.py): its
    responses and answers are not recorded, since the entry would name the actor and the time."""
    Response = apps.get_model("reports", "Response")  # noqa: N806
    Answer = apps.get_model("reports", "Answer")  # noqa: N806
    if isinstance(obj, Answer):
        obj = obj.response
    if isinstance(obj, Response):
        return obj.survey.anonymous
    return False


def _skip_anonymous_answers(sender, instance, **kwargs):
    if sender._meta.label in ("reports.Response", "reports.Answer"):
        return not _is_anonymous_answer(instance)
    return None


def _request_context(entries) -> None:
    """bulk_create sends no pre_save, where auditlog puts the request's actor and address."""
    for entry in entries:
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using="default")


def log_bulk(
    model,
    pks,
    *,
    action: int,
    changes: dict | None = None,
    changes_by_pk: dict | None = None,
    actor=None,
) -> None:
    """Entries for rows written by a bulk operation: one query for their institutions, one
    INSERT for all the entries. ``changes`` is the same for every row, ``changes_by_pk`` per row."""
    pks = list(pks)
    if not pks:
        return
    content_type = ContentType.objects.get_for_model(model)
    institutions = _institutions(model, pks)
    entries = [
        LogEntry(
            content_type=content_type,
            object_pk=str(pk),
            object_id=pk,
            object_repr=f"{model._meta.verbose_name} № {pk}",
            action=action,
            changes=(changes_by_pk or {}).get(pk, changes) or {},
            actor=actor if getattr(actor, "pk", None) else None,
            institution_id=institutions.get(pk),
            additional_data={"bulk": True},
        )
        for pk in pks
    ]
    _request_context(entries)
    LogEntry.objects.bulk_create(entries)
    bulk_written.send(sender=model, institution_ids={institutions.get(pk) for pk in pks})


def log_created(objs) -> None:
    """Right after ``bulk_create``: one entry per new row with its values, as a save would."""
    objs = [obj for obj in objs if obj.pk is not None and not _is_anonymous_answer(obj)]
    if not objs:
        return
    log_bulk(
        type(objs[0]),
        [obj.pk for obj in objs],
        action=CREATE,
        changes_by_pk={obj.pk: model_instance_diff(None, obj) for obj in objs},
    )


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def update_logged(queryset, **values) -> int:
    """``queryset.update(**values)`` with one entry per changed row (old → new): one query
    reads the rows, one updates exactly them, one writes the entries."""
    model = queryset.model
    fields = list(values)
    rows = list(queryset.values("pk", *fields))
    if not rows:
        return 0
    count = model._default_manager.filter(pk__in=[row["pk"] for row in rows]).update(**values)
    changes_by_pk = {}
    for row in rows:
        diff = {
            name: [_jsonable(row[name]), _jsonable(values[name])]
            for name in fields
            if name not in EXCLUDED and row[name] != values[name]
        }
        if diff:
            changes_by_pk[row["pk"]] = diff
    log_bulk(model, list(changes_by_pk), action=UPDATE, changes_by_pk=changes_by_pk)
    return count


def bulk_update_logged(objs, fields: list[str]) -> int:
    """``bulk_update(objs, fields)`` with one entry per changed row (old → new)."""
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    before = {
        row["pk"]: row
        for row in model._default_manager.filter(pk__in=[o.pk for o in objs]).values("pk", *fields)
    }
    count = model._default_manager.bulk_update(objs, fields)
    changes_by_pk = {}
    for obj in objs:
        old = before.get(obj.pk, {})
        diff = {
            name: [_jsonable(old.get(name)), _jsonable(getattr(obj, name))]
            for name in fields
            if old.get(name) != getattr(obj, name)
        }
        if diff:
            changes_by_pk[obj.pk] = diff
    log_bulk(model, list(changes_by_pk), action=UPDATE, changes_by_pk=changes_by_pk)
    return count


def log_export(user, obj, what: str, institution=None) -> None:
    """An export or download of personal data, an order, a program or a report (ASVS V16.2.1):
    who, when, what. Without an object (a whole bank) the entry names the institution."""
    target = obj if obj is not None else institution
    LogEntry.objects.log_create(
        target,
        force_log=True,
        action=ACCESS,
        changes={"выгрузка": [None, what]},
        actor=user if getattr(user, "pk", None) else None,
        institution_id=getattr(institution, "pk", None) or institution_id_of(target),
        additional_data={"export": what},
    )


# --- Anonymization (152-ФЗ ст. 21; registry/services/personal_data.py) ----------------------

# The person's own records: their entries lose every recorded value.
OWNED = [
    ("registry", "MenteeProfile", "person"),
    ("registry", "MentorProfile", "person"),
    ("registry", "Difficulty", "mentee__person"),
    ("registry", "Competence", "mentor__person"),
    ("registry", "Consent", "person"),
    ("registry", "EmailChange", "person"),
    ("registry", "SelfQuestionnaire", "person"),
    ("registry", "GroupMember", "person"),
    ("programs", "TermAgreement", "person"),
    ("reports", "Invitation", "person"),
    ("reports", "GrowthRecord", "person"),
]


def _entries_of(model, pks):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_pk__in=[str(pk) for pk in pks],
    )


def scrub_person(person) -> None:
    """After anonymization the trail keeps who changed what and when, but not the values: the
    entries of the person and of their own records lose their changes, and the names the person
    had are replaced by the anonymized one where these entries and their programs' show them."""
    Person = type(person)  # noqa: N806
    person_entries = _entries_of(Person, [person.pk])
    old_names = {
        name
        for name in person_entries.values_list("object_repr", flat=True).distinct()
        if name and name != str(person)
    }
    person_entries.update(changes={}, changes_text="", serialized_data=None)
    named = [person_entries]
    for app_label, name, path in OWNED:
        model = apps.get_model(app_label, name)
        pks = list(model._default_manager.filter(**{path: person}).values_list("pk", flat=True))
        if pks:
            entries = _entries_of(model, pks)
            entries.update(changes={}, changes_text="", serialized_data=None)
            named.append(entries)
    # A program's name is its group's: «Программа: Иванова А. С. — Петрова М. И.».
    Program = apps.get_model("programs", "Program")  # noqa: N806
    programs = list(
        Program.objects.filter(group__members__person=person).values_list("pk", flat=True)
    )
    if programs:
        named.append(_entries_of(Program, programs))
    for entries in named:
        _replace_names(entries, old_names, str(person))


def _replace_names(entries, old_names, new: str) -> None:
    for old in sorted(old_names, key=len, reverse=True):
        entries.filter(object_repr__contains=old).update(
            object_repr=Replace("object_repr", Value(old), Value(new))
        )


def scrub_user(user) -> None:
    """The same for a login closed by anonymization; the entries the person wrote keep the
    account (renamed) as the actor but not its e-mail address."""
    entries = _entries_of(type(user), [user.pk])
    old_names = {
        name
        for name in entries.values_list("object_repr", flat=True).distinct()
        if name and name != str(user)
    }
    entries.update(changes={}, changes_text="", serialized_data=None)
    RoleAssignment = apps.get_model("registry", "RoleAssignment")  # noqa: N806
    # The login's roles are deleted by then: their entries are found by the institution.
    roles = LogEntry.objects.filter(
        institution_id=user.institution_id,
        content_type=ContentType.objects.get_for_model(RoleAssignment),
    )
    for named in (entries, roles):
        _replace_names(named, old_names, str(user))
    LogEntry.objects.filter(actor=user).update(actor_email=None)
