"""«Сводка по учреждениям» (issue 9: a city-wide report runs in the background with visible
progress). A user with the permission asks for it in a request (``request_summary``, one row
and the worker's task ``build_summaries``); the worker (``manage.py db_worker``) claims it
(``claim_next``), computes the indicators of the academic year for every kindergarten with the
same definitions as each institution's dashboard
(``reports.indicators.compute``), writes its progress every few institutions so the page can
show it, and stores the Excel file. Requesting takes milliseconds; the city takes about a minute.
"""

import logging
import re
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from mentoring_site.lib.spreadsheets import Column, table_xlsx
from registry.models import Organization
from registry.services.notifications import notify
from reports import indicators
from reports.anonymity import (
    TOO_FEW_ANSWERS,
    is_withheld,
    spreadsheet_cell,
    spreadsheet_note,
)
from reports.models import InstitutionSummary

logger = logging.getLogger("mentoring.jobs")

Status = InstitutionSummary.Status
# A running summary whose worker wrote no progress for this long has lost its worker.
STALE_AFTER = timedelta(minutes=10)
# Progress is written after this many institutions (and after the last).
PROGRESS_EVERY = 10

COLUMNS = [
    ("Учреждение", 60),
    ("Педагогов", 11),
    ("Наставников", 13),
    ("Наставляемых", 14),
    ("Пар и групп", 11),
    ("Вовлечено педагогов, %", 13),
    ("Молодых специалистов", 14),
    ("из них с наставником, %", 14),
    ("Программ выполняется", 13),
    ("Программ завершено", 13),
    ("из них в срок", 11),
    ("Программ прекращено", 13),
    ("Мероприятий со сроком в году", 14),
    ("выполнено в срок, %", 12),
    ("Анкет об удовлетворённости", 14),
    ("Средний балл (1–10)", 12),
    ("Примечание", 30),
]
COUNTED = [
    "staff",
    "mentors",
    "mentees",
    "groups",
    "staff_involved",
    "young_specialists",
    "young_covered",
    "programs_active",
    "programs_completed",
    "programs_on_time",
    "programs_terminated",
    "events_due",
    "events_on_time",
    "responses",
]


def _institutions():
    """The installation's institutions: partner organizations are not."""
    return Organization.objects.filter(partner_of__isnull=True)


def kindergarten_count() -> int:
    return _institutions().count()


def kindergartens():
    """The installation's institutions by number in the name: «№ 2» before «№ 10»."""
    return sorted(_institutions().only("pk", "short_name", "name"), key=_natural)


def _natural(org) -> list:
    name = (org.short_name or org.name).casefold().replace("ё", "е")
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _share(part: int, whole: int):
    return round(part * 100 / whole, 1) if whole else None


def _row_values(data: dict) -> dict:
    people, programs, events = data["people"], data["programs"], data["events"]
    satisfaction = data["satisfaction"]
    return {
        "staff": people["staff"],
        "mentors": people["mentors"],
        "mentees": people["mentees"],
        "groups": people["groups"],
        "staff_involved": people["staff_involved"],
        "young_specialists": people["young_specialists"],
        "young_covered": people["young_covered"],
        "programs_active": programs["active"],
        "programs_completed": programs["completed"],
        "programs_on_time": programs["completed_on_time"],
        "programs_terminated": programs["terminated"],
        "events_due": events["due"],
        "events_on_time": events["done_on_time"],
        "responses": satisfaction["responses"],
        "average": satisfaction["average"],
    }


def _cells(name: str, v: dict) -> list:
    return [
        name,
        v["staff"],
        v["mentors"],
        v["mentees"],
        v["groups"],
        _share(v["staff_involved"], v["staff"]),
        v["young_specialists"],
        _share(v["young_covered"], v["young_specialists"]),
        v["programs_active"],
        v["programs_completed"],
        v["programs_on_time"],
        v["programs_terminated"],
        v["events_due"],
        _share(v["events_on_time"], v["events_due"]),
        v["responses"],
        # A withheld average (fewer than three answers): an empty cell and the note beside it.
        spreadsheet_cell(v["average"]),
        spreadsheet_note(v["average"]),
    ]


def _totals(rows: list[dict]) -> dict:
    """Sums of the counts; shares from the sums; the mean score weighted by the responses, of
    the institutions whose mean may be shown: one withheld (fewer than three answers) stays
    out, or the total would let it be worked back from the others."""
    totals = {key: sum(row[key] for row in rows) for key in COUNTED}
    scored = [
        (row["average"], row["responses"])
        for row in rows
        if row["average"] is not None and not is_withheld(row["average"])
    ]
    weight = sum(n for _, n in scored)
    totals["average_responses"] = weight
    if weight:
        totals["average"] = round(sum(a * n for a, n in scored) / weight, 1)
    else:
        totals["average"] = TOO_FEW_ANSWERS if totals["responses"] else None
    totals["institutions"] = len(rows)
    totals["staff_involved_share"] = _share(totals["staff_involved"], totals["staff"])
    totals["young_covered_share"] = _share(totals["young_covered"], totals["young_specialists"])
    totals["events_share"] = _share(totals["events_on_time"], totals["events_due"])
    return totals


def workbook(summary: InstitutionSummary, rows: list[tuple[str, dict]], totals: dict) -> bytes:
    return table_xlsx(
        title="Сводка",
        columns=[Column(title, width) for title, width in COLUMNS],
        rows=(_cells(name, values) for name, values in rows),
        heading=[
            f"Сводка по учреждениям за {summary.year_label} учебный год",
            f"Сформирована {timezone.localtime():%d.%m.%Y %H:%M}; учреждений: {len(rows)}",
        ],
        total=_cells("Итого", totals),
    )


# --- Asking, claiming, building ----------------------------------------------------------------


@transaction.atomic
def request_summary(*, user, year_start: int) -> tuple[InstitutionSummary, bool]:
    """Queues a summary of the year, unless one of that year is already queued or running:
    then that one (``created`` False)."""
    pending = (
        InstitutionSummary.objects.select_for_update()
        .filter(year_start=year_start, status__in=[Status.QUEUED, Status.RUNNING])
        .first()
    )
    if pending is not None:
        return pending, False
    summary = InstitutionSummary.objects.create(
        year_start=year_start,
        requested_by=user,
        total=kindergarten_count(),
    )
    # The worker's task, written in this transaction: a summary is never asked and forgotten.
    build_summaries.enqueue()
    return summary, True


def fail_stale(now=None) -> int:
    """Running summaries whose worker has written nothing for STALE_AFTER fail with a reason."""
    now = now or timezone.now()
    return InstitutionSummary.objects.filter(
        status=Status.RUNNING, updated_at__lt=now - STALE_AFTER
    ).update(
        status=Status.FAILED,
        finished_at=now,
        updated_at=now,
        error="Фоновая обработка прервалась. Запросите сводку ещё раз.",
    )


def claim_next() -> InstitutionSummary | None:
    """The oldest queued summary, marked running by this worker: a conditional UPDATE, so two
    workers never take the same one (on either database)."""
    fail_stale()
    while True:
        pk = (
            InstitutionSummary.objects.filter(status=Status.QUEUED)
            .order_by("requested_at", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            return None
        now = timezone.now()
        taken = InstitutionSummary.objects.filter(pk=pk, status=Status.QUEUED).update(
            status=Status.RUNNING, started_at=now, updated_at=now, done=0
        )
        if taken:
            return InstitutionSummary.objects.get(pk=pk)


def build(summary: InstitutionSummary) -> InstitutionSummary:
    """Computes every kindergarten's indicators, writing the progress as it goes, then the file.
    On an error the summary fails with the reason and the worker goes on."""
    try:
        institutions = kindergartens()
        InstitutionSummary.objects.filter(pk=summary.pk).update(total=len(institutions))
        rows = []
        for number, institution in enumerate(institutions, start=1):
            data = indicators.compute(institution=institution, year_start=summary.year_start)
            rows.append((institution.short_name or institution.name, _row_values(data)))
            if number % PROGRESS_EVERY == 0 or number == len(institutions):
                InstitutionSummary.objects.filter(pk=summary.pk).update(
                    done=number, updated_at=timezone.now()
                )
        totals = _totals([values for _, values in rows])
        content = workbook(summary, rows, totals)
        with transaction.atomic():
            summary.refresh_from_db()
            summary.total = summary.done = len(institutions)
            summary.totals = totals
            summary.file.save(f"summary-{summary.pk}.xlsx", ContentFile(content), save=False)
            summary.status = Status.DONE
            summary.finished_at = timezone.now()
            summary.save()
            if summary.requested_by_id:
                notify(
                    users=[summary.requested_by],
                    text=f"Сводка по учреждениям за {summary.year_label} учебный год готова.",
                    url=reverse("reports:summary-list"),
                )
    except Exception as error:
        logger.exception("summary %s failed", summary.pk)
        InstitutionSummary.objects.filter(pk=summary.pk).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            error=f"Ошибка при обработке ({type(error).__name__}). Запросите сводку ещё раз; "
            "если ошибка повторится, сообщите администратору.",
        )
        summary.refresh_from_db()
    else:
        logger.info("summary %s done: %s institutions", summary.pk, summary.total)
    return summary


@task()
def build_summaries() -> int:
    """The worker's task (``manage.py db_worker``): builds every queued summary, one after
    another, writing the progress as it goes; returns how many were built."""
    return run_pending()


def run_pending() -> int:
    """Builds every queued summary, one after another; returns how many were built."""
    count = 0
    while (summary := claim_next()) is not None:
        build(summary)
        count += 1
    return count
