"""Each role logs in, lands on its own home page, and logs out through the user menu."""

import re

import pytest
from playwright.sync_api import expect

# The <h1> of templates/home/<role>.html.
HEADINGS = {
    "head": "Заведующий",
    "curator": "Куратор наставничества",
    "council": "Методический совет наставников",
    "sysadmin": "Системный администратор",
    "mentor": "Наставник",
    "mentee": "Наставляемый",
    "teacher": "Личный кабинет педагога",
}
ENGLISH = re.compile(r"Page not found|Not Found|Server Error|Forbidden|Traceback|Login|Password")


@pytest.mark.browser
@pytest.mark.parametrize("role", HEADINGS)
def test_each_role_lands_on_its_home_and_logs_out(role, live_world, page, log_in, log_out):
    user = live_world.user(role)

    log_in(user)

    expect(page).to_have_url(re.compile(rf"/home/{role}/$"))
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[role])
    expect(page).to_have_title(re.compile(r"главная — Наставничество$"))
    expect(page.locator("body")).not_to_contain_text(ENGLISH)

    log_out(user)

    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Вход в реестр наставничества")
    page.goto(f"{page.url.rsplit('/login/', 1)[0]}/home/{role}/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))
