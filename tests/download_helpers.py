"""A download's name read back from its Content-Disposition (mentoring_site/lib/downloads.py)."""

import re
from urllib.parse import unquote


def download_name(response) -> str:
    """The Russian name of the download (``filename*=UTF-8''…``), as a browser saves it."""
    disposition = response["Content-Disposition"]
    disposition.encode("ascii")  # a header-safe value
    match = re.search(r"filename\*=UTF-8''([^;\s]+)", disposition)
    assert match, disposition
    return unquote(match.group(1))


def fallback_name(response) -> str:
    """The ASCII name for clients that read no ``filename*``."""
    match = re.search(r'filename="([^"]*)"', response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    return match.group(1)
