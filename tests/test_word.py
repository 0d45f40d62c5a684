"""The converter of a document's HTML to DOCX (mentoring_site/lib/word.py, issue 19): what the
document templates use comes out in Word as the PDF shows it. No database."""

from io import BytesIO

import pytest
from django.http import Http404
from django.test import RequestFactory
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Emu

from mentoring_site.lib.documents import (
    DOCX,
    PDF,
    document_response,
    filename_in_format,
    requested_format,
)
from mentoring_site.lib.word import DOCX_CONTENT_TYPE, html_to_docx
from tests.docx_helpers import docx_document, docx_text, words
from tests.download_helpers import download_name

BASE_CSS = """
@page { size: A4; margin: 15mm 15mm 18mm 25mm;
  @bottom-right { content: "Страница " counter(page) " из " counter(pages); font-size: 9pt; } }
html { font-size: 10.5pt; }
h1 { font-size: 12.5pt; text-align: center; text-transform: uppercase; }
p { margin: 0 0 2.5mm; }
th, td { border: 0.5pt solid #000; text-align: left; }
.facts td { border: none; }
.blank-short { display: inline-block; min-width: 24mm; border-bottom: 0.5pt solid #000; }
.blank-line { border-bottom: 0.5pt solid #000; height: 6mm; }
.hidden { display: none; }
"""


def convert(body: str, css: str = BASE_CSS, title: str = "Документ"):
    html = (
        f'<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{css}</style></head><body>{body}</body></html>"
    )
    return docx_document(html_to_docx(html))


def test_the_body_is_times_new_roman_14_on_a4_with_the_pdfs_margins():
    document = convert("<p>Текст</p>")
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == "Times New Roman"  # every script, no theme font
    assert normal.element.rPr.find(qn("w:lang")).get(qn("w:val")) == "ru-RU"
    [section] = document.sections
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.right_margin, section.bottom_margin]
    assert [round(m.mm) for m in [*margins, section.left_margin]] == [15, 15, 18, 25]
    assert document.core_properties.title == "Документ"


def test_sizes_scale_so_the_pdfs_body_becomes_14_pt():
    document = convert('<h1>Заголовок</h1><p>Текст <span style="font-size: 7.5pt">мелко</span></p>')
    heading, paragraph = document.paragraphs
    assert heading.style.name == "Heading 1"
    assert heading.runs[0].font.size.pt == 16.5  # 12.5 × 14 / 10.5, to half a point
    assert heading.runs[0].font.all_caps and heading.text == "Заголовок"
    assert heading.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert paragraph.runs[0].font.size is None  # the body's 14 pt, from the style
    assert paragraph.runs[1].font.size.pt == 10


def test_inline_formatting_and_whitespace_read_as_in_a_browser():
    document = convert(
        "<p>\n  Я,   <strong>Петрова Мария</strong>, <em>воспитатель</em>,<br>\n"
        "  <u>подпись</u>\n</p>"
    )
    [paragraph] = document.paragraphs
    assert words(paragraph.text) == "Я, Петрова Мария, воспитатель, подпись"
    assert paragraph.text.startswith("Я, Петрова Мария, воспитатель,\n")
    runs = {run.text: run for run in paragraph.runs if run.text.strip()}
    assert runs["Петрова Мария"].bold and runs["воспитатель"].italic
    assert runs["подпись"].underline


def test_class_rules_descendant_rules_and_inline_styles_cascade():
    css = BASE_CSS + ".box p { text-align: right; } .box p.mid { text-align: center; }"
    document = convert(
        '<div class="box"><p>справа</p><p class="mid">по центру</p>'
        '<p style="text-align: justify">по ширине</p></div><p>слева</p>',
        css,
    )
    alignments = [p.alignment for p in document.paragraphs]
    assert alignments == [
        WD_ALIGN_PARAGRAPH.RIGHT,
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.JUSTIFY,
        None,
    ]


def test_a_left_margin_in_percent_indents_the_block_as_the_approval_stamp():
    css = BASE_CSS + ".approve { margin: 0 0 40mm 55%; }"
    document = convert('<div class="approve"><p>УТВЕРЖДАЮ</p><p>Заведующий</p></div>', css)
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    stamp, head = document.paragraphs
    assert abs(stamp.paragraph_format.left_indent - width * 0.55) < 12700  # within 1 pt
    assert head.paragraph_format.left_indent == stamp.paragraph_format.left_indent
    assert round(head.paragraph_format.space_after.mm) == 40


def test_each_numbered_list_starts_at_one_and_bullets_stay_bullets():
    document = convert(
        "<p>ПОВЕСТКА:</p><ol><li>Первый</li><li>Второй</li></ol>"
        "<p>РЕШИЛИ:</p><ol><li>Одобрить</li></ol><ul><li>пункт</li></ul>"
    )
    assert [p.style.name for p in document.paragraphs] == [
        "Normal",
        "List Number",
        "List Number",
        "Normal",
        "List Number",
        "List Bullet",
    ]
    text = docx_text(document_bytes(document))
    assert text == "ПОВЕСТКА:\n1. Первый\n2. Второй\nРЕШИЛИ:\n1. Одобрить\nпункт"


def document_bytes(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_tables_keep_borders_spans_and_header_rows():
    document = convert(
        "<table><thead><tr><th>№</th><th>Этап</th><th>Мероприятие</th></tr></thead><tbody>"
        '<tr><td rowspan="2">1.</td><td rowspan="2">Подготовка</td><td>1.1. Приказ</td></tr>'
        "<tr><td>1.2. Положение</td></tr>"
        '<tr><td>2.</td><td colspan="2">Мероприятия не запланированы.</td></tr>'
        "</tbody></table>"
        '<table class="facts"><tr><td>Оператор</td><td>Детский сад</td></tr></table>'
    )
    grid, facts = document.tables
    assert len(grid.rows) == 4 and len(grid.columns) == 3
    assert grid.cell(1, 1).text == grid.cell(2, 1).text == "Подготовка"  # merged down
    assert grid.cell(3, 1)._tc is grid.cell(3, 2)._tc  # merged across
    assert grid.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    header = grid.cell(0, 0).paragraphs[0].runs[0]
    assert header.bold
    borders = grid.cell(1, 2)._tc.tcPr.find(qn("w:tcBorders"))
    assert borders[0].get(qn("w:sz")) == "4"  # 0.5 pt in eighths
    assert [b.tag.rpartition("}")[2] for b in borders] == ["top", "left", "bottom", "right"]
    assert grid.cell(1, 2).paragraphs[0]._p.pPr.find(qn("w:pBdr")) is None  # the cell draws them
    assert (
        facts.cell(0, 0)._tc.tcPr is None
        or facts.cell(0, 0)._tc.tcPr.find(qn("w:tcBorders")) is None
    )  # border: none
    assert "№ Этап Мероприятие\n1. Подготовка 1.1. Приказ\n1.2. Положение" in docx_text(
        document_bytes(document)
    )


def test_lines_to_fill_by_hand_become_underscores_and_bordered_lines():
    document = convert(
        '<p>с «<span class="blank-short">&nbsp;</span>»</p><div class="blank-line"></div>'
    )
    fill, line = document.paragraphs
    assert fill.text == "с «__________»"
    assert line.text == ""
    bottom = line._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:val")) == "single"


def test_hidden_elements_and_charts_are_left_out():
    document = convert(
        '<table><caption class="hidden">Для экранного диктора</caption><tr><td>1</td></tr></table>'
        '<svg viewBox="0 0 10 10"><text>график</text></svg><p>После</p>'
    )
    assert docx_text(document_bytes(document)) == "1\nПосле"


def test_page_breaks_and_a_named_landscape_page_make_sections():
    css = BASE_CSS + (
        "@page plan { size: A4 landscape; margin: 15mm 15mm 18mm 15mm; }"
        ".note { page-break-before: always; } .plan { page: plan; }"
    )
    document = convert(
        '<p>Титульный лист</p><div class="note"><p>Записка</p></div>'
        '<div class="plan"><table><tr><td>План</td></tr></table></div><p>Подписи</p>',
        css,
    )
    first, landscape, last = document.sections
    assert first.page_width < first.page_height
    assert landscape.page_width > landscape.page_height
    assert round(landscape.left_margin.mm) == 15
    assert last.page_width < last.page_height and round(last.left_margin.mm) == 25
    note = next(p for p in document.paragraphs if p.text == "Записка")
    assert note.paragraph_format.page_break_before


def test_the_footer_numbers_pages_unless_the_document_turns_it_off():
    document = convert("<p>Текст</p>")
    footer = document.sections[0].footer.paragraphs[0]
    instructions = [f.get(qn("w:instr")) for f in footer._p.iter(qn("w:fldSimple"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert footer.text.startswith("Страница ")
    quiet = convert("<p>Лист</p>", BASE_CSS + "@page { @bottom-right { content: none; } }")
    assert quiet.sections[0].footer.paragraphs[0].text == ""


def test_run_properties_follow_the_schemas_order():
    """Word refuses a file whose run properties come in another order than the schema's."""
    css = BASE_CSS + ".wide { letter-spacing: 3pt; font-weight: bold; font-size: 14pt; }"
    document = convert('<p class="wide">ПРИКАЗ</p>', css)
    r_pr = document.paragraphs[0].runs[0]._r.rPr
    order = [child.tag.rpartition("}")[2] for child in r_pr]
    assert order == ["b", "spacing", "sz"]


def test_the_format_is_pdf_unless_docx_is_asked_for():
    factory = RequestFactory()
    assert requested_format(factory.get("/")) == PDF
    assert requested_format(factory.get("/", {"format": "docx"})) == DOCX
    with pytest.raises(Http404):
        requested_format(factory.get("/", {"format": "odt"}))


def test_the_docx_is_named_as_the_pdf_with_its_own_extension():
    assert filename_in_format("Приказ № 101 от 15.09.2026.pdf", DOCX) == (
        "Приказ № 101 от 15.09.2026.docx"
    )
    response = document_response(b"PK", "Приказ № 101 от 15.09.2026.pdf", fmt=DOCX)
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert download_name(response) == "Приказ № 101 от 15.09.2026.docx"
    pdf = document_response(b"%PDF", "Приказ № 101 от 15.09.2026.pdf", fmt=PDF)
    assert pdf["Content-Type"] == "application/pdf"
    assert download_name(pdf) == "Приказ № 101 от 15.09.2026.pdf"


def test_columns_take_the_pdfs_widths_and_the_rest_share_the_line():
    css = BASE_CSS + (
        "td.num { width: 7mm; } td.role { width: 25%; }"
        " .fields td.label { width: 1%; white-space: nowrap; }"
    )
    document = convert(
        '<table><tr><td class="num">1</td><td class="role">Наставник</td><td>Петрова</td>'
        "<td>Иванова</td></tr></table>"
        '<table class="fields"><tr><td class="label">телефон:</td><td>1</td></tr>'
        '<tr><td class="label">документ, удостоверяющий личность:</td><td>2</td></tr></table>',
        css,
    )
    grid, fields = document.tables
    section = document.sections[0]
    line = Emu(section.page_width - section.left_margin - section.right_margin).mm
    widths = [round(column.width.mm) for column in grid.columns]
    rest = round((line - 7 - line * 0.25) / 2)
    assert widths == [7, round(line * 0.25), rest, rest]
    label = fields.columns[0].width.mm
    assert 60 < label < 110  # the longest label on one line, not 1 % of the line
    assert abs(label + fields.columns[1].width.mm - line) < 1
