"""Russian telephone numbers in one written form: «+7 921 123-45-67».

People write the same number as «8 (921) 123-45-67», «+7 921 1234567», «89211234567» or
«921 123 45 67»; the registry keeps one form, so that a number is found and compared as one. The
staff import can use the same normaliser for the numbers of a list.
"""

import re

# The first digit of a Russian national number (ten digits after +7): 3 and 4 are the regions'
# codes, 8 the Saint Petersburg, Moscow region and free-call codes (812, 800…), 9 the mobile
# networks. 7 after +7 is Kazakhstan; 0, 1, 2, 5 and 6 begin no number in Russia.
RUSSIAN_FIRST_DIGITS = frozenset("3489")

# What may stand between the digits: spaces, dashes, dots, brackets. Anything else (letters,
# «доб.», a second number after a comma) is not one telephone number.
_ALLOWED = re.compile(r"^\+?[\d\s\-.()\u2010-\u2015\u00a0]+$")

ERROR = (
    "Это не похоже на российский номер телефона. Напишите его так: +7 921 123-45-67 "
    "или 8 (921) 123-45-67."
)


class NotARussianPhone(ValueError):
    """The text cannot be a Russian telephone number; the message is the Russian ``ERROR``."""

    def __init__(self):
        super().__init__(ERROR)


def normalize_phone(text: str) -> str:
    """«+7 XXX XXX-XX-XX» from any common writing of a Russian number; an empty text stays
    empty. Raises ``NotARussianPhone`` for anything else."""
    text = (text or "").strip()
    if not text:
        return ""
    if not _ALLOWED.match(text):
        raise NotARussianPhone
    digits = re.sub(r"\D", "", text)
    plus = text.startswith("+")
    if plus:
        if len(digits) != 11 or digits[0] != "7":
            raise NotARussianPhone
        national = digits[1:]
    elif len(digits) == 11 and digits[0] in "78":
        national = digits[1:]
    elif len(digits) == 10:
        national = digits
    else:
        raise NotARussianPhone
    if national[0] not in RUSSIAN_FIRST_DIGITS:
        raise NotARussianPhone
    return f"+7 {national[:3]} {national[3:6]}-{national[6:8]}-{national[8:]}"
