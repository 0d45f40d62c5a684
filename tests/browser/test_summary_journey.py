"""The district's methodologist asks for «Сводка по учреждениям» in the browser, watches the page
refresh itself while the background worker builds it, and downloads the Excel file (issue 9)."""

import re

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook
from playwright.sync_api import expect

from registry.models import User
from reports.services import summary as services
from tests.browser.conftest import PASSWORD


@pytest.mark.browser
def test_the_methodologist_asks_for_the_summary_and_downloads_it(live_world, page, live_server):
    methodologist = User.objects.create_user(
        username="metodist", password=PASSWORD, first_name="Ирина", last_name="Соколова"
    )
    methodologist.user_permissions.add(Permission.objects.get(codename="run_institution_summary"))

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Имя пользователя").fill("metodist")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Сводка по учреждениям", level=1)).to_be_visible()
    expect(page.get_by_text("Сводок пока нет")).to_be_visible()

    page.get_by_label("Учебный год").select_option(index=0)
    page.get_by_role("button", name="Сформировать сводку").click()
    expect(page.get_by_text("поставлена в очередь")).to_be_visible()
    expect(page.get_by_text("в очереди", exact=True)).to_be_visible()
    expect(page.get_by_text("Страница обновляется сама")).to_be_visible()

    # The worker (manage.py db_worker) builds it; the page, refreshing itself, shows it ready.
    assert services.run_pending() == 1
    expect(page.get_by_text("готова", exact=True)).to_be_visible(timeout=12_000)
    expect(
        page.get_by_role("heading", name=re.compile("Итоги последней готовой сводки"))
    ).to_be_visible()
    expect(page.get_by_text("Страница обновляется сама")).to_have_count(0)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Скачать Excel сводки")).click()
    download = download_info.value
    assert download.suggested_filename.startswith("Сводка по учреждениям ")
    with open(download.path(), "rb") as handle:  # a temporary name without «.xlsx»
        sheet = load_workbook(handle).active
    names = [row[0].value for row in sheet.iter_rows(min_row=5)]
    assert names == ["ГБДОУ детский сад № 64", "ГБДОУ детский сад № 65", "Итого"]
