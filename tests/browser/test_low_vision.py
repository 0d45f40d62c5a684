"""A curator with low vision sets the registry up for herself (ГОСТ Р 52872-2019; issue 19,
item 6): from the footer's «Версия для слабовидящих» she picks the largest type, white on black,
images off and wide letter spacing, by the panel's visible labels; the settings hold on the next
page, nothing scrolls sideways, and «Обычная версия» brings the ordinary look back."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _looks(page) -> dict:
    page.wait_for_load_state()  # the stylesheets applied, not only the HTML parsed
    return page.evaluate(
        """() => {
          const body = getComputedStyle(document.body);
          const img = document.createElement("img");
          document.querySelector("main").appendChild(img);
          const shown = getComputedStyle(img).display;
          img.remove();
          return {
            size: parseFloat(getComputedStyle(document.documentElement).fontSize),
            color: body.color, background: body.backgroundColor,
            spacing: parseFloat(body.letterSpacing) || 0, image: shown,
            wider: document.documentElement.scrollWidth > window.innerWidth + 1,
          };
        }"""
    )


def test_a_curator_sets_up_the_version_for_the_visually_impaired(live_world, log_in, page):
    log_in(live_world.curator)
    base = page.url.split("/home/")[0]
    page.goto(f"{base}/people/")
    page.get_by_role("contentinfo").get_by_role("link", name="Версия для слабовидящих").click()
    panel = page.get_by_role("region", name="Настройки версии для слабовидящих")
    expect(panel).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Все участники")

    panel.get_by_role("link", name="Самый крупный шрифт").click()
    panel.get_by_role("link", name="Белым по чёрному").click()
    panel.get_by_role("link", name="Скрыть").click()
    panel.get_by_role("link", name="Большой интервал").click()
    expect(panel.get_by_role("link", name="Белым по чёрному")).to_have_attribute(
        "aria-current", "true"
    )
    looks = _looks(page)
    assert looks["size"] == 28
    assert looks["color"] == "rgb(255, 255, 255)" and looks["background"] == "rgb(0, 0, 0)"
    assert looks["spacing"] > 5 and looks["image"] == "none"
    assert not looks["wider"]

    # The next page keeps the settings; the menu folds behind its button.
    page.get_by_role("button", name="Показать меню").click()
    page.get_by_role("link", name="Пары").click()
    expect(page.locator("html")).to_have_class(re.compile(r"lv-size-3 lv-scheme-wb"))
    assert not _looks(page)["wider"]

    page.get_by_role("region", name="Настройки версии для слабовидящих").get_by_role(
        "link", name="Обычная версия"
    ).click()
    expect(page.locator("html")).not_to_have_class(re.compile("low-vision"))
    assert _looks(page)["size"] == 16
