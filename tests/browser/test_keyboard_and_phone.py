"""A mentor updates things from a phone in the group room; a keyboard alone is enough to log in
(UX.md «Look»)."""

import re

import pytest
from playwright.sync_api import expect

PASSWORD = "correct horse battery staple"  # tests.factories.make_user
PHONE = {"width": 390, "height": 844}
WIDTHS = "[document.documentElement.scrollWidth, window.innerWidth]"


def assert_no_horizontal_scroll(page):
    scroll_width, viewport_width = page.evaluate(WIDTHS)
    assert scroll_width <= viewport_width, (
        f"{page.url} scrolls sideways: {scroll_width} px of content in {viewport_width} px"
    )


@pytest.mark.browser
def test_curator_pages_fit_a_phone_and_the_menu_opens(live_world, page, log_in, live_server):
    page.set_viewport_size(PHONE)
    log_in(live_world.curator)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_horizontal_scroll(page)

    menu_link = page.get_by_role("link", name="Банки", exact=True)
    expect(menu_link).to_be_hidden()
    toggler = page.get_by_role("button", name="Показать меню")
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(menu_link).to_be_visible()

    page.goto(f"{live_server.url}/people/{live_world.mentee_person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Иванова Анна Сергеевна")
    assert_no_horizontal_scroll(page)


@pytest.mark.browser
def test_login_form_is_completed_with_the_keyboard_alone(live_world, page, live_server):
    page.goto(f"{live_server.url}/login/")

    for _ in range(10):
        if page.evaluate("document.activeElement.name") == "username":
            break
        page.keyboard.press("Tab")
    expect(page.get_by_label("Имя пользователя")).to_be_focused()
    page.keyboard.type(live_world.curator.username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Пароль")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/home/curator/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Куратор наставничества")
