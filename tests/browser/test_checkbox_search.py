"""Choosing several mentees is ticking them, not a Ctrl-click in a multi-select (issue 19,
item 6); a long list gets «Найти в списке», which hides the names that do not match and never
hides a ticked one."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_mentee, make_person

pytestmark = pytest.mark.browser


def test_the_curator_finds_and_ticks_mentees_in_a_long_list(live_world, log_in, page):
    for n in range(10):
        make_mentee(make_person(live_world.institution, f"Молодцова{n}"))
    log_in(live_world.curator)
    page.goto(page.url.split("/home/")[0] + "/groups/new/")
    mentees = page.locator("input[name=mentees]")
    expect(mentees).to_have_count(11)
    page.locator(f"input[name=mentees][value='{live_world.mentee_person.pk}']").check()
    search = page.get_by_role("searchbox", name="Найти в списке")
    search.fill("молодцова3")
    expect(page.locator("input[name=mentees]:visible")).to_have_count(2)  # the match, the ticked
    expect(page.get_by_role("checkbox", name="Молодцова3", exact=False)).to_be_visible()
    search.fill("")
    expect(page.locator("input[name=mentees]:visible")).to_have_count(11)
