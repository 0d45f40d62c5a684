"""The academic year runs from 1 September to 31 August («2026/2027»)."""

from datetime import date


def academic_year_start(on: date) -> date:
    year = on.year if on.month >= 9 else on.year - 1
    return date(year, 9, 1)


def academic_year_label(on: date) -> str:
    start = academic_year_start(on)
    return f"{start.year}/{start.year + 1}"
