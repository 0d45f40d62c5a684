"""Bounded staff imports (issue 20): an XLSX is a ZIP archive, and one that would unpack to far
more than a real list («zip bomb») is refused before it is opened, with a Russian message next to
the field; reading stops within a time budget far below the worker's timeout."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from mentoring_site.lib.spreadsheets import ArchiveLimits, UnsafeArchive, check_archive
from registry.models import Person, StaffImport

UPLOAD_URL = reverse("registry:import-upload")
HEADER = ["Фамилия", "Имя", "Отчество", "Должность"]


def real_list(rows: int = 30) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for number in range(rows):
        sheet.append([f"Иванова{number}", "Анна", "Сергеевна", "воспитатель"])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def bomb(unpacked_mb: int = 40) -> bytes:
    """A valid-looking workbook whose sheet is tens of megabytes of empty formatted rows,
    packed into well under a megabyte."""
    real = zipfile.ZipFile(io.BytesIO(real_list(1)))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for part in real.infolist():
            if part.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(part.filename, real.read(part.filename))
        row = b'<row r="1" s="1" customFormat="1"><c r="A1" s="1"/></row>'
        filler = row * (unpacked_mb * 1024 * 1024 // len(row))
        sheet = (
            b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxml'
            b'formats.org/spreadsheetml/2006/main"><sheetData>'
            + filler
            + b"</sheetData></worksheet>"
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return output.getvalue()


def upload(client, content: bytes, name: str = "sotrudniki.xlsx"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, content)})


def test_a_real_list_passes_the_archive_check():
    check_archive(real_list(2000))  # no exception


def test_a_bomb_is_refused_by_the_sizes_its_archive_declares():
    content = bomb(40)
    assert len(content) < 1024 * 1024  # the upload limit (2 MB) lets it through
    with pytest.raises(UnsafeArchive, match="распаковывается|сжата"):
        check_archive(content)


def test_each_limit_is_checked():
    content = real_list(200)
    with pytest.raises(UnsafeArchive, match="книга распаковывается"):
        check_archive(content, ArchiveLimits(total_bytes=1000, part_bytes=10**9))
    with pytest.raises(UnsafeArchive, match="часть книги"):
        check_archive(content, ArchiveLimits(part_bytes=1000))
    with pytest.raises(UnsafeArchive, match="частей"):
        check_archive(content, ArchiveLimits(parts=2))
    check_archive(b"PK\x03\x04 not really a zip")  # the reader will say it is no workbook


def test_the_ratio_is_checked_for_big_parts(monkeypatch):
    monkeypatch.setattr("mentoring_site.lib.spreadsheets.RATIO_FROM", 10)
    with pytest.raises(UnsafeArchive, match="сжата в"):
        check_archive(real_list(500), ArchiveLimits(ratio=2))


def test_uploading_a_bomb_gets_a_message_quickly_without_memory_and_writes_nothing(world, as_user):
    client = as_user(world.curator)
    people = Person.objects.count()
    content = bomb(40)
    tracemalloc.start()
    started = time.process_time()
    response = upload(client, content)
    spent = time.process_time() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 200
    error = response.context["form"].errors["file"][0]
    assert error.startswith("Файл не открыт:")
    assert "Настоящий список сотрудников намного меньше" in error
    # Refused from the archive's directory: nothing unpacked (measured: a few ms, < 1 MB).
    assert spent < 2
    assert peak < 20 * 1024 * 1024
    assert Person.objects.count() == people
    assert not StaffImport.objects.exists()


@override_settings(IMPORT_READ_SECONDS=0)
def test_reading_stops_at_the_time_budget(world, as_user):
    response = upload(as_user(world.curator), real_list(50))
    assert response.status_code == 200
    assert "Файл читается дольше 0 секунд" in response.context["form"].errors["file"][0]
    assert not StaffImport.objects.exists()
