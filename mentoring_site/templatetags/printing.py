"""The heading a printed list carries (issue 19, item 3): what it is and which filters made it.

``{% print_heading %}`` in base.html prints, on paper only, the filters of the list on the page
(the same lines as the heading of its Excel sheet, ``filter_lines``) and how many rows it holds.
"""

from django import forms, template

from mentoring_site.lib.pages import is_print
from mentoring_site.lib.spreadsheets import filter_lines

register = template.Library()


def _filter_form(context):
    """The list's filter form: a django-filter set's form, ``filter_form``, or a GET ``form``."""
    filterset = context.get("filter")
    if filterset is not None and hasattr(filterset, "form"):
        return filterset.form
    for name in ("filter_form", "form"):
        form = context.get(name)
        if isinstance(form, forms.BaseForm) and form.is_bound and not form.prefix:
            return form
    return None


@register.inclusion_tag("includes/_print_heading.html", takes_context=True)
def print_heading(context):
    page_obj = context.get("page_obj")
    request = context.get("request")
    if page_obj is None or request is None:
        return {"shown": False}
    form = _filter_form(context)
    search = context.get("search_text", "") or ""
    lines = filter_lines(form, search=search) if form is not None else ["Без отбора: все строки"]
    # A list without a filter form names what it is itself (the rows behind a dashboard number).
    lines = context.get("print_lines") or lines
    return {
        "shown": True,
        "lines": lines,
        "whole": is_print(request),
        "count": page_obj.paginator.count,
        "page_obj": page_obj,
    }
