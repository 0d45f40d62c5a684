"""The curator and the sysadmin edit the public section in the application (п. 8.1): the address
and the switch, the pages' texts in Markdown, documents and news with checked uploads."""

import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.models import NewsItem, PublicDocument, PublicSection
from tests.public.test_pages import SLUG, document, news, open_section, url

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


def _when(delta=timedelta(0)) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def news_data(**changes):
    data = {
        "kind": NewsItem.Kind.NEWS,
        "title": "День наставника",
        "text": "Встреча **наставников** и молодых педагогов.",
        "image_alt": "",
        "status": NewsItem.Status.PUBLISHED,
        "published_at": _when(-timedelta(minutes=5)),
    }
    return {**data, **changes}


def doc_data(**changes):
    data = {
        "level": PublicDocument.Level.REGIONAL,
        "title": "Целевая модель наставничества Санкт-Петербурга",
        "note": "распоряжение Комитета по образованию от 29.11.2023 № 1520-р",
        "link": "",
        "is_published": "on",
        "position": 0,
    }
    return {**data, **changes}


def test_curator_publishes_the_section_at_a_latin_address(as_user, world, client):
    client = as_user(world.curator)
    response = client.post(
        reverse("public:manage-settings"),
        {"address-public_slug": "DS64", "is_published": "on", "contact_email": "k@ds64.ru"},
    )
    assert response.status_code == 302
    world.institution.refresh_from_db()
    assert world.institution.public_slug == "ds64"
    assert PublicSection.objects.get(institution=world.institution).is_published
    client.logout()
    assert "k@ds64.ru" in client.get(url("curator")).content.decode()


@pytest.mark.parametrize(
    ("slug", "error"),
    [
        ("manage", "Этот адрес занят"),
        ("садик", "латинских букв"),
        ("ds 64", "латинских букв"),
    ],
)
def test_bad_addresses_are_refused_in_russian(as_user, world, slug, error):
    response = as_user(world.sysadmin).post(
        reverse("public:manage-settings"), {"address-public_slug": slug, "is_published": "on"}
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    world.institution.refresh_from_db()
    assert world.institution.public_slug is None


def test_publishing_needs_an_address_and_addresses_are_unique(as_user, world):
    client = as_user(world.curator)
    response = client.post(reverse("public:manage-settings"), {"is_published": "on"})
    assert "задайте его адрес" in response.content.decode()
    world.other_institution.public_slug = "ds65"
    world.other_institution.save()
    response = client.post(
        reverse("public:manage-settings"), {"address-public_slug": "ds65", "is_published": "on"}
    )
    assert "уже существует" in response.content.decode()


def test_page_text_is_saved_and_shown_as_clean_markdown(as_user, world, client):
    open_section(world)
    response = as_user(world.curator).post(
        reverse("public:manage-page", args=["about"]),
        {"about": "## Цели\n\n<script>alert(1)</script> [ссылка](javascript:alert(1))"},
    )
    assert response.status_code == 302
    client.logout()
    text = client.get(url("section")).content.decode()
    assert "<h2>Цели</h2>" in text
    assert "<script>alert" not in text and "javascript:" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_unknown_page_of_the_editor_is_404(as_user, world):
    assert as_user(world.curator).get(reverse("public:manage-page", args=["x"])).status_code == 404


def test_news_with_an_image_is_published_and_a_draft_is_not(as_user, world, client):
    open_section(world)
    editor = as_user(world.curator)
    image = SimpleUploadedFile("фото.png", PNG, content_type="image/png")
    response = editor.post(
        reverse("public:manage-news-create"),
        news_data(
            image=image, image_alt="Наставники за круглым столом", photo_consents_confirmed="on"
        ),
    )
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.image.name.endswith(".png") and "фото" not in item.image.name
    assert item.created_by == world.curator
    editor.post(reverse("public:manage-news-create"), news_data(title="Черновик", status="draft"))
    later = news_data(title="Анонс конкурса", published_at=_when(timedelta(days=2)))
    response = editor.post(reverse("public:manage-news-create"), later, follow=True)
    assert "появится на сайте" in response.content.decode()
    client.logout()
    text = client.get(url("news")).content.decode()
    assert "День наставника" in text
    assert "Черновик" not in text.split("<main", 1)[1] and "Анонс конкурса" not in text


def test_news_image_needs_a_description(as_user, world):
    response = as_user(world.curator).post(
        reverse("public:manage-news-create"),
        news_data(image=SimpleUploadedFile("a.png", PNG, content_type="image/png")),
    )
    assert "Опишите, что на изображении" in response.content.decode()
    assert not NewsItem.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.png", b"<script>alert(1)</script>"),  # a text file pretending to be a picture
        ("doc.pdf", PDF),  # a PDF where a picture is expected
        ("virus.exe", b"MZ\x90\x00"),
    ],
)
def test_wrong_image_types_are_refused(as_user, world, name, content):
    response = as_user(world.curator).post(
        reverse("public:manage-news-create"),
        news_data(image=SimpleUploadedFile(name, content), image_alt="картинка"),
    )
    assert response.status_code == 200
    assert "Загрузите изображение в формате JPEG или PNG" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_too_large_uploads_are_refused(as_user, world, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = as_user(world.curator).post(
        reverse("public:manage-document-create"),
        doc_data(file=SimpleUploadedFile("big.pdf", PDF + b"0" * 200)),
    )
    assert "Файл слишком большой" in response.content.decode()
    assert not PublicDocument.objects.exists()


def test_documents_take_a_pdf_or_docx_or_a_link(as_user, world):
    editor = as_user(world.curator)
    response = editor.post(
        reverse("public:manage-document-create"),
        doc_data(file=SimpleUploadedFile("Положение.pdf", PDF)),
    )
    assert response.status_code == 302
    saved = PublicDocument.objects.get()
    assert saved.file.name.endswith(".pdf") and saved.institution == world.institution
    response = editor.post(
        reverse("public:manage-document-create"), doc_data(file=SimpleUploadedFile("x.png", PNG))
    )
    assert "Загрузите документ в формате PDF или DOCX" in response.content.decode()
    response = editor.post(reverse("public:manage-document-create"), doc_data())
    assert "Загрузите файл, укажите ссылку или вставьте текст документа" in (
        response.content.decode()
    )
    response = editor.post(
        reverse("public:manage-document-create"), doc_data(link="javascript:alert(1)")
    )
    assert "Введите правильный URL" in response.content.decode()
    assert PublicDocument.objects.count() == 1


def test_a_local_act_is_published_as_its_text_instead_of_a_file(as_user, world, client):
    """Issue 22: the Положение as text on the site (Markdown, cleaned), not only as a file."""
    open_section(world)
    editor = as_user(world.curator)
    text = "## 1. Общие положения\n\n1.1. Настоящее **Положение**…<script>alert(1)</script>"
    response = editor.post(
        reverse("public:manage-document-create"),
        doc_data(
            level=PublicDocument.Level.LOCAL_ACT, title="Положение о наставничестве", text=text
        ),
    )
    assert response.status_code == 302
    saved = PublicDocument.objects.get()
    assert (saved.text, saved.file.name, saved.link) == (text, "", "")
    assert "(текст)" in editor.get(reverse("public:manage")).content.decode()

    client.logout()
    page = client.get(url("document", saved.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Положение о наставничестве</h1>" in html
    assert "<h2>1. Общие положения</h2>" in html and "<strong>Положение</strong>" in html
    assert "<script>alert" not in html


def test_a_document_is_a_file_a_link_or_a_text_not_two(as_user, world):
    editor = as_user(world.curator)
    response = editor.post(
        reverse("public:manage-document-create"),
        doc_data(text="Текст", link="https://publication.pravo.gov.ru/x"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["text"] == [
        "Документ — это файл, ссылка или текст: оставьте что-то одно."
    ]
    assert not PublicDocument.objects.exists()


def test_deleting_a_document_asks_first_then_removes_it_and_its_file(
    as_user, world, django_capture_on_commit_callbacks
):
    item = document(world, "Устаревший приказ")
    path = item.file.path
    editor = as_user(world.curator)
    address = reverse("public:manage-document-delete", args=[item.pk])
    page = editor.get(address).content.decode()
    assert "Удалить документ «Устаревший приказ»?" in page
    assert PublicDocument.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(address, follow=True)
    assert "Документ «Устаревший приказ» удалён" in response.content.decode()
    assert not PublicDocument.objects.exists()
    assert not os.path.exists(path)


def test_deleting_news_removes_it_from_the_section(as_user, world, client):
    open_section(world)
    item = news(world, "Удаляемая новость")
    as_user(world.sysadmin).post(reverse("public:manage-news-delete", args=[item.pk]))
    assert not NewsItem.objects.exists()
    client.logout()
    assert client.get(url("news-detail", item.pk)).status_code == 404


def test_editor_cannot_reach_another_kindergartens_news(as_user, world):
    other = NewsItem.objects.create(
        institution=world.other_institution, title="Чужая", text="x", status="published"
    )
    editor = as_user(world.curator)
    assert editor.get(reverse("public:manage-news-update", args=[other.pk])).status_code == 404
    assert editor.post(reverse("public:manage-news-delete", args=[other.pk])).status_code == 404
    assert NewsItem.objects.filter(pk=other.pk).exists()


def test_manage_page_lists_drafts_and_scheduled_news_in_constant_queries(as_user, world):
    editor = as_user(world.curator)
    news(world, "Черновик", published=False)
    editor.get(reverse("public:manage"))  # the first visit creates the empty section
    with CaptureQueriesContext(connection) as small:
        editor.get(reverse("public:manage"))
    for n in range(5):
        news(world, f"Новость {n}", at=timezone.now() + timedelta(days=n + 1))
        document(world)
    with CaptureQueriesContext(connection) as large:
        text = editor.get(reverse("public:manage")).content.decode()
    assert len(large) == len(small)
    assert "черновик" in text and "запланирована" in text
    assert SLUG not in text  # no address yet: the section is not published


def test_curator_and_sysadmin_preview_the_section_before_it_is_published(as_user, world, client):
    section = open_section(world, about="Черновой текст о системе.")
    section.is_published = False
    section.save()
    for user in (world.curator, world.sysadmin):
        response = as_user(user).get(url("section"))
        text = response.content.decode()
        assert response.status_code == 200 and "Раздел не опубликован." in text
        assert "Черновой текст о системе." in text
        assert "private" in response["Cache-Control"]
    for user in (world.head, world.outsider, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        assert client.get(url("section")).status_code == 404
