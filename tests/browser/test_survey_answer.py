"""The curator sends the satisfaction questionnaires to a program in one send — the mentee's to
the mentee, the mentor's to the mentor; the mentee answers hers in her account by the visible
labels, once; the curator reads the results (п. 3.3; Приложение 2, этап 6.1)."""

import re

import pytest
from playwright.sync_api import expect

from reports.models import Answer, Invitation, Response
from tests.programs.test_execution import make_program

SCALES = {
    "Насколько эффективной была для вас программа наставничества?": "9",
    "Насколько наставник был вовлечён в работу с вами?": "10",
    "Насколько комфортным было общение с наставником?": "8",
    "Насколько полезными были встречи с наставником?": "9",
    "Насколько вы чувствовали поддержку наставника?": "10",
    "Насколько понятно было, чего от вас ждут в программе?": "7",
}
LAST_SCALE = "Насколько вы довольны своей работой в программе?"
MENTEES_SURVEY = "Удовлетворённость программой, декабрь (наставляемые)"
MENTORS_SURVEY = "Удовлетворённость программой, декабрь (наставники)"


@pytest.mark.browser
def test_a_mentee_answers_the_satisfaction_questionnaire(
    live_world, live_server, page, log_in, log_out
):
    make_program(live_world)
    log_in(live_world.curator)
    page.goto(live_server.url + "/reports/surveys/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Разослать анкету")
    page.get_by_role("combobox", name=re.compile("Анкета")).select_option(
        label="Удовлетворённость программой: наставникам и наставляемым"
    )
    page.get_by_label("Название анкетирования").fill("Удовлетворённость программой, декабрь")
    page.get_by_label(re.compile("Петрова М. И. — Иванова А. С.")).check()
    page.get_by_role("button", name="Разослать анкету").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"«{MENTEES_SURVEY}» — 1; «{MENTORS_SURVEY}» — 1"
    )
    log_out(live_world.curator)

    # The mentor has the mentors' questionnaire, not the mentees'.
    log_in(live_world.mentor)
    page.goto(live_server.url + "/reports/my-surveys/")
    expect(page.get_by_role("link", name=MENTORS_SURVEY)).to_be_visible()
    expect(page.get_by_role("link", name=MENTEES_SURVEY)).to_have_count(0)
    log_out(live_world.mentor)

    log_in(live_world.mentee)
    page.goto(live_server.url + "/reports/my-surveys/")
    expect(page.get_by_role("link", name=MENTORS_SURVEY)).to_have_count(0)
    page.get_by_role("link", name=MENTEES_SURVEY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Анкета: {MENTEES_SURVEY}")
    for question, mark in SCALES.items():
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
    page.get_by_label("Что было для вас самым ценным?").fill("Разбор моих занятий")
    page.get_by_role("button", name="Отправить ответы").click()

    # One required scale left empty: the error is next to it, nothing typed is lost.
    expect(page.get_by_role("alert")).to_contain_text("Ответьте на этот вопрос.")
    expect(page.get_by_label("Что было для вас самым ценным?")).to_have_value("Разбор моих занятий")
    page.get_by_role("group", name=LAST_SCALE).get_by_label("8", exact=True).check()
    page.get_by_role("button", name="Отправить ответы").click()
    expect(page.get_by_role("status")).to_contain_text("Спасибо! Ваши ответы")
    expect(page.get_by_text(re.compile("ответ отправлен"))).to_be_visible()
    assert Response.objects.count() == 1
    assert Answer.objects.filter(question__key="effectiveness").get().scale == 9
    invitation = Invitation.objects.get(person=live_world.mentee_person)
    page.goto(live_server.url + f"/reports/my-surveys/{invitation.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Вы уже ответили на анкету")
    log_out(live_world.mentee)

    log_in(live_world.curator)
    page.goto(live_server.url + "/reports/surveys/")
    page.get_by_role("link", name=MENTEES_SURVEY).click()
    expect(
        page.get_by_text("Приглашено: 1, ответили: 1 из 1, кто мог ответить (100 %).")
    ).to_be_visible()
    expect(page.get_by_text("Разбор моих занятий")).to_be_visible()
