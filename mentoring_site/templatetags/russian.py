"""The template side of mentoring_site/lib/russian.py, a builtin of every template (settings.py).

``{{ n }} {{ n|plural:"анкета,анкеты,анкет" }}`` prints «1 анкета», «2 анкеты», «5 анкет»;
``{{ person|agreed:"согласен,согласна" }}`` prints the form of the person's sex («согласен(на)»
when it is not known); ``{{ person|case:"accs" }}`` the person's full name in a case
(«Козлову Екатерину Александровну»), ``{{ institution|case:"loct" }}`` the institution's full
name in a case, as kept in its settings («в … учреждении»).
"""

from django import template

from mentoring_site.lib.russian import agreed as agreed_form
from mentoring_site.lib.russian import decline_full_name, decline_person, decline_phrase
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


@register.filter
def case(who, grammatical_case: str) -> str:
    """``who`` in ``grammatical_case`` («gent», «datv», «accs», «ablt», «loct»): an
    organization (its ``name_in``), a person or a login with a person (the full name), or a
    plain text (declined as an organization's name)."""
    if who is None or who == "":
        return ""
    if hasattr(who, "name_in"):
        return who.name_in(grammatical_case)
    person = getattr(who, "person", who)
    if hasattr(person, "last_name") and hasattr(person, "patronymic"):
        return decline_person(person, grammatical_case)
    return decline_phrase(str(who), grammatical_case)


@register.filter
def name_case(full_name: str, grammatical_case: str) -> str:
    """A full name typed as one line («Иванова Анна Сергеевна») in ``grammatical_case``."""
    return decline_full_name(full_name or "", grammatical_case)
