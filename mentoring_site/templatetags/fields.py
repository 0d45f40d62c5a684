"""``{% select_field field %}``: a select of a form, written in Python (issue 21, item 3).

The same markup as crispy-bootstrap5's ``{{ field|as_crispy_field }}`` for a Select
(tests/registry/test_people.py compares them), without a template per option nor one per field:
the filters of the lists render their selects on every page, and the templates of crispy and of
Django's widgets took a fifth of a list's time (docs/benchmarks.md).
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

REQUIRED_MARK = mark_safe('<span class="asteriskField">*</span>')  # noqa: S308 — a constant


def _options(field) -> str:
    """The options, each value and label escaped (half the time of a format_html per option)."""
    widget = field.field.widget
    chosen = set(widget.format_value(field.value()))
    options = []
    for value, label in field.field.choices:
        value = str(value)
        selected = " selected" if value in chosen else ""
        options.append(
            f'<option value="{conditional_escape(value)}"{selected}>'
            f"{conditional_escape(label)}</option>"
        )
    return mark_safe("\n  ".join(options))  # noqa: S308 — every value and label escaped above


def _described_by(field, errors) -> str:
    if errors:
        return format_html(' aria-invalid="true" aria-describedby="{}_error"', field.auto_id)
    if field.help_text:
        return format_html(' aria-describedby="{}_helptext"', field.auto_id)
    return ""


def _errors(field, errors) -> str:
    if not errors:
        return ""
    lines = format_html_join(
        "",
        '<p id="error_{}_{}"><strong>{}</strong></p>',
        ((number, field.auto_id, error) for number, error in enumerate(errors, start=1)),
    )
    return format_html('<div id="{}_error" class="invalid-feedback">{}</div>', field.auto_id, lines)


@register.simple_tag
def select_field(field) -> str:
    """A bound field whose widget is a Select (no optgroups), as crispy-bootstrap5 renders it."""
    if any(isinstance(label, (list, tuple)) for _value, label in field.field.choices):
        return as_crispy_field(field)  # option groups: crispy's own templates
    errors = field.errors
    required = REQUIRED_MARK if field.field.required else ""
    help_text = (
        format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
        )
        if field.help_text
        else ""
    )
    return format_html(
        '<div id="div_{id}" class="mb-3">\n'
        '  <label for="{label_for}" class="form-label">{label}{required}</label>\n'
        '  <select name="{name}" class="select form-select{invalid}"{described} id="{id}">\n'
        "  {options}\n"
        "  </select>\n"
        "  {errors}\n"
        "  {help}\n"
        "</div>",
        id=field.auto_id,
        label_for=field.id_for_label,
        label=field.label,
        required=required,
        name=field.html_name,
        invalid=" is-invalid" if errors else "",
        described=_described_by(field, errors),
        options=_options(field),
        errors=_errors(field, errors),
        help=help_text,
    )


@register.simple_tag
def checkbox_field(field) -> str:
    """A bound field whose widget is a CheckboxInput, as crispy-bootstrap5 renders it (the
    filters' «только с просроченными»); with errors or a help text, crispy itself."""
    if field.errors or field.help_text:
        return as_crispy_field(field)
    return format_html(
        '<div class="mb-3">\n<div id="div_{id}" class="form-check">\n'
        '  <input type="checkbox" name="{name}" class="checkboxinput form-check-input"'
        ' id="{id}"{checked}>\n'
        '  <label for="{id}" class="form-check-label">{label}</label>\n'
        "</div>\n</div>",
        id=field.auto_id,
        name=field.html_name,
        checked=" checked" if field.value() else "",
        label=field.label,
    )
