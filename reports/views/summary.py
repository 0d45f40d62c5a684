"""«Сводка по учреждениям»: the district's methodologist asks for the summary of a year, sees it
being built (the page refreshes itself while it waits, no script needed) and downloads the Excel
file. Users without the permission get 404, as for another institution's pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.trail import log_export
from mentoring_site.lib.academic_year import academic_year_start
from mentoring_site.lib.downloads import XLSX, attachment
from mentoring_site.lib.forms import posted
from reports.access import may_run_summaries
from reports.forms.summary import SummaryForm
from reports.models import InstitutionSummary
from reports.services import summary as services

SHOWN = 20  # the latest summaries listed
REFRESH_SECONDS = 5


def _allowed(request) -> None:
    if not may_run_summaries(request.user):
        raise Http404


def _years() -> list[int]:
    current = academic_year_start(timezone.localdate()).year
    return [current, current - 1, current - 2]


@login_required
def summary_list(request):
    _allowed(request)
    summaries = list(InstitutionSummary.objects.select_related("requested_by")[:SHOWN])
    latest = next((s for s in summaries if s.is_done), None)
    pending = any(s.is_pending for s in summaries)
    return render(
        request,
        "reports/summary/summary_list.html",
        {
            "form": SummaryForm(years=_years()),
            "summaries": summaries,
            "latest": latest,
            "pending": pending,
            "refresh_seconds": REFRESH_SECONDS if pending else None,
            "institutions": services.kindergarten_count() if not summaries else None,
            "crumbs": [("Главная", reverse("home")), ("Сводка по учреждениям", None)],
        },
    )


@require_POST
@login_required
def summary_create(request):
    _allowed(request)
    form = SummaryForm(posted(request), years=_years())
    if not form.is_valid():
        messages.error(request, "Выберите учебный год из списка.")
        return redirect("reports:summary-list")
    summary, created = services.request_summary(
        user=request.user, year_start=form.cleaned_data["year"]
    )
    if created:
        messages.success(
            request,
            f"Сводка за {summary.year_label} учебный год поставлена в очередь. Страница покажет "
            "ход обработки и ссылку на файл, когда он будет готов; об этом придёт и уведомление.",
        )
    else:
        messages.info(
            request, f"Сводка за {summary.year_label} учебный год уже формируется — дождитесь её."
        )
    return redirect("reports:summary-list")


@login_required
def summary_download(request, pk):
    _allowed(request)
    summary = get_object_or_404(InstitutionSummary, pk=pk, status=InstitutionSummary.Status.DONE)
    try:
        handle = summary.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    log_export(request.user, summary, "Сводка по учреждениям (Excel)")
    return attachment(
        FileResponse(handle, content_type=XLSX),
        f"Сводка по учреждениям {summary.year_start}-{summary.year_start + 1}.xlsx",
    )
