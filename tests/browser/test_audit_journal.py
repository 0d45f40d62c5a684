"""The audit trail in the browser: the head opens «Журнал изменений» from the user menu, keeps
the changes of people only, follows an entry to the person's page and opens its «История
изменений» there (issue 8)."""

import re

import pytest
from auditlog.context import set_actor
from playwright.sync_api import expect


@pytest.mark.browser
def test_the_head_follows_the_journal_to_a_persons_history(live_world, page, log_in):
    world = live_world
    person = world.teacher_person
    with set_actor(world.curator):
        person.phone = "+7 921 555-44-33"
        person.save()
        world.institution.session_idle_minutes = 45
        world.institution.save()

    log_in(world.head)
    page.get_by_role("button", name=str(world.head), exact=True).click()
    page.get_by_role("link", name="Журнал изменений").click()
    expect(page.get_by_role("heading", name="Журнал изменений", level=1)).to_be_visible()
    expect(page.get_by_text("+7 921 555-44-33")).to_be_visible()

    page.get_by_label("Что").select_option(label="Участник")
    page.get_by_role("button", name="Показать").click()
    expect(page).to_have_url(re.compile(r"content_type=\d+"))
    kinds = page.locator("tbody tr td:nth-child(4)")
    expect(kinds.first).to_be_visible()
    assert all(text.startswith("Участник") for text in kinds.all_inner_texts())
    row = page.get_by_role("row", name=re.compile("921 555-44-33"))
    expect(row.get_by_text("изменение")).to_be_visible()
    row.get_by_role("link", name=str(person)).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(person.last_name)
    page.get_by_text("История изменений").click()
    history = page.locator("details[data-audit-history]")
    expect(history.get_by_text("+7 921 555-44-33")).to_be_visible()
    expect(history.get_by_text(str(world.curator))).to_be_visible()
