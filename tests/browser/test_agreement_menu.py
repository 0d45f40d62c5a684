"""The register of agreements (ТК РФ ст. 351.8) is in the main menu under «Документы», beside the
orders (one item, so the bar of a long name fits 1200 px); on a phone and a small laptop (the
bar folds below 1200 px) behind «Показать меню»; never scrolling the page sideways."""

import pytest
from playwright.sync_api import expect

from registry.models import Notification
from tests.browser.test_keyboard_and_phone import PHONE, assert_no_horizontal_scroll


def menu_link(page):
    return page.get_by_role("navigation", name="Основное меню").get_by_role(
        "link", name="Доп. соглашения"
    )


@pytest.mark.browser
def test_the_curator_opens_the_register_from_the_phone_menu(live_world, page, log_in):
    page.set_viewport_size(PHONE)
    log_in(live_world.curator)
    link = menu_link(page)
    expect(link).to_be_hidden()
    page.get_by_role("button", name="Показать меню").click()
    page.get_by_role("button", name="Документы").click()
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Соглашения о наставничестве")
    assert_no_horizontal_scroll(page)


@pytest.mark.browser
@pytest.mark.parametrize(("width", "folded"), [(1000, True), (1200, False), (1366, False)])
def test_the_bar_fits_a_laptop(live_world, page, log_in, width, folded):
    """With a long name and unread notifications, as a real curator has them."""
    curator = live_world.curator
    curator.first_name, curator.last_name = "Ирина", "Кузнецова-Преображенская"
    curator.save()
    Notification.objects.bulk_create(
        Notification(user=curator, text=f"Уведомление {n}") for n in range(12)
    )
    page.set_viewport_size({"width": width, "height": 700})
    log_in(curator)
    assert_no_horizontal_scroll(page)
    toggler = page.get_by_role("button", name="Показать меню")
    if folded:
        toggler.click()
    else:
        expect(toggler).to_be_hidden()
    page.get_by_role("button", name="Документы").click()
    expect(menu_link(page)).to_be_visible()
