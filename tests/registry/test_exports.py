"""Export of each bank to Excel: what the curator keeps (п. 3.3), read back cell by cell."""

import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from registry.models import Direction, MentoringForm, Organization, Person, Position
from tests.download_helpers import download_name
from tests.factories import give_consent, make_mentee, make_mentor, make_person

pytestmark = pytest.mark.django_db


def export_url(bank):
    return reverse("registry:bank-export", args=[bank])


def read_sheet(response) -> tuple[list, dict]:
    """(header row, {ФИО: {header: value}}) of the first sheet of an XLSX response: the rows
    below the header, which follows the heading lines (the bank's name, its filters)."""
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, cells in enumerate(rows) if cells[0] == "ФИО")
    header = list(rows[start])
    return header, {cells[0]: dict(zip(header, cells, strict=True)) for cells in rows[start + 1 :]}


def heading(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [row[0] for row in sheet.iter_rows(values_only=True, max_row=3) if row[0]]


def test_people_export_holds_every_person_of_the_institution(world, as_user):
    teacher = world.teacher_person
    teacher.hired_on = date(2020, 9, 1)
    teacher.experience_total = Decimal("6.5")
    teacher.education_level = "higher_pedagogical"
    teacher.education = "РГПУ им. А. И. Герцена"
    teacher.qualification_category = "first"
    teacher.email = "smirnova@example.org"
    teacher.last_reviewed_on = date(2026, 9, 15)
    teacher.save()
    partner_person = make_person(world.institution, "Кузнецов", organization=world.partner)

    response = as_user(world.curator).get(export_url("people"))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert re.fullmatch(r"Участники \d{2}\.\d{2}\.\d{4}\.xlsx", download_name(response))
    header, rows = read_sheet(response)
    assert header == [
        "ФИО",
        "Дата рождения",
        "Должность",
        "Организация",
        "Дата приёма",
        "Стаж общий, лет",
        "Стаж педагогический, лет",
        "Стаж в должности, лет",
        "Образование",
        "Квалификационная категория",
        "Дата аттестации",
        "E-mail",
        "Телефон",
        "Согласие на обработку персональных данных",
        "Дата актуализации",
    ]
    assert set(rows) == {
        "Петрова Мария Ивановна",
        "Иванова Анна Сергеевна",
        "Смирнова Ольга Сергеевна",
        partner_person.full_name,
    }
    smirnova = rows["Смирнова Ольга Сергеевна"]
    assert smirnova["Дата рождения"] == datetime.combine(teacher.birth_date, datetime.min.time())
    assert smirnova["Дата приёма"] == datetime(2020, 9, 1)
    assert smirnova["Должность"] == "воспитатель"
    assert smirnova["Организация"] == "ГБДОУ детский сад № 64"
    assert smirnova["Стаж общий, лет"] == 6.5
    assert smirnova["Образование"] == "высшее педагогическое, РГПУ им. А. И. Герцена"
    assert smirnova["Квалификационная категория"] == "первая"
    assert smirnova["E-mail"] == "smirnova@example.org"
    assert smirnova["Согласие на обработку персональных данных"] == "нет"
    assert smirnova["Дата актуализации"] == datetime(2026, 9, 15)
    assert rows["Петрова Мария Ивановна"]["Согласие на обработку персональных данных"] == "есть"
    assert rows[partner_person.full_name]["Организация"] == "Педагогический колледж № 4"


def test_export_header_is_bold_dates_are_excel_dates_and_widths_are_set(world, as_user):
    response = as_user(world.curator).get(export_url("people"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    # The bank's name and its filters above; the header, bold and frozen, on the fourth row.
    assert [sheet["A1"].value, sheet["A2"].value] == ["Участники", "Без отбора: все строки"]
    assert all(cell.font.bold for cell in sheet[4]) and sheet.freeze_panes == "B5"
    assert sheet["B5"].is_date
    assert sheet["B5"].number_format == "DD.MM.YYYY"
    assert sheet.column_dimensions["A"].width == 34


def test_mentor_export_adds_competences_capacity_training_and_forms(world, as_user):
    profile = world.mentor_person.mentor_profile
    profile.capacity = 3
    profile.training_completed_on = date(2026, 6, 30)
    profile.save()
    profile.ready_forms.set(MentoringForm.objects.filter(name="педагог – педагог"))
    profile.competences.create(
        direction=Direction.objects.get(name="ИКТ-компетенции"), text="Презентации, сайты групп"
    )

    response = as_user(world.head).get(export_url("mentors"))
    assert response.status_code == 200
    assert re.fullmatch(r"Банк наставников \d{2}\.\d{2}\.\d{4}\.xlsx", download_name(response))
    header, rows = read_sheet(response)
    assert header[-8:] == [
        "Компетенции по направлениям",
        "Наставляемых одновременно",
        "Занято мест (наставляемых сейчас)",
        "Согласие на наставничество (ТК РФ, ст. 351.8)",
        "Дата согласия на наставничество",
        "Обучение наставников",
        "Готов к формам",
        "Готов к видам",
    ]
    assert set(rows) == {"Петрова Мария Ивановна"}
    petrova = rows["Петрова Мария Ивановна"]
    assert petrova["Компетенции по направлениям"] == (
        "методическое\nИКТ-компетенции: Презентации, сайты групп"
    )
    assert petrova["Наставляемых одновременно"] == 3
    assert petrova["Обучение наставников"] == datetime(2026, 6, 30)
    assert petrova["Готов к формам"] == "педагог – педагог"
    assert petrova["Согласие на обработку персональных данных"] == "есть"


def test_mentee_export_adds_category_status_difficulties_and_strengths(world, as_user):
    profile = world.mentee_person.mentee_profile
    profile.strengths = "Творческий подход к занятиям"
    profile.save()

    response = as_user(world.sysadmin).get(export_url("mentees"))
    assert response.status_code == 200
    header, rows = read_sheet(response)
    assert header[-4:] == [
        "Категория наставляемого",
        "Статус",
        "Затруднения и запросы",
        "Сильные стороны",
    ]
    assert set(rows) == {"Иванова Анна Сергеевна"}
    ivanova = rows["Иванова Анна Сергеевна"]
    assert ivanova["Категория наставляемого"] == "молодой специалист со стажем до 3 лет"
    assert ivanova["Статус"] == "в банке"
    assert ivanova["Затруднения и запросы"] == "методическое: Планирование НОД"
    assert ivanova["Сильные стороны"] == "Творческий подход к занятиям"


def test_outsider_exports_only_their_own_institution(world, as_user):
    _, rows = read_sheet(as_user(world.outsider).get(export_url("people")))
    assert set(rows) == {world.other_person.full_name}


def test_empty_bank_exports_a_header_only(world, as_user):
    Person.objects.filter(institution=world.institution).delete()
    header, rows = read_sheet(as_user(world.curator).get(export_url("mentees")))
    assert header[0] == "ФИО"
    assert rows == {}


def test_the_export_holds_the_lists_rows_under_its_filters_and_search(world, as_user):
    """«Скачать Excel» downloads the list as it is shown: its filters (the query string the
    link carries) and the name search kept in the session, named in the sheet's heading."""
    client = as_user(world.curator)
    partner_person = make_person(world.institution, "Кузнецов", organization=world.partner)
    query = f"?organization={world.partner.pk}"
    shown = client.get(reverse("registry:person-list") + query).content.decode()
    response = client.get(export_url("people") + query)
    _, rows = read_sheet(response)
    assert set(rows) == {partner_person.full_name}
    assert partner_person.short_name in shown and world.teacher_person.short_name not in shown
    assert heading(response) == ["Участники", f"Организация: {world.partner}"]
    assert f'href="{export_url("people")}?organization={world.partner.pk}"' in shown

    client.post(reverse("registry:search"), {"q": "Смирн", "list_name": "people"})
    _, rows = read_sheet(client.get(export_url("people")))
    assert set(rows) == {world.teacher_person.full_name}
    assert heading(client.get(export_url("people")))[1] == "Поиск: «Смирн»"


def test_unknown_bank_is_not_found(world, as_user):
    assert as_user(world.curator).get(export_url("consents")).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("head", 200),
        ("curator", 200),
        ("sysadmin", 200),
        ("council", 403),
        ("mentor", 404),
        ("mentee", 404),
        ("teacher", 404),
    ],
)
@pytest.mark.parametrize("bank", ["people", "mentors", "mentees"])
def test_who_may_export(world, as_user, role, status, bank):
    assert as_user(world.user(role)).get(export_url(bank)).status_code == status


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(export_url("people"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def add_people(institution: Organization, count: int):
    position = Position.objects.get(name="старший воспитатель")
    for _ in range(count):
        person = make_person(institution, position=position)
        give_consent(person)
        make_mentor(make_person(institution))
        make_mentee(make_person(institution))


@pytest.mark.parametrize("bank", ["people", "mentors", "mentees"])
def test_export_queries_do_not_grow_with_rows(world, as_user, bank):
    client = as_user(world.curator)
    client.get(export_url(bank))  # the first request of a session also touches the session
    add_people(world.institution, 5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(export_url(bank)).status_code == 200
    add_people(world.institution, 45)
    with CaptureQueriesContext(connection) as large:
        response = client.get(export_url(bank))
    _, rows = read_sheet(response)
    assert len(rows) >= 50
    assert len(large) == len(small)
