"""Russian word forms, with pymorphy3 and its OpenCorpora dictionary (shipped in the wheel).

A search finds «родительских собраний» where «родительские собрания» is written when both sides
are brought to their normal forms (SQLite) or the query is widened to every form of its words
(PostgreSQL); a name is found in any grammatical case the same way.

    >>> normal_form("собраний")
    'собрание'
    >>> lemmas("Родительских собраний") == {"родительский", "собрание"}
    True
    >>> "детьми" in word_forms("ребёнок")
    True

Every function takes any case and gives lower case, keeping «ё» as the dictionary writes it;
a word the dictionary does not know gets the normal form the analyzer guesses from its ending.
"""

import re
from functools import cache, lru_cache

import pymorphy3

# A word: letters or digits, with inner hyphens and apostrophes («из-за», «Д'Артаньян»).
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


@cache
def _analyzer() -> pymorphy3.MorphAnalyzer:
    """Loaded once per process, on first use (about 0.2 s, 15 MB)."""
    return pymorphy3.MorphAnalyzer(lang="ru")


def words(text: str) -> list[str]:
    """The words of ``text`` in lower case, in order, without punctuation."""
    return [word.lower() for word in _WORD.findall(text or "")]


@lru_cache(maxsize=50_000)
def normal_forms(word: str) -> frozenset[str]:
    """Every normal form ``word`` may have («стали» → {«стать», «сталь»})."""
    return frozenset(parse.normal_form for parse in _analyzer().parse(word.lower()))


@lru_cache(maxsize=50_000)
def normal_form(word: str) -> str:
    """The most probable normal form of ``word``: «собраний» → «собрание»."""
    return _analyzer().parse(word.lower())[0].normal_form


def lemmas(text: str) -> set[str]:
    """The normal forms of every word of ``text`` (every reading of an ambiguous word)."""
    return {form for word in words(text) for form in normal_forms(word)}


@lru_cache(maxsize=5_000)
def word_forms(word: str) -> frozenset[str]:
    """Every form of every word ``word`` may be, itself included: «ребёнок» → «детей», …"""
    word = word.lower()
    forms = {word}
    for parse in _analyzer().parse(word):
        forms.update(form.word for form in parse.lexeme)
    return frozenset(forms)
