"""Pages of the final analytical report (п. 3.3): the list by year, the report as a page and
as a PDF, the curator's texts and handing the report in. One URL per action; the services
decide.

The head, the curator and the council of the institution read the reports; only the curator
writes the texts and hands a report in (п. 3.3). The sysadmin gets 403; mentors, mentees,
teachers and another kindergarten's staff get 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.trail import log_export
from mentoring_site.lib.documents import (
    FORMATS,
    document_response,
    render_document,
    requested_format,
)
from mentoring_site.lib.forms import add_service_errors, error_text, posted
from mentoring_site.lib.versions import StaleVersion
from reports.access import ReportAccess, report_for_user, reports_viewer
from reports.forms.final_report import CreateForm, TextsForm
from reports.models import FinalReport
from reports.services import final_report as services


def _list_url() -> str:
    return reverse("reports:report-list")


def _detail_url(report: FinalReport) -> str:
    return reverse("reports:report-detail", args=[report.pk])


def _heading(report: FinalReport) -> str:
    return f"Итоговый аналитический отчёт за {report.year_label} учебный год"


def _crumbs(report: FinalReport | None = None, *tail) -> list:
    crumbs = [("Главная", reverse("home"))]
    if report is None:
        return crumbs + [("Итоговые отчёты", None)]
    crumbs.append(("Итоговые отчёты", _list_url()))
    if not tail:
        return crumbs + [(f"Отчёт за {report.year_label}", None)]
    return crumbs + [(f"Отчёт за {report.year_label}", _detail_url(report)), *tail]


def _creatable_years(roles, reports) -> list[int]:
    """The current year and past years with data that have no report yet."""
    existing = {r.year_start for r in reports}
    years = set(services.report_years_with_data(institution=roles.institution))
    years.add(services.current_year_start())
    return sorted((y for y in years if y not in existing), reverse=True)


def _history(report: FinalReport) -> list:
    return list(report.events.select_related("by__person"))


def _context(report: FinalReport, access: ReportAccess, **extra) -> dict:
    content = services.report_content(report)
    return {
        "report": report,
        "access": access,
        "content": content,
        "display": services.report_display(content),
        "heading": _heading(report),
        **extra,
    }


@login_required
def report_list(request):
    roles = reports_viewer(request)
    reports = list(FinalReport.objects.filter(institution=roles.institution))
    current = services.current_year_start()
    creatable = _creatable_years(roles, reports) if roles.is_curator else []
    return render(
        request,
        "reports/final_report/report_list.html",
        {
            "reports": reports,
            "creatable": [(y, services.year_label(y)) for y in creatable],
            "current_label": services.year_label(current),
            "has_current": any(r.year_start == current for r in reports),
            "can_create": roles.is_curator,
            "crumbs": _crumbs(),
        },
    )


@require_POST
@login_required
def report_create(request):
    roles = reports_viewer(request)
    if not roles.is_curator:
        raise PermissionDenied
    reports = list(FinalReport.objects.filter(institution=roles.institution))
    form = CreateForm(request.POST, years=_creatable_years(roles, reports))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("year_start", ["Выберите учебный год."])))
        return redirect(_list_url())
    try:
        report = services.report_get_or_create(
            institution=roles.institution, year_start=form.cleaned_data["year_start"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(_list_url())
    messages.success(
        request,
        f"Черновик отчёта за {report.year_label} учебный год создан: цифры собраны из реестра. "
        "Допишите проблемы, риски и предложения, затем сдайте отчёт.",
    )
    return redirect(_detail_url(report))


@login_required
def report_detail(request, pk):
    report, access = report_for_user(request, pk)
    return render(
        request,
        "reports/final_report/report_detail.html",
        _context(report, access, crumbs=_crumbs(report), history=_history(report)),
    )


@login_required
def report_pdf(request, pk):
    report, access = report_for_user(request, pk)
    fmt = requested_format(request)
    context = _context(report, access, document=True)
    content = render_document("documents/final_report.html", context, fmt=fmt)
    log_export(request.user, report, f"итоговый аналитический отчёт ({FORMATS[fmt]})")
    return document_response(content, services.document_filename(report), fmt=fmt)


def _curator(request, report: FinalReport, access: ReportAccess) -> bool:
    """May this user change the report now? Readers get 403; the curator of a handed-in
    report gets a message (the caller redirects)."""
    if not access.is_curator:
        raise PermissionDenied
    if access.can_edit:
        return True
    messages.error(
        request,
        f"Отчёт за {report.year_label} учебный год уже сдан: изменить его нельзя. "
        "Уточнения впишите в отчёт следующего учебного года.",
    )
    return False


@login_required
def report_edit(request, pk):
    report, access = report_for_user(request, pk)
    if not _curator(request, report, access):
        return redirect(_detail_url(report))
    form = TextsForm(posted(request), instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update_text(
                report=report,
                problems=form.cleaned_data["problems"],
                risks=form.cleaned_data["risks"],
                proposals=form.cleaned_data["proposals"],
                user=request.user,
                version=form.version,
            )
        except StaleVersion as error:
            form.refuse_stale(error)
        except ValidationError as error:
            # Handed in from another tab meanwhile: the refusal on top, the typed text kept.
            add_service_errors(form, error)
        else:
            messages.success(request, "Проблемы, риски и предложения сохранены в черновике отчёта.")
            return redirect(_detail_url(report) + "#texts")
    return render(
        request,
        "reports/final_report/report_edit.html",
        {
            "report": report,
            "form": form,
            "heading": _heading(report),
            "crumbs": _crumbs(report, ("Проблемы, риски, предложения", None)),
        },
    )


@login_required
def report_finalize(request, pk):
    """GET: what handing in means and what is missing; POST: hand the report in."""
    report, access = report_for_user(request, pk)
    if not _curator(request, report, access):
        return redirect(_detail_url(report))
    problems = []
    if request.method == "POST":
        try:
            report = services.report_finalize(report=report, user=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                f"Отчёт за {report.year_label} учебный год сдан "
                f"{timezone.localtime(report.finalized_at):%d.%m.%Y %H:%M}. Его данные "
                "сохранены: дальнейшие изменения в реестре отчёт не изменят.",
            )
            return redirect(_detail_url(report))
    content = services.report_content(report)
    missing = [
        TextsForm.Meta.labels[name]
        for name in services.TEXT_FIELDS
        if not getattr(report, name).strip()
    ]
    return render(
        request,
        "reports/final_report/report_finalize.html",
        {
            "report": report,
            "content": content,
            "missing": missing,
            "problems": problems,
            "heading": _heading(report),
            "crumbs": _crumbs(report, ("Сдать отчёт", None)),
        },
    )


def _head(request, report: FinalReport, access: ReportAccess):
    """The head decides on a handed-in report (reopen, approve); others get 403."""
    if not access.is_head:
        raise PermissionDenied


@require_POST
@login_required
def report_reopen(request, pk):
    """The head returns a handed-in report to the curator with a reason (until approved)."""
    report, access = report_for_user(request, pk)
    _head(request, report, access)
    try:
        services.report_reopen(
            report=report, reason=request.POST.get("reason", ""), user=request.user
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, "Отчёт возвращён куратору на доработку.")
    return redirect(_detail_url(report))


@require_POST
@login_required
def report_approve(request, pk):
    """The head approves a handed-in report («УТВЕРЖДАЮ»)."""
    report, access = report_for_user(request, pk)
    _head(request, report, access)
    try:
        report = services.report_approve(report=report, user=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            f"Отчёт утверждён {timezone.localtime(report.approved_at):%d.%m.%Y}.",
        )
    return redirect(_detail_url(report))
