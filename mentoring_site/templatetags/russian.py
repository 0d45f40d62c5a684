"""The template side of mentoring_site/lib/russian.py, a builtin of every template (settings.py).

``{{ n }} {{ n|plural:"анкета,анкеты,анкет" }}`` prints «1 анкета», «2 анкеты», «5 анкет»;
``{{ person|agreed:"согласен,согласна" }}`` prints the form of the person's sex («согласен(на)»
when it is not known).
"""

from django import template

from mentoring_site.lib.russian import agreed as agreed_form
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


@register.filter
def agreed(who, forms: str) -> str:
    """The masculine or feminine form for ``who``: a person, a login with a person, or nothing
    (both forms at once); ``forms`` are the two forms, comma-separated."""
    masculine, feminine = (form.strip() for form in forms.split(","))
    person = getattr(who, "person", who) if who is not None else None
    return agreed_form(getattr(person, "gender", ""), masculine, feminine)
