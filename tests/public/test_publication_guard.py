"""Every publishing path runs the one guard of published texts (152-ФЗ ст. 10.1; issue 17,
item 1): news, the section's pages and its switch, documents with text, a practice approved for
the public section (a public case). Each refuses a text naming someone without a consent to
dissemination, next to the field, and publishes once the consent is given. Practices are
published only from a completed program (п. 8.2); photos only with the parents' consents
confirmed."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from programs.models import Program
from registry.models import NewsItem, PublicDocument, PublicSection, User
from reports.models import Practice, PracticeMaterial
from tests.factories import make_person
from tests.public.test_editing import PNG, doc_data, news_data
from tests.public.test_pages import dissemination, open_section, pair, practice, url
from tests.registry.test_name_guard import sample_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def zaitseva(world):
    """The person of sample text 3: «Спасибо Зайцевой… (коллеги передают Зое Исаевне спасибо)»."""
    return make_person(world.institution, "Зайцева", first_name="Зоя", patronymic="Исаевна")


def refusal(response, field) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors[field])


# --- News --------------------------------------------------------------------------------------


def test_news_naming_someone_without_consent_is_not_published(as_user, world, zaitseva):
    editor = as_user(world.curator)
    data = news_data(title="Праздник", text=sample_texts()[3])
    message = refusal(editor.post(reverse("public:manage-news-create"), data), "text")
    assert "Зайцева З. И." in message and "152-ФЗ, ст. 10.1" in message
    assert not NewsItem.objects.exists()

    # A draft is kept: nothing is published yet.
    response = editor.post(reverse("public:manage-news-create"), {**data, "status": "draft"})
    assert response.status_code == 302
    item = NewsItem.objects.get()
    publish = {**data, "status": NewsItem.Status.PUBLISHED}
    response = editor.post(reverse("public:manage-news-update", args=[item.pk]), publish)
    assert "Зайцева З. И." in refusal(response, "text")
    item.refresh_from_db()
    assert item.is_draft

    dissemination(zaitseva)
    response = editor.post(reverse("public:manage-news-update", args=[item.pk]), publish)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == NewsItem.Status.PUBLISHED


def test_a_name_in_the_title_is_refused_next_to_the_title(as_user, world, zaitseva):
    data = news_data(title="Благодарность Зайцевой З. И.")
    response = as_user(world.curator).post(reverse("public:manage-news-create"), data)
    assert "Зайцева З. И." in refusal(response, "title")


def test_news_with_a_photo_needs_the_parents_consents_confirmed(as_user, world, client):
    open_section(world)
    editor = as_user(world.curator)

    def post(**extra):
        image = ContentFile(PNG, name="фото.png")
        data = news_data(image=image, image_alt="Дети на утреннике", **extra)
        return editor.post(reverse("public:manage-news-create"), data)

    response = post()
    assert "согласия родителей (законных представителей) детей на фото получены" in refusal(
        response, "photo_consents_confirmed"
    )
    assert not NewsItem.objects.exists()
    assert post(photo_consents_confirmed="on").status_code == 302
    item = NewsItem.objects.get()
    assert item.photo_consents_confirmed
    client.logout()
    page = client.get(url("news-detail", item.pk)).content.decode()
    assert "Фото публикуется с согласия родителей" in page


def test_news_without_a_photo_shows_no_photo_line(as_user, world, client):
    open_section(world)
    as_user(world.curator).post(reverse("public:manage-news-create"), news_data())
    item = NewsItem.objects.get()
    client.logout()
    page = client.get(url("news-detail", item.pk)).content.decode()
    assert "Фото публикуется" not in page


# --- The section's pages and documents -------------------------------------------------------


def test_a_page_of_the_section_naming_someone_is_refused(as_user, world, zaitseva):
    section = open_section(world)
    editor = as_user(world.curator)
    page = reverse("public:manage-page", args=["about"])
    text = "Куратор благодарит Зою Исаевну за помощь."
    assert "Зайцева З. И." in refusal(editor.post(page, {"about": text}), "about")
    section.refresh_from_db()
    assert section.about == ""
    dissemination(zaitseva)
    assert editor.post(page, {"about": text}).status_code == 302
    section.refresh_from_db()
    assert section.about == text


def test_the_section_is_not_switched_on_with_a_page_naming_someone(as_user, world, zaitseva):
    PublicSection.objects.create(institution=world.institution, contacts="Спросите Зайцеву.")
    data = {"address-public_slug": "ds64", "is_published": "on"}
    response = as_user(world.curator).post(reverse("public:manage-settings"), data)
    message = refusal(response, "is_published")
    assert "«как связаться с куратором»" in message and "Зайцева З. И." in message
    assert not PublicSection.objects.get(institution=world.institution).is_published


def test_a_published_document_text_naming_someone_is_refused(as_user, world, zaitseva):
    editor = as_user(world.curator)
    data = doc_data(level=PublicDocument.Level.LOCAL_ACT, title="Положение", text="Зайцева З. И.")
    assert "Зайцева З. И." in refusal(
        editor.post(reverse("public:manage-document-create"), data), "text"
    )
    # Not published, it may be kept.
    hidden = {key: value for key, value in data.items() if key != "is_published"}
    assert editor.post(reverse("public:manage-document-create"), hidden).status_code == 302
    dissemination(zaitseva)
    assert editor.post(reverse("public:manage-document-create"), data).status_code == 302
    assert PublicDocument.objects.filter(is_published=True).count() == 1


# --- Practices: public cases ----------------------------------------------------------------


def approve(client, case):
    return client.post(reverse("reports:practice-approve", args=[case.pk]), follow=True)


def test_a_practice_naming_someone_is_not_approved_until_the_consent(as_user, world, zaitseva):
    case = practice(
        world, pair(world, status=Program.Status.COMPLETED), approved=False, summary="Зайцевой"
    )
    curator = as_user(world.curator)
    page = approve(curator, case).content.decode()
    assert "«Описание практики»:" in page and "Зайцева З. И." in page
    case.refresh_from_db()
    assert case.status == Practice.Status.DRAFT
    dissemination(zaitseva)
    approve(curator, case)
    case.refresh_from_db()
    assert case.status == Practice.Status.APPROVED


@pytest.mark.parametrize("status", [None, Program.Status.ACTIVE, Program.Status.TERMINATED])
def test_only_a_completed_programs_practice_is_published(as_user, world, client, status):
    program = pair(world, status=status) if status else None
    case = practice(world, program, approved=False, title="Опыт без итогов")
    page = approve(as_user(world.curator), case).content.decode()
    assert "п. 8.2" in page
    case.refresh_from_db()
    assert case.status == Practice.Status.DRAFT
    # Even approved earlier, it does not reach the public section.
    Practice.objects.filter(pk=case.pk).update(
        status=Practice.Status.APPROVED, approved_at=timezone.now()
    )
    open_section(world)
    client.logout()
    assert "Опыт без итогов" not in client.get(url("results")).content.decode()


def photo(case: Practice) -> PracticeMaterial:
    item = PracticeMaterial(practice=case, name="утренник.png")
    item.file.save("file.png", ContentFile(PNG), save=True)
    return item


def test_a_practice_with_photos_needs_the_parents_consents(as_user, world, client):
    program = pair(world, status=Program.Status.COMPLETED)
    for member in program.group.members.all():
        dissemination(member.person)
    case = practice(world, program, approved=False, title="Утренник вместе")
    photo(case)
    curator = as_user(world.curator)
    assert "согласия родителей" in approve(curator, case).content.decode()
    case.refresh_from_db()
    assert case.status == Practice.Status.DRAFT
    Practice.objects.filter(pk=case.pk).update(photo_consents_confirmed=True)
    approve(curator, case)
    case.refresh_from_db()
    assert case.status == Practice.Status.APPROVED
    open_section(world)
    client.logout()
    assert "Фото публикуется с согласия родителей" in client.get(url("results")).content.decode()


def test_the_practice_form_offers_the_photo_confirmation(as_user, world):
    case = practice(world, pair(world, status=Program.Status.COMPLETED), approved=False)
    page = as_user(world.curator).get(reverse("reports:practice-update", args=[case.pk]))
    assert "Согласия родителей (законных представителей) детей на фото получены" in (
        page.content.decode()
    )


# --- The deployment's superuser in the Django admin ------------------------------------------


def test_the_admin_refuses_published_news_naming_someone(client, world, zaitseva):
    root = User.objects.create_superuser("root", "root@example.ru", "correct horse battery staple")
    client.force_login(root)
    now = timezone.localtime()
    data = {
        "institution": world.institution.pk,
        "kind": NewsItem.Kind.NEWS,
        "title": "Праздник",
        "text": "Спасибо Зайцевой!",
        "image_alt": "",
        "status": NewsItem.Status.PUBLISHED,
        "published_at_0": now.strftime("%d.%m.%Y"),
        "published_at_1": now.strftime("%H:%M:%S"),
        "created_by": root.pk,
    }
    response = client.post(reverse("admin:registry_newsitem_add"), data)
    assert response.status_code == 200
    assert "Зайцева З. И." in str(response.context["adminform"].form.errors["text"])
    assert not NewsItem.objects.exists()
    dissemination(zaitseva)
    response = client.post(reverse("admin:registry_newsitem_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert NewsItem.objects.get().text == "Спасибо Зайцевой!"
