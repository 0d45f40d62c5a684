"""Decisions given on paper by participants without a login (issue 16, part 3): the curator
records a pair's answer from the signed form, prints the form, and opens the signed scan. One
URL per action; ``registry.services.paper`` decides."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from audit.trail import log_export
from mentoring_site.lib.documents import FORMATS, document_response, requested_format
from mentoring_site.lib.downloads import attachment
from mentoring_site.lib.forms import error_text
from registry.access import group_for_user, order_for_user
from registry.forms.paper import PaperAcquaintanceForm, PaperGroupResponseForm
from registry.models import GroupMember, MentoringGroup, PaperDecision
from registry.roles import roles_for
from registry.services import paper as services
from registry.views.groups import group_crumbs, group_heading


def _detail_url(group) -> str:
    return reverse("registry:group-detail", args=[group.pk])


def _managed_group(request, pk) -> MentoringGroup:
    """The group for the curator (or the sysadmin); other staff and members get 403."""
    group, access = group_for_user(request, pk)
    if not access.can_manage:
        raise PermissionDenied
    return group


@login_required
def group_paper_response(request, pk):
    """«Внести решение на бумаге»: the answer of a participant without a login (п. 6.2)."""
    group = _managed_group(request, pk)
    if group.status != MentoringGroup.Status.PROPOSED:
        messages.error(
            request,
            "Решение на бумаге вносится, пока пара ждёт ответа участников: сейчас она в "
            f"состоянии «{group.get_status_display()}».",
        )
        return redirect(_detail_url(group))
    initial = {"person": request.GET.get("person")} if request.GET.get("person") else {}
    form = PaperGroupResponseForm(
        request.POST or None, request.FILES or None, group=group, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_group_response(
                group=group,
                person=form.cleaned_data["person"],
                confirm=form.confirm,
                comment=form.cleaned_data["comment"],
                decided_on=form.cleaned_data["decided_on"],
                scan=form.cleaned_data.get("scan"),
                original_with_curator=form.cleaned_data["original_with_curator"],
                user=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                messages.error(request, error_text(error))
                return redirect(_detail_url(group))
        else:
            group.refresh_from_db()
            name = form.cleaned_data["person"].short_name
            if group.status == MentoringGroup.Status.CONFIRMED:
                text = (
                    f"Решение участника «{name}» внесено. Все участники согласны: направьте пару "
                    "(группу) на утверждение заведующему."
                )
            elif group.status == MentoringGroup.Status.DECLINED:
                text = f"Отказ участника «{name}» внесён: пара (группа) не будет создана."
            else:
                text = f"Решение участника «{name}» внесено. Ждём ответа остальных участников."
            messages.success(request, text)
            return redirect(_detail_url(group))
    members = (
        group.members.filter(left_on__isnull=True, person__user__isnull=True)
        .select_related("person")
        .order_by("person__last_name")
    )
    return render(
        request,
        "registry/groups/paper_response.html",
        {
            "form": form,
            "group": group,
            "heading": group_heading(group),
            "members_without_login": members,
            "crumbs": group_crumbs(request, group, ("Решение на бумаге", None)),
        },
    )


@login_required
def group_paper_form_pdf(request, pk):
    """The printable form of a member's answer to the pair's proposal, filled in."""
    roles = roles_for(request)
    member = get_object_or_404(
        GroupMember.objects.select_related("person__position", "group__institution"),
        pk=pk,
        group__institution=roles.institution,
        left_on__isnull=True,
    )
    _managed_group(request, member.group_id)
    fmt = requested_format(request)
    content = services.paper_group_form_render(member=member, fmt=fmt)
    log_export(request.user, member.person, f"бланк ответа на предложение пары ({FORMATS[fmt]})")
    name = f"Бланк ответа о паре {member.group_id}-{member.person_id}.pdf"
    return document_response(content, name, fmt=fmt)


@login_required
def paper_decision_scan(request, pk):
    """The signed scan of a paper decision: for the staff who read the banks."""
    roles = roles_for(request)
    if roles.institution is None or not roles.can_view_banks:
        raise Http404
    decision = get_object_or_404(PaperDecision, pk=pk, person__institution=roles.institution)
    if not decision.scan:
        raise Http404
    try:
        handle = decision.scan.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = decision.scan.name.rsplit(".", 1)[-1].lower()
    content_type = mimetypes.types_map.get(f".{extension}", "application/octet-stream")
    return attachment(
        FileResponse(handle, content_type=content_type),
        f"Решение на бумаге {decision.pk}.{extension}",
    )


@login_required
def order_paper_acquaintance(request, pk):
    """«Внести ознакомление на бумаге»: a person without a login signed the printed order."""
    order, _ = order_for_user(request, pk)
    if not roles_for(request).can_edit_banks:
        raise PermissionDenied
    detail = reverse("registry:order-detail", args=[order.pk])
    if not order.is_signed:
        messages.error(request, "Ознакомление вносится после подписания приказа.")
        return redirect(detail)
    form = PaperAcquaintanceForm(request.POST or None, request.FILES or None, order=order)
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_order_acquaintance(order=order, user=request.user, **form.evidence)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, error_text(error))
                return redirect(detail)
            form.add_error(None, error)
        else:
            name = form.cleaned_data["person"].short_name
            messages.success(request, f"Ознакомление участника «{name}» с приказом внесено.")
            return redirect(detail)
    title = f"Приказ № {order.number} от {order.date:%d.%m.%Y}"
    return render(
        request,
        "registry/orders/paper_acquaintance.html",
        {
            "form": form,
            "order": order,
            "title": title,
            "crumbs": [
                ("Главная", reverse("home")),
                ("Приказы", reverse("registry:order-list")),
                (title, detail),
                ("Ознакомление на бумаге", None),
            ],
        },
    )
