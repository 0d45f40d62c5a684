"""Petitions (ходатайства): a mentee asks to replace the mentor (п. 5.1), a mentor asks to
be relieved (п. 4.1); the curator or the head decides on the group's page. While a petition
waits, a council member or the curator records the council's mediation (п. 3.4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mentoring_site.lib.forms import add_service_errors
from registry.access import group_for_user, petition_for_decision, petition_for_mediation
from registry.forms.groups import MediationForm, PetitionDecisionForm, PetitionForm
from registry.models import GroupMember, Petition
from registry.services import groups as services
from registry.views.groups import group_crumbs, group_heading, render_group_detail


def _kind_for(member: GroupMember) -> str:
    """The petition a participant may file follows from their role in the group."""
    if member.role == GroupMember.Role.MENTEE:
        return Petition.Kind.REPLACE_MENTOR
    return Petition.Kind.RELIEVE_MENTOR


@login_required
def petition_create(request, pk):
    group, access = group_for_user(request, pk)
    if access.member is None:
        raise PermissionDenied
    if not access.can_petition:
        messages.error(
            request,
            "Ходатайство подают, когда пара (группа) утверждена приказом: сейчас она "
            f"в состоянии «{group.get_status_display()}».",
        )
        return redirect("registry:group-detail", pk=group.pk)
    kind = _kind_for(access.member)
    form = PetitionForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.petition_submit(
                group=group,
                author=access.member.person,
                kind=kind,
                text=form.cleaned_data["text"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Ходатайство {petition.get_kind_display()} подано: куратор и заведующий "
                "рассмотрят его, решение придёт в уведомлениях.",
            )
            return redirect("registry:group-detail", pk=group.pk)
    prefetch_related_objects([group], "members__person")
    return render(
        request,
        "registry/groups/petition_form.html",
        {
            "form": form,
            "group": group,
            "heading": group_heading(group),
            "title": f"Ходатайство {Petition.Kind(kind).label}",
            "crumbs": group_crumbs(request, group, ("Ходатайство", None)),
        },
    )


def _decide(request, pk, *, approve: bool):
    petition, group, access = petition_for_decision(request, pk)
    form = PetitionDecisionForm(request.POST, auto_id=f"id_petition{petition.pk}_%s")
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        petition = services.petition_decide(
            petition=petition, approve=approve, comment=comment, user=request.user
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            messages.error(request, " ".join(error.messages))
            return redirect("registry:group-detail", pk=group.pk)
        form.add_error(None, error)
        return render_group_detail(request, group, access, petition_forms={petition.pk: form})
    if approve:
        next_step = (
            " Чтобы заменить наставника, нажмите «Заменить наставника»."
            if access.can_manage
            else " Куратор предложит замену наставника."
        )
        messages.success(request, f"Ходатайство удовлетворено.{next_step}")
    else:
        messages.success(request, "Ходатайство отклонено. Автор получит ваш комментарий.")
    return redirect("registry:group-detail", pk=group.pk)


@require_POST
@login_required
def petition_approve(request, pk):
    return _decide(request, pk, approve=True)


@require_POST
@login_required
def petition_reject(request, pk):
    return _decide(request, pk, approve=False)


@login_required
def petition_mediation(request, pk):
    """The council's mediation on a petition (п. 3.4): its outcome, the decision in words and
    the meeting where the parties were heard, if any."""
    petition, group, access = petition_for_mediation(request, pk)
    if not petition.is_submitted:
        messages.error(
            request,
            "По ходатайству уже принято решение: итог медиации записывают, пока оно "
            "на рассмотрении.",
        )
        return redirect("registry:group-detail", pk=group.pk)
    meetings = services.mediation_meetings(petition)
    initial = {}
    if petition.is_mediated:
        initial = {
            "outcome": petition.mediation,
            "text": petition.mediation_text,
            "meeting": petition.mediation_meeting_id,
        }
    form = MediationForm(request.POST or None, initial=initial, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.petition_mediate(
                petition=petition,
                outcome=form.cleaned_data["outcome"],
                text=form.cleaned_data["text"],
                meeting=form.cleaned_data["meeting"],
                user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Итог медиации записан: {petition.get_mediation_display()}. Автор "
                "ходатайства, участники пары, куратор и заведующий получили уведомление.",
            )
            return redirect("registry:group-detail", pk=group.pk)
    prefetch_related_objects([group], "members__person")
    title = "Итог медиации совета"
    return render(
        request,
        "registry/groups/petition_mediation.html",
        {
            "form": form,
            "petition": petition,
            "group": group,
            "heading": group_heading(group),
            "title": title,
            "crumbs": group_crumbs(request, group, (title, None)),
        },
    )
