"""A person about to be logged out for idleness is warned, and what they typed survives the
end of the session (issue: «a person about to be logged out while typing is warned and does
not lose the text»)."""

import re
import time

import pytest
from playwright.sync_api import expect

from mentoring_site.lib.middleware import CLOCK_COOKIE, SEEN_AT
from mentoring_site.lib.sessions import SessionStore
from mentoring_site.lib.sessions import UserSession as Session


def age_sessions(seconds: int) -> None:
    """Moves every session's last activity `seconds` into the past, on the server."""
    for row in Session.objects.all():
        store = SessionStore(session_key=row.session_key)
        store[SEEN_AT] = int(time.time()) - seconds
        store.save()


@pytest.mark.browser
def test_the_idle_warning_appears_and_extending_keeps_the_session(live_world, page, log_in):
    live_world.institution.session_idle_minutes = 5
    live_world.institution.save()
    page.clock.install()
    log_in(live_world.curator)
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_hidden()
    # The page knows it has 300 s and asks the server 100 s before the end (not every 30 s).
    page.clock.fast_forward(150_000)
    expect(warning).to_be_hidden()
    age_sessions(4 * 60 + 30)  # 30 seconds left: less than the warning's 100 s
    # The server's clock moved, not the browser's: drop the clock cookie (set by the last
    # response) so the check reads the session, as it would after a request in another tab.
    page.context.clear_cookies(name=CLOCK_COOKIE)
    page.clock.fast_forward(60_000)
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Сеанс скоро завершится")
    page.get_by_role("button", name="Продолжить работу").click()
    expect(warning).to_be_hidden()
    page.get_by_role("link", name="Банки", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Все участники")


@pytest.mark.browser
def test_typed_text_survives_the_end_of_the_session(live_world, page, log_in, live_server):
    log_in(live_world.curator)
    page.goto(f"{live_server.url}/people/new/")
    page.get_by_label("Фамилия").fill("Черновикова")
    page.get_by_label("Имя", exact=False).first.fill("Вера")
    age_sessions(2 * 60 * 60)  # the default idle limit is one hour
    page.reload()
    expect(page).to_have_url(re.compile(r"/login/\?next=/people/new/$"))
    expect(page.get_by_text("Сеанс завершён")).to_be_visible()
    page.get_by_label("Имя пользователя").fill("curator")
    page.get_by_label("Пароль").fill("correct horse battery staple")
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(re.compile(r"/people/new/$"))
    expect(page.get_by_text("Восстановлен текст")).to_be_visible()
    expect(page.get_by_label("Фамилия")).to_have_value("Черновикова")
