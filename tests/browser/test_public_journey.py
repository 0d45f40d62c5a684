"""The public section from approval to withdrawal (п. 8.2; 152-ФЗ ст. 10.1): the curator approves
a completed program's result for publication → it appears on the public page → a participant
withdraws the consent to dissemination → the name is gone from the page at once. A visitor with
no login watches, in a browser context of their own."""

import re

import pytest
from playwright.sync_api import expect

from programs.models import Program
from reports.models import Practice
from tests.public.test_pages import dissemination, open_section, pair, practice

MENTEE = "Иванова Анна Сергеевна"
MENTOR = "Петрова Мария Ивановна"


def confirmed_click(page, control):
    page.once("dialog", lambda dialog: dialog.accept())
    control.click()


@pytest.mark.browser
def test_approved_result_appears_publicly_and_a_withdrawn_consent_removes_the_name(
    live_world, page, browser, log_in, live_server
):
    world = live_world
    open_section(world)
    for person in (world.mentor_person, world.mentee_person):
        dissemination(person)
    program = pair(world, world.mentor_person, world.mentee_person, status=Program.Status.COMPLETED)
    case = practice(
        world,
        program,
        approved=False,
        title="Открытые занятия по ИКТ для молодого педагога",
        summary="Иванова Анна Сергеевна провела три открытых занятия с интерактивной доской.",
    )
    results = f"{live_server.url}/nastavnichestvo/ds64/results/"
    visitor = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow").new_page()

    # Before approval the visitor sees no results (п. 8.2: published only when approved).
    visitor.goto(results)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Результаты и лучшие практики")
    expect(visitor.get_by_text("Результатов пока нет")).to_be_visible()

    # The curator approves the practice for publication.
    log_in(world.curator)
    page.goto(f"{live_server.url}/reports/practices/{case.pk}/")
    confirmed_click(page, page.get_by_role("button", name="Одобрить для публикации"))
    expect(page.locator(".messages")).to_contain_text("одобрена для публикации")
    assert Practice.objects.get(pk=case.pk).status == Practice.Status.APPROVED

    # It appears publicly, with the names of the participants who consented.
    visitor.reload()
    card = visitor.get_by_role("article", name="Открытые занятия по ИКТ для молодого педагога")
    expect(card).to_be_visible()
    expect(card).to_contain_text(f"{MENTEE} (наставляемый педагог)")
    expect(card).to_contain_text(f"{MENTOR} (наставник)")
    expect(card).to_contain_text(f"{MENTEE} провела три открытых занятия")

    # The mentee withdraws the consent to dissemination; the curator records it.
    page.goto(f"{live_server.url}/people/{world.mentee_person.pk}/")
    page.get_by_role(
        "link", name=re.compile("^Отозвать согласие на распространение персональных данных")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Отзыв согласия: {MENTEE}")
    confirmed_click(page, page.get_by_role("button", name="Отозвать согласие"))
    expect(page.locator(".messages")).to_contain_text("отозвано")

    # The name is gone at once; the case stays, anonymized.
    visitor.reload()
    main = visitor.get_by_role("main")
    expect(main).not_to_contain_text("Иванова")
    expect(main).not_to_contain_text("Петрова")  # a case names people only when all consented
    expect(card).to_contain_text("Наставляемая провела три открытых занятия")  # grammatical
    expect(card).to_contain_text("Участники")
    visitor.context.close()


@pytest.mark.browser
def test_pages_work_without_javascript_fit_a_200_percent_zoom_and_switch_to_low_vision(
    live_world, browser, live_server
):
    """A visitor without JavaScript, at 640 px wide (a 1280 px screen at 200 % zoom)."""
    world = live_world
    open_section(world, about="## Цели\n\nПоддержка молодых педагогов.")
    for person in (world.mentor_person, world.mentee_person):
        dissemination(person)
    pair(world, world.mentor_person, world.mentee_person)
    context = browser.new_context(
        locale="ru-RU", java_script_enabled=False, viewport={"width": 640, "height": 900}
    )
    visitor = context.new_page()
    visitor.goto(f"{live_server.url}/nastavnichestvo/")  # the only section: straight to it
    expect(visitor.get_by_role("heading", level=1)).to_have_text("О системе наставничества")
    menu = visitor.get_by_role("navigation", name="Разделы «Наставничества»")
    for title in [
        "Нормативная база и локальные акты",
        "Куратор",
        "Реализуемые программы",
        "Новости и анонсы",
    ]:
        menu.get_by_role("link", name=title).click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
        expect(menu.get_by_role("link", name=title)).to_have_attribute("aria-current", "page")
        width = visitor.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], (title, width)
    menu.get_by_role("link", name="Реализуемые программы").click()
    visitor.get_by_role("link", name="Версия для слабовидящих").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Реализуемые программы")
    expect(visitor.locator("html")).to_have_class(re.compile("low-vision"))
    expect(visitor.get_by_role("main")).to_contain_text(MENTOR)
    visitor.wait_for_load_state()  # the version's stylesheet applied, not only the HTML parsed
    size = visitor.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 24
    visitor.get_by_role("link", name="Обычная версия").click()
    expect(visitor.locator("html")).not_to_have_class(re.compile("low-vision"))
    # The keyboard: the first Tab reaches «Перейти к содержанию».
    visitor.keyboard.press("Tab")
    expect(visitor.get_by_role("link", name="Перейти к содержанию")).to_be_focused()
    context.close()


def test_on_a_phone_the_menu_folds_under_one_line_naming_the_page(live_world, browser, live_server):
    """At 390 px the seven sections do not fill the first screen: «Разделы: …» opens them,
    without JavaScript too."""
    open_section(live_world)
    context = browser.new_context(
        locale="ru-RU", java_script_enabled=False, viewport={"width": 390, "height": 800}
    )
    visitor = context.new_page()
    visitor.goto(f"{live_server.url}/nastavnichestvo/")
    menu = visitor.get_by_role("navigation", name="Разделы «Наставничества»")
    fold = menu.get_by_text("Разделы: О системе наставничества")
    expect(fold).to_be_visible()
    expect(menu.get_by_role("link", name="Куратор")).to_be_hidden()
    box = menu.bounding_box()
    assert box["y"] + box["height"] < 400, box  # the page's heading is on the first screen
    fold.click()
    menu.get_by_role("link", name="Куратор").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Куратор")
    expect(menu.get_by_text("Разделы: Куратор")).to_be_visible()
    context.close()
