"""The curator's final analytical report of an academic year (п. 3.3: «формирует итоговый
аналитический отчёт о реализации системы (целевой модели) наставничества»).

While a draft, the report is computed from the registry's data each time it is opened
(``report_data``). When the curator hands it in (``report_finalize``), that data and the
curator's texts are stored in ``FinalReport.snapshot`` and the report shows only the snapshot:
later edits to the data never change a report that was handed in. A handed-in report is not
reopened — like a signed order, it is a document; a correction goes into a later report.

``report_data`` runs a fixed number of queries, whatever the number of programs: the numbers
come from ``reports.indicators.compute`` (itself of a fixed number of queries), the rest below
is one query per kind of fact.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mentoring_site.lib.academic_year import academic_year_start
from programs.models import ProgramChange, TermChange
from registry.models import Order, Organization, Person, Role, RoleAssignment
from reports import indicators
from reports.charts import pairs_chart
from reports.models import FinalReport, GrowthRecord, Practice
from roadmap.models import Roadmap

TEXT_FIELDS = ("problems", "risks", "proposals")

# Federal and regional acts the institution's system of mentoring rests on (DOMAIN.md §7).
NORMATIVE_BASE = [
    "Трудовой кодекс Российской Федерации, статья 351.8 «Наставничество» "
    "(в редакции, действующей с 01.03.2025)",
    "Федеральный закон от 27.07.2006 № 152-ФЗ «О персональных данных»",
    "Распоряжение Комитета по образованию Санкт-Петербурга от 29.11.2023 № 1520-р "
    "(Приложение № 3: региональная система (целевая модель) наставничества "
    "педагогических работников)",
]

# Orders that stay in force until replaced: the latest signed one counts even if it was signed
# in an earlier year (the regulation, the curator, the council's composition).
STANDING_KINDS = (Order.Kind.REGULATION, Order.Kind.CURATOR, Order.Kind.COUNCIL)


def period_of(year_start: int, today: date | None = None) -> tuple[date, date]:
    """1 September to 31 August of the academic year; the current year ends today («на
    дату»), as the indicators do."""
    start, end, _ = indicators.period(year_start, today or timezone.localdate())
    return start, end


def year_label(year_start: int) -> str:
    return f"{year_start}/{year_start + 1}"


def current_year_start() -> int:
    return academic_year_start(timezone.localdate()).year


def _d(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def _person_name(person: Person | None, user=None) -> str:
    if person is not None:
        return person.full_name
    if user is not None:
        return user.get_full_name() or user.username
    return ""


def _person_row(person: Person | None, user=None) -> dict:
    position = person.position.name if person is not None and person.position_id else ""
    return {"name": _person_name(person, user), "position": position}


def _indicators(*, institution: Organization, year_start: int, today: date) -> dict:
    """The numbers of the year (``reports.indicators``), up to today in the current year."""
    return indicators.compute(institution=institution, year_start=year_start, on_date=today)


# Facts gathered here -----------------------------------------------------------------------


def _orders(institution: Organization, start: date, end: date) -> list[Order]:
    """Signed orders of the year and the standing orders in force during it, oldest first."""
    orders = list(
        Order.objects.filter(institution=institution, status=Order.Status.SIGNED)
        .filter(Q(date__range=(start, end)) | Q(kind__in=STANDING_KINDS, date__lt=start))
        .order_by("date", "signed_at", "pk")
    )
    # Of the standing orders signed before the year, only the latest of each kind is in force.
    latest_before = {}
    for order in orders:
        if order.date < start:
            latest_before[order.kind] = order.pk
    return [o for o in orders if o.date >= start or latest_before.get(o.kind) == o.pk]


def _order_row(order: Order, start: date) -> dict:
    return {
        "pk": order.pk,
        "kind": order.kind,
        "kind_label": order.get_kind_display(),
        "number": order.number,
        "date": _d(order.date),
        "title": order.title,
        "in_year": order.date >= start,  # else a standing order of an earlier year
    }


def _roadmap_row(institution: Organization, year_start: int) -> dict | None:
    roadmap = (
        Roadmap.objects.filter(institution=institution, year_start=year_start)
        .select_related("order")
        .first()
    )
    if roadmap is None:
        return None
    order = roadmap.order
    return {
        "status": roadmap.status,
        "status_label": roadmap.get_status_display(),
        "order_number": order.number if order else "",
        "order_date": _d(order.date) if order else "",
    }


def _organization(institution: Organization, orders: list[Order]) -> dict:
    """The head, the curator(s) and the council: the latest signed orders name them, the
    role assignments stand in where there is no order (п. 3.2–3.4)."""
    assignments = list(
        RoleAssignment.objects.filter(
            user__institution=institution, role__in=[Role.HEAD, Role.CURATOR, Role.COUNCIL]
        )
        .select_related("user__person__position")
        .order_by("user__last_name", "user__username")
    )
    by_role = {Role.HEAD: [], Role.CURATOR: [], Role.COUNCIL: []}
    for a in assignments:
        by_role[a.role].append(_person_row(getattr(a.user, "person", None), a.user))

    latest = {}
    for order in orders:
        if order.kind in (Order.Kind.CURATOR, Order.Kind.COUNCIL):
            latest[order.kind] = order  # oldest first: the last one wins
    appointees = {kind: [] for kind in latest}
    if latest:
        through = Order.appointees.through.objects.filter(
            order_id__in=[o.pk for o in latest.values()]
        ).select_related("person__position")
        kind_of = {o.pk: kind for kind, o in latest.items()}
        for row in sorted(through, key=lambda r: r.person.full_name):
            appointees[kind_of[row.order_id]].append(_person_row(row.person))

    def staffed(kind, role) -> dict:
        order = latest.get(kind)
        people = appointees.get(kind) or by_role[role]
        return {
            "people": people,
            "order": f"№ {order.number} от {_d(order.date)}" if order else "",
        }

    head_names = [p["name"] for p in by_role[Role.HEAD]]
    return {
        "head": institution.head_name or ", ".join(head_names),
        "curator": staffed(Order.Kind.CURATOR, Role.CURATOR),
        "council": staffed(Order.Kind.COUNCIL, Role.COUNCIL),
    }


def _changes(institution: Organization, start: date, end: date) -> dict:
    """Changes of programs in the year (Приложение 1, п. 7.2): history entries and applied
    changes of the term."""
    return {
        "history": ProgramChange.objects.filter(
            program__group__institution=institution, at__date__range=(start, end)
        ).count(),
        "term_changes": TermChange.objects.filter(
            program__group__institution=institution,
            status=TermChange.Status.APPLIED,
            requested_at__date__range=(start, end),
        ).count(),
    }


def _practices(institution: Organization, start: date, end: date) -> list[dict]:
    """Best practices added to the bank in the year (Приложение 2, этап 6–7)."""
    rows = Practice.objects.filter(
        institution=institution, created_at__date__range=(start, end)
    ).values_list("title", "direction__name", "status")
    labels = dict(Practice.Status.choices)
    return [
        {"title": title, "direction": direction, "status": status, "status_label": labels[status]}
        for title, direction, status in rows.order_by("title")
    ]


def report_data(*, institution: Organization, year_start: int) -> dict:
    """Everything the report of the year shows, JSON-serializable: the snapshot's content
    (without the curator's texts, which live on the report). A fixed number of queries."""
    today = timezone.localdate()
    start, end = period_of(year_start, today)
    numbers = _indicators(institution=institution, year_start=year_start, today=today)
    orders = _orders(institution, start, end)
    acts = [_order_row(order, start) for order in orders]
    roadmap = _roadmap_row(institution, year_start)
    practices = _practices(institution, start, end)
    has_own_facts = bool(practices) or roadmap is not None or any(a["in_year"] for a in acts)
    return {
        # Bump when the shape changes: a handed-in snapshot keeps the shape it was made with.
        "schema": 1,
        "year_start": year_start,
        "year_label": year_label(year_start),
        "period": f"{_d(start)} — {_d(end)}",
        "is_partial": end < date(year_start + 1, 8, 31),
        "generated_at": timezone.localtime().strftime("%d.%m.%Y %H:%M"),
        "is_empty": bool(numbers["is_empty"]) and not has_own_facts,
        "institution": {
            "name": institution.name,
            "short_name": institution.short_name,
            "address": institution.address,
        },
        "normative_base": list(NORMATIVE_BASE),
        "local_acts": acts,
        "roadmap": roadmap,
        "organization": _organization(institution, orders),
        "changes": _changes(institution, start, end),
        "practices_list": practices,
        "indicators": numbers,
    }


def _texts(report: FinalReport) -> dict:
    return {name: getattr(report, name) for name in TEXT_FIELDS}


def report_content(report: FinalReport) -> dict:
    """What the report shows: the snapshot once handed in, the live data while a draft."""
    if report.status == FinalReport.Status.FINAL:
        return report.snapshot
    data = report_data(institution=report.institution, year_start=report.year_start)
    data["texts"] = _texts(report)
    return data


# Workflow ----------------------------------------------------------------------------------


@transaction.atomic
def report_get_or_create(*, institution: Organization, year_start: int) -> FinalReport:
    """The report of the year, created as a draft the first time. A year that has not begun
    has nothing to report."""
    if year_start > current_year_start():
        raise ValidationError(
            {"year_start": f"{year_label(year_start)} учебный год ещё не начался."}
        )
    report = FinalReport.objects.filter(institution=institution, year_start=year_start).first()
    if report is not None:
        return report
    report = FinalReport(institution=institution, year_start=year_start)
    report.full_clean()
    report.save()
    return report


def _refuse_if_final(report: FinalReport) -> None:
    if report.status == FinalReport.Status.FINAL:
        raise ValidationError(
            f"Отчёт за {report.year_label} учебный год уже сдан "
            f"{timezone.localtime(report.finalized_at):%d.%m.%Y %H:%M}: изменить его нельзя. "
            "Уточнения впишите в отчёт следующего учебного года."
        )


@transaction.atomic
def report_update_text(
    *, report: FinalReport, problems: str, risks: str, proposals: str, user
) -> FinalReport:
    """The curator's own analysis: problems, risks, proposals. Refused once handed in."""
    report = FinalReport.objects.select_for_update().get(pk=report.pk)
    _refuse_if_final(report)
    report.problems = problems.strip()
    report.risks = risks.strip()
    report.proposals = proposals.strip()
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_finalize(*, report: FinalReport, user) -> FinalReport:
    """Hands the report in: its data and texts are kept as they are now. The row is locked,
    so a double click finalizes once; an empty year and missing texts are refused."""
    report = FinalReport.objects.select_for_update().select_related("institution").get(pk=report.pk)
    _refuse_if_final(report)
    missing = {
        name: "Заполните этот раздел: без него отчёт не сдать."
        for name in TEXT_FIELDS
        if not getattr(report, name).strip()
    }
    if missing:
        raise ValidationError(missing)
    data = report_data(institution=report.institution, year_start=report.year_start)
    if data["is_empty"]:
        raise ValidationError(
            f"За {report.year_label} учебный год в реестре нет данных: ни пар, ни программ, "
            "ни приказов. Сдавать пустой отчёт нельзя."
        )
    now = timezone.now()
    person = getattr(user, "person", None)
    data["texts"] = _texts(report)
    data["finalized"] = {
        "at": timezone.localtime(now).strftime("%d.%m.%Y %H:%M"),
        "by": _person_name(person, user),
        "by_position": person.position.name if person is not None and person.position_id else "",
    }
    report.snapshot = data
    report.status = FinalReport.Status.FINAL
    report.finalized_at = now
    report.finalized_by = user
    report.full_clean()
    report.save()
    return report


def report_years_with_data(*, institution: Organization) -> list[int]:
    """The academic years that have data, from the earliest to the current, newest first."""
    return indicators.years_with_data(institution, timezone.localdate())


# Display -----------------------------------------------------------------------------------

GROWTH_LABELS = dict(GrowthRecord.Kind.choices)


def _row(label: str, value, share=None) -> dict:
    return {"label": label, "value": value, "share": share}


def report_display(content: dict) -> dict:
    """Rows and charts of the report's sections, built from its content (live or snapshot)
    with no query: the same for the page and the PDF."""
    n = content["indicators"]
    people, programs = n["people"], n["programs"]
    satisfaction, retention = n["satisfaction"], n["retention"]
    growth = [(GROWTH_LABELS.get(key, key), value) for key, value in n["growth"].items()]
    outcomes = [
        ("выполняются", programs["active"]),
        ("завершены", programs["completed"]),
        ("из них в срок", programs["completed_on_time"]),
        ("продлены", programs["extended"]),
        ("прекращены досрочно", programs["terminated"]),
    ]
    reasons = [(r["reason"], r["count"]) for r in programs["terminated_by_reason"]]
    questions = [(q["text"], q["average"]) for q in satisfaction["by_question"]]
    return {
        "bank_rows": [
            _row("Педагогических работников учреждения", people["staff"]),
            _row("В банке наставников", people["mentors_in_bank"]),
            _row("В банке наставляемых", people["mentees_in_bank"]),
            _row("Наставников в парах и группах", people["mentors"]),
            _row("Наставляемых в парах и группах", people["mentees"]),
            _row(
                "Педагогов, вовлечённых в наставничество",
                people["staff_involved"],
                people["staff_involved_share"],
            ),
            _row("Молодых специалистов", people["young_specialists"]),
            _row(
                "Молодых специалистов, охваченных наставничеством",
                people["young_covered"],
                people["young_covered_share"],
            ),
        ],
        "program_rows": [_row(label, value) for label, value in outcomes],
        "growth_rows": [_row(label, value) for label, value in growth],
        "retention_rows": [
            {"label": "через 1 год", **retention["after_1_year"]},
            {"label": "через 3 года", **retention["after_3_years"]},
        ],
        "charts": {
            "by_form": pairs_chart(
                "chart-forms",
                "Пары и группы по формам наставничества",
                [(r["name"], r["groups"]) for r in n["by_form"]],
            ),
            "by_category": pairs_chart(
                "chart-categories",
                "Наставляемые по категориям",
                [(r["name"], r["mentees"]) for r in n["by_category"]],
            ),
            "programs": pairs_chart("chart-programs", "Программы наставничества за год", outcomes),
            "reasons": pairs_chart(
                "chart-reasons", "Досрочно прекращённые программы по основаниям", reasons
            ),
            "satisfaction": pairs_chart(
                "chart-satisfaction",
                "Удовлетворённость по вопросам анкет, 1–10",
                questions,
                maximum=10,
            ),
            "growth": pairs_chart("chart-growth", "Профессиональный рост участников", growth),
        },
    }


def document_filename(report: FinalReport) -> str:
    return f"itogovyi-otchet-{report.year_start}-{report.year_start + 1}.pdf"
