"""Statistics «на дату» for the statistical forms (DOMAIN.md §5): the participants by category,
form, kind and status, as tables for the page and as XLSX and CSV downloads.

Everything is counted as ``reports.indicators`` counts it, for the academic year that holds the
date and up to that date (see the definitions there). Two counts of this module are of the
record as it stands, since the registry keeps no history of them: the status of a mentee's bank
entry (of the entries existing and not dismissed on the date) and the state of a group (of the
groups proposed by the date whose planned term overlaps the year up to the date). The number of
queries does not depend on the amount of data. No personal data: only counts and the orders'
numbers.

Everything is counted by the documents' dates (the founding order's date, the program's
approval, the date of completion), not by when a record was typed: a September order entered
in October counts on 01.10. Where the entry date differs from the document's, the table
«Внесено позже даты документа» shows both («внесено 15.10.2026»).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate

from mentoring_site.lib.academic_year import academic_year_start
from mentoring_site.lib.spreadsheets import Book, csv_bytes
from registry.models import GroupMember, MenteeProfile, MentoringGroup, Order
from reports import indicators


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    empty: str = "Справочник пуст."


@dataclass(frozen=True)
class Statistics:
    institution_name: str
    on_date: date
    year_label: str
    tables: list[Table]
    is_empty: bool

    @property
    def heading(self) -> str:
        return f"Статистика наставничества на {self.on_date:%d.%m.%Y}"


def _members_by(p: indicators.Period, path: str) -> dict:
    """{reference id: (mentors, mentees)} of the members of the period, each person once."""

    rows = (
        p.members()
        .values(path)
        .annotate(
            mentors=Count("person", distinct=True, filter=Q(role__in=indicators.MENTOR_ROLES)),
            mentees=Count("person", distinct=True, filter=Q(role=GroupMember.Role.MENTEE)),
        )
        .order_by()
    )
    return {r[path]: (r["mentors"], r["mentees"]) for r in rows}


def _bank_by_category(p: indicators.Period) -> dict:

    rows = (
        MenteeProfile.objects.filter(person__institution=p.institution, created_at__lt=p.until)
        .filter(Q(person__dismissed_on__isnull=True) | Q(person__dismissed_on__gt=p.end))
        .values("category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["category"]: r["n"] for r in rows}


def _mentee_statuses(p: indicators.Period) -> list[list]:

    counts = (
        MenteeProfile.objects.filter(person__institution=p.institution, created_at__lt=p.until)
        .filter(Q(person__dismissed_on__isnull=True) | Q(person__dismissed_on__gt=p.end))
        .aggregate(**{s.value: Count("pk", filter=Q(status=s)) for s in MenteeProfile.Status})
    )
    return [[s.label, counts[s.value]] for s in MenteeProfile.Status]


def _group_statuses(p: indicators.Period) -> list[list]:

    counts = MentoringGroup.objects.filter(
        institution=p.institution,
        proposed_at__lt=p.until,
        planned_start__lte=p.end,
        planned_end__gte=p.start,
    ).aggregate(**{s.value: Count("pk", filter=Q(status=s)) for s in MentoringGroup.Status})
    return [[s.label, counts[s.value]] for s in MentoringGroup.Status]


def _entered_later(p: indicators.Period) -> list[list]:
    """The founding orders of the counted groups entered after their own date: the order, its
    date and «внесено …» (one query)."""
    orders = (
        Order.objects.filter(
            institution=p.institution,
            groups__in=p.groups(),
            date__isnull=False,
        )
        .annotate(entered=TruncDate("created_at"))
        .filter(entered__gt=F("date"))
        .distinct()
        .order_by("date", "number")
        .values_list("number", "date", "entered")
    )
    return [[f"Приказ № {n} от {d:%d.%m.%Y}", f"внесено {e:%d.%m.%Y}"] for n, d, e in orders]


def statistics(*, institution, on_date: date) -> Statistics:
    year = academic_year_start(on_date).year
    data = indicators.compute(institution=institution, year_start=year, on_date=on_date)
    start, end, _ = indicators.period(year, on_date)
    p = indicators.Period(institution, start, end)
    people, programs = data["people"], data["programs"]
    by_form = _members_by(p, "group__form")
    by_kind = _members_by(p, "group__kinds")
    bank = _bank_by_category(p)
    tables = [
        Table(
            "participants",
            "Участники",
            ["Показатель", "Число"],
            [
                ["Наставников в банке", people["mentors_in_bank"]],
                ["Наставляемых в банке", people["mentees_in_bank"]],
                ["Наставников в парах и группах учебного года", people["mentors"]],
                ["Наставляемых в парах и группах учебного года", people["mentees"]],
                ["Утверждённых пар и групп", people["groups"]],
                ["из них пар (один наставляемый)", people["pairs"]],
                ["Педагогических работников учреждения", people["staff"]],
                ["из них участвуют в наставничестве", people["staff_involved"]],
                ["Молодых специалистов", people["young_specialists"]],
                ["из них в наставничестве", people["young_covered"]],
            ],
        ),
        Table(
            "categories",
            "Наставляемые по категориям",
            ["Категория", "В банке", "В парах и группах"],
            [[r["name"], bank.get(r["id"], 0), r["mentees"]] for r in data["by_category"]],
        ),
        Table(
            "forms",
            "Пары и группы по формам наставничества",
            ["Форма", "Пар и групп", "Наставников", "Наставляемых"],
            [[r["name"], r["groups"], *by_form.get(r["id"], (0, 0))] for r in data["by_form"]],
        ),
        Table(
            "kinds",
            "Пары и группы по видам наставничества",
            ["Вид", "Пар и групп", "Наставников", "Наставляемых"],
            [[r["name"], r["groups"], *by_kind.get(r["id"], (0, 0))] for r in data["by_kind"]],
        ),
        Table(
            "mentee-statuses",
            "Наставляемые по статусу в банке",
            ["Статус", "Наставляемых"],
            _mentee_statuses(p),
        ),
        Table(
            "group-statuses",
            "Пары и группы по состоянию",
            ["Состояние", "Пар и групп"],
            _group_statuses(p),
        ),
        Table(
            "entered-later",
            "Внесено позже даты документа (посчитано по дате документа)",
            ["Документ", "Дата внесения"],
            _entered_later(p),
            "Все приказы внесены в день своей даты.",
        ),
        Table(
            "programs",
            "Программы наставничества",
            ["Показатель", "Число"],
            [
                ["Выполняются", programs["active"]],
                ["Завершены", programs["completed"]],
                ["из них в срок", programs["completed_on_time"]],
                ["Срок продлевался", programs["extended"]],
                ["Прекращены досрочно", programs["terminated"]],
            ],
        ),
    ]
    return Statistics(
        institution_name=institution.name,
        on_date=on_date,
        year_label=data["year_label"],
        tables=tables,
        is_empty=data["is_empty"],
    )


# --- Files -------------------------------------------------------------------------------------


def _lines(stats: Statistics) -> list[tuple[str, list]]:
    """The file's rows with their kind: «title», «head», «row» or «blank»."""
    lines = [
        ("title", [stats.heading]),
        ("row", [stats.institution_name]),
        ("row", [f"Учебный год {stats.year_label}"]),
        ("blank", []),
    ]
    for table in stats.tables:
        lines += [("title", [table.title]), ("head", table.columns)]
        lines += [("row", row) for row in table.rows]
        lines.append(("blank", []))
    return lines


def statistics_csv(stats: Statistics) -> bytes:
    """UTF-8 with a BOM and «;» between the columns: Russian Excel opens it as it is."""
    return csv_bytes(row for _, row in _lines(stats))


def statistics_xlsx(stats: Statistics) -> bytes:
    book = Book()
    sheet = book.sheet("Статистика")
    for kind, row in _lines(stats):
        sheet.line(row, style={"title": "title", "head": "header"}.get(kind, ""))
    sheet.widths([60, 16, 16, 16])
    return book.bytes()


def statistics_filename(on_date: date, extension: str) -> str:
    """«Статистика на 15.01.2027.xlsx» (the header: mentoring_site/lib/downloads.py)."""
    return f"Статистика на {on_date:%d.%m.%Y}.{extension}"
