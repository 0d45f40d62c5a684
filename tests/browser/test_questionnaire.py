"""A teacher asks for a mentor in her questionnaire; the curator sees it waiting on the home
page and accepts it into the mentee bank (Приложение 2, этап 2.1)."""

import re

import pytest
from playwright.sync_api import expect

from registry.models import Consent, MenteeProfile, SelfQuestionnaire

DIFFICULTY = "Не знаю, как построить беседу с родителями"


@pytest.mark.browser
def test_teacher_request_reaches_the_curator_and_the_mentee_bank(live_world, page, log_in, log_out):
    person = live_world.teacher_person
    log_in(live_world.teacher)
    page.get_by_role("link", name="Заполнить анкету-запрос наставляемого").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Анкета-запрос наставляемого")
    page.get_by_label("Категория").select_option(label="молодой специалист со стажем до 3 лет")
    page.get_by_label("Что вызывает затруднения по направлению «методическое»").fill(DIFFICULTY)
    page.get_by_label("Даю согласие на обработку моих персональных данных").check()
    page.get_by_role("button", name="Отправить анкету куратору").click()

    expect(page.get_by_role("status")).to_contain_text("Анкета отправлена куратору.")
    expect(page.get_by_text("ждёт рассмотрения")).to_be_visible()
    questionnaire = SelfQuestionnaire.objects.get(person=person)
    assert questionnaire.status == SelfQuestionnaire.Status.SUBMITTED
    log_out(live_world.teacher)

    log_in(live_world.curator)
    to_do = page.get_by_role("region", name="Ждут ваших действий")
    waiting = to_do.get_by_role("listitem").filter(has_text="анкета ждёт рассмотрения")
    expect(waiting).to_contain_text(re.compile(r"1\s+анкета ждёт рассмотрения"))
    waiting.get_by_role("link", name="Рассмотреть анкеты").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Анкеты педагогов")
    page.get_by_role("link", name="Смирнова О. С.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Анкета-запрос наставляемого: Смирнова Ольга Сергеевна"
    )
    expect(page.get_by_text(DIFFICULTY)).to_be_visible()
    page.get_by_role("button", name="Принять в банк").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Анкета принята и включена в банк наставляемых"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Смирнова Ольга Сергеевна")
    expect(page.get_by_text("наставляемый — в банке")).to_be_visible()
    questionnaire.refresh_from_db()
    assert questionnaire.status == SelfQuestionnaire.Status.ACCEPTED
    assert questionnaire.reviewed_by == live_world.curator
    profile = MenteeProfile.objects.get(person=person)
    assert [d.text for d in profile.difficulties.all()] == [DIFFICULTY]
    consent = Consent.objects.get(person=person, kind=Consent.Kind.PROCESSING)
    assert consent.method == Consent.Method.ONLINE
