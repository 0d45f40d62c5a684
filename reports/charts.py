"""Small horizontal bar charts of the dashboard and of the final report, drawn as SVG by one
template (``templates/reports/_bar_chart.html``) from the coordinates computed here: no
JavaScript, nothing typed by a user inserted unescaped (the template escapes it). The same
markup works on a page and in a PDF (WeasyPrint draws inline SVG). Each bar carries its number
as text beside it and a ``<title>``; the page shows the same numbers in a table too.

A row may have the previous year's value: a thin grey bar under the main one.
"""

from dataclasses import dataclass, field

from reports.anonymity import is_withheld

WIDTH = 480
LABEL_HEIGHT = 18  # the row's label above its bar
BAR = 16
PREVIOUS_BAR = 6
GAP = 14
VALUE_ROOM = 110  # room right of the longest bar for its number
LEFT = 4


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: float
    text: str  # the value as printed: «12», «57,1 %»
    previous: float | None = None
    previous_text: str = ""
    url: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    title: str
    label_y: float
    y: float
    width: float
    text_x: float
    text_y: float
    previous_y: float | None
    previous_width: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: float
    bars: list[Bar] = field(default_factory=list)
    has_previous: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.bars


def _r(value: float) -> float:
    return round(value, 1)


def number(value: float | int | str | None, unit: str = "") -> str:
    """«12», «57,1 %», «8,5»; «нет данных» for None; a text (the note in place of a withheld
    average, ``reports.anonymity``) as it is."""
    if value is None:
        return "нет данных"
    if isinstance(value, str):
        return value
    text = f"{value:.1f}".replace(".", ",") if isinstance(value, float) else str(value)
    return f"{text} {unit}".strip() if unit else text


def bar_chart(
    chart_id: str,
    title: str,
    rows: list[ChartRow],
    *,
    maximum: float | None = None,
    description: str = "",
) -> Chart:
    """Bars scaled to ``maximum`` (or to the largest value of the rows, this year or the last)."""
    values = [r.value for r in rows] + [r.previous for r in rows if r.previous is not None]
    top = maximum if maximum is not None else max(values, default=0)
    room = WIDTH - LEFT - VALUE_ROOM
    has_previous = any(r.previous is not None for r in rows)
    step = LABEL_HEIGHT + BAR + (PREVIOUS_BAR + 2 if has_previous else 0) + GAP
    bars = []
    for index, row in enumerate(rows):
        top_y = 4 + index * step
        width = room * row.value / top if top else 0
        previous_width = room * (row.previous or 0) / top if top else 0
        bar_y = top_y + LABEL_HEIGHT
        title_text = f"{row.label}: {row.text}"
        if row.previous is not None:
            title_text += f" (прошлый год: {row.previous_text})"
        bars.append(
            Bar(
                label=row.label,
                text=row.text,
                title=title_text,
                label_y=_r(top_y + 13),
                y=_r(bar_y),
                width=_r(max(width, 2 if row.value else 0)),
                text_x=_r(LEFT + width + 6),
                text_y=_r(bar_y + BAR - 3),
                previous_y=_r(bar_y + BAR + 2) if row.previous is not None else None,
                previous_width=_r(max(previous_width, 2 if row.previous else 0)),
            )
        )
    height = 8 + len(rows) * step
    return Chart(
        id=chart_id,
        title=title,
        description=description or "; ".join(b.title for b in bars),
        width=WIDTH,
        height=_r(height),
        bars=bars,
        has_previous=has_previous,
    )


def pairs_chart(chart_id: str, title: str, pairs, *, maximum: float | None = None) -> Chart:
    """A chart of (label, value) pairs without the previous year; rows with no value or zero
    are left out (the table beside lists them)."""
    rows = [
        ChartRow(str(label), value, number(value))
        for label, value in pairs
        if value and not is_withheld(value)
    ]
    return bar_chart(chart_id, title, rows, maximum=maximum)


def compare_chart(chart_id: str, title: str, triples, *, maximum: float | None = None) -> Chart:
    """A chart of (label, value, last year's value or None) triples: this year's bar with last
    year's thin grey one under it; rows with nothing in either year are left out."""
    rows = [
        ChartRow(
            str(label),
            value or 0,
            number(value),
            previous,
            number(previous) if previous is not None else "",
        )
        for label, value, previous in triples
        if value or previous
    ]
    return bar_chart(chart_id, title, rows, maximum=maximum)
