"""Reading an uploaded staff list: .xlsx, .xls (Excel 97–2003) or .csv, every sheet of it.

The reader knows nothing about columns: it returns each non-empty sheet as its non-empty lines,
numbered as Excel numbers them, with cells the database can keep as JSON (a date cell becomes
«14.05.2000»). ``registry.services.staff_headers`` then finds the header row and the columns.
Everything here is bounded: the bytes, the unpacked size of an archive, the lines and the time.
"""

import csv
import io
import time
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import xlrd
from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from mentoring_site.lib.spreadsheets import UnsafeArchive, check_archive

MAX_COLUMNS = 60
MAX_SCANNED_LINES = 100_000
MAX_SHEETS = 20
# Title lines, a date line and empty lines may stand above the header; it is looked for in
# this many filled lines at the top of a sheet.
HEADER_SCAN_LINES = 20
SUFFIXES = ("xlsx", "xls", "csv")


@dataclass(frozen=True)
class StaffSheet:
    """One sheet's filled lines: [line number, [cells]] (JSON-friendly, as stored)."""

    name: str
    lines: list


@dataclass(frozen=True)
class StaffBook:
    filename: str
    sheets: list[StaffSheet]


def file_error(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_file")


def too_many_rows() -> ValidationError:
    return file_error(
        f"В файле больше {settings.IMPORT_MAX_ROWS} строк. Разделите список на несколько "
        "файлов и загрузите их по очереди."
    )


def _too_slow() -> ValidationError:
    return file_error(
        f"Файл читается дольше {settings.IMPORT_READ_SECONDS} секунд: в нём, видимо, много "
        "пустых оформленных строк или столбцов. Скопируйте таблицу в новую книгу Excel и "
        "загрузите её."
    )


def size_text(size: int) -> str:
    """«2 МБ», «1,5 МБ», «300 КБ»."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} КБ"
    return f"{size / 1024 / 1024:.1f}".replace(".0", "").replace(".", ",") + " МБ"


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _json_cell(value):
    """A cell as JSON keeps it: dates as «14.05.2000», numbers as numbers, the rest as text."""
    if value is None or isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


class _Lines:
    """The filled lines of one sheet, refused once longer than any allowed list or slower to
    read than the budget (a sheet of endless empty but formatted rows is not read to its end)."""

    def __init__(self, deadline: float):
        self.lines: list = []
        self.deadline = deadline

    def add(self, number: int, cells) -> bool:
        """False once enough lines are read to judge the sheet (the reading stops)."""
        if number > MAX_SCANNED_LINES:
            raise too_many_rows()
        if time.monotonic() > self.deadline:
            raise _too_slow()
        cells = [_json_cell(cell) for cell in list(cells)[:MAX_COLUMNS]]
        if not all(map(is_blank, cells)):
            self.lines.append([number, cells])
        return len(self.lines) <= settings.IMPORT_MAX_ROWS + HEADER_SCAN_LINES + 1


def _deadline() -> float:
    return time.monotonic() + settings.IMPORT_READ_SECONDS


def _read_xlsx(content: bytes) -> list[StaffSheet]:
    try:
        check_archive(content)
    except UnsafeArchive as error:
        raise file_error(
            f"Файл не открыт: {error}. Настоящий список сотрудников намного меньше. Сохраните "
            "его заново в Excel или скачайте шаблон и перенесите данные в него."
        ) from error
    deadline = _deadline()
    try:
        # Files saved by other programs make openpyxl warn about styles it does not know.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                return [
                    _xlsx_sheet(worksheet, deadline)
                    for worksheet in workbook.worksheets[:MAX_SHEETS]
                ]
            finally:
                workbook.close()
    except ValidationError:
        raise
    except Exception as error:  # openpyxl raises many kinds of errors on a damaged file
        raise file_error(
            "Не удалось прочитать файл как таблицу Excel. Сохраните его в Excel как "
            "«Книга Excel (.xlsx)» или скачайте шаблон и перенесите данные в него."
        ) from error


def _xlsx_sheet(worksheet, deadline: float) -> StaffSheet:
    lines = _Lines(deadline)
    rows = worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    for number, cells in enumerate(rows, start=1):
        if not lines.add(number, cells):
            break
    return StaffSheet(name=worksheet.title, lines=lines.lines)


def _xls_cell(cell, datemode: int):
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return cell.value


def _read_xls(content: bytes) -> list[StaffSheet]:
    deadline = _deadline()
    try:
        workbook = xlrd.open_workbook(file_contents=content, on_demand=True)
    except Exception as error:  # xlrd raises many kinds of errors on a damaged file
        raise file_error(
            "Не удалось прочитать файл как таблицу Excel 97–2003 (.xls). Сохраните его в "
            "Excel как «Книга Excel (.xlsx)» и загрузите снова."
        ) from error
    sheets = []
    try:
        for index in range(min(workbook.nsheets, MAX_SHEETS)):
            sheet = workbook.sheet_by_index(index)
            lines = _Lines(deadline)
            for row in range(sheet.nrows):
                cells = [_xls_cell(cell, workbook.datemode) for cell in sheet.row(row)]
                if not lines.add(row + 1, cells):
                    break
            sheets.append(StaffSheet(name=sheet.name, lines=lines.lines))
    finally:
        workbook.release_resources()
    return sheets


def _decode_csv(content: bytes) -> str:
    if b"\x00" in content:
        raise file_error(
            "Файл не похож на таблицу CSV. Сохраните список в Excel как «CSV (разделители — "
            "точка с запятой)» или загрузите файл .xlsx."
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1251", errors="replace")


def _read_csv(content: bytes) -> list[StaffSheet]:
    text = _decode_csv(content)
    # Title lines above the header may hold no delimiter at all: the top lines decide.
    top = "\n".join(text.split("\n", HEADER_SCAN_LINES)[:HEADER_SCAN_LINES])
    delimiter = max((";", ",", "\t"), key=top.count)
    lines = _Lines(_deadline())
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for cells in reader:
            if not lines.add(reader.line_num, cells):
                break
    except csv.Error as error:
        raise file_error(
            "Не удалось прочитать файл CSV: в нём нарушена структура строк. Сохраните список "
            "заново в Excel или загрузите файл .xlsx."
        ) from error
    return [StaffSheet(name="CSV", lines=lines.lines)]


READERS = {"xlsx": _read_xlsx, "xls": _read_xls, "csv": _read_csv}


def read_staff_book(uploaded) -> StaffBook:
    """The filled sheets of an uploaded .xlsx, .xls or .csv file, or a ``ValidationError`` in
    plain Russian that says what is wrong with the file as a whole."""
    filename = uploaded.name or ""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in SUFFIXES:
        raise file_error("Загрузите файл в формате .xlsx или .xls (Excel) или .csv.")
    limit = settings.IMPORT_MAX_BYTES
    if uploaded.size > limit:
        raise file_error(
            f"Файл слишком большой: {size_text(uploaded.size)}, можно не больше "
            f"{size_text(limit)}. Разделите список на несколько файлов."
        )
    content = uploaded.read()
    if not content.strip():
        raise file_error("Файл пустой. Заполните шаблон и загрузите его снова.")
    sheets = [sheet for sheet in READERS[suffix](content) if sheet.lines]
    if not sheets:
        raise file_error("В файле нет ни одной заполненной строки.")
    return StaffBook(filename=filename[-255:], sheets=sheets)
