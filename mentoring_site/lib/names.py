"""People's names as they are typed (a surname, a first name, a patronymic, a full name): letters
(Cyrillic with «ё», or Latin), hyphens, spaces and apostrophes, beginning and ending with a
letter: «Иванова-Петрова», «Д'Артаньян», «Анна Мария». Anything else is refused with a Russian
message that says which signs to remove. Forms and the staff import check what is typed; names
already kept are not checked again (issue 22)."""

import re

from django.core.exceptions import ValidationError

# The letters of the Cyrillic block (without its signs U+0482–U+0489) and the Latin ones.
_LETTERS = "A-Za-z\u0400-\u0481\u048a-\u04ff"
_JOINERS = "\\- '\u2019\u02bc"  # hyphen, space, apostrophes: ' ’ ʼ
_ALLOWED = re.compile(f"[{_LETTERS}{_JOINERS}]")
_NAME = re.compile(f"[{_LETTERS}](?:[{_LETTERS}{_JOINERS}]*[{_LETTERS}])?")

NAME_RULE = "Только буквы (русские или латинские), дефис, пробел и апостроф"


def normalize_name(value: str) -> str:
    """The name with its spaces trimmed and runs of spaces made one."""
    return " ".join(value.split())


def name_error(value: str) -> str:
    """The Russian message for a typed name that breaks the rule; "" for a good or empty one."""
    if not value:
        return ""
    wrong = [sign for sign in dict.fromkeys(value) if not _ALLOWED.fullmatch(sign)]
    if wrong:
        shown = " ".join(sign for sign in wrong if sign.isprintable())
        return f"{NAME_RULE}. Уберите: {shown}." if shown else f"{NAME_RULE}."
    if not _NAME.fullmatch(value):
        return f"{NAME_RULE}; начинается и заканчивается буквой."
    return ""


def validate_name(value: str) -> None:
    """A form field's validator of :func:`name_error`."""
    error = name_error(value)
    if error:
        raise ValidationError(error, code="name")
