"""The person's rights in the browser (152-ФЗ): the mentee opens «Все мои данные» from the user
menu and downloads the file (ст. 14); the curator records the withdrawal of the processing
consent, anonymizes the person at once and prints the act of destruction (ст. 21 ч. 5); the
policy is one click from the form the curator fills in (ст. 18.1)."""

import json
import re

import pytest
from playwright.sync_api import expect

from registry.models import DestructionAct, Person


def confirmed_click(page, control):
    page.once("dialog", lambda dialog: dialog.accept())
    control.click()


@pytest.mark.browser
def test_personal_data_journey(live_world, page, log_in, log_out, live_server, tmp_path):
    world = live_world
    person = world.mentee_person

    log_in(world.mentee)
    page.get_by_role("button", name=str(world.mentee), exact=True).click()
    page.get_by_role("link", name="Все мои данные (152-ФЗ)").click()
    expect(page.get_by_role("heading", name="Все мои данные", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Банк наставляемых")).to_be_visible()
    expect(page.get_by_text("Планирование НОД")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать файл данных (JSON)").click()
    path = tmp_path / "data.json"
    download_info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    values = [row["value"] for section in data["sections"] for row in section["rows"]]
    assert "Иванова" in values and "Планирование НОД" in values
    page.get_by_role("link", name="Политика обработки персональных данных").first.click()
    expect(
        page.get_by_role("heading", name="Политика обработки персональных данных")
    ).to_be_visible()
    log_out(world.mentee)

    log_in(world.curator)
    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.get_by_role("link", name=re.compile("Отозвать согласие на обработку")).click()
    confirmed_click(page, page.get_by_role("button", name="Отозвать согласие"))
    expect(page.get_by_text("Реестр обезличит сведения участника")).to_be_visible()
    page.get_by_role("link", name="Все данные об участнике (152-ФЗ, ст. 14)").click()
    confirmed_click(page, page.get_by_role("button", name="Обезличить данные сейчас"))
    expect(
        page.get_by_role("heading", name="Акты об уничтожении персональных данных")
    ).to_be_visible()
    expect(page.get_by_text("Составлен акт об уничтожении № 1")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Иванова Анна Сергеевна"))
    with page.expect_download() as download_info:
        row.get_by_role("link", name=re.compile("Акт \\(PDF\\)")).click()
    assert (
        download_info.value.suggested_filename == "Акт об уничтожении персональных данных № 1.pdf"
    )
    person.refresh_from_db()
    assert person.anonymized_on is not None
    assert not Person.objects.filter(last_name="Иванова").exists()
    assert DestructionAct.objects.get().subject_name.startswith("Иванова Анна Сергеевна")

    page.goto(f"{live_server.url}/people/new/")
    expect(page.locator(".pd-notice")).to_contain_text("политике обработки персональных данных")
