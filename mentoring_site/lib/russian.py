"""Russian agreement of a word with a number (issue 19): «1 анкета», «2 анкеты», «5 анкет»."""


def plural(number: int, one: str, few: str, many: str) -> str:
    """The form of a word for ``number``: ``one`` for 1, 21, 101; ``few`` for 2–4, 22–24;
    ``many`` for 0, 5–20, 25–30, 111–114."""
    number = abs(int(number))
    if number % 10 == 1 and number % 100 != 11:
        return one
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return few
    return many
