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
``readings`` and ``inflect`` let a text put another word in a name's place in the same case.
"""

import re
from functools import cache, lru_cache
from typing import NamedTuple

import pymorphy3

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
NAME_GRAMMEMES = frozenset({"Surn", "Name", "Patr"})

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


class Reading(NamedTuple):
    """One way to read a word: part of speech («NOUN», «VERB»…), case and gender (None where
    the word has none) and whether it reads as a person's name, surname or patronymic."""

    pos: str | None
    case: str | None
    gender: str | None
    is_name: bool


@lru_cache(maxsize=50_000)
def readings(word: str) -> frozenset[Reading]:
    """Every reading of ``word``: «Ивановой» — a surname, feminine, in the genitive, dative,
    instrumental or prepositional case."""
    return frozenset(
        Reading(
            parse.tag.POS,
            parse.tag.case,
            parse.tag.gender,
            bool(NAME_GRAMMEMES & parse.tag.grammemes),
        )
        for parse in _analyzer().parse(word.lower())
    )


def inflect(word: str, case: str) -> str:
    """``word`` (a dictionary form) in ``case``, one of ``CASES``: «наставница», «datv» →
    «наставнице»; the word itself when the dictionary cannot inflect it."""
    form = _analyzer().parse(word.lower())[0].inflect({case})
    return form.word if form else word.lower()


@lru_cache(maxsize=20_000)
def name_forms(word: str, grammeme: str) -> frozenset[str]:
    """Every form of ``word`` read as a name part (``grammeme``: «Surn», «Name» or «Patr»),
    itself included: «Соколова», «Surn» → «соколовой», «соколову», «соколовым»…; only the
    word itself when the dictionary has no such reading."""
    word = word.lower()
    forms = {word}
    for parse in _analyzer().parse(word):
        if grammeme in parse.tag.grammemes:
            forms.update(form.word for form in parse.lexeme)
    return frozenset(forms)


@lru_cache(maxsize=50_000)
def name_lemmas(word: str, grammeme: str) -> frozenset[str]:
    """The normal forms of the readings of ``word`` as a name part (``grammeme``)."""
    return frozenset(
        parse.normal_form
        for parse in _analyzer().parse(word.lower())
        if grammeme in parse.tag.grammemes
    )


# Proper nouns that are not common words: a surname that is also a town («Калинина») is no
# ordinary word of the language.
_PROPER = NAME_GRAMMEMES | {"Geox", "Orgn", "Trad"}


@lru_cache(maxsize=50_000)
def is_common_noun(word: str) -> bool:
    """Whether the dictionary knows ``word`` as a common noun too: «Орлов» is also «орлов»,
    the genitive plural of «орёл»; «Соколовой» is only a surname («Беловой» is an adjective
    too, but a capitalized adjective before no noun is rarely anything but a name)."""
    return any(
        parse.is_known and parse.tag.POS == "NOUN" and not (_PROPER & parse.tag.grammemes)
        for parse in _analyzer().parse(word.lower())
    )
