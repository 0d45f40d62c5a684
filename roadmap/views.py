"""The roadmap's pages (Приложение 2; п. 3.2, п. 3.3): the list by year, a roadmap with its
stages and computed progress, the timeline, activities, marking them done with evidence, the
head's approval by order, the PDFs of the current text and of each approved version. One URL
per action; the services decide."""

import mimetypes
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.trail import log_export
from mentoring_site.lib.academic_year import academic_year_start
from mentoring_site.lib.documents import (
    FORMATS,
    document_response,
    render_document,
    requested_format,
)
from mentoring_site.lib.downloads import attachment
from mentoring_site.lib.forms import add_service_errors, error_text, posted
from mentoring_site.lib.versions import StaleVersion
from registry.roles import roles_for
from registry.views._approval import approval_form, approve_by_order
from roadmap import services
from roadmap.access import activity_for_user, roadmap_for_user, roadmaps_viewer, stage_for_user
from roadmap.forms import ActivityForm, CreateForm, DeleteForm, MarkDoneForm, ReturnForm
from roadmap.models import Activity, Roadmap, RoadmapChange, RoadmapVersion
from roadmap.progress import roadmap_progress, stages_with_activities
from roadmap.timeline import build_timeline


def _list_url() -> str:
    return reverse("roadmap:roadmap-list")


def _detail_url(roadmap: Roadmap, anchor: str = "") -> str:
    return services.roadmap_url(roadmap) + (f"#{anchor}" if anchor else "")


def _heading(roadmap: Roadmap) -> str:
    return f"Дорожная карта на {roadmap.year_label} учебный год"


def _crumbs(roadmap: Roadmap | None = None, *tail) -> list:
    crumbs = [("Главная", reverse("home"))]
    if roadmap is None:
        return crumbs + [("Дорожные карты", None)]
    crumbs.append(("Дорожные карты", _list_url()))
    if not tail:
        return crumbs + [(_heading(roadmap), None)]
    return crumbs + [(_heading(roadmap), _detail_url(roadmap)), *tail]


def _years(today) -> list[int]:
    """The academic years a roadmap can be created for: the current and the next."""
    current = academic_year_start(today).year
    return [current, current + 1]


def _editor(request, roadmap, access) -> bool:
    """May this user change the activities now? Readers get 403; the curator while the head
    decides gets a message (the caller redirects)."""
    if not access.is_curator:
        raise PermissionDenied
    if access.can_edit:
        return True
    messages.error(
        request, "Дорожная карта на утверждении у заведующего: изменить её можно после решения."
    )
    return False


def _progress(request, roadmap, stages=None):
    roles = roles_for(request)
    return roadmap_progress(
        roadmap,
        timezone.localdate(),
        stages=stages,
        can_edit_banks=roles.can_edit_banks,
        can_read_surveys=roles.can_read_survey_results,
    )


# --- The list and creation ------------------------------------------------------------------


@login_required
def roadmap_list(request):
    roles = roadmaps_viewer(request)
    today = timezone.localdate()
    roadmaps = list(Roadmap.objects.filter(institution=roles.institution).select_related("order"))
    current_year = academic_year_start(today).year
    current = next((r for r in roadmaps if r.year_start == current_year), None)
    existing = {r.year_start for r in roadmaps}
    creatable = [y for y in _years(today) if y not in existing] if roles.can_edit_roadmap else []
    return render(
        request,
        "roadmap/roadmap_list.html",
        {
            "roadmaps": roadmaps,
            "current": current,
            "current_label": f"{current_year}/{current_year + 1}",
            "current_progress": _progress(request, current) if current else None,
            "creatable": [(y, f"{y}/{y + 1}") for y in creatable],
            "can_create": roles.can_edit_roadmap,
            "crumbs": _crumbs(),
        },
    )


@require_POST
@login_required
def roadmap_create(request):
    roles = roadmaps_viewer(request)
    if not roles.can_edit_roadmap:
        raise PermissionDenied
    form = CreateForm(request.POST, years=_years(timezone.localdate()))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("year_start", ["Выберите учебный год."])))
        return redirect(_list_url())
    try:
        roadmap = services.roadmap_create_from_template(
            institution=roles.institution,
            year_start=form.cleaned_data["year_start"],
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(_list_url())
    messages.success(
        request,
        f"Дорожная карта на {roadmap.year_label} учебный год создана по типовой форме "
        "(Приложение 2). Проверьте сроки и ответственных, затем направьте её заведующему.",
    )
    return redirect(_detail_url(roadmap))


# --- A roadmap --------------------------------------------------------------------------------


def _roadmap_page(request, roadmap, access):
    stages = stages_with_activities(roadmap)
    progress = _progress(request, roadmap, stages)
    changes = list(roadmap.changes.select_related("made_by__person"))
    since = roadmap.approved_at
    roles = roles_for(request)
    return render(
        request,
        "roadmap/roadmap_detail.html",
        {
            "roadmap": roadmap,
            "access": access,
            "heading": _heading(roadmap),
            "progress": progress,
            "versions": list(roadmap.versions.select_related("order")),
            "changes": changes,
            "recent_changes": [c for c in changes if since and c.made_at > since],
            "can_open_orders": roles.is_head or roles.is_curator or roles.is_sysadmin,
            "crumbs": _crumbs(roadmap),
        },
    )


@login_required
def roadmap_detail(request, pk):
    roadmap, access = roadmap_for_user(request, pk)
    return _roadmap_page(request, roadmap, access)


@login_required
def roadmap_timeline(request, pk):
    roadmap, access = roadmap_for_user(request, pk)
    progress = _progress(request, roadmap)
    return render(
        request,
        "roadmap/roadmap_timeline.html",
        {
            "roadmap": roadmap,
            "access": access,
            "heading": f"График: {_heading(roadmap).lower()}",
            "progress": progress,
            "timeline": build_timeline(progress),
            "crumbs": _crumbs(roadmap, ("График выполнения", None)),
        },
    )


@login_required
def roadmap_pdf(request, pk):
    roadmap, _ = roadmap_for_user(request, pk)
    fmt = requested_format(request)
    content = render_document("documents/roadmap.html", services.roadmap_document(roadmap), fmt=fmt)
    log_export(request.user, roadmap, f"дорожная карта ({FORMATS[fmt]})")
    return document_response(content, services.document_filename(roadmap), fmt=fmt)


@login_required
def version_pdf(request, pk):
    roles = roadmaps_viewer(request)
    version = get_object_or_404(
        RoadmapVersion.objects.select_related("order"),
        pk=pk,
        roadmap__institution=roles.institution,
    )
    roadmap, _ = roadmap_for_user(request, version.roadmap_id)
    fmt = requested_format(request)
    context = services.roadmap_document(roadmap, version)
    content = render_document("documents/roadmap.html", context, fmt=fmt)
    log_export(request.user, roadmap, f"дорожная карта, версия {version.number} ({FORMATS[fmt]})")
    return document_response(content, services.document_filename(roadmap, version), fmt=fmt)


# --- Activities -------------------------------------------------------------------------------


def _activity_page(request, roadmap, access, form, *, stage, activity=None, delete_form=None):
    title = "Изменение мероприятия" if activity else f"Новое мероприятие: этап {stage.number}"
    return render(
        request,
        "roadmap/activity_form.html",
        {
            "roadmap": roadmap,
            "access": access,
            "stage": stage,
            "activity": activity,
            "form": form,
            "delete_form": delete_form or (DeleteForm() if activity else None),
            "title": title,
            "crumbs": _crumbs(roadmap, (title, None)),
        },
    )


@login_required
def activity_create(request, pk):
    stage, roadmap, access = stage_for_user(request, pk)
    if not _editor(request, roadmap, access):
        return redirect(_detail_url(roadmap))
    activity = Activity(stage=stage)
    form = ActivityForm(
        posted(request), instance=activity, roadmap=roadmap, needs_reason=access.needs_reason
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_save(
                activity=form.instance,
                user=request.user,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Мероприятие «{activity.title}» добавлено в этап {stage.number}."
            )
            return redirect(_detail_url(roadmap, f"stage-{stage.number}"))
    return _activity_page(request, roadmap, access, form, stage=stage)


@login_required
def activity_update(request, pk):
    activity, roadmap, access = activity_for_user(request, pk)
    if not _editor(request, roadmap, access):
        return redirect(_detail_url(roadmap))
    stage = activity.stage
    form = ActivityForm(
        posted(request), instance=activity, roadmap=roadmap, needs_reason=access.needs_reason
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.activity_save(
                activity=form.instance,
                user=request.user,
                reason=form.cleaned_data.get("reason", ""),
                version=form.version,
            )
        except StaleVersion as error:
            form.refuse_stale(error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Мероприятие «{saved.title}» сохранено.")
            return redirect(_detail_url(roadmap, f"stage-{stage.number}"))
    return _activity_page(request, roadmap, access, form, stage=stage, activity=activity)


@require_POST
@login_required
def activity_delete(request, pk):
    activity, roadmap, access = activity_for_user(request, pk)
    if not _editor(request, roadmap, access):
        return redirect(_detail_url(roadmap))
    form = DeleteForm(request.POST)
    form.is_valid()
    try:
        services.activity_delete(
            activity=activity, user=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as error:
        add_service_errors(form, error)
        edit_form = ActivityForm(
            instance=activity, roadmap=roadmap, needs_reason=access.needs_reason
        )
        return _activity_page(
            request,
            roadmap,
            access,
            edit_form,
            stage=activity.stage,
            activity=activity,
            delete_form=form,
        )
    messages.success(request, f"Мероприятие «{activity.title}» удалено из дорожной карты.")
    return redirect(_detail_url(roadmap, f"stage-{activity.stage.number}"))


@login_required
def activity_done(request, pk):
    activity, roadmap, access = activity_for_user(request, pk)
    if not access.can_mark:
        raise PermissionDenied
    initial = {
        "done_on": activity.done_on or timezone.localdate(),
        "evidence_order": activity.evidence_order_id,
        "evidence_link": activity.evidence_link,
        "evidence_note": activity.evidence_note,
    }
    form = MarkDoneForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
        institution=roadmap.institution,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_mark_done(
                activity=activity,
                user=request.user,
                done_on=data["done_on"],
                evidence_order=data["evidence_order"],
                evidence_file=data["evidence_file"],
                evidence_link=data["evidence_link"],
                evidence_note=data["evidence_note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Мероприятие «{activity.title}» отмечено выполненным.")
            return redirect(_detail_url(roadmap, f"stage-{activity.stage.number}"))
    progress = _progress(request, roadmap)
    item = next((a for a in progress.activities if a.activity.pk == activity.pk), None)
    return render(
        request,
        "roadmap/activity_done.html",
        {
            "roadmap": roadmap,
            "activity": activity,
            "item": item,
            "form": form,
            "crumbs": _crumbs(roadmap, ("Отметка о выполнении", None)),
        },
    )


@require_POST
@login_required
def activity_reopen(request, pk):
    activity, roadmap, access = activity_for_user(request, pk)
    if not access.can_mark:
        raise PermissionDenied
    try:
        services.activity_reopen(activity=activity, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Отметка о выполнении снята: «{activity.title}» снова в работе.")
    return redirect(_detail_url(roadmap, f"stage-{activity.stage.number}"))


@login_required
def evidence_download(request, pk):
    activity, _, _ = activity_for_user(request, pk)
    if not activity.evidence_file:
        raise Http404
    try:
        handle = activity.evidence_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = activity.evidence_file.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        handle,
        content_type=mimetypes.types_map.get(f".{extension}", "application/octet-stream"),
    )
    return attachment(response, f"Подтверждение выполнения {activity.pk}.{extension}")


# --- Submission and the head's decision ---------------------------------------------------------


@require_POST
@login_required
def roadmap_submit(request, pk):
    roadmap, access = roadmap_for_user(request, pk)
    if not access.is_curator:
        raise PermissionDenied
    try:
        services.roadmap_submit(roadmap=roadmap, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Дорожная карта направлена заведующему на утверждение.")
    return redirect(_detail_url(roadmap))


def _approve_page(request, roadmap, form, return_form):
    return render(
        request,
        "roadmap/roadmap_approve.html",
        {
            "roadmap": roadmap,
            "heading": _heading(roadmap),
            "form": form,
            "return_form": return_form,
            "order_title": services.order_title(roadmap),
            "progress": _progress(request, roadmap),
            "changes": list(
                RoadmapChange.objects.filter(
                    roadmap=roadmap, made_at__gt=roadmap.approved_at
                ).select_related("made_by__person")
            )
            if roadmap.approved_at
            else [],
            "crumbs": _crumbs(roadmap, ("Утверждение приказом", None)),
        },
    )


def _decider(request, roadmap, access) -> bool:
    if not access.is_head:
        raise PermissionDenied
    if access.can_decide:
        return True
    messages.error(
        request,
        f"Утвердить нельзя: дорожная карта сейчас в состоянии «{roadmap.get_status_display()}».",
    )
    return False


def _approved(roadmap, order) -> tuple[str, str]:
    """The message after the approval and the roadmap's page to go back to."""
    message = f"Дорожная карта утверждена приказом № {order.number} от {order.date:%d.%m.%Y}."
    return message, _detail_url(roadmap)


@login_required
def roadmap_approve(request, pk):
    roadmap, access = roadmap_for_user(request, pk)
    if not _decider(request, roadmap, access):
        return redirect(_detail_url(roadmap))
    form = approval_form(posted(request), institution=roadmap.institution)
    signed = approve_by_order(
        request,
        form,
        sign=partial(services.roadmap_approve, roadmap=roadmap, head=request.user),
        done=partial(_approved, roadmap),
        back_url=_detail_url(roadmap),
    )
    return signed or _approve_page(request, roadmap, form, ReturnForm(auto_id="id_return_%s"))


@require_POST
@login_required
def roadmap_return(request, pk):
    roadmap, access = roadmap_for_user(request, pk)
    if not _decider(request, roadmap, access):
        return redirect(_detail_url(roadmap))
    form = ReturnForm(request.POST, auto_id="id_return_%s")
    if form.is_valid():
        try:
            services.roadmap_return(
                roadmap=roadmap, head=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Дорожная карта возвращена куратору с замечаниями.")
            return redirect(_detail_url(roadmap))
    approve_form = approval_form(None, institution=roadmap.institution)
    return _approve_page(request, roadmap, approve_form, form)
