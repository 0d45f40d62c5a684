"""The mentor's supplementary agreement (ТК РФ ст. 351.8): drafting it from the pair, printing
it (PDF, DOCX), entering its signing, ending it with notice, and the register of agreements with
the mentor's pay for the accounting office (Excel). One URL per action; the services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from audit.trail import log_export
from mentoring_site.lib.documents import FORMATS, document_response, requested_format
from mentoring_site.lib.downloads import dated_name, xlsx_response
from mentoring_site.lib.forms import add_service_errors, posted
from mentoring_site.lib.pages import list_page
from mentoring_site.lib.spreadsheets import filter_lines
from mentoring_site.lib.versions import StaleVersion
from registry import exports
from registry.access import agreement_for_user, agreement_register_access, group_for_user
from registry.forms.agreements import (
    AgreementDraftForm,
    AgreementEndForm,
    AgreementFilterForm,
    AgreementSignForm,
)
from registry.models import AgreementAmendment, GroupMember, MentoringAgreement
from registry.roles import roles_for
from registry.services import agreements as services
from registry.views.groups import group_crumbs, group_heading

PAGE_SIZE = 25


def _crumbs(request, agreement, *tail) -> list:
    return group_crumbs(
        request,
        agreement.group,
        (
            f"Доп. соглашение: {agreement.mentor.short_name}",
            _detail_url(agreement) if tail else None,
        ),
        *tail,
    )


def _detail_url(agreement) -> str:
    return reverse("registry:agreement-detail", args=[agreement.pk])


def _draft_values(form) -> dict:
    data = form.cleaned_data
    return {
        "content": data["content"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "pay_amount": data["pay_amount"],
        "pay_percent": data["pay_percent"],
    }


@login_required
def agreement_create(request, pk):
    """The curator drafts the agreement of a mentor of the pair (``pk`` is the member), its
    content drafted from the pair; a mentor who has one is sent to it."""
    roles = roles_for(request)
    member = get_object_or_404(
        GroupMember.objects.select_related("person__organization", "person__position"),
        pk=pk,
        group__institution=roles.institution,
        left_on__isnull=True,
    )
    group, access = group_for_user(request, member.group_id)
    if not access.can_manage:
        raise PermissionDenied
    if not member.is_mentor:
        raise Http404
    live = MentoringAgreement.objects.filter(
        group=group, mentor=member.person, status__in=MentoringAgreement.LIVE_STATUSES
    ).first()
    if live is not None:
        return redirect(_detail_url(live))
    if services.is_partner_staff(member.person):
        messages.error(
            request,
            f"«{member.person.short_name}» — работник организации «"
            f"{member.person.organization.short_name}»: вместо дополнительного соглашения "
            "внесите договор о сотрудничестве на странице организации-партнёра.",
        )
        return redirect("registry:group-detail", pk=group.pk)
    initial = {
        "content": services.default_content(group, member.person),
        "starts_on": group.planned_start,
        "ends_on": group.planned_end,
    }
    form = AgreementDraftForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_draft(
                group=group, mentor=member.person, user=request.user, **_draft_values(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Проект дополнительного соглашения готов: скачайте его, подпишите с наставником "
                "и заведующим, затем внесите номер и дату.",
            )
            return redirect(_detail_url(agreement))
    return render(
        request,
        "registry/agreements/agreement_form.html",
        {
            "form": form,
            "group": group,
            "mentor": member.person,
            "heading": group_heading(group),
            "crumbs": group_crumbs(
                request, group, (f"Доп. соглашение: {member.person.short_name}", None)
            ),
        },
    )


@login_required
def agreement_detail(request, pk):
    agreement, access = agreement_for_user(request, pk)
    mentees = [
        m.person
        for m in agreement.group.members.filter(
            left_on__isnull=True, role=GroupMember.Role.MENTEE
        ).select_related("person")
    ]
    return render(
        request,
        "registry/agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "access": access,
            "mentees": mentees,
            "amendments": list(agreement.amendments.select_related("order")),
            "heading": group_heading(agreement.group),
            "crumbs": _crumbs(request, agreement),
        },
    )


@login_required
def agreement_update(request, pk):
    agreement, access = agreement_for_user(request, pk)
    if not access.can_manage:
        raise PermissionDenied
    if not access.can_edit:
        messages.error(request, "Подписанное соглашение не меняется: изменения вносятся приказом.")
        return redirect(_detail_url(agreement))
    form = AgreementDraftForm(posted(request), instance=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update_draft(
                agreement=agreement, version=form.version, **_draft_values(form)
            )
        except StaleVersion as error:
            form.refuse_stale(error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Проект соглашения сохранён.")
            return redirect(_detail_url(agreement))
    return render(
        request,
        "registry/agreements/agreement_form.html",
        {
            "form": form,
            "agreement": agreement,
            "group": agreement.group,
            "mentor": agreement.mentor,
            "heading": group_heading(agreement.group),
            "crumbs": _crumbs(request, agreement, ("Изменение проекта", None)),
        },
    )


@login_required
def agreement_sign(request, pk):
    """The number and the date, entered once both parties signed the agreement on paper."""
    agreement, access = agreement_for_user(request, pk)
    if not access.can_manage:
        raise PermissionDenied
    if not access.can_sign:
        messages.error(request, "Сведения о подписании этого соглашения уже внесены.")
        return redirect(_detail_url(agreement))
    form = AgreementSignForm(posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_sign(
                agreement=agreement,
                number=form.cleaned_data["number"],
                signed_on=form.cleaned_data["date"],
                user=request.user,
                today=timezone.localdate(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Соглашение с {agreement.mentor.short_name} отмечено подписанным: теперь "
                "заведующий может утвердить пару (группу) с этим наставником.",
            )
            return redirect(_detail_url(agreement))
    return render(
        request,
        "registry/agreements/agreement_sign.html",
        {
            "form": form,
            "agreement": agreement,
            "crumbs": _crumbs(request, agreement, ("Подписание", None)),
        },
    )


@login_required
def agreement_end(request, pk):
    """Early cancellation by either side with three working days' notice (ТК РФ ст. 351.8)."""
    agreement, access = agreement_for_user(request, pk)
    if not access.can_manage:
        raise PermissionDenied
    if not access.can_end:
        messages.error(request, "Прекратить можно только подписанное соглашение.")
        return redirect(_detail_url(agreement))
    form = AgreementEndForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_end(
                agreement=agreement,
                ended_by=form.cleaned_data["ended_by"],
                notice_on=form.cleaned_data["notice_on"],
                ended_on=form.cleaned_data["ended_on"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            agreement.refresh_from_db()
            messages.success(
                request,
                f"Соглашение с {agreement.mentor.short_name} прекращается "
                f"с {agreement.ended_on:%d.%m.%Y}.",
            )
            return redirect(_detail_url(agreement))
    return render(
        request,
        "registry/agreements/agreement_end.html",
        {
            "form": form,
            "agreement": agreement,
            "crumbs": _crumbs(request, agreement, ("Досрочное прекращение", None)),
        },
    )


@login_required
def agreement_document(request, pk):
    """The agreement ready to sign: PDF, or Word with ``?format=docx``."""
    agreement, _access = agreement_for_user(request, pk)
    fmt = requested_format(request)
    content = services.agreement_render(agreement=agreement, fmt=fmt)
    log_export(request.user, agreement.mentor, f"дополнительное соглашение ({FORMATS[fmt]})")
    return document_response(content, services.agreement_filename(agreement), fmt=fmt)


@login_required
def amendment_document(request, pk):
    """A change of the agreement (an extension, п. 7.2), ready to sign."""
    roles = roles_for(request)
    amendment = get_object_or_404(
        AgreementAmendment.objects.select_related("order"),
        pk=pk,
        agreement__institution=roles.institution,
    )
    agreement, _access = agreement_for_user(request, amendment.agreement_id)
    amendment.agreement = agreement
    fmt = requested_format(request)
    content = services.amendment_render(amendment=amendment, fmt=fmt)
    log_export(request.user, agreement.mentor, f"изменение доп. соглашения ({FORMATS[fmt]})")
    name = f"Изменение доп. соглашения {agreement.pk} от {amendment.made_on:%d.%m.%Y}.pdf"
    return document_response(content, name, fmt=fmt)


def _filtered(request, institution):
    form = AgreementFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    return form, services.register(institution, status=status), bool(status)


@login_required
def agreement_list(request):
    """The register of agreements with the mentor's pay (for the head and the accounting)."""
    access = agreement_register_access(request)
    institution = roles_for(request).institution
    form, rows, filtered = _filtered(request, institution)
    page = list_page(request, rows, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/agreements/agreement_list.html",
        {
            "form": form,
            "access": access,
            "page_obj": page,
            "agreements": list(page.object_list),
            "filtered": filtered,
            "export_query": query.urlencode(),
            "query_without_page": query.urlencode() + "&" if query else "",
            "crumbs": [("Главная", reverse("home")), ("Соглашения о наставничестве", None)],
        },
    )


@login_required
def agreement_export(request):
    """«Скачать Excel»: the register as filtered, for the accounting office."""
    agreement_register_access(request)
    institution = roles_for(request).institution
    form, rows, _filtered_now = _filtered(request, institution)
    content = exports.agreement_workbook(agreements=rows, filters=filter_lines(form))
    log_export(request.user, None, "реестр соглашений о наставничестве (Excel)", institution)
    return xlsx_response(content, dated_name("Соглашения о наставничестве", timezone.localdate()))
