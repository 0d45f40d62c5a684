"""What every answer of the permission table is checked for, on the very response the table
asked for (tests/test_permissions.py::test_permission_table), instead of walking every page
again in a sweep of its own:

- the security headers (ASVS 5.0 V3.4; docs/security.md), on every answer outside the public
  section, whatever its code;
- no technical words on screens (issue 19, UX.md «Plain Russian»), on every HTML page shown;
- downloads named in Russian (issue 19, RFC 6266 ``filename*``), on every attachment.
"""

import re
from html.parser import HTMLParser

from tests.download_helpers import download_name

PUBLIC_PREFIX = "/nastavnichestvo/"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    result = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


def assert_secure_headers(response, where: str):
    csp = directives(response)
    assert csp["object-src"] == ["'none'"], where
    assert csp["base-uri"] == ["'none'"], where
    assert csp["frame-ancestors"] == ["'none'"], where
    assert csp["default-src"] == ["'self'"], where
    script_src = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, where
    assert "'unsafe-inline'" not in csp.get("style-src", []), where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["X-Frame-Options"] == "DENY", where


# What a developer writes and a kindergarten's staff does not read, and what a template prints
# when it forgets a value.
WORDS = ("Atom", "Markdown", "ПДн", "фонового обработчика", "None", "---------", "True", "False")
PATTERN = re.compile(
    "|".join(rf"(?<![\w-]){re.escape(word)}(?![\w-])" for word in WORDS), re.IGNORECASE
)


class _VisibleText(HTMLParser):
    HIDDEN = {"script", "style", "template", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        # Words people read without it being text: a button's or a field's hint.
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label", "alt") and value:
                self.parts.append(value)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def technical_words(text: str) -> list[str]:
    found = []
    for match in PATTERN.finditer(text):
        # «Atom» is a word, «ATOM» of a name would be one too; the case of the list decides.
        if match.group(0) in WORDS or match.group(0).lower() in {"пдн"}:
            start = max(match.start() - 40, 0)
            found.append(f"«{match.group(0)}» in «…{text[start : match.end() + 40]}…»")
    return found


def check_answer(response, *, url: str, where: str) -> None:
    """The three checks above on one answer of the table (``where``: the URL name and role)."""
    if not url.startswith(PUBLIC_PREFIX):
        assert_secure_headers(response, where)
    disposition = response.get("Content-Disposition", "")
    if disposition.startswith("attachment"):
        assert re.search(r"filename\*=UTF-8''\S+", disposition), f"{where}: {disposition}"
        assert CYRILLIC.search(download_name(response)), f"{where}: {disposition}"
    elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        found = technical_words(visible_text(response.content.decode()))
        assert found == [], f"{where}: " + "; ".join(found)
