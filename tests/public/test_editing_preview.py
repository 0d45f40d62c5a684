"""Editing the public section (issue 19, item 7): «Предпросмотр» shows what is being typed,
rendered on the server through the site's own cleaner, and saves nothing; it works without
JavaScript (a submit button posting to the preview address) and the page carries no inline
script. A short toolbar comes from an external script. News offers «Опубликовать» first and
«Сохранить черновик» beside it."""

import re

from django.urls import reverse

from registry.models import NewsItem, PublicSection
from tests.public.test_editing import news_data
from tests.public.test_pages import news, open_section

TYPED = "## Цели\n\nВстреча **наставников** и <script>alert(1)</script> [сайт](https://spb.ru)"


def form_buttons(page: str) -> list[tuple[str, str]]:
    """(attributes, label) of each submit button of the page's content (not the menu's)."""
    content = page.split("<h1", 1)[1]
    return re.findall(r'<button type="submit"([^>]*)>([^<]+)</button>', content)


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def preview_block(page: str) -> str:
    return page.split('id="preview-title"', 1)[1]


def assert_no_inline_script(page: str):
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all("src=" in tag for tag in scripts), scripts


def test_page_preview_renders_the_typed_text_and_saves_nothing(as_user, world):
    section = open_section(world)
    before = section.about
    editor = as_user(world.curator)
    page = text(
        editor.post(reverse("public:manage-page-preview", args=["about"]), {"about": TYPED})
    )

    shown = preview_block(page)
    assert "Предпросмотр: так текст увидят посетители" in shown
    assert "<h2>Цели</h2>" in shown and "<strong>наставников</strong>" in shown
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert 'href="https://spb.ru"' in shown
    # The typed text is back in the field, and the form still saves to the page's address.
    assert "## Цели" in page.split("<textarea", 1)[1].split("</textarea>", 1)[0]
    assert f'action="{reverse("public:manage-page", args=["about"])}"' in page
    assert PublicSection.objects.get(pk=section.pk).about == before
    assert_no_inline_script(page)


def test_page_form_shows_the_preview_button_and_the_toolbar_script(as_user, world):
    page = text(as_user(world.sysadmin).get(reverse("public:manage-page", args=["about"])))
    preview = reverse("public:manage-page-preview", args=["about"])
    assert re.search(
        rf'<button type="submit" formaction="{preview}#preview-title"[^>]*>Предпросмотр', page
    )
    assert "data-markdown-toolbar" in page
    assert re.search(r'<script src="/static/js/markdown-toolbar\.js"', page)
    assert_no_inline_script(page)


def test_news_preview_keeps_what_was_typed_and_saves_nothing(as_user, world):
    editor = as_user(world.curator)
    typed = news_data(title="День наставника", text=TYPED, photo_consents_confirmed="on")
    typed.pop("status")
    page = text(editor.post(reverse("public:manage-news-preview-new"), typed))
    assert not NewsItem.objects.exists()
    assert "<strong>наставников</strong>" in preview_block(page)
    assert 'value="День наставника"' in page
    assert re.search(r'name="photo_consents_confirmed"[^>]*checked', page)
    assert f'action="{reverse("public:manage-news-create")}"' in page
    assert_no_inline_script(page)


def test_preview_of_a_saved_news_item_leaves_it_unchanged(as_user, world):
    item = news(world, published=False)
    saved = item.text
    page = text(
        as_user(world.curator).post(
            reverse("public:manage-news-preview", args=[item.pk]),
            news_data(title=item.title, text="*Новый* текст"),
        )
    )
    assert "<em>Новый</em>" in preview_block(page)
    item.refresh_from_db()
    assert item.text == saved
    assert f'action="{reverse("public:manage-news-update", args=[item.pk])}"' in page


def test_news_offers_publish_first_and_a_draft_beside_it(as_user, world):
    page = text(as_user(world.curator).get(reverse("public:manage-news-create")))
    buttons = form_buttons(page)
    labels = [label for _attrs, label in buttons]
    assert labels[:3] == ["Опубликовать", "Сохранить черновик", "Предпросмотр"]
    publish, draft = buttons[0][0], buttons[1][0]
    assert 'value="published"' in publish and "btn-primary" in publish
    assert 'value="draft"' in draft and "btn-primary" not in draft
    assert 'id="id_status"' not in page  # no «Состояние» select


def test_the_publish_button_publishes_and_the_draft_button_does_not(as_user, world):
    open_section(world)
    editor = as_user(world.curator)
    response = editor.post(
        reverse("public:manage-news-create"), news_data(status="published"), follow=True
    )
    assert "опубликована" in text(response)
    editor.post(reverse("public:manage-news-create"), news_data(title="Черновик", status="draft"))
    assert NewsItem.objects.get(title="Черновик").is_draft
    assert not NewsItem.objects.get(title="День наставника").is_draft


def test_a_published_item_is_saved_or_taken_off_the_site(as_user, world):
    item = news(world)
    page = text(as_user(world.curator).get(reverse("public:manage-news-update", args=[item.pk])))
    labels = [label for _attrs, label in form_buttons(page)]
    assert labels[:2] == ["Сохранить", "Снять с публикации"]
