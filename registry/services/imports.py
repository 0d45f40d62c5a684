"""Import of a staff list from XLSX, XLS or CSV into the bank (п. 3.3; Приложение 2, этапы 2–3).

Three steps, so nothing reaches the bank unseen: ``staff_upload_read`` reads the file and finds
its table (the upload form turns a malformed file into a message next to the field);
``staff_import_create`` checks every row and keeps the result in a ``StaffImport`` for the
preview, where ``staff_import_remap`` takes another sheet or another meaning of a column and
checks the rows again; ``staff_import_confirm`` creates all new people or none,
``staff_import_discard`` cancels the list instead.
"""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from openpyxl.utils.datetime import from_excel

from mentoring_site.lib.collation import normalize_for_search
from mentoring_site.lib.names import name_error, normalize_name
from mentoring_site.lib.phones import NotARussianPhone, normalize_phone
from mentoring_site.lib.spreadsheets import Book
from registry.models import (
    EducationLevel,
    Organization,
    Person,
    Position,
    QualificationCategory,
    StaffImport,
    StaffImportColumnChoice,
)
from registry.services.staff_files import (
    StaffBook,
    StaffSheet,
    file_error,
    is_blank,
    read_staff_book,
)
from registry.services.staff_headers import (
    COLUMNS,
    FULL_NAME,
    NUMBER,
    StaffTable,
    has_header,
    header_key,
    header_text,
    mapping_problems,
    no_names_error,
    read_table,
)

NOT_IN_PREVIEW = "Этот список уже загружен или отменён: проверить его заново нельзя."
COLUMN_TITLES = {column.key: column.title for column in COLUMNS}
DATE_KEYS = ("birth_date", "hired_on", "attestation_date")
EXPERIENCE_KEYS = ("experience_total", "experience_pedagogical", "experience_in_position")
TEXT_LIMITS = {"last_name": 100, "first_name": 100, "patronymic": 100, "phone": 30}
EDUCATION_LIMIT = 500
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
    # «05.03.1987 г.», «05.03.1987г.», «1987-03-05 00:00:00»: the date before a space or «г».
    text = re.sub(r"\s*г(ода?)?\.?$", "", _text(value)).split(" ")[0]
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
    cells.pop(NUMBER, None)
    if FULL_NAME in cells:
        last, first, patronymic = _split_full_name(cells.pop(FULL_NAME))
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
    if is_blank(cells.get(key)):
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


def _clean_phone(source: dict) -> tuple[dict, list[str]]:
    try:
        return {"phone": normalize_phone(source["phone"])}, []
    except NotARussianPhone:
        return {"phone": source["phone"]}, [
            f"Телефон «{source['phone']}» не похож на российский номер. Напишите его так: "
            "+7 921 123-45-67 или 8 (921) 123-45-67."
        ]


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
        if is_blank(cells.get(key)):
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


def _email_error(email: str) -> str:
    local = email.split("@")[0]
    if re.search("[а-яё]", local, re.IGNORECASE):
        mixed = " (русские буквы смешаны с латинскими)" if re.search("[a-z]", local, re.I) else ""
        return (
            f"E-mail «{email}»: в имени до «@» русские буквы{mixed}; реестр принимает адрес "
            "латиницей. Исправьте адрес в файле или выберите для столбца «не используется»."
        )
    return f"E-mail «{email}» написан с ошибкой."


def _clean_email(source: dict) -> tuple[dict, list[str]]:
    email, errors = source["email"], []
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_email_error(email))
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
        _clean_phone(source),
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


def _row_label(line: int, cells: dict) -> str:
    """How the file names a row: «строка 7 (№ 3)», its «№» when it has one."""
    number = _text(cells.get(NUMBER))
    return f"строка {line} (№ {number})" if number else f"строка {line}"


def _duplicate_reason(values: dict, existing: tuple[dict, dict], seen: tuple[dict, dict]) -> str:
    """Why a row is skipped as a repeat of a person of the bank or of an earlier row, or ""."""
    (existing_names, existing_emails), (seen_names, seen_emails) = existing, seen
    key = _name_key(values)
    email = values["email"].casefold()
    if key in existing_names:
        return f"уже есть в реестре: {existing_names[key]} (те же ФИО и дата рождения)"
    if email and email in existing_emails:
        return f"уже есть в реестре: {existing_emails[email]} (тот же e-mail)"
    if key in seen_names:
        return f"повторяет строку {seen_names[key]} этого файла"
    if email and email in seen_emails:
        return f"тот же e-mail, что в строке {seen_emails[email]} этого файла"
    return ""


def staff_rows_check(*, institution: Organization, table: StaffTable) -> list[dict]:
    """Each row of the table with its cleaned values, its errors and whether it repeats a
    person of the bank or an earlier row of the file (such rows are skipped, not doubled)."""
    refs = _References.load(institution)
    existing = _existing_keys(institution)
    seen_names, seen_emails = {}, {}
    rows = []
    for line, cells in table.rows:
        source, values, errors = _clean_row(cells, refs)
        label = _row_label(line, cells)
        reason = ""
        if not errors:
            reason = _duplicate_reason(values, existing, (seen_names, seen_emails))
            place = label.removeprefix("строка ")  # «7 (№ 3)»: «повторяет строку 7 (№ 3)»
            seen_names.setdefault(_name_key(values), place)
            if values["email"]:
                seen_emails.setdefault(values["email"].casefold(), place)
        rows.append(
            {
                "line": line,
                "label": label,
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


def remembered_columns(institution: Organization) -> dict[str, str]:
    """{header words: field} the institution's curators chose in earlier imports."""
    return dict(
        StaffImportColumnChoice.objects.filter(institution=institution).values_list(
            "header", "field"
        )
    )


def _remember_columns(*, institution: Organization, columns: list[dict]) -> None:
    """Keeps what the curator took each column as, where it differs from the guess; a column
    taken as guessed forgets an earlier choice."""
    for column in columns:
        text = header_text(column["header"])
        if not text:
            continue
        if column["key"] == header_key(column["header"]):
            StaffImportColumnChoice.objects.filter(institution=institution, header=text).delete()
            continue
        choice, _ = StaffImportColumnChoice.objects.get_or_create(
            institution=institution, header=text
        )
        choice.field = column["key"]
        choice.chosen_at = timezone.now()
        choice.full_clean()
        choice.save()


@dataclass(frozen=True)
class StaffUpload:
    """An uploaded file read: its sheets, the one taken and its table."""

    book: StaffBook
    sheet_index: int
    table: StaffTable


def staff_upload_read(*, uploaded, institution: Organization) -> StaffUpload:
    """The file's first sheet that holds a staff list, or the ``ValidationError`` of the first
    sheet when none does (the upload form shows it next to the field). Only the sheets with a
    header that names the people are kept (not, say, the template's sheet of hints)."""
    book = read_staff_book(uploaded)
    remembered = remembered_columns(institution)
    sheets = [sheet for sheet in book.sheets if has_header(sheet, remembered)]
    if not sheets:
        raise file_error(no_names_error(book.sheets[0]))
    book = replace(book, sheets=sheets)
    first_error = None
    for index, sheet in enumerate(book.sheets):
        try:
            table = read_table(filename=book.filename, sheet=sheet, remembered=remembered)
        except ValidationError as error:
            first_error = first_error or error
            continue
        return StaffUpload(book=book, sheet_index=index, table=table)
    raise first_error


def _keep_table(staff_import: StaffImport, table: StaffTable) -> None:
    staff_import.header_line = table.header_line
    staff_import.columns = table.columns
    staff_import.rows = staff_rows_check(institution=staff_import.institution, table=table)


def staff_import_create(*, institution: Organization, user, upload: StaffUpload) -> StaffImport:
    """The checked rows kept for the curator's preview; nothing is written to the bank yet."""
    staff_import = StaffImport(
        institution=institution,
        uploaded_by=user,
        filename=upload.book.filename,
        sheets=[{"name": sheet.name, "lines": sheet.lines} for sheet in upload.book.sheets],
        sheet_index=upload.sheet_index,
        status=StaffImport.Status.PREVIEW,
    )
    _keep_table(staff_import, upload.table)
    staff_import.full_clean()
    staff_import.save()
    return staff_import


def staff_import_sheet(staff_import: StaffImport, index: int) -> StaffSheet:
    sheet = staff_import.sheets[index]
    return StaffSheet(name=sheet["name"], lines=sheet["lines"])


@transaction.atomic
def staff_import_remap(
    *, staff_import: StaffImport, user, sheet_index: int, mapping: list[str] | None
) -> StaffImport:
    """Checks the rows again with another sheet (its header found anew) or with the curator's
    ``mapping`` of the columns, which is remembered for the institution's next lists. A
    ``ValidationError`` in Russian, and nothing changed, when the choice cannot be read."""
    staff_import = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
    if not staff_import.is_preview or not 0 <= sheet_index < len(staff_import.sheets):
        raise ValidationError(NOT_IN_PREVIEW)
    sheet = staff_import_sheet(staff_import, sheet_index)
    if sheet_index != staff_import.sheet_index or mapping is None:
        remembered = remembered_columns(staff_import.institution)
        table = read_table(filename=staff_import.filename, sheet=sheet, remembered=remembered)
    else:
        overall, per_column = mapping_problems(mapping)
        if overall or per_column:
            raise ValidationError(overall or next(iter(per_column.values())))
        table = read_table(
            filename=staff_import.filename,
            sheet=sheet,
            header_line=staff_import.header_line,
            mapping=mapping,
        )
        _remember_columns(institution=staff_import.institution, columns=table.columns)
    staff_import.sheet_index = sheet_index
    _keep_table(staff_import, table)
    staff_import.full_clean()
    staff_import.save(update_fields=["sheet_index", "header_line", "columns", "rows"])
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
            label = row.get("label") or f"строка {row['line']}"
            raise ValidationError(
                f"{label[0].upper()}{label[1:]}: {' '.join(error.messages)} Ничего не загружено: "
                "исправьте файл и загрузите его снова."
            ) from error
        person.save()
        created += 1
    staff_import.status = StaffImport.Status.CONFIRMED
    staff_import.created_count = created
    staff_import.confirmed_at = timezone.now()
    # Its people are in the bank: the file as read is of no more use (152-ФЗ ст. 5 ч. 7).
    _forget_cells(staff_import)
    staff_import.save(update_fields=["status", "created_count", "confirmed_at", *FORGOTTEN])
    return created, summary["duplicates"]


# What a finished import keeps no more: every cell of the file (names, e-mails, phones).
FORGOTTEN = ["counts", "rows", "sheets", "columns"]
# A preview neither loaded nor cancelled for this long is abandoned and deleted whole.
ABANDONED_AFTER = timedelta(days=1)


def _forget_cells(staff_import: StaffImport) -> None:
    """Keeps the counts of the check and empties the rows, the sheets and the columns."""
    staff_import.counts = import_summary(staff_import.rows)
    staff_import.rows, staff_import.sheets, staff_import.columns = [], [], []


def import_counts(staff_import: StaffImport) -> dict:
    """What the check found: from the rows while the list waits, then as kept."""
    if staff_import.is_preview or not staff_import.counts:
        return import_summary(staff_import.rows)
    return staff_import.counts


def staff_imports_purge(*, now: datetime | None = None) -> tuple[int, int]:
    """The daily duty of keeping less (issue 17 item 5; 152-ФЗ ст. 5 ч. 7): previews left
    for ``ABANDONED_AFTER`` are deleted whole; loaded or cancelled lists that still hold
    cells of their file (from before this rule) keep only their counts. Returns (deleted,
    emptied); safe to run again."""
    now = now or timezone.now()
    abandoned = StaffImport.objects.filter(
        status=StaffImport.Status.PREVIEW, uploaded_at__lt=now - ABANDONED_AFTER
    )
    deleted, _ = abandoned.delete()
    finished = StaffImport.objects.exclude(status=StaffImport.Status.PREVIEW).exclude(
        rows=[], sheets=[], columns=[]
    )
    emptied = 0
    for staff_import in finished.iterator():
        _forget_cells(staff_import)
        staff_import.save(update_fields=FORGOTTEN)
        emptied += 1
    return deleted, emptied


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
    _forget_cells(staff_import)
    staff_import.full_clean()
    staff_import.save(update_fields=["status", *FORGOTTEN])
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
