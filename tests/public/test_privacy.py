"""Nothing unpublished, no draft and no personal data without consent ever appears in the public
section (п. 8.2; 152-ФЗ ст. 10.1): a world full of drafts, unconsented people, withdrawn
consents and uncompleted programs, walked page by page by following every link, as a visitor
(or a search engine) would."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import urljoin, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Program
from public.services import MENTEE, MENTOR, anonymize
from registry.models import Consent, Order, Person, PublicDocument
from registry.services.consents import consent_withdraw
from tests.factories import ALL_ALLOWED, make_mentee, make_mentor, make_person
from tests.public.test_pages import (
    SLUG,
    dissemination,
    document,
    material,
    news,
    open_section,
    pair,
    practice,
    url,
)

HREF = re.compile(r'href="([^"]+)"')


def crawl(client, start: str) -> dict[str, str]:
    """Every page of the section reachable from ``start`` by links: {address: text}."""
    prefix = f"/nastavnichestvo/{SLUG}/"
    seen, queue, pages = set(), [start], {}
    while queue:
        address = queue.pop()
        if address in seen:
            continue
        seen.add(address)
        response = client.get(address)
        if response.streaming:
            b"".join(response.streaming_content)  # read to the end: that closes the file
            continue
        assert response.status_code in (200, 302), address
        text = unescape(response.content.decode())
        pages[address] = text
        for href in HREF.findall(text):
            target = urljoin(address, unescape(href))
            parsed = urlparse(target)
            if parsed.netloc or not parsed.path.startswith(prefix):
                continue
            queue.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return pages


def person(world, last, first, patronymic="Петровна", *, mentor=False):
    someone = make_person(world.institution, last, first_name=first, patronymic=patronymic)
    (make_mentor if mentor else make_mentee)(someone)
    return someone


def build_secrets(world):
    """The world with everything that must stay hidden, and a little that must show."""
    section = open_section(world, about="О системе наставничества.")
    section.contact_email = "nastavnik@ds64.example"
    section.save()
    # People: consented, never consented, withdrawn.
    shown_mentor = person(world, "Светлова", "Дарья", mentor=True)
    dissemination(shown_mentor)
    shown_mentee = person(world, "Открытова", "Ирина")
    dissemination(shown_mentee)
    silent_mentor = person(world, "Тихонова", "Галина", mentor=True)
    silent_mentee = person(world, "Безсогласова", "Елена")
    withdrawn = person(world, "Отозвавшая", "Марина")
    consent = dissemination(withdrawn)
    consent_withdraw(consent=consent, withdrawn_on=timezone.localdate(), user=world.curator)
    # Everyone has a consent to processing (make_mentee): it is not one to dissemination.
    assert silent_mentee.consents.filter(kind=Consent.Kind.PROCESSING).exists()
    # A consent that starts only next week is not in force yet.
    future = person(world, "Будущева", "Алла")
    Consent.objects.create(
        person=future,
        kind=Consent.Kind.DISSEMINATION,
        given_on=timezone.localdate() + timedelta(days=7),
        **ALL_ALLOWED,
    )

    # Programs being carried out: a named pair and pairs with people who did not consent.
    pair(world, shown_mentor, shown_mentee)
    pair(world, silent_mentor, withdrawn)
    pair(world, mentee=future)
    # Uncompleted programs: their practices stay hidden even when approved.
    for status in (Program.Status.DRAFT, Program.Status.ACTIVE, Program.Status.TERMINATED):
        practice(world, pair(world, status=status), title=f"Практика программы {status}")
    practice(world, pair(world, status=Program.Status.COMPLETED), approved=False,
             title="Черновик практики")  # fmt: skip
    # A completed program with an unconsented mentee: the case is anonymized, names in its
    # text replaced, its materials withheld.
    anonymous = pair(world, shown_mentor, silent_mentee, status=Program.Status.COMPLETED)
    hidden_case = practice(
        world,
        anonymous,
        title="Как Безсогласова Е. П. освоила ИКТ",
        summary="Елена Петровна Безсогласова провела открытое занятие с наставником Светловой.",
    )
    hidden_material = material(hidden_case, "фото Безсогласовой.pdf")
    # A completed program where everyone consented: named, with materials.
    named = pair(world, shown_mentor, shown_mentee, status=Program.Status.COMPLETED)
    material(practice(world, named, title="Открытая практика наставника"), "конспект.pdf")

    news(world, "Опубликованная новость")
    news(world, "Черновик новости", published=False)
    news(world, "Запланированная новость", at=timezone.now() + timedelta(days=2))
    document(world, "Опубликованный документ")
    document(world, "Скрытый документ", published=False)
    document(world, "Скрытые рекомендации", level=PublicDocument.Level.RECOMMENDATION,
             published=False)  # fmt: skip
    Order.objects.create(
        institution=world.institution, kind=Order.Kind.REWARD, title="Проект приказа о премии",
        is_public=True, created_by=world.curator,
    )  # fmt: skip
    # The curator: no consent, a phone in the bank.
    curator = make_person(world.institution, "Кураторская", first_name="Зоя", phone="+79001112233",
                          email="zoya.private@example.ru")  # fmt: skip
    curator.user = world.curator
    curator.save()
    return {
        "hidden_material": hidden_material,
        "must_show": [
            "Светлова Дарья Петровна",
            "Открытова Ирина Петровна",
            "Опубликованная новость",
            "Опубликованный документ",
            "Открытая практика наставника",
            "конспект.pdf",
            "nastavnik@ds64.example",
            "Как наставляемая освоила ИКТ",
        ],
        "must_hide": [
            "Тихонова",
            "Безсогласова",
            "Отозвавшая",
            "Будущева",
            "Кураторская",
            "+79001112233",
            "zoya.private@example.ru",
            "Практика программы draft",
            "Практика программы active",
            "Практика программы terminated",
            "Черновик практики",
            "Черновик новости",
            "Запланированная новость",
            "Скрытый документ",
            "Скрытые рекомендации",
            "Проект приказа о премии",
            "фото Безсогласовой",
            # The world's own people have no consent to dissemination either.
            world.mentor_person.last_name,
            world.mentee_person.last_name,
            world.teacher_person.last_name,
        ],
    }


def test_walking_every_public_page_shows_nothing_unpublished_or_unconsented(client, world):
    secrets = build_secrets(world)
    pages = crawl(client, url("section"))
    feed = client.get(url("news-feed")).content.decode()
    pages[url("news-feed")] = unescape(feed)
    assert len(pages) >= 9  # the seven pages, a news item and the feed at least
    everything = "\n".join(pages.values())
    for text in secrets["must_show"]:
        assert text in everything, f"expected on the public pages: {text}"
    for address, text in pages.items():
        for hidden in secrets["must_hide"]:
            assert hidden not in text, f"{hidden!r} appears on {address}"
    # The anonymized case's material cannot be fetched by guessing its address either.
    assert client.get(url("case-material", secrets["hidden_material"].pk)).status_code == 404


def test_withdrawing_a_consent_removes_the_name_from_every_page_at_once(client, world):
    open_section(world)
    mentor = person(world, "Исчезающая", "Анна", mentor=True)
    mentee = person(world, "Согласная", "Вера")
    consent = dissemination(mentor)
    dissemination(mentee)
    pair(world, mentor, mentee)
    practice(world, pair(world, mentor, mentee, status=Program.Status.COMPLETED),
             title="Практика Исчезающей А. П.")  # fmt: skip
    before = "\n".join(crawl(client, url("section")).values())
    assert "Исчезающая Анна Петровна" in before
    etag = client.get(url("programs"))["ETag"]

    consent_withdraw(consent=consent, withdrawn_on=timezone.localdate(), user=world.curator)

    # A cache holding the old page revalidates and gets the new one, not «304».
    assert client.get(url("programs"), HTTP_IF_NONE_MATCH=etag).status_code == 200
    after = crawl(client, url("section"))
    for address, text in after.items():
        assert "Исчезающ" not in text, address
    everything = "\n".join(after.values())
    assert "Согласная Вера Петровна" in everything  # the other one still consents
    assert "Практика наставницы" in everything  # the case stays, anonymized, grammatical


def test_anonymize_replaces_every_way_of_writing_a_name():
    someone = Person(last_name="Иванова", first_name="Анна", patronymic="Сергеевна")
    text = (
        "Иванова Анна Сергеевна, Иванова А. С., Иванова А.С., Анна Сергеевна Иванова, "
        "ИВАНОВА, с Ивановой Анной Сергеевной, А. С. Ивановой, Анне Сергеевне."
    )
    result = anonymize(text, [(someone, MENTEE)])
    assert result == "Наставляемая, " + ", ".join(["наставляемая"] * 4) + (
        ", с наставляемой, наставляемой, наставляемой."
    )


@pytest.mark.parametrize(
    ("written", "anonymized"),
    [
        ("Ивановой понравилось занятие.", "Наставляемой понравилось занятие."),
        ("Как Иванова А. С. освоила ИКТ", "Как наставляемая освоила ИКТ"),
        ("Практика Ивановой А. С.", "Практика наставляемой."),
        ("Петров И. П. провёл занятие для Ивановой.", "Наставник провёл занятие для наставляемой."),
        ("Анна Сергеевна работала с Петровым.", "Наставляемая работала с наставником."),
        ("Рассказала о Петрове и об Ивановой.", "Рассказала о наставнике и о наставляемой."),
        ("Помог Ивановой наставник Петров.", "Помог наставляемой наставник."),
        ("Опыт Петрова Ивана Петровича", "Опыт наставника"),
    ],
)
def test_an_anonymized_text_stays_grammatical(written, anonymized):
    """The stand-in takes the case and the gender of the name it replaces (issue 22):
    «наставляемый педагог понравилось» was the old result."""
    mentee = Person(last_name="Иванова", first_name="Анна", patronymic="Сергеевна")
    mentor = Person(last_name="Петров", first_name="Иван", patronymic="Петрович")
    assert anonymize(written, [(mentee, MENTEE), (mentor, MENTOR)]) == anonymized


def test_an_anonymized_case_in_another_institution_never_leaks_here(client, world):
    open_section(world)
    response = client.get(reverse("public:section", args=["ds65"]))
    assert response.status_code == 404


def test_an_approved_practice_appears_only_once_its_program_is_completed(client, world):
    """п. 8.2: results are published after completion — the same approved practice is hidden
    while its program runs and shown once the program is completed."""
    open_section(world)
    mentor = person(world, "Светлова", "Анна", mentor=True)
    mentee = person(world, "Открытова", "Вера")
    dissemination(mentor)
    dissemination(mentee)
    program = pair(world, mentor, mentee, status=Program.Status.ACTIVE)
    practice(world, program, title="Практика ещё идущей программы")
    before = crawl(client, url("section"))
    for address, text in before.items():
        assert "Практика ещё идущей программы" not in text, address

    Program.objects.filter(pk=program.pk).update(
        status=Program.Status.COMPLETED,
        finished_on=timezone.localdate(),
        reason=Program.Reason.PLAN_DONE,
    )

    after = "\n".join(crawl(client, url("section")).values())
    assert "Практика ещё идущей программы" in after


def test_a_name_is_published_only_while_the_consent_allows_the_name(client, world):
    """152-ФЗ ст. 10.1: a consent that allows the position but not «фамилия, имя, отчество»
    keeps the mentor anonymous on every page; a consent allowing the name shows it."""
    open_section(world)
    mentor = person(world, "Скрытникова", "Анна", mentor=True)
    mentee = person(world, "Открытова", "Вера")
    refused_name = dissemination(mentor)
    refused_name.allows_name = False
    refused_name.save()
    dissemination(mentee)
    practice(world, pair(world, mentor, mentee, status=Program.Status.COMPLETED),
             title="Практика наставницы")  # fmt: skip

    pages = crawl(client, url("section"))
    for address, text in pages.items():
        assert "Скрытников" not in text, address
    assert "Практика наставницы" in "\n".join(pages.values())  # the case shows, anonymized

    consent_withdraw(consent=refused_name, withdrawn_on=timezone.localdate(), user=world.curator)
    dissemination(mentor)  # a new consent, the name allowed

    assert "Скрытникова Анна Петровна" in "\n".join(crawl(client, url("section")).values())
