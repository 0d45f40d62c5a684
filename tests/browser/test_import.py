"""The curator loads a staff list from Excel, records a signed consent of one of the new people
and includes her into the mentee bank (п. 3.3; Приложение 2, этап 2)."""

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from registry.models import Consent, MenteeProfile, Person

DATA = Path(__file__).parent.parent / "registry" / "data"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAFF = [
    ("Кузнецова", "Елена", "Петровна", date(1996, 4, 12), "воспитатель", "kuznetsova@example.ru"),
    ("Соколова", "Дарья", "Игоревна", date(1999, 11, 3), "воспитатель", "sokolova@example.ru"),
    ("Морозов", "Илья", "Андреевич", date(1994, 2, 28), "воспитатель", "morozov@example.ru"),
]
PARENTS = "психолого-педагогическое (дети и родители)"
# The first bytes are what the scan check looks at.
SIGNED_SCAN = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def staff_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Фамилия", "Имя", "Отчество", "Дата рождения", "Должность", "E-mail"])
    for row in STAFF:
        sheet.append(row)
    sheet.column_dimensions["D"].number_format = "DD.MM.YYYY"
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


@pytest.mark.browser
def test_curator_imports_staff_then_records_a_consent_and_a_mentee(live_world, page, log_in):
    log_in(live_world.curator)
    page.get_by_role("link", name="Загрузить список сотрудников").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Загрузка списка сотрудников")

    page.get_by_label("Файл со списком сотрудников").set_input_files(
        files=[{"name": "sotrudniki.xlsx", "mimeType": XLSX, "buffer": staff_workbook()}]
    )
    page.get_by_role("button", name="Проверить файл").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Проверка файла «sotrudniki.xlsx»")
    rows = page.locator("table.table-registry tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Кузнецова Елена Петровна")
    expect(rows.nth(0)).to_contain_text("kuznetsova@example.ru")
    expect(rows.filter(has_text="будет загружена")).to_have_count(3)
    assert not Person.objects.filter(last_name="Кузнецова").exists()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Загрузить 3 записи").click()
    expect(page.get_by_role("status")).to_have_text(
        "Загружено 3 сотрудника. Пропущено дубликатов: 0."
    )
    imported = Person.objects.filter(email__endswith="@example.ru")
    assert sorted(imported.values_list("last_name", "position__name")) == [
        ("Кузнецова", "воспитатель"),
        ("Морозов", "воспитатель"),
        ("Соколова", "воспитатель"),
    ]
    assert {p.institution_id for p in imported} == {live_world.institution.pk}

    page.get_by_role("link", name="Кузнецова Е. П.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Кузнецова Елена Петровна")
    expect(page.get_by_text("нет согласия на обработку персональных данных")).to_be_visible()
    page.get_by_role("link", name="Внести согласие").click()
    page.get_by_label("Вид согласия").select_option(
        label="на обработку персональных данных (152-ФЗ, ст. 9)"
    )
    page.get_by_label("Дата согласия").fill("2026-11-20")
    page.get_by_label("на бумаге, с подписью").check()
    page.get_by_label("Скан подписанного согласия").set_input_files(
        files=[{"name": "Кузнецова.pdf", "mimeType": "application/pdf", "buffer": SIGNED_SCAN}]
    )
    page.get_by_role("button", name="Внести согласие").click()
    expect(page.get_by_role("status")).to_contain_text("от 20.11.2026 внесено")
    expect(page.get_by_text("согласие на обработку персональных данных есть")).to_be_visible()

    page.get_by_role("link", name="Включить в банк наставляемых").click()
    expect(page.get_by_label("Дата согласия на обработку персональных данных")).to_have_count(0)
    page.get_by_label("Категория").select_option(label="молодой специалист со стажем до 3 лет")
    page.get_by_label("Направление").first.select_option(label=PARENTS)
    page.get_by_label("Описание").first.fill("Трудно говорить с родителями о конфликтах детей")
    page.get_by_role("button", name="Включить в банк").click()
    expect(page.get_by_role("status")).to_have_text(
        "«Кузнецова Е. П.» включена в банк наставляемых."
    )

    person = imported.get(last_name="Кузнецова")
    consent = Consent.objects.get(person=person)
    assert (consent.kind, consent.given_on, consent.method) == (
        Consent.Kind.PROCESSING,
        date(2026, 11, 20),
        Consent.Method.PAPER,
    )
    assert consent.scan and "Кузнецова" not in consent.scan.name
    profile = MenteeProfile.objects.get(person=person)
    assert profile.difficulties.get().text == "Трудно говорить с родителями о конфликтах детей"


@pytest.mark.browser
def test_curator_loads_a_real_list_after_changing_how_a_column_is_read(live_world, page, log_in):
    """A list with title lines above its header and Cyrillic e-mail addresses: the curator
    takes the e-mail column as «не используется», sees the rows checked again and loads them."""
    log_in(live_world.curator)
    page.get_by_role("link", name="Загрузить список сотрудников").first.click()
    page.get_by_label("Файл со списком сотрудников").set_input_files(
        str(DATA / "staff_title_rows.xlsx")
    )
    page.get_by_role("button", name="Проверить файл").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Проверка файла «staff_title_rows.xlsx»"
    )
    expect(page.get_by_role("heading", name="Исправьте файл и загрузите его снова")).to_be_visible()
    expect(page.get_by_role("cell", name="строка 6 (№ 1)")).to_be_visible()

    page.get_by_label("Столбец H: «Адрес эл. почты»").select_option(label="не используется")
    page.get_by_role("button", name="Проверить строки заново").click()
    expect(page.get_by_role("status")).to_contain_text("Строки проверены заново")
    expect(page.get_by_label("Столбец H: «Адрес эл. почты»")).to_have_value("")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Загрузить 16 записей").click()
    expect(page.get_by_role("status")).to_have_text(
        "Загружено 16 сотрудников. Пропущено дубликатов: 0."
    )
    belova = Person.objects.get(institution=live_world.institution, last_name="Белова")
    assert (belova.first_name, belova.birth_date) == ("Вера", date(1994, 9, 21))
    assert belova.phone == "+7 921 328-86-89"
    assert belova.email == ""
