"""Small helpers every app's views share for forms and service refusals."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates

# The empty choice of every select (issue 19): Django's «---------» reads as a broken page.
EMPTY_CHOICE = "— выберите —"
DJANGO_EMPTY_CHOICE = "---------"


def posted(request):
    """The submitted data, or None on GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def add_service_errors(form, error: ValidationError) -> None:
    """A service's refusal next to the field it names, or on top of the form."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def error_text(error: ValidationError) -> str:
    """A service's refusal as one sentence for a message."""
    return " ".join(error.messages)


def limit_to_institution(form, institution) -> None:
    """Choices from the lists a kindergarten may extend (reference lists, the library of typical
    events) offer the installation's entries and the institution's own, never another
    kindergarten's additions: every field whose queryset knows ``visible_to`` is narrowed."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and hasattr(queryset, "visible_to"):
            field.queryset = queryset.visible_to(institution)


def limit_formset_to_institution(formset, institution) -> None:
    for form in [*formset.forms, formset.empty_form]:
        limit_to_institution(form, institution)


class FormRenderer(DjangoTemplates):
    """Django's form renderer (settings.FORM_RENDERER), with «— выберите —» for the empty choice
    of every select and radio list. Django writes «---------» in two places (a model choice
    field's ``empty_label`` and ``BLANK_CHOICE_DASH`` of a model field with choices); the widget
    context is the one place both pass through, so no form has to remember it."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        for _group, options, _index in (widget or {}).get("optgroups", ()):
            for option in options:
                if option.get("label") == DJANGO_EMPTY_CHOICE:
                    option["label"] = EMPTY_CHOICE
        return super().render(template_name, context, request)


def offer_options(field, options: list[tuple]) -> None:
    """A model select offers ``options`` ([(pk, label)], read once and kept by the caller, e.g.
    per institution in the cache) instead of querying its queryset on every page (issue 21:
    the filters of the lists). The queryset still checks what is submitted."""
    empty = [("", field.empty_label)] if getattr(field, "empty_label", None) is not None else []
    # ChoiceField's own setter: django-filter's select wraps anything given to its ``choices``
    # in a model iterator, which would query again.
    forms.ChoiceField.choices.fset(field, empty + list(options))


def options_of(field) -> list[tuple]:
    """[(pk, label)] of a model select's queryset, as its select would show them."""
    return [(obj.pk, field.label_from_instance(obj)) for obj in field.queryset]
