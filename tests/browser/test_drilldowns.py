"""A number of the dashboard opens the rows it counts (issue 18, item 9): the curator clicks a
tile and reads as many rows as the tile said, under a heading naming the figure, and goes back
to the indicators by the breadcrumb."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_curator_opens_the_mentors_behind_the_tile(live_world, log_in, page):
    log_in(live_world.curator)
    page.get_by_role("button", name="План и итоги").click()
    page.get_by_role("link", name="Показатели").click()
    tile = page.locator("li.tile", has_text="наставников в парах и группах")
    value = tile.locator(".tile-value").inner_text()
    tile.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Наставники в парах и группах")
    expect(page.get_by_text(f"Всего: {value}")).to_be_visible()
    expect(page.locator("tr.figure-row")).to_have_count(int(value))
    page.get_by_role("navigation", name="Навигационная цепочка").get_by_role(
        "link", name="Показатели"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Показатели наставничества")
