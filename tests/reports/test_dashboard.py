"""The indicators dashboard (DOMAIN.md §5; п. 3.3): the head, the curator and the council see every
indicator as a number with the previous year beside it and a link to the list behind it, and as
accessible SVG charts; an empty year says so; «на дату» outside the year is refused in Russian;
the number of queries does not grow with the data. And the head's home row of indicators."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring_site.homes import Counter
from registry.models import MenteeCategory, Role
from reports.anonymity import TOO_FEW_ANSWERS as TOO_FEW
from reports.homes_dashboard import head_indicators
from tests.factories import make_institution, make_user
from tests.reports.test_indicators import ON_DATE, YOUNG, _grow, data  # noqa: F401

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _tile(html: str, label: str) -> str:
    """The tile whose label starts with ``label``: its value and its previous-year line."""
    match = re.search(
        r'<span class="tile-value[^"]*">([^<]*)</span>\s*<span class="tile-label">'
        + re.escape(label)
        + r"[^<]*(?:<span class=\"tile-note\">[^<]*</span>)?</span>\s*(?:</a>\s*)?"
        + r"<span class=\"tile-previous\">прошлый год: ([^<]*)</span>",
        html,
        re.S,
    )
    assert match, f"no tile «{label}»"
    return f"{match.group(1)} | {match.group(2)}"


def test_the_head_sees_the_year_with_the_previous_one_beside_it(as_user, data, monkeypatch):  # noqa: F811
    # The year is over: every deadline of it has passed.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2027, 9, 1))
    html = _text(as_user(data.head).get(URL, {"year": 2026}))
    assert html.count("<h1") == 1
    assert "Показатели наставничества за 2026/2027 учебный год" in html
    assert "с 01.09.2026 по 31.08.2027" in html
    assert _tile(html, "наставников в парах и группах") == "2 | 1"
    assert _tile(html, "наставляемых в парах и группах") == "4 | 1"
    assert _tile(html, "утверждённых пар и групп") == "3 | 1"
    assert _tile(html, "педагогов вовлечено") == "57,1 % | 28,6 %"
    assert _tile(html, "мероприятий выполнено в срок") == "50,0 % | 100,0 %"
    # Last year's one answer is withheld (reports.anonymity), not shown as 5,0.
    assert _tile(html, "средняя оценка, из 10") == f"8,5 | {TOO_FEW}"
    assert _tile(html, "средняя оценка наставников") == f"{TOO_FEW} | нет данных"  # one mentor
    assert ">9,0<" not in html
    assert _tile(html, "курсов повышения квалификации") == "2 | 0"
    assert _tile(html, "молодых специалистов остались через 3 года") == "50,0 % | нет данных"
    assert "(4 из 7)" in html  # the staff involved, of all staff
    # Each number links to exactly the rows it counts (tests/reports/test_drilldowns.py).
    rows = reverse("reports:indicator-rows")
    assert f'href="{rows}?key=people.mentors&amp;year=2026"' in html
    assert f'href="{rows}?key=programs.completed_on_time&amp;year=2026"' in html
    young = MenteeCategory.objects.get(name=YOUNG)
    assert f'href="{rows}?key=by_category&amp;year=2026&amp;ref={young.pk}"' in html
    assert f'href="{reverse("registry:mentor-list")}"' not in html.split("<main", 1)[1]


def test_the_survey_averages_link_to_the_surveys_only_for_their_readers(as_user, data):  # noqa: F811
    """The head reads the averages but not the questionnaires' results (п. 3.4, issue 22)."""
    surveys = f'href="{reverse("reports:survey-list")}"'
    assert surveys not in _text(as_user(data.head).get(URL, {"year": 2026}))
    assert as_user(data.head).get(reverse("reports:survey-list")).status_code == 404
    assert surveys in _text(as_user(data.curator).get(URL, {"year": 2026}))
    assert surveys in _text(as_user(data.council).get(URL, {"year": 2026}))


def test_charts_are_accessible_svg_with_the_numbers_as_text(as_user, data):  # noqa: F811
    html = _text(as_user(data.curator).get(URL, {"year": 2026}))
    assert html.count('role="img"') == 6
    assert '<title id="chart-forms-title">Пары и группы по формам наставничества</title>' in html
    assert "Средняя оценка по вопросам анкет, из 10" in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'style="' not in html
    # The same numbers as a table, with the previous year as a column.
    assert "прошлый год</th>" in html
    assert "Эффективность программы" in html
    assert "по инициативе наставляемого (уважительная причина)" in html


def test_on_a_date_the_later_facts_are_not_shown(as_user, data):  # noqa: F811
    html = _text(as_user(data.council).get(URL, {"year": 2026, "on_date": ON_DATE.isoformat()}))
    assert "Показатели наставничества на 15.01.2027" in html
    assert _tile(html, "утверждённых пар и групп") == "2 | 1"
    assert _tile(html, "мероприятий выполнено в срок") == "66,7 % | нет данных"


def test_a_date_outside_the_year_is_refused_in_russian(as_user, data):  # noqa: F811
    html = _text(as_user(data.head).get(URL, {"year": 2026, "on_date": "2030-01-01"}))
    assert "Дата должна быть внутри 2026/2027 учебного года: с 01.09.2026 по 31.08.2027." in html
    assert "Проверьте форму" in html


def test_an_unknown_year_is_refused_not_a_crash(as_user, data):  # noqa: F811
    html = _text(as_user(data.head).get(URL, {"year": "1900"}))
    assert "Выберите учебный год из списка." in html


def test_a_year_without_data_is_shown_as_empty(client):
    fresh = make_institution("ГБДОУ детский сад № 99")
    head = make_user(fresh, "head99", Role.HEAD)
    client.force_login(head)
    html = _text(client.get(URL))
    assert "данных нет" in html
    assert "нет данных" in html  # the shares have no base
    assert "В этом периоде нет мероприятий программ со сроком." in html
    assert "В этом периоде нет ответов на анкеты удовлетворённости." in html


def test_the_years_to_choose_are_those_with_data(as_user, data):  # noqa: F811
    html = _text(as_user(data.head).get(URL))
    assert '<option value="2025"' in html
    assert '<option value="2024"' in html
    assert '<option value="2023"' not in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"year": 2026, "on_date": ON_DATE.isoformat()})
    assert response.status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_data(as_user, data):  # noqa: F811
    client = as_user(data.curator)
    client.get(URL)  # the first request of a session writes it
    _grow(data, 2)
    small = _queries(client)
    _grow(data, 15)
    assert _queries(client) == small


def test_head_home_indicators(data):  # noqa: F811
    counters = head_indicators(data.institution, date(2027, 8, 31))
    assert all(isinstance(c, Counter) for c in counters)
    values = {c.label: c.value for c in counters}
    assert values["наставника в этом учебном году"] == 2
    assert values["наставляемых в этом учебном году"] == 4
    assert values["утверждённые пары и группы"] == 3
    assert values["программа завершена"] == 1
    assert values["педагогов вовлечено в наставничество"] == "57,1 %"
    # The deadline of 01.03.2027 has passed, the cancelled one does not count.
    assert values["мероприятий выполнено в срок"] == "50,0 %"
    assert all(c.url for c in counters)


def test_the_dashboard_reads_the_cache_and_shows_a_change_on_the_next_request(
    as_user,
    data,  # noqa: F811
):
    client = as_user(data.curator)
    client.get(URL)  # the first request of a session writes it
    first = _queries(client)
    again = _queries(client)
    assert again < first  # both years' indicators came from the cache
    html = _text(client.get(URL, {"year": 2026, "on_date": ON_DATE.isoformat()}))
    before = _tile(html, "утверждённых пар и групп")
    _grow(data, 1)  # one more approved pair, saved through the ORM
    html = _text(client.get(URL, {"year": 2026, "on_date": ON_DATE.isoformat()}))
    after = _tile(html, "утверждённых пар и групп")
    assert int(after.split(" | ")[0]) == int(before.split(" | ")[0]) + 1


def test_head_home_indicators_come_from_the_cache_until_a_change(data):  # noqa: F811
    day = date(2027, 8, 31)
    head_indicators(data.institution, day)
    with CaptureQueriesContext(connection) as queries:
        counters = head_indicators(data.institution, day)
    assert len(queries) == 0
    groups = {c.forms[-1]: c.value for c in counters if c.forms}["утверждённых пар и групп"]
    _grow(data, 1)
    counters = head_indicators(data.institution, day)
    assert {c.forms[-1]: c.value for c in counters if c.forms}["утверждённых пар и групп"] == (
        groups + 1
    )


def test_on_time_is_one_value_on_the_dashboard_the_home_and_the_final_report(
    as_user,
    data,  # noqa: F811
    monkeypatch,
):
    """«Мероприятий выполнено в срок»: the same figure on the three screens, counted on the
    same day (deadlines 01.10, 01.11 and 01.12 passed; 01.03 still ahead)."""
    from reports.services import final_report

    today = date(2026, 12, 2)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    html = _text(as_user(data.head).get(URL, {"year": 2026}))
    assert _tile(html, "мероприятий выполнено в срок").startswith("66,7 % |")
    home = {c.label: c.value for c in head_indicators(data.institution, today)}
    assert home["мероприятий выполнено в срок"] == "66,7 %"
    report = final_report.report_get_or_create(institution=data.institution, year_start=2026)
    page = _text(as_user(data.head).get(reverse("reports:report-detail", args=[report.pk])))
    assert "выполнено в срок: 2 (66,7 %)" in page
