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
