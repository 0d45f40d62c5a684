"""No page scrolls sideways on a phone (issue 19, item 2): every HTML page of the permission
table, opened in Chromium 390 px wide as a role that may open it, is no wider than the screen,
and no table or block inside it scrolls sideways either: a list's rows become cards, each cell
named by its column (static/js/app.js, the .table-stack rules of static/css/app.css).

One role per page (staff first, who see the most columns): the same template answers the other
roles with fewer columns or actions, and every role's page is opened by the XSS sweep already.

Each page is also checked by axe-core (issue 19, item 6: WCAG 2.2 A and AA rules, zero
violations), vendored from the npm registry in tests/vendor/axe-core/ and injected into a test
browser whose context bypasses the Content-Security-Policy — the site itself never loads it.
"""

import importlib
from pathlib import Path

import pytest
from django.apps import apps

from tests.browser.test_xss_sweep import _session_cookies
from tests.browser.xss_world import build

programs_seed = importlib.import_module("programs.migrations.0002_seed_event_forms_and_library")

PHONE = {"width": 390, "height": 800}
AXE = (Path(__file__).parent.parent / "vendor" / "axe-core" / "axe.min.js").read_text()
AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    resultTypes: ["violations"],  // only the violations are read: axe details nothing else
  });
  return result.violations.map(v => v.id + " (" + v.impact + "): " +
    v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""
PREFERENCE = ["curator", "head", "sysadmin", "council", "mentor", "mentee", "teacher"]

WIDER_THAN_THE_SCREEN = """() => {
  const screen = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > screen + 1) {
    found.push("the page: " + document.documentElement.scrollWidth + " px");
  }
  for (const box of document.querySelectorAll(".table-responsive, pre, .overflow-auto")) {
    if (box.scrollWidth > box.clientWidth + 1) {
      found.push((box.className || box.tagName) + ": " + box.scrollWidth + " px in " +
                 box.clientWidth);
    }
  }
  return found;
}"""


def _one_role_per_page(pages):
    """The first role of PREFERENCE (else any) of each page (URL name and object)."""
    chosen = {}
    rank = {role: index for index, role in enumerate(PREFERENCE)}
    for page in pages:
        key = (page.name, page.variant)
        if key not in chosen or rank.get(page.role, 99) < rank.get(chosen[key].role, 99):
            chosen[key] = page
    return sorted(chosen.values(), key=lambda page: page.role)


@pytest.mark.browser
def test_no_page_scrolls_sideways_at_390_px_nor_fails_axe(live_world, live_server, browser):
    programs_seed.seed(apps, None)
    pages = _one_role_per_page(build(live_world).pages)
    cookies = _session_cookies(live_world, live_server, {page.role for page in pages})
    context = browser.new_context(
        viewport=PHONE, locale="ru-RU", timezone_id="Europe/Moscow", bypass_csp=True
    )
    tab, role, wide, inaccessible = context.new_page(), None, [], []
    for page in pages:
        if page.role != role:
            context.clear_cookies()
            if cookies[page.role]:
                context.add_cookies(cookies[page.role])
            role = page.role
        response = tab.goto(live_server.url + page.path, wait_until="load")
        assert response.status == 200, f"{page.name} as {page.role}: {response.status}"
        found = tab.evaluate(WIDER_THAN_THE_SCREEN)
        if found:
            wide.append(f"{page.name} as {page.role}: {'; '.join(found)}")
        tab.evaluate(AXE)
        violations = tab.evaluate(AXE_RUN)
        if violations:
            inaccessible.append(f"{page.name} as {page.role}: {'; '.join(violations)}")
    context.close()
    assert wide == [], "\n".join(wide)
    assert inaccessible == [], "\n".join(inaccessible)
    assert len(pages) > 120
