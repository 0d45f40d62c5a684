"""Downloads are named in Russian (issue 19): every download of the permission table carries
``filename*=UTF-8''…`` with the Russian name (RFC 6266) and an ASCII ``filename="…"`` beside it."""

import copy
import re

from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse

from mentoring_site.lib.downloads import ascii_filename, attachment
from tests import test_permissions as table
from tests.download_helpers import download_name, fallback_name

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def test_the_russian_name_and_its_ascii_fallback():
    response = attachment(HttpResponse(b"%PDF"), "Приказ № 94/1 от 15.09.2026.pdf")
    assert download_name(response) == "Приказ № 94-1 от 15.09.2026.pdf"
    assert fallback_name(response) == "Prikaz_No_94-1_ot_15_09_2026.pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="')


def test_a_name_is_safe_in_a_header_and_on_a_disk():
    response = attachment(HttpResponse(), 'Согласие "Иванова"\r\n/../x;.pdf')
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert "/" not in download_name(response) and '"' not in download_name(response)
    assert ascii_filename("Банк наставников 06.12.2026.xlsx") == "Bank_nastavnikov_06_12_2026.xlsx"
    assert ascii_filename("«».pdf") == "document.pdf"


def test_a_document_shown_in_the_browser_keeps_its_name():
    response = attachment(HttpResponse(), "Положение о наставничестве.pdf", inline=True)
    assert response["Content-Disposition"].startswith("inline; ")
    assert download_name(response) == "Положение о наставничестве.pdf"


def _as_first_allowed(client, world, objects, group_b, row, url_name):
    """The GET of the row as the first role the table lets in (None when none may)."""
    kwargs = row.kwargs(world, objects)
    allowed = [r for r in table.ROLES if table.expected_for(row.expected, r, kwargs) == 200]
    if not allowed:
        return None, None
    role = allowed[0]
    user = group_b[role] if role in group_b else world.user(role)
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    return table.finished(client.get(reverse(url_name, kwargs=kwargs))), role


def test_every_download_of_the_permission_table_has_a_russian_name(world, client):
    objects = table._objects(world)
    group_b = table._group_b(world)
    named, wrong = {}, []
    for url_name, row in table.TABLE.items():
        if row.method != "get":
            continue
        # A row may prepare its object (submit a roadmap, finish a program): each in a savepoint.
        with transaction.atomic():
            response, role = _as_first_allowed(
                client, world, copy.deepcopy(objects), group_b, row, url_name
            )
            transaction.set_rollback(True)
        if response is None:
            continue
        disposition = response.get("Content-Disposition", "")
        if not disposition.startswith("attachment"):
            continue
        match = re.search(r"filename\*=UTF-8''(\S+)", disposition)
        name = download_name(response) if match else ""
        named[url_name] = name
        if not CYRILLIC.search(name):
            wrong.append(f"{url_name} as {role}: {disposition}")
    assert wrong == []
    # The downloads the brief names, and enough of the rest to show the walk found them.
    assert {"registry:order-pdf", "registry:bank-export", "programs:program-pdf"} <= set(named)
    assert len(named) >= 20, sorted(named)
