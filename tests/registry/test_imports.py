"""Import of a staff list from XLSX or CSV (п. 3.3; Приложение 2, этапы 2–3): the file is
checked, the curator sees a preview, and the confirmation writes all new people or none."""

import io
from datetime import date, datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from registry.models import Person, Position, QualificationCategory, StaffImport
from registry.services.imports import staff_import_confirm, staff_import_discard
from tests.download_helpers import download_name

pytestmark = pytest.mark.django_db

HEADER = [
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Должность",
    "Организация",
    "Дата приёма",
    "Стаж общий",
    "Стаж педагогический",
    "Стаж в должности",
    "Образование",
    "Квалификационная категория",
    "Дата аттестации",
    "E-mail",
    "Телефон",
]
UPLOAD_URL = reverse("registry:import-upload")
TEMPLATE_URL = reverse("registry:import-template")


def row(last_name="Ёлкина", first_name="Дарья", **cells):
    values = {
        "Фамилия": last_name,
        "Имя": first_name,
        "Отчество": "Андреевна",
        "Дата рождения": "14.05.2000",
        "Должность": "воспитатель",
        "Организация": "",
        "Дата приёма": "01.09.2025",
        "Стаж общий": "1,5",
        "Стаж педагогический": "1.5",
        "Стаж в должности": "1",
        "Образование": "высшее педагогическое, РГПУ им. А. И. Герцена",
        "Квалификационная категория": "без категории",
        "Дата аттестации": "",
        "E-mail": "",
        "Телефон": "+7 921 000-00-00",
    }
    values.update(cells)
    return [values[title] for title in HEADER]


def xlsx_file(rows, header=HEADER, name="sotrudniki.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    if header:
        sheet.append(header)
    for cells in rows:
        sheet.append([None if cell == "" else cell for cell in cells])
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def csv_file(rows, encoding="utf-8-sig", delimiter=";", header=HEADER, name="sotrudniki.csv"):
    lines = ([header] if header else []) + rows
    text = "\r\n".join(delimiter.join(str(cell) for cell in cells) for cells in lines)
    return SimpleUploadedFile(name, text.encode(encoding))


def upload(client, file):
    return client.post(UPLOAD_URL, {"file": file})


def preview_url(staff_import):
    return reverse("registry:import-preview", args=[staff_import.pk])


def confirm_url(staff_import):
    return reverse("registry:import-confirm", args=[staff_import.pk])


def discard_url(staff_import):
    return reverse("registry:import-discard", args=[staff_import.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_error(response) -> str:
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    return errors[0]


def upload_and_preview(client, file) -> StaffImport:
    response = upload(client, file)
    staff_import = StaffImport.objects.get()
    assert response.status_code == 302
    assert response.url == preview_url(staff_import)
    assert messages_of(response) == [
        f"Файл «{staff_import.filename}» проверен: строк — {len(staff_import.rows)}. "
        "Посмотрите результат и подтвердите загрузку."
    ]
    assert client.get(response.url).status_code == 200  # the preview shows the message
    return staff_import


# Happy path ------------------------------------------------------------------------


def test_curator_uploads_xlsx_sees_preview_and_confirms(world, as_user):
    client = as_user(world.curator)
    rows = [
        row(
            "Ёлкина",
            "Дарья",
            **{
                "Дата рождения": datetime(2000, 5, 14),
                "Дата приёма": datetime(2025, 9, 1),
                "Стаж общий": 5.5,
                "Квалификационная категория": "Первая",
                "Дата аттестации": "20.04.2025",
                "E-mail": "elkina@example.org",
            },
        ),
        row(
            "Кузнецов",
            "Илья",
            **{
                "Отчество": "",
                "Должность": "Преподаватель колледжа",
                "Организация": "педагогический колледж № 4",
                "Дата рождения": "",
                "Дата приёма": "",
                "Образование": "обучается",
                "Квалификационная категория": "",
            },
        ),
    ]
    staff_import = upload_and_preview(client, xlsx_file(rows))
    assert staff_import.status == StaffImport.Status.PREVIEW
    assert staff_import.institution == world.institution
    assert staff_import.uploaded_by == world.curator
    assert staff_import.filename == "sotrudniki.xlsx"
    first = staff_import.rows[0]
    assert first["line"] == 2
    assert first["errors"] == []
    assert first["duplicate"] is False
    assert first["values"]["birth_date"] == "2000-05-14"
    assert first["values"]["position_id"] == Position.objects.get(name="воспитатель").pk
    assert staff_import.rows[1]["values"]["organization_id"] == world.partner.pk
    assert Person.objects.filter(last_name="Ёлкина").count() == 0  # nothing written yet

    response = client.get(preview_url(staff_import))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Загрузить 2 записи" in text
    assert "будет загружена" in text
    assert confirm_url(staff_import) in text

    response = client.post(confirm_url(staff_import))
    assert response.status_code == 302
    assert response.url == reverse("registry:person-list")
    assert messages_of(response) == ["Загружено 2 сотрудника. Пропущено дубликатов: 0."]
    elkina = Person.objects.get(last_name="Ёлкина")
    assert elkina.institution == world.institution
    assert elkina.organization == world.institution
    assert elkina.birth_date == date(2000, 5, 14)
    assert elkina.hired_on == date(2025, 9, 1)
    assert elkina.attestation_date == date(2025, 4, 20)
    assert elkina.experience_total == Decimal("5.5")
    assert elkina.experience_pedagogical == Decimal("1.5")
    assert elkina.qualification_category == QualificationCategory.FIRST
    assert elkina.education_level == "higher_pedagogical"
    assert elkina.education == "РГПУ им. А. И. Герцена"
    assert elkina.email == "elkina@example.org"
    assert elkina.search_name == "елкина дарья андреевна"
    kuznetsov = Person.objects.get(last_name="Кузнецов")
    assert kuznetsov.organization == world.partner
    assert kuznetsov.position.name == "преподаватель колледжа"
    assert kuznetsov.education_level == "student"
    assert kuznetsov.qualification_category == QualificationCategory.NONE
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.CONFIRMED
    assert staff_import.created_count == 2
    assert staff_import.confirmed_at is not None


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("cp1251", ";"), ("utf-8-sig", ";"), ("utf-8-sig", ","), ("utf-8", ",")],
)
def test_csv_in_common_encodings_and_delimiters_is_read(world, as_user, encoding, delimiter):
    client = as_user(world.curator)
    rows = [row("Ёлкина", "Дарья"), row("Жукова", "Ольга", **{"Стаж общий": "12"})]
    if delimiter == ",":
        rows = [[cell.replace(",", "") for cell in cells] for cells in rows]
    staff_import = upload_and_preview(client, csv_file(rows, encoding, delimiter))
    assert [r["errors"] for r in staff_import.rows] == [[], []]
    assert staff_import.rows[0]["source"]["last_name"] == "Ёлкина"

    client.post(confirm_url(staff_import))
    assert set(
        Person.objects.filter(institution=world.institution, hired_on=date(2025, 9, 1)).values_list(
            "last_name", flat=True
        )
    ) == {"Ёлкина", "Жукова"}
    assert Person.objects.get(last_name="Жукова").experience_total == Decimal("12")


def test_headers_tolerate_case_spaces_yo_and_one_full_name_column(world, as_user):
    client = as_user(world.curator)
    header = ["  фио ", "ДАТА  РОЖДЕНИЯ", "должность", "Дата приема", "e-mail", "№ п/п"]
    rows = [["Ёлкина Дарья Андреевна", "14.05.2000", "Воспитатель", "01.09.2025", "", "1"]]
    staff_import = upload_and_preview(client, xlsx_file(rows, header=header))
    values = staff_import.rows[0]["values"]
    assert staff_import.rows[0]["errors"] == []
    assert (values["last_name"], values["first_name"], values["patronymic"]) == (
        "Ёлкина",
        "Дарья",
        "Андреевна",
    )
    assert values["hired_on"] == "2025-09-01"


def test_template_has_header_and_example_and_loads_back(world, as_user):
    client = as_user(world.curator)
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert download_name(response) == "Шаблон списка сотрудников.xlsx"
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet["A2"].value == "Иванова"
    assert sheet["D2"].value == datetime(1995, 3, 14)

    staff_import = upload_and_preview(client, SimpleUploadedFile("shablon.xlsx", response.content))
    assert len(staff_import.rows) == 1
    assert staff_import.rows[0]["errors"] == []
    assert staff_import.rows[0]["values"]["qualification_category"] == "first"


def test_upload_page_explains_columns_and_offers_template(world, as_user):
    response = as_user(world.curator).get(UPLOAD_URL)
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("<h1") == 1
    assert "Скачать шаблон" in text
    assert TEMPLATE_URL in text
    assert "«Квалификационная категория»" in text
    assert "старший воспитатель" in text  # the positions of the reference list
    assert "Педагогический колледж № 4" in text  # the partners
    assert 'data-progress="import-progress"' in text
    assert '<div id="import-progress" hidden>' in text
    assert 'enctype="multipart/form-data"' in text
    assert "style=" not in text


# Row errors -------------------------------------------------------------------------


def test_row_errors_are_shown_in_russian_and_confirm_is_refused(world, as_user):
    client = as_user(world.curator)
    rows = [
        row("Ёлкина", "Дарья"),
        row("Жукова", "Ольга", **{"Дата рождения": "31.02.1990"}),
        row("Зуева", "Анна", **{"Должность": "повар"}),
        row("Климова", "Нина", **{"E-mail": "klimova@"}),
        row("", "Пётр"),
        row("Орлова", "Вера", **{"Организация": "Школа № 1", "Стаж общий": "много"}),
        row("Попова", "Ия", **{"Квалификационная категория": "вторая"}),
    ]
    staff_import = upload_and_preview(client, xlsx_file(rows))
    errors = [r["errors"] for r in staff_import.rows]
    assert errors[0] == []
    assert errors[1] == ["Дата рождения: «31.02.1990» — не дата. Напишите её в виде 24.11.1990."]
    assert "Должность «повар» не найдена в справочнике" in errors[2][0]
    assert errors[3] == ["E-mail «klimova@» написан с ошибкой."]
    assert errors[4] == ["Фамилия: не заполнено, а это обязательно."]
    assert "Стаж общий: «много» — нужно число лет от 0 до 80" in errors[5][0]
    assert "Организация «Школа № 1» не найдена среди партнёров" in errors[5][1]
    assert "Квалификационная категория «вторая» не распознана" in errors[6][0]

    response = client.get(preview_url(staff_import))
    text = response.content.decode()
    assert "Исправьте файл и загрузите его снова" in text
    assert "Загрузить другой файл" in text
    assert "«31.02.1990» — не дата" in text
    assert "table-danger" in text
    assert confirm_url(staff_import) not in text
    assert discard_url(staff_import) in text  # the list with errors can be cancelled
    assert response.context["summary"] == {
        "total": 7,
        "to_create": 1,
        "errors": 6,
        "duplicates": 0,
    }

    response = client.post(confirm_url(staff_import))
    assert response.status_code == 302
    assert response.url == preview_url(staff_import)
    assert messages_of(response) == [
        "В списке есть строки с ошибками. Исправьте файл и загрузите его снова."
    ]
    assert not Person.objects.filter(last_name="Ёлкина").exists()
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.PREVIEW


def test_hired_before_birth_is_a_row_error(world, as_user):
    rows = [row(**{"Дата рождения": "14.05.2000", "Дата приёма": "01.09.1999"})]
    staff_import = upload_and_preview(as_user(world.curator), xlsx_file(rows))
    assert staff_import.rows[0]["errors"] == ["Дата приёма должна быть позже даты рождения."]


# Duplicates -------------------------------------------------------------------------


def test_duplicates_are_reported_and_skipped_not_doubled(world, as_user):
    client = as_user(world.curator)
    world.mentor_person.email = "Petrova@Example.org"
    world.mentor_person.save()
    teacher = world.teacher_person
    teacher.last_name = "Семёнова"
    teacher.save()
    people_before = Person.objects.count()
    rows = [
        row("Ёлкина", "Дарья"),
        # The same person as in the bank: case and «е» for «ё» do not matter.
        row(
            "СЕМЕНОВА",
            teacher.first_name,
            **{
                "Отчество": teacher.patronymic,
                "Дата рождения": teacher.birth_date.strftime("%d.%m.%Y"),
            },
        ),
        row("Новикова", "Ирина", **{"E-mail": "petrova@example.org"}),
        row("ёлкина", "дарья"),
        row("Жукова", "Ольга", **{"E-mail": "zhukova@example.org"}),
        row("Жуков", "Олег", **{"E-mail": "ZHUKOVA@example.org"}),
    ]
    staff_import = upload_and_preview(client, xlsx_file(rows))
    flags = [(r["duplicate"], r["duplicate_reason"]) for r in staff_import.rows]
    assert flags[0] == (False, "")
    assert flags[1] == (True, "уже есть в реестре: Семёнова О. С. (те же ФИО и дата рождения)")
    assert flags[2] == (True, "уже есть в реестре: Петрова М. И. (тот же e-mail)")
    assert flags[3] == (True, "повторяет строку 2 этого файла")
    assert flags[4] == (False, "")
    assert flags[5] == (True, "тот же e-mail, что в строке 6 этого файла")

    response = client.get(preview_url(staff_import))
    text = response.content.decode()
    assert "Загрузить 2 записи" in text
    assert "дубликат — пропускается" in text
    assert "Уже есть в реестре: Петрова М. И. (тот же e-mail)" in text

    response = client.post(confirm_url(staff_import))
    assert messages_of(response) == ["Загружено 2 сотрудника. Пропущено дубликатов: 4."]
    assert Person.objects.count() == people_before + 2
    assert Person.objects.filter(search_name="елкина дарья андреевна").count() == 1
    assert Person.objects.filter(search_name__startswith="семенова").count() == 1


def test_file_of_only_known_people_offers_nothing_to_load(world, as_user):
    client = as_user(world.curator)
    world.mentor_person.email = "petrova@example.org"
    world.mentor_person.save()
    staff_import = upload_and_preview(
        client, xlsx_file([row("Петрова", "Мария", **{"E-mail": "petrova@example.org"})])
    )
    text = client.get(preview_url(staff_import)).content.decode()
    assert "уже есть в реестре — загружать нечего" in text
    assert confirm_url(staff_import) not in text
    assert discard_url(staff_import) in text


def test_people_of_another_institution_are_not_duplicates(world, as_user):
    other = world.other_person
    rows = [
        row(
            other.last_name,
            other.first_name,
            **{
                "Отчество": other.patronymic,
                "Дата рождения": other.birth_date.strftime("%d.%m.%Y"),
            },
        )
    ]
    staff_import = upload_and_preview(as_user(world.curator), xlsx_file(rows))
    assert staff_import.rows[0]["duplicate"] is False


# A malformed file: a message next to the field, nothing written ----------------------


def header_only_xlsx():
    return xlsx_file([])


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (
            lambda: SimpleUploadedFile("sotrudniki.xlsx", b"PK\x03\x04 not really a zip"),
            "Не удалось прочитать файл как таблицу Excel",
        ),
        (
            lambda: SimpleUploadedFile("sotrudniki.csv", b"\x00\x01\x02\xff\xfe" * 40),
            "Файл не похож на таблицу CSV",
        ),
        (lambda: SimpleUploadedFile("sotrudniki.csv", b"   \r\n  "), "Файл пустой"),
        (lambda: SimpleUploadedFile("sotrudniki.csv", b""), "Файл пустой"),
        (header_only_xlsx, "В файле есть только строка заголовков"),
        (
            lambda: xlsx_file([row()], header=None),
            "На листе «Sheet» не найден столбец с фамилиями сотрудников",
        ),
        (
            lambda: xlsx_file([["Ёлкина", "01.09.2025"]], header=["Фамилия", "Дата приёма"]),
            "В файле нет обязательных столбцов: «Имя»",
        ),
        (
            lambda: SimpleUploadedFile("sotrudniki.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100),
            "Не удалось прочитать файл как таблицу Excel 97–2003 (.xls)",
        ),
        (
            lambda: SimpleUploadedFile("sotrudniki.docx", b"PK\x03\x04"),
            "Загрузите файл в формате .xlsx или .xls (Excel) или .csv.",
        ),
        (
            lambda: SimpleUploadedFile("sotrudniki.xlsx", b"\x00\x01\x02 binary junk" * 30),
            "Не удалось прочитать файл как таблицу Excel",
        ),
    ],
)
def test_malformed_file_gets_a_message_and_nothing_is_written(world, as_user, make_file, message):
    people_before = Person.objects.count()
    response = upload(as_user(world.curator), make_file())
    assert message in form_error(response)
    assert "Проверьте форму" in response.content.decode()
    assert StaffImport.objects.count() == 0
    assert Person.objects.count() == people_before


def test_missing_file_is_asked_for(world, as_user):
    response = as_user(world.curator).post(UPLOAD_URL, {})
    assert form_error(response) == "Выберите файл со списком сотрудников."
    assert StaffImport.objects.count() == 0


@override_settings(IMPORT_MAX_BYTES=2048)
def test_oversize_file_is_refused(world, as_user):
    rows = [row(f"Фамилия{n}", "Имя") for n in range(60)]
    file = csv_file(rows)
    assert file.size > 2048
    response = upload(as_user(world.curator), file)
    assert "Файл слишком большой" in form_error(response)
    assert "можно не больше 2 КБ" in form_error(response)
    assert StaffImport.objects.count() == 0


@override_settings(IMPORT_MAX_ROWS=3)
def test_too_many_rows_are_refused(world, as_user):
    client = as_user(world.curator)
    rows = [row(f"Фамилия{n}", "Имя") for n in range(4)]
    response = upload(client, xlsx_file(rows))
    assert form_error(response) == (
        "В файле больше 3 строк. Разделите список на несколько файлов и загрузите их по очереди."
    )
    response = upload(client, csv_file(rows))
    assert "В файле больше 3 строк" in form_error(response)
    assert StaffImport.objects.count() == 0

    upload_and_preview(
        client, xlsx_file(rows[:3] + [[""] * len(HEADER)])
    )  # blank rows do not count


# Confirmation: all or nothing, and only once --------------------------------------


def four_rows_import(client) -> StaffImport:
    rows = [row(f"Фамилия{'абвг'[n]}", "Имя", **{"E-mail": f"p{n}@example.org"}) for n in range(4)]
    return upload_and_preview(client, xlsx_file(rows))


def test_failure_on_third_row_writes_nothing(world, as_user):
    client = as_user(world.curator)
    staff_import = four_rows_import(client)
    people_before = Person.objects.count()
    original = Person.full_clean
    calls = []

    def fail_on_third(self, *args, **kwargs):
        calls.append(self.last_name)
        if len(calls) == 3:
            raise ValidationError({"email": "Участник с таким e-mail уже есть в реестре."})
        return original(self, *args, **kwargs)

    with mock.patch.object(Person, "full_clean", autospec=True, side_effect=fail_on_third):
        response = client.post(confirm_url(staff_import))
    assert len(calls) == 3
    assert response.status_code == 302
    assert response.url == preview_url(staff_import)
    assert messages_of(response) == [
        "Строка 4: Участник с таким e-mail уже есть в реестре. Ничего не загружено: исправьте "
        "файл и загрузите его снова."
    ]
    assert Person.objects.count() == people_before
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.PREVIEW
    assert staff_import.created_count == 0


def test_database_error_on_third_row_rolls_back(world, as_user):
    staff_import = four_rows_import(as_user(world.curator))
    people_before = Person.objects.count()
    original = Person.save
    calls = []

    def fail_on_third(self, *args, **kwargs):
        calls.append(self.last_name)
        if len(calls) == 3:
            raise IntegrityError("simulated")
        return original(self, *args, **kwargs)

    with (
        mock.patch.object(Person, "save", autospec=True, side_effect=fail_on_third),
        pytest.raises(IntegrityError),
    ):
        staff_import_confirm(staff_import=staff_import, user=world.curator)
    assert Person.objects.count() == people_before
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.PREVIEW


def test_second_confirmation_is_refused(world, as_user):
    client = as_user(world.curator)
    staff_import = four_rows_import(client)
    response = client.post(confirm_url(staff_import), follow=True)
    assert response.status_code == 200
    people_after_first = Person.objects.count()

    response = client.post(confirm_url(staff_import))
    assert response.url == preview_url(staff_import)
    assert messages_of(response) == [
        "Этот список уже загружен или отменён: повторно его не загрузить."
    ]
    assert Person.objects.count() == people_after_first
    staff_import.refresh_from_db()
    assert staff_import.created_count == 4

    text = client.get(preview_url(staff_import)).content.decode()
    assert "Этот список уже загружен" in text
    assert confirm_url(staff_import) not in text


def test_confirm_needs_post(world, as_user):
    staff_import = four_rows_import(as_user(world.curator))
    response = as_user(world.curator).get(confirm_url(staff_import))
    assert response.status_code == 405
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.PREVIEW


# Discarding: a checked list is cancelled instead of loaded --------------------------


@pytest.mark.parametrize("role", ["curator", "sysadmin"])
def test_editor_discards_checked_list_and_nothing_is_written(world, as_user, role):
    client = as_user(world.user(role))
    staff_import = four_rows_import(client)
    people_before = Person.objects.count()
    text = client.get(preview_url(staff_import)).content.decode()
    assert discard_url(staff_import) in text
    assert "Отменить загрузку</button>" in text
    assert 'data-confirm="Отменить загрузку файла «sotrudniki.xlsx»?' in text

    response = client.post(discard_url(staff_import))
    assert response.status_code == 302
    assert response.url == UPLOAD_URL
    assert messages_of(response) == [
        "Загрузка файла «sotrudniki.xlsx» отменена, в реестр ничего не записано."
    ]
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.DISCARDED
    assert staff_import.created_count == 0
    assert staff_import.confirmed_at is None
    assert Person.objects.count() == people_before


def test_discarded_list_says_so_and_offers_no_confirmation(world, as_user):
    client = as_user(world.curator)
    staff_import = four_rows_import(client)
    client.post(discard_url(staff_import))
    response = client.get(preview_url(staff_import))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Загрузка этого файла отменена: в реестр из него ничего не записано." in text
    assert "будет загружена" not in text
    # The parsed rows (names, e-mails) are not kept once the list is cancelled.
    staff_import.refresh_from_db()
    assert staff_import.rows == []
    assert confirm_url(staff_import) not in text
    assert discard_url(staff_import) not in text


def test_confirming_a_discarded_list_is_refused(world, as_user):
    client = as_user(world.curator)
    staff_import = four_rows_import(client)
    client.post(discard_url(staff_import), follow=True)  # the page shows the message
    people_before = Person.objects.count()

    response = client.post(confirm_url(staff_import))
    assert response.status_code == 302
    assert response.url == preview_url(staff_import)
    assert messages_of(response) == [
        "Этот список уже загружен или отменён: повторно его не загрузить."
    ]
    assert Person.objects.count() == people_before
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.DISCARDED
    assert staff_import.created_count == 0


def test_discarding_a_loaded_list_is_refused(world, as_user):
    client = as_user(world.curator)
    staff_import = four_rows_import(client)
    client.post(confirm_url(staff_import), follow=True)
    people_after_load = Person.objects.count()

    response = client.post(discard_url(staff_import))
    assert response.status_code == 302
    assert response.url == preview_url(staff_import)
    assert messages_of(response) == ["Этот список уже загружен в реестр: отменить загрузку нельзя."]
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.CONFIRMED
    assert Person.objects.count() == people_after_load
    assert discard_url(staff_import) not in client.get(preview_url(staff_import)).content.decode()


def test_second_discard_is_refused(world, as_user):
    staff_import = four_rows_import(as_user(world.curator))
    staff_import_discard(staff_import=staff_import, user=world.curator)
    with pytest.raises(ValidationError) as error:
        staff_import_discard(staff_import=staff_import, user=world.curator)
    assert error.value.messages == ["Эта загрузка уже отменена."]
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.DISCARDED


def test_discard_needs_post(world, as_user):
    staff_import = four_rows_import(as_user(world.curator))
    response = as_user(world.curator).get(discard_url(staff_import))
    assert response.status_code == 405
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.PREVIEW


# Permissions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("curator", 200),
        ("sysadmin", 200),
        ("council", 403),
        ("head", 403),
        ("mentor", 404),
        ("mentee", 404),
        ("teacher", 404),
    ],
)
def test_who_may_open_upload_and_template(world, as_user, role, status):
    client = as_user(world.user(role))
    assert client.get(UPLOAD_URL).status_code == status
    assert client.get(TEMPLATE_URL).status_code == status


@pytest.mark.parametrize("role", ["council", "mentor", "teacher"])
def test_who_may_not_upload_writes_nothing(world, as_user, role):
    response = upload(as_user(world.user(role)), xlsx_file([row()]))
    assert response.status_code in (403, 404)
    assert StaffImport.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [("council", 403), ("head", 403), ("mentor", 404), ("mentee", 404), ("teacher", 404)],
)
def test_who_may_not_see_confirm_or_discard_an_import(world, as_user, role, status):
    staff_import = four_rows_import(as_user(world.curator))
    client = as_user(world.user(role))
    assert client.get(preview_url(staff_import)).status_code == status
    assert client.post(confirm_url(staff_import)).status_code == status
    assert client.post(discard_url(staff_import)).status_code == status
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.PREVIEW


def test_outsider_does_not_find_another_institutions_import(world, as_user):
    staff_import = four_rows_import(as_user(world.curator))
    people_before = Person.objects.count()
    client = as_user(world.outsider)
    assert client.get(preview_url(staff_import)).status_code == 404
    assert client.post(confirm_url(staff_import)).status_code == 404
    assert client.post(discard_url(staff_import)).status_code == 404
    assert Person.objects.count() == people_before
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.PREVIEW


def test_outsiders_import_goes_to_their_own_institution(world, as_user):
    staff_import = upload_and_preview(as_user(world.outsider), xlsx_file([row()]))
    assert staff_import.institution == world.other_institution
    as_user(world.outsider).post(confirm_url(staff_import))
    assert Person.objects.get(last_name="Ёлкина").institution == world.other_institution


def test_partner_of_another_institution_is_unknown(world, as_user):
    rows = [row(**{"Организация": "Педагогический колледж № 4"})]
    staff_import = upload_and_preview(as_user(world.outsider), xlsx_file(rows))
    assert "не найдена среди партнёров" in staff_import.rows[0]["errors"][0]


@pytest.mark.parametrize(
    "url",
    [
        UPLOAD_URL,
        TEMPLATE_URL,
        reverse("registry:import-preview", args=[1]),
        reverse("registry:import-confirm", args=[1]),
        reverse("registry:import-discard", args=[1]),
    ],
)
def test_anonymous_is_sent_to_login(world, client, url):
    response = client.post(url) if url.endswith(("confirm/", "discard/")) else client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
