"""The name of a download (issue 19): «Приказ № 101 от 15.09.2026.pdf» as people read it.

RFC 6266: ``filename*=UTF-8''…`` carries the Russian name for every browser of today, and
``filename="…"`` an ASCII one (transliterated) for the clients that know no other. One helper for
every download, so no view writes the header by hand.
"""

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse

from mentoring_site.lib.transliteration import to_latin


def ascii_filename(filename: str, default_stem: str = "document") -> str:
    """``filename`` in ASCII letters, digits, dashes and underscores (Cyrillic transliterated),
    safe in a header; a name with nothing left keeps its extension (``document.pdf``)."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""

    def clean(text: str) -> str:
        latin = unicodedata.normalize("NFKD", to_latin(text)).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9_-]+", "_", latin).strip("_-")

    stem, extension = clean(stem) or default_stem, clean(extension)
    return f"{stem}.{extension}" if extension else stem


def readable_filename(filename: str, default_stem: str = "документ") -> str:
    """The name people see: no path separators, quotes or control characters; «/» of a number
    such as «№ 94/1» becomes «-»."""
    name = re.sub(r'[\x00-\x1f\x7f"\\/:*?<>|]+', "-", filename).strip(" .-")
    return name[:150] or default_stem


def attachment(response: HttpResponse, name: str, *, inline: bool = False) -> HttpResponse:
    """Set ``response``'s ``Content-Disposition`` to download as ``name`` (or show it in the
    browser when ``inline``), with the Russian name and its ASCII fallback."""
    readable = readable_filename(name)
    kind = "inline" if inline else "attachment"
    response["Content-Disposition"] = (
        f'{kind}; filename="{ascii_filename(readable)}"; '
        f"filename*=UTF-8''{quote(readable, safe='')}"
    )
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    """An Excel workbook to download as ``name``."""
    return attachment(HttpResponse(content, content_type=XLSX), name)


def dated_name(title: str, on, extension: str = "xlsx") -> str:
    """«Пары и группы 06.12.2026.xlsx»: a list's name and the day it was taken."""
    return f"{title} {on:%d.%m.%Y}.{extension}"
