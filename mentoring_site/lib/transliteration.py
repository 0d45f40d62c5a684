"""Russian names in Latin letters, for logins: «Иванова Анна Сергеевна» → ``ivanova``, ``a``,
``s``. The letters follow the readable scheme people already know from e-mail addresses and
foreign passports before 2014 (ж → zh, х → kh, ц → ts, щ → shch, ю → yu, я → ya); the soft and
hard signs are left out."""

import re
import unicodedata

_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip


def transliterate(text: str) -> str:
    """Lower-case Latin letters, digits and single hyphens: «Петрова-Водкина» →
    ``petrova-vodkina``; Latin letters with accents lose them; anything else is dropped."""
    result = []
    for char in (text or "").casefold():
        if char in _LETTERS:
            result.append(_LETTERS[char])
        else:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            result.append(plain if re.fullmatch(r"[a-z0-9-]", plain or " ") else "")
    return re.sub(r"-{2,}", "-", "".join(result)).strip("-")


def to_latin(text: str) -> str:
    """Cyrillic letters in Latin ones, keeping capitals and everything else: «Приказ № 5» →
    «Prikaz № 5» (a download's ASCII name, mentoring_site/lib/downloads.py)."""
    result = []
    for char in text:
        latin = _LETTERS.get(char.lower())
        if latin is None:
            result.append(char)
        else:
            result.append(latin.capitalize() if char.isupper() else latin)
    return "".join(result)
