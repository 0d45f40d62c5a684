"""Import of a staff list from XLSX or CSV into the bank (п. 3.3; Приложение 2, этапы 2–3).

Three steps, so nothing reaches the bank unseen: ``read_staff_file`` reads the table (the
upload form turns a malformed file into a message next to the field); ``staff_import_create``
checks every row and keeps the result in a ``StaffImport`` for the preview;
``staff_import_confirm`` creates all new people or none, ``staff_import_discard`` cancels
the list instead.
"""

import csv
import io
import re
import time
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from mentoring_site.lib.collation import normalize_for_search
from mentoring_site.lib.names import name_error, normalize_name
from mentoring_site.lib.spreadsheets import Book, UnsafeArchive, check_archive
from registry.models import (
    EducationLevel,
    Organization,
    Person,
    Position,
    QualificationCategory,
    StaffImport,
)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    example: object = None


COLUMNS = (
    Column("last_name", "Фамилия", True, help="Обязательно.", example="Иванова"),
    Column("first_name", "Имя", True, help="Обязательно.", example="Анна"),
    Column("patronymic", "Отчество", help="Если есть.", example="Сергеевна"),
    Column(
        "birth_date",
        "Дата рождения",
        help="Дата в виде 14.03.1995 или ячейка Excel в формате даты.",
        example=date(1995, 3, 14),
    ),
    Column(
        "position",
        "Должность",
        help="Как в справочнике должностей, например «воспитатель».",
        example="воспитатель",
    ),
    Column(
        "organization",
        "Организация",
        help="Пусто — своё учреждение; для сотрудника организации-партнёра — её краткое "
        "наименование, как в списке партнёров.",
    ),
    Column(
        "hired_on",
        "Дата приёма",
        aliases=("Дата приема на работу",),
        help="Дата приёма на работу, как дата рождения.",
        example=date(2024, 9, 2),
    ),
    Column(
        "experience_total",
        "Стаж общий",
        help="Полных лет, можно с десятыми через запятую или точку: 5,5.",
        example=5.5,
    ),
    Column("experience_pedagogical", "Стаж педагогический", help="Как общий стаж.", example=3),
    Column("experience_in_position", "Стаж в должности", help="Как общий стаж.", example=2),
    Column(
        "education",
        "Образование",
        help="Уровень («высшее педагогическое», «высшее», «среднее профессиональное», "
        "«обучается»), через запятую — учебное заведение и специальность.",
        example="высшее педагогическое, РГПУ им. А. И. Герцена, дошкольное образование",
    ),
    Column(
        "qualification_category",
        "Квалификационная категория",
        aliases=("Категория",),
        help="«первая», «высшая», «соответствие занимаемой должности» или «без категории»; "
        "пусто — без категории.",
        example="первая",
    ),
    Column(
        "attestation_date",
        "Дата аттестации",
        help="Дата последней аттестации.",
        example=date(2025, 4, 22),
    ),
    Column(
        "email",
        "E-mail",
        aliases=("Email", "Электронная почта", "Эл. почта"),
        help="Адрес электронной почты; у каждого сотрудника свой.",
        example="ivanova.as@example.ru",
    ),
    Column("phone", "Телефон", help="Например, +7 921 123-45-67.", example="+7 921 123-45-67"),
)
COLUMN_TITLES = {column.key: column.title for column in COLUMNS}
# Many staff lists keep the name in one column; it is split into surname, name, patronymic.
FULL_NAME_HEADER = "фио"
DATE_KEYS = ("birth_date", "hired_on", "attestation_date")
EXPERIENCE_KEYS = ("experience_total", "experience_pedagogical", "experience_in_position")
TEXT_LIMITS = {"last_name": 100, "first_name": 100, "patronymic": 100, "phone": 30}
EDUCATION_LIMIT = 500
MAX_COLUMNS = 60
MAX_SCANNED_LINES = 100_000
CATEGORY_ALIASES = {
    "": QualificationCategory.NONE,
    "нет": QualificationCategory.NONE,
    "без категории": QualificationCategory.NONE,
    "соответствие": QualificationCategory.CONFORMITY,
    "сзд": QualificationCategory.CONFORMITY,
    "первая категория": QualificationCategory.FIRST,
    "первая квалификационная категория": QualificationCategory.FIRST,
    "высшая категория": QualificationCategory.HIGHEST,
    "высшая квалификационная категория": QualificationCategory.HIGHEST,
}


def normalize(value) -> str:
    """Casefolded text with «ё» as «е» and single spaces: how names and headers compare."""
    return normalize_for_search(str(value or ""))


def _header_index() -> dict[str, str]:
    index = {}
    for column in COLUMNS:
        for title in (column.title, *column.aliases):
            index[normalize(title)] = column.key
    return index


HEADERS = _header_index()


@dataclass(frozen=True)
class StaffTable:
    """The rows of an uploaded file: (line number, {column key: cell value})."""

    filename: str
    rows: list[tuple[int, dict]]


def _file_error(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_file")


def _keep(lines, number: int, cells: tuple) -> bool:
    """Adds a non-empty line; False once the file is longer than any allowed list, so the
    reading stops early (the length check then refuses the file)."""
    if number > MAX_SCANNED_LINES:
        raise _too_many_rows()
    if not all(map(_is_blank, cells)):
        lines.append((number, cells))
    # The header, the allowed rows and one more are enough to judge; a sheet of endless
    # empty but formatted rows is not read to its end.
    return len(lines) <= settings.IMPORT_MAX_ROWS + 1


def _too_slow() -> ValidationError:
    return _file_error(
        f"Файл читается дольше {settings.IMPORT_READ_SECONDS} секунд: в нём, видимо, много "
        "пустых оформленных строк или столбцов. Скопируйте таблицу в новую книгу Excel и "
        "загрузите её."
    )


def _too_many_rows() -> ValidationError:
    return _file_error(
        f"В файле больше {settings.IMPORT_MAX_ROWS} строк. Разделите список на несколько "
        "файлов и загрузите их по очереди."
    )


def _check_archive(content: bytes) -> None:
    """A staff list that would unpack to far more than any real list is refused before it is
    opened (a «zip bomb» would hold a worker for minutes and take gigabytes of memory)."""
    try:
        check_archive(content)
    except UnsafeArchive as error:
        raise _file_error(
            f"Файл не открыт: {error}. Настоящий список сотрудников намного меньше. Сохраните "
            "его заново в Excel или скачайте шаблон и перенесите данные в него."
        ) from error


def _read_xlsx(content: bytes) -> list[tuple[int, tuple]]:
    _check_archive(content)
    deadline = time.monotonic() + settings.IMPORT_READ_SECONDS
    lines = []
    try:
        # Files saved by other programs make openpyxl warn about styles it does not know.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                rows = workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True)
                for number, cells in enumerate(rows, start=1):
                    if not _keep(lines, number, tuple(cells)):
                        break
                    if time.monotonic() > deadline:
                        raise _too_slow()
            finally:
                workbook.close()
    except ValidationError:
        raise
    except Exception as error:  # openpyxl raises many kinds of errors on a damaged file
        raise _file_error(
            "Не удалось прочитать файл как таблицу Excel. Сохраните его в Excel как "
            "«Книга Excel (.xlsx)» или скачайте шаблон и перенесите данные в него."
        ) from error
    return lines


def _decode_csv(content: bytes) -> str:
    if b"\x00" in content:
        raise _file_error(
            "Файл не похож на таблицу CSV. Сохраните список в Excel как «CSV (разделители — "
            "точка с запятой)» или загрузите файл .xlsx."
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1251", errors="replace")


def _read_csv(content: bytes) -> list[tuple[int, tuple]]:
    text = _decode_csv(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        lines = []
        for cells in reader:
            if not _keep(lines, reader.line_num, tuple(cells[:MAX_COLUMNS])):
                break
    except csv.Error as error:
        raise _file_error(
            "Не удалось прочитать файл CSV: в нём нарушена структура строк. Сохраните список "
            "заново в Excel или загрузите файл .xlsx."
        ) from error
    return lines


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _map_header(cells: tuple) -> dict[int, str]:
    """{cell index: column key}; the first column of a title wins."""
    mapping = {}
    for index, cell in enumerate(cells):
        title = normalize(cell).rstrip("*").strip()
        key = HEADERS.get(title) or ("full_name" if title == FULL_NAME_HEADER else None)
        if key and key not in mapping.values():
            mapping[index] = key
    return mapping


def read_staff_file(uploaded) -> StaffTable:
    """The data rows of an uploaded .xlsx or .csv file, or a ``ValidationError`` in plain
    Russian that says what is wrong with the file as a whole."""
    filename = uploaded.name or ""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xls":
        raise _file_error(
            "Старый формат .xls не поддерживается. Откройте файл в Excel и сохраните его как "
            "«Книга Excel (.xlsx)»."
        )
    if suffix not in ("xlsx", "csv"):
        raise _file_error("Загрузите файл в формате .xlsx (Excel) или .csv.")
    limit = settings.IMPORT_MAX_BYTES
    if uploaded.size > limit:
        raise _file_error(
            f"Файл слишком большой: {size_text(uploaded.size)}, можно не больше "
            f"{size_text(limit)}. Разделите список на несколько файлов."
        )
    content = uploaded.read()
    if not content.strip():
        raise _file_error("Файл пустой. Заполните шаблон и загрузите его снова.")
    lines = _read_xlsx(content) if suffix == "xlsx" else _read_csv(content)
    if not lines:
        raise _file_error("В файле нет ни одной заполненной строки.")
    header_line, header_cells = lines[0]
    mapping = _map_header(header_cells)
    has_name = "full_name" in mapping.values() or {"last_name", "first_name"} & set(
        mapping.values()
    )
    if not has_name:
        raise _file_error(
            "В первой строке файла должны быть заголовки столбцов: «Фамилия», «Имя» и другие, "
            "как в шаблоне. Скачайте шаблон и перенесите данные в него."
        )
    present = set(mapping.values())
    if "full_name" not in present:
        missing = [c.title for c in COLUMNS if c.required and c.key not in present]
        if missing:
            raise _file_error(
                "В файле нет обязательных столбцов: "
                + ", ".join(f"«{title}»" for title in missing)
                + ". Добавьте их в первую строку, как в шаблоне."
            )
    data = lines[1:]
    if not data:
        raise _file_error(
            "В файле есть только строка заголовков. Добавьте сотрудников со второй строки."
        )
    if len(data) > settings.IMPORT_MAX_ROWS:
        raise _too_many_rows()
    rows = []
    for number, cells in data:
        values = {key: cells[index] for index, key in mapping.items() if index < len(cells)}
        rows.append((number, values))
    return StaffTable(filename=filename[-255:], rows=rows)


def size_text(size: int) -> str:
    """«2 МБ», «1,5 МБ», «300 КБ»."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} КБ"
    return f"{size / 1024 / 1024:.1f}".replace(".0", "").replace(".", ",") + " МБ"


# Values of one row


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).split())


DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("day", "month", "year")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("year", "month", "day")),
)


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell that lost its format in Excel is a serial number of days.
        if 1 <= value <= 80000:
            return from_excel(value).date()
        raise ValueError
    text = _text(value).split(" ")[0] if _text(value) else ""
    for pattern, order in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            return date(parts["year"], parts["month"], parts["day"])
    raise ValueError


def _experience(value) -> Decimal:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        number = Decimal(_text(value).replace(",", ".").replace(" ", ""))
    if not number.is_finite() or number < 0 or number > 80:
        raise ValueError
    return number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _education(text: str) -> tuple[str, str]:
    """(education level, the rest): «высшее педагогическое, РГПУ» → (higher_pedagogical, РГПУ)."""
    folded = normalize(text)
    for level, label in sorted(EducationLevel.choices, key=lambda c: -len(c[1])):
        if folded == label or folded.startswith(label + ","):
            return level, text[len(label) :].lstrip(" ,;")
    return "", text


def _category(text: str) -> str | None:
    folded = normalize(text)
    for value, label in QualificationCategory.choices:
        if folded == normalize(label):
            return value
    return CATEGORY_ALIASES.get(folded)


@dataclass
class _References:
    institution: Organization
    positions: dict
    organizations: dict

    @classmethod
    def load(cls, institution: Organization) -> "_References":
        positions = {
            normalize(p.name): p
            for p in Position.objects.visible_to(institution).filter(is_active=True)
        }
        organizations = {}
        for organization in Organization.objects.filter(partner_of=institution):
            organizations.setdefault(normalize(organization.short_name), organization)
            organizations.setdefault(normalize(organization.name), organization)
        organizations[normalize(institution.short_name)] = institution
        organizations[normalize(institution.name)] = institution
        return cls(institution, positions, organizations)


def _split_full_name(value) -> tuple[str, str, str]:
    parts = _text(value).split(" ")
    parts += [""] * (3 - len(parts))
    return parts[0], parts[1], " ".join(parts[2:]).strip()


def _with_split_name(cells: dict) -> dict:
    """The row's cells, with a «ФИО» column split into the three name columns it lacks."""
    cells = dict(cells)
    if "full_name" in cells:
        last, first, patronymic = _split_full_name(cells.pop("full_name"))
        cells.setdefault("last_name", last)
        cells.setdefault("first_name", first)
        cells.setdefault("patronymic", patronymic)
    return cells


def _clean_names(source: dict) -> tuple[dict, list[str]]:
    values, errors = {}, []
    for key in ("last_name", "first_name", "patronymic", "phone"):
        values[key] = source[key]
        if len(source[key]) > TEXT_LIMITS[key]:
            errors.append(f"{COLUMN_TITLES[key]}: не длиннее {TEXT_LIMITS[key]} символов.")
    for key in ("last_name", "first_name"):
        if not source[key]:
            errors.append(f"{COLUMN_TITLES[key]}: не заполнено, а это обязательно.")
    for key in ("last_name", "first_name", "patronymic"):
        values[key] = normalize_name(source[key])
        error = name_error(values[key])
        if error:
            errors.append(f"{COLUMN_TITLES[key]}: {error}")
    return values, errors


def _clean_date(key: str, cells: dict, source: dict, today: date) -> tuple[str | None, str]:
    """(the date in ISO form or None, the error or "") of one date column."""
    if _is_blank(cells.get(key)):
        return None, ""
    try:
        parsed = _date(cells[key])
    except (ValueError, OverflowError):
        return None, (
            f"{COLUMN_TITLES[key]}: «{source[key]}» — не дата. Напишите её в виде 24.11.1990."
        )
    latest = today if key == "birth_date" else today + timedelta(days=366)
    if not date(1900, 1, 1) <= parsed <= latest:
        return None, f"{COLUMN_TITLES[key]}: {parsed:%d.%m.%Y} — такой даты быть не может."
    return parsed.isoformat(), ""


def _clean_dates(cells: dict, source: dict) -> tuple[dict, list[str]]:
    today = timezone.localdate()
    values, errors = {}, []
    for key in DATE_KEYS:
        values[key], error = _clean_date(key, cells, source, today)
        if error:
            errors.append(error)
    if values["birth_date"] and values["hired_on"] and values["hired_on"] <= values["birth_date"]:
        errors.append("Дата приёма должна быть позже даты рождения.")
    return values, errors


def _clean_experience(cells: dict, source: dict) -> tuple[dict, list[str]]:
    values, errors = {}, []
    for key in EXPERIENCE_KEYS:
        values[key] = None
        if _is_blank(cells.get(key)):
            continue
        try:
            values[key] = str(_experience(cells[key]))
        except (InvalidOperation, ValueError):
            errors.append(
                f"{COLUMN_TITLES[key]}: «{source[key]}» — нужно число лет от 0 до 80, например 2,5."
            )
    return values, errors


def _clean_position(source: dict, refs: _References) -> tuple[dict, list[str]]:
    if not source["position"]:
        return {"position_id": None}, []
    position = refs.positions.get(normalize(source["position"]))
    if position is None:
        return {"position_id": None}, [
            f"Должность «{source['position']}» не найдена в справочнике. Напишите её "
            "так, как в списке должностей на странице загрузки."
        ]
    return {"position_id": position.pk}, []


def _clean_organization(source: dict, refs: _References) -> tuple[dict, list[str]]:
    if not source["organization"]:
        return {"organization_id": refs.institution.pk}, []
    organization = refs.organizations.get(normalize(source["organization"]))
    if organization is None:
        return {"organization_id": refs.institution.pk}, [
            f"Организация «{source['organization']}» не найдена среди партнёров "
            "учреждения. Оставьте ячейку пустой для своего учреждения или добавьте "
            "партнёра."
        ]
    return {"organization_id": organization.pk}, []


def _clean_education(source: dict) -> tuple[dict, list[str]]:
    level, education = _education(source["education"])
    errors = []
    if len(education) > EDUCATION_LIMIT:
        errors.append(f"Образование: не длиннее {EDUCATION_LIMIT} символов.")
    return {"education_level": level, "education": education}, errors


def _clean_category(source: dict) -> tuple[dict, list[str]]:
    category = _category(source["qualification_category"])
    if category is not None:
        return {"qualification_category": category}, []
    return {"qualification_category": QualificationCategory.NONE.value}, [
        f"Квалификационная категория «{source['qualification_category']}» не распознана. "
        "Напишите «первая», «высшая», «соответствие занимаемой должности» или оставьте "
        "пустой."
    ]


def _clean_email(source: dict) -> tuple[dict, list[str]]:
    email, errors = source["email"], []
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(f"E-mail «{email}» написан с ошибкой.")
        if len(email) > 254:
            errors.append("E-mail: не длиннее 254 символов.")
    return {"email": email}, errors


def _clean_row(cells: dict, refs: _References) -> tuple[dict, dict, list[str]]:
    """(source texts, cleaned values, errors) of one row; the values are JSON-friendly."""
    cells = _with_split_name(cells)
    source = {column.key: _text(cells.get(column.key)) for column in COLUMNS}
    values: dict = {}
    errors: list[str] = []
    for step_values, step_errors in (
        _clean_names(source),
        _clean_dates(cells, source),
        _clean_experience(cells, source),
        _clean_position(source, refs),
        _clean_organization(source, refs),
        _clean_education(source),
        _clean_category(source),
        _clean_email(source),
    ):
        values.update(step_values)
        errors += step_errors
    return source, values, errors


def _name_key(values: dict) -> tuple:
    return (
        normalize(values["last_name"]),
        normalize(values["first_name"]),
        normalize(values["patronymic"]),
        values["birth_date"],
    )


def _existing_keys(institution: Organization) -> tuple[dict, dict]:
    """({name key: short name}, {e-mail: short name}) of the people already in the bank."""
    by_name, by_email = {}, {}
    people = Person.objects.filter(institution=institution).only(
        "last_name", "first_name", "patronymic", "birth_date", "email", "anonymized_on"
    )
    for person in people:
        birth = person.birth_date.isoformat() if person.birth_date else None
        key = (
            normalize(person.last_name),
            normalize(person.first_name),
            normalize(person.patronymic),
            birth,
        )
        by_name.setdefault(key, person.short_name)
        if person.email:
            by_email.setdefault(person.email.casefold(), person.short_name)
    return by_name, by_email


def staff_rows_check(*, institution: Organization, table: StaffTable) -> list[dict]:
    """Each row of the table with its cleaned values, its errors and whether it repeats a
    person of the bank or an earlier row of the file (such rows are skipped, not doubled)."""
    refs = _References.load(institution)
    existing_names, existing_emails = _existing_keys(institution)
    seen_names, seen_emails = {}, {}
    rows = []
    for line, cells in table.rows:
        source, values, errors = _clean_row(cells, refs)
        reason = ""
        if not errors:
            key = _name_key(values)
            email = values["email"].casefold()
            if key in existing_names:
                reason = f"уже есть в реестре: {existing_names[key]} (те же ФИО и дата рождения)"
            elif email and email in existing_emails:
                reason = f"уже есть в реестре: {existing_emails[email]} (тот же e-mail)"
            elif key in seen_names:
                reason = f"повторяет строку {seen_names[key]} этого файла"
            elif email and email in seen_emails:
                reason = f"тот же e-mail, что в строке {seen_emails[email]} этого файла"
            seen_names.setdefault(key, line)
            if email:
                seen_emails.setdefault(email, line)
        rows.append(
            {
                "line": line,
                "name": " ".join(
                    part
                    for part in (source["last_name"], source["first_name"], source["patronymic"])
                    if part
                ),
                "source": source,
                "values": values,
                "errors": errors,
                "duplicate": bool(reason),
                "duplicate_reason": reason,
            }
        )
    return rows


def import_summary(rows: list[dict]) -> dict:
    errors = sum(1 for row in rows if row["errors"])
    duplicates = sum(1 for row in rows if row["duplicate"])
    return {
        "total": len(rows),
        "to_create": len(rows) - errors - duplicates,
        "errors": errors,
        "duplicates": duplicates,
    }


def staff_import_create(*, institution: Organization, user, table: StaffTable) -> StaffImport:
    """The checked rows kept for the curator's preview; nothing is written to the bank yet."""
    staff_import = StaffImport(
        institution=institution,
        uploaded_by=user,
        filename=table.filename,
        rows=staff_rows_check(institution=institution, table=table),
        status=StaffImport.Status.PREVIEW,
    )
    staff_import.full_clean()
    staff_import.save()
    return staff_import


def _person_from_row(row: dict, institution: Organization) -> Person:
    values = row["values"]

    def as_date(key):
        return date.fromisoformat(values[key]) if values[key] else None

    def as_decimal(key):
        return Decimal(values[key]) if values[key] is not None else None

    return Person(
        institution=institution,
        organization_id=values["organization_id"],
        last_name=values["last_name"],
        first_name=values["first_name"],
        patronymic=values["patronymic"],
        birth_date=as_date("birth_date"),
        position_id=values["position_id"],
        hired_on=as_date("hired_on"),
        experience_total=as_decimal("experience_total"),
        experience_pedagogical=as_decimal("experience_pedagogical"),
        experience_in_position=as_decimal("experience_in_position"),
        education_level=values["education_level"],
        education=values["education"],
        qualification_category=values["qualification_category"],
        attestation_date=as_date("attestation_date"),
        email=values["email"],
        phone=values["phone"],
    )


@transaction.atomic
def staff_import_confirm(*, staff_import: StaffImport, user) -> tuple[int, int]:
    """Creates every new person of a checked list, or nobody: (created, duplicates skipped).

    Refused when the list was already loaded or still has rows with errors."""
    staff_import = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
    if staff_import.status != StaffImport.Status.PREVIEW:
        raise ValidationError("Этот список уже загружен или отменён: повторно его не загрузить.")
    summary = import_summary(staff_import.rows)
    if summary["errors"]:
        raise ValidationError(
            "В списке есть строки с ошибками. Исправьте файл и загрузите его снова."
        )
    institution = staff_import.institution
    created = 0
    for row in staff_import.rows:
        if row["duplicate"]:
            continue
        person = _person_from_row(row, institution)
        try:
            person.full_clean()
        except ValidationError as error:
            raise ValidationError(
                f"Строка {row['line']}: {' '.join(error.messages)} Ничего не загружено: "
                "исправьте файл и загрузите его снова."
            ) from error
        person.save()
        created += 1
    staff_import.status = StaffImport.Status.CONFIRMED
    staff_import.created_count = created
    staff_import.confirmed_at = timezone.now()
    staff_import.save(update_fields=["status", "created_count", "confirmed_at"])
    return created, summary["duplicates"]


@transaction.atomic
def staff_import_discard(*, staff_import: StaffImport, user) -> StaffImport:
    """Cancels a checked list that waits for the confirmation; nothing of it reaches the bank.

    Refused once the list is loaded (its people are in the bank) or already cancelled."""
    staff_import = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
    if staff_import.status == StaffImport.Status.CONFIRMED:
        raise ValidationError("Этот список уже загружен в реестр: отменить загрузку нельзя.")
    if staff_import.status == StaffImport.Status.DISCARDED:
        raise ValidationError("Эта загрузка уже отменена.")
    staff_import.status = StaffImport.Status.DISCARDED
    # The parsed rows hold names and e-mails of people who will not enter the bank:
    # nothing of them is kept (152-ФЗ ст. 5 ч. 7, data no longer needed).
    staff_import.rows = []
    staff_import.full_clean()
    staff_import.save(update_fields=["status", "rows"])
    return staff_import


def staff_import_template() -> bytes:
    """The XLSX a curator fills in: the header row, one example row, and a sheet of hints."""
    book = Book()
    sheet = book.sheet("Сотрудники")
    sheet.line([column.title for column in COLUMNS], style="header")
    sheet.line([column.example for column in COLUMNS])
    widths = [max(14, len(column.title) + 4) for column in COLUMNS]
    widths[10] = 45  # the hints of column K are long
    sheet.widths(widths)
    sheet.freeze("A2")
    hints = book.sheet("Как заполнить")
    hints.line(["Столбец", "Что писать"], style="header")
    for column in COLUMNS:
        title = column.title + (" *" if column.required else "")
        hints.line([title, column.help or "Можно оставить пустым."])
    hints.line()
    hints.line(["", "Строка 2 листа «Сотрудники» — пример: замените её своими данными."])
    hints.widths([30, 90])
    return book.bytes()
