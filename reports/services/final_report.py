"""The curator's final analytical report of an academic year (п. 3.3: «формирует итоговый
аналитический отчёт о реализации системы (целевой модели) наставничества»).

While a draft, the report is computed from the registry's data each time it is opened
(``report_data``). When the curator hands it in (``report_finalize``), that data and the
curator's texts are stored in ``FinalReport.snapshot`` and the report shows only the snapshot:
later edits to the data never change a report that was handed in. Until the head approves it
(``report_approve``: «УТВЕРЖДАЮ», the head and the date as recorded), the head may reopen it
with a reason (``report_reopen``): it is a draft again, computed from the data, and can be
handed in anew (a report handed in mid-year does not block the year-end one). Once approved
it is a document and is not changed. ``FinalReportEvent`` keeps the history of all three.

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
from mentoring_site.lib.versions import check_version
from programs.models import ProgramChange, TermChange
from registry.models import Order, Organization, Person, Role, RoleAssignment
from reports import indicators
from reports.anonymity import is_withheld
from reports.charts import compare_chart, number, pairs_chart
from reports.models import FinalReport, FinalReportEvent, GrowthRecord, Practice
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


def _previous_year(*, institution: Organization, year_start: int, end: date) -> dict | None:
    """The same indicators of the year before, for the comparison (None when that year has no
    data). A year still running is compared with the year before up to the same day."""
    is_partial = end < date(year_start + 1, 8, 31)
    on_date = indicators.years_back(end, 1) if is_partial else None
    numbers = indicators.compute(
        institution=institution, year_start=year_start - 1, on_date=on_date
    )
    if numbers["is_empty"]:
        return None
    return {
        "year_label": year_label(year_start - 1),
        "on_date": _d(on_date),  # "" for the whole year
        "indicators": numbers,
    }


def report_data(*, institution: Organization, year_start: int) -> dict:
    """Everything the report of the year shows, JSON-serializable: the snapshot's content
    (without the curator's texts, which live on the report), with the previous year's figures
    beside it. A fixed number of queries."""
    today = timezone.localdate()
    start, end = period_of(year_start, today)
    numbers = _indicators(institution=institution, year_start=year_start, today=today)
    orders = _orders(institution, start, end)
    acts = [_order_row(order, start) for order in orders]
    roadmap = _roadmap_row(institution, year_start)
    practices = _practices(institution, start, end)
    has_own_facts = bool(practices) or roadmap is not None or any(a["in_year"] for a in acts)
    return {
        # Bump when the shape changes: a handed-in snapshot keeps the shape it was made with
        # (2: «previous», the year before; a report of schema 1 shows no comparison).
        "schema": 2,
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
        "previous": _previous_year(institution=institution, year_start=year_start, end=end),
    }


def _texts(report: FinalReport) -> dict:
    return {name: getattr(report, name) for name in TEXT_FIELDS}


def report_content(report: FinalReport) -> dict:
    """What the report shows: the snapshot once handed in, the live data while a draft."""
    if report.is_final:
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
    if report.status == FinalReport.Status.APPROVED:
        raise ValidationError(
            f"Отчёт за {report.year_label} учебный год утверждён заведующим: изменить его нельзя."
        )
    if report.status == FinalReport.Status.FINAL:
        raise ValidationError(
            f"Отчёт за {report.year_label} учебный год уже сдан "
            f"{timezone.localtime(report.finalized_at):%d.%m.%Y %H:%M}: изменить его нельзя. "
            "Вернуть его на доработку может заведующий, пока отчёт не утверждён."
        )


@transaction.atomic
def report_update_text(
    *,
    report: FinalReport,
    problems: str,
    risks: str,
    proposals: str,
    user,
    version: str | None = None,
) -> FinalReport:
    """The curator's own analysis: problems, risks, proposals. Refused once handed in, and
    when someone saved them since ``version`` (``StaleVersion``)."""
    report = FinalReport.objects.select_for_update().get(pk=report.pk)
    _refuse_if_final(report)
    check_version(report, version, TEXT_FIELDS)
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
    FinalReportEvent.objects.create(
        report=report, action=FinalReportEvent.Action.FINALIZED, at=now, by=user
    )
    return report


@transaction.atomic
def report_reopen(*, report: FinalReport, reason: str, user) -> FinalReport:
    """The head returns a handed-in report to the curator with a reason, until she approves
    it: a draft again, computed from the data; the history keeps the handing-in and the
    reason."""
    report = FinalReport.objects.select_for_update().get(pk=report.pk)
    if report.status != FinalReport.Status.FINAL:
        raise ValidationError(
            "Вернуть на доработку можно только сданный и ещё не утверждённый отчёт."
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Укажите, почему отчёт возвращается на доработку."})
    report.status = FinalReport.Status.DRAFT
    report.snapshot = None
    report.finalized_at = None
    report.finalized_by = None
    report.full_clean()
    report.save()
    FinalReportEvent.objects.create(
        report=report, action=FinalReportEvent.Action.REOPENED, reason=reason, by=user
    )
    return report


@transaction.atomic
def report_approve(*, report: FinalReport, user) -> FinalReport:
    """The head approves a handed-in report («УТВЕРЖДАЮ»): her name, position and the date
    as recorded go into the snapshot the page, the PDF and the DOCX show."""
    report = FinalReport.objects.select_for_update().get(pk=report.pk)
    if report.status != FinalReport.Status.FINAL:
        raise ValidationError("Утвердить можно только сданный отчёт.")
    now = timezone.now()
    person = getattr(user, "person", None)
    report.snapshot = {
        **report.snapshot,
        "approved": {
            "at": f"{timezone.localtime(now):%d.%m.%Y}",
            "by": _person_name(person, user),
            "by_position": person.position.name
            if person is not None and person.position_id
            else "",
        },
    }
    report.status = FinalReport.Status.APPROVED
    report.approved_at = now
    report.approved_by = user
    report.full_clean()
    report.save()
    FinalReportEvent.objects.create(
        report=report, action=FinalReportEvent.Action.APPROVED, at=now, by=user
    )
    return report


def report_years_with_data(*, institution: Organization) -> list[int]:
    """The academic years that have data, from the earliest to the current, newest first."""
    return indicators.years_with_data(institution, timezone.localdate())


# Display -----------------------------------------------------------------------------------

GROWTH_LABELS = dict(GrowthRecord.Kind.choices)


def _change(value, before, unit: str = "") -> str:
    """«+2», «−1», «0», «+5,0 п. п.»: this year against the last; "" when either is unknown."""
    if value is None or before is None or is_withheld(value) or is_withheld(before):
        return ""
    difference = value - before
    if isinstance(difference, float):
        difference = round(difference, 1)
    if not difference:
        return "0"
    sign = "+" if difference > 0 else "−"
    return f"{sign}{number(abs(difference), unit)}"


def _row(label: str, value, share=None, before=None, before_share=None) -> dict:
    return {
        "label": label,
        "value": value,
        "share": share,
        "previous": before,
        "previous_share": before_share,
        "change": _change(value, before),
    }


def _table(rows: list[dict]) -> dict:
    """A table of the report; «нет данных за год» in one line when every figure of it, this
    year's and the last, is zero or unknown."""
    figures = [row[key] for row in rows for key in ("value", "previous")]
    return {"rows": rows, "is_empty": not any(figures)}


def _by_name(rows: list[dict], value: str) -> dict:
    return {row["name"]: row[value] for row in rows}


def _reference_table(current: list[dict], before: list[dict] | None, value: str) -> dict:
    """Rows of a reference list (forms, kinds, categories) with last year's count beside; only
    the entries with something in either year (a list of a dozen zeros says nothing)."""
    earlier = _by_name(before, value) if before is not None else {}
    rows = [
        _row(r["name"], r[value], before=earlier.get(r["name"], 0) if before is not None else None)
        for r in current
    ]
    return _table([row for row in rows if row["value"] or row["previous"]])


def report_display(content: dict) -> dict:
    """Rows and charts of the report's sections, built from its content (live or snapshot)
    with no query: the same for the page and the PDF. With the previous year (``previous``)
    each figure has last year's beside it and the change."""
    n = content["indicators"]
    previous = content.get("previous")
    b = previous["indicators"] if previous else None
    # A report handed in before the anonymity rule keeps its numbers in the snapshot; the rule
    # still holds when it is shown.
    n = {**n, "satisfaction": indicators.satisfaction_shown(n["satisfaction"])}
    if b is not None:
        b = {**b, "satisfaction": indicators.satisfaction_shown(b["satisfaction"])}

    def was(*path):
        """Last year's figure at ``path``, None without a previous year."""
        if b is None:
            return None
        value = b
        for key in path:
            value = value[key]
        return value

    people, programs = n["people"], n["programs"]
    satisfaction, retention = n["satisfaction"], n["retention"]
    growth = [
        (GROWTH_LABELS.get(key, key), value, was("growth", key))
        for key, value in n["growth"].items()
    ]
    outcome_keys = [
        ("выполняются", "active"),
        ("завершены", "completed"),
        ("из них в срок", "completed_on_time"),
        ("продлены", "extended"),
        ("прекращены досрочно", "terminated"),
    ]
    outcomes = [(label, programs[key], was("programs", key)) for label, key in outcome_keys]
    earlier_reasons = (
        {r["key"]: r["count"] for r in b["programs"]["terminated_by_reason"]} if b else {}
    )
    reasons = [
        (r["reason"], r["count"], earlier_reasons.get(r["key"], 0) if b else None)
        for r in programs["terminated_by_reason"]
    ]
    questions = [(q["text"], q["average"]) for q in satisfaction["by_question"]]

    def person_row(label, key, share_key=None):
        return _row(
            label,
            people[key],
            people[share_key] if share_key else None,
            was("people", key),
            was("people", share_key) if share_key else None,
        )

    retention_rows = []
    for label, key in (("через 1 год", "after_1_year"), ("через 3 года", "after_3_years")):
        row = {"label": label, **retention[key]}
        before = was("retention", key, "share")
        row.update(previous=before, change=_change(row["share"], before, "п. п."))
        retention_rows.append(row)
    return {
        "previous": previous,
        "questions": satisfaction["by_question"],
        "bank": _table(
            [
                person_row("Педагогических работников учреждения", "staff"),
                person_row("В банке наставников", "mentors_in_bank"),
                person_row("В банке наставляемых", "mentees_in_bank"),
                person_row("Наставников в парах и группах", "mentors"),
                person_row("Наставляемых в парах и группах", "mentees"),
                person_row(
                    "Педагогов, вовлечённых в наставничество",
                    "staff_involved",
                    "staff_involved_share",
                ),
                person_row("Молодых специалистов", "young_specialists"),
                person_row(
                    "Молодых специалистов, охваченных наставничеством",
                    "young_covered",
                    "young_covered_share",
                ),
            ]
        ),
        "by_form": _reference_table(n["by_form"], b and b["by_form"], "groups"),
        "by_kind": _reference_table(n["by_kind"], b and b["by_kind"], "groups"),
        "by_category": _reference_table(n["by_category"], b and b["by_category"], "mentees"),
        "programs": _table([_row(label, value, before=prev) for label, value, prev in outcomes]),
        "reasons": _table([_row(label, value, before=prev) for label, value, prev in reasons]),
        "satisfaction": _table(
            [
                _row(
                    "Анкет удовлетворённости",
                    satisfaction["responses"],
                    before=was("satisfaction", "responses"),
                ),
                _row(
                    "Средняя оценка, из 10",
                    satisfaction["average"],
                    before=was("satisfaction", "average"),
                ),
                _row(
                    "Средняя оценка наставляемых",
                    satisfaction["mentee_average"],
                    before=was("satisfaction", "mentee_average"),
                ),
                _row(
                    "Средняя оценка наставников",
                    satisfaction["mentor_average"],
                    before=was("satisfaction", "mentor_average"),
                ),
            ]
        ),
        "growth": _table([_row(label, value, before=prev) for label, value, prev in growth]),
        "retention": {
            "rows": retention_rows,
            "is_empty": not any(r["base"] or r["previous"] for r in retention_rows),
        },
        "practices": _table(
            [
                _row(
                    "Добавлено в методическую копилку",
                    n["practices"]["added"],
                    before=was("practices", "added"),
                ),
                _row(
                    "Одобрено для публикации",
                    n["practices"]["published"],
                    before=was("practices", "published"),
                ),
            ]
        ),
        "charts": {
            "by_form": compare_chart(
                "chart-forms",
                "Пары и группы по формам наставничества",
                [(r["label"], r["value"], r["previous"]) for r in _rows_of(n, b, "by_form")],
            ),
            "by_category": compare_chart(
                "chart-categories",
                "Наставляемые по категориям",
                [(r["label"], r["value"], r["previous"]) for r in _rows_of(n, b, "by_category")],
            ),
            "programs": compare_chart(
                "chart-programs", "Программы наставничества за год", outcomes
            ),
            "reasons": compare_chart(
                "chart-reasons", "Досрочно прекращённые программы по основаниям", reasons
            ),
            "satisfaction": pairs_chart(
                "chart-satisfaction",
                "Удовлетворённость по вопросам анкет, 1–10",
                questions,
                maximum=10,
            ),
            "growth": compare_chart("chart-growth", "Профессиональный рост участников", growth),
        },
    }


def _rows_of(n: dict, b: dict | None, name: str) -> list[dict]:
    value = "mentees" if name == "by_category" else "groups"
    return _reference_table(n[name], b[name] if b else None, value)["rows"]


def document_filename(report: FinalReport) -> str:
    return f"Итоговый отчёт {report.year_start}-{report.year_start + 1}.pdf"
