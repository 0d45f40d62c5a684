"""Downloads are named in Russian (issue 19): every download of the permission table carries
``filename*=UTF-8''…`` with the Russian name (RFC 6266) and an ASCII ``filename="…"`` beside it.
Every download of the permission table, as every role that may take it, is checked on the
table's own answer (tests/page_checks.py); here, the naming itself."""

import re

from django.http import HttpResponse

from mentoring_site.lib.downloads import ascii_filename, attachment
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
