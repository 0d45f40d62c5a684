"""The ``ru_ru`` collation that sorts Russian names correctly on both databases.

PostgreSQL gets an ICU collation from a migration (registry 0001); SQLite gets a Python
collation of the same name on every new connection. Both order «ё» right after «е» and
ignore case, so «Ёлкина» stands between «Ежова» and «Жукова».
"""

from django.db.backends.signals import connection_created
from django.dispatch import receiver

_ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}


def sort_key(value: str | None) -> tuple:
    text = (value or "").casefold()
    return tuple((0, _RANK[char]) if char in _RANK else (1, ord(char)) for char in text)


def _compare(left: str | None, right: str | None) -> int:
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


@receiver(connection_created)
def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation("ru_ru", _compare)


def normalize_for_search(value: str) -> str:
    """Casefolded text with «ё» as «е»: what the name search compares on both databases."""
    return " ".join(value.casefold().replace("ё", "е").split())
