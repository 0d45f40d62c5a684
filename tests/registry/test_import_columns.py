"""Staff lists as people keep them (issue 16): the header row under title lines, headers mapped
by meaning, .xls and the HR system's CSV, several sheets, a mapping step the curator corrects
(and the registry remembers), and every bank export loads back without loss."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from registry import exports
from registry.models import (
    Person,
    Position,
    QualificationCategory,
    StaffImport,
    StaffImportColumnChoice,
)
from registry.services.imports import (
    staff_import_confirm,
    staff_import_create,
    staff_upload_read,
)
from registry.services.staff_files import StaffSheet
from registry.services.staff_headers import header_key, mapping_problems, read_table
from registry.views.people import _bank_queryset
from tests.factories import give_consent, make_institution, make_partner, make_person

DATA = Path(__file__).parent / "data"
UPLOAD_URL = reverse("registry:import-upload")


def sample(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DATA / name).read_bytes())


def xlsx(*sheets: tuple[str, list]) -> SimpleUploadedFile:
    book = Workbook()
    for index, (title, lines) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        for line in lines:
            sheet.append(line)
    output = io.BytesIO()
    book.save(output)
    return SimpleUploadedFile("spisok.xlsx", output.getvalue())


def upload(client, file) -> StaffImport:
    response = client.post(UPLOAD_URL, {"file": file})
    assert response.status_code == 302, response.context["form"].errors
    return StaffImport.objects.latest("pk")


def upload_error(client, file) -> str:
    response = client.post(UPLOAD_URL, {"file": file})
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["file"])


def remap_url(staff_import) -> str:
    return reverse("registry:import-remap", args=[staff_import.pk])


def mapping_data(staff_import, **changes) -> dict:
    """The mapping form as shown, with ``column_<i>`` changed."""
    data = {"sheet": staff_import.sheet_index}
    for index, column in enumerate(staff_import.columns):
        data[f"column_{index}"] = column["key"]
    data.update(changes)
    return data


# Headers by meaning ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("ФИО", "full_name"),
        ("Ф.И.О.", "full_name"),
        ("Фамилия Имя Отчество", "full_name"),
        ("Фамилия, имя, отчество", "full_name"),
        ("ФИО сотрудника", "full_name"),
        ("Сотрудник", "full_name"),
        ("Дата рожд.", "birth_date"),
        ("Дата рождения", "birth_date"),
        ("Должность", "position"),
        ("Занимаемая должность", "position"),
        ("Стаж", "experience_total"),
        ("Стаж общий, лет", "experience_total"),
        ("Педагогический стаж, лет", "experience_pedagogical"),
        ("Стаж педагогический, лет", "experience_pedagogical"),
        ("Пед. стаж (лет)", "experience_pedagogical"),
        ("Стаж работы в должности", "experience_in_position"),
        ("Стаж в должности, лет", "experience_in_position"),
        ("Категория", "qualification_category"),
        ("Квалификационная категория", "qualification_category"),
        ("Квалиф. категория", "qualification_category"),
        ("E-mail", "email"),
        ("Эл. почта", "email"),
        ("Электронная почта", "email"),
        ("Адрес эл. почты", "email"),
        ("Телефон", "phone"),
        ("Моб. телефон", "phone"),
        ("Контактный телефон", "phone"),
        ("№", "number"),
        ("№ п/п", "number"),
        ("Ставка", ""),
        ("Категория наставляемого", ""),  # the mentee bank's own column, not the category
        ("Дата актуализации", ""),
        ("", ""),
    ],
)
def test_a_header_is_taken_by_its_meaning(header, key):
    assert header_key(header) == key


def test_a_remembered_choice_wins_over_the_guess():
    assert header_key("Ставка", {"ставка": "experience_total"}) == "experience_total"
    assert header_key("Телефон", {"телефон": ""}) == ""


def lines(*rows):
    return [[number, list(cells)] for number, cells in rows]


def test_the_header_row_is_found_under_title_lines():
    sheet = StaffSheet(
        "Кадры",
        lines(
            (1, ["Сведения о педагогических работниках", None, None]),
            (2, ["на 01.10.2026", None, None]),
            (4, ["№", "Ф.И.О.", "Должность"]),
            (5, [1, "Белова Вера Евгеньевна", "воспитатель"]),
            (7, [None, "Заведующий ________ /Петрова Н. В./", None]),
        ),
    )
    table = read_table(filename="f.xlsx", sheet=sheet)
    assert table.header_line == 4
    assert [column["key"] for column in table.columns] == ["number", "full_name", "position"]
    # the signature line under the table is not a person
    assert table.rows == [
        (5, {"number": 1, "full_name": "Белова Вера Евгеньевна", "position": "воспитатель"})
    ]


def test_a_field_is_not_guessed_for_two_columns():
    sheet = StaffSheet("Л", lines((1, ["ФИО", "Телефон", "Моб. телефон"]), (2, ["А Б В", 1, 2])))
    table = read_table(filename="f.xlsx", sheet=sheet)
    assert [column["key"] for column in table.columns] == ["full_name", "phone", ""]


def test_mapping_problems_name_the_columns():
    overall, per_column = mapping_problems(["full_name", "phone", "phone"])
    assert overall == ""
    assert set(per_column) == {1, 2}
    assert "«Телефон» выбрано для нескольких столбцов (B и C)" in per_column[1]
    overall, per_column = mapping_problems(["", "phone"])
    assert overall.startswith("Не выбран столбец с фамилиями")
    overall, _ = mapping_problems(["last_name", "phone"])
    assert overall == "Выбран столбец «Фамилия», но не выбран столбец «Имя»."


# Bad input: a message next to what caused it, nothing written ---------------------------


def test_a_file_without_names_says_which_headers_it_saw_and_what_it_expects(world, as_user):
    file = xlsx(("Лист1", [["Список"], ["Сотр.", "Должн.", "Тел."], ["Белова В. Е.", "x", "1"]]))
    message = upload_error(as_user(world.curator), file)
    assert "На листе «Лист1» не найден столбец с фамилиями сотрудников" in message
    assert "«Сотр.», «Должн.», «Тел.»" in message
    assert "Нужен столбец «ФИО»" in message
    assert StaffImport.objects.count() == 0


def test_a_sheet_without_rows_is_refused(world, as_user):
    file = xlsx(("Кадры", [["Список педагогов"], [], ["ФИО", "Должность"]]))
    message = upload_error(as_user(world.curator), file)
    assert message == (
        "В файле есть только строка заголовков (строка 3 листа «Кадры»). Добавьте сотрудников "
        "в строки под ней."
    )
    assert StaffImport.objects.count() == 0


def test_two_columns_mapped_to_one_field_are_refused_next_to_them(world, as_user):
    client = as_user(world.curator)
    staff_import = upload(client, sample("staff_hr_export.csv"))
    rows_before = staff_import.rows
    response = client.post(remap_url(staff_import), mapping_data(staff_import, column_3="email"))
    assert response.status_code == 200
    form = response.context["mapping_form"]
    message = "«E-mail» выбрано для нескольких столбцов (D и E)"
    assert message in form.errors["column_3"][0]
    assert message in form.errors["column_4"][0]
    assert message in response.content.decode()
    staff_import.refresh_from_db()
    assert staff_import.rows == rows_before
    assert not StaffImportColumnChoice.objects.exists()


def test_a_mapping_without_names_is_refused(world, as_user):
    client = as_user(world.curator)
    staff_import = upload(client, sample("staff_hr_export.csv"))
    response = client.post(remap_url(staff_import), mapping_data(staff_import, column_0=""))
    assert response.status_code == 200
    assert response.context["mapping_form"].non_field_errors() == [
        "Не выбран столбец с фамилиями: выберите для одного столбца «ФИО одним столбцом» или "
        "«Фамилия» (и «Имя» для другого)."
    ]
    assert not StaffImportColumnChoice.objects.exists()


# The samples ------------------------------------------------------------------------------


def test_the_list_with_title_rows_is_read(world, as_user):
    staff_import = upload(as_user(world.curator), sample("staff_title_rows.xlsx"))
    assert staff_import.header_line == 5
    assert [c["key"] for c in staff_import.columns] == [
        "number",
        "full_name",
        "birth_date",
        "position",
        "experience_pedagogical",
        "qualification_category",
        "phone",
        "email",
    ]
    rows = staff_import.rows
    assert len(rows) == 16  # the signature line under the table is left out
    first = rows[0]
    assert first["label"] == "строка 6 (№ 1)"
    assert first["values"]["last_name"] == "Белова"
    assert first["values"]["patronymic"] == "Евгеньевна"
    assert first["values"]["birth_date"] == "1994-09-21"
    assert first["values"]["phone"] == "+7 921 328-86-89"
    phones = {row["values"]["phone"] for row in rows[2:5]}
    assert phones == {"+7 921 465-58-75", "+7 921 997-92-83", "+7 921 988-24-64"}
    assert rows[3]["values"]["experience_pedagogical"] == "1.0"
    # Cyrillic addresses: named, with the way out
    assert "в имени до «@» русские буквы" in " ".join(rows[1]["errors"])
    assert "смешаны с латинскими" in " ".join(rows[15]["errors"])


def test_the_hr_export_csv_in_cp1251_is_read(world, as_user):
    staff_import = upload(as_user(world.curator), sample("staff_hr_export.csv"))
    assert [(c["header"], c["key"]) for c in staff_import.columns] == [
        ("Сотрудник", "full_name"),
        ("Должность", "position"),
        ("Дата рождения", "birth_date"),
        ("Ставка", ""),
        ("E-mail", "email"),
    ]
    first = staff_import.rows[0]
    assert first["label"] == "строка 2"
    assert (first["values"]["last_name"], first["values"]["birth_date"]) == (
        "Калинина",
        "1971-11-20",
    )
    assert first["errors"] == []


def test_the_old_xls_is_read_and_loaded(world, as_user):
    client = as_user(world.curator)
    staff_import = upload(client, sample("staff_old_format.xls"))
    assert len(staff_import.rows) == 12
    assert [row["errors"] for row in staff_import.rows] == [[]] * 12
    client.post(reverse("registry:import-confirm", args=[staff_import.pk]))
    osipova = Person.objects.get(institution=world.institution, last_name="Осипова")
    assert osipova.birth_date == date(1967, 10, 26)
    assert osipova.qualification_category == QualificationCategory.NONE
    assert Person.objects.get(last_name="Павлова").qualification_category == "first"


def test_merged_titles_dates_with_g_and_several_sheets(world, as_user):
    client = as_user(world.curator)
    response = client.post(UPLOAD_URL, {"file": sample("staff_merged_title.xlsx")})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Файл «staff_merged_title.xlsx» проверен: строк — 3. Посмотрите результат и подтвердите "
        "загрузку. В книге 2 листа с данными: прочитан «Штатные», другой можно выбрать ниже."
    ]
    staff_import = StaffImport.objects.get()
    assert [sheet["name"] for sheet in staff_import.sheets] == ["Штатные", "Совместители"]
    assert staff_import.header_line == 4
    rows = staff_import.rows
    assert [row["label"] for row in rows] == [
        "строка 5 (№ 1)",
        "строка 6 (№ 2)",
        "строка 7 (№ 3)",
    ]
    assert [row["errors"] for row in rows] == [[], [], []]
    assert [row["values"]["birth_date"] for row in rows] == [
        "1987-03-05",
        "1979-11-12",
        "1995-06-30",
    ]
    assert [row["values"]["phone"] for row in rows] == [
        "+7 921 555-12-34",
        "+7 921 555-12-35",
        "+7 921 555-12-36",
    ]
    assert rows[1]["values"]["experience_in_position"] == "12.5"

    text = client.get(reverse("registry:import-preview", args=[staff_import.pk])).content
    assert "Лист книги" in text.decode()
    response = client.post(remap_url(staff_import), {"sheet": 1})
    assert response.status_code == 302
    staff_import.refresh_from_db()
    assert staff_import.sheet_name == "Совместители"
    assert [row["name"] for row in staff_import.rows] == ["Горелова Инна Сергеевна"]
    assert staff_import.rows[0]["values"]["phone"] == "+7 921 555-12-37"


def test_a_csv_with_a_title_line_is_read(world, as_user):
    staff_import = upload(as_user(world.curator), sample("staff_hr_title_line.csv"))
    assert staff_import.header_line == 3
    dyakova, egorov = staff_import.rows
    assert dyakova["errors"] == []
    assert dyakova["values"]["experience_total"] == "20.0"
    assert dyakova["values"]["experience_pedagogical"] == "18.5"
    assert dyakova["values"]["qualification_category"] == "highest"
    assert dyakova["values"]["email"] == "dyakova@example.ru"
    assert dyakova["values"]["phone"] == "+7 921 555-12-38"
    assert egorov["values"]["first_name"] == "Пётр"
    assert egorov["values"]["phone"] == "+7 921 555-12-39"


# The mapping step ---------------------------------------------------------------------------


def test_every_column_is_listed_with_what_it_was_taken_as(world, as_user):
    client = as_user(world.curator)
    staff_import = upload(client, sample("staff_hr_export.csv"))
    text = client.get(reverse("registry:import-preview", args=[staff_import.pk])).content.decode()
    assert "Как прочитаны столбцы файла" in text
    assert "Столбец D: «Ставка»" in text
    assert '<option value="" selected>не используется</option>' in text
    assert '<option value="full_name" selected>ФИО одним столбцом</option>' in text
    assert remap_url(staff_import) in text


def test_changing_a_columns_mapping_changes_the_preview_and_is_remembered(world, as_user):
    client = as_user(world.curator)
    staff_import = upload(client, sample("staff_title_rows.xlsx"))
    assert any(row["errors"] for row in staff_import.rows)  # the Cyrillic addresses
    response = client.post(remap_url(staff_import), mapping_data(staff_import, column_7=""))
    assert response.status_code == 302
    staff_import.refresh_from_db()
    assert staff_import.columns[7]["key"] == ""
    assert all(row["values"]["email"] == "" for row in staff_import.rows)
    assert not any("E-mail" in " ".join(row["errors"]) for row in staff_import.rows)
    choice = StaffImportColumnChoice.objects.get(institution=world.institution)
    assert (choice.header, choice.field) == ("адрес эл почты", "")

    # The institution's next list with that header is read the same way.
    again = upload(client, sample("staff_title_rows.xlsx"))
    assert again.columns[7]["key"] == ""
    # Another institution's list is not.
    other = staff_upload_read(
        uploaded=sample("staff_title_rows.xlsx"), institution=world.other_institution
    )
    assert other.table.columns[7]["key"] == "email"

    # Taking it back as guessed forgets the choice.
    client.post(remap_url(again), mapping_data(again, column_7="email"))
    assert not StaffImportColumnChoice.objects.exists()


def test_an_unused_column_can_be_taken_into_use(world, as_user):
    client = as_user(world.curator)
    staff_import = upload(client, sample("staff_hr_export.csv"))
    client.post(remap_url(staff_import), mapping_data(staff_import, column_3="experience_total"))
    staff_import.refresh_from_db()
    assert staff_import.rows[0]["values"]["experience_total"] == "1.0"


def test_a_loaded_list_is_not_remapped(world, as_user):
    client = as_user(world.curator)
    staff_import = upload(client, sample("staff_old_format.xls"))
    client.post(reverse("registry:import-confirm", args=[staff_import.pk]))
    staff_import.refresh_from_db()
    assert staff_import.sheets == []  # the file's cells are not kept once loaded
    response = client.post(remap_url(staff_import), {"sheet": 0})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "Этот список уже загружен или отменён: проверить его заново нельзя."
    )
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.CONFIRMED


def test_a_header_with_markup_is_shown_as_text(world, as_user):
    client = as_user(world.curator)
    file = xlsx(("Л", [["ФИО", "<script>alert(1)</script>"], ["Белова Вера Евгеньевна", "1"]]))
    staff_import = upload(client, file)
    text = client.get(reverse("registry:import-preview", args=[staff_import.pk])).content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


# Round trip: every bank export loads back into an empty institution -------------------------


def person_facts(person: Person) -> tuple:
    return (
        person.last_name,
        person.first_name,
        person.patronymic,
        person.birth_date,
        person.position.name if person.position else None,
        person.organization.short_name,
        person.hired_on,
        person.experience_total,
        person.experience_pedagogical,
        person.experience_in_position,
        person.education_level,
        person.education,
        person.qualification_category,
        person.attestation_date,
        person.email,
        person.phone,
    )


def bank_file(world, bank: str) -> bytes:
    """The bank's «Скачать Excel», unfiltered, as the curator downloads it."""
    client = Client()
    client.force_login(world.curator)
    response = client.get(reverse("registry:bank-export", args=[bank]))
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("bank", list(exports.BANK_TITLES))
def test_every_bank_export_imports_back_without_loss(world, bank):
    full = make_person(
        world.institution,
        "Ёжикова",
        first_name="Алёна",
        patronymic="Петровна",
        birth_date=date(1987, 3, 5),
        position=Position.objects.get(name="учитель-логопед"),
        hired_on=date(2015, 9, 1),
        experience_total=Decimal("12.5"),
        experience_pedagogical=Decimal("10"),
        experience_in_position=Decimal("7.5"),
        education_level="higher_pedagogical",
        education="РГПУ им. А. И. Герцена, логопедия",
        qualification_category=QualificationCategory.HIGHEST,
        attestation_date=date(2024, 4, 22),
        email="ezhikova@example.org",
        phone="+7 921 123-45-67",
    )
    give_consent(full)
    make_person(world.institution, "Колледжева", organization=world.partner)
    content = bank_file(world, bank)
    exported = list(_bank_queryset(world.institution, bank))
    assert exported  # a bank of nobody would prove nothing

    # The same kindergarten set up anew (a fresh registry, its partners added): the file names
    # the institution and its partner as they are written there.
    empty = make_institution(world.institution.short_name, full_name=world.institution.name)
    make_partner(empty, world.partner.short_name)
    loaded = staff_upload_read(uploaded=SimpleUploadedFile("bank.xlsx", content), institution=empty)
    staff_import = staff_import_create(institution=empty, user=world.curator, upload=loaded)
    assert [row["errors"] for row in staff_import.rows] == [[]] * len(exported)
    created, skipped = staff_import_confirm(staff_import=staff_import, user=world.curator)
    assert (created, skipped) == (len(exported), 0)

    def facts(people):
        return sorted(person_facts(person) for person in people)

    assert facts(Person.objects.filter(institution=empty)) == facts(exported)


def test_an_export_into_an_institution_of_another_name_names_the_organization(world):
    make_person(world.institution, "Колледжева", organization=world.partner)
    content = bank_file(world, "people")
    empty = make_institution("ГБДОУ детский сад № 98")
    loaded = staff_upload_read(uploaded=SimpleUploadedFile("bank.xlsx", content), institution=empty)
    staff_import = staff_import_create(institution=empty, user=world.curator, upload=loaded)
    errors = [" ".join(row["errors"]) for row in staff_import.rows if row["errors"]]
    assert errors and all("не найдена среди партнёров" in error for error in errors)
    with pytest.raises(ValidationError):
        staff_import_confirm(staff_import=staff_import, user=world.curator)
    assert not Person.objects.filter(institution=empty).exists()


def test_a_refused_choice_offers_no_confirmation_until_corrected(world, as_user):
    client = as_user(world.curator)
    staff_import = upload(client, sample("staff_old_format.xls"))
    confirm = reverse("registry:import-confirm", args=[staff_import.pk])
    response = client.post(
        remap_url(staff_import), mapping_data(staff_import, column_4="last_name")
    )
    text = response.content.decode()
    assert "Выбор столбцов не принят" in text
    assert confirm not in text
    assert (
        confirm
        in client.get(reverse("registry:import-preview", args=[staff_import.pk])).content.decode()
    )


def test_another_sheet_without_rows_is_refused_next_to_the_sheet_select(world, as_user):
    client = as_user(world.curator)
    file = xlsx(
        ("Кадры", [["ФИО", "Должность"], ["Белова Вера Евгеньевна", "воспитатель"]]),
        ("Новые", [["ФИО", "Должность"]]),
    )
    staff_import = upload(client, file)
    rows_before = staff_import.rows
    response = client.post(remap_url(staff_import), {"sheet": 1})
    assert response.status_code == 200
    assert response.context["mapping_form"].errors["sheet"] == [
        "В файле есть только строка заголовков (строка 1 листа «Новые»). Добавьте сотрудников "
        "в строки под ней."
    ]
    staff_import.refresh_from_db()
    assert (staff_import.sheet_index, staff_import.rows) == (0, rows_before)


def test_a_cancelled_list_keeps_no_cells_of_the_file(world, as_user):
    client = as_user(world.curator)
    staff_import = upload(client, sample("staff_hr_export.csv"))
    assert staff_import.sheets
    client.post(reverse("registry:import-discard", args=[staff_import.pk]))
    staff_import.refresh_from_db()
    assert (staff_import.rows, staff_import.sheets) == ([], [])


def test_a_name_column_alone_under_a_title_is_a_header_but_a_hint_line_is_not():
    alone = StaffSheet("Л", lines((1, ["Список на 01.09"]), (3, ["ФИО"]), (4, ["Белова В. Е."])))
    assert read_table(filename="f.xlsx", sheet=alone).header_line == 3
    hints = StaffSheet(
        "Как заполнить", lines((1, ["Столбец", "Что писать"]), (2, ["Фамилия *", "Обязательно."]))
    )
    with pytest.raises(ValidationError, match="не найден столбец с фамилиями"):
        read_table(filename="f.xlsx", sheet=hints)


def test_a_last_person_with_only_a_name_is_kept_and_notes_after_a_gap_are_not():
    sheet = StaffSheet(
        "Л",
        lines(
            (1, ["ФИО", "Должность"]),
            (2, ["Белова Вера Евгеньевна", "воспитатель"]),
            (3, ["Кузнецов Илья Петрович", None]),
            (5, ["Список составлен 01.09.2026", None]),
            (6, [None, "Исполнитель: ________"]),
        ),
    )
    table = read_table(filename="f.xlsx", sheet=sheet)
    assert [number for number, _cells in table.rows] == [2, 3]
