"""Growth records (п. 3.4, п. 4.2; Приложение 2, этап 6): the section on a person's page, adding,
changing and deleting a record, carrying an attestation over to the card, the institution's list
with its filters and its Excel copy."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import Program
from registry.models import Direction, GroupMember, MentoringForm, MentoringGroup
from reports.models import GrowthRecord
from tests.download_helpers import download_name
from tests.factories import make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


def person_url(person):
    return reverse("registry:person-detail", args=[person.pk])


def make_program(world, mentor, mentee, status=Program.Status.ACTIVE) -> Program:
    group = MentoringGroup.objects.create(
        institution=world.institution,
        status=MentoringGroup.Status.ACTIVE,
        form=MentoringForm.objects.first(),
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 5, 31),
        curator=world.curator,
    )
    group.directions.set([Direction.objects.get(name="методическое")])
    GroupMember.objects.create(group=group, person=mentor, role=GroupMember.Role.MENTOR)
    GroupMember.objects.create(group=group, person=mentee, role=GroupMember.Role.MENTEE)
    return Program.objects.create(
        group=group, status=status, start=date(2026, 9, 1), end=date(2027, 5, 31)
    )


def record(person, kind=GrowthRecord.Kind.COURSE, on=date(2026, 10, 1), **fields):
    fields.setdefault("title", "Курсы «ФОП ДО», 72 часа")
    return GrowthRecord.objects.create(person=person, kind=kind, date=on, **fields)


def form_data(**fields):
    data = {
        "kind": GrowthRecord.Kind.COURSE,
        "title": "Курсы «ФОП ДО», 72 часа",
        "date": (TODAY - timedelta(days=3)).isoformat(),
        "level": GrowthRecord.Level.CITY,
        "result": "удостоверение",
        "program": "",
    }
    data.update(fields)
    return data


# --- The section on a person's page ------------------------------------------------------------


def test_person_page_lists_growth_with_an_add_link_for_the_curator(world, as_user):
    record(world.mentee_person, title="Открытое занятие «Зимушка»")
    response = as_user(world.curator).get(person_url(world.mentee_person))
    text = response.content.decode()
    assert "Профессиональный рост" in text
    assert "Открытое занятие «Зимушка»" in text
    assert url("growth-create", world.mentee_person.pk) in text
    assert "Добавить достижение" in text


def test_the_head_reads_the_section_without_the_add_link(world, as_user):
    record(world.mentee_person)
    text = as_user(world.head).get(person_url(world.mentee_person)).content.decode()
    assert "Курсы «ФОП ДО», 72 часа" in text
    assert "Добавить достижение" not in text


def test_a_mentee_sees_their_own_growth_read_only_on_my_data(world, as_user):
    """«Мои данные» opens the person's own page: the records, no links to change them."""
    record(world.mentee_person, title="Публикация в сборнике")
    client = as_user(world.mentee)
    response = client.get(reverse("registry:my-data"), follow=True)
    text = response.content.decode()
    assert "Публикация в сборнике" in text
    assert "Добавить достижение" not in text
    assert url("growth-list") not in text


def test_an_empty_section_says_what_to_do(world, as_user):
    text = as_user(world.curator).get(person_url(world.teacher_person)).content.decode()
    assert "Достижений пока нет" in text


# --- Adding, changing, deleting ----------------------------------------------------------------


def test_curator_adds_a_record_linked_to_the_persons_program(world, as_user):
    program = make_program(world, world.mentor_person, world.mentee_person)
    client = as_user(world.curator)
    response = client.post(
        url("growth-create", world.mentee_person.pk), form_data(program=program.pk), follow=True
    )
    saved = GrowthRecord.objects.get()
    assert saved.person == world.mentee_person
    assert saved.program == program
    assert saved.created_by == world.curator
    assert saved.level == GrowthRecord.Level.CITY
    assert "Иванова А. С.: достижение «Курсы «ФОП ДО», 72 часа» добавлено." in (
        response.content.decode()
    )


def test_sysadmin_keeps_the_records_with_the_curator(world, as_user):
    """п. 3.3: the sysadmin keeps the bank together with the curator."""
    response = as_user(world.sysadmin).post(
        url("growth-create", world.teacher_person.pk), form_data()
    )
    assert response.status_code == 302
    assert GrowthRecord.objects.filter(person=world.teacher_person).count() == 1


def test_a_date_in_the_future_is_refused(world, as_user):
    response = as_user(world.curator).post(
        url("growth-create", world.mentee_person.pk),
        form_data(date=(TODAY + timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 200
    assert "Дата не может быть в будущем" in response.content.decode()
    assert not GrowthRecord.objects.exists()


def test_a_program_of_somebody_else_cannot_be_linked(world, as_user):
    other = make_person(world.institution, "Другова")
    program = make_program(world, world.mentor_person, other)
    response = as_user(world.curator).post(
        url("growth-create", world.teacher_person.pk), form_data(program=program.pk)
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not GrowthRecord.objects.exists()


def test_a_person_of_another_institution_is_not_found(world, as_user):
    response = as_user(world.curator).get(url("growth-create", world.other_person.pk))
    assert response.status_code == 404


def test_an_attestation_updates_the_category_in_the_card_when_ticked(world, as_user):
    person = world.mentee_person
    on = TODAY - timedelta(days=10)
    response = as_user(world.curator).post(
        url("growth-create", person.pk),
        form_data(
            kind=GrowthRecord.Kind.ATTESTATION,
            title="Аттестация на первую квалификационную категорию",
            date=on.isoformat(),
            update_card="on",
            category="first",
        ),
        follow=True,
    )
    person.refresh_from_db()
    assert person.qualification_category == "first"
    assert person.attestation_date == on
    assert f"аттестация {on:%d.%m.%Y}" in response.content.decode()


def test_the_card_is_left_alone_without_the_tick(world, as_user):
    person = world.mentee_person
    as_user(world.curator).post(
        url("growth-create", person.pk),
        form_data(kind=GrowthRecord.Kind.ATTESTATION, title="Аттестация", category="highest"),
    )
    person.refresh_from_db()
    assert person.qualification_category == "none"
    assert person.attestation_date is None
    assert GrowthRecord.objects.count() == 1


def test_the_tick_needs_an_attestation_and_a_category(world, as_user):
    client = as_user(world.curator)
    response = client.post(
        url("growth-create", world.mentee_person.pk), form_data(update_card="on", category="first")
    )
    assert "Категорию в карточке обновляет только запись об аттестации" in (
        response.content.decode()
    )
    response = client.post(
        url("growth-create", world.mentee_person.pk),
        form_data(kind=GrowthRecord.Kind.ATTESTATION, update_card="on"),
    )
    assert "Выберите категорию, которую присвоили" in response.content.decode()
    assert not GrowthRecord.objects.exists()


def test_an_older_attestation_does_not_overwrite_a_later_one_in_the_card(world, as_user):
    person = world.mentee_person
    person.qualification_category = "highest"
    person.attestation_date = TODAY - timedelta(days=5)
    person.save()
    response = as_user(world.curator).post(
        url("growth-create", person.pk),
        form_data(
            kind=GrowthRecord.Kind.ATTESTATION,
            date=(TODAY - timedelta(days=400)).isoformat(),
            update_card="on",
            category="first",
        ),
    )
    assert "более поздняя аттестация" in response.content.decode()
    person.refresh_from_db()
    assert person.qualification_category == "highest"
    assert not GrowthRecord.objects.exists()  # the whole save was rolled back


def test_curator_changes_a_record(world, as_user):
    item = record(world.mentee_person)
    response = as_user(world.curator).post(
        url("growth-update", item.pk), form_data(title="Курсы «ИКТ», 36 часов", level="")
    )
    assert response.status_code == 302, response.context["form"].errors
    item.refresh_from_db()
    assert item.title == "Курсы «ИКТ», 36 часов"
    assert item.level == ""


def test_the_council_reads_but_cannot_change(world, as_user):
    item = record(world.mentee_person)
    client = as_user(world.council)
    assert client.get(url("growth-list")).status_code == 200
    assert client.post(url("growth-update", item.pk), form_data()).status_code == 403
    assert client.post(url("growth-delete", item.pk)).status_code == 403


def test_delete_asks_first_then_deletes(world, as_user):
    item = record(world.mentee_person, title="Конкурс «Педагогический дебют»")
    client = as_user(world.curator)
    page = client.get(url("growth-delete", item.pk)).content.decode()
    assert "Удалить достижение?" in page
    assert "Конкурс «Педагогический дебют»" in page
    assert GrowthRecord.objects.filter(pk=item.pk).exists()
    response = client.post(url("growth-delete", item.pk), follow=True)
    assert not GrowthRecord.objects.filter(pk=item.pk).exists()
    assert "Достижение «Конкурс «Педагогический дебют»» удалено" in response.content.decode()


# --- The list ----------------------------------------------------------------------------------


def test_list_filters_by_kind_year_and_level(world, as_user):
    record(world.mentee_person, title="Курсы прошлого года", on=date(2025, 10, 1))
    record(world.mentee_person, title="Курсы этого года", on=date(2026, 10, 1))
    record(
        world.mentor_person,
        kind=GrowthRecord.Kind.CONTEST,
        title="Воспитатель года",
        on=date(2026, 11, 1),
        level=GrowthRecord.Level.DISTRICT,
    )
    record(world.other_person, title="Чужие курсы")
    client = as_user(world.head)

    def titles(**query):
        return {r.title for r in client.get(url("growth-list"), query).context["records"]}

    assert titles() == {"Курсы прошлого года", "Курсы этого года", "Воспитатель года"}
    assert titles(kind="contest") == {"Воспитатель года"}
    assert titles(year=2026, kind="course") == {"Курсы этого года"}
    assert titles(level="district") == {"Воспитатель года"}
    assert titles(level="federal") == set()
    response = client.get(url("growth-list"), {"level": "federal"})
    assert "Достижений с такими условиями нет" in response.content.decode()


def test_an_empty_list_tells_where_to_add(world, as_user):
    text = as_user(world.curator).get(url("growth-list")).content.decode()
    assert "Достижений пока нет" in text
    assert "<h1" in text and text.count("<h1") == 1


def test_list_queries_do_not_grow_with_the_records(world, as_user):
    client = as_user(world.curator)

    def count():
        client.get(url("growth-list"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("growth-list"))
        assert response.status_code == 200
        return len(queries)

    program = make_program(world, world.mentor_person, world.mentee_person)
    record(world.mentee_person, program=program)
    small = count()
    for i in range(6):
        person = make_person(world.institution, f"Новая{i}")
        other_program = make_program(world, world.mentor_person, person)
        record(person, program=other_program, level=GrowthRecord.Level.CITY)
        record(person, kind=GrowthRecord.Kind.PUBLICATION)
    assert count() == small


def test_export_is_the_filtered_list_in_excel(world, as_user):
    from openpyxl import load_workbook

    program = make_program(world, world.mentor_person, world.mentee_person)
    record(world.mentee_person, title="Курсы «ФОП ДО»", program=program, result="72 часа")
    record(world.mentor_person, kind=GrowthRecord.Kind.CONTEST, title="Воспитатель года")
    record(world.other_person, title="Чужие курсы")
    response = as_user(world.curator).get(url("growth-export"), {"kind": "course"})
    assert download_name(response).startswith("Профессиональный рост ")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Участник", "Должность", "Вид", "Название")
    assert len(rows) == 2
    assert rows[1][0] == "Иванова Анна Сергеевна"
    assert rows[1][3] == "Курсы «ФОП ДО»"
    assert rows[1][4].date() == date(2026, 10, 1)
    assert rows[1][6] == "72 часа"
    assert "Петрова М. И." in rows[1][7]
