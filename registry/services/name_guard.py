"""One guard for every published or shared text (152-ФЗ ст. 10.1; issue 17, item 1).

Before a news item, a page or a document of the public section, or a practice (a public case)
is published, the registry looks for the people of the institution in its text and refuses to
publish one naming a person without a current consent to dissemination of their name.

A person is found by their surname in any grammatical case («Соколова», «Соколовой»,
«Соколову»…, «е» written for «ё»): the word's surname readings share a normal form with the
person's surname (pymorphy3), or the word is one of the case forms of that surname, generated
from the dictionary, from the analyzer's guess for a surname it does not know, and from the
usual endings of Russian surnames. The surname must be written with a capital letter. Initials
next to it («Соколова А. Д.», «А. Д. Соколова», «А.Д. Соколова») must be the person's; a
surname that is also a common noun («Орлов» — «орлов», of «орёл») counts only with the
person's first name or initials next to it. A first name with the patronymic («Зое Исаевне»)
names a person too.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from mentoring_site.lib import morphology
from registry.models import Consent, Organization, Person

# An initial («А.») or a word (letters, inner hyphens and apostrophes).
_TOKEN = re.compile(
    r"(?P<initial>(?<![^\W\d_])[А-ЯЁA-Z]\.)|(?P<word>[^\W\d_]+(?:['’\-][^\W\d_]+)*)"
)

# Case endings of Russian surnames, for a surname neither the dictionary nor the analyzer
# declines: a stem ending and the endings its forms take.
_SURNAME_ENDINGS = [
    (("ова", "ева", "ёва", "ина", "ына"), 1, ("а", "ой", "у", "ою")),
    (("ов", "ев", "ёв", "ин", "ын"), 0, ("", "а", "у", "ым", "е")),
    (("ская", "цкая"), 2, ("ая", "ой", "ую")),
    (("ский", "цкий"), 2, ("ий", "ого", "ому", "им", "ом")),
]

UNCONSENTED = (
    "Здесь названы люди без действующего согласия на распространение персональных данных "
    "(152-ФЗ, ст. 10.1): {names} — уберите их имена из текста или сначала оформите согласие."
)


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


@dataclass(frozen=True)
class _Token:
    text: str
    norm: str
    is_initial: bool

    @property
    def is_capitalized(self) -> bool:
        return self.text[:1].isupper()


def _tokens(text: str) -> list[_Token]:
    return [
        _Token(m.group(0), _norm(m.group(0).rstrip(".")), m.group("initial") is not None)
        for m in _TOKEN.finditer(text or "")
    ]


def _by_endings(surname: str) -> set[str]:
    word = surname.lower()
    for endings, cut, forms in _SURNAME_ENDINGS:
        if word.endswith(endings):
            stem = word[: len(word) - cut] if cut else word
            return {stem + ending for ending in forms}
    return set()


def _surname_forms(surname: str) -> frozenset[str]:
    """Every case form of a surname, «ё» as «е»."""
    forms = set(morphology.name_forms(surname, "Surn")) | _by_endings(surname)
    forms.update(morphology.inflect(surname, case) for case in morphology.CASES)
    return frozenset(_norm(form) for form in forms)


def _part_forms(word: str, grammeme: str) -> frozenset[str]:
    if not word:
        return frozenset()
    return frozenset(_norm(form) for form in morphology.name_forms(word, grammeme))


def _surname_lemmas(word: str) -> frozenset[str]:
    return frozenset(_norm(lemma) for lemma in morphology.name_lemmas(word, "Surn"))


def person_name_forms(
    *, last_name: str, first_name: str, patronymic: str
) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Every case form of a surname, a first name and a patronymic, lower case, «ё» as «е»:
    what the guard looks for, and what anonymization replaces (personal_data.py)."""
    return (
        _surname_forms(last_name) if last_name else frozenset(),
        _part_forms(first_name, "Name") | ({_norm(first_name)} if first_name else set()),
        _part_forms(patronymic, "Patr"),
    )


class _Matcher:
    """The forms of one person's name, and whether a text's words name them."""

    def __init__(self, person: Person):
        self.surnames = _surname_forms(person.last_name)
        self.surname_lemmas = _surname_lemmas(person.last_name)
        self.first_names = _part_forms(person.first_name, "Name")
        self.patronymics = _part_forms(person.patronymic, "Patr")
        self.first_initial = _norm(person.first_name[:1])
        self.second_initial = _norm(person.patronymic[:1])

    def is_surname(self, token: _Token) -> bool:
        if token.is_initial or not token.is_capitalized:
            return False
        return token.norm in self.surnames or bool(
            self.surname_lemmas and self.surname_lemmas & _surname_lemmas(token.text)
        )

    def _initials_agree(self, initials: list[_Token]) -> bool:
        expected = [self.first_initial, self.second_initial][: len(initials)]
        return [t.norm for t in initials] == expected

    def _named_with(self, tokens: list[_Token], i: int) -> bool | None:
        """True: the person's first name or initials stand next to the surname at ``i``;
        False: someone else's initials do; None: nothing stands next to it."""
        before = []
        j = i - 1
        while j >= 0 and tokens[j].is_initial and len(before) < 2:
            before.insert(0, tokens[j])
            j -= 1
        after = []
        j = i + 1
        while j < len(tokens) and tokens[j].is_initial and len(after) < 2:
            after.append(tokens[j])
            j += 1
        if before or after:
            # «Белова А. А. — Соколова А. Д.»: the initials before may be the previous name's.
            return (bool(after) and self._initials_agree(after)) or (
                bool(before) and self._initials_agree(before)
            )
        if i + 1 < len(tokens) and self._is_first_name(tokens[i + 1]):
            return True
        if i >= 1 and self._is_first_name(tokens[i - 1]):
            return True
        return (
            i >= 2 and self._is_patronymic(tokens[i - 1]) and self._is_first_name(tokens[i - 2])
        ) or None

    def _is_first_name(self, token: _Token) -> bool:
        return token.is_capitalized and not token.is_initial and token.norm in self.first_names

    def _is_patronymic(self, token: _Token) -> bool:
        return token.is_capitalized and not token.is_initial and token.norm in self.patronymics

    def names(self, tokens: list[_Token]) -> bool:
        for i, token in enumerate(tokens):
            if self.is_surname(token):
                named_with = self._named_with(tokens, i)
                if named_with or (named_with is None and not morphology.is_common_noun(token.text)):
                    return True
            elif (
                self.patronymics
                and self._is_first_name(token)
                and i + 1 < len(tokens)
                and self._is_patronymic(tokens[i + 1])
            ):
                return True
        return False


def _people_of(institution: Organization):
    """The institution's people (its partners' staff among them), as long as they have a
    name: an anonymized person's is gone."""
    return Person.objects.filter(institution=institution, anonymized_on__isnull=True).order_by(
        "last_name", "first_name", "pk"
    )


def people_named(text: str, *, institution: Organization) -> list[Person]:
    """The people of the institution that ``text`` names, by surname order."""
    tokens = _tokens(text)
    if not tokens:
        return []
    words = {token.norm for token in tokens if not token.is_initial}
    lemmas = set().union(*(_surname_lemmas(t.text) for t in tokens if t.is_capitalized))
    found = []
    for person in _people_of(institution).only(
        "pk", "last_name", "first_name", "patronymic", "institution_id"
    ):
        matcher = _Matcher(person)
        # Most people are not in the text at all: a cheap test of their name's forms first.
        if not (words & (matcher.surnames | matcher.first_names)) and not (
            lemmas & matcher.surname_lemmas
        ):
            continue
        if matcher.names(tokens):
            found.append(person)
    return found


def unconsented_named(
    text: str, *, institution: Organization, on: date | None = None
) -> list[Person]:
    """The people ``text`` names whose current consent to dissemination (ст. 10.1) does not
    allow their name («фамилия, имя, отчество» marked «разрешаю»), or who have none."""
    named = people_named(text, institution=institution)
    if not named:
        return []
    consented = set(
        Consent.objects.disseminating("name", on=on)
        .filter(person__in=named)
        .values_list("person_id", flat=True)
    )
    return [person for person in named if person.pk not in consented]


def unconsented_message(people: list[Person]) -> str:
    return UNCONSENTED.format(names=", ".join(person.short_name for person in people))


def publication_errors(*, institution: Organization, texts: dict[str, str]) -> dict[str, str]:
    """For each field (name → text) that names someone without consent, the Russian message
    listing them; empty when the texts may be published."""
    errors = {}
    for field, text in texts.items():
        people = unconsented_named(text, institution=institution)
        if people:
            errors[field] = unconsented_message(people)
    return errors


def require_consented_names(*, institution: Organization, texts: dict[str, str]) -> None:
    """Raises a ValidationError keyed by field when a text names someone without consent."""
    errors = publication_errors(institution=institution, texts=texts)
    if errors:
        raise ValidationError(errors)
