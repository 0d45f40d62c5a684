"""Fixtures of the browser journeys: Debian's Chromium, a live server with the test world,
and logging in and out through the real forms (TOOLCHAIN.md «Browser tests»)."""

import re
import time
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import build_world, seed_reference_lists

PASSWORD = "correct horse battery staple"
# A journey that waits longer than this for one click or fill has gone wrong; fail fast
# (Playwright waits 30 s by default; expect() waits 5 s).
ACTION_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright cannot download its own browser here; Chromium runs as root in a container.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ru-RU", "timezone_id": "Europe/Moscow"}


# The longest journey takes under a minute; one that starts this close to midnight waits for
# the new day (below).
JOURNEY_SECONDS = 120


@pytest.fixture(autouse=True)
def _one_day():
    """A journey reads today's date once and compares it with what the pages show (a form's
    default date, a signed order's date): one that began at 23:59 and ended at 00:00 failed.
    Started within JOURNEY_SECONDS of midnight in the site's time zone, it waits for the new
    day first — in a run that crosses midnight only."""
    now = timezone.localtime()
    midnight = timezone.make_aware(
        datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
    )
    left = (midnight - now).total_seconds()
    if left < JOURNEY_SECONDS:
        time.sleep(left + 1)


@pytest.fixture
def page(page: Page) -> Page:
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    return page


@pytest.fixture
def live_world(live_server, transactional_db):
    """The test world, visible to the live server's thread.

    A transactional test flushes every table at its end, the seeded reference lists too, so
    each journey seeds them again. (django_db_serialized_rollback does not help: in a test
    that uses Playwright's page, the connection the test case sees has no serialized contents,
    so the rollback silently restores nothing.)"""
    seed_reference_lists()
    return build_world()


@pytest.fixture
def log_in(page: Page, live_server):
    """log_in(user) fills in the real login form and lands on the user's home."""

    def log_in(user) -> Page:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Имя пользователя").fill(user.username)
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Войти").click()
        expect(page).to_have_url(re.compile(r"/home/[a-z]+/$"))
        return page

    return log_in


@pytest.fixture
def log_out(page: Page):
    """log_out(user) opens the user menu in the navbar and presses «Выйти»."""

    def log_out(user) -> Page:
        page.get_by_role("button", name=str(user), exact=True).click()
        page.get_by_role("button", name="Выйти").click()
        expect(page).to_have_url(re.compile(r"/login/$"))
        expect(page.get_by_role("button", name=str(user), exact=True)).to_have_count(0)
        return page

    return log_out
