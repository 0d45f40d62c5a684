"""The columns of a staff list: which header means which field of a person, and where the
header row is.

Real lists are not the template: they open with a title, a date line and empty lines, and name
their columns in many ways («ФИО», «Ф.И.О.», «Фамилия, имя, отчество», «Сотрудник»; «Пед. стаж
(лет)»; «Эл. почта»). A header is compared by its meaning (``header_key``): its words, without
case, «ё», dots and punctuation. The header row is the one of the first lines that names the
people and the most other columns. What a curator chose for a header in the mapping step is
remembered for the institution and wins over the guess.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from openpyxl.utils import get_column_letter

from mentoring_site.lib.collation import normalize_for_search
from registry.services.staff_files import (
    HEADER_SCAN_LINES,
    StaffSheet,
    file_error,
    is_blank,
    too_many_rows,
)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    required: bool = False
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
        help="Адрес электронной почты; у каждого сотрудника свой.",
        example="ivanova.as@example.ru",
    ),
    Column("phone", "Телефон", help="Например, +7 921 123-45-67.", example="+7 921 123-45-67"),
)
NUMBER = "number"
FULL_NAME = "full_name"
# What a column of the file may be taken as, in the order of the mapping step's select.
FIELD_TITLES = {
    NUMBER: "№ по порядку",
    FULL_NAME: "ФИО одним столбцом",
    **{column.key: column.title for column in COLUMNS},
}
NOT_USED = "не используется"

# The meaning of a header, tried in order on its words (``header_text``); the first that
# matches wins, so «Стаж работы в должности» is the experience in the position, not the position.
HEADER_PATTERNS = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        (NUMBER, r"^(№|n|номер)( п ?п)?$|^п ?п$|^№ по порядку$"),
        (
            FULL_NAME,
            r"^(фио|фамилия имя отчество|фамилия имя и отчество)( \w+)?$"
            r"|^(сотрудник|работник|педагог|педагогический работник)$",
        ),
        ("last_name", r"^фамилия$"),
        ("first_name", r"^имя$"),
        ("patronymic", r"^отчество$"),
        ("birth_date", r"^дата рожд"),
        ("hired_on", r"^дата (приема|поступления)"),
        ("attestation_date", r"^дата (последней )?аттестации"),
        ("experience_pedagogical", r"^стаж\b.*\bпед|^пед\w* стаж"),
        ("experience_in_position", r"^стаж\b.*\bв (занимаемой )?должности"),
        ("experience_total", r"^(общий )?стаж"),
        ("qualification_category", r"^(квалиф\w* )?категория$"),
        ("position", r"^(занимаемая )?должность$"),
        ("organization", r"^(организация|место работы)$"),
        ("education", r"^образование"),
        ("email", r"^(адрес )?(email|e mail|эл почт\w*|электронн\w* почт\w*)$"),
        ("phone", r"^(моб\w* |контактный |сотовый )?(телефон|тел)\b"),
    )
)
NAME_KEYS = (FULL_NAME, "last_name")


def header_text(value) -> str:
    """A header's words: casefolded, «ё» as «е», without dots and punctuation («Ф.И.О.» →
    «фио», «Пед. стаж (лет)» → «пед стаж лет», «E-mail» → «email»)."""
    text = normalize_for_search(str(value or "")).replace(".", "").replace("-", "")
    return " ".join(re.sub(r"[^\w№]+", " ", text).split())[:200]


def header_key(value, remembered: dict | None = None) -> str:
    """The field a header means, "" for a column of no use; a curator's earlier choice for the
    same header (``remembered``: {header text: field}) wins."""
    text = header_text(value)
    if not text:
        return ""
    if remembered and text in remembered:
        return remembered[text]
    return next((key for key, pattern in HEADER_PATTERNS if pattern.search(text)), "")


def guess_mapping(cells: list, remembered: dict | None = None) -> list[str]:
    """The field of each cell of a header row; a field taken by an earlier column is not
    given to a second one."""
    mapping, taken = [], set()
    for cell in cells:
        key = header_key(cell, remembered)
        if key in taken:
            key = ""
        taken.add(key)
        mapping.append(key)
    return mapping


def has_names(keys) -> bool:
    return any(key in NAME_KEYS for key in keys)


@dataclass(frozen=True)
class StaffTable:
    """One sheet read as a table: its header, its columns (letter, header, field) and its rows
    (line number, {field: cell})."""

    filename: str
    sheet_name: str
    header_line: int
    columns: list[dict]
    rows: list[tuple[int, dict]]


def _width(lines: list) -> int:
    last = 0
    for _number, cells in lines:
        filled = [index for index, cell in enumerate(cells) if not is_blank(cell)]
        last = max(last, filled[-1] + 1 if filled else 0)
    return last


def _header_cell_text(cells: list, index: int) -> str:
    value = cells[index] if index < len(cells) else None
    return " ".join(str(value).split()) if not is_blank(value) else ""


def _find_header(lines: list, remembered: dict | None) -> int | None:
    """The position (in ``lines``) of the header row: of the first filled lines, the one that
    names the people and the most other columns; None when none names them. A line whose only
    known header is the name counts when it is the first line or has no other text (a sheet of
    hints with a line «Фамилия | Обязательно.» under its own header is no list)."""
    best, best_score = None, 0
    for position, (_number, cells) in enumerate(lines[:HEADER_SCAN_LINES]):
        keys = guess_mapping(cells, remembered)
        score = sum(1 for key in keys if key)
        filled = sum(not is_blank(cell) for cell in cells)
        if has_names(keys) and score > best_score and (score > 1 or filled == 1 or position == 0):
            best, best_score = position, score
    return best


def has_header(sheet: StaffSheet, remembered: dict | None = None) -> bool:
    """Whether a header row that names the people stands in the sheet's first lines."""
    return _find_header(sheet.lines, remembered) is not None


def _seen_headers(lines: list) -> list[str]:
    """The texts of the top line with the most filled cells: what the file's header must be."""
    top = lines[:HEADER_SCAN_LINES]
    _number, cells = max(top, key=lambda line: sum(not is_blank(cell) for cell in line[1]))
    return [" ".join(str(cell).split()) for cell in cells if not is_blank(cell)][:12]


def no_names_error(sheet: StaffSheet) -> str:
    seen = ", ".join(f"«{text}»" for text in _seen_headers(sheet.lines))
    return (
        f"На листе «{sheet.name}» не найден столбец с фамилиями сотрудников. В начале листа "
        f"есть заголовки: {seen}. Нужен столбец «ФИО» (или «Фамилия, имя, отчество», "
        "«Сотрудник») либо столбцы «Фамилия» и «Имя»; строки над заголовками можно не удалять."
    )


def _is_footer(line: list, previous: list) -> bool:
    """A signature or note line under the table: one filled cell, set off by an empty line or
    holding a blank to sign on («Заведующий ________ /Петрова Н. В./»)."""
    number, cells = line
    texts = [str(cell) for cell in cells if not is_blank(cell)]
    return len(texts) == 1 and (number > previous[0] + 1 or "___" in texts[0])


def _without_footer(data: list) -> list:
    """The data lines without the signature and note lines under the table; a last person
    with only a name, right under the others, stays."""
    end = len(data)
    while end > 1 and _is_footer(data[end - 1], data[end - 2]):
        end -= 1
    return data[:end]


def columns_of(lines: list, header_position: int, mapping: list[str]) -> list[dict]:
    """Every column of the table: its letter, its header and the field it is taken as."""
    header_cells = lines[header_position][1]
    width = _width(lines[header_position:])
    mapping = (list(mapping) + [""] * width)[:width]
    return [
        {
            "letter": get_column_letter(index + 1),
            "header": _header_cell_text(header_cells, index),
            "key": mapping[index],
        }
        for index in range(width)
    ]


def mapping_problems(keys: list[str]) -> tuple[str, dict[int, str]]:
    """(a message about the whole choice, {column index: message}) of a curator's mapping:
    no name column, or one field chosen for two columns."""
    per_column = {}
    for key in set(keys) - {""}:
        indexes = [index for index, other in enumerate(keys) if other == key]
        if len(indexes) > 1:
            letters = " и ".join(get_column_letter(i + 1) for i in indexes)
            for index in indexes:
                per_column[index] = (
                    f"«{FIELD_TITLES[key]}» выбрано для нескольких столбцов ({letters}): "
                    "оставьте у одного, у других выберите «не используется»."
                )
    overall = ""
    if not has_names(keys):
        overall = (
            "Не выбран столбец с фамилиями: выберите для одного столбца «ФИО одним столбцом» "
            "или «Фамилия» (и «Имя» для другого)."
        )
    elif FULL_NAME not in keys and "first_name" not in keys:
        overall = "Выбран столбец «Фамилия», но не выбран столбец «Имя»."
    return overall, per_column


def _missing_columns_error(keys: list[str]) -> None:
    if FULL_NAME in keys:
        return
    missing = [c.title for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        raise file_error(
            "В файле нет обязательных столбцов: "
            + ", ".join(f"«{title}»" for title in missing)
            + ". Добавьте их в строку заголовков, как в шаблоне."
        )


def read_table(
    *,
    filename: str,
    sheet: StaffSheet,
    remembered: dict | None = None,
    header_line: int | None = None,
    mapping: list[str] | None = None,
) -> StaffTable:
    """The sheet as a table: its header row (the given ``header_line`` or the one found), its
    columns mapped (the given ``mapping`` or the guess), its data rows. A ``ValidationError``
    in Russian when the sheet cannot be a staff list."""
    lines = sheet.lines
    if header_line is None:
        header = _find_header(lines, remembered)
    else:
        header = next((i for i, line in enumerate(lines) if line[0] == header_line), None)
    if header is None:
        raise file_error(no_names_error(sheet))
    keys = mapping if mapping is not None else guess_mapping(lines[header][1], remembered)
    columns = columns_of(lines, header, keys)
    keys = [column["key"] for column in columns]
    _missing_columns_error(keys)
    data = _without_footer(lines[header + 1 :])
    if not data:
        raise file_error(
            f"В файле есть только строка заголовков (строка {lines[header][0]} листа "
            f"«{sheet.name}»). Добавьте сотрудников в строки под ней."
        )
    if len(data) > settings.IMPORT_MAX_ROWS:
        raise too_many_rows()
    rows = [
        (number, {key: cells[i] for i, key in enumerate(keys) if key and i < len(cells)})
        for number, cells in data
    ]
    return StaffTable(
        filename=filename,
        sheet_name=sheet.name,
        header_line=lines[header][0],
        columns=columns,
        rows=rows,
    )
