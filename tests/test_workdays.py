"""Working days of the Russian calendar (mentoring_site/lib/workdays.py): the deadlines of data
subjects' requests are counted in them (152-ФЗ ст. 14, 20, 21)."""

from datetime import date

import pytest

from mentoring_site.lib.workdays import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 5), False),  # the New Year holidays (ТК РФ ст. 112)
        (date(2026, 1, 9), False),  # 3 January 2026 (a Saturday) moved here by the government
        (date(2026, 1, 12), True),
        (date(2026, 3, 9), False),  # 8 March 2026 is a Sunday: the Monday after is off
        (date(2026, 5, 11), False),  # 9 May 2026 is a Saturday: the Monday after is off
        (date(2026, 12, 31), False),  # 4 January 2026 (a Sunday) moved here
        (date(2025, 11, 1), True),  # a Saturday made a working day
        (date(2026, 6, 13), False),  # an ordinary Saturday
    ],
)
def test_the_russian_calendar(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("received", "days", "deadline"),
    [
        # Received on the Friday before the New Year holidays: 29, 30 December, then the
        # holidays (31 December 2025 – 11 January 2026), then 12–16 and 19–21 January.
        (date(2025, 12, 26), 10, date(2026, 1, 21)),
        # Received on Friday 6 March 2026: 9 March is off.
        (date(2026, 3, 6), 10, date(2026, 3, 23)),
        # Received on 30 April 2026: 1 May and 11 May are off.
        (date(2026, 4, 30), 10, date(2026, 5, 18)),
        (date(2026, 4, 30), 15, date(2026, 5, 25)),  # extended by 5 working days
        # An ordinary fortnight: ten working days after a Monday is the Monday two weeks on.
        (date(2026, 10, 5), 10, date(2026, 10, 19)),
        (date(2026, 10, 5), 7, date(2026, 10, 14)),
    ],
)
def test_deadline_in_working_days(received, days, deadline):
    assert add_working_days(received, days) == deadline


def test_the_count_is_from_the_day_after():
    """A request received on a day off is counted from the next working day all the same."""
    assert add_working_days(date(2026, 1, 3), 1) == date(2026, 1, 12)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 3), 0)


def test_working_days_between():
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 16)) == 9  # 9 March is off
    assert working_days_between(date(2026, 3, 16), date(2026, 3, 2)) == -9
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert working_days_between(date(2025, 12, 26), date(2026, 1, 21)) == 10
    assert working_days_between(date(2024, 12, 27), date(2026, 1, 21)) > 240
