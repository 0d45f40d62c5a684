"""A long page on a phone has «На этой странице» (issue 19, item 2): the indicators dashboard,
a dozen sections and several screens tall at 390 px, lists its sections under the heading, and a
link brings its section into view; a short page gets no such list."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_dashboard_on_a_phone_lists_its_sections(live_world, log_in, page):
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(live_world.curator)
    base = page.url.split("/home/")[0]
    page.goto(f"{base}/reports/dashboard/")
    contents = page.get_by_role("navigation", name="На этой странице")
    expect(contents).to_be_visible()
    sections = page.locator("main h2")
    expect(contents.get_by_role("link")).to_have_count(sections.count())
    contents.get_by_role("link", name="Лучшие практики").click()
    expect(page).to_have_url(re.compile(r"#section-\d+$"))
    expect(page.get_by_role("heading", level=2, name="Лучшие практики")).to_be_in_viewport()

    page.goto(f"{base}/people/")
    expect(page.get_by_role("navigation", name="На этой странице")).to_have_count(0)
