"""Writing news for the public section in a browser (issue 19, item 7): the toolbar (an external
script, allowed by the CSP) marks the selected word bold, «Предпросмотр» shows the typed text as
visitors will see it without saving it, and «Опубликовать» publishes."""

import re

import pytest
from playwright.sync_api import expect

from registry.models import NewsItem
from tests.public.test_pages import open_section


@pytest.mark.browser
def test_curator_formats_previews_and_publishes_news(live_world, page, log_in, live_server):
    world = live_world
    open_section(world)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(world.curator)
    page.goto(f"{live_server.url}/nastavnichestvo/manage/news/new/")
    page.locator("#id_title").fill("День наставника")
    text = page.locator("#id_text")
    text.fill("Встреча наставников")
    text.evaluate("area => area.setSelectionRange(8, 19)")  # «наставников»
    page.get_by_role("toolbar").get_by_role("button", name="Жирный").click()
    expect(text).to_have_value("Встреча **наставников**")

    page.get_by_role("button", name="Предпросмотр").click()
    preview = page.locator(".typed-preview")
    expect(preview.locator("strong")).to_have_text("наставников")
    expect(page.get_by_text("Это ещё не сохранено")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("День наставника")
    assert not NewsItem.objects.exists()

    page.get_by_role("button", name="Опубликовать").click()
    expect(page.locator(".messages")).to_contain_text(re.compile("опубликована"))
    item = NewsItem.objects.get()
    assert item.text == "Встреча **наставников**" and not item.is_draft
    assert not errors, errors
