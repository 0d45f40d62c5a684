"""What the audit trail recorded, as a person reads it: an object's own history on its page
(``{% audit_history %}``) and the rows of «Журнал изменений» (``audit/views.py``). What is
recorded and how is in ``audit/trail.py``."""

import json
from datetime import UTC, date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import timezone

from audit.models import LogEntry
from audit.trail import ACCESS, CREATE, DELETE, UPDATE
from programs.models import Program
from registry.models import MentoringGroup, Order, Organization, Person, ReferenceItem, User

ACTIONS = [
    (CREATE, "создание"),
    (UPDATE, "изменение"),
    (DELETE, "удаление"),
    (ACCESS, "выгрузка"),
]
ACTION_LABELS = dict(ACTIONS)
ACTION_BADGES = {CREATE: "success", UPDATE: "primary", DELETE: "danger", ACCESS: "secondary"}
# Related objects whose names cost no further query; others are shown by their number.
NAMED = (Person, User, Organization, ReferenceItem, Order)


def can_read_journal(roles) -> bool:
    """The issue: the head and the sysadmin read the journal of their institution."""
    return roles.is_head or roles.is_sysadmin


def can_read_history(roles) -> bool:
    """An object's own history: the head, the curator and the sysadmin."""
    return roles.is_head or roles.is_curator or roles.is_sysadmin


def model_label(content_type) -> str:
    model = content_type.model_class()
    return str(model._meta.verbose_name).capitalize() if model else content_type.model


def _field(model, name):
    try:
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:  # a field since removed, or «выгрузка» of an export
        return None
    # A reverse relation (e.g. a person's «mentee_profile») has no verbose name of its own.
    return field if hasattr(field, "verbose_name") else None


def _fk_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _names(entries) -> dict:
    """(related model, pk) → its name, for the foreign keys the entries mention: one query per
    kind of related object, however many entries."""
    wanted: dict = {}
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes or {}).items():
            field = _field(model, name)
            if field is None or not field.many_to_one or not issubclass(field.related_model, NAMED):
                continue
            ids = {_fk_id(v) for v in (values if isinstance(values, list) else [])}
            wanted.setdefault(field.related_model, set()).update(i for i in ids if i)
    names = {}
    for model, ids in wanted.items():
        for pk, obj in model._default_manager.in_bulk(ids).items():
            names[(model, pk)] = str(obj)
    return names


def _display(field, value, names) -> str:
    """A recorded value as the person reads it: labels of choices, dates as 24.11.2026,
    date-times in Moscow time, names of related people, «—» for nothing."""
    if value in (None, "None", ""):
        return "—"
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.JSONField):
        return _shorten(_json_text(value))
    if isinstance(field, models.BooleanField):
        return "да" if value in (True, "True") else "нет"
    if field.many_to_one:
        pk = _fk_id(value)
        return names.get((field.related_model, pk), f"№ {value}")
    if isinstance(field, models.DateTimeField):
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        if timezone.is_naive(moment):  # auditlog records date-times in UTC, without the zone
            moment = moment.replace(tzinfo=UTC)
        return f"{timezone.localtime(moment):%d.%m.%Y %H:%M}"
    if isinstance(field, models.DateField):
        try:
            return f"{date.fromisoformat(str(value)[:10]):%d.%m.%Y}"
        except ValueError:
            return str(value)
    return _shorten(str(value))


def _json_text(value) -> str:
    """auditlog keeps a JSON field as its text with escaped Cyrillic: read it back."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(_json_text(v) if isinstance(v, list | dict) else str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_json_text(v)}" for k, v in value.items())
    return str(value)


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _object_urls(entries) -> dict:
    """(model, pk) → the object's page, for the people, orders, groups and programs that still
    exist: one query per kind of object."""
    pages = {
        Person: "registry:person-detail",
        Order: "registry:order-detail",
        MentoringGroup: "registry:group-detail",
        Program: "programs:program-detail",
    }
    wanted: dict = {}
    for entry in entries:
        model = entry.content_type.model_class()
        if model in pages and entry.object_id:
            wanted.setdefault(model, set()).add(entry.object_id)
    urls = {}
    for model, ids in wanted.items():
        for pk in model._default_manager.filter(pk__in=ids).values_list("pk", flat=True):
            urls[(model, pk)] = reverse(pages[model], args=[pk])
    return urls


def _in_model_order(model):
    """Changed fields in the order the model declares them (auditlog keeps them unordered)."""
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())} if model else {}
    return lambda item: order.get(item[0], len(order))


def entry_rows(entries, *, links: bool = False):
    """One row per entry for the templates: the action's label, the kind of object, its page
    and the changed fields with their Russian names and old → new values."""
    entries = list(entries)
    names = _names(entries)
    urls = _object_urls(entries) if links else {}
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        changes = []
        for name, values in sorted((entry.changes or {}).items(), key=_in_model_order(model)):
            field = _field(model, name)
            label = str(field.verbose_name) if field is not None else name
            if isinstance(values, dict):  # a many-to-many change: the objects added or removed
                verb = "добавлено" if values.get("operation") == "add" else "убрано"
                changes.append((label, None, f"{verb}: {', '.join(values.get('objects', []))}"))
                continue
            old, new = (
                (list(values) + [None, None])[:2] if isinstance(values, list) else (None, values)
            )
            changes.append(
                (
                    label,
                    None if entry.action == CREATE or old is None else _display(field, old, names),
                    _display(field, new, names),
                )
            )
        rows.append(
            {
                "entry": entry,
                "action": ACTION_LABELS.get(entry.action, entry.action),
                "badge": ACTION_BADGES.get(entry.action, "secondary"),
                "model": str(model._meta.verbose_name).capitalize() if model else "—",
                "url": urls.get((model, entry.object_id)),
                "changes": changes,
            }
        )
    return rows


def history_for(obj, limit: int = 20):
    """The latest entries of one object, for its own page (a fixed number of queries)."""
    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )
    return entry_rows(entries)
