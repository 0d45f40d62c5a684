"""Every control shows a focus ring one can see (issue 19, item 6; WCAG 2.2 «Focus Appearance»,
ГОСТ Р 52872-2019 п. 7.2.4): walking a page with Tab, each focused element has an outline at
least 2 px wide whose colour is at least 3:1 against the colour behind it — fields and the
blue menu included, where Bootstrap's pale glow and «outline: 0» used to win. The grey outline
buttons read at 4.5:1 at least."""

import re

import pytest

pytestmark = pytest.mark.browser

# The focused element's ring and the colour behind it, read from the computed styles.
RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let node = el, behind = "rgb(255, 255, 255)";
  while (node) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== "transparent" && !bg.startsWith("rgba(0, 0, 0, 0)")) {
      const offsetInside = parseFloat(style.outlineOffset) < 0;
      if (node !== el || offsetInside) { behind = bg; break; }
    }
    node = node.parentElement;
  }
  return {
    // Inside a native control (the date field's calendar button) the host is not :focus;
    // Chromium draws its own ring there.
    native: !el.matches(":focus"),
    what: el.tagName + (el.id ? "#" + el.id : "") + " " +
          (el.textContent || "").trim().slice(0, 30),
    style: style.outlineStyle, width: parseFloat(style.outlineWidth),
    color: style.outlineColor, behind: behind,
  };
}"""


def _luminance(rgb: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", rgb)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(one: str, two: str) -> float:
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _walk(page, steps: int) -> list[str]:
    weak = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        ring = page.evaluate(RING)
        if ring["what"].startswith("BODY") or ring["native"]:
            continue
        ratio = contrast(ring["color"], ring["behind"])
        if ring["style"] == "none" or ring["width"] < 2 or ratio < 3:
            weak.append(f"{ring['what']}: {ring['style']} {ring['width']} px, {ratio:.1f}:1")
    return weak


def test_the_focus_ring_is_visible_on_every_control_of_a_list(live_world, log_in, page):
    log_in(live_world.curator)
    page.goto(page.url.split("/home/")[0] + "/people/")
    page.get_by_text("Фильтры", exact=True).click()  # the filter fields become reachable
    page.locator("body").focus()
    assert _walk(page, 45) == []


def test_the_focus_ring_is_visible_on_a_form_and_the_public_site(live_world, log_in, page):
    log_in(live_world.curator)
    base = page.url.split("/home/")[0]
    page.goto(f"{base}/people/{live_world.mentee_person.pk}/edit/")
    assert _walk(page, 30) == []
    page.goto(f"{base}/nastavnichestvo/")
    assert _walk(page, 15) == []


def test_grey_outline_buttons_read_well(live_world, log_in, page):
    log_in(live_world.curator)
    page.goto(page.url.split("/home/")[0] + "/programs/")  # «Библиотека типовых мероприятий»
    colours = page.evaluate(
        """() => [...document.querySelectorAll('.btn-outline-secondary')].map(b => {
          const s = getComputedStyle(b);
          return [s.color, getComputedStyle(document.body).backgroundColor];
        })"""
    )
    assert colours
    for text, behind in colours:
        assert contrast(text, behind) >= 4.5, (text, behind)
