"""Keep less (152-ФЗ ст. 5 ч. 7; issue 17 item 5): a staff list's cells (its rows, the file as
read, its columns) are deleted once it is loaded or cancelled, and the list keeps only its
counts, the file's name, who uploaded it and when; a preview left for a day is deleted whole
by the daily ``manage.py purge_staff_imports``."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from registry.models import StaffImport
from registry.services.imports import staff_imports_purge
from tests.registry.test_imports import (
    confirm_url,
    discard_url,
    preview_url,
    row,
    upload_and_preview,
    xlsx_file,
)

pytestmark = pytest.mark.django_db


def _list_of_three(client) -> StaffImport:
    """Two new people and a duplicate of the first."""
    rows = [row("Ёлкина", "Дарья"), row("Жукова", "Ольга"), row("Ёлкина", "Дарья")]
    return upload_and_preview(client, xlsx_file(rows))


def _cells_gone(staff_import: StaffImport) -> None:
    staff_import.refresh_from_db()
    assert (staff_import.rows, staff_import.sheets, staff_import.columns) == ([], [], [])


def _page(client, staff_import) -> str:
    html = client.get(preview_url(staff_import)).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_loaded_list_keeps_its_counts_and_no_cell_of_the_file(world, as_user):
    client = as_user(world.curator)
    staff_import = _list_of_three(client)
    assert staff_import.rows and staff_import.sheets and staff_import.columns
    client.post(confirm_url(staff_import))
    _cells_gone(staff_import)
    assert staff_import.counts == {"total": 3, "to_create": 2, "errors": 0, "duplicates": 1}
    assert staff_import.created_count == 2
    assert staff_import.filename == "sotrudniki.xlsx"
    assert staff_import.uploaded_by == world.curator and staff_import.confirmed_at
    page = _page(client, staff_import)
    assert "Строк с сотрудниками: 3." in page
    assert "2 загружено в реестр" in page
    assert "1 дубликатов" in page
    assert "создано записей — 2" in page
    assert "Жукова" not in page


def test_a_cancelled_list_keeps_its_counts_and_no_cell_of_the_file(world, as_user):
    client = as_user(world.curator)
    staff_import = _list_of_three(client)
    client.post(discard_url(staff_import))
    _cells_gone(staff_import)
    assert staff_import.counts["total"] == 3
    page = _page(client, staff_import)
    assert "Строк с сотрудниками: 3." in page
    assert "Загрузка этого файла отменена" in page
    assert "Жукова" not in page


def test_a_preview_left_for_a_day_is_deleted_and_a_fresh_one_stays(world, as_user):
    client = as_user(world.curator)
    staff_import = _list_of_three(client)
    now = timezone.now()
    assert staff_imports_purge(now=now + timedelta(hours=23)) == (0, 0)
    assert StaffImport.objects.filter(pk=staff_import.pk).exists()
    assert staff_imports_purge(now=now + timedelta(days=1, minutes=1)) == (1, 0)
    assert not StaffImport.objects.filter(pk=staff_import.pk).exists()


def test_a_finished_list_that_kept_its_rows_is_emptied_by_the_daily_command(world, as_user):
    """A list loaded before this rule still holds its rows: the command keeps only the counts."""
    client = as_user(world.curator)
    staff_import = _list_of_three(client)
    rows, sheets, columns = staff_import.rows, staff_import.sheets, staff_import.columns
    client.post(confirm_url(staff_import))
    StaffImport.objects.filter(pk=staff_import.pk).update(
        rows=rows, sheets=sheets, columns=columns, counts={}
    )
    out = io.StringIO()
    call_command("purge_staff_imports", stdout=out)
    assert out.getvalue().strip() == (
        "Удалено брошенных загрузок: 0; очищено завершённых загрузок: 1."
    )
    _cells_gone(staff_import)
    assert staff_import.counts["to_create"] == 2
    assert staff_imports_purge() == (0, 0)  # safe to run again
