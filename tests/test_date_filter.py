"""``|date`` writing «d.m.Y» itself (mentoring_site/templatetags/dates.py): the same text as
Django's filter for every kind of value, the time zone applied to aware datetimes."""

import datetime

import pytest
from django.template import Context, Engine, Template
from django.utils import timezone

from mentoring_site.templatetags import dates

DJANGO = Engine()  # Django's builtins only


def test_the_builtin_date_filter_is_the_fast_one():
    assert Template("{{ d|date:'d.m.Y' }}").nodelist[0].filter_expression.filters[0][0] is (
        dates.date
    )


MIDNIGHT_UTC = datetime.datetime(2026, 5, 31, 22, 30, tzinfo=datetime.UTC)  # 1 June in Moscow


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(2026, 1, 5),
        datetime.date(999, 12, 31),
        datetime.datetime(2026, 3, 9, 12, 0),
        MIDNIGHT_UTC,
        None,
        "",
        "не дата",
    ],
)
@pytest.mark.parametrize("text", ["{{ v|date:'d.m.Y' }}", "{{ v|date:'j E Y' }}", "{{ v|date }}"])
def test_it_writes_what_djangos_filter_writes(value, text):
    ours = Template(text).render(Context({"v": value}))
    assert ours == DJANGO.from_string(text).render(Context({"v": value}))


def test_an_aware_datetime_is_written_in_the_current_time_zone():
    with timezone.override("Europe/Moscow"):
        assert Template("{{ v|date:'d.m.Y' }}").render(Context({"v": MIDNIGHT_UTC})) == "01.06.2026"
