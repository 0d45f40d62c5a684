"""The methodical council (п. 3.4): the curator plans a meeting with a date and an agenda,
writes down who came and what was decided after it, and downloads «Протокол № 1 заседания
методического совета наставников»; a council member reads the monitoring and records the
council's mediation on a petition, which its author reads."""

import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registry.models import CouncilMeeting, Direction, Petition, Role
from registry.services.groups import petition_submit
from reports.models import GrowthRecord, Practice
from tests.factories import make_person, make_user
from tests.registry.test_group_services import active_group


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


@pytest.mark.browser
def test_the_council_reads_monitoring_and_mediates_a_petition(
    live_world, page, log_in, log_out, live_server
):
    """п. 3.4: a council member reads the bank of best practices and the growth records (no
    editing), records the council's mediation on a mentee's petition, and the mentee who filed
    it reads the outcome on her pair's page."""
    group = active_group(live_world)
    petition_submit(
        group=group,
        author=live_world.mentee_person,
        kind=Petition.Kind.REPLACE_MENTOR,
        text="Не совпадают графики работы",
        user=live_world.mentee,
    )
    GrowthRecord.objects.create(
        person=live_world.mentee_person,
        kind=GrowthRecord.Kind.COURSE,
        title="Курсы «ФОП ДО»",
        date=date(2026, 10, 1),
        created_by=live_world.curator,
    )
    Practice.objects.create(
        institution=live_world.institution,
        title="Интерактивная доска в работе молодого воспитателя",
        direction=Direction.objects.get(name="методическое"),
        summary="Как пара освоила интерактивную доску.",
    )

    log_in(live_world.council)
    menu = page.get_by_role("button", name="План и итоги")
    menu.click()
    page.get_by_role("link", name="Методическая копилка").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Методическая копилка")
    page.get_by_role("link", name="Интерактивная доска в работе молодого воспитателя").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Интерактивная доска")
    expect(page.get_by_role("button", name="Одобрить для публикации")).to_have_count(0)
    menu.click()
    page.get_by_role("link", name="Профессиональный рост").click()
    expect(page.get_by_role("cell", name="Курсы «ФОП ДО»")).to_be_visible()
    expect(page.get_by_role("link", name="Изменить «Курсы «ФОП ДО»»")).to_have_count(0)

    # The petition waits on the council's home: the pair's page, then the mediation.
    page.get_by_role("link", name="Главная").first.click()
    page.get_by_role("region", name="Ходатайства для медиации").get_by_role(
        "link", name=group.title
    ).click()
    page.get_by_role("link", name="Записать итог медиации").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Итог медиации совета")
    page.get_by_role("button", name="Записать итог").click()
    expect(page.get_by_text("Выберите итог медиации.").first).to_be_visible()
    page.get_by_label("урегулировано", exact=True).check()
    page.get_by_label("Решение совета").fill("Наставник переносит встречи на утро")
    page.get_by_role("button", name="Записать итог").click()
    expect(said(page)).to_contain_text("Итог медиации записан: урегулировано.")
    expect(page.get_by_role("region", name="Ходатайства")).to_contain_text(
        "Наставник переносит встречи на утро"
    )

    # The mentee who asked reads the outcome on her pair's page.
    log_out(live_world.council)
    log_in(live_world.mentee)
    page.get_by_role("link", name=group.title).first.click()
    petitions = page.get_by_role("region", name="Ходатайства")
    expect(petitions).to_contain_text("Медиация методического совета (п. 3.4): урегулировано")
    expect(petitions).to_contain_text("Наставник переносит встречи на утро")
    expect(page.get_by_role("link", name="Записать итог медиации")).to_have_count(0)
