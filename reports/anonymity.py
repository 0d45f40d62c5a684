"""The one rule of showing what anonymous answers add up to (152-ФЗ; issue 17 «Personal data
that cannot leak»): an aggregate of fewer than ``ANONYMOUS_MINIMUM`` people's answers could be
read back to one of them, so it is never shown: not on the survey page, the dashboard, the final
report (HTML and PDF), the district summary nor any file. In its place the pages print
``TOO_FEW_ANSWERS`` and a spreadsheet an empty cell with that note.

``withheld`` decides; ``shown_or_withheld`` applies the decision to one figure. The indicators
(``reports.indicators``) apply it where they are computed, so every reader of them gets the
note and never the number.
"""

ANONYMOUS_MINIMUM = 3
TOO_FEW_ANSWERS = f"недостаточно ответов (меньше {ANONYMOUS_MINIMUM})"


def may_show(*, answered: int) -> bool:
    """Whether an aggregate of the answers of ``answered`` people may be shown."""
    return answered >= ANONYMOUS_MINIMUM


def shown_or_withheld(value: float | None, *, answered: int) -> float | str | None:
    """The figure when it may be shown; ``TOO_FEW_ANSWERS`` in its place otherwise (None,
    «no answer to average», stays None)."""
    if value is None or may_show(answered=answered):
        return value
    return TOO_FEW_ANSWERS


def is_withheld(value) -> bool:
    """Whether a figure is the note in place of a withheld aggregate."""
    return value == TOO_FEW_ANSWERS


def spreadsheet_cell(value):
    """A figure for a spreadsheet cell: the number, or an empty cell when withheld (the note
    goes beside it, see ``spreadsheet_note``)."""
    return None if is_withheld(value) else value


def spreadsheet_note(value) -> str:
    return TOO_FEW_ANSWERS if is_withheld(value) else ""
