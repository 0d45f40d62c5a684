"""Russian agreement (issue 19): of a word with a number («1 анкета», «2 анкеты», «5 анкет»),
and of a verb with the person («подтвердил», «подтвердила»)."""


def plural(number: int, one: str, few: str, many: str) -> str:
    """The form of a word for ``number``: ``one`` for 1, 21, 101; ``few`` for 2–4, 22–24;
    ``many`` for 0, 5–20, 25–30, 111–114."""
    number = abs(int(number))
    if number % 10 == 1 and number % 100 != 11:
        return one
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return few
    return many


# Russian patronymics say the person's sex: «-вич», «-ич» and the Turkic «оглы», «улы», «уулу»
# for a man; «-вна», «-чна» and «кызы», «гызы» for a woman. A name without a patronymic (a
# partner's staff member from abroad, a typo) says nothing: the person's record may say it.
MASCULINE_ENDINGS = ("ич", "оглы", "улы", "уулу")
FEMININE_ENDINGS = ("вна", "чна", "шна", "кызы", "гызы", "кизи")
MASCULINE, FEMININE = "m", "f"


def gender_from_patronymic(patronymic: str) -> str:
    """«m», «f», or «» when the patronymic does not say."""
    words = (patronymic or "").strip().lower().replace("ё", "е").split()
    last = words[-1] if words else ""
    if last.endswith(MASCULINE_ENDINGS):
        return MASCULINE
    if last.endswith(FEMININE_ENDINGS) or last in FEMININE_ENDINGS:
        return FEMININE
    return ""


def agreed(gender: str, masculine: str, feminine: str) -> str:
    """The verb or participle agreed with the person: «подтвердил» or «подтвердила»; when the
    sex is unknown both at once, the way forms print them: «подтвердил(а)», «согласен(на)»,
    «отказался(ась)»."""
    if gender == MASCULINE:
        return masculine
    if gender == FEMININE:
        return feminine
    common = 0
    while common < min(len(masculine), len(feminine)) and masculine[common] == feminine[common]:
        common += 1
    return f"{masculine}({feminine[common:]})"


# Grammatical cases ------------------------------------------------------------------------
#
# A name inside a sentence takes the case the sentence asks for: «Освободить … Козлову
# Екатерину Александровну», «в Государственном бюджетном … учреждении». The cases are named by
# pymorphy3's grammemes (mentoring_site/lib/morphology.py).

NOMINATIVE, GENITIVE, DATIVE, ACCUSATIVE, INSTRUMENTAL, PREPOSITIONAL = (
    "nomn",
    "gent",
    "datv",
    "accs",
    "ablt",
    "loct",
)
CASE_NAMES = {
    GENITIVE: "родительный (кого? чего?)",
    DATIVE: "дательный (кому? чему?)",
    ACCUSATIVE: "винительный (кого? что?)",
    INSTRUMENTAL: "творительный (кем? чем?)",
    PREPOSITIONAL: "предложный (о ком? о чём?)",
}
OBLIQUE_CASES = tuple(CASE_NAMES)

# Surnames of the old genitive plural («Черных», «Седых», «Долгих») are not declined for
# either sex; petrovich's rules decline them for a man («Черныху»).
_FROZEN_SURNAME_ENDINGS = ("ых", "их")
# The Turkic patronymic's second word («Ахмед оглы»): only the father's name is declined.
_PATRONYMIC_PARTICLES = {"оглы", "улы", "уулу", "кызы", "гызы", "кизи"}


def _check_case(case: str) -> None:
    if case != NOMINATIVE and case not in OBLIQUE_CASES:
        raise ValueError(f"Unknown case {case!r}: one of {(NOMINATIVE, *OBLIQUE_CASES)}.")


def _match_capitals(original: str, declined: str) -> str:
    """``declined`` written as ``original`` is: «ГБДОУ» stays in capitals, «Детский» keeps
    its capital letter."""
    if original.isupper() and len(original) > 1:
        return declined.upper()
    if original[:1].isupper():
        return declined[:1].upper() + declined[1:]
    return declined


def _petrovich():
    from petrovich.main import Petrovich  # noqa: PLC0415 — loads its rules file once, on use

    global _PETROVICH  # noqa: PLW0603
    if _PETROVICH is None:
        _PETROVICH = Petrovich()
    return _PETROVICH


_PETROVICH = None
_PETROVICH_CASES = {GENITIVE: 0, DATIVE: 1, ACCUSATIVE: 2, INSTRUMENTAL: 3, PREPOSITIONAL: 4}
_PETROVICH_PARTS = {"Surn": "lastname", "Name": "firstname", "Patr": "middlename"}


def _known_name_form(word: str, grammeme: str, gender: str, case: str) -> str | None:
    """The dictionary's form of a name part it knows for this sex («Никита» → «Никиту»,
    «Цой» → «Цоя»), or None: petrovich's rules then decline it by its ending."""
    from mentoring_site.lib.morphology import _analyzer  # noqa: PLC0415

    wanted = {MASCULINE: "masc", FEMININE: "femn"}.get(gender)
    for parse in _analyzer().parse(word.lower()):
        tag = parse.tag
        if not parse.is_known or grammeme not in tag.grammemes or tag.number != "sing":
            continue
        if tag.case != NOMINATIVE or (wanted and not {wanted, "ms-f"} & tag.grammemes):
            continue
        form = parse.inflect({case, "sing"})
        if form is not None:
            return form.word
    return None


def _decline_name_part(part: str, grammeme: str, gender: str, case: str) -> str:
    if grammeme == "Surn" and part.lower().endswith(_FROZEN_SURNAME_ENDINGS):
        return part
    known = _known_name_form(part, grammeme, gender, case)
    if known is not None:
        return _match_capitals(part, known)
    petrovich_gender = {MASCULINE: "male", FEMININE: "female"}.get(gender, "androgynous")
    method = getattr(_petrovich(), _PETROVICH_PARTS[grammeme])
    return method(part, _PETROVICH_CASES[case], petrovich_gender)


def _decline_compound(value: str, grammeme: str, gender: str, case: str) -> str:
    """Each half of a double surname or name («Петрова-Водкина», «Анна-Мария») and each word
    of a patronymic; a Turkic patronymic («Ахмед оглы», «Рашид кызы») stays as it is."""
    words = []
    if _PATRONYMIC_PARTICLES & set(value.lower().split()):
        return value  # «Ахмед оглы» is not declined
    for word in value.split():
        words.append(
            "-".join(_decline_name_part(half, grammeme, gender, case) for half in word.split("-"))
        )
    return " ".join(words)


def decline_name(
    *, last_name: str, first_name: str, patronymic: str = "", gender: str = "", case: str
) -> str:
    """The full name in ``case`` («accs»: «Козлову Екатерину Александровну»). The dictionary
    (pymorphy3) declines the names it knows; petrovich's rules decline the others by their
    endings («Айгуль», «Нурсултан», «Петрова-Водкина»). ``gender`` is «m», «f» or «»: a
    woman's «Ким», «Бондарь» stay as they are, a man's are declined."""
    _check_case(case)
    parts = [(last_name, "Surn"), (first_name, "Name"), (patronymic, "Patr")]
    if case == NOMINATIVE:
        return " ".join(value.strip() for value, _ in parts if value and value.strip())
    gender = gender or gender_from_patronymic(patronymic)
    return " ".join(
        _decline_compound(value.strip(), grammeme, gender, case)
        for value, grammeme in parts
        if value and value.strip()
    )


def decline_person(person, case: str) -> str:
    """A person's (or a login's person's) full name in ``case``."""
    person = getattr(person, "person", person)
    if getattr(person, "anonymized_on", None) is not None:
        return person.full_name
    return decline_name(
        last_name=person.last_name,
        first_name=person.first_name,
        patronymic=person.patronymic,
        gender=getattr(person, "gender", ""),
        case=case,
    )


def _nominative_reading(word: str):
    """The singular nominative reading of an adjective, participle or noun, or None."""
    from mentoring_site.lib.morphology import _analyzer  # noqa: PLC0415

    for parse in _analyzer().parse(word.lower()):
        tag = parse.tag
        if tag.POS in ("ADJF", "PRTF", "NOUN") and tag.case == NOMINATIVE and tag.number == "sing":
            return parse
    return None


def decline_phrase(text: str, case: str) -> str:
    """An organization's name in ``case``, as a default a person checks: the leading
    adjectives and their noun («Государственное бюджетное … учреждение» → «Государственном
    бюджетном … учреждении»), and the name in apposition after it when it is not in quotes
    («детский сад № 64» → «детском саду № 64»); the words that are already in another case
    («Невского района»), numbers, quotes and abbreviations («ГБДОУ») as they are."""
    _check_case(case)
    if case == NOMINATIVE:
        return text
    tokens = (text or "").split(" ")
    result = []
    declining = True
    found_noun = False
    for index, token in enumerate(tokens):
        word = token.strip(",.;")
        parse = _nominative_reading(word) if declining and word.isalpha() else None
        if parse is None:
            if found_noun:
                declining = False
            result.append(token)
            if not found_noun and word and not word.isalpha():
                # A quote or a number before any noun: nothing of this name is declined.
                result.extend(tokens[index + 1 :])
                break
            continue
        form = None
        if case == PREPOSITIONAL and parse.tag.POS == "NOUN":
            form = parse.inflect({"loc2", "sing"})  # «в детском саду»
        elif case == ACCUSATIVE and parse.tag.POS != "NOUN" and parse.tag.gender == "masc":
            form = parse.inflect({case, "sing", "inan"})  # «детский сад», not «детского сад»
        form = form or parse.inflect({case, "sing"})
        declined = form.word if form is not None else word.lower()
        if "Fixd" in parse.tag.grammemes or "Abbr" in parse.tag.grammemes:
            declined = word
        result.append(token.replace(word, _match_capitals(word, declined), 1))
        if parse.tag.POS == "NOUN":
            found_noun = True
    return " ".join(result)


def decline_full_name(full_name: str, case: str) -> str:
    """A full name typed as one line, «Фамилия Имя Отчество» (the head's name in the
    institution's settings), in ``case``; the sex is read from the patronymic."""
    words = (full_name or "").split()
    if len(words) < 2:
        return full_name or ""
    last_name, first_name, patronymic = words[0], words[1], " ".join(words[2:])
    return decline_name(
        last_name=last_name, first_name=first_name, patronymic=patronymic, case=case
    )
