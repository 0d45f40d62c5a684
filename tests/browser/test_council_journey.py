"""The methodical council's meeting from the plan to the signed minutes (п. 3.4): the curator
plans a meeting with a date and an agenda, writes down who came and what was decided after it,
and downloads «Протокол № 1 заседания методического совета наставников»."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registry.models import CouncilMeeting, Role
from tests.factories import make_person, make_user


def said(page):
    """The flash message after an action."""
    return page.locator(".messages").get_by_role("status")


def pdf_text(path) -> str:
    # A fixed local tool on a file the test wrote itself (TOOLCHAIN.md: poppler-utils).
    command = [shutil.which("pdftotext"), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return " ".join(result.stdout.split())


@pytest.mark.browser
def test_curator_plans_a_meeting_records_its_decisions_and_prints_the_minutes(
    live_world, page, log_in, live_server, tmp_path
):
    member = make_person(live_world.institution, "Соболева", first_name="Елена")
    make_user(live_world.institution, "soboleva", Role.COUNCIL, person=member)
    today = timezone.localdate()
    when = today + timedelta(days=7)

    # The curator plans the meeting: a date and an agenda are enough.
    log_in(live_world.curator)
    page.goto(f"{live_server.url}/council/meetings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Заседания методического совета")
    expect(page.get_by_text("Заседаний совета пока нет.")).to_be_visible()
    page.get_by_role("link", name="Запланировать заседание").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Новое заседание совета")
    expect(page.get_by_text("Номер протокола присваивается сам")).to_be_visible()
    page.get_by_label("Дата заседания").fill(when.isoformat())
    page.get_by_label("Повестка дня").fill(
        "О подборе наставнических пар\nО ходатайстве о замене наставника"
    )
    page.get_by_role("button", name="Сохранить").click()
    expect(said(page)).to_contain_text(f"Заседание {when:%d.%m.%Y} запланировано.")
    expect(page.get_by_text("запланировано", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Скачать PDF")).to_have_count(0)

    # The meeting took place (its date has come): the decisions are required now.
    meeting = CouncilMeeting.objects.get()
    held_on = today - timedelta(days=1)
    CouncilMeeting.objects.filter(pk=meeting.pk).update(held_on=held_on)
    page.goto(f"{live_server.url}/council/meetings/")
    expect(page.get_by_text("Заседания прошли, решения не записаны")).to_be_visible()
    page.get_by_role("link", name="записать решения").click()
    page.get_by_label("Председатель").select_option(label="Соболева Елена Сергеевна, воспитатель")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("alert")).to_contain_text("запишите решения совета")

    page.get_by_label("Соболева Елена Сергеевна, воспитатель").check()
    page.get_by_label("Слушали, выступили").fill("Слушали куратора о подборе пар.")
    page.get_by_label("Решили").fill(
        "Одобрить пару Петрова — Иванова\nРассмотреть ходатайство с участием сторон"
    )
    page.get_by_role("button", name="Сохранить").click()
    expect(said(page)).to_have_text(
        f"Протокол № 1 от {held_on:%d.%m.%Y} сохранён. Его можно скачать в PDF."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Протокол № 1 от {held_on:%d.%m.%Y}")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать PDF").click()
    pdf = tmp_path / "minutes.pdf"
    download_info.value.save_as(pdf)
    text = pdf_text(pdf)
    for expected in (
        "ПРОТОКОЛ № 1",
        "заседания методического совета наставников",
        "Председатель: Соболева Елена Сергеевна",
        "1. О подборе наставнических пар",
        "РЕШИЛИ: 1. Одобрить пару Петрова — Иванова",
    ):
        assert expected in text, expected
