"""Form discovery and Hypothesis strategies for the fuzzing of every form
(``tests/test_form_fuzz.py``, issue 8 «Bad input, broadly»).

``parse_forms`` reads the forms of a rendered page (inputs, selects, textareas with their
options); ``form_data`` and ``query_data`` turn the fields of one form into a strategy of bad
input of the field's kind, with the page's own value among the choices so that one bad field
often travels with good ones and reaches the deeper checks.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

LONG = 10**5  # very long strings: 10^5 characters

# Hand-picked nasties; lone surrogates cannot travel in HTTP (they are not UTF-8) and are left out.
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "Иванова\x00Анна",
    "\x00" * 3,
    "\r\n\t\x0b\x0c\x1b\x7f\x85",
    "Ёлкина Жанна-Мария ё́",
    "مرحبا بالعالم",  # Arabic, right to left
    "\u202eанна\u202c\u200f\u200d\ufeff",  # RTL override, zero-width characters, BOM
    "👩‍🏫🧸🇷🇺" * 20,
    "'; DROP TABLE registry_person; --",
    '"><script>alert(1)</script>',
    "%s %d %(name)s {0} {name} ${x}",
    "../../../../etc/passwd",
    "NaN",
    "None",
    "-1",
    "я" * LONG,
    "x" * LONG,
    "\x00" * 1000,
]

NUMBERS = [
    "0",
    "-1",
    "-0",
    "1.5",
    "-2.5",
    "1e309",
    "1e-400",
    "NaN",
    "inf",
    "-inf",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "9" * 50,
    "١٢٣",  # Arabic-Indic digits
    "²",  # a digit to str.isdigit(), not to int()
    "１２",  # full-width digits
    "0x10",
    "1_000",
    " 7 ",
]

DATES = [
    "0001-01-01",
    "9999-12-31",
    "31.02.2026",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "10000-01-01",
    "01.09.2026",
    "2026-09-01T25:61",
    "2026/09/01",
    "-2026-09-01",
    "1.1.1",
]

DATETIMES = [
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9999-12-31T23:59:59.999999",
    "0001-01-01 00:00:00",
    "2026-02-30T10:00",
    "2026-09-01T24:00",
    "31.02.2026 10:00",
    "2026-03-29T02:30",
]

TIMES = ["25:00", "23:59:59.999999", "-1:00", "12:60", "00:00", "24:00"]

# Ids of nothing, of the other kindergarten's rows (filled in by the test), and of the overflow.
FAR_IDS = ["0", "-1", "999999999", "2147483648", "9223372036854775808", "1.0", "1,2", "a"]

# (No empty name: Django's UploadedFile refuses it before any request, and a browser sends a
# field without a chosen file as no file at all.)
FILE_NAMES = [
    "скан.pdf",
    "doc.docx",
    "staff.xlsx",
    "photo.jpg",
    "image.png",
    "slides.pptx",
    "run.exe",
    "no-extension",
    ".pdf",
    "a" * 300 + ".pdf",
    "..\\..\\x.pdf",
    "имя\x00.pdf",
]
# Random bytes behind the first bytes of an allowed kind, so the content check passes and the
# parser behind it (PDF, zip of DOCX/XLSX, images) meets garbage.
MAGIC = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"]


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    options: list = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    method: str
    action: str
    fields: list = field(default_factory=list)

    def field_names(self):
        return {f.name for f in self.fields}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(method=(a.get("method") or "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        name = a["name"]
        if tag in ("input", "button"):
            kind = (a.get("type") or ("text" if tag == "input" else "submit")).lower()
            if kind in ("submit", "button", "reset", "image"):
                # A named button carries its value (e.g. which decision): keep it as a choice.
                kind = "radio"
            if kind in ("checkbox", "radio"):
                known = self._field(name)
                if known is not None:
                    known.options.append(a.get("value", "on"))
                    return
                self._form.fields.append(
                    Field(
                        name,
                        kind,
                        a.get("value", "on") if "checked" in a else "",
                        [a.get("value", "on")],
                        kind == "checkbox",
                    )
                )
                return
            self._form.fields.append(Field(name, kind, a.get("value", "")))
        elif tag == "select":
            self._select = Field(name, "select", multiple="multiple" in a)
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = Field(name, "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def _field(self, name):
        return next((f for f in self._form.fields if f.name == name), None)


def parse_forms(html: str) -> list:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


# --- strategies ------------------------------------------------------------------------------

# Random unicode with every category but the surrogates (control characters and NUL included).
random_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
nasty_text = st.one_of(st.sampled_from(NASTY_TEXT), random_text)
numbers = st.one_of(
    st.sampled_from(NUMBERS),
    # Digits to str.isdigit() that int() may not read (superscripts, other scripts).
    st.text(st.characters(categories=("Nd", "No")), min_size=1, max_size=3),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
dates = st.one_of(
    st.sampled_from(DATES),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
)
datetimes = st.one_of(
    st.sampled_from(DATETIMES),
    st.datetimes().map(lambda d: d.isoformat(timespec="minutes")),
)
times = st.one_of(st.sampled_from(TIMES), st.times().map(lambda t: t.isoformat()))


@st.composite
def uploads(draw):
    content = draw(st.sampled_from(MAGIC)) + draw(st.binary(max_size=2048))
    return SimpleUploadedFile(draw(st.sampled_from(FILE_NAMES)), content)


def _ids(foreign_ids):
    return st.sampled_from(FAR_IDS + [str(pk) for pk in foreign_ids])


def _value(f: Field, foreign_ids):
    """Bad (and good) single values for one field, by its kind."""
    own = [v for v in [f.value, *f.options] if v is not None]
    good = st.sampled_from(own) if own else st.just("")
    if f.kind == "file":
        return uploads()
    if f.kind in ("select", "radio", "checkbox", "hidden"):
        typed = st.one_of(_ids(foreign_ids), numbers)
    elif f.kind == "number":
        typed = numbers
    elif f.kind == "date":
        typed = dates
    elif f.kind == "datetime-local":
        typed = st.one_of(datetimes, dates)
    elif f.kind == "time":
        typed = times
    elif f.kind in ("email", "url", "tel"):
        typed = st.one_of(
            st.sampled_from(["a@", "@b", "a@b", "a@b.рф", "x@" + "b" * 300 + ".ru", "http://"]),
            random_text.map(lambda s: s + "@example.ru"),
        )
    else:
        typed = st.one_of(numbers, dates)
    return st.one_of(good, typed, nasty_text)


def field_value(f: Field, foreign_ids=()):
    """One value, or a list of them (repeated keys; every value of a multiple select)."""
    single = _value(f, foreign_ids)
    if f.kind == "file":
        return single
    repeated = st.lists(single, min_size=2, max_size=4)
    if f.multiple:
        return st.one_of(st.lists(single, max_size=4), repeated)
    return st.one_of(single, single, repeated)


def form_data(fields, foreign_ids=(), extra_names=()):
    """A POST body: every field optional (missing fields), plus unknown keys."""
    optional = {f.name: field_value(f, foreign_ids) for f in fields}
    for name in extra_names:
        optional.setdefault(name, st.one_of(nasty_text, numbers, _ids(foreign_ids)))
    junk_keys = st.dictionaries(
        st.sampled_from(["status", "institution", "pk", "id", "x\x00", "я" * 300, ""]),
        nasty_text,
        max_size=2,
    )
    return st.tuples(st.fixed_dictionaries({}, optional=optional), junk_keys).map(
        lambda pair: {**pair[1], **pair[0]}
    )


def query_data(fields, foreign_ids=(), names=()):
    """A query string of a list or filter page: its GET form's fields and the names the views
    read themselves (page, sort, per_page, ...), all optional, values of any kind."""
    return form_data([f for f in fields if f.kind != "file"], foreign_ids, names)
