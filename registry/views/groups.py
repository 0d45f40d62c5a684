"""Pairs and groups (п. 6.1, п. 6.2): the list, a proposal, the group's page, each
participant's answer, the submission to the head, her approval by order or return, and the
replacement of a mentor (п. 4.1, п. 5.1). One URL per action; the services decide."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.trail import log_export
from mentoring_site.lib.downloads import dated_name, xlsx_response
from mentoring_site.lib.forms import error_text, posted
from mentoring_site.lib.pages import list_page
from mentoring_site.lib.russian import plural
from mentoring_site.lib.spreadsheets import filter_lines
from mentoring_site.lib.versions import StaleVersion
from programs.models import Program
from registry import exports
from registry.access import bank_viewer_required, can_propose_groups, group_for_user, own_membership
from registry.forms.groups import (
    ConfirmForm,
    DeclineForm,
    GroupCorrectionForm,
    GroupFilterForm,
    GroupProposalForm,
    PetitionDecisionForm,
    ReplaceMentorForm,
    ReturnForm,
)
from registry.models import (
    GroupEvent,
    GroupMember,
    MentoringAgreement,
    MentoringGroup,
    Order,
    Petition,
)
from registry.roles import roles_for
from registry.services import agreements as agreement_services
from registry.services import groups as services
from registry.views._approval import approval_form, approve_by_order

Status = MentoringGroup.Status
PAGE_SIZE = 25
PAIR_WORDS = {"nom": "пара", "acc": "пару", "loc": "паре"}
GROUP_WORDS = {"nom": "группа", "acc": "группу", "loc": "группе"}
ROLE_ORDER = {GroupMember.Role.MENTOR: 0, GroupMember.Role.CO_MENTOR: 1, GroupMember.Role.MENTEE: 2}
# The action forms of the group's page each have a «comment»: distinct ids for the labels.
CONFIRM_ID, DECLINE_ID, RETURN_ID = "id_confirm_%s", "id_decline_%s", "id_return_%s"


def group_heading(group: MentoringGroup) -> str:
    """«Пара: Петрова М. И. — Иванова А. С.» or «Группа: …» (2+ mentees)."""
    return f"{'Пара' if group.is_pair else 'Группа'}: {group.title}"


def paper_warning(count: int) -> str:
    """«Без входа в систему — 2 участника: …» after a proposal (issue 16, part 3)."""
    people = plural(count, "участник", "участника", "участников")
    return (
        f"Без входа в систему — {count} {people}: они не увидят предложение. "
        "Распечатайте бланк решения, дайте подписать и внесите решение на бумаге."
    )


def _list_crumb() -> tuple:
    return ("Пары и группы", reverse("registry:group-list"))


def group_crumbs(request, group, *tail) -> list:
    """Главная → Пары и группы (for the staff, who have the list) → the group → …"""
    crumbs = [("Главная", reverse("home"))]
    if roles_for(request).can_view_banks:
        crumbs.append(_list_crumb())
    if tail:
        return crumbs + [(group_heading(group), _detail_url(group)), *tail]
    return crumbs + [(group_heading(group), None)]


def _detail_url(group) -> str:
    return reverse("registry:group-detail", args=[group.pk])


def _members_prefetch():
    return Prefetch(
        "members", queryset=GroupMember.objects.select_related("person__position", "person__user")
    )


def _filtered_groups(request, roles) -> tuple[GroupFilterForm, object]:
    """The list as filtered: the page and its Excel copy read the same rows (one definition)."""
    filter_form = GroupFilterForm(request.GET or None)
    groups = MentoringGroup.objects.filter(institution=roles.institution).select_related(
        "form", "order"
    )
    return filter_form, filter_form.filter(groups)


@bank_viewer_required
def group_list(request):
    roles = roles_for(request)
    filter_form, groups = _filtered_groups(request, roles)
    # The rows read only what the list shows (issue 21); their members, directions, forms and
    # open petitions as values (services.with_list_columns).
    shown = groups.only(
        "institution_id",
        "status",
        "form__name",
        "planned_start",
        "planned_end",
        "order__number",
        "order__date",
    )
    page_obj = list_page(request, shown, PAGE_SIZE)
    page_obj.object_list = services.with_list_columns(page_obj.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/groups/group_list.html",
        {
            "filter_form": filter_form,
            "page_obj": page_obj,
            "groups": page_obj.object_list,
            "filtered": bool(request.GET.get("status") or request.GET.get("petition")),
            "can_propose": can_propose_groups(roles),
            "export_query": query.urlencode(),
            "query_without_page": query.urlencode() + "&" if query else "",
            "crumbs": [("Главная", reverse("home")), ("Пары и группы", None)],
        },
    )


@bank_viewer_required
def group_export(request):
    """«Скачать Excel»: all the pairs and groups of the list as filtered, not one page."""
    roles = roles_for(request)
    filter_form, groups = _filtered_groups(request, roles)
    groups = groups.prefetch_related(
        Prefetch("members", queryset=GroupMember.objects.select_related("person")),
        "directions",
        "extra_forms",
        # The marker of a petition waiting for a decision, on every row (issue 22).
        Prefetch(
            "petitions",
            queryset=Petition.objects.filter(status=Petition.Status.SUBMITTED),
            to_attr="open_petitions",
        ),
    )
    content = exports.group_workbook(groups=groups, filters=filter_lines(filter_form))
    log_export(request.user, None, "список пар и групп (Excel)", roles.institution)
    return xlsx_response(content, dated_name("Пары и группы", timezone.localdate()))


@login_required
def group_create(request):
    roles = roles_for(request)
    if roles.institution is None or not roles.can_view_banks:
        raise Http404
    if not can_propose_groups(roles):
        raise PermissionDenied
    initial = GroupProposalForm.initial_for(
        request.GET, institution=roles.institution, user=request.user
    )
    form = GroupProposalForm(request.POST or None, initial=initial, institution=roles.institution)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_propose(
                proposal=form.proposal(), institution=roles.institution, user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Предложение отправлено участникам на согласование.")
            on_paper = group.members.filter(person__user__isnull=True).count()
            if on_paper:
                messages.warning(request, paper_warning(on_paper))
            return redirect(_detail_url(group))
    mentee = None
    if initial.get("mentees"):
        mentee = (
            form.fields["mentees"]
            .queryset.filter(pk=initial["mentees"][0])
            .select_related("mentee_profile")
            .prefetch_related("mentee_profile__difficulties__direction")
            .first()
        )
    return render(
        request,
        "registry/groups/group_form.html",
        {
            "form": form,
            "mentee": mentee,
            "crumbs": [("Главная", reverse("home")), _list_crumb(), ("Новая пара (группа)", None)],
        },
    )


@login_required
def group_correct(request, pk):
    """«Исправить»: the curator or a council member corrects a proposed, agreed or returned
    group before it goes to the head (п. 2.3, 2.4, 6.2)."""
    group, access = group_for_user(request, pk)
    if not access.can_propose:
        raise PermissionDenied
    group = _group_for_page(group)
    if not group.is_correctable:
        messages.error(
            request,
            "Исправить можно пару (группу), пока её не направили заведующему: сейчас она в "
            f"состоянии «{group.get_status_display()}».",
        )
        return redirect(_detail_url(group))
    form = GroupCorrectionForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_correct(
                group=group,
                proposal=form.proposal(),
                user=request.user,
                version=form.cleaned_data["version"] or None,
                why=form.cleaned_data["why"],
            )
        except StaleVersion as error:
            form.refuse_stale(error.current)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            text = "Исправления сохранены и записаны в историю."
            if group.status == Status.PROPOSED:
                text += " Участников попросили подтвердить согласие."
            messages.success(request, text)
            return redirect(_detail_url(group))
    return render(
        request,
        "registry/groups/group_form.html",
        {
            "form": form,
            "group": group,
            "heading": group_heading(group),
            "crumbs": group_crumbs(request, group, ("Исправить", None)),
        },
    )


def _group_for_page(group) -> MentoringGroup:
    """The group with everything its page shows, in a fixed number of queries."""
    return (
        MentoringGroup.objects.select_related(
            "form", "curator__person", "order", "proposed_by", "institution"
        )
        .prefetch_related(
            _members_prefetch(),
            "extra_forms",
            "kinds",
            "directions",
            Prefetch("events", queryset=GroupEvent.objects.select_related("actor__person")),
            Prefetch(
                "petitions",
                queryset=Petition.objects.select_related(
                    "author", "decided_by__person", "mediated_by__person", "mediation_meeting"
                ),
            ),
            "paper_decisions",
        )
        .get(pk=group.pk)
    )


def _petitions_with_forms(group, petition_forms: dict) -> list[Petition]:
    """The group's petitions, each with its decision form (a bound one where given)."""
    petitions = list(group.petitions.all())
    for petition in petitions:
        petition.decision_form = petition_forms.get(petition.pk) or PetitionDecisionForm(
            auto_id=f"id_petition{petition.pk}_%s"
        )
    return petitions


def _members_in_order(group) -> list[GroupMember]:
    """The current members, mentors first, each marked as leaving, newcomer or the one
    they replace while a mentor's replacement is under way."""
    active = sorted(group.active_members, key=lambda m: ROLE_ORDER[m.role])
    leaving_ids = {m.replaces_id for m in active if m.replaces_id and m.joined_on is None}
    by_pk = {m.pk: m for m in active}
    for member in active:
        member.is_leaving = member.pk in leaving_ids
        member.replacing = by_pk.get(member.replaces_id)
        member.is_newcomer = group.order_id is not None and member.joined_on is None
    return active


def _agreements_by_mentor(group) -> dict:
    """{mentor id: her latest supplementary agreement for the group} (ТК РФ ст. 351.8)."""
    rows = MentoringAgreement.objects.filter(group=group).order_by("created_at", "pk")
    return {a.mentor_id: a for a in rows}


def _orders_of(group) -> list[Order]:
    """Every signed order about the group, the founding one first (п. 5.1: history)."""
    return list(group.orders.filter(status=Order.Status.SIGNED).order_by("date", "signed_at"))


def render_group_detail(request, group, access, *, status=200, **forms):
    """The group's page. ``forms`` replace the blank action forms with bound ones that
    carry errors: ``decline_form``, ``return_form``, ``petition_forms`` ({pk: form})."""
    group = _group_for_page(group)
    members = _members_in_order(group)
    paper = {d.person_id: d for d in group.paper_decisions.all() if d.superseded_on is None}
    agreements = _agreements_by_mentor(group) if access.can_manage or access.is_head else {}
    for member in members:
        member.paper = paper.get(member.person_id)
        member.agreement = agreements.get(member.person_id)
        member.is_partner_staff = member.person.organization_id != member.person.institution_id
        member.needs_paper = (
            member.person.user_id is None and member.response == GroupMember.Response.PENDING
        )
    context = {
        "group": group,
        "program": Program.objects.filter(group=group).first(),
        "heading": group_heading(group),
        "words": PAIR_WORDS if group.is_pair else GROUP_WORDS,
        "access": access,
        "members": members,
        "awaiting_paper": sum(m.needs_paper for m in members),
        "former_members": [m for m in group.members.all() if m.left_on and m.joined_on],
        "orders": _orders_of(group) if group.order_id else [],
        # ТК РФ ст. 351.8: what the curator still prepares before the head can approve.
        "unsigned_mentors": [
            m
            for m in members
            if access.can_manage
            and m.is_mentor
            and not m.is_leaving
            and not m.is_partner_staff
            and not (m.agreement and m.agreement.is_signed)
        ],
        "events": list(group.events.all()),
        "petitions": _petitions_with_forms(group, forms.get("petition_forms", {})),
        "missing_consents": (
            services.mentors_without_written_consent(group) if access.can_submit else []
        ),
        "confirm_form": ConfirmForm(auto_id=CONFIRM_ID),
        "decline_form": forms.get("decline_form") or DeclineForm(auto_id=DECLINE_ID),
        "return_form": forms.get("return_form") or ReturnForm(auto_id=RETURN_ID),
        "crumbs": group_crumbs(request, group),
    }
    return render(request, "registry/groups/group_detail.html", context, status=status)


@login_required
def group_detail(request, pk):
    group, access = group_for_user(request, pk)
    return render_group_detail(request, group, access)


@require_POST
@login_required
def group_confirm(request, pk):
    group, access = own_membership(request, pk)
    form = ConfirmForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        group = services.group_respond(
            group=group,
            person=access.member.person,
            confirm=True,
            comment=comment,
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(_detail_url(group))
    if group.status == Status.CONFIRMED:
        messages.success(
            request,
            "Вы подтвердили участие. Все участники согласны: куратор направит пару (группу) "
            "на утверждение заведующему.",
        )
    else:
        messages.success(request, "Вы подтвердили участие. Ждём ответа остальных участников.")
    return redirect(_detail_url(group))


@require_POST
@login_required
def group_decline(request, pk):
    group, access = own_membership(request, pk)
    form = DeclineForm(request.POST, auto_id=DECLINE_ID)
    try:
        services.group_respond(
            group=group,
            person=access.member.person,
            confirm=False,
            comment=request.POST.get("comment", ""),
            user=request.user,
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            messages.error(request, error_text(error))
            return redirect(_detail_url(group))
        if form.is_valid():
            form.add_error(None, error)
        return render_group_detail(request, group, access, decline_form=form)
    messages.success(
        request, "Вы отказались от участия. Куратор получит ваш комментарий и подберёт другую пару."
    )
    return redirect(_detail_url(group))


@require_POST
@login_required
def group_submit(request, pk):
    group, access = group_for_user(request, pk)
    if not access.can_manage:
        raise PermissionDenied
    try:
        services.group_submit(group=group, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Пара (группа) отправлена на утверждение заведующему.")
    return redirect(_detail_url(group))


@require_POST
@login_required
def group_return(request, pk):
    group, access = group_for_user(request, pk)
    if not access.is_head:
        raise PermissionDenied
    form = ReturnForm(request.POST, auto_id=RETURN_ID)
    try:
        services.group_return(
            group=group, head=request.user, comment=request.POST.get("comment", "")
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            messages.error(request, error_text(error))
            return redirect(_detail_url(group))
        if form.is_valid():
            form.add_error(None, error)
        return render_group_detail(request, group, access, return_form=form)
    messages.success(request, "Пара (группа) возвращена куратору с вашим комментарием.")
    return redirect(_detail_url(group))


def _approved_message(group, order) -> str:
    what = "Замена наставника утверждена" if order.kind == Order.Kind.REPLACEMENT else None
    what = what or ("Пара утверждена" if group.is_pair else "Группа утверждена")
    return f"{what} приказом № {order.number} от {order.date:%d.%m.%Y}."


def _approved(group, order) -> tuple[str, str]:
    """The message after the approval and the signed order's page to go to."""
    group.refresh_from_db()
    return _approved_message(group, order), reverse("registry:order-detail", args=[order.pk])


def _approve_page(request, group, form):
    group = (
        MentoringGroup.objects.select_related("form", "curator__person")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=GroupMember.objects.select_related(
                    "person__position", "person__organization"
                ),
            ),
            "kinds",
            "directions",
        )
        .get(pk=group.pk)
    )
    replacing = group.order_id is not None
    members = _members_in_order(group)
    newcomers = [m for m in members if m.joined_on is None]
    return render(
        request,
        "registry/groups/group_approve.html",
        {
            "form": form,
            "group": group,
            "heading": group_heading(group),
            "members": members,
            "replacing": replacing,
            # п. 5.1: who leaves and who comes with the order «О замене наставника».
            "leaving": [m for m in members if m.is_leaving],
            "coming": newcomers if replacing else [],
            # ТК РФ ст. 351.8: the head sees before signing what still stops the approval.
            "agreement_problems": agreement_services.approval_errors(
                group, [m.person for m in newcomers if m.is_mentor]
            ),
            "order_title": Order.Kind.REPLACEMENT.label if replacing else Order.Kind.GROUPS.label,
            "crumbs": group_crumbs(request, group, ("Утверждение приказом", None)),
        },
    )


@login_required
def group_approve(request, pk):
    group, access = group_for_user(request, pk)
    if not access.is_head:
        raise PermissionDenied
    if not access.can_decide:
        messages.error(
            request,
            f"Утвердить нельзя: группа сейчас в состоянии «{group.get_status_display()}».",
        )
        return redirect(_detail_url(group))
    form = approval_form(posted(request), institution=group.institution)
    signed = approve_by_order(
        request,
        form,
        sign=partial(services.group_approve, group=group, head=request.user),
        done=partial(_approved, group),
        back_url=_detail_url(group),
    )
    return signed or _approve_page(request, group, form)


@login_required
def group_replace_mentor(request, pk):
    group, access = group_for_user(request, pk)
    if not access.can_manage:
        raise PermissionDenied
    if not access.can_replace_mentor:
        messages.error(
            request,
            "Заменить наставника можно только в утверждённой паре (группе): сейчас она "
            f"в состоянии «{group.get_status_display()}».",
        )
        return redirect(_detail_url(group))
    group = (
        MentoringGroup.objects.select_related("institution")
        .prefetch_related(_members_prefetch())
        .get(pk=group.pk)
    )
    form = ReplaceMentorForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_replace_mentor(
                group=group,
                leaving=form.cleaned_data["leaving"],
                new_mentor=form.cleaned_data["new_mentor"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                "Замена предложена: новый наставник и наставляемые получили запрос на согласие. "
                "После их ответа направьте замену на утверждение заведующему.",
            )
            return redirect(_detail_url(group))
    return render(
        request,
        "registry/groups/group_replace_mentor.html",
        {
            "form": form,
            "group": group,
            "heading": group_heading(group),
            "has_candidates": form.fields["new_mentor"].queryset.exists(),
            "crumbs": group_crumbs(request, group, ("Замена наставника", None)),
        },
    )
