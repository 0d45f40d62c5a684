"""The public section «Наставничество» (п. 8.1, п. 8.2): its pages for visitors without login,
what they show, caching, framing, the low-vision switch, the Atom feed and the Russian 404.

The builders here (``open_section``, ``pair``, ``completed_case``…) are shared with the
privacy and editing tests and with the browser journeys."""

from datetime import date, timedelta
from io import StringIO
from itertools import count
from xml.etree import ElementTree

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import Program
from registry.models import (
    Consent,
    Direction,
    GroupMember,
    MentoringForm,
    MentoringGroup,
    MentoringKind,
    NewsItem,
    Order,
    PublicDocument,
    PublicSection,
)
from reports.models import Practice, PracticeMaterial
from tests.factories import ALL_ALLOWED, make_mentee, make_mentor, make_person

SLUG = "ds64"
_seq = count(1)


# --- Builders ---------------------------------------------------------------------------------


def open_section(world, slug=SLUG, **texts) -> PublicSection:
    """The world's institution with its section published at /nastavnichestvo/<slug>/."""
    world.institution.public_slug = slug
    world.institution.save(update_fields=["public_slug"])
    section, _ = PublicSection.objects.update_or_create(
        institution=world.institution, defaults={"is_published": True, **texts}
    )
    return section


def dissemination(person, *, withdrawn_on=None) -> Consent:
    """A consent to dissemination (152-ФЗ ст. 10.1) given a month ago."""
    return Consent.objects.create(
        person=person,
        kind=Consent.Kind.DISSEMINATION,
        given_on=timezone.localdate() - timedelta(days=30),
        withdrawn_on=withdrawn_on,
        **ALL_ALLOWED,
    )


def pair(world, mentor=None, mentee=None, *, status=Program.Status.ACTIVE) -> Program:
    """A group of a mentor and a mentee with its program in ``status``."""
    n = next(_seq)
    if mentor is None:
        mentor = make_person(world.institution, f"Наставникова{n}", first_name="Вера")
        make_mentor(mentor)
    if mentee is None:
        mentee = make_person(world.institution, f"Молодова{n}", first_name="Юлия")
        make_mentee(mentee)
    group = MentoringGroup.objects.create(
        institution=world.institution,
        status=MentoringGroup.Status.ACTIVE,
        form=MentoringForm.objects.get(name="педагог – педагог"),
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 5, 31),
        curator=world.curator,
    )
    group.directions.set([Direction.objects.get(name="методическое")])
    group.kinds.set([MentoringKind.objects.first()])
    for person, role in [(mentor, GroupMember.Role.MENTOR), (mentee, GroupMember.Role.MENTEE)]:
        GroupMember.objects.create(
            group=group, person=person, role=role, response=GroupMember.Response.CONFIRMED
        )
    finished = status in (Program.Status.COMPLETED, Program.Status.TERMINATED)
    return Program.objects.create(
        group=group,
        status=status,
        start=date(2026, 9, 1),
        end=date(2027, 5, 31),
        finished_on=date(2026, 11, 30) if finished else None,
        reason=Program.Reason.PLAN_DONE if finished else "",
    )


def practice(world, program=None, *, approved=True, title=None, summary="") -> Practice:
    n = next(_seq)
    return Practice.objects.create(
        institution=world.institution,
        program=program,
        title=title or f"Практика {n}: наставник помогает освоить ИКТ",
        direction=Direction.objects.get(name="методическое"),
        summary=summary or "Серия открытых занятий с разбором.",
        status=Practice.Status.APPROVED if approved else Practice.Status.DRAFT,
        approved_at=timezone.now() if approved else None,
    )


def material(case: Practice, name="конспект.pdf") -> PracticeMaterial:
    item = PracticeMaterial(practice=case, name=name)
    item.file.save("file.pdf", ContentFile(b"%PDF-1.4 material"), save=True)
    return item


def news(
    world, title=None, *, published=True, at=None, image=False, text="Текст новости."
) -> NewsItem:
    item = NewsItem(
        institution=world.institution,
        title=title or f"Новость {next(_seq)}",
        text=text,
        status=NewsItem.Status.PUBLISHED if published else NewsItem.Status.DRAFT,
        published_at=at or timezone.now() - timedelta(hours=1),
    )
    if image:
        item.image.save("image.png", ContentFile(b"\x89PNG\r\n\x1a\nimage"), save=False)
        item.image_alt = "Наставник и молодой педагог на занятии"
    item.save()
    return item


def document(world, title=None, *, level=PublicDocument.Level.FEDERAL, published=True, link=""):
    item = PublicDocument(
        institution=world.institution,
        title=title or f"Документ {next(_seq)}",
        level=level,
        is_published=published,
        link=link,
    )
    if not link:
        item.file.save("document.pdf", ContentFile(b"%PDF-1.4 document"), save=False)
    item.save()
    return item


def url(name, *args, slug=SLUG):
    return reverse(f"public:{name}", args=[slug, *args])


# Every page of a section, for walks over all of them.
PAGE_NAMES = ["section", "documents", "curator", "programs", "results", "recommendations", "news"]


def text_of(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


# --- Pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_page_opens_without_login_with_one_h1_a_title_and_open_graph(client, world, name):
    open_section(world, about="Цели и задачи системы наставничества.")
    text = text_of(client, url(name))
    assert text.count("<h1") == 1
    assert "<title>" in text and world.institution.short_name in text
    assert 'property="og:title"' in text and 'property="og:url"' in text
    assert "Версия для слабовидящих" in text
    assert 'lang="ru"' in text


def test_an_unpublished_section_is_a_russian_404(client, world):
    section = open_section(world)
    section.is_published = False
    section.save()
    for name in PAGE_NAMES:
        response = client.get(url(name))
        assert response.status_code == 404
        assert "Страница не найдена" in response.content.decode()


def test_unknown_pages_and_slugs_are_a_russian_404(client, world):
    open_section(world)
    for address in [
        "/nastavnichestvo/no-such-kindergarten/",
        f"/nastavnichestvo/{SLUG}/no-such-page/",
        f"/nastavnichestvo/{SLUG}/news/999999/",
        f"/nastavnichestvo/{SLUG}/documents/999999/file/",
    ]:
        response = client.get(address)
        assert response.status_code == 404, address
        text = response.content.decode()
        assert "Страница не найдена" in text and text.count("<h1") == 1


def test_index_redirects_to_the_only_section_and_lists_several(client, world):
    assert "пока не опубликованы" in text_of(client, reverse("public:index"))
    open_section(world)
    response = client.get(reverse("public:index"))
    assert response.status_code == 302 and response["Location"] == url("section")
    other = world.other_institution
    other.public_slug = "ds65"
    other.save()
    PublicSection.objects.create(institution=other, is_published=True)
    text = text_of(client, reverse("public:index"))
    assert world.institution.name in text and other.name in text


def test_about_page_renders_markdown_and_the_latest_news(client, world):
    open_section(world, about="## Цели\n\n- поддержка **молодых** педагогов")
    news(world, "Итоговое мероприятие")
    text = text_of(client, url("section"))
    assert "<h2>Цели</h2>" in text and "<strong>молодых</strong>" in text
    assert "Итоговое мероприятие" in text


def test_documents_by_level_with_local_acts_public_orders_and_the_roadmap(client, world):
    open_section(world)
    document(world, "Распоряжение Минпросвещения № Р-145", level=PublicDocument.Level.FEDERAL)
    document(world, "Целевая модель Санкт-Петербурга", level=PublicDocument.Level.REGIONAL)
    document(world, "Положение о системе наставничества", level=PublicDocument.Level.LOCAL_ACT)
    document(world, "Скрытый документ", published=False)
    document(world, "Закон на портале", link="https://publication.pravo.gov.ru/x")
    signed = dict(
        status=Order.Status.SIGNED, date=date(2026, 9, 1), year=2026, created_by=world.head
    )
    Order.objects.create(
        institution=world.institution, kind=Order.Kind.REGULATION, number="94/1",
        title="Об утверждении Положения", is_public=True, **signed,
    )  # fmt: skip
    Order.objects.create(
        institution=world.institution, kind=Order.Kind.REWARD, number="95",
        title="О поощрении наставников", is_public=False, **signed,
    )  # fmt: skip
    text = text_of(client, url("documents"))
    for shown in [
        "Распоряжение Минпросвещения № Р-145",
        "Целевая модель Санкт-Петербурга",
        "Положение о системе наставничества",
        "https://publication.pravo.gov.ru/x",
        "Приказ от 01.09.2026 № 94/1 «Об утверждении Положения»",
    ]:
        assert shown in text
    assert "Скрытый документ" not in text and "О поощрении наставников" not in text


def test_local_acts_come_first_with_the_regulation_as_its_text(client, world):
    """Issue 22: «Локальные акты» — the Положение, orders marked for publication, the roadmap —
    are a part of the documents page of their own, the Положение readable on the site."""
    open_section(world)
    document(world, "Целевая модель Санкт-Петербурга", level=PublicDocument.Level.REGIONAL)
    regulation = PublicDocument.objects.create(
        institution=world.institution,
        level=PublicDocument.Level.LOCAL_ACT,
        title="Положение о системе наставничества",
        note="утверждено приказом от 31.08.2022 № 94/1",
        text="## 1. Общие положения\n\n1.1. Настоящее Положение определяет цели…",
    )
    text = text_of(client, url("documents"))
    assert '<a href="#local-acts">Локальные акты</a>' in text
    local_acts = text.index('<h2 id="local-acts">')
    assert local_acts < text.index("Целевая модель Санкт-Петербурга")
    assert f'href="{url("document", regulation.pk)}">Положение о системе наставничества</a>' in (
        text
    )
    assert "(текст на сайте)" in text

    page = text_of(client, url("document", regulation.pk))
    assert "<h1>Положение о системе наставничества</h1>" in page
    assert "утверждено приказом от 31.08.2022 № 94/1" in page
    assert "<h2>1. Общие положения</h2>" in page
    assert "Нормативная база и локальные акты" in page  # the way back


def test_a_text_document_is_shown_only_when_published_and_as_text(client, world):
    open_section(world)
    hidden = PublicDocument.objects.create(
        institution=world.institution,
        level=PublicDocument.Level.LOCAL_ACT,
        title="Проект",
        text="Черновик",
        is_published=False,
    )
    assert client.get(url("document", hidden.pk)).status_code == 404
    assert client.get(url("document", document(world).pk)).status_code == 404  # a file
    assert client.get(url("document-file", hidden.pk)).status_code == 404


def test_a_published_document_downloads_and_a_hidden_one_is_404(client, world):
    open_section(world)
    shown, hidden = document(world), document(world, published=False)
    response = client.get(url("document-file", shown.pk))
    assert response.status_code == 200
    # Reading the stream closes the file (the test client's wrapper); closing the response
    # again would send request_finished and drop the test's database connection.
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(url("document-file", hidden.pk)).status_code == 404


def test_programs_being_carried_out_with_direction_form_kind_and_term(client, world):
    open_section(world)
    pair(world)
    text = text_of(client, url("programs"))
    assert "Методическое" in text and "педагог – педагог" in text
    assert MentoringKind.objects.first().name in text
    assert "01.09.2026 — 31.05.2027" in text


def test_news_list_detail_image_and_atom_feed_show_published_news_only(client, world):
    open_section(world)
    shown = news(world, "Открытое занятие наставника", image=True)
    draft = news(world, "Черновик новости", published=False)
    later = news(world, "Анонс на будущее", at=timezone.now() + timedelta(days=3))
    listing = text_of(client, url("news"))
    assert "Открытое занятие наставника" in listing
    assert "Черновик новости" not in listing and "Анонс на будущее" not in listing
    detail = text_of(client, url("news-detail", shown.pk))
    assert 'alt="Наставник и молодой педагог на занятии"' in detail
    assert 'property="og:image"' in detail
    image = client.get(url("news-image", shown.pk))
    assert image.status_code == 200
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")
    for item in (draft, later):
        assert client.get(url("news-detail", item.pk)).status_code == 404
        assert client.get(url("news-image", item.pk)).status_code == 404
    feed = client.get(url("news-feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "Открытое занятие наставника" in body
    assert "Черновик новости" not in body and "Анонс на будущее" not in body


def test_curator_page_shows_the_typed_contacts_and_names_the_curator_only_with_consent(
    client, world
):
    open_section(world, contacts="Приём по вторникам, кабинет 12.", contact_email="nast@ds64.ru")
    curator_person = make_person(
        world.institution, "Кураторова", first_name="Нина", phone="+7 900 000-00-00"
    )
    world.curator.person = curator_person
    curator_person.user = world.curator
    curator_person.save()
    text = text_of(client, url("curator"))
    assert "nast@ds64.ru" in text and "Приём по вторникам" in text
    assert "Кураторова" not in text and "+7 900 000-00-00" not in text
    dissemination(curator_person)
    assert "Кураторова Нина" in text_of(client, url("curator"))


def test_the_atom_feed_names_its_author(client, world):
    """RFC 4287 §4.1.1: an atom:feed has an atom:author with a name (issue 22)."""
    open_section(world)
    news(world, "Открытое занятие")
    root = ElementTree.fromstring(client.get(url("news-feed")).content)  # noqa: S314 (our feed)
    atom = "{http://www.w3.org/2005/Atom}"
    authors = root.findall(f"{atom}author")
    assert [a.findtext(f"{atom}name") for a in authors] == [world.institution.name]


def test_the_curator_page_names_the_role_once(client, world):
    """«Куратор: …, старший воспитатель, куратор наставничества» said it twice (issue 22)."""
    open_section(world, contact_position="старший воспитатель, куратор наставничества")
    curator_person = make_person(world.institution, "Кураторова", first_name="Нина")
    curator_person.user = world.curator
    curator_person.save()
    dissemination(curator_person)
    html = text_of(client, url("curator"))
    facts = html[html.index('<dl class="contact-facts">') : html.index("</dl>")]
    assert "<dt>Куратор</dt><dd>Кураторова Нина Сергеевна</dd>" in facts
    assert "<dt>Должность</dt><dd>Старший воспитатель</dd>" in facts
    assert "куратор наставничества" not in facts


# --- Caching, framing, the low-vision switch ------------------------------------------------


def test_public_pages_set_no_cookie_and_are_revalidated_with_an_etag(client, world):
    open_section(world)
    response = client.get(url("section"))
    assert not response.cookies  # neither a session nor a CSRF cookie
    assert "public" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    etag = response["ETag"]
    again = client.get(url("section"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    # A change shows at once: the old ETag no longer matches.
    news(world, "Свежая новость")
    assert client.get(url("section"), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_logged_in_visitors_get_private_pages(client, world):
    open_section(world)
    client.force_login(world.curator)
    assert "private" in client.get(url("section"))["Cache-Control"]


def test_framing_is_refused_unless_the_parent_site_is_named(client, world, settings):
    open_section(world)
    response = client.get(url("section"))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    settings.PUBLIC_FRAME_ANCESTORS = ["https://ds64.spb.ru"]
    response = client.get(url("section"))
    assert "X-Frame-Options" not in response
    assert "frame-ancestors 'self' https://ds64.spb.ru" in response["Content-Security-Policy"]
    # The registry itself is never framed.
    assert client.get(reverse("login"))["X-Frame-Options"] == "DENY"


def test_low_vision_switch_sets_a_cookie_and_returns_to_the_page(client, world):
    open_section(world)
    response = client.get(reverse("public:low-vision"), {"mode": "on", "next": url("programs")})
    assert response.status_code == 303 and response["Location"] == url("programs")
    assert response.cookies["low_vision"].value == "2.bw.on.0"
    text = text_of(client, url("programs"))
    assert '<html lang="ru" class="low-vision lv-size-2 lv-scheme-bw' in text
    assert "Обычная версия" in text and "Версия для слабовидящих" not in text
    response = client.get(reverse("public:low-vision"), {"mode": "off", "next": url("programs")})
    assert response.cookies["low_vision"].value == ""
    text = text_of(client, url("programs"))
    assert "low-vision" not in text.split("<body", 1)[0] and "Версия для слабовидящих" in text


def test_low_vision_switch_never_redirects_to_another_site(client):
    response = client.get(
        reverse("public:low-vision"), {"mode": "on", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("public:index")


# --- Constant number of queries ---------------------------------------------------------------


def _fill(world, n):
    for _ in range(n):
        program = pair(world)
        dissemination(program.group.members.first().person)
        completed = pair(world, status=Program.Status.COMPLETED)
        material(practice(world, completed))
        news(world)
        document(world)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_public_pages_run_a_constant_number_of_queries(client, world, name):
    open_section(world)
    _fill(world, 1)
    with CaptureQueriesContext(connection) as small:
        text_of(client, url(name))
    _fill(world, 5)
    with CaptureQueriesContext(connection) as large:
        text_of(client, url(name))
    assert len(large) == len(small), (name, len(small), len(large))


def test_feed_runs_a_constant_number_of_queries(client, world):
    open_section(world)
    news(world)
    with CaptureQueriesContext(connection) as small:
        client.get(url("news-feed"))
    for _ in range(6):
        news(world)
    with CaptureQueriesContext(connection) as large:
        client.get(url("news-feed"))
    assert len(large) == len(small)


def approved_roadmap(world, responsible=None):
    """The roadmap of 2026/2027 from the standard template, approved by the head (п. 3.2)."""
    from roadmap import services as roadmap_services
    from roadmap.models import Activity

    roadmap = roadmap_services.roadmap_create_from_template(
        institution=world.institution, year_start=2026, user=world.curator
    )
    if responsible is not None:
        Activity.objects.filter(stage__roadmap=roadmap).update(responsible=responsible)
    roadmap_services.roadmap_submit(roadmap=roadmap, user=world.curator)
    roadmap_services.roadmap_approve(
        roadmap=roadmap, head=world.head, number="95/2", signed_on=date(2026, 9, 5)
    )
    return roadmap


def test_the_approved_roadmap_is_published_without_the_responsible_peoples_names(client, world):
    open_section(world)
    assert client.get(url("roadmap", 2026)).status_code == 404  # not approved yet
    approved_roadmap(world, responsible=world.teacher_person)
    documents_page = text_of(client, url("documents"))
    assert "Дорожная карта (план мероприятий) на 2026/2027 учебный год" in documents_page
    assert "утверждена приказом от 05.09.2026 № 95/2" in documents_page
    assert url("roadmap", 2026) in documents_page
    text = text_of(client, url("roadmap", 2026))
    assert "Дорожная карта на 2026/2027 учебный год" in text
    assert "Этап 5." in text and "Формирование наставнических пар/групп" in text
    assert world.teacher_person.last_name not in text
    with CaptureQueriesContext(connection) as queries:
        text_of(client, url("roadmap", 2026))
    assert len(queries) <= 3  # the section, the version with its order (no query per activity)


def test_public_pages_only_read(client, world):
    open_section(world)
    assert client.post(url("section")).status_code == 405
    assert client.head(url("section")).status_code == 200


def test_the_demo_publishes_the_text_of_the_regulation(client, db):
    """The demo's kindergarten publishes its Положение as text among the local acts (issue 22)."""
    call_command("load_demo", stdout=StringIO())
    regulation = PublicDocument.objects.get(
        level=PublicDocument.Level.LOCAL_ACT, title__startswith="Положение о системе"
    )
    assert regulation.is_published and not regulation.file and not regulation.link
    documents = text_of(client, url("documents"))
    assert url("document", regulation.pk) in documents
    page = text_of(client, url("document", regulation.pk))
    for clause in [
        "<h2><strong>1. Общие положения</strong></h2>",
        "7.1. Завершение персонализированной программы наставничества происходит в случае:",
        "8.2. Результаты персонализированных программ наставничества педагогических работников",
        "Приложение 2. Примерная дорожная карта",
    ]:
        assert clause in page
    assert "Reference text" not in page and "rewritten as a list" not in page
