"""The curator filters, sorts and searches the bank, then brings a teacher into the mentee
bank with her processing consent (п. 3.3; Приложение 2, этап 2)."""

import re
from datetime import date
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from registry.models import Consent, MenteeProfile

MENTEE_CATEGORY = "молодой специалист со стажем до 3 лет"


def row_names(page):
    return page.locator("table.table-registry tbody tr td:first-child").all_inner_texts()


@pytest.mark.browser
def test_curator_filters_sorts_and_searches_the_people(live_world, page, log_in):
    log_in(live_world.curator)
    page.get_by_role("link", name="Банки", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Все участники")
    expect(page.get_by_text("Найдено: 3")).to_be_visible()

    page.get_by_text("Фильтры", exact=True).click()  # a <details> box, closed by default
    page.get_by_label("Банк", exact=True).select_option(label="наставляемые")
    page.get_by_role("button", name="Применить").click()
    expect(page.get_by_text("Фильтры — выбрано: 1")).to_be_visible()
    expect(page.get_by_text("Найдено: 1")).to_be_visible()
    assert row_names(page) == ["Иванова А. С."]

    page.get_by_role("link", name=re.compile(r"^Сбросить")).click()
    page.get_by_role("link", name="ФИО").click()
    expect(page.get_by_role("columnheader", name="ФИО")).to_have_attribute(
        "aria-sort", "descending"
    )
    assert row_names(page) == ["Смирнова О. С.", "Петрова М. И.", "Иванова А. С."]

    page.get_by_label("Поиск по ФИО").fill("Смирнова")
    page.get_by_role("button", name="Найти").click()
    expect(page.get_by_text("Найдено: 1 · поиск «Смирнова»")).to_be_visible()
    assert row_names(page) == ["Смирнова О. С."]
    assert "Смирнова" not in unquote(page.url)


@pytest.mark.browser
def test_curator_includes_a_teacher_into_the_mentee_bank_with_her_consent(
    live_world, page, log_in, live_server
):
    person = live_world.teacher_person
    log_in(live_world.curator)
    page.goto(f"{live_server.url}/people/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Смирнова Ольга Сергеевна")
    page.get_by_role("link", name="Включить в банк наставляемых").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Включение в банк наставляемых")

    page.get_by_role("button", name="Включить в банк").click()
    summary = page.locator(".error-summary").first
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Проверьте форму")
    consent_date = page.get_by_label("Дата согласия на обработку персональных данных")
    expect(consent_date).to_have_class(re.compile(r"is-invalid"))
    expect(page.locator(".invalid-feedback").filter(has_text="152-ФЗ, ст. 9")).to_be_visible()
    assert not MenteeProfile.objects.filter(person=person).exists()

    consent_date.fill("2026-11-20")
    page.get_by_label("Категория").select_option(label=MENTEE_CATEGORY)
    page.get_by_label("Направление").first.select_option(label="методическое")
    page.get_by_label("Описание").first.fill("Не получается планировать НОД")
    page.get_by_role("button", name="Включить в банк").click()

    expect(page.get_by_role("status")).to_have_text(
        "«Смирнова О. С.» включена в банк наставляемых."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Смирнова Ольга Сергеевна")
    expect(page.get_by_text("наставляемый — в банке")).to_be_visible()
    expect(page.get_by_text("согласие на обработку персональных данных есть")).to_be_visible()
    profile = MenteeProfile.objects.get(person=person)
    assert profile.category.name == MENTEE_CATEGORY
    assert [(d.direction.name, d.text) for d in profile.difficulties.all()] == [
        ("методическое", "Не получается планировать НОД")
    ]
    consent = Consent.objects.get(person=person, kind=Consent.Kind.PROCESSING)
    assert consent.given_on == date(2026, 11, 20)
    assert consent.recorded_by == live_world.curator
