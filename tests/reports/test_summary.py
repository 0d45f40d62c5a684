"""«Сводка по учреждениям» (issue 9): asked for in a request, built by the background worker with
its progress visible, kept as an Excel file; only the district's methodologist (the permission)
or a superuser opens it."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from registry.models import Notification, Organization, User
from reports import indicators
from reports.models import InstitutionSummary
from reports.services import summary as services
from tests.download_helpers import download_name
from tests.factories import make_institution, make_partner, make_person
from tests.tasks import run_tasks

Status = InstitutionSummary.Status
YEAR = 2026


@pytest.fixture
def methodologist(db):
    """The district's methodologist: no kindergarten, one permission given in the admin."""
    user = User.objects.create_user(
        username="metodist",
        password="correct horse battery staple",
        first_name="Ирина",
        last_name="Соколова",
        email="metodist@example.ru",
    )
    user.user_permissions.add(Permission.objects.get(codename="run_institution_summary"))
    return user


@pytest.fixture
def city(world):
    """Three kindergartens (the world's two and «№ 7»), a partner college that is no row."""
    seventh = make_institution("ГБДОУ детский сад № 7")
    make_person(seventh, "Седьмая")
    make_partner(seventh, "Колледж № 9")
    return world


def _sheet(summary):
    with summary.file.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read())).active


def test_a_request_queues_one_summary_per_year(city, methodologist):
    summary, created = services.request_summary(user=methodologist, year_start=YEAR)
    assert created and summary.status == Status.QUEUED and summary.total == 3
    again, created_again = services.request_summary(user=methodologist, year_start=YEAR)
    assert again == summary and not created_again
    other, created_other = services.request_summary(user=methodologist, year_start=YEAR - 1)
    assert created_other and other != summary


def test_the_worker_builds_one_row_per_kindergarten_with_the_dashboards_numbers(
    city, methodologist
):
    summary, _ = services.request_summary(user=methodologist, year_start=YEAR)
    assert services.run_pending() == 1
    summary.refresh_from_db()
    assert summary.status == Status.DONE and summary.done == summary.total == 3
    assert summary.started_at <= summary.finished_at
    sheet = _sheet(summary)
    assert sheet["A1"].value == "Сводка по учреждениям за 2026/2027 учебный год"
    header = [c.value for c in sheet[4]]
    assert header[:5] == ["Учреждение", "Педагогов", "Наставников", "Наставляемых", "Пар и групп"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    names = [row[0] for row in rows]
    # By the number in the name («№ 7» before «№ 64»), partners left out, the total last.
    assert names == [
        "ГБДОУ детский сад № 7",
        "ГБДОУ детский сад № 64",
        "ГБДОУ детский сад № 65",
        "Итого",
    ]
    own = indicators.compute(institution=city.institution, year_start=YEAR)
    assert rows[1][1:5] == [
        own["people"]["staff"],
        own["people"]["mentors"],
        own["people"]["mentees"],
        own["people"]["groups"],
    ]
    assert rows[3][1] == sum(row[1] for row in rows[:3])
    assert summary.totals["institutions"] == 3
    assert summary.totals["staff"] == rows[3][1]


def test_progress_is_written_while_the_summary_is_built(city, methodologist, monkeypatch):
    summary, _ = services.request_summary(user=methodologist, year_start=YEAR)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 1)
    seen = []
    compute = indicators.compute

    def watching(**kwargs):
        row = InstitutionSummary.objects.values("status", "done").get(pk=summary.pk)
        seen.append((row["status"], row["done"]))
        return compute(**kwargs)

    monkeypatch.setattr(indicators, "compute", watching)
    services.run_pending()
    assert seen == [(Status.RUNNING, 0), (Status.RUNNING, 1), (Status.RUNNING, 2)]


def test_a_failing_summary_says_why_and_the_worker_goes_on(city, methodologist, monkeypatch):
    broken, _ = services.request_summary(user=methodologist, year_start=YEAR)
    fine, _ = services.request_summary(user=methodologist, year_start=YEAR - 1)
    compute = indicators.compute

    def failing(**kwargs):
        if kwargs["year_start"] == YEAR:
            raise ValueError("boom")
        return compute(**kwargs)

    monkeypatch.setattr(indicators, "compute", failing)
    assert services.run_pending() == 2
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.status == Status.FAILED and not broken.file
    assert "Запросите сводку ещё раз" in broken.error and "boom" not in broken.error
    assert fine.status == Status.DONE


def test_a_summary_whose_worker_stopped_fails_and_a_new_one_can_be_asked(city, methodologist):
    summary, _ = services.request_summary(user=methodologist, year_start=YEAR)
    assert services.claim_next() == summary
    long_ago = timezone.now() - services.STALE_AFTER - timezone.timedelta(minutes=1)
    InstitutionSummary.objects.filter(pk=summary.pk).update(updated_at=long_ago)
    assert services.claim_next() is None
    summary.refresh_from_db()
    assert summary.status == Status.FAILED and "прервалась" in summary.error
    _, created = services.request_summary(user=methodologist, year_start=YEAR)
    assert created


def test_two_workers_never_take_the_same_summary(city, methodologist):
    summary, _ = services.request_summary(user=methodologist, year_start=YEAR)
    assert services.claim_next() == summary
    assert services.claim_next() is None
    assert InstitutionSummary.objects.get(pk=summary.pk).status == Status.RUNNING


def test_the_requester_is_told_when_the_summary_is_ready(city, methodologist, mailoutbox):
    services.request_summary(user=methodologist, year_start=YEAR)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.run_pending()
    note = Notification.objects.get(user=methodologist)
    assert note.text == "Сводка по учреждениям за 2026/2027 учебный год готова."
    assert note.url == reverse("reports:summary-list")
    run_tasks()
    assert [m.to for m in mailoutbox] == [["metodist@example.ru"]]


def test_asking_enqueues_the_workers_task_which_builds_it(city, methodologist):
    summary, _ = services.request_summary(user=methodologist, year_start=YEAR)
    assert run_tasks() == 2  # the summary, then the letter telling the methodologist
    summary.refresh_from_db()
    assert summary.status == Status.DONE


# --- Pages ---------------------------------------------------------------------------------


def test_the_methodologists_home_is_the_summary_page(client, city, methodologist):
    client.force_login(methodologist)
    assert client.get(reverse("home"))["Location"] == reverse("reports:summary-list")
    page = client.get(reverse("reports:summary-list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Сводок пока нет" in text and "сейчас их 3" in text
    assert 'http-equiv="refresh"' not in text


def test_asking_queues_and_the_page_refreshes_itself_with_the_progress(client, city, methodologist):
    client.force_login(methodologist)
    response = client.post(reverse("reports:summary-create"), {"year": str(YEAR)}, follow=True)
    text = response.content.decode()
    assert "поставлена в очередь" in text
    assert 'http-equiv="refresh" content="5"' in text
    assert "в очереди" in text
    summary = InstitutionSummary.objects.get()
    services.claim_next()
    InstitutionSummary.objects.filter(pk=summary.pk).update(done=2)
    text = client.get(reverse("reports:summary-list")).content.decode()
    assert "2 из 3 учреждений (66 %)" in text and '<progress value="2" max="3"' in text
    again = client.post(reverse("reports:summary-create"), {"year": str(YEAR)}, follow=True)
    assert "уже формируется" in again.content.decode()
    assert InstitutionSummary.objects.count() == 1


def test_a_ready_summary_shows_its_totals_and_downloads_as_excel(client, city, methodologist):
    client.force_login(methodologist)
    summary, _ = services.request_summary(user=methodologist, year_start=YEAR)
    services.run_pending()
    text = client.get(reverse("reports:summary-list")).content.decode()
    assert "Итоги последней готовой сводки: 2026/2027 учебный год" in text
    assert 'http-equiv="refresh"' not in text
    response = client.get(reverse("reports:summary-download", args=[summary.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download_name(response) == "Сводка по учреждениям 2026-2027.xlsx"
    content = b"".join(response.streaming_content)
    assert load_workbook(io.BytesIO(content)).active["A5"].value == "ГБДОУ детский сад № 7"


def test_an_unready_summary_has_no_file_to_download(client, city, methodologist):
    client.force_login(methodologist)
    summary, _ = services.request_summary(user=methodologist, year_start=YEAR)
    assert client.get(reverse("reports:summary-download", args=[summary.pk])).status_code == 404


def test_a_bad_year_is_refused_with_a_message(client, city, methodologist):
    client.force_login(methodologist)
    response = client.post(reverse("reports:summary-create"), {"year": "1999"}, follow=True)
    assert "Выберите учебный год из списка" in response.content.decode()
    assert not InstitutionSummary.objects.exists()


def test_a_superuser_opens_it_and_a_head_does_not(client, city):
    admin = User.objects.create_superuser("root", "root@example.ru", "correct horse battery staple")
    client.force_login(admin)
    assert client.get(reverse("reports:summary-list")).status_code == 200
    assert "Сводка по учреждениям" in client.get(reverse("reports:summary-list")).content.decode()
    client.force_login(city.head)
    assert client.get(reverse("reports:summary-list")).status_code == 404
    assert "Сводка по учреждениям" not in client.get(reverse("home"), follow=True).content.decode()


def test_the_page_takes_the_same_queries_with_more_summaries(client, city, methodologist):
    client.force_login(methodologist)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:summary-list")).status_code == 200
        return len(captured)

    services.request_summary(user=methodologist, year_start=YEAR)
    services.run_pending()
    queries()  # the session's first request passes the gates once
    small = queries()
    for year in (YEAR - 1, YEAR - 2):
        services.request_summary(user=methodologist, year_start=year)
    services.run_pending()
    services.request_summary(user=methodologist, year_start=YEAR)
    queries()  # the summaries' notifications: the menu's unread count is read anew, once
    assert queries() == small


def test_partners_are_not_counted(city, methodologist):
    summary, _ = services.request_summary(user=methodologist, year_start=YEAR)
    assert summary.total == Organization.objects.filter(partner_of__isnull=True).count() == 3
