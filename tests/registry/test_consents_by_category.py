"""The consent to dissemination as the law writes it (152-ФЗ ст. 10.1; Приказ Роскомнадзора от
24.02.2021 № 18): each category allowed or refused, the conditions and bans, the site's address;
the public section and the name guard read only what is allowed; the yes/no consents recorded
before are migrated to what the registry published under them."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry.models import Consent
from registry.services.consents import consent_form_render, consent_record
from registry.services.name_guard import unconsented_named
from tests.factories import give_consent, make_person
from tests.public.test_pages import (
    PAGE_NAMES,
    material,
    open_section,
    pair,
    practice,
    text_of,
    url,
)
from tests.registry.test_accounts import settings_data
from tests.registry.test_consents import pdf_text

pytestmark = pytest.mark.django_db

EVERY = {"name": True, "position": True, "photo": True, "participation": True}


def record(person, user, **terms):
    return consent_record(
        person=person,
        kind=Consent.Kind.DISSEMINATION,
        given_on=date(2026, 9, 1),
        method=Consent.Method.PAPER,
        scan=None,
        note="",
        user=user,
        **terms,
    )


def test_each_category_is_marked_and_the_site_named(world):
    person = world.teacher_person
    with pytest.raises(ValidationError) as error:
        record(person, world.curator, categories={"name": True})
    assert set(error.value.message_dict) == {
        "allows_position",
        "allows_photo",
        "allows_participation",
        "resource_url",
    }
    with pytest.raises(ValidationError, match="Ни одна категория не разрешена"):
        record(
            person,
            world.curator,
            categories=dict.fromkeys(EVERY, False),
            resource_url="https://ds64.example/nastavnichestvo/ds64/",
        )
    consent = record(
        person,
        world.curator,
        categories={**EVERY, "photo": False, "position": False},
        conditions="Не передавать в социальные сети.",
        resource_url="https://ds64.example/nastavnichestvo/ds64/",
    )
    assert (consent.allows_name, consent.allows_position, consent.allows_photo) == (
        True,
        False,
        False,
    )
    assert consent.conditions == "Не передавать в социальные сети."
    assert list(Consent.objects.disseminating("name")) == [consent]
    assert not Consent.objects.disseminating("name", "photo").exists()


def test_the_curator_marks_the_categories_on_the_form(world, as_user):
    open_section(world)
    client = as_user(world.curator)
    address = reverse("registry:consent-create", args=[world.teacher_person.pk])
    form = client.get(address + "?kind=dissemination").content.decode()
    assert "Только для согласия на распространение" in form
    assert "http://127.0.0.1:8000/nastavnichestvo/ds64/" in form  # the section's address
    data = {
        "kind": "dissemination",
        "given_on": "2026-09-01",
        "method": "paper",
        "note": "",
        "allows_name": "yes",
        "allows_position": "no",
        "allows_photo": "no",
        "resource_url": "https://ds64.example/nastavnichestvo/ds64/",
        "conditions": "Только на сайте детского сада.",
    }
    refused = client.post(address, data).content.decode()
    assert "Отметьте «разрешаю» или «не разрешаю», как в бланке." in refused
    assert not Consent.objects.filter(kind="dissemination").exists()
    response = client.post(address, {**data, "allows_participation": "yes"})
    assert response.status_code == 302
    consent = Consent.objects.get(kind="dissemination")
    assert consent.categories == [
        ("фамилия, имя, отчество", True),
        ("должность", False),
        ("фотографическое изображение (фото)", False),
        ("сведения об участии в программе наставничества и её результатах", True),
    ]
    page = client.get(reverse("registry:person-detail", args=[world.teacher_person.pk]))
    assert "Должность: не разрешаю" in page.content.decode()
    # A consent of another kind keeps no categories, whatever was posted.
    client.post(address, {**data, "kind": "mentoring"})
    assert not Consent.objects.get(kind="mentoring").allows_name


def test_the_public_section_shows_only_the_allowed_categories(client, world):
    """Name allowed, position and photo refused: the curator is named without the position, the
    pair is named, the case's materials (photos among them) are not published."""
    open_section(world, contact_position="старший воспитатель")
    curator = make_person(world.institution, "Кураторова", first_name="Нина")
    curator.user = world.curator
    curator.save()
    give_consent(curator, Consent.Kind.DISSEMINATION, refused=("position", "photo"))
    html = text_of(client, url("curator"))
    assert "Кураторова Нина" in html and "Старший воспитатель" not in html

    mentor = make_person(world.institution, "Светлова", first_name="Дарья")
    mentee = make_person(world.institution, "Открытова", first_name="Ирина")
    for person in (mentor, mentee):
        give_consent(person, Consent.Kind.DISSEMINATION, refused=("photo",))
    case = practice(world, pair(world, mentor, mentee, status="completed"))
    material(case, "фото с занятия.pdf")
    results = text_of(client, url("results"))
    assert "Светлова Дарья" in results and "фото с занятия" not in results

    # The participation refused: the name is not shown with the program either.
    silent = make_person(world.institution, "Тихонова", first_name="Галина")
    give_consent(silent, Consent.Kind.DISSEMINATION, refused=("participation",))
    pair(world, mentee=silent)
    assert "Тихонова" not in text_of(client, url("programs"))


def test_the_name_guard_reads_the_name_category(world):
    person = make_person(world.institution, "Белова", first_name="Анна", patronymic="Ивановна")
    give_consent(person, Consent.Kind.DISSEMINATION, refused=("name",))
    text = "Открытое занятие провела Белова Анна Ивановна."
    assert unconsented_named(text, institution=world.institution) == [person]
    Consent.objects.filter(person=person).update(allows_name=True)
    assert unconsented_named(text, institution=world.institution) == []


def test_the_yes_no_consents_are_migrated_to_what_was_published(world):
    consent = Consent.objects.create(
        person=world.teacher_person, kind=Consent.Kind.DISSEMINATION, given_on=date(2026, 9, 1)
    )
    processing = give_consent(world.teacher_person)
    migration = importlib.import_module(
        "registry.migrations.0027_consents_by_category_subject_requests"
    )
    migration.categories_of_yes_no_consents(apps, None)
    consent.refresh_from_db()
    processing.refresh_from_db()
    assert [allowed for _, allowed in consent.categories] == [True, True, False, True]
    assert not processing.allows_name


def test_the_printed_form_names_the_operator_and_the_site(world, tmp_path):
    open_section(world)
    world.institution.inn = "7801234567"
    world.institution.ogrn = "1027800000000"
    world.institution.save()
    text = pdf_text(
        consent_form_render(person=world.teacher_person, kind=Consent.Kind.DISSEMINATION), tmp_path
    )
    assert "ИНН 7801234567" in text and "ОГРН 1027800000000" in text
    assert "/nastavnichestvo/ds64/" in text
    assert "разрешаю" in text and "не разрешаю" in text


def test_every_public_page_links_the_policy_that_names_the_operator(client, world):
    """152-ФЗ ст. 18.1 ч. 2: the policy is published where the data are collected and shown."""
    open_section(world)
    world.institution.address = "г. Санкт-Петербург, ул. Садовая, д. 1"
    world.institution.inn = "7801234567"
    world.institution.ogrn = "1027800000000"
    world.institution.save()
    policy = url("policy")
    for name in [*PAGE_NAMES, "policy"]:
        assert f'href="{policy}"' in text_of(client, url(name)), name
    html = text_of(client, policy)
    assert f"Оператор — {world.institution.name}, г. Санкт-Петербург" in html
    assert "ИНН 7801234567, ОГРН 1027800000000" in html
    assert "журнал запросов" in html


def test_the_head_types_the_operators_inn_and_ogrn(world, as_user):
    address = reverse("registry:institution-settings")
    data = {**settings_data(), "inn": "78012345", "ogrn": "1027800000000"}
    refused = as_user(world.head).post(address, data)
    assert "ИНН — 10 или 12 цифр." in refused.content.decode()
    as_user(world.head).post(address, {**data, "inn": "7801234567"})
    world.institution.refresh_from_db()
    assert (world.institution.inn, world.institution.ogrn) == ("7801234567", "1027800000000")
