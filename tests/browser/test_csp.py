"""The Content-Security-Policy forbids inline scripts, and the pages break none of its rules."""

import pytest
from playwright.sync_api import expect

# Records every violation the browser reports, whether or not it reaches the console.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.browser
def test_home_sends_a_policy_without_inline_scripts(live_world, page, log_in, live_server):
    log_in(live_world.curator)

    response = page.goto(f"{live_server.url}/home/curator/")

    policy = directives(response.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy.get("style-src", [])
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.browser
def test_home_and_forms_load_without_policy_violations(live_world, page, log_in, live_server):
    console_violations, page_errors = [], []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Content Security Policy" in message.text
            and console_violations.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)

    log_in(live_world.curator)
    visited = {}
    for path in (
        "/home/curator/",
        "/people/new/",
        f"/people/{live_world.teacher_person.pk}/mentee/",
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        visited[path] = page.evaluate("window.__cspViolations")
    # A form with errors: the error summary takes the focus through app.js.
    page.get_by_role("button", name="Включить в банк").click()
    expect(page.locator(".error-summary").first).to_be_focused()
    visited["error summary"] = page.evaluate("window.__cspViolations")

    assert console_violations == []
    assert page_errors == []
    assert all(found == [] for found in visited.values()), visited
