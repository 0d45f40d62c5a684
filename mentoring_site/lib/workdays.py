"""Working days in Russia, for the legal deadlines counted in them (152-ФЗ ст. 14, 20, 21:
«в течение десяти рабочих дней»).

The calendar is the maintained ``holidays`` package (``holidays.RU``): the non-working holidays
of ТК РФ ст. 112, a holiday falling on a day off moved to the next working day, and the
government's yearly transfers of days off (the Постановление Правительства РФ «О переносе
выходных дней» of each year; for 2026: 3 января → 9 января, 4 января → 31 декабря), including a
Saturday made a working day (1 ноября 2025 г.); tests/test_workdays.py checks them. A new year's
transfers arrive with the package's update; a year it does not know yet counts its weekends and
fixed holidays only.
"""

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _calendar(year: int) -> holidays.HolidayBase:
    # The year before and after too: a deadline counted from late December ends in January.
    return holidays.RU(years=range(year - 1, year + 2))


def is_working_day(day: date) -> bool:
    return _calendar(day.year).is_working_day(day)


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted: the term
    runs from the day after the request arrived, ГК РФ ст. 191)."""
    if days < 1:
        raise ValueError("days must be positive")
    return _calendar(start.year).get_nth_working_day(start, days)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is
    earlier (how many working days are left, or how many the deadline was missed by)."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    low, high = sorted((start, end))
    calendar = _calendar(low.year)
    if high.year > low.year + 1:
        calendar = holidays.RU(years=range(low.year, high.year + 1))
    count = calendar.get_working_days_count(low, high) - (1 if calendar.is_working_day(low) else 0)
    return sign * count
