"""Documents in Word (issue 19): the same rendered HTML as the PDF, turned into a DOCX.

A document has one source, its template under ``templates/documents/`` and the context a service
gathers: ``render_pdf`` (mentoring_site/lib/pdf.py) hands the rendered HTML to WeasyPrint, and
``render_docx`` here hands the very same HTML to a small converter built on python-docx, so the
PDF and the DOCX of a document never disagree in their words.

The converter knows what the document templates use, not the whole of HTML and CSS:

- blocks ``h1``–``h6``, ``p``, ``div``, ``section``, ``ul``/``ol``/``li``, ``dl``/``dt``/``dd``,
  ``table`` with ``thead``/``tbody``, ``th``/``td``, ``colspan`` and ``rowspan``; inline ``strong``,
  ``b``, ``em``, ``i``, ``u``, ``span``, ``br``; ``svg`` charts are left out (their figures are in
  the tables beside them);
- the rules of the templates' ``<style>`` blocks whose selectors are tags and classes, alone or as
  descendants (``.facts td.label``); selectors with pseudo-classes are skipped;
- of the properties: ``text-align``, ``font-weight``, ``font-style``, ``text-transform``,
  ``text-decoration``, ``font-size``, ``font-family`` (monospace), ``letter-spacing``,
  ``text-indent``, ``margin`` (a left margin indents, the top and bottom ones space paragraphs),
  ``border`` of cells and the top and bottom ones of paragraphs, ``width`` of cells,
  ``vertical-align``, ``display: none``, ``page-break-before``/``-after`` and named pages;
- ``@page``: A4, its margins and orientation; a named page (``page: appendix``) of another
  orientation becomes a section of its own; the «Страница N из M» footer unless the document turns
  it off.

Word wants what Russian offices expect: Times New Roman, the body at 14 pt (every type size of the
PDF scaled by 14 / the PDF's body size; margins, indents and spaces kept in millimetres, as the
page is), Word's own heading and list styles (each numbered list starting at 1), table borders as
the PDF draws them, the document's language Russian.
"""

import re
from copy import deepcopy
from dataclasses import dataclass, field
from io import BytesIO

from django.http import HttpResponse
from django.template.loader import render_to_string

from mentoring_site.lib.downloads import attachment

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

BODY_FONT = "Times New Roman"
MONO_FONT = "Courier New"
BODY_SIZE = 14.0  # pt: the body of a Russian office document

# Browser defaults the templates rely on, weakest of all rules.
_DEFAULT_CSS = """
head, title, style, script, svg, template { display: none; }
h1, h2, h3, h4, h5, h6, strong, b, th { font-weight: bold; }
em, i { font-style: italic; }
u { text-decoration: underline; }
dd { margin-left: 10mm; }
"""

_PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "caption"}
_BLOCK_TAGS = _PARAGRAPH_TAGS | {
    "html",
    "body",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "ul",
    "ol",
    "dl",
    "table",
    "blockquote",
}
_INHERITED = {
    "text-align",
    "font-weight",
    "font-style",
    "text-transform",
    "text-decoration",
    "font-size",
    "font-family",
    "letter-spacing",
}
_SIDES = ("top", "right", "bottom", "left")
_MM = 72 / 25.4  # pt in a millimetre
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")  # not the no-break space


# --- CSS ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    compounds: tuple  # ((tag or None, frozenset of classes), ...), outermost first
    specificity: tuple
    order: int
    declarations: dict


@dataclass
class _Page:
    landscape: bool = False
    margins: tuple = (15 * _MM, 15 * _MM, 18 * _MM, 25 * _MM)  # top, right, bottom, left in pt
    footer: bool = True


def _declarations(text: str) -> dict:
    result = {}
    for part in text.split(";"):
        name, colon, value = part.partition(":")
        if colon and name.strip():
            _declare(result, name.strip().lower(), value.strip())
    return result


def _declare(result: dict, name: str, value: str) -> None:
    """Shorthands expanded into the longhands the converter reads."""
    if name in ("margin", "padding"):
        values = value.split()
        top, right, bottom, left = (values * 4)[:4] if len(values) == 1 else (None,) * 4
        if len(values) == 2:
            top, right, bottom, left = values[0], values[1], values[0], values[1]
        elif len(values) == 3:
            top, right, bottom, left = values[0], values[1], values[2], values[1]
        elif len(values) >= 4:
            top, right, bottom, left = values[:4]
        for side, side_value in zip(_SIDES, (top, right, bottom, left), strict=True):
            result[f"{name}-{side}"] = side_value
    elif name == "border":
        for side in _SIDES:
            result[f"border-{side}"] = value
    elif name == "break-before":
        result["page-break-before"] = "always" if value == "page" else value
    elif name == "break-after":
        result["page-break-after"] = "always" if value == "page" else value
    else:
        result[name] = value


def _block_end(text: str, start: int) -> int:
    """The index after the ``}`` closing the block opened at ``start`` (a ``{``)."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(text)


def _compounds(selector: str):
    """``.facts td.label`` → ((None, {facts}), (td, {label})); None for what is not supported."""
    if re.search(r"[:>+~\[\]*#]", selector):
        return None
    result = []
    for part in selector.split():
        match = re.fullmatch(r"([a-z][a-z0-9]*)?((?:\.[\w-]+)*)", part.lower())
        if not match or not part:
            return None
        classes = frozenset(c for c in match.group(2).split(".") if c)
        result.append((match.group(1), classes))
    return tuple(result) or None


class _StyleSheet:
    """The rules of the document's ``<style>`` blocks and its pages."""

    def __init__(self, css_texts: list[str]):
        self.rules: list[_Rule] = []
        self._index: dict | None = None
        self.page = _Page()
        self.named_pages: dict[str, _Page] = {}
        for text in [_DEFAULT_CSS, *css_texts]:
            self._parse(re.sub(r"/\*.*?\*/", "", text, flags=re.S))

    def _parse(self, text: str) -> None:
        index = 0
        while True:
            brace = text.find("{", index)
            if brace < 0:
                return
            prelude = text[index:brace].strip()
            end = _block_end(text, brace)
            body = text[brace + 1 : end - 1]
            index = end
            if prelude.startswith("@page"):
                self._page_rule(prelude.removeprefix("@page").strip(), body)
            elif prelude.startswith("@"):
                continue  # @media and the like: not in the documents
            else:
                declarations = _declarations(body)
                for selector in prelude.split(","):
                    compounds = _compounds(selector.strip())
                    if compounds:
                        specificity = (
                            sum(len(classes) for _, classes in compounds),
                            sum(1 for tag, _ in compounds if tag),
                        )
                        self.rules.append(
                            _Rule(compounds, specificity, len(self.rules), declarations)
                        )

    def _page_rule(self, name: str, body: str) -> None:
        page = self.named_pages.setdefault(name, _Page()) if name else self.page
        # The margin boxes (@bottom-right { … }) nest inside the page's block.
        for match in re.finditer(r"@([\w-]+)\s*\{([^{}]*)\}", body):
            content = _declarations(match.group(2)).get("content", "")
            page.footer = content.strip() != "none"
        declarations = _declarations(re.sub(r"@[\w-]+\s*\{[^{}]*\}", "", body))
        if "size" in declarations:
            page.landscape = "landscape" in declarations["size"]
        if "margin-top" in declarations:
            page.margins = tuple(_length(declarations[f"margin-{side}"]) or 0.0 for side in _SIDES)

    def matching(self, element) -> list[_Rule]:
        if self._index is None:
            # Each rule under the tag or the first class its selector ends with: an element
            # is tried against the rules that could match it, not all of them.
            self._index = {}
            for rule in self.rules:
                tag, classes = rule.compounds[-1]
                key = (tag or f".{min(classes)}") if (tag or classes) else "*"
                self._index.setdefault(key, []).append(rule)
        keys = [element.tag, "*", *(f".{c}" for c in _classes(element))]
        candidates = [rule for key in keys for rule in self._index.get(key, ())]
        return sorted(
            (rule for rule in candidates if _matches(rule.compounds, element)),
            key=lambda rule: (rule.specificity, rule.order),
        )


def _classes(element) -> frozenset:
    return frozenset((element.get("class") or "").lower().split())


def _compound_matches(compound, element) -> bool:
    tag, classes = compound
    return (tag is None or element.tag == tag) and classes <= _classes(element)


def _matches(compounds, element) -> bool:
    if not _compound_matches(compounds[-1], element):
        return False
    remaining = list(compounds[:-1])
    ancestor = element.getparent()
    while remaining and ancestor is not None:
        if _compound_matches(remaining[-1], ancestor):
            remaining.pop()
        ancestor = ancestor.getparent()
    return not remaining


def _length(value: str | None, *, font_size: float = 12.0, percent_of: float = 0.0):
    """A CSS length in pt, or None for what is not one (``auto``, ``none``)."""
    if not value:
        return None
    match = re.fullmatch(r"(-?[\d.]+)(mm|cm|pt|px|em|%)?", value.strip().lower())
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2)
    factors = {"mm": _MM, "cm": 10 * _MM, "pt": 1.0, "px": 0.75, "em": font_size, None: 0.75}
    if unit == "%":
        return number * percent_of / 100
    return number * factors[unit]


# --- The document ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Format:
    """How a run of text looks."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    caps: bool = False
    size: float = BODY_SIZE
    spacing: float = 0.0
    mono: bool = False


_BREAK = object()  # a line break (<br>) among the runs of a paragraph


@dataclass
class _Converter:
    document: object
    sheet: _StyleSheet
    # id(element) → (element, computed style): the element is kept so that lxml keeps its proxy
    # and the id is not given to another element.
    styles: dict = field(default_factory=dict)
    scale: float = 1.0
    page_break: bool = False
    restore_page: bool = False
    indents: list = field(default_factory=list)
    used_cells: set = field(default_factory=set)
    cell_borders: dict = field(default_factory=dict)  # CSS borders → w:tcBorders
    created: list = field(default_factory=list)  # (paragraph, container)
    started: bool = False

    # The computed style of an element: inherited properties, then the rules, then style="".
    def style(self, element) -> dict:
        key = id(element)
        if key not in self.styles:
            parent = element.getparent()
            inherited = self.style(parent) if parent is not None else {}
            style = {name: value for name, value in inherited.items() if name in _INHERITED}
            parent_size = inherited.get("font-size", 12.0)
            declared = {}
            for rule in self.sheet.matching(element):
                declared.update(rule.declarations)
            declared.update(_declarations(element.get("style") or ""))
            style.update(declared)
            size = _length(declared.get("font-size"), font_size=parent_size)
            if "font-size" in declared and declared["font-size"].endswith("%"):
                size = parent_size * float(declared["font-size"][:-1]) / 100
            style["font-size"] = size if size else parent_size
            self.styles[key] = (element, style)
        return self.styles[key][1]

    def size(self, style: dict) -> float:
        return round(style["font-size"] * self.scale * 2) / 2

    def text_width(self) -> float:
        section = self.document.sections[-1]
        return (section.page_width - section.left_margin - section.right_margin) / 12700

    # Pages and sections.
    def setup_section(self, section, page: _Page) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm, Pt

        section.orientation = WD_ORIENT.LANDSCAPE if page.landscape else WD_ORIENT.PORTRAIT
        width, height = (Mm(297), Mm(210)) if page.landscape else (Mm(210), Mm(297))
        section.page_width, section.page_height = width, height
        top, right, bottom, left = page.margins
        section.top_margin, section.right_margin = Pt(top), Pt(right)
        section.bottom_margin, section.left_margin = Pt(bottom), Pt(left)

    def start_section(self, page: _Page) -> None:
        from docx.enum.section import WD_SECTION

        if self.started:
            self.setup_section(self.document.add_section(WD_SECTION.NEW_PAGE), page)
            self.page_break = False
        else:
            self.setup_section(self.document.sections[0], page)

    def before_block(self, container) -> None:
        """A block is about to be added to ``container``: back to the document's own page after
        a named one."""
        if container is self.document:
            if self.restore_page:
                self.restore_page = False
                self.start_section(self.sheet.page)
            self.started = True

    # Paragraphs.
    def new_paragraph(
        self, container, style: dict, word_style: str | None = None, *, borders: bool = True
    ):
        """A paragraph in ``container`` formatted by ``style``; ``borders`` False for the
        text of a table cell, whose borders are the cell's."""
        from docx.shared import Pt

        self.before_block(container)
        if container is not self.document and container._tc not in self.used_cells:
            self.used_cells.add(container._tc)
            paragraph = container.paragraphs[0]
            if word_style:
                paragraph.style = word_style
        else:
            paragraph = container.add_paragraph(style=word_style)
        if container is self.document and self.page_break:
            paragraph.paragraph_format.page_break_before = True
            self.page_break = False
        fmt = paragraph.paragraph_format
        alignment = _alignment(style.get("text-align"))
        if alignment is not None:
            fmt.alignment = alignment
        indent = _length(style.get("text-indent"), font_size=style["font-size"])
        if indent:
            fmt.first_line_indent = Pt(indent)
        if sum(self.indents):
            fmt.left_indent = Pt(sum(self.indents))
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        lines = _borders("pBdr", style, sides=("top", "bottom"), space=1) if borders else None
        if lines is not None:
            _insert(paragraph._p.get_or_add_pPr(), lines)
        self.created.append((paragraph, container))
        return paragraph

    def write_runs(self, paragraph, segments: list) -> None:
        from docx.enum.text import WD_BREAK
        from docx.shared import Pt

        for segment in _tidy(segments):
            if segment is _BREAK:
                run = paragraph.add_run()
                run.add_break(WD_BREAK.LINE)
                continue
            text, fmt = segment
            run = paragraph.add_run(text)
            font = run.font
            font.bold = fmt.bold or None
            font.italic = fmt.italic or None
            font.underline = fmt.underline or None
            font.all_caps = fmt.caps or None
            if fmt.size != BODY_SIZE:
                font.size = Pt(fmt.size)
            if fmt.mono:
                _font_name(run._r.get_or_add_rPr(), MONO_FONT)
            if fmt.spacing:
                _letter_spacing(run, fmt.spacing)

    def run_format(self, style: dict) -> _Format:
        weight = style.get("font-weight", "normal")
        spacing = _length(style.get("letter-spacing"), font_size=style["font-size"]) or 0.0
        return _Format(
            bold=weight == "bold" or (weight.isdigit() and int(weight) >= 600),
            italic=style.get("font-style") == "italic",
            underline="underline" in style.get("text-decoration", ""),
            caps=style.get("text-transform") == "uppercase",
            size=self.size(style),
            spacing=round(spacing * self.scale, 1),
            mono="mono" in style.get("font-family", "").lower(),
        )

    def inline(self, element, segments: list) -> None:
        """The runs of an inline element (its tail is the caller's)."""
        style = self.style(element)
        if style.get("display") == "none":
            return
        if element.tag == "br":
            segments.append(_BREAK)
            return
        fmt = self.run_format(style)
        blank = _length(style.get("min-width"), font_size=style["font-size"])
        if blank and _border(style.get("border-bottom")) and not element.text_content().strip():
            # A line to fill by hand: as many underscores as the PDF's line is long.
            segments.append(("_" * max(3, round(blank / _MM / 2.5)), fmt))
            return
        if element.text:
            segments.append((element.text, fmt))
        for child in element:
            if isinstance(child.tag, str):
                self.inline(child, segments)
            if child.tail:
                segments.append((child.tail, fmt))

    # Blocks.
    def block(self, element, container) -> None:
        style = self.style(element)
        if style.get("display") == "none":
            return
        at_top = container is self.document
        page = self.sheet.named_pages.get(style.get("page", ""))
        if at_top and page:
            self.before_block(container)
            self.start_section(page)
        elif at_top and style.get("page-break-before") == "always" and self.started:
            self.page_break = True
        self.indents.append(self.left_margin(style))
        mark = len(self.created)
        tag = element.tag
        if tag == "table":
            self.table(element, container, style)
        elif tag in ("ul", "ol"):
            self.list(element, container, numbered=tag == "ol")
        elif tag in _PARAGRAPH_TAGS:
            self.flow(element, container, word_style=_heading_style(tag))
        else:
            self.flow(element, container)
        if len(self.created) == mark and tag != "table" and _border(style.get("border-bottom")):
            self.new_paragraph(container, style)  # a line to write on: an empty bordered line
        self.indents.pop()
        self.space_around(style, container, mark)
        if at_top and page:
            self.restore_page = True
        if at_top and style.get("page-break-after") == "always":
            self.page_break = True

    def left_margin(self, style: dict) -> float:
        """A block's left margin: a share of the line as in the PDF («УТВЕРЖДАЮ» at 55 %), or
        its length."""
        return (
            _length(
                style.get("margin-left"),
                font_size=style["font-size"],
                percent_of=self.text_width(),
            )
            or 0.0
        )

    def space_around(self, style: dict, container, mark: int) -> None:
        from docx.shared import Pt

        mine = [p for p, c in self.created[mark:] if c is container]
        if not mine:
            return
        size = style["font-size"]
        before = _length(style.get("margin-top"), font_size=size)
        after = _length(style.get("margin-bottom"), font_size=size)
        if before:
            current = mine[0].paragraph_format.space_before or 0
            mine[0].paragraph_format.space_before = max(current, Pt(before))
        if after:
            current = mine[-1].paragraph_format.space_after or 0
            mine[-1].paragraph_format.space_after = max(current, Pt(after))

    def flow(self, element, container, *, word_style=None, numbering=None) -> None:
        """An element's inline content as paragraphs, its block children in between. A paragraph
        element (``p``, ``h1``, ``li``…) always makes a paragraph, a ``div`` only for its text."""
        style = self.style(element)
        segments: list = []
        made = False

        def flush(force=False):
            nonlocal segments, made
            if force or any(s is _BREAK or s[0].strip(" \t\n\r\f") for s in segments):
                paragraph = self.new_paragraph(
                    container, style, word_style, borders=element.tag not in ("td", "th")
                )
                if numbering is not None:
                    _number(paragraph, numbering)
                self.write_runs(paragraph, segments)
                made = True
            segments = []

        fmt = self.run_format(style)
        if element.text:
            segments.append((element.text, fmt))
        for child in element:
            if isinstance(child.tag, str) and child.tag in _BLOCK_TAGS:
                flush()
                self.block(child, container)
            elif isinstance(child.tag, str):
                self.inline(child, segments)
            if child.tail:
                segments.append((child.tail, fmt))
        flush(force=element.tag in _PARAGRAPH_TAGS and not made)

    def list(self, element, container, *, numbered: bool) -> None:
        numbering = self.new_numbering() if numbered else None
        word_style = "List Number" if numbered else "List Bullet"
        for item in element:
            if item.tag == "li" and self.style(item).get("display") != "none":
                mark = len(self.created)
                self.flow(item, container, word_style=word_style, numbering=numbering)
                self.space_around(self.style(item), container, mark)

    def new_numbering(self) -> int:
        """A numbering of its own for a list, starting at 1: Word's «List Number» style alone
        would go on counting from the document's previous list."""
        numbering = self.document.part.numbering_part.element
        style = self.document.styles["List Number"].element
        abstract = numbering.num_having_numId(style.pPr.numPr.numId.val).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def table(self, element, container, style: dict) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Pt

        rows, header_rows = [], 0
        for child in element:
            if child.tag == "caption":
                self.block(child, container)
            elif child.tag in ("thead", "tbody", "tfoot"):
                group = [tr for tr in child if tr.tag == "tr"]
                rows.extend(group)
                if child.tag == "thead":
                    header_rows += len(group)
            elif child.tag == "tr":
                rows.append(child)
        placements, taken = [], set()
        for r, tr in enumerate(rows):
            c = 0
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                while (r, c) in taken:
                    c += 1
                rowspan = max(1, min(_int(cell.get("rowspan")), len(rows) - r))
                colspan = max(1, _int(cell.get("colspan")))
                placements.append((r, c, rowspan, colspan, cell))
                taken.update((r + i, c + j) for i in range(rowspan) for j in range(colspan))
                c += colspan
        if not placements:
            return
        columns = max(c for _, c in taken) + 1
        self.before_block(container)
        if container is self.document and self.page_break:
            self.new_paragraph(container, style)  # carries the page break: a table cannot
        table = container.add_table(rows=len(rows), cols=columns)
        if style.get("margin-left") == "auto" and style.get("margin-right") == "auto":
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for tr in table.rows[:header_rows]:
            _repeat_header(tr)
        if style.get("width") != "auto":
            self.column_widths(table, placements, columns)
        for r, c, rowspan, colspan, _cell_element in placements:
            if rowspan > 1 or colspan > 1:
                table.cell(r, c).merge(table.cell(r + rowspan - 1, c + colspan - 1))
        cells = table._cells  # once: each table.cell() walks the whole table
        for r, c, _rowspan, _colspan, cell_element in placements:
            cell = cells[r * columns + c]
            cell_style = self.style(cell_element)
            key = tuple(cell_style.get(f"border-{side}") for side in _SIDES)
            if key not in self.cell_borders:  # built once, copied into each cell alike
                self.cell_borders[key] = _borders("tcBorders", cell_style)
            if self.cell_borders[key] is not None:
                _insert(cell._tc.get_or_add_tcPr(), deepcopy(self.cell_borders[key]))
            alignment = _vertical(cell_style.get("vertical-align"))
            if alignment is not None:
                cell.vertical_alignment = alignment
            indents, self.indents = self.indents, []
            self.flow(cell_element, cell)
            self.indents = indents
            if not cell.paragraphs[0].runs and cell_element.text_content().strip() == "":
                cell.paragraphs[0].paragraph_format.space_after = Pt(0)

    def column_widths(self, table, placements, columns: int) -> None:
        """The widths the PDF gives its columns (``width`` of a cell); a column kept on one line
        (``white-space: nowrap``) as wide as its longest text; the others share the rest."""
        from docx.shared import Pt

        total = self.text_width()
        widths: list = [None] * columns
        for _r, c, _rowspan, colspan, cell in placements:
            if colspan != 1:
                continue
            style = self.style(cell)
            width = _length(style.get("width"), font_size=style["font-size"], percent_of=total)
            if style.get("white-space") == "nowrap":
                length = len(_WHITESPACE.sub(" ", cell.text_content()).strip())
                width = max(width or 0, min(length * self.size(style) * 0.5 + 8, total * 0.6))
                widths[c] = max(widths[c] or 0, width)  # the longest text of the column
            elif style.get("width", "").endswith("%") and (width or 0) < total * 0.05:
                continue  # «width: 1 %»: as narrow as the text (the rule above)
            elif width and widths[c] is None:
                widths[c] = width
        if all(width is None for width in widths):
            return
        known = sum(width for width in widths if width)
        free = [i for i, width in enumerate(widths) if width is None]
        share = max((total - known) / len(free), 15 * _MM) if free else 0
        widths = [width or share for width in widths]
        table.autofit = False
        for index, column in enumerate(table.columns):
            column.width = Pt(widths[index])
        for tr in table._tbl.tr_lst:
            index = 0
            for tc in tr.tc_lst:
                tc.width = Pt(sum(widths[index : index + tc.grid_span]))
                index += tc.grid_span


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


def _tidy(segments: list) -> list:
    """Whitespace collapsed as a browser does: one space between words, none at the ends of a
    line."""
    result, after_space = [], True
    for segment in segments:
        if segment is _BREAK:
            if result and result[-1] is not _BREAK:
                text, fmt = result[-1]
                result[-1] = (text.rstrip(" "), fmt)
            result.append(_BREAK)
            after_space = True
            continue
        text, fmt = segment
        text = _WHITESPACE.sub(" ", text)
        if after_space:
            text = text.lstrip(" ")
        if text:
            result.append((text, fmt))
            after_space = text.endswith(" ")
    if result and result[-1] is not _BREAK:
        text, fmt = result[-1]
        result[-1] = (text.rstrip(" "), fmt)
    return [s for s in result if s is _BREAK or s[0]]


def _alignment(value):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }.get(value)


def _vertical(value):
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    return {
        "top": WD_CELL_VERTICAL_ALIGNMENT.TOP,
        "middle": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
        "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
    }.get(value)


def _heading_style(tag: str) -> str | None:
    return f"Heading {tag[1]}" if re.fullmatch(r"h[1-6]", tag) else None


def _border(value: str | None):
    """A CSS border as Word's (style, width in eighths of a point), or None for no border."""
    if not value or value.strip() in ("none", "0", "hidden"):
        return None
    width = next((_length(part) for part in value.split() if _length(part)), 0.5)
    kind = "dashed" if "dashed" in value else "dotted" if "dotted" in value else "single"
    return kind, max(2, round(width * 8))


def _w(tag: str, **attributes):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(f"w:{tag}")
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _borders(group: str, style: dict, *, sides=_SIDES, space: int = 0):
    """The ``w:tcBorders`` or ``w:pBdr`` element of the CSS borders of ``style`` on ``sides``,
    in the schema's order (top, left, bottom, right); None when there is none."""
    element = None
    for side in ("top", "left", "bottom", "right"):
        border = _border(style.get(f"border-{side}")) if side in sides else None
        if border:
            kind, size = border
            element = element if element is not None else _w(group)
            element.append(_w(side, val=kind, sz=size, space=space, color="000000"))
    return element


def _repeat_header(row) -> None:
    """A header row printed again at the top of every page the table runs onto."""
    _insert(row._tr.get_or_add_trPr(), _w("tblHeader"))


def _number(paragraph, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def _letter_spacing(run, points: float) -> None:
    _insert(run._r.get_or_add_rPr(), _w("spacing", val=round(points * 20)))


# The order of the children of Word's property elements (ECMA-376, part 1, 17.3 and 17.4).
_SCHEMA_ORDER = {
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect "
    "bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark",
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader "
    "tblCellSpacing jc hidden",
}


def _insert(parent, child) -> None:
    """``child`` among ``parent``'s children in the order of the schema: Word refuses a file
    whose properties come in another order."""
    sequence = _SCHEMA_ORDER[parent.tag.rpartition("}")[2]].split()
    name = child.tag.rpartition("}")[2]
    successors = sequence[sequence.index(name) + 1 :]
    parent.insert_element_before(child, *(f"w:{tag}" for tag in successors))


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _font_name(r_pr, name: str) -> None:
    """The font for every script, in place of the theme's fonts."""
    fonts = r_pr.find(_qn("w:rFonts"))
    if fonts is None:
        fonts = _w("rFonts")
        _insert(r_pr, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme") or attribute.endswith("theme"):
            del fonts.attrib[attribute]
    for script in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(_qn(f"w:{script}"), name)


def _prepare_styles(document) -> None:
    """Times New Roman 14 in Russian; Word's headings in black type of the body's font (each
    heading's runs carry the PDF's size)."""
    from docx.shared import Pt, RGBColor

    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    _font_name(normal.element.get_or_add_rPr(), BODY_FONT)
    _insert(normal.element.get_or_add_rPr(), _w("lang", val="ru-RU", eastAsia="ru-RU"))
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for level in range(1, 7):
        heading = document.styles[f"Heading {level}"]
        _font_name(heading.element.get_or_add_rPr(), BODY_FONT)
        heading.font.color.rgb = RGBColor(0, 0, 0)
        heading.font.bold = True
        heading.font.italic = False
        heading.font.size = Pt(BODY_SIZE)
        heading.paragraph_format.space_before = Pt(0)
        heading.paragraph_format.space_after = Pt(0)
    for name in ("List Number", "List Bullet"):
        document.styles[name].paragraph_format.space_after = Pt(0)


def _footer(section, size: float) -> None:
    """«Страница N из M» at the bottom right, as the PDF has it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for text, field_code in (("Страница ", "PAGE"), (" из ", "NUMPAGES")):
        paragraph.add_run(text).font.size = Pt(size)
        simple = _w("fldSimple", instr=field_code)
        run = _w("r")
        r_pr = _w("rPr")
        r_pr.append(_w("sz", val=round(size * 2)))
        run.append(r_pr)
        number = _w("t")
        number.text = "1"
        run.append(number)
        simple.append(run)
        paragraph._p.append(simple)


def html_to_docx(html: str) -> bytes:
    """The DOCX of a document's HTML (one of ``templates/documents/``)."""
    # Heavy imports only when a document is made (TOOLCHAIN.md).
    import docx
    import lxml.html

    root = lxml.html.document_fromstring(html)
    sheet = _StyleSheet([style.text or "" for style in root.iter("style")])
    document = docx.Document()
    converter = _Converter(document=document, sheet=sheet)
    root_size = converter.style(root)["font-size"]
    converter.scale = BODY_SIZE / root_size
    _prepare_styles(document)
    converter.start_section(sheet.page)
    body = root.find("body")
    converter.flow(body, document)
    if sheet.page.footer:
        _footer(document.sections[0], round(9 * converter.scale * 2) / 2)
    title = root.findtext(".//title")
    document.core_properties.title = _WHITESPACE.sub(" ", title or "").strip()
    document.core_properties.language = "ru-RU"
    document.core_properties.author = ""
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_docx(template_name: str, context: dict) -> bytes:
    """The DOCX of ``template_name`` rendered with ``context``: the PDF's HTML, in Word."""
    return html_to_docx(render_to_string(template_name, context))


def docx_response(content: bytes, filename: str) -> HttpResponse:
    """A download of the DOCX bytes named ``filename`` (mentoring_site/lib/downloads.py)."""
    return attachment(HttpResponse(content, content_type=DOCX_CONTENT_TYPE), filename)
