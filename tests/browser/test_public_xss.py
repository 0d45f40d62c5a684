"""Nothing typed runs as script (issue 7 «Editing»): the curator types XSS payloads into every
editable field of the public section's editing pages, in a real browser; then every public page
and every editing page is opened, and no dialog opens and no script, event handler or
``javascript:`` link made from the typed text is in the page.

The CSP would block an inline script anyway; the test checks the markup itself, so it would
fail even without the CSP."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Program
from registry.models import NewsItem, PublicDocument, PublicSection
from tests.public.test_pages import dissemination, open_section, pair, practice

PAYLOADS = [
    '<script>alert("xss")</script>',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "[нажми](javascript:alert(1))",
    "<a href=javascript:alert(1)>ссылка</a>",
]
PAYLOAD = " ".join(PAYLOADS)
LINE = "Заголовок " + PAYLOADS[0] + PAYLOADS[1]  # one-line fields (titles, positions)

# What an executed or injected payload would leave in the page.
INJECTED = """() => {
  const bad = [];
  for (const s of document.querySelectorAll("script")) {
    if (!s.src || s.textContent.includes("alert")) bad.push("script " + (s.src || s.textContent));
  }
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on")) bad.push(el.tagName + " " + attr.name);
      if (/^\\s*javascript:/i.test(attr.value)) bad.push(el.tagName + " " + attr.name);
    }
  }
  for (const el of document.querySelectorAll("svg, iframe, object, embed, img[src='x']")) {
    bad.push(el.tagName);
  }
  return bad;
}"""

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def said(page):
    return page.locator(".messages").get_by_role("status")


def assert_clean(page, address):
    page.goto(address)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert page.evaluate(INJECTED) == [], address


@pytest.mark.browser
def test_xss_typed_into_every_editable_field_never_runs(
    live_world, page, log_in, live_server, tmp_path
):
    world = live_world
    open_section(world)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    base = f"{live_server.url}/nastavnichestvo"
    log_in(world.curator)

    # Settings: the curator's public contacts (the e-mail field accepts only an address).
    page.goto(f"{base}/manage/settings/")
    page.get_by_label("Должность куратора").fill(LINE)
    page.get_by_label("Телефон для обращений").fill("<img src=x onerror=alert(1)>")
    page.get_by_label("Адрес раздела «Наставничество»").fill("ds64")
    page.get_by_label("Раздел опубликован").check()
    page.get_by_role("button", name="Сохранить").click()
    expect(said(page)).to_have_text("Настройки раздела сохранены: раздел опубликован.")

    # The three texts of the section, in Markdown.
    for key, title in [
        ("about", "О системе наставничества"),
        ("recommendations", "Методические рекомендации"),
        ("contacts", "Куратор: как связаться"),
    ]:
        page.goto(f"{base}/manage/pages/{key}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        page.locator(f"#id_{key}").fill(PAYLOAD)
        page.get_by_role("button", name="Сохранить").click()
        expect(said(page)).to_have_text(f"Страница «{title}» сохранена.")

    # A document: a javascript: link is refused, a file with payloads in title and note is kept.
    page.goto(f"{base}/manage/documents/new/")
    page.get_by_label("Раздел").select_option(PublicDocument.Level.RECOMMENDATION)
    page.get_by_label("Название").fill(LINE)
    page.get_by_label("Реквизиты").fill(LINE)
    page.get_by_label("Ссылка").fill("javascript:alert(1)")
    page.get_by_role("button", name="Сохранить документ").click()
    expect(page.locator(".error-summary")).to_contain_text("Введите правильный URL")
    page.get_by_label("Ссылка").fill("")
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 64)
    page.get_by_label("Файл").set_input_files(str(pdf))
    page.get_by_role("button", name="Сохранить документ").click()
    expect(said(page)).to_contain_text("опубликован")
    # A local act published as its text (issue 22), in Markdown with the payloads in it.
    page.goto(f"{base}/manage/documents/new/")
    page.get_by_label("Раздел").select_option(PublicDocument.Level.LOCAL_ACT)
    page.get_by_label("Название").fill("Положение")
    page.get_by_label("Текст документа").fill(PAYLOAD)
    page.get_by_role("button", name="Сохранить документ").click()
    expect(said(page)).to_contain_text("опубликован")
    with_file = PublicDocument.objects.exclude(file="").get()
    with_text = PublicDocument.objects.get(title="Положение")
    assert with_text.text == PAYLOAD

    # A piece of news with an image whose description carries a payload too.
    page.goto(f"{base}/manage/news/new/")
    page.locator("#id_title").fill(LINE)
    page.locator("#id_text").fill(PAYLOAD)
    image = tmp_path / "image.png"
    image.write_bytes(PNG)
    page.get_by_label("Изображение").set_input_files(str(image))
    page.get_by_label("Описание изображения").fill('" onerror="alert(1)')
    page.get_by_label(re.compile("детей на фото получены")).check()
    page.get_by_role("button", name="Опубликовать").click()
    expect(said(page)).to_contain_text("опубликована")

    section = PublicSection.objects.get(institution=world.institution)
    assert section.about == PAYLOAD and section.contact_position == LINE
    item = NewsItem.objects.get()
    assert item.title == LINE and item.published_at <= timezone.now()

    # Text typed elsewhere in the registry reaches the public pages too: a best case's title
    # and summary (the practice pages) and a consented participant's name (the bank).
    for person in (world.mentor_person, world.mentee_person):
        dissemination(person)
    world.mentee_person.first_name = "<script>alert(2)</script>"
    world.mentee_person.save()
    pair(world, world.mentor_person, world.mentee_person)
    practice(
        world,
        pair(world, world.mentor_person, world.mentee_person, status=Program.Status.COMPLETED),
        title=LINE,
        summary=PAYLOAD,
    )

    slug = f"{base}/ds64"
    public_pages = [
        f"{slug}/",
        f"{slug}/documents/",
        f"{slug}/curator/",
        f"{slug}/programs/",
        f"{slug}/results/",
        f"{slug}/recommendations/",
        f"{slug}/news/",
        f"{slug}/news/{item.pk}/",
        f"{slug}/documents/{with_text.pk}/",
    ]
    editing_pages = [
        f"{base}/manage/",
        f"{base}/manage/settings/",
        f"{base}/manage/pages/about/",
        f"{base}/manage/news/{item.pk}/edit/",
        f"{base}/manage/documents/{with_file.pk}/edit/",
        f"{base}/manage/documents/{with_text.pk}/edit/",
    ]
    for address in public_pages + editing_pages:
        assert_clean(page, address)
    # The payloads are shown as the text they are.
    page.goto(f"{slug}/news/{item.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(LINE)
    expect(page.get_by_role("main")).to_contain_text('<script>alert("xss")</script>')
    page.goto(f"{slug}/programs/")
    expect(page.get_by_role("main")).to_contain_text("<script>alert(2)</script>")
    page.goto(f"{slug}/documents/{with_text.pk}/")
    expect(page.get_by_role("main")).to_contain_text('<script>alert("xss")</script>')
    # The Atom feed carries the news text escaped.
    feed = page.request.get(f"{slug}/news/feed/").text()
    assert "<script>" not in feed and re.search(r"&lt;script&gt;|&amp;lt;script", feed)
    assert dialogs == []
