"""Bar charts of the final report as inline SVG: the same markup on the page and in the PDF
(WeasyPrint draws inline SVG). Every piece of text goes through ``format_html``, so a label
typed by a person (a form, a category, a question) is escaped; no ``|safe`` anywhere.

Each chart sits next to a table with the same numbers: the chart helps the eye, the table is
what a screen reader and the printed report rely on.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 600  # px: fits the page column and the A4 text width (600 px = 159 mm)
BAR_AREA = 490  # the rest of the width holds the value after the bar
ROW_HEIGHT = 38
MAX_LABEL = 90
ACCENT = "#2f6f9f"
TRACK = "#e7eef4"


def number_text(value) -> str:
    """12 → «12», 66.7 → «66,7» (a Russian decimal comma)."""
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart(rows, *, title: str, unit: str = "", max_value=None) -> SafeString:
    """A horizontal bar chart of ``rows`` — (label, value) pairs; rows without a value or
    with zero are left out (the table beside lists them). An empty string when there is
    nothing to draw."""
    rows = [(str(label), value) for label, value in rows if value]
    top = max_value if max_value is not None else max((v for _, v in rows), default=0)
    if not rows or not top:
        return mark_safe("")  # nothing typed here: an empty string
    height = len(rows) * ROW_HEIGHT + 6

    def bar(index, label, value):
        y = index * ROW_HEIGHT
        width = round(BAR_AREA * min(value, top) / top, 1)
        return (
            y + 13,
            _short(label),
            y + 18,
            BAR_AREA,
            TRACK,
            y + 18,
            width,
            ACCENT,
            BAR_AREA + 8,
            y + 30,
            number_text(value),
            unit,
        )

    bars = format_html_join(
        "\n",
        '<text x="0" y="{}" font-size="13" fill="#222">{}</text>'
        '<rect x="0" y="{}" width="{}" height="14" fill="{}"></rect>'
        '<rect x="0" y="{}" width="{}" height="14" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="13" fill="#222">{}{}</text>',
        (bar(i, label, value) for i, (label, value) in enumerate(rows)),
    )
    return format_html(
        '<svg class="report-chart img-fluid" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 {} {}" width="{}" height="{}" font-family="DejaVu Sans, sans-serif" '
        'aria-label="{}"><title>{}</title>\n{}\n</svg>',
        WIDTH,
        height,
        WIDTH,
        height,
        title,
        title,
        bars,
    )
