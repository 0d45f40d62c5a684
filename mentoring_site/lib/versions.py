"""Lost updates between two editors (optimistic locking), one way for every form that two
people can open on the same row at once.

The form carries, in a hidden ``version`` field, the fingerprint of the row's editable values
as the editor saw them. The service, holding the row locked, compares it with the row's
fingerprint now; when someone saved in between it refuses with ``StaleVersion`` and nothing is
saved. The form then keeps what the user typed, says «Запись изменил другой пользователь …» and
takes the new fingerprint, so the next save, made knowingly, goes through.

A fingerprint rather than a counter column: any model gets the check without a migration, and
a row changed and changed back (nothing lost) does not refuse.
"""

import hashlib

from django import forms
from django.db import models

STALE_MESSAGE = (
    "Запись изменил другой пользователь, пока вы её редактировали, — ваши изменения не "
    "сохранены, вот текущая версия. Сверьте поля и сохраните ещё раз."
)


class StaleVersion(Exception):
    """Someone saved the row after the editor opened it: nothing was saved."""

    def __init__(self, current: models.Model):
        super().__init__(STALE_MESSAGE)
        self.current = current


def fingerprint(instance: models.Model, fields, rows=()) -> str:
    """A short hash of the ``fields`` of ``instance`` (many-to-many ones as sorted ids) and of
    the rows of its reverse relations named in ``rows`` (a bank entry's difficulties)."""
    parts = [f"{name}={list(getattr(instance, name).order_by('pk').values())!r}" for name in rows]
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            value = sorted(getattr(instance, name).values_list("pk", flat=True))
        else:
            value = field.value_from_object(instance)
            if isinstance(value, models.fields.files.FieldFile):
                value = value.name
        parts.append(f"{name}={value!r}")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def fingerprint_of(value) -> str:
    """A short hash of any plain value (a list of ids and roles, for instance)."""
    return hashlib.sha256(repr(value).encode()).hexdigest()[:32]


def check_version(locked: models.Model, version: str | None, fields, rows=()) -> None:
    """Raise ``StaleVersion`` unless ``locked`` (read ``select_for_update``) still has the
    values the editor saw. ``version=None``: a caller that does not track versions (a
    command, a test) is not checked."""
    if version is not None and fingerprint(locked, fields, rows) != version:
        raise StaleVersion(locked)


class VersionedFormMixin:
    """Adds the hidden ``version`` to a form editing ``instance``; list the checked fields in
    ``version_fields``. Pass ``version_of`` when the form is not a ModelForm."""

    version_fields: tuple = ()  # empty: a ModelForm's own Meta.fields
    version_rows: tuple = ()  # reverse relations whose rows are edited alongside (a formset)

    def __init__(self, *args, version_of: models.Model | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.version_fields:
            self.version_fields = tuple(self._meta.fields)
        self.fields["version"] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=""
        )
        row = version_of if version_of is not None else getattr(self, "instance", None)
        # A preview shows the form again with what was typed: it keeps the version posted.
        fresh = not self.is_bound and not self.initial.get("version")
        if fresh and row is not None and row.pk is not None:
            self.initial["version"] = fingerprint(row, self.version_fields, self.version_rows)

    @property
    def version(self) -> str | None:
        """The version the editor started from (``None`` for a new row)."""
        value = (self.cleaned_data or {}).get("version") if hasattr(self, "cleaned_data") else None
        return value or None

    def refuse_stale(self, error: StaleVersion) -> None:
        """Keep the typed input, say why nothing was saved, and take the current version so
        that the next save goes through."""
        self.add_error(None, STALE_MESSAGE)
        self.stale = error.current
        self.stale_values = current_values(error.current, self.version_fields, self)
        data = self.data.copy()
        data[self.add_prefix("version")] = fingerprint(
            error.current, self.version_fields, self.version_rows
        )
        self.data = data


def _display(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(str(item) for item in getattr(instance, name).all()) or "—"
    if field.choices:
        return getattr(instance, f"get_{name}_display")() or "—"
    value = getattr(instance, name)
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, list):  # a question's options, an order's items
        return "\n".join(str(item) for item in value) or "—"
    if hasattr(value, "strftime"):
        return f"{value:%d.%m.%Y}"
    return str(value) if value not in (None, "") else "—"


def current_values(instance: models.Model, fields, form) -> list[tuple[str, str]]:
    """[(label, the value saved now)] of the form's checked fields, for «вот текущая версия»."""
    return [
        (str(form.fields[name].label or name), _display(instance, name))
        for name in fields
        if name in form.fields
    ]
