"""The roadmap's timeline: the stages as bars across the academic year, drawn as SVG by a template
from the coordinates computed here (no JavaScript). One bar per stage from its earliest start to
its latest deadline, its filled part the stage's progress; a red line for today; a mark at the
deadline of each overdue activity."""

from dataclasses import dataclass
from datetime import date, timedelta

from roadmap.progress import RoadmapProgress

MONTHS = ["сен", "окт", "ноя", "дек", "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг"]

LEFT = 110  # the column of stage labels
MONTH_WIDTH = 62
TOP = 30  # the row of month names
ROW = 44
BAR = 18
RIGHT = 12
BOTTOM = 22  # room for the «сегодня» label under the grid


@dataclass(frozen=True)
class Month:
    x: float
    width: float
    label: str
    label_x: float


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Bar:
    number: int
    title: str
    percent: int
    label: str  # «Этап 5: выполнено 40 %»
    label_y: float
    percent_y: float
    y: float
    x: float
    width: float
    fill_width: float
    period: str
    marks: list[Mark]


@dataclass(frozen=True)
class Timeline:
    width: float
    height: float
    grid_top: float
    grid_bottom: float
    grid_height: float
    months: list[Month]
    bars: list[Bar]
    today_x: float | None
    today_label: str
    today_label_y: float
    today_label_x: float
    title: str
    description: str
    bar_height: int = BAR


def _r(value: float) -> float:
    return round(value, 1)


def build_timeline(progress: RoadmapProgress) -> Timeline:
    roadmap = progress.roadmap
    start, end = roadmap.starts_on, roadmap.ends_on
    span = (end - start).days + 1
    scale = MONTH_WIDTH * 12 / span

    def x_of(day: date) -> float:
        day = min(max(day, start), end + timedelta(days=1))
        return LEFT + (day - start).days * scale

    months = []
    for index, label in enumerate(MONTHS):
        year = roadmap.year_start if index < 4 else roadmap.year_start + 1
        month = (index + 8) % 12 + 1
        first = date(year, month, 1)
        following = date(year + (month == 12), month % 12 + 1, 1)
        x, right = x_of(first), x_of(following)
        months.append(Month(_r(x), _r(right - x), label, _r((x + right) / 2)))

    bars = []
    for row, stage in enumerate(progress.stages):
        y = TOP + row * ROW + (ROW - BAR) / 2
        label = f"Этап {stage.stage.number}: выполнено {stage.percent} %"
        if stage.starts_on is None:
            x = width = 0.0
            period = "мероприятий нет"
        else:
            x = x_of(stage.starts_on)
            width = x_of(stage.ends_on + timedelta(days=1)) - x
            period = f"{stage.starts_on:%d.%m.%Y} — {stage.ends_on:%d.%m.%Y}"
        marks = [
            Mark(
                _r(x_of(a.activity.deadline)),
                _r(y + BAR / 2),
                f"Просрочено: «{a.activity.title}», срок {a.activity.deadline:%d.%m.%Y}",
            )
            for a in stage.overdue
        ]
        bars.append(
            Bar(
                number=stage.stage.number,
                title=stage.stage.title,
                percent=stage.percent,
                label=label,
                label_y=_r(y + 6),
                percent_y=_r(y + BAR + 4),
                y=_r(y),
                x=_r(x),
                width=_r(width),
                fill_width=_r(width * stage.percent / 100),
                period=period,
                marks=marks,
            )
        )

    grid_bottom = TOP + len(bars) * ROW
    today = progress.today
    today_x = _r(x_of(today)) if start <= today <= end else None
    title = f"График дорожной карты на {roadmap.year_label} учебный год"
    description = ". ".join(b.label for b in bars)
    overdue = len(progress.overdue)
    if overdue:
        description += f". Просрочено мероприятий: {overdue}"
    if today_x is not None:
        description += f". Сегодня {today:%d.%m.%Y}"
    return Timeline(
        width=LEFT + MONTH_WIDTH * 12 + RIGHT,
        height=grid_bottom + BOTTOM,
        grid_top=TOP - 6,
        grid_bottom=grid_bottom,
        grid_height=grid_bottom - (TOP - 6),
        months=months,
        bars=bars,
        today_x=today_x,
        today_label=f"сегодня, {today:%d.%m.%Y}",
        today_label_y=grid_bottom + 16,
        today_label_x=_r(min(max(today_x or 0, LEFT + 60), LEFT + MONTH_WIDTH * 12 - 60)),
        title=title,
        description=description + ".",
    )
