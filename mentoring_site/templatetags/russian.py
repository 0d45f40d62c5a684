"""The template side of mentoring_site/lib/russian.py, a builtin of every template (settings.py).

``{{ n }} {{ n|plural:"анкета,анкеты,анкет" }}`` prints «1 анкета», «2 анкеты», «5 анкет».
"""

from django import template

from mentoring_site.lib.russian import plural as plural_form

register = template.Library()


@register.filter
def plural(number, forms: str) -> str:
    """The form of the word for ``number``; ``forms`` are the three forms, comma-separated."""
    one, few, many = (form.strip() for form in forms.split(","))
    try:
        return plural_form(int(number), one, few, many)
    except (TypeError, ValueError):
        return many
