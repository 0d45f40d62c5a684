"""The indicators dashboard and the statistics «на дату» (DOMAIN.md §5; п. 3.3).

The head, the curator and the council read them (DOMAIN.md §2 «reports, statistics»); the
sysadmin gets 403; mentors, mentees and teachers get 404. Every countable number links to
exactly the rows it counts (``indicator_rows``: ``indicators.FIGURES``, issue 18, item 9); the
averages of the questionnaires to the surveys, for those who may read them. The previous year
stands beside each number. The pages run a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from mentoring_site.lib.downloads import XLSX, attachment
from mentoring_site.lib.pages import list_page
from registry.models import GroupMember
from reports import indicators
from reports.access import reports_viewer
from reports.anonymity import is_withheld
from reports.charts import ChartRow, bar_chart, number
from reports.figure_links import figure_url
from reports.forms.dashboard import DashboardForm, StatisticsForm
from reports.statistics import (
    statistics,
    statistics_csv,
    statistics_filename,
    statistics_xlsx,
)


def _url(name: str, query: str = "") -> str:
    """The list behind a number; empty while the part that owns it is not installed yet."""
    try:
        url = reverse(name)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


# --- Tiles --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    previous: str
    url: str = ""
    note: str = ""

    @property
    def has_value(self) -> bool:
        return self.value != number(None)


def _get(data: dict, path: str):
    value = data
    for part in path.split("."):
        value = value[part]
    return value


@dataclass(frozen=True)
class _TileMaker:
    """Makes the tiles of one year with the previous year beside each number; each links to
    the rows behind it (``figure_url``) unless given another address."""

    current: dict
    previous: dict

    @property
    def on_date(self) -> date | None:
        on = self.current["on_date"]
        return date.fromisoformat(on) if on else None

    def link(self, key: str, ref="") -> str:
        return figure_url(key, self.current["year_start"], self.on_date, ref)

    def __call__(self, label, path, url=None, unit="", part=None, whole=None) -> Tile:
        value, before = _get(self.current, path), _get(self.previous, path)
        url = self.link(path) if url is None else url
        note = ""
        if part and whole and _get(self.current, whole):
            note = f"{_get(self.current, part)} из {_get(self.current, whole)}"
        return Tile(label, number(value, unit), number(before, unit), url, note)


def _participant_tiles(tile: _TileMaker) -> list[Tile]:
    return [
        tile("наставников в парах и группах", "people.mentors"),
        tile("наставляемых в парах и группах", "people.mentees"),
        tile("утверждённых пар и групп", "people.groups"),
        tile("из них пар", "people.pairs"),
        tile("наставников в банке", "people.mentors_in_bank"),
        tile("наставляемых в банке", "people.mentees_in_bank"),
        tile(
            "педагогов вовлечено в наставничество",
            "people.staff_involved_share",
            unit="%",
            part="people.staff_involved",
            whole="people.staff",
        ),
        tile(
            "молодых специалистов охвачено наставничеством",
            "people.young_covered_share",
            unit="%",
            part="people.young_covered",
            whole="people.young_specialists",
        ),
    ]


def _program_tiles(tile: _TileMaker) -> list[Tile]:
    return [
        tile("программ выполняется", "programs.active"),
        tile("программ завершено", "programs.completed"),
        tile("из них в срок", "programs.completed_on_time"),
        tile("программ с продлённым сроком", "programs.extended"),
        tile("программ прекращено досрочно", "programs.terminated"),
        tile(
            "мероприятий выполнено в срок",
            "events.share_on_time",
            unit="%",
            part="events.done_on_time",
            whole="events.due",
        ),
    ]


def _satisfaction_tiles(tile: _TileMaker, roles) -> list[Tile]:
    # The results of the questionnaires are the curator's and the council's (п. 3.4): the head
    # reads the averages here without a link to a list she may not open.
    surveys = _url("reports:survey-list") if roles.can_read_survey_results else ""
    return [
        tile("средняя оценка, из 10", "satisfaction.average", surveys),
        tile("средняя оценка наставляемых", "satisfaction.mentee_average", surveys),
        tile("средняя оценка наставников", "satisfaction.mentor_average", surveys),
        tile("анкет заполнено", "satisfaction.responses", surveys),
    ]


def _retention_tile(tile: _TileMaker, label: str, key: str) -> Tile:
    return tile(
        label,
        f"retention.{key}.share",
        unit="%",
        part=f"retention.{key}.retained",
        whole=f"retention.{key}.base",
    )


def _growth_tiles(tile: _TileMaker) -> list[Tile]:
    return [
        tile("аттестаций на категорию", "growth.attestation"),
        tile("курсов повышения квалификации", "growth.course"),
        tile("профессиональных конкурсов", "growth.contest"),
        tile("открытых мероприятий", "growth.open_event"),
        tile("публикаций", "growth.publication"),
        _retention_tile(tile, "молодых специалистов остались через год", "after_1_year"),
        _retention_tile(tile, "молодых специалистов остались через 3 года", "after_3_years"),
    ]


def _practice_tiles(tile: _TileMaker) -> list[Tile]:
    return [
        tile("практик добавлено в копилку", "practices.added"),
        tile("практик одобрено для публикации", "practices.published"),
    ]


def _sections(current: dict, previous: dict, roles) -> list:
    """[(title, [Tile])]: every indicator with the previous year beside it."""
    tile = _TileMaker(current, previous)
    return [
        ("Участники", _participant_tiles(tile)),
        ("Программы и мероприятия", _program_tiles(tile)),
        ("Удовлетворённость (мониторинг, этап 1)", _satisfaction_tiles(tile, roles)),
        ("Рост участников (мониторинг, этап 2)", _growth_tiles(tile)),
        ("Лучшие практики", _practice_tiles(tile)),
    ]


# --- Lists and charts -----------------------------------------------------------------------------


def _paired(current: list, previous: list, value: str) -> list[dict]:
    """Rows of this year with last year's value of the same entry beside them."""
    before = {row["id"]: row[value] for row in previous}
    return [{**row, "value": row[value], "previous": before.get(row["id"], 0)} for row in current]


def _reference_rows(current: dict, previous: dict, name: str, value: str) -> list[dict]:
    """The rows by form (kind, category), each linked to the groups (mentees) it counts."""
    tile = _TileMaker(current, previous)
    return [
        {**row, "url": tile.link(name, row["id"])}
        for row in _paired(current[name], previous[name], value)
    ]


def reference_lists(current: dict, previous: dict) -> dict:
    """The tables by form, kind and category of the dashboard (also read by the tests)."""
    return {
        "forms": _reference_rows(current, previous, "by_form", "groups"),
        "kinds": _reference_rows(current, previous, "by_kind", "groups"),
        "categories": _reference_rows(current, previous, "by_category", "mentees"),
    }


def _charts(current: dict, previous: dict, lists: dict) -> dict:
    def rows(items):
        return [
            ChartRow(
                i["name"], i["value"], number(i["value"]), i["previous"], number(i["previous"])
            )
            for i in items
        ]

    events = current["events"]
    programs, before = current["programs"], previous["programs"]
    outcome = [
        ("выполняются", "active"),
        ("завершены в срок", "completed_on_time"),
        ("завершены", "completed"),
        ("срок продлевался", "extended"),
        ("прекращены досрочно", "terminated"),
    ]
    outcome_rows = [
        ChartRow(label, programs[key], number(programs[key]), before[key], number(before[key]))
        for label, key in outcome
    ]
    previous_reasons = {r["key"]: r["count"] for r in before["terminated_by_reason"]}
    outcome_rows += [
        ChartRow(
            f"прекращены: {r['reason']}",
            r["count"],
            number(r["count"]),
            previous_reasons.get(r["key"], 0),
            number(previous_reasons.get(r["key"], 0)),
        )
        for r in programs["terminated_by_reason"]
    ]
    previous_share = previous["events"]["share_on_time"]
    event_rows = []
    if events["due"] or previous["events"]["due"]:
        event_rows = [
            ChartRow(
                f"выполнено в срок: {events['done_on_time']} из {events['due']}",
                events["share_on_time"] or 0,
                number(events["share_on_time"], "%"),
                previous_share or 0,
                number(previous_share, "%"),
            )
        ]
    questions = [
        ChartRow(
            q["text"],
            0 if is_withheld(q["average"]) else q["average"] or 0,
            f"{number(q['average'])} ({q['count']} отв.)",
        )
        for q in current["satisfaction"]["by_question"]
    ]
    return {
        "forms": bar_chart(
            "chart-forms", "Пары и группы по формам наставничества", rows(lists["forms"])
        ),
        "kinds": bar_chart(
            "chart-kinds", "Пары и группы по видам наставничества", rows(lists["kinds"])
        ),
        "categories": bar_chart(
            "chart-categories", "Наставляемые по категориям", rows(lists["categories"])
        ),
        "events": bar_chart(
            "chart-events", "Мероприятия программ, выполненные в срок, %", event_rows, maximum=100
        ),
        "questions": bar_chart(
            "chart-questions", "Средняя оценка по вопросам анкет, из 10", questions, maximum=10
        ),
        "programs": bar_chart("chart-programs", "Программы по итогам", outcome_rows),
    }


def _dashboard_form(request, years):
    current = years[0]
    form = DashboardForm(request.GET or None, years=years, initial={"year": current})
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["year"], form.cleaned_data["on_date"]
    return form, current, None


@login_required
def dashboard(request):
    roles = reports_viewer(request)
    institution = roles.institution
    today = timezone.localdate()
    years = indicators.years_with_data(institution, today)
    form, year, on_date = _dashboard_form(request, years)
    current = indicators.cached_compute(institution=institution, year_start=year, on_date=on_date)
    before_date = indicators.years_back(on_date, 1) if on_date else None
    previous = indicators.cached_compute(
        institution=institution, year_start=year - 1, on_date=before_date
    )
    lists = reference_lists(current, previous)
    heading = f"Показатели наставничества за {current['year_label']} учебный год"
    if current["on_date"]:
        heading = f"Показатели наставничества на {on_date:%d.%m.%Y}"
    return render(
        request,
        "reports/dashboard/dashboard.html",
        {
            "form": form,
            "heading": heading,
            "data": current,
            "previous": previous,
            "previous_label": previous["year_label"],
            "period_start": date.fromisoformat(current["period_start"]),
            "period_end": date.fromisoformat(current["period_end"]),
            "sections": _sections(current, previous, roles),
            "lists": lists,
            "charts": _charts(current, previous, lists),
            "reasons": paired_reasons(current, previous),
            "questions": [
                {**q, "average_text": number(q["average"])}
                for q in current["satisfaction"]["by_question"]
            ],
            "statistics_url": reverse("reports:statistics"),
            "crumbs": [("Главная", reverse("home")), ("Показатели", None)],
        },
    )


def paired_reasons(current: dict, previous: dict) -> list[dict]:
    """The programs terminated per reason (п. 7.1), each linked to the programs it counts."""
    tile = _TileMaker(current, previous)
    before = {r["key"]: r["count"] for r in previous["programs"]["terminated_by_reason"]}
    return [
        {
            **r,
            "previous": before.get(r["key"], 0),
            "url": tile.link("programs.terminated_by_reason", r["key"]),
        }
        for r in current["programs"]["terminated_by_reason"]
    ]


# --- The rows behind a number -----------------------------------------------------------------

ROWS_PAGE_SIZE = 50
MEMBERS = Prefetch("members", queryset=GroupMember.objects.select_related("person"))


def _shown(kind: str, rows):
    """The rows of a figure with what their table shows loaded in a fixed number of queries."""
    if kind == "people":
        return rows.select_related("position", "organization")
    if kind == "groups":
        return rows.select_related("form").prefetch_related(MEMBERS).order_by("planned_start", "pk")
    if kind == "programs":
        members = Prefetch("group__members", queryset=MEMBERS.queryset)
        return rows.select_related("group").prefetch_related(members).order_by("start", "pk")
    if kind == "events":
        members = Prefetch("program__group__members", queryset=MEMBERS.queryset)
        return (
            rows.select_related("program__group")
            .prefetch_related(members)
            .order_by("deadline", "pk")
        )
    if kind == "growth":
        return rows.select_related("person").order_by("date", "pk")
    return rows.order_by("created_at", "pk")  # practices


def _figure_choice(request, institution):
    """(figure key, year, on_date, ref) from the address; 404 for what the dashboard never
    links (an unknown figure, a year without data, a date outside the year)."""
    today = timezone.localdate()
    years = indicators.years_with_data(institution, today)
    query = request.GET.copy()
    query.setdefault("year", str(years[0]))
    form = DashboardForm(query, years=years)
    key = request.GET.get("key", "")
    if not form.is_valid() or key not in indicators.FIGURES:
        raise Http404
    return key, form.cleaned_data["year"], form.cleaned_data["on_date"], request.GET.get("ref", "")


@login_required
def indicator_rows(request):
    """Exactly the rows one number of the dashboard (or of the head's home) counts, with «Всего»
    equal to it; a share lists its part and says «N из M»."""
    roles = reports_viewer(request)
    key, year, on_date, ref = _figure_choice(request, roles.institution)
    found = indicators.figure_rows(
        institution=roles.institution, key=key, year_start=year, on_date=on_date, ref=ref
    )
    if found is None:
        raise Http404
    figure = found.figure
    page_obj = list_page(request, _shown(figure.kind, found.rows), ROWS_PAGE_SIZE)
    count = page_obj.paginator.count
    share = None
    if found.whole is not None:
        whole = found.whole.count()
        share = {
            "part": count,
            "whole": whole,
            "text": indicators.share_text(indicators.share(count, whole)),
        }
    title = f"{figure.title} «{found.entry}»" if found.entry else figure.title
    when = f"на {on_date:%d.%m.%Y}" if on_date else f"за {indicators.year_label(year)} учебный год"
    back = {"year": year, **({"on_date": on_date.isoformat()} if on_date else {})}
    dashboard_url = f"{reverse('reports:dashboard')}?{urlencode(back)}"
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/dashboard/indicator_rows.html",
        {
            "heading": f"{title} {when}",
            "print_lines": [f"{title} {when}"],
            "figure": figure,
            "kind": figure.kind,
            "page_obj": page_obj,
            "rows": page_obj.object_list,
            "count": count,
            "share": share,
            "dashboard_url": dashboard_url,
            "query_without_page": query.urlencode() + "&",
            "crumbs": [
                ("Главная", reverse("home")),
                ("Показатели", dashboard_url),
                (title, None),
            ],
        },
    )


# --- Statistics -------------------------------------------------------------------------------


def _statistics_date(request):
    today = timezone.localdate()
    form = StatisticsForm(request.GET or None, initial={"on_date": today})
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["on_date"]
    return form, today


@login_required
def statistics_page(request):
    roles = reports_viewer(request)
    form, on_date = _statistics_date(request)
    stats = statistics(institution=roles.institution, on_date=on_date)
    return render(
        request,
        "reports/dashboard/statistics.html",
        {
            "form": form,
            "stats": stats,
            "on_value": f"{on_date:%Y-%m-%d}",
            "dashboard_url": reverse("reports:dashboard"),
            "crumbs": [
                ("Главная", reverse("home")),
                ("Показатели", reverse("reports:dashboard")),
                ("Статистика", None),
            ],
        },
    )


@login_required
def statistics_export(request, fmt: str):
    roles = reports_viewer(request)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    _, on_date = _statistics_date(request)
    stats = statistics(institution=roles.institution, on_date=on_date)
    if fmt == "xlsx":
        response = HttpResponse(statistics_xlsx(stats), content_type=XLSX)
    else:
        response = HttpResponse(statistics_csv(stats), content_type="text/csv; charset=utf-8")
    name = statistics_filename(on_date, fmt)
    return attachment(response, name)
