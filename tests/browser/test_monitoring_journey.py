"""Monitoring from a questionnaire to the final report (п. 3.3; Приложение 2, этап 6): the
curator sends the satisfaction questionnaire to a running program, the mentee answers it in her
account, the average satisfaction on the dashboard moves from «нет данных» to «недостаточно
ответов (меньше 3)» — one person's marks are never shown as an average (reports.anonymity) —
and the final analytical report carries the same note, not her mean mark, into its PDF."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring_site.lib.academic_year import academic_year_label
from reports.anonymity import TOO_FEW_ANSWERS
from tests.browser.test_survey_answer import LAST_SCALE, SCALES
from tests.programs.test_execution import make_program
from tests.reports.test_final_report import pdf_text

TITLE = "Удовлетворённость программой, середина года"
# The mean of the seven marks, (9 + 10 + 8 + 9 + 10 + 7 + 8) / 7 = 8,714… → 8,7: withheld, one
# person answered.
AVERAGE = "8,7"


def satisfaction_tile(page):
    return page.locator("li.tile", has_text="средняя оценка, из 10").locator(".tile-value")


@pytest.mark.browser
def test_questionnaire_moves_the_dashboard_and_reaches_the_report_pdf(
    live_world, live_server, page, log_in, log_out, tmp_path
):
    make_program(live_world)
    year = academic_year_label(timezone.localdate())

    # Nothing is answered yet: the dashboard says so rather than showing a zero.
    log_in(live_world.curator)
    page.get_by_role("button", name="План и итоги").click()
    page.get_by_role("link", name="Показатели").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Показатели наставничества за {year} учебный год"
    )
    expect(satisfaction_tile(page)).to_have_text("нет данных")

    # The curator sends the questionnaire to the pair's program.
    page.get_by_role("button", name="План и итоги").click()
    page.get_by_role("link", name="Анкетирование").click()
    page.get_by_role("link", name="Разослать анкету").first.click()
    page.get_by_role("combobox", name=re.compile("Анкета")).select_option(
        label="Удовлетворённость наставляемого программой наставничества"
    )
    page.get_by_label("Название анкетирования").fill(TITLE)
    page.get_by_label(re.compile("Петрова М. И. — Иванова А. С.")).check()
    page.get_by_role("button", name="Разослать анкету").click()
    expect(page.get_by_role("status")).to_contain_text("приглашено участников — 1")
    log_out(live_world.curator)

    # The mentee finds it on her home page and answers.
    log_in(live_world.mentee)
    page.get_by_role("region", name="Анкеты куратора").get_by_role("link", name=TITLE).click()
    for question, mark in {**SCALES, LAST_SCALE: "8"}.items():
        page.get_by_role("group", name=question).get_by_label(mark, exact=True).check()
    page.get_by_role("group", name="Как часто проходили ваши встречи?").get_by_label(
        "раз в неделю"
    ).check()
    page.get_by_role("group", name="Хотели бы вы продолжить работу с наставником?").get_by_label(
        "да"
    ).check()
    page.get_by_role("group", name="Хотели бы вы в будущем сами стать наставником?").get_by_label(
        "пока не знаю"
    ).check()
    page.get_by_role("button", name="Отправить ответы").click()
    expect(page.get_by_role("status")).to_contain_text("Спасибо! Ваши ответы")
    log_out(live_world.mentee)

    # The dashboard moves, but one person's answers are not shown as an average.
    log_in(live_world.curator)
    page.goto(f"{live_server.url}/reports/dashboard/")
    expect(satisfaction_tile(page)).to_have_text(TOO_FEW_ANSWERS)
    expect(page.locator("li.tile", has_text="анкет заполнено").locator(".tile-value")).to_have_text(
        "1"
    )

    # The final report of the year: created, the curator's analysis written, the PDF holds
    # the note in place of the average.
    page.get_by_role("button", name="План и итоги").click()
    page.get_by_role("link", name="Итоговый отчёт").click()
    page.get_by_role("button", name=f"Создать отчёт за {year} учебный год").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(year)
    page.get_by_role("link", name="Дописать проблемы, риски и предложения").first.click()
    page.get_by_label("Выявленные проблемы").fill("Не все наставляемые ответили на анкету в срок.")
    page.get_by_label("Риски").fill("Нагрузка наставников в конце года.")
    page.get_by_label("Предложения по совершенствованию системы наставничества").fill(
        "Проводить анкетирование в середине года."
    )
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать PDF").click()
    text = pdf_text(Path(download.value.path()).read_bytes(), tmp_path)
    assert "Итоговый аналитический отчёт" in text
    assert TOO_FEW_ANSWERS in text
    assert AVERAGE not in text
    assert "Проводить анкетирование в середине года." in text
