"""The indicators dashboard and the statistics «на дату» (DOMAIN.md §5; п. 3.3).

The head, the curator and the council read them (DOMAIN.md §2 «reports, statistics»); the
sysadmin gets 403; mentors, mentees and teachers get 404. Every number links to the list behind
it; the previous year stands beside each one. The pages run a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from mentoring_site.lib.downloads import XLSX, attachment
from registry.models import MenteeCategory
from reports import indicators
from reports.access import reports_viewer
from reports.anonymity import is_withheld
from reports.charts import ChartRow, bar_chart, number
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


def _young_category_id() -> int | None:
    return (
        MenteeCategory.objects.filter(name=indicators.YOUNG_SPECIALIST)
        .values_list("pk", flat=True)
        .first()
    )


@dataclass(frozen=True)
class _TileMaker:
    """Makes the tiles of one year with the previous year beside each number."""

    current: dict
    previous: dict

    def __call__(self, label, path, url="", unit="", part=None, whole=None) -> Tile:
        value, before = _get(self.current, path), _get(self.previous, path)
        note = ""
        if part and whole and _get(self.current, whole):
            note = f"{_get(self.current, part)} из {_get(self.current, whole)}"
        return Tile(label, number(value, unit), number(before, unit), url, note)


def _participant_tiles(tile: _TileMaker, institution, young: str) -> list[Tile]:
    mentors, mentees = _url("registry:mentor-list"), _url("registry:mentee-list")
    return [
        tile("наставников в парах и группах", "people.mentors", mentors),
        tile("наставляемых в парах и группах", "people.mentees", mentees),
        tile(
            "утверждённых пар и групп",
            "people.groups",
            _url("registry:group-list", "status=active"),
        ),
        tile("из них пар", "people.pairs", _url("registry:group-list")),
        tile("наставников в банке", "people.mentors_in_bank", mentors),
        tile("наставляемых в банке", "people.mentees_in_bank", mentees),
        tile(
            "педагогов вовлечено в наставничество",
            "people.staff_involved_share",
            _url("registry:person-list", f"organization={institution.pk}"),
            "%",
            "people.staff_involved",
            "people.staff",
        ),
        tile(
            "молодых специалистов охвачено наставничеством",
            "people.young_covered_share",
            _url("registry:mentee-list", young),
            "%",
            "people.young_covered",
            "people.young_specialists",
        ),
    ]


def _program_tiles(tile: _TileMaker) -> list[Tile]:
    programs = "programs:program-list"
    return [
        tile("программ выполняется", "programs.active", _url(programs, "status=active")),
        tile("программ завершено", "programs.completed", _url(programs, "status=completed")),
        tile("из них в срок", "programs.completed_on_time", _url(programs, "status=completed")),
        tile("программ с продлённым сроком", "programs.extended", _url(programs)),
        tile(
            "программ прекращено досрочно",
            "programs.terminated",
            _url(programs, "status=terminated"),
        ),
        tile(
            "мероприятий выполнено в срок",
            "events.share_on_time",
            _url(programs, "overdue=on"),
            "%",
            "events.done_on_time",
            "events.due",
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


def _retention_tile(tile: _TileMaker, label: str, key: str, young: str) -> Tile:
    return tile(
        label,
        f"retention.{key}.share",
        _url("registry:mentee-list", young),
        "%",
        f"retention.{key}.retained",
        f"retention.{key}.base",
    )


def _growth_tiles(tile: _TileMaker, young: str) -> list[Tile]:
    growth = "reports:growth-list"
    return [
        tile("аттестаций на категорию", "growth.attestation", _url(growth, "kind=attestation")),
        tile("курсов повышения квалификации", "growth.course", _url(growth, "kind=course")),
        tile("профессиональных конкурсов", "growth.contest", _url(growth, "kind=contest")),
        tile("открытых мероприятий", "growth.open_event", _url(growth, "kind=open_event")),
        tile("публикаций", "growth.publication", _url(growth, "kind=publication")),
        _retention_tile(tile, "молодых специалистов остались через год", "after_1_year", young),
        _retention_tile(tile, "молодых специалистов остались через 3 года", "after_3_years", young),
    ]


def _practice_tiles(tile: _TileMaker) -> list[Tile]:
    return [
        tile("практик добавлено в копилку", "practices.added", _url("reports:practice-list")),
        tile(
            "практик одобрено для публикации",
            "practices.published",
            _url("reports:practice-list", "status=approved"),
        ),
    ]


def _sections(current: dict, previous: dict, roles, young_id) -> list:
    """[(title, [Tile])]: every indicator with the previous year beside it."""
    tile = _TileMaker(current, previous)
    young = f"category={young_id}" if young_id else ""
    return [
        ("Участники", _participant_tiles(tile, roles.institution, young)),
        ("Программы и мероприятия", _program_tiles(tile)),
        ("Удовлетворённость (мониторинг, этап 1)", _satisfaction_tiles(tile, roles)),
        ("Рост участников (мониторинг, этап 2)", _growth_tiles(tile, young)),
        ("Лучшие практики", _practice_tiles(tile)),
    ]


# --- Lists and charts -----------------------------------------------------------------------------


def _paired(current: list, previous: list, value: str) -> list[dict]:
    """Rows of this year with last year's value of the same entry beside them."""
    before = {row["id"]: row[value] for row in previous}
    return [{**row, "value": row[value], "previous": before.get(row["id"], 0)} for row in current]


def _reference_rows(current, previous, name, value, url_for):
    return [{**row, "url": url_for(row)} for row in _paired(current[name], previous[name], value)]


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
    young_id = _young_category_id()
    mentees = _url("registry:mentee-list")
    lists = {
        "forms": _reference_rows(
            current, previous, "by_form", "groups", lambda r: _url("registry:group-list")
        ),
        "kinds": _reference_rows(
            current, previous, "by_kind", "groups", lambda r: _url("registry:group-list")
        ),
        "categories": _reference_rows(
            current,
            previous,
            "by_category",
            "mentees",
            lambda r: f"{mentees}?category={r['id']}" if mentees else "",
        ),
    }
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
            "sections": _sections(current, previous, roles, young_id),
            "lists": lists,
            "charts": _charts(current, previous, lists),
            "reasons": _paired_reasons(current, previous),
            "questions": [
                {**q, "average_text": number(q["average"])}
                for q in current["satisfaction"]["by_question"]
            ],
            "statistics_url": reverse("reports:statistics"),
            "crumbs": [("Главная", reverse("home")), ("Показатели", None)],
        },
    )


def _paired_reasons(current: dict, previous: dict) -> list[dict]:
    before = {r["key"]: r["count"] for r in previous["programs"]["terminated_by_reason"]}
    return [
        {**r, "previous": before.get(r["key"], 0)}
        for r in current["programs"]["terminated_by_reason"]
    ]


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
