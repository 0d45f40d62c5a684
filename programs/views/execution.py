"""Execution of a program: the mentor marks events and adds evidence, the mentee reports on
their own tasks and the mentor confirms them (п. 4.1); the staff's list of overdue events."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.trail import log_export
from mentoring_site.lib.downloads import attachment, dated_name, xlsx_response
from mentoring_site.lib.forms import add_service_errors
from mentoring_site.lib.pages import list_page
from mentoring_site.lib.versions import StaleVersion
from programs import exports
from programs.access import ProgramAccess, event_for_user, program_for_user
from programs.forms.execution import EventProgressForm, EventReportForm, EvidenceForm
from programs.models import Evidence, Program, ProgramEvent
from programs.services import execution as services
from registry.roles import require, roles_for

PER_PAGE = 25
# The small «add a file» form shares a page with a form that has its own file field.
EVIDENCE_PREFIX = "evidence"


def _may_report(event: ProgramEvent, program: Program, access: ProgramAccess) -> bool:
    """The mentee's own task of an active program (responsible: the mentee, or both)."""
    return access.can_report_tasks and event.is_mentee_task


def _crumbs(program: Program, title: str) -> list:
    return [
        ("Главная", reverse("home")),
        (program.group.title, reverse("programs:program-detail", args=[program.pk])),
        (title, None),
    ]


def _evidence(event: ProgramEvent) -> list[Evidence]:
    return list(event.evidence.all())


@login_required
def event_progress(request, pk):
    event, program, access = event_for_user(request, pk)
    if not access.can_update_events:
        raise PermissionDenied
    form = (
        EventProgressForm(request.POST, request.FILES, event=event)
        if request.method == "POST"
        else EventProgressForm(event=event)
    )
    if form.is_bound and form.is_valid():
        try:
            event = services.event_update_progress(
                event=event,
                status=form.cleaned_data["status"],
                actual_result=form.cleaned_data["actual_result"],
                file=form.cleaned_data["file"],
                user=request.user,
                version=form.version,
            )
        except StaleVersion as error:
            form.refuse_stale(error)
            event = error.current
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Мероприятие «{event.title}»: {event.get_status_display()}."
                + (" Файл добавлен." if form.cleaned_data["file"] else ""),
            )
            return redirect(services.event_url(event))
    return render(
        request,
        "programs/execution/event_progress.html",
        {
            "form": form,
            "event": event,
            "program": program,
            "access": access,
            "evidence": _evidence(event),
            "evidence_form": EvidenceForm(prefix=EVIDENCE_PREFIX),
            "crumbs": _crumbs(program, "Выполнение мероприятия"),
        },
    )


@login_required
@require_POST
def evidence_upload(request, pk):
    event, program, access = event_for_user(request, pk)
    reporting = _may_report(event, program, access) and event.status in services.OPEN_STATUSES
    if not (access.can_update_events or reporting):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES, prefix=EVIDENCE_PREFIX)
    if form.is_valid():
        try:
            evidence = services.evidence_add(
                event=event, file=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Файл «{evidence.name}» добавлен к мероприятию «{event.title}»."
            )
            return redirect(services.event_url(event))
    # A refused file: the same small form again, with the reason next to the field.
    return render(
        request,
        "programs/execution/evidence_upload.html",
        {
            "evidence_form": form,
            "event": event,
            "program": program,
            "access": access,
            "evidence": _evidence(event),
            "crumbs": _crumbs(program, "Файл к мероприятию"),
        },
    )


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("event"), pk=pk)
    program_for_user(request, evidence.event.program_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = evidence.file.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        handle,
        content_type=mimetypes.types_map.get(f".{extension}", "application/octet-stream"),
    )
    return attachment(response, evidence.name)


@login_required
def event_report(request, pk):
    event, program, access = event_for_user(request, pk)
    if not access.is_mentee:
        raise PermissionDenied  # the mentor and the curator mark events on «progress»
    if not _may_report(event, program, access):
        raise PermissionDenied
    if event.status not in services.OPEN_STATUSES:
        messages.error(
            request,
            f"Мероприятие «{event.title}» уже {event.get_status_display()}: отчёт не нужен.",
        )
        return redirect(services.event_url(event))
    form = (
        EventReportForm(request.POST, request.FILES, version_of=event)
        if request.method == "POST"
        else EventReportForm(initial={"report": event.mentee_report}, version_of=event)
    )
    if form.is_bound and form.is_valid():
        try:
            services.event_report(
                event=event,
                report=form.cleaned_data["report"],
                file=form.cleaned_data["file"],
                user=request.user,
                version=form.version,
            )
        except StaleVersion as error:
            form.refuse_stale(error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Отчёт о задании «{event.title}» отправлен наставнику: он подтвердит выполнение.",
            )
            return redirect(services.event_url(event))
    return render(
        request,
        "programs/execution/event_report.html",
        {
            "form": form,
            "event": event,
            "program": program,
            "access": access,
            "evidence": _evidence(event),
            "evidence_form": EvidenceForm(prefix=EVIDENCE_PREFIX),
            "crumbs": _crumbs(program, "Отчёт о задании"),
        },
    )


@login_required
@require_POST
def event_confirm(request, pk):
    event, program, access = event_for_user(request, pk)
    if not access.can_update_events:
        raise PermissionDenied
    try:
        services.event_confirm(event=event, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Выполнение задания «{event.title}» подтверждено: мероприятие выполнено."
        )
    return redirect(services.event_url(event))


def _responsible_names(event: ProgramEvent) -> str:
    return ", ".join(m.person.short_name for m in services.responsible_people(event))


@login_required
@require(lambda roles: roles.can_view_banks)
def overdue_list(request):
    """Open events of active programs past their deadline, the oldest first."""
    roles = roles_for(request)
    today = timezone.localdate()
    events = services.overdue_events(institution=roles.institution, today=today)
    page_obj = list_page(request, events, PER_PAGE)
    rows = [
        {
            "event": event,
            "days": (today - event.deadline).days,
            "responsible": _responsible_names(event),
        }
        for event in page_obj
    ]
    return render(
        request,
        "programs/execution/overdue_list.html",
        {
            "rows": rows,
            "page_obj": page_obj,
            "query_without_page": "",
            "can_update_events": roles.can_edit_banks,
            "crumbs": [
                ("Главная", reverse("home")),
                ("Программы", reverse("programs:program-list")),
                ("Просроченные мероприятия", None),
            ],
        },
    )


@login_required
@require(lambda roles: roles.can_view_banks)
def overdue_export(request):
    """«Скачать Excel»: every overdue event, not one page."""
    roles = roles_for(request)
    today = timezone.localdate()
    events = services.overdue_events(institution=roles.institution, today=today)
    log_export(request.user, None, "просроченные мероприятия (Excel)", roles.institution)
    content = exports.overdue_workbook(events=events, today=today)
    return xlsx_response(content, dated_name("Просроченные мероприятия", today))
