"""Every number of the indicators dashboard opens exactly the rows it counts (issue 18, item 9;
DOMAIN.md §5; п. 3.3): each tile, each row by form, kind and category and each reason of
termination links to ``reports:indicator-rows``, whose «Всего» and whose rows equal the number;
a share lists its part and says «N из M» with the tile's percent. The walk goes over what the
dashboard renders (its ``sections``, ``lists`` and ``reasons``), so a new tile without rows
behind it fails here. The head's home counters open the same rows. The list runs a fixed number
of queries whatever the number of rows."""

import re
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib.academic_year import academic_year_start
from programs.models import Program
from reports import indicators
from reports.homes_dashboard import head_indicators
from reports.models import GrowthRecord
from tests.reports.test_indicators import (
    IN_GROUP,
    MENTEE,
    MENTOR,
    ON_DATE,
    PEDAGOG,
    TRADITIONAL,
    G,
    P,
    _grow,
    data,  # noqa: F401
    group,
    person,
    program,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
ROWS = reverse("reports:indicator-rows")
# The averages of the questionnaires and the count of answers open the surveys' results, for
# those who may read them (п. 3.4), never a list of answers (reports.anonymity).
SURVEY_TILES = {
    "средняя оценка, из 10",
    "средняя оценка наставляемых",
    "средняя оценка наставников",
    "анкет заполнено",
}


@pytest.fixture
def world_of_figures(data):  # noqa: F811
    """The kindergarten of tests/reports/test_indicators.py, plus rows no figure may count: a
    group returned by the head and one waiting for her, a growth record not yet confirmed, and
    a program extended by mutual consent (counted as extended, never as «в срок»)."""
    stranger = person(data, "Возвращённая")
    mentor = person(data, "Ждущая")
    for status in (G.RETURNED, G.SUBMITTED):
        group(
            data,
            status,
            PEDAGOG,
            [TRADITIONAL],
            date(2026, 10, 1),
            date(2027, 5, 31),
            [(mentor, MENTOR), (stranger, MENTEE)],
        )
    GrowthRecord.objects.create(
        person=stranger,
        kind=GrowthRecord.Kind.COURSE,
        title="Не подтверждено",
        date=date(2026, 11, 1),
        status=GrowthRecord.Status.PENDING,
    )
    a, b = person(data, "Продлившая"), person(data, "Продлённая")
    g = group(
        data,
        G.COMPLETED,
        PEDAGOG,
        [IN_GROUP],
        date(2026, 9, 1),
        date(2027, 3, 31),
        [(a, MENTOR), (b, MENTEE)],
        decided=date(2026, 8, 30),
    )
    program(
        g,
        P.COMPLETED,
        date(2026, 9, 1),
        date(2027, 3, 31),
        date(2026, 9, 2),
        finished_on=date(2027, 3, 20),
        reason=Program.Reason.PLAN_DONE,
        extended=True,
    )
    return data


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _listed(client, url: str) -> tuple[int, int, str]:
    """(«Всего» on the page, the rows shown, the page) of a drill-down, the whole list at once."""
    assert url.startswith(f"{ROWS}?"), url
    html = _html(client.get(f"{url}&print=1"))
    total = re.search(r"Всего: <span data-count>(\d+)</span>", html)
    assert total, f"no «Всего» on {url}"
    return int(total.group(1)), html.count('<tr class="figure-row">'), html


def _whole_number(text: str) -> int:
    return int(text.replace("\u00a0", "").replace(" ", ""))


def _walk(client, params: dict) -> int:
    """Follows every link of the dashboard's numbers; returns how many were followed."""
    response = client.get(DASHBOARD, params)
    html = _html(response)
    followed = 0
    for title, tiles in response.context["sections"]:
        for tile in tiles:
            where = f"{title} / «{tile.label}» {params}"
            if tile.label in SURVEY_TILES:
                assert tile.url in ("", reverse("reports:survey-list")), where
                continue
            assert tile.url.startswith(f"{ROWS}?"), f"{where}: no rows behind the number"
            assert f'href="{tile.url.replace("&", "&amp;")}"' in html, where
            total, shown, page = _listed(client, tile.url)
            assert total == shown, where
            if tile.value.endswith("%") or tile.value == "нет данных":  # a share
                part, whole = (tile.note or "0 из 0").split(" из ")
                assert shown == int(part), where
                assert f"{part} из {whole} ({tile.value})" in page, where
            else:
                assert shown == _whole_number(tile.value), where
            followed += 1
    lists = response.context["lists"]
    reasons = response.context["reasons"]
    rows = [*lists["forms"], *lists["kinds"], *lists["categories"]]
    rows += [{**r, "value": r["count"], "name": r["reason"]} for r in reasons]
    assert rows, "the reference tables are empty"
    for row in rows:
        where = f"«{row['name']}» {params}"
        total, shown, page = _listed(client, row["url"])
        assert total == shown == row["value"], where
        assert f"«{row['name']}»" in page, where
        if row["value"]:
            assert f'href="{row["url"].replace("&", "&amp;")}"' in html, where
        followed += 1
    return followed


def _today(monkeypatch, day: date):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


@pytest.mark.parametrize(
    ("today", "params"),
    [
        (date(2027, 9, 1), {"year": 2026}),  # the year is over: every deadline has passed
        (date(2026, 12, 2), {"year": 2026}),  # deadlines of March still ahead
        (date(2027, 9, 1), {"year": 2026, "on_date": ON_DATE.isoformat()}),
        (date(2027, 9, 1), {"year": 2025}),  # the previous year
    ],
    ids=["year-over", "year-running", "on-date", "previous-year"],
)
def test_every_number_opens_exactly_the_rows_it_counts(
    as_user, world_of_figures, monkeypatch, today, params
):
    _today(monkeypatch, today)
    followed = _walk(as_user(world_of_figures.curator), params)
    # 27 tiles with rows behind them, 3 forms, kinds and categories each at least, 4 reasons.
    assert followed >= 40


def test_the_head_and_the_council_follow_the_same_numbers(as_user, world_of_figures):
    for user in (world_of_figures.head, world_of_figures.council):
        assert _walk(as_user(user), {"year": 2026}) >= 40


def test_the_rows_are_the_right_ones_not_only_as_many(as_user, world_of_figures, monkeypatch):
    _today(monkeypatch, date(2027, 9, 1))
    client = as_user(world_of_figures.curator)
    url = f"{ROWS}?key=people.mentors&year=2026"
    _, _, html = _listed(client, url)
    assert "Петрова-наставник" in html and "Кузнецова" in html
    assert "Чужая-наставник" not in html  # another kindergarten
    assert "Ждущая" not in html  # a group returned or waiting for the head
    assert "<h1>Наставники в парах и группах за 2026/2027 учебный год</h1>" in html
    assert '<p class="mb-1">Наставники в парах и группах за 2026/2027 учебный год</p>' in html
    _, shown, html = _listed(client, f"{ROWS}?key=programs.completed_on_time&year=2026")
    assert shown == 1  # the extended one is completed, not on time
    _, shown, html = _listed(client, f"{ROWS}?key=programs.extended&year=2026")
    assert shown == 2
    _, shown, html = _listed(client, f"{ROWS}?key=growth.course&year=2026")
    assert shown == 2 and "Не подтверждено" not in html
    # A share: its part, and «N из M» with the percent of the dashboard.
    _, shown, html = _listed(client, f"{ROWS}?key=events.share_on_time&year=2026")
    assert shown == 2 and "2 из 4 (50,0 %)" in html


@pytest.mark.parametrize(
    "query",
    [
        {"key": "people.nobody", "year": 2026},
        {"key": "satisfaction.average", "year": 2026},
        {"key": "people.mentors", "year": 1900},
        {"key": "people.mentors", "year": 2026, "on_date": "2030-01-01"},
        {"key": "by_form", "year": 2026, "ref": "999999"},
        {"key": "by_form", "year": 2026, "ref": "x"},
        {"key": "programs.terminated_by_reason", "year": 2026, "ref": "plan_done"},
    ],
)
def test_what_the_dashboard_never_links_is_not_found(as_user, world_of_figures, query):
    assert as_user(world_of_figures.curator).get(ROWS, query).status_code == 404


def test_another_kindergarten_sees_its_own_rows_never_ours(client, world_of_figures):
    client.force_login(world_of_figures.outsider)
    html = _html(client.get(ROWS, {"key": "people.mentors"}))
    assert "Петрова-наставник" not in html and "Кузнецова" not in html


def test_the_head_home_counters_open_the_rows_they_count(as_user, world_of_figures, monkeypatch):
    today = date(2027, 1, 15)
    _today(monkeypatch, today)
    client = as_user(world_of_figures.head)
    counters = head_indicators(world_of_figures.institution, today)
    assert len(counters) == 6
    for counter in counters:
        total, shown, page = _listed(client, counter.url)
        assert total == shown
        if isinstance(counter.value, int):
            assert shown == counter.value, counter.label
        else:  # a share, shown through share_text
            assert f"({counter.value})" in page, counter.label
    home = {c.label: c.value for c in counters}
    # The same share as the dashboard's tile on that day.
    dashboard = _html(client.get(DASHBOARD, {"year": 2026, "on_date": today.isoformat()}))
    assert f">{home['мероприятий выполнено в срок']}<" in dashboard


def _queries(client, key: str, ref="") -> int:
    query = {"key": key, "year": 2026, "on_date": ON_DATE.isoformat(), "ref": ref}
    with CaptureQueriesContext(connection) as queries:
        _html(client.get(ROWS, {k: v for k, v in query.items() if v != ""}))
    return len(queries)


KEYS = [
    "people.mentors",
    "people.staff_involved_share",
    "people.groups",
    "programs.active",
    "events.due",
    "growth.course",
    "practices.added",
    "by_kind",
]


def test_the_list_runs_the_same_queries_at_two_sizes(as_user, world_of_figures):
    kind = indicators._model("MentoringKind").objects.get(name=TRADITIONAL)
    client = as_user(world_of_figures.curator)
    client.get(DASHBOARD)  # the first request of a session writes it

    def costs():
        return {key: _queries(client, key, kind.pk if key == "by_kind" else "") for key in KEYS}

    _grow(world_of_figures, 2)
    small = costs()
    _grow(world_of_figures, 12)
    assert costs() == small


def test_the_demo_kindergarten_every_number_opens_its_rows(client):
    """The demo's varied data (load_demo) walked for the current year as its head."""
    call_command("load_demo", stdout=StringIO())
    for login in ("head", "curator"):
        client.force_login(get_user_model().objects.get(username=login))
        year = academic_year_start(timezone.localdate()).year
        assert _walk(client, {"year": year}) >= 40
