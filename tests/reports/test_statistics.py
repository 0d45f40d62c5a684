"""Statistics «на дату» for the statistical forms (DOMAIN.md §5): participants by category, form,
kind and status with exact numbers, downloaded as XLSX and CSV (UTF-8 with a BOM, «;» for
Russian Excel) with the date in the file name, an empty institution without a crash, and a
fixed number of queries."""

import csv
import io
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.models import MentoringGroup, Role
from reports.statistics import statistics, statistics_csv
from tests.download_helpers import download_name
from tests.factories import make_institution, make_user
from tests.reports.test_indicators import (  # noqa: F401
    IN_GROUP,
    NEW,
    ON_DATE,
    PEDAGOG,
    TRADITIONAL,
    YOUNG,
    _grow,
    data,
)

pytestmark = pytest.mark.django_db

URL = reverse("reports:statistics")


@pytest.fixture
def stats_data(data):  # noqa: F811
    # Every group was proposed before the year began.
    MentoringGroup.objects.update(proposed_at=timezone.make_aware(datetime(2026, 8, 1, 12)))
    return data


def _table(stats, key) -> dict:
    table = next(t for t in stats.tables if t.key == key)
    return {row[0]: row[1:] for row in table.rows}


def test_counts_by_category_form_kind_and_status(stats_data):
    stats = statistics(institution=stats_data.institution, on_date=ON_DATE)
    assert stats.heading == "Статистика наставничества на 15.01.2027"
    assert stats.year_label == "2026/2027"
    participants = _table(stats, "participants")
    assert participants["Наставников в банке"] == [2]
    assert participants["Наставляемых в банке"] == [5]
    assert participants["Наставников в парах и группах учебного года"] == [2]
    assert participants["Наставляемых в парах и группах учебного года"] == [3]
    assert participants["Утверждённых пар и групп"] == [2]
    assert participants["из них пар (один наставляемый)"] == [1]
    assert participants["Педагогических работников учреждения"] == [7]
    categories = _table(stats, "categories")
    assert categories[YOUNG] == [4, 2]  # in the bank, in groups
    assert categories[NEW] == [1, 1]
    forms = _table(stats, "forms")
    assert forms[PEDAGOG] == [2, 2, 3]  # groups, mentors, mentees
    kinds = _table(stats, "kinds")
    assert kinds[TRADITIONAL] == [2, 2, 3]
    assert kinds[IN_GROUP] == [1, 2, 2]
    statuses = _table(stats, "mentee-statuses")
    assert statuses["в банке"] == [5]
    assert statuses["в паре"] == [0]
    groups = _table(stats, "group-statuses")
    assert groups["утверждена"] == [1]
    assert groups["завершена"] == [1]
    assert groups["на согласовании у участников"] == [1]
    assert groups["прекращена"] == [0]  # it starts on 01.02.2027
    programs = _table(stats, "programs")
    assert programs["Выполняются"] == [2]


def test_the_page_shows_the_tables_and_the_downloads(as_user, stats_data):
    response = as_user(stats_data.council).get(URL, {"on_date": "2027-01-15"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Статистика наставничества на 15.01.2027" in html
    assert "Наставляемые по категориям" in html
    export = reverse("reports:statistics-export", args=["xlsx"])
    assert f'href="{export}?on_date=2027-01-15"' in html
    assert reverse("reports:statistics-export", args=["csv"]) in html


def test_a_wrong_date_is_refused_and_today_shown(as_user, stats_data):
    response = as_user(stats_data.head).get(URL, {"on_date": "завтра"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Введите дату, например 15.01.2027." in html
    assert f"Статистика наставничества на {timezone.localdate():%d.%m.%Y}" in html


def test_xlsx_download(as_user, stats_data):
    from openpyxl import load_workbook

    url = reverse("reports:statistics-export", args=["xlsx"])
    response = as_user(stats_data.curator).get(url, {"on_date": "2027-01-15"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download_name(response) == "Статистика на 15.01.2027.xlsx"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(c for c in row if c is not None) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ("Статистика наставничества на 15.01.2027",)
    assert ("Наставников в банке", 2) in rows
    assert (YOUNG, 4, 2) in rows
    assert (PEDAGOG, 2, 2, 3) in rows
    assert sheet["A1"].font.bold


def test_csv_download_opens_in_russian_excel(as_user, stats_data):
    url = reverse("reports:statistics-export", args=["csv"])
    response = as_user(stats_data.head).get(url, {"on_date": "2027-01-15"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert download_name(response) == "Статистика на 15.01.2027.csv"
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM
    text = response.content.decode("utf-8-sig")
    assert "Наставников в банке;2\r\n" in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [YOUNG, "4", "2"] in rows
    assert ["Категория", "В банке", "В парах и группах"] in rows


def test_an_unknown_format_is_404(as_user, stats_data):
    url = reverse("reports:statistics-export", args=["pdf"])
    assert as_user(stats_data.head).get(url).status_code == 404


def test_an_institution_without_data_gets_zeros_not_a_crash(client):
    fresh = make_institution("ГБДОУ детский сад № 99")
    client.force_login(make_user(fresh, "curator99", Role.CURATOR))
    response = client.get(URL, {"on_date": "2026-12-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "в реестре нет ни пар и групп" in html
    stats = statistics(institution=fresh, on_date=date(2026, 12, 1))
    assert stats.is_empty
    assert _table(stats, "participants")["Наставников в банке"] == [0]
    assert statistics_csv(stats).startswith(b"\xef\xbb\xbf")


def _queries(client) -> int:
    url = reverse("reports:statistics-export", args=["csv"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"on_date": "2027-01-15"}).status_code == 200
        assert client.get(url, {"on_date": "2027-01-15"}).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_data(as_user, stats_data):
    client = as_user(stats_data.curator)
    client.get(URL)  # the first request of a session writes it
    _grow(stats_data, 2)
    small = _queries(client)
    _grow(stats_data, 15)
    assert _queries(client) == small


# --- Issue 18: «на дату» by the documents' dates ------------------------------------------------


def test_a_september_order_entered_in_october_counts_from_its_date(as_user, stats_data):
    """A group approved by an order of 20.09.2026 that was typed on 15.10.2026 counts in the
    statistics on 01.10.2026 (it vanished before), with the entry date shown beside it."""
    from registry.models import Order

    entered = timezone.make_aware(datetime(2026, 10, 15, 12))
    group = MentoringGroup.objects.filter(
        institution=stats_data.institution, status=MentoringGroup.Status.ACTIVE
    ).first()
    order = Order.objects.create(
        institution=stats_data.institution,
        kind=Order.Kind.GROUPS,
        title="О закреплении наставнических пар",
        number="77",
        date=date(2026, 9, 20),
        year=2026,
        status=Order.Status.SIGNED,
        created_at=entered,
        signed_at=entered,
    )
    MentoringGroup.objects.filter(pk=group.pk).update(order=order, decided_at=entered)
    stats = statistics(institution=stats_data.institution, on_date=date(2026, 10, 1))
    after = _table(stats, "participants")["Утверждённых пар и групп"][0]
    # The same group decided on 15.10 without an order date is not counted on 01.10.
    Order.objects.filter(pk=order.pk).update(date=None, status=Order.Status.DRAFT, number="")
    without = _table(
        statistics(institution=stats_data.institution, on_date=date(2026, 10, 1)), "participants"
    )["Утверждённых пар и групп"][0]
    assert after == without + 1
    Order.objects.filter(pk=order.pk).update(
        date=date(2026, 9, 20), status=Order.Status.SIGNED, number="77"
    )
    assert _table(stats, "entered-later") == {"Приказ № 77 от 20.09.2026": ["внесено 15.10.2026"]}
    # Before the order's date the group is not counted, whenever it was typed.
    earlier = statistics(institution=stats_data.institution, on_date=date(2026, 9, 19))
    assert "Приказ № 77 от 20.09.2026" not in _table(earlier, "entered-later")
    page = as_user(stats_data.head).get(URL, {"on_date": "2026-10-01"}).content.decode()
    assert "внесено 15.10.2026" in page


def test_without_an_order_date_the_decision_counts(stats_data):
    """A group decided on 15.10.2026 without an order is not counted on 01.10.2026."""
    group = MentoringGroup.objects.filter(
        institution=stats_data.institution, status=MentoringGroup.Status.ACTIVE
    ).first()
    MentoringGroup.objects.filter(pk=group.pk).update(
        order=None, decided_at=timezone.make_aware(datetime(2026, 10, 15, 12))
    )
    on_first = _table(
        statistics(institution=stats_data.institution, on_date=date(2026, 10, 1)), "participants"
    )["Утверждённых пар и групп"][0]
    on_sixteenth = _table(
        statistics(institution=stats_data.institution, on_date=date(2026, 10, 16)), "participants"
    )["Утверждённых пар и групп"][0]
    assert on_sixteenth == on_first + 1
