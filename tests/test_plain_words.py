"""No technical words on screens (issue 19, UX.md «Plain Russian»): every GET page of the
permission table, as every role the table lets in, shows none of the words below in its visible
text (the page without its tags, scripts and styles)."""

import copy
import re
from html.parser import HTMLParser

from django.db import transaction
from django.urls import reverse

from tests import test_permissions as table

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


def test_visible_text_leaves_out_tags_scripts_and_styles():
    html = (
        "<html><head><title>Т</title><script>var x = None;</script></head><body>"
        '<p title="Подсказка">Текст <b>жирный</b></p><style>p{}</style>'
        "<input type=submit value=Сохранить></body></html>"
    )
    assert visible_text(html) == "Подсказка Текст жирный Сохранить"


def test_the_words_are_found_as_words():
    assert technical_words("Лента Atom раздела") != []
    assert technical_words("согласие на обработку ПДн") != []
    assert technical_words("Значение: None") != []
    assert technical_words("---------") != []
    assert technical_words("Anatomy, Nonetheless, Falsetto, атомный") == []


def _pages_as(client, world, objects, group_b, url_name, row):
    """(role, response) of the row's GET for every role the table lets in."""
    kwargs = row.kwargs(world, objects)
    url = reverse(url_name, kwargs=kwargs)
    for role in table.ROLES:
        if table.expected_for(row.expected, role, kwargs) != 200:
            continue
        user = group_b[role] if role in group_b else world.user(role)
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        yield role, table.finished(client.get(url))


def test_no_page_shows_a_technical_word(world, client):
    objects = table._objects(world)
    group_b = table._group_b(world)
    found, pages = {}, 0
    for url_name, row in table.TABLE.items():
        if row.method != "get":
            continue
        # A row may prepare its object (submit a roadmap, finish a program): each in a savepoint.
        with transaction.atomic():
            for role, response in _pages_as(
                client, world, copy.deepcopy(objects), group_b, url_name, row
            ):
                if not response.get("Content-Type", "").startswith("text/html"):
                    continue
                pages += 1
                for word in technical_words(visible_text(response.content.decode())):
                    found.setdefault(word, f"{url_name} as {role}")  # one line per text
            transaction.set_rollback(True)
    assert found == {}, "\n".join(f"{where}: {word}" for word, where in found.items())
    assert pages > 300
