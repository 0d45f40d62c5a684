"""Nothing typed runs as script, anywhere (issue 8 «Bad input, broadly»): 78 XSS payloads
(``tests/xss_payloads.py``) go into every free-text field of the registry, programs, the roadmap
and the reports, and every page of the permission table is opened in Chromium as every role
that may open it. No payload calls its marker or opens a dialog, no element or attribute made
of typed text is in the page, and the typed text is on the page as the same text.

The browser context bypasses the CSP, so the test proves the escaping itself; the CSP is the
second layer (``tests/browser/test_csp.py``). Payloads are stored through the ORM for speed
(``tests/browser/xss_world.py`` says how the rounds give every field every payload); a few go
through the real forms by their Russian labels, to prove the form path too. The smaller sweep
of the public section's editing pages is ``tests/browser/test_public_xss.py``.
"""

import importlib
import time
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Program, ProgramEvent
from registry.models import CouncilMeeting, Difficulty, NewsItem, Person
from registry.services.notifications import notify
from tests.browser.xss_world import (
    EXCLUDED,
    MARKDOWN,
    SHOWN_ON,
    build,
    free_text_fields,
    json_writers,
    model_field,
    rounds_of,
    tag,
    write_round,
)
from tests.factories import build_world
from tests.public.test_pages import SLUG, open_section, pair
from tests.tasks import run_tasks
from tests.xss_payloads import NUL_PAYLOADS, PAYLOADS, render

SWEPT = sorted(SHOWN_ON)
# The event forms and the library of typical events, which a flushed database lacks.
programs_seed = importlib.import_module("programs.migrations.0002_seed_event_forms_and_library")

# What typed text would leave in the page had it become markup, and whether the typed values
# expected on this page are there as the same text (an attribute value or a text node).
CHECK = """(expected) => {
  const bad = [];
  for (const s of document.scripts) {
    if (!s.src || !s.src.startsWith(location.origin + "/static/")) {
      bad.push("script " + s.outerHTML.slice(0, 80));
    }
  }
  const urls = [
    "href", "src", "action", "formaction", "data", "background", "poster", "xlink:href",
  ];
  const scheme = /^[\\s\\0-\\x1f]*(javascript|data|vbscript):/i;
  const texts = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      texts.push(attr.value);
      if (attr.name.startsWith("on")) bad.push(el.tagName + " " + attr.name);
      if (attr.name === "srcdoc") bad.push(el.tagName + " srcdoc");
      // The layout's own empty favicon is the one data: URL allowed.
      if (urls.includes(attr.name) && scheme.test(attr.value) && attr.value !== "data:,") {
        bad.push(el.tagName + " " + attr.name + "=" + attr.value.slice(0, 60));
      }
    }
    if (el.value !== undefined && typeof el.value === "string") texts.push(el.value);
  }
  const injected = "iframe, object, embed, base, math, xss, marquee, audio, video, animate, " +
    "meta[http-equiv], style, noscript, img[src='x'], img[src^='x:'], " +
    "s, u, b, i";
  for (const el of document.querySelectorAll(injected)) bad.push(el.tagName);
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) texts.push(walker.currentNode.data);
  const haystack = texts.join("\\n");
  const missing = expected.filter(([label, value]) => !haystack.includes(value)).map(([l]) => l);
  return {bad, missing};
}"""


def test_every_free_text_field_is_swept_or_excluded():
    """A new CharField, TextField or JSONField fails here until it is placed on a page of the
    sweep (``SHOWN_ON``) or excluded with a reason."""
    fields = set(free_text_fields())
    assert not set(SHOWN_ON) & set(EXCLUDED)
    assert fields - set(SHOWN_ON) - set(EXCLUDED) == set(), "new free-text fields"
    assert set(SHOWN_ON) | set(EXCLUDED) <= fields, "stale entries"
    assert set(json_writers()) <= set(SHOWN_ON) and set(SHOWN_ON) >= MARKDOWN
    assert all(SHOWN_ON.values()) and all(EXCLUDED.values())


def test_the_payloads_are_many_distinct_and_each_calls_its_marker():
    assert len(PAYLOADS) >= 50 and len(set(PAYLOADS)) == len(PAYLOADS)
    short = [p for p in PAYLOADS if "{hit}" not in p and "{id}" not in p]
    assert len(short) <= 6  # the ones that fit an agreement number, found by their markup
    for template in PAYLOADS + NUL_PAYLOADS:
        if template not in short:
            assert "4242" in render(template, 4242)
    # Round r gives field i payload (i + r) mod N, packed as many as fit: every field that can
    # hold a payload gets it once, in order.
    n = len(PAYLOADS)
    for index, label in enumerate(SWEPT):
        got = [p for _value, numbers in rounds_of(label, index) for p in numbers]
        order = [(index + t) % n for t in range(n)]
        assert got == [p for p in order if p in set(got)], label
        _model, f = model_field(label)
        if f.max_length is None:
            assert len(got) == n, label  # a text field gets them all in the first round
        elif f.max_length >= 100:
            assert len(got) >= n - 2, label  # all but the two very long ones
        else:
            assert len(got) >= 4, label  # telephones, agreement and order numbers


def test_later_rounds_open_each_payload_on_a_page_of_its_field_and_its_pages_in_turn():
    for index, label in enumerate(SWEPT):
        later_rounds = range(1, len(rounds_of(label, index)))
        opened = [_later_round_pages({label: None}, round_no) for round_no in later_rounds]
        assert all(len(keys) == 1 and keys[0] in SHOWN_ON[label] for keys in opened), label
        pages = {keys[0] for keys in opened}
        assert len(pages) == min(len(later_rounds), len(SHOWN_ON[label])), label


@pytest.fixture
def sweep_world(live_world):
    """The browser tests' world (tests/browser/conftest.py) with the programs' seeded lists."""
    programs_seed.seed(apps, None)
    return live_world


def _session_cookies(world, live_server, roles):
    cookies = {"anonymous": []}
    for role in roles - {"anonymous"}:
        client = Client()
        client.force_login(world.user(role))
        value = client.cookies["sessionid"].value
        cookies[role] = [{"name": "sessionid", "value": value, "url": live_server.url}]
    return cookies


class Browser:
    """One page of a context that bypasses the CSP; records every dialog and marker call."""

    def __init__(self, browser, live_server, cookies):
        self.context = browser.new_context(
            bypass_csp=True, locale="ru-RU", timezone_id="Europe/Moscow"
        )
        self.hits, self.dialogs, self.opened = [], [], 0
        self.context.expose_binding(
            "__xss_hit", lambda source, marker: self.hits.append((source["page"].url, marker))
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.page.on("dialog", self._dialog)
        self.live_server, self.cookies, self.role = live_server, cookies, None

    def _dialog(self, dialog):
        self.dialogs.append((self.page.url, dialog.message))
        dialog.dismiss()

    def open(self, role, path, expected):
        if role != self.role:
            self.context.clear_cookies()
            if self.cookies[role]:
                self.context.add_cookies(self.cookies[role])
            self.role = role
        response = self.page.goto(self.live_server.url + path, wait_until="domcontentloaded")
        self.opened += 1
        result = self.page.evaluate(CHECK, expected)
        return response.status, result


def _later_round_pages(written, round_no) -> list[str]:
    """The pages of a later round: for each field written in it, the next of its pages in
    turn (round r shows the field on page r mod n of its n pages). Only the short fields
    (telephones, numbers, names) need later rounds, a few payloads at a time; each payload is
    opened on one page that shows the field, and over the rounds every page of the field is
    opened with some of them. Every page showed every field's first payloads in round 0."""
    keys = set()
    for label in written:
        shown_on = SHOWN_ON[label]
        keys.add(shown_on[round_no % len(shown_on)])
    return sorted(keys)


def _expected(written, labels, keys_by_label, key, round_no):
    """[label, text] of the fields this page must show: the whole value, or for Markdown the
    field's tag."""
    out = []
    for label, (value, _numbers) in written.items():
        if key in keys_by_label.get(label, ()):
            index = labels.index(label)
            out.append([label, tag(index, round_no) if label in MARKDOWN else value])
    return out


@pytest.mark.browser
def test_stored_payloads_never_run_on_any_page(sweep_world, live_server, browser):
    started = time.monotonic()
    world = sweep_world
    sweep = build(world)
    pages = {page.key: page for page in sweep.pages}
    assert {key for keys in SHOWN_ON.values() for key in keys} <= set(pages)
    cookies = _session_cookies(world, live_server, {page.role for page in sweep.pages})
    chromium = Browser(browser, live_server, cookies)
    problems, statuses, shown = [], {}, 0

    round_no = 0
    while True:
        written = write_round(sweep, SWEPT, round_no)
        if not written:
            break
        # The payloads are written with UPDATE, which sends no signal: the caches a real edit
        # forgets (the navigation's institution, the homes' counters) are forgotten here.
        cache.clear()
        # The first round opens every page; the later ones, for each field still receiving
        # payloads, one page that shows it, in turn (see _later_round_pages).
        if round_no == 0:
            keys = [page.key for page in sorted(sweep.pages, key=lambda p: p.role)]
        else:
            keys = _later_round_pages(written, round_no)
            keys.sort(key=lambda key: pages[key].role)
        for key in keys:
            page = pages[key]
            expected = _expected(written, SWEPT, SHOWN_ON, key, round_no)
            status, result = chromium.open(page.role, page.path, expected)
            statuses.setdefault(key, status)
            shown += len(expected)
            if result["bad"] or result["missing"]:
                problems.append((round_no, key, result["bad"][:5], result["missing"]))
        round_no += 1
    # Handlers that fire late (a failed image, a toggled details element) had their chance.
    chromium.page.wait_for_timeout(300)

    assert chromium.hits == [] and chromium.dialogs == []
    assert problems == []
    assert all(statuses[key] == 200 for keys in SHOWN_ON.values() for key in keys)
    refused = {key: status for key, status in statuses.items() if status >= 400}
    assert refused == {}
    payload_fields = sum(
        len(n) for label in SWEPT for _v, n in rounds_of(label, SWEPT.index(label))
    )
    print(
        f"\nXSS sweep: {len(PAYLOADS)} payloads, {len(SWEPT)} fields, {payload_fields} "
        f"field×payload pairs in {round_no} rounds; {len(sweep.pages)} pages (URL × role), "
        f"{chromium.opened} page loads, {shown} field values checked on their pages, "
        f"{time.monotonic() - started:.0f} s"
    )
    chromium.context.close()


def _said(page):
    return page.locator(".messages").get_by_role("status")


@pytest.mark.browser
def test_payloads_typed_through_the_forms_never_run(sweep_world, live_server, browser):
    """The curator types payloads into five forms by their Russian labels (a person's name, a
    difficulty, a program event, a council agenda, a news text); the pages that show them run
    nothing and show the text as typed. A NUL character gets a clean form error; a name with
    markup is refused (letters only) and, stored as an old name, shown as text."""
    world = sweep_world
    person = world.mentee_person
    draft = pair(world, status=Program.Status.DRAFT)
    open_section(world)
    name = render("<img src=x onerror={hit}>", 1)[:100]
    difficulty = render('"><script>{hit}</script> </textarea><svg onload={hit}>', 2)
    title = render("<ScRiPt>{hit}</sCrIpT> {{{{ 7|add:7 }}}}", 3)
    agenda = render("<iframe srcdoc=\"<script>parent.{hit}</script>\"> ' onfocus='{hit}'", 4)
    news_text = render("[нажми](javascript:{hit}) <img src=x onerror=alert({id})>", 5)

    context = browser.new_context(bypass_csp=True, locale="ru-RU", timezone_id="Europe/Moscow")
    hits, dialogs = [], []
    context.expose_binding("__xss_hit", lambda source, marker: hits.append(marker))
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("Имя пользователя").fill(world.curator.username)
    page.get_by_label("Пароль").fill("correct horse battery staple")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(f"{base}/people/{person.pk}/edit/")
    page.get_by_label("Фамилия").fill(name)
    page.get_by_role("button", name="Сохранить").click()
    # A name takes letters, hyphens, spaces and apostrophes (issue 22): the form refuses the
    # payload next to the field. Kept as a name from before the rule, it is shown as text.
    expect(page.locator("#error_1_id_last_name")).to_contain_text("Только буквы")
    Person.objects.filter(pk=person.pk).update(last_name=name)

    page.goto(f"{base}/people/{person.pk}/mentee/")
    page.get_by_label("Описание").first.fill(difficulty)
    page.get_by_role("button", name="Сохранить").click()
    expect(_said(page)).to_be_visible()

    page.goto(f"{base}/programs/{draft.pk}/events/new/")
    page.get_by_label("Направление").select_option(label="методическое")
    page.get_by_label("Мероприятие").fill(title)
    page.get_by_label("Форма").select_option(index=1)
    page.get_by_label("Срок").fill(date(2026, 10, 15).isoformat())
    page.get_by_role("button", name="Сохранить").click()
    expect(_said(page)).to_be_visible()

    when = timezone.localdate() + timedelta(days=7)
    page.goto(f"{base}/council/meetings/new/")
    page.get_by_label("Дата заседания").fill(when.isoformat())
    page.get_by_label("Повестка дня").fill(agenda)
    page.get_by_role("button", name="Сохранить").click()
    expect(_said(page)).to_be_visible()

    page.goto(f"{base}/nastavnichestvo/manage/news/new/")
    page.locator("#id_title").fill("Новость")
    page.locator("#id_text").fill(news_text)
    page.get_by_role("button", name="Опубликовать").click()
    expect(_said(page)).to_contain_text("опубликована")

    # The forms kept exactly what was typed (the name as stored above).
    person.refresh_from_db()
    assert person.last_name == name
    assert Difficulty.objects.filter(mentee__person=person, text=difficulty).exists()
    event = ProgramEvent.objects.get(program=draft, title=title)
    meeting = CouncilMeeting.objects.get(agenda=agenda)
    item = NewsItem.objects.get(text=news_text)

    shown = [
        (f"/people/{person.pk}/", [name, difficulty]),
        ("/people/", [name]),
        (f"/programs/{draft.pk}/", [title]),
        (f"/programs/events/{event.pk}/edit/", [title]),
        (f"/council/meetings/{meeting.pk}/", [agenda]),
        (f"/council/meetings/{meeting.pk}/edit/", [agenda]),
        (f"/nastavnichestvo/manage/news/{item.pk}/edit/", [news_text]),
    ]
    for path, values in shown:
        page.goto(base + path, wait_until="domcontentloaded")
        result = page.evaluate(CHECK, [[path, value] for value in values])
        assert result == {"bad": [], "missing": []}, path
    page.goto(f"{base}/nastavnichestvo/{SLUG}/news/{item.pk}/")
    assert page.evaluate(CHECK, []) == {"bad": [], "missing": []}
    expect(page.get_by_role("main")).to_contain_text("нажми")

    # A NUL character is refused with the form's error, nothing is saved, no 500.
    for template in NUL_PAYLOADS:
        page.goto(f"{base}/council/meetings/{meeting.pk}/edit/")
        page.get_by_label("Повестка дня").fill(render(template, 6))
        page.get_by_role("button", name="Сохранить").click()
        expect(page.locator(".error-summary")).to_be_visible()
        meeting.refresh_from_db()
        assert meeting.agenda == agenda

    page.wait_for_timeout(300)
    assert hits == [] and dialogs == []
    context.close()


@pytest.fixture
def world(db):
    """The journeys above are transactional (a live server), and a module's shared world would
    hold its transaction open around them (tests/conftest.py refuses that): this module's one
    database test builds a world of its own."""
    return build_world()


def test_notification_mails_are_plain_text_with_the_payload_as_typed(
    world, django_capture_on_commit_callbacks
):
    """The e-mails are plain text (no HTML part for a mail client to render); the payload is
    carried as typed. Should an HTML part appear, it must carry the payload escaped."""
    world.mentor.email = "mentor@example.ru"
    world.mentor.save()
    text = render("<script>{hit}</script>", 7)
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[world.mentor], text=text, url="/programs/")
    run_tasks()  # the worker sends the outbox's letters
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.content_subtype == "plain" and text in message.body
    for content, mimetype in getattr(message, "alternatives", []):
        assert "<script>" not in content, mimetype
