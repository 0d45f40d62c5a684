"""The person's rights under 152-ФЗ: «Все мои данные» (ст. 14), anonymization after the
withdrawal of the processing consent with its act of destruction (ст. 21 ч. 5), the policy
(ст. 18.1 ч. 2) linked from every form that collects personal data."""

import json
import os
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib.sessions import UserSession as Session
from registry.models import (
    Consent,
    DestructionAct,
    Direction,
    GroupMember,
    MentoringForm,
    MentoringGroup,
    Person,
    SelfQuestionnaire,
    User,
)
from registry.services import personal_data as services
from reports import indicators
from reports.models import GrowthRecord
from tests.docx_helpers import docx_download_text
from tests.factories import give_consent, make_mentee, make_person, make_user
from tests.registry.test_consents import pdf_text
from tests.registry.test_group_services import propose

TODAY = date(2026, 12, 2)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _fill(person: Person, n: int = 1):
    """Gives the person n of every kind of record the registry keeps about people."""
    for i in range(n):
        person.mentee_profile.difficulties.create(
            direction=Direction.objects.get(name="методическое"), text=f"Затруднение {i}"
        )
        GrowthRecord.objects.create(
            person=person, kind="course", title=f"Курсы ИКТ {i}", date=date(2026, 10, 1)
        )
        SelfQuestionnaire.objects.create(
            person=person,
            kind=SelfQuestionnaire.Kind.MENTEE_REQUEST,
            answers={"request": f"Хочу научиться {i}"},
            status=SelfQuestionnaire.Status.ACCEPTED,
        )
        group = MentoringGroup.objects.create(
            institution=person.institution,
            status=MentoringGroup.Status.ACTIVE,
            form=MentoringForm.objects.first(),
            planned_start=date(2026, 9, 1),
            planned_end=date(2027, 5, 31),
            curator=User.objects.filter(role_assignments__role="curator").first(),
        )
        GroupMember.objects.create(
            group=group,
            person=person,
            role=GroupMember.Role.MENTEE,
            response_comment=f"Согласна {i}",
        )


def _withdraw(person, on=TODAY - timedelta(days=10)):
    Consent.objects.filter(person=person, kind=Consent.Kind.PROCESSING).update(withdrawn_on=on)


# ---------------------------------------------------------------- ст. 14


def test_the_person_sees_everything_kept_about_them(as_user, world):
    person = world.mentee_person
    person.email = "ivanova@example.org"
    person.save()
    _fill(person)
    response = as_user(world.mentee).get(reverse("registry:my-personal-data"), follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Все мои данные" in text
    for fact in [
        "Иванова",
        "ivanova@example.org",
        "Планирование НОД",
        "Затруднение 0",
        "Курсы ИКТ 0",
        "Хочу научиться 0",
        "Согласна 0",
        "на обработку персональных данных",
        world.institution.name,
        "Кто видит сведения",
        "Ваши права",
        "mentee",  # the login
    ]:
        assert fact in text, fact


def test_the_page_takes_the_same_queries_at_two_sizes(as_user, world):
    person = world.mentee_person
    _fill(person, 1)
    client = as_user(world.mentee)
    url = reverse("registry:person-data", args=[person.pk])
    client.get(url)  # the first request of a session reads more (the session, the user)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _fill(person, 6)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert "Затруднение 5" in response.content.decode()
    assert len(large) == len(small)


def test_the_json_file_holds_the_same_data_as_an_attachment(as_user, world):
    person = world.mentee_person
    _fill(person)
    response = as_user(world.mentee).get(reverse("registry:person-data-json", args=[person.pk]))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Иванова" not in response["Content-Disposition"]  # no personal data in names
    data = json.loads(response.content)
    assert data["operator"] == world.institution.name
    values = [row["value"] for section in data["sections"] for row in section["rows"]]
    assert "Иванова" in values
    assert "Затруднение 0" in values
    titles = [section["title"] for section in data["sections"]]
    assert "Банк наставляемых" in titles and "Согласия" in titles


def test_the_pdf_names_the_person_and_the_law(as_user, world, tmp_path):
    person = world.mentee_person
    response = as_user(world.curator).get(reverse("registry:person-data-pdf", args=[person.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Иванова Анна Сергеевна" in text
    assert "152-ФЗ" in text
    assert "Планирование НОД" in text


def test_the_docx_names_the_person_and_the_law(as_user, world):
    person = world.mentee_person
    address = reverse("registry:person-data-pdf", args=[person.pk]) + "?format=docx"
    response = as_user(world.curator).get(address)
    text = docx_download_text(response, f"Сведения об участнике {person.pk}.docx")
    assert "Сведения об обработке персональных данных" in text
    assert "Субъект персональных данных: Иванова Анна Сергеевна" in text
    assert "152-ФЗ" in text
    assert "Планирование НОД" in text
    assert f"Оператор {world.institution.name}" in text  # the facts list: term and its value


def test_a_mentor_does_not_open_a_mentees_full_data(as_user, world):
    url = reverse("registry:person-data", args=[world.mentee_person.pk])
    assert as_user(world.mentor).get(url).status_code == 404
    assert as_user(world.council).get(url).status_code == 403


def test_the_person_page_links_to_all_data(as_user, world):
    url = reverse("registry:person-detail", args=[world.mentee_person.pk])
    data_url = reverse("registry:person-data", args=[world.mentee_person.pk])
    assert data_url in as_user(world.mentee).get(url).content.decode()
    assert data_url in as_user(world.curator).get(url).content.decode()


# ---------------------------------------------------------------- ст. 21


def test_anonymizing_needs_a_withdrawn_processing_consent(world):
    with pytest.raises(services.PersonalDataError, match="не отозвано"):
        services.person_anonymize(person=world.mentee_person, on=TODAY)
    assert not DestructionAct.objects.exists()


def test_the_daily_command_waits_the_grace_days_then_anonymizes(world):
    person = world.mentee_person
    _withdraw(person, on=TODAY - timedelta(days=services.GRACE_DAYS - 1))
    call_command("anonymize_withdrawn", date=TODAY.isoformat())
    person.refresh_from_db()
    assert person.anonymized_on is None
    call_command("anonymize_withdrawn", date=(TODAY + timedelta(days=1)).isoformat())
    person.refresh_from_db()
    assert person.anonymized_on == TODAY + timedelta(days=1)
    # Run again: nothing more happens.
    call_command("anonymize_withdrawn", date=(TODAY + timedelta(days=2)).isoformat())
    assert DestructionAct.objects.count() == 1


def test_anonymization_leaves_nothing_that_names_the_person(
    world, client, django_capture_on_commit_callbacks
):
    person = world.mentee_person
    person.birth_date = date(1998, 4, 12)
    person.email = "ivanova@example.org"
    person.phone = "+7 900 000-00-00"
    person.education = "РГПУ им. Герцена, дошкольное образование"
    person.save()
    _fill(person, 2)
    scan = Consent.objects.get(person=person, kind=Consent.Kind.PROCESSING)
    scan.scan.save("soglasie.pdf", ContentFile(b"%PDF-1.4 signed"))
    scan_path = scan.scan.path
    client.force_login(world.mentee)
    _withdraw(person)

    with django_capture_on_commit_callbacks(execute=True):
        act = services.person_anonymize(person=person, user=world.curator, on=TODAY)

    person.refresh_from_db()
    assert person.last_name == services.ANONYMIZED_LAST_NAME
    assert "Иванова" not in person.search_name
    assert (person.birth_date, person.email, person.phone, person.education) == (None, "", "", "")
    assert person.user is None
    profile = person.mentee_profile
    assert {d.text for d in profile.difficulties.all()} == {"обезличено"}
    assert not SelfQuestionnaire.objects.filter(person=person).exclude(answers={}).exists()
    assert not GroupMember.objects.filter(person=person).exclude(response_comment="").exists()
    assert set(GrowthRecord.objects.filter(person=person).values_list("title", flat=True)) == {
        "обезличено"
    }
    assert not Consent.objects.filter(person=person).exclude(scan="").exists()
    assert not Consent.objects.filter(person=person, withdrawn_on__isnull=True).exists()
    assert not os.path.exists(scan_path)  # deleted after the commit
    account = User.objects.get(pk=world.mentee.pk)
    assert not account.is_active and not account.has_usable_password()
    assert "mentee" not in account.username and account.email == ""
    assert not account.role_assignments.exists()
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(account.pk) for s in Session.objects.all()
    )
    # The act names whose data, which categories, the system, the reason and the date.
    assert act.subject_name == "Иванова Анна Сергеевна, 12.04.1998 г. р."
    assert "дата рождения" in act.categories
    assert act.reason == DestructionAct.Reason.CONSENT_WITHDRAWN
    assert act.consent_withdrawn_on == TODAY - timedelta(days=10)
    assert act.destroyed_on == TODAY and act.keep_until == date(2029, 12, 2)
    assert act.files_deleted == 1 and act.performed_by == world.curator
    assert act.number == 1


def test_statistics_stay_the_same_after_anonymization(world):
    person = world.mentee_person
    person.hired_on = date(2025, 9, 1)
    person.experience_pedagogical = 1
    person.save()
    _fill(person, 2)
    before = indicators.compute(institution=world.institution, year_start=2026)
    _withdraw(person)
    services.person_anonymize(person=person, on=TODAY)
    after = indicators.compute(institution=world.institution, year_start=2026)
    assert after == before


def test_the_anonymized_person_leaves_open_groups_and_the_curator_is_told(world):
    from registry.models import Notification

    person = world.mentee_person
    _fill(person, 2)
    finished = MentoringGroup.objects.filter(members__person=person).first()
    finished.status = MentoringGroup.Status.COMPLETED
    finished.save()
    member_of_finished = GroupMember.objects.get(group=finished, person=person)
    _withdraw(person)
    services.person_anonymize(person=person, on=TODAY)

    open_group = MentoringGroup.objects.filter(members__person=person).exclude(pk=finished.pk).get()
    assert GroupMember.objects.get(group=open_group, person=person).left_on == TODAY
    assert GroupMember.objects.get(pk=member_of_finished.pk).left_on is None  # history stays
    (note,) = Notification.objects.filter(user=open_group.curator)
    assert f"выбыл из группы № {open_group.pk}" in note.text
    assert "п. 7.1" in note.text and person.last_name not in note.text
    assert note.url == reverse("registry:group-detail", args=[open_group.pk])


def test_a_consent_given_again_stops_the_destruction(world):
    person = world.mentee_person
    _withdraw(person, on=TODAY - timedelta(days=20))
    give_consent(person, on=TODAY - timedelta(days=5))
    assert not services.due_for_anonymization(TODAY).filter(pk=person.pk).exists()


def test_acts_are_kept_three_years_then_deleted(world):
    Consent.objects.filter(person=world.mentee_person).update(given_on=date(2022, 9, 1))
    _withdraw(world.mentee_person, on=date(2023, 1, 2))
    act = services.person_anonymize(person=world.mentee_person, on=date(2023, 1, 10))
    assert act.keep_until == date(2026, 1, 10)
    assert services.purge_expired_acts(date(2026, 1, 10)) == 0
    assert services.purge_expired_acts(date(2026, 1, 11)) == 1


def test_acts_are_numbered_per_institution(world):
    second = make_person(world.institution, "Кузнецова")
    make_mentee(second)
    for person in (world.mentee_person, second):
        _withdraw(person)
    acts = services.anonymize_due(TODAY)
    assert sorted(a.number for a in acts) == [1, 2]


def test_the_curator_anonymizes_now_and_reads_the_act(as_user, world, tmp_path):
    person = world.mentee_person
    _withdraw(person, on=timezone.localdate())
    client = as_user(world.curator)
    page = client.get(reverse("registry:person-data", args=[person.pk])).content.decode()
    assert "Обезличить данные сейчас" in page
    acts_page = client.get(reverse("registry:destruction-act-list")).content.decode()
    assert "Ожидают обезличивания" in acts_page and "Иванова Анна Сергеевна" in acts_page
    response = client.post(reverse("registry:person-anonymize", args=[person.pk]), follow=True)
    text = response.content.decode()
    assert "Составлен акт об уничтожении № 1" in text
    act = DestructionAct.objects.get()
    pdf = client.get(reverse("registry:destruction-act-pdf", args=[act.pk]))
    pdf_words = pdf_text(pdf.content, tmp_path)
    assert "АКТ № 1" in pdf_words and "Иванова Анна Сергеевна" in pdf_words
    assert "отзыв согласия" in pdf_words
    address = reverse("registry:destruction-act-pdf", args=[act.pk]) + "?format=docx"
    words = docx_download_text(
        client.get(address), "Акт об уничтожении персональных данных № 1.docx"
    )
    assert "Акт № 1 об уничтожении персональных данных" in words
    assert "Субъект персональных данных Иванова Анна Сергеевна" in words
    assert "отзыв согласия" in words


def test_anonymizing_twice_is_refused_with_a_message(as_user, world):
    person = world.mentee_person
    _withdraw(person)
    services.person_anonymize(person=person, on=TODAY)
    client = as_user(world.curator)
    response = client.post(reverse("registry:person-anonymize", args=[person.pk]), follow=True)
    assert "уже обезличены" in response.content.decode()
    assert DestructionAct.objects.count() == 1


def test_the_head_reads_the_acts_of_their_institution_only(as_user, world):
    _withdraw(world.mentee_person)
    services.person_anonymize(person=world.mentee_person, on=TODAY)
    assert (
        "Иванова"
        in as_user(world.head).get(reverse("registry:destruction-act-list")).content.decode()
    )
    other = as_user(world.outsider).get(reverse("registry:destruction-act-list"))
    assert "Иванова" not in other.content.decode()


# ---------------------------------------------------------------- what careful users saw (issue 22)


def test_the_data_page_says_in_how_many_days_the_data_are_anonymized(as_user, world):
    _withdraw(world.mentee_person, on=timezone.localdate())
    page = as_user(world.curator).get(
        reverse("registry:person-data", args=[world.mentee_person.pk])
    )
    text = page.content.decode()
    assert f"через {services.GRACE_DAYS} дн. после отзыва" in text
    assert "через  дн." not in text


def test_an_anonymized_person_keeps_the_number_in_lists(as_user, world):
    person = world.mentee_person
    _withdraw(person)
    services.person_anonymize(person=person, on=TODAY)
    person.refresh_from_db()
    assert person.short_name == f"Обезличенный участник № {person.pk}"
    page = as_user(world.curator).get(reverse("registry:person-list")).content.decode()
    assert f"Обезличенный участник № {person.pk}" in page
    assert "Обезличенный участник №." not in page


def test_no_account_is_offered_or_made_for_an_anonymized_person(as_user, world):
    person = world.mentee_person
    _withdraw(person)
    services.person_anonymize(person=person, on=TODAY)
    client = as_user(world.sysadmin)
    create = reverse("registry:user-create", args=[person.pk])

    users = client.get(reverse("registry:user-list")).content.decode()
    assert create not in users
    assert "Обезличенный участник" not in users
    detail = client.get(reverse("registry:person-detail", args=[person.pk])).content.decode()
    assert "Создать учётную запись" not in detail
    response = client.post(create, {"username": "obezlichen", "email": "x@example.org"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user is None
    assert not User.objects.filter(username="obezlichen").exists()


# ---------------------------------------------------------------- ст. 18.1


def test_the_policy_is_public_and_names_the_institution_when_signed_in(client, world):
    text = client.get(reverse("registry:personal-data-policy")).content.decode()
    assert "Политика обработки персональных данных" in text
    assert "30 дней" in text and "Роскомнадзор" in text
    client.force_login(world.curator)
    assert (
        world.institution.name
        in client.get(reverse("registry:personal-data-policy")).content.decode()
    )


PD_FORMS = [
    ("registry:person-create", None, "curator"),
    ("registry:person-update", "person", "curator"),
    ("registry:mentee-profile", "person", "curator"),
    ("registry:mentor-profile", "mentor", "curator"),
    ("registry:consent-create", "person", "curator"),
    ("registry:import-upload", None, "curator"),
    ("registry:user-create", "without_account", "sysadmin"),
]


@pytest.mark.parametrize(("url_name", "target", "role"), PD_FORMS)
def test_every_form_that_collects_personal_data_links_the_policy(
    as_user, world, url_name, target, role
):
    pk = {
        "person": world.mentee_person.pk,
        "mentor": world.mentor_person.pk,
    }.get(target)
    if target == "without_account":
        pk = make_person(world.institution, "Новикова").pk
    url = reverse(url_name, args=[pk] if pk else [])
    response = as_user(getattr(world, role)).get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="pd-notice' in text
    assert reverse("registry:personal-data-policy") in text


def test_the_questionnaire_forms_link_the_policy(as_user, world):
    teacher = make_user(world.institution, "teacher2", person=make_person(world.institution))
    client = as_user(teacher)
    for kind in ("mentee-request", "mentor"):
        url = reverse("registry:questionnaire-fill", args=[kind])
        text = client.get(url).content.decode()
        assert 'class="pd-notice' in text, kind


# Issue 18, item 11: ст. 14 ч. 7 and ст. 21 ч. 5 asserted themselves --------------------------


def test_the_answer_to_a_request_gives_every_fact_of_article_14_part_7(as_user, world, tmp_path):
    """ст. 14 ч. 7: the operator (name and address), the purpose, the legal bases, the ways of
    processing, who receives the data, the terms and the person's rights — in the PDF the
    head, the curator and the sysadmin hand over, as on the person's own page."""
    world.institution.address = "193000, ул. Примерная, д. 1"
    world.institution.save()
    person = world.mentee_person
    facts = [
        f"Оператор {world.institution.name}, 193000, ул. Примерная, д. 1",
        "Цель обработки участие в системе (целевой модели) наставничества",
        "Правовые основания согласие на обработку персональных данных (152-ФЗ, ст. 6 ч. 1 п. 1",
        "Способы обработки смешанная",
        "Кто видит сведения заведующий, куратор наставничества",
        "Сроки на время участия в наставничестве и один год после него",
        "Ваши права получить эти сведения (ст. 14)",
    ]
    for who in ("head", "curator", "sysadmin"):
        response = as_user(world.user(who)).get(
            reverse("registry:person-data-pdf", args=[person.pk])
        )
        assert response.status_code == 200, who
        text = pdf_text(response.content, tmp_path)
        assert "Иванова Анна Сергеевна" in text
        for fact in facts:
            assert fact in text, (who, fact)
    own = as_user(world.mentee).get(reverse("registry:person-data", args=[person.pk]))
    page = " ".join(re.sub(r"<[^>]+>", " ", own.content.decode()).split())
    for fact in facts:
        assert fact in page, fact


def test_a_withdrawn_processing_consent_stops_placing_the_person_in_pairs(world):
    """ст. 21 ч. 5 (ст. 9): after the withdrawal the person is not processed further — she
    cannot be proposed into a new pair or group."""
    _withdraw(world.mentee_person, on=TODAY)

    with pytest.raises(ValidationError) as error:
        propose(world)

    assert (
        "У «Иванова А. С.» нет действующего согласия на обработку персональных данных "
        "(152-ФЗ, ст. 9)."
    ) in error.value.messages


def test_the_withdrawn_persons_data_is_destroyed_within_thirty_days(world):
    """ст. 21 ч. 5: destroyed no later than 30 days after the withdrawal: the daily command
    anonymizes by the grace days, which the settings keep within 30."""
    assert 0 <= services.GRACE_DAYS <= 30
    person = world.mentee_person
    _withdraw(person, on=TODAY - timedelta(days=30))
    call_command("anonymize_withdrawn", date=TODAY.isoformat())
    person.refresh_from_db()
    assert person.anonymized_on == TODAY
    act = DestructionAct.objects.get()
    assert act.institution == world.institution
