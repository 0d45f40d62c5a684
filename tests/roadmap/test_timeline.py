"""The timeline: stages as bars across the academic year, drawn as server-side SVG from
coordinates computed in Python; the progress of each stage in words for those who do not see it."""

import re
from datetime import date

import pytest
from django.urls import reverse

from roadmap.models import Activity
from roadmap.progress import roadmap_progress
from roadmap.timeline import LEFT, MONTH_WIDTH, build_timeline
from tests.roadmap.conftest import activity

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
SCALE = MONTH_WIDTH * 12 / 365  # 01.09.2026 – 31.08.2027: 365 days


def x_of(day: date) -> float:
    return round(LEFT + (day - date(2026, 9, 1)).days * SCALE, 1)


def test_months_bars_today_and_overdue_marks_sit_on_the_year_scale(world, roadmap):
    timeline = build_timeline(roadmap_progress(roadmap, TODAY))
    assert [m.label for m in timeline.months] == [
        "сен", "окт", "ноя", "дек", "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг"
    ]  # fmt: skip
    assert timeline.months[0].x == LEFT
    assert timeline.months[4].x == x_of(date(2027, 1, 1))
    assert timeline.width == LEFT + MONTH_WIDTH * 12 + 12

    bars = {b.number: b for b in timeline.bars}
    # Stage 1: from 01.09.2026 to 30.11.2026 (the orders on pairs), inclusive.
    assert (bars[1].x, bars[1].width) == (LEFT, round(91 * SCALE, 1))
    assert bars[1].period == "01.09.2026 — 30.11.2026"
    # Stage 7 runs through the whole year.
    assert bars[7].width == round(365 * SCALE, 1)
    # Stage 5: 15.10.2026 — 31.05.2027.
    assert bars[5].x == x_of(date(2026, 10, 15))
    assert bars[5].y > bars[4].y

    assert timeline.today_x == x_of(TODAY)
    assert timeline.today_label == "сегодня, 24.11.2026"

    # The overdue activity of stage 4 (the analysis of the bank, due 31.10.2026) has a mark.
    [mark] = bars[4].marks
    assert mark.x == x_of(date(2026, 10, 31))
    assert mark.title == (
        "Просрочено: «Анализ банка и выбор подходящих наставников для педагога/группы "
        "педагогов», срок 31.10.2026"
    )


def test_filled_part_is_the_stage_progress_and_labels_say_it_in_words(world, roadmap):
    item = activity(roadmap, 4, 1)
    item.status, item.done_on = Activity.Status.DONE, date(2026, 10, 20)
    item.save()
    timeline = build_timeline(roadmap_progress(roadmap, TODAY))
    bars = {b.number: b for b in timeline.bars}
    # Stage 4: the analysis is marked done, no mentor of one is trained: 50 %.
    assert bars[4].percent == 50
    assert bars[4].width == round(61 * SCALE, 1)  # 01.10.2026 — 30.11.2026
    assert bars[4].fill_width == round(61 * SCALE / 2, 1)
    assert bars[4].marks == []
    assert bars[4].label == "Этап 4: выполнено 50 %"
    assert "Этап 4: выполнено 50 %. Этап 5: выполнено" in timeline.description
    assert timeline.description.endswith("Сегодня 24.11.2026.")
    assert timeline.title == "График дорожной карты на 2026/2027 учебный год"


def test_no_today_line_outside_the_year(world, roadmap):
    timeline = build_timeline(roadmap_progress(roadmap, date(2027, 9, 15)))
    assert timeline.today_x is None
    assert "Сегодня" not in timeline.description


def test_the_page_draws_the_svg_with_an_accessible_name_and_a_table(world, as_user, roadmap):
    response = as_user(world.council).get(reverse("roadmap:roadmap-timeline", args=[roadmap.pk]))
    html = response.content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group()
    assert 'role="img"' in svg and 'aria-labelledby="timeline-title timeline-desc"' in svg
    assert '<title id="timeline-title">График дорожной карты на 2026/2027 учебный год' in svg
    assert re.search(r"<desc id=\"timeline-desc\">Этап 1: выполнено \d+ %\. Этап 2", svg)
    # Coordinates with a dot, never localized with a comma.
    assert not re.search(r'(x|y|width|height|cx|cy)="\d+,\d', svg)
    assert re.search(r'width="\d+\.\d"', svg)
    assert svg.count('class="tl-fill"') == 7
    assert "<script" not in svg and "style=" not in svg
    assert "То же таблицей" in html
    assert "{#" not in html
    assert html.count("<h1") == 1
