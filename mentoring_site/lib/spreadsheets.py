"""Every spreadsheet the registry writes, XLSX and CSV, is written here, so that nothing a person
typed ever becomes a formula in the curator's Excel (OWASP «CSV injection»).

A text that starts with «=», «+», «-», «@», a tab or a carriage return is stored as a text cell
marked with Excel's leading apostrophe (``quotePrefix``): shown as typed, never evaluated, not even
after the cell is edited. In CSV such a text is prefixed with «'». Numbers, dates and date-times
stay typed, so sorting and sums work in Excel.

``table_xlsx`` writes one list (a title, the filters it was made with, a bold header, rows, a frozen
header and an autofilter); ``Book`` is for documents of several sheets or mixed blocks.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
FONTS = {"title": Font(bold=True, size=13), "header": Font(bold=True), "total": Font(bold=True)}


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 18


def is_formula_like(value) -> bool:
    """A text Excel or LibreOffice would read as a formula (or a DDE command) when opened."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _plain(value):
    """What a cell holds: numbers and dates as they are, Moscow time for a moment, text for the
    rest (a lazy translation, a choice label, a UUID)."""
    if value is None or isinstance(value, bool | int | float | Decimal | date | str):
        if isinstance(value, datetime):
            return (
                timezone.localtime(value).replace(tzinfo=None)
                if timezone.is_aware(value)
                else value
            )
        return value
    return str(value)


class Sheet:
    """One sheet of a ``Book``: lines appended in order, each cell inert."""

    def __init__(self, worksheet):
        self._sheet = worksheet

    def line(self, values: Sequence = (), *, style: str = "") -> None:
        """Appends a row. ``style``: "title" (bold, larger), "header" (bold, wrapped), "total"
        (bold), or "" (plain)."""
        if not values:
            self._sheet.append([])
            return
        self._sheet.append([None] * len(values))
        row = self._sheet.max_row
        font = FONTS.get(style)
        for index, value in enumerate(values, start=1):
            cell = self._sheet.cell(row=row, column=index)
            value = _plain(value)
            cell.value = value
            if is_formula_like(value):
                cell.data_type = "s"
                cell.quotePrefix = True
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            if font is not None:
                cell.font = font
            if style == "header" or (isinstance(value, str) and "\n" in value):
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    def widths(self, widths: Iterable[float], *, first: int = 1) -> None:
        for index, width in enumerate(widths, start=first):
            self._sheet.column_dimensions[get_column_letter(index)].width = width

    def freeze(self, cell: str) -> None:
        self._sheet.freeze_panes = cell

    def autofilter(self, *, header_row: int) -> None:
        last = self._sheet.cell(row=self._sheet.max_row, column=self._sheet.max_column)
        self._sheet.auto_filter.ref = f"A{header_row}:{last.coordinate}"


class Book:
    """An XLSX workbook whose sheets are written line by line."""

    def __init__(self):
        self._book = Workbook()
        self._fresh = True

    def sheet(self, title: str) -> Sheet:
        if self._fresh:
            worksheet, self._fresh = self._book.active, False
        else:
            worksheet = self._book.create_sheet()
        worksheet.title = title[:31]  # Excel's limit for a sheet name
        return Sheet(worksheet)

    def bytes(self) -> bytes:
        output = io.BytesIO()
        self._book.save(output)
        return output.getvalue()


def filter_lines(form, *, search: str = "") -> list[str]:
    """The filters a list was made with, as the heading lines of its sheet: «Состояние:
    утверждена» for each field with a value (the label of a choice, not its code), «Поиск: …»
    for the name search kept in the session; «Без отбора: все строки» when there is none.
    ``form`` is a bound Django form or a django-filter ``FilterSet``'s form."""
    lines = []
    if form.is_bound and form.is_valid():
        for name, value in form.cleaned_data.items():
            field = form.fields[name]
            if value in (None, "", False, [], ()) or field.widget.is_hidden:
                continue
            if value is True:
                shown = "да"
            elif hasattr(field, "label_from_instance"):  # a model choice: named as in the form
                objects = value if isinstance(value, Iterable) else [value]
                shown = ", ".join(field.label_from_instance(obj) for obj in objects)
            else:
                shown = dict(getattr(field, "choices", ())).get(value, value)
            lines.append(f"{field.label}: {shown}")
    if search:
        lines.append(f"Поиск: «{search}»")
    return lines or ["Без отбора: все строки"]


def table_xlsx(
    *,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    heading: Sequence[str] = (),
    total: Sequence | None = None,
    freeze_first_column: bool = True,
) -> bytes:
    """One list as a sheet: the heading lines (the list's name, its filters), a bold header that
    stays in view, the rows, an optional bold total, an autofilter, set widths."""
    book = Book()
    sheet = book.sheet(title)
    for index, text in enumerate(heading):
        sheet.line([text], style="title" if index == 0 else "")
    if heading:
        sheet.line()
    header_row = len(heading) + (1 if heading else 0) + 1
    sheet.line([column.title for column in columns], style="header")
    for row in rows:
        sheet.line(row)
    if total is not None:
        sheet.line(total, style="total")
    sheet.widths(column.width for column in columns)
    sheet.freeze(f"{'B' if freeze_first_column else 'A'}{header_row + 1}")
    sheet.autofilter(header_row=header_row)
    return book.bytes()


def csv_text(value) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    text = str(value)
    return f"'{text}" if is_formula_like(text) else text


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a BOM and «;» between the columns: Russian Excel opens it as it is."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return ("\ufeff" + output.getvalue()).encode("utf-8")


# --- Reading: an XLSX file is a ZIP archive, checked before it is opened -------------------------


@dataclass(frozen=True)
class ArchiveLimits:
    """How much an uploaded XLSX may unpack to. A real staff list of 2,000 rows unpacks to about
    2 MB at a ratio of 5–15; a «zip bomb» of 1 MB unpacks to hundreds."""

    total_bytes: int = 32 * 1024 * 1024  # all parts together, unpacked
    part_bytes: int = 24 * 1024 * 1024  # any one part (a sheet, the shared strings)
    ratio: int = 100  # unpacked / packed, for parts over RATIO_FROM bytes
    parts: int = 500


RATIO_FROM = 1024 * 1024  # small parts (styles, a tiny sheet) may compress better than that


class UnsafeArchive(ValueError):
    """The archive would unpack to more than the limits allow: not opened."""


def check_archive(content: bytes, limits: ArchiveLimits = ArchiveLimits()) -> None:
    """Reads only the archive's directory (the sizes it declares; Python's zipfile never
    unpacks a part beyond its declared size) and raises ``UnsafeArchive`` with the reason in
    Russian when it is too big to open. A file that is no archive at all passes: the reader
    then says it is not a workbook."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    if len(parts) > limits.parts:
        raise UnsafeArchive(f"в архиве книги {len(parts)} частей (не больше {limits.parts})")
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > limits.part_bytes:
            raise UnsafeArchive(
                f"часть книги «{part.filename}» распаковывается в {_megabytes(part.file_size)} "
                f"(не больше {_megabytes(limits.part_bytes)})"
            )
        packed = max(part.compress_size, 1)
        if part.file_size > RATIO_FROM and part.file_size / packed > limits.ratio:
            raise UnsafeArchive(
                f"часть книги «{part.filename}» сжата в {part.file_size // packed} раз "
                f"(так сжимаются только пустые строки; не больше {limits.ratio})"
            )
    if total > limits.total_bytes:
        raise UnsafeArchive(
            f"книга распаковывается в {_megabytes(total)} (не больше "
            f"{_megabytes(limits.total_bytes)})"
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} МБ"
