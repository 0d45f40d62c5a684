"""Changing the term (п. 7.2) and completing a program (п. 7.1).

The mentor or the curator proposes a new end; the mentor and the mentees agree or decline
in their own accounts on the program's page. The curator or the mentor completes the
program with a reason; a mentee asks for it in a comment.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.trail import log_export
from mentoring_site.lib.documents import FORMATS, document_response, requested_format
from mentoring_site.lib.forms import add_service_errors
from programs.access import ProgramAccess, program_for_user
from programs.forms.lifecycle import (
    CompletionForm,
    PaperProgramAcquaintanceForm,
    PaperTermAgreementForm,
    TermChangeForm,
    TermDeclineForm,
    TermWithdrawForm,
)
from programs.models import Program, TermChange
from programs.services import lifecycle as services
from registry.roles import roles_for

# п. 7.2: everyone agreed, the head's order decides.
ORDERED_TEXT = (
    "Все участники согласились: проект приказа о продлении (корректировке) программы направлен "
    "заведующему. Срок изменится после подписания приказа."
)


def program_heading(program: Program) -> str:
    """«Программа: Петрова М. И. — Иванова А. С.»"""
    prefetch_related_objects([program], "group__members__person")
    return f"Программа: {program.group.title}"


def program_crumbs(request, program: Program, title: str) -> list:
    """Главная → Программы (for the staff, who have the list) → the program → the action."""
    crumbs = [("Главная", reverse("home"))]
    if roles_for(request).can_view_banks:
        crumbs.append(("Программы", reverse("programs:program-list")))
    return [*crumbs, (program_heading(program), _detail_url(program)), (title, None)]


def _detail_url(program: Program, anchor: str = "") -> str:
    return reverse("programs:program-detail", args=[program.pk]) + anchor


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


def _require_changer(access: ProgramAccess) -> None:
    """The mentor or the curator changes an approved program; a mentee and read-only staff
    may look but not act."""
    if not (access.is_mentor or access.is_curator):
        raise PermissionDenied


def _not_active(request, program: Program, action: str):
    messages.error(
        request,
        f"{action} можно только в утверждённой, выполняемой программе: сейчас она "
        f"«{program.get_status_display()}».",
    )
    return redirect(_detail_url(program))


@login_required
def term_change_create(request, pk):
    program, access = program_for_user(request, pk)
    _require_changer(access)
    if program.status != Program.Status.ACTIVE:
        return _not_active(request, program, "Изменить срок")
    pending = program.term_changes.filter(status__in=TermChange.OPEN_STATUSES).first()
    form = TermChangeForm(request.POST or None)
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            term = services.term_change_request(
                program=program,
                new_end=form.cleaned_data["new_end"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            waiting = "наставляемых" if access.is_mentor else "наставника и наставляемых"
            messages.success(
                request,
                f"Изменение срока до {term.new_end:%d.%m.%Y} предложено. Оно вступит в силу, "
                f"когда согласятся все участники: ждём согласия {waiting}.",
            )
            return redirect(_detail_url(program, "#lifecycle"))
    return render(
        request,
        "programs/lifecycle/term_change_form.html",
        {
            "form": form,
            "program": program,
            "pending": pending,
            "crumbs": program_crumbs(request, program, "Изменение срока"),
        },
    )


def _term_change(request, pk):
    """(term change, its program, the user's access to it); another institution's is 404."""
    roles = roles_for(request)
    term = get_object_or_404(
        TermChange, pk=pk, program__group__institution_id=getattr(roles.institution, "pk", None)
    )
    program, access = program_for_user(request, term.program_id)
    return term, program, access


def _term_for_member(request, pk) -> tuple[TermChange, Program]:
    """The term change and its program; only the program's mentor and mentees answer it."""
    term, program, access = _term_change(request, pk)
    if access.member is None:
        raise PermissionDenied
    return term, program


@require_POST
@login_required
def term_change_agree(request, pk):
    term, program = _term_for_member(request, pk)
    try:
        term = services.term_change_agree(term=term, user=request.user)
    except ValidationError as error:
        messages.error(request, _refusal(error))
        return redirect(_detail_url(program, "#lifecycle"))
    if term.status == TermChange.Status.ORDERED:
        messages.success(request, f"Ваше согласие учтено. {ORDERED_TEXT}")
    else:
        messages.success(
            request,
            "Ваше согласие учтено. Срок изменится, когда согласятся остальные участники "
            "и заведующий подпишет приказ.",
        )
    return redirect(_detail_url(program, "#lifecycle"))


@require_POST
@login_required
def term_change_curator_agree(request, pk):
    """The curator agrees with a change the mentor proposed (п. 7.2: with the mentor)."""
    term, program, access = _term_change(request, pk)
    if not access.is_curator or access.member is not None:
        raise PermissionDenied
    try:
        term = services.term_change_curator_agree(term=term, user=request.user)
    except ValidationError as error:
        messages.error(request, _refusal(error))
        return redirect(_detail_url(program, "#lifecycle"))
    if term.status == TermChange.Status.ORDERED:
        messages.success(request, f"Изменение срока согласовано. {ORDERED_TEXT}")
    else:
        messages.success(
            request, "Изменение срока согласовано: ждём согласия остальных участников."
        )
    return redirect(_detail_url(program, "#lifecycle"))


@require_POST
@login_required
def term_change_decline(request, pk):
    term, program = _term_for_member(request, pk)
    form = TermDeclineForm(request.POST)
    if form.is_valid():
        try:
            services.term_change_decline(
                term=term, user=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, _refusal(error))
                return redirect(_detail_url(program, "#lifecycle"))
            add_service_errors(form, error)
        else:
            messages.success(
                request, "Изменение срока отклонено: участники и куратор получат ваш комментарий."
            )
            return redirect(_detail_url(program, "#lifecycle"))
    return render(
        request,
        "programs/lifecycle/term_change_decline.html",
        {
            "form": form,
            "term": term,
            "program": program,
            "crumbs": program_crumbs(request, program, "Отклонить изменение срока"),
        },
    )


@require_POST
@login_required
def term_change_withdraw(request, pk):
    """«Отозвать изменение срока»: the curator, or the mentor who proposed it, withdraws a change
    that waits for the participants or for the head's order (п. 7.2); refused once the order is
    signed. Other staff and the mentees 403, outsiders 404."""
    term, program, access = _term_change(request, pk)
    own_proposal = access.is_mentor and term.requested_by_id == request.user.pk
    if not (own_proposal or (access.is_curator and access.member is None)):
        raise PermissionDenied
    form = TermWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.term_change_withdraw(
                term=term, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, _refusal(error))
                return redirect(_detail_url(program, "#lifecycle"))
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Изменение срока отозвано: программа идёт до {program.end:%d.%m.%Y}. "
                "Участники получили уведомление.",
            )
            return redirect(_detail_url(program, "#lifecycle"))
    return render(
        request,
        "programs/lifecycle/term_change_withdraw.html",
        {
            "form": form,
            "term": term,
            "program": program,
            "crumbs": program_crumbs(request, program, "Отозвать изменение срока"),
        },
    )


@login_required
def program_complete(request, pk):
    program, access = program_for_user(request, pk)
    if not access.can_end:
        raise PermissionDenied
    if program.status in (Program.Status.COMPLETED, Program.Status.TERMINATED):
        messages.error(
            request,
            f"Программа уже {program.get_status_display()} {program.finished_on:%d.%m.%Y}: "
            "она доступна только для чтения.",
        )
        return redirect(_detail_url(program))
    if program.status != Program.Status.ACTIVE:
        return _not_active(request, program, "Завершить программу")
    parties = services.completion_parties(program, request.user)
    reasons = services.completion_reasons(parties)
    if not reasons:
        raise PermissionDenied
    form = CompletionForm(request.POST or None, reasons=reasons)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_complete(
                program=program, completion=form.completion(), user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Программа {program.get_status_display()} {program.finished_on:%d.%m.%Y}. "
                "Участники и куратор получили уведомление.",
            )
            return redirect(_detail_url(program, "#lifecycle"))
    return render(
        request,
        "programs/lifecycle/program_complete.html",
        {
            "form": form,
            "program": program,
            "notice_text": services.NOTICE_TEXT,
            "crumbs": program_crumbs(request, program, "Завершение программы"),
        },
    )


def _term_for_curator(request, pk) -> tuple[TermChange, Program]:
    """The term change and its program for the curator (or the sysadmin), who records the
    agreements given on paper; the other staff and the members get 403, outsiders 404."""
    term, program, access = _term_change(request, pk)
    if not access.is_curator:
        raise PermissionDenied
    return term, program


@login_required
def term_change_paper(request, pk):
    """«Внести согласие на бумаге»: a participant without a login agreed on paper (п. 7.2)."""
    term, program = _term_for_curator(request, pk)
    if term.status != TermChange.Status.PENDING or program.status != Program.Status.ACTIVE:
        messages.error(
            request,
            "Согласие на бумаге вносится, пока изменение срока ждёт согласия участников.",
        )
        return redirect(_detail_url(program, "#lifecycle"))
    waiting = services.term_change_progress(term).waiting
    form = PaperTermAgreementForm(request.POST or None, request.FILES or None, waiting=waiting)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_change_agree_on_paper(
                term=term, user=request.user, **form.evidence
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, _refusal(error))
                return redirect(_detail_url(program, "#lifecycle"))
            add_service_errors(form, error)
        else:
            name = form.cleaned_data["person"].short_name
            if term.status == TermChange.Status.ORDERED:
                text = f"Согласие участника «{name}» внесено. {ORDERED_TEXT}"
            else:
                text = f"Согласие участника «{name}» внесено. Ждём согласия остальных участников."
            messages.success(request, text)
            return redirect(_detail_url(program, "#lifecycle"))
    return render(
        request,
        "programs/lifecycle/term_change_paper.html",
        {
            "form": form,
            "term": term,
            "program": program,
            "without_login": [m for m in waiting if m.person.user_id is None],
            "crumbs": program_crumbs(request, program, "Согласие на бумаге"),
        },
    )


@login_required
def term_change_paper_form(request, pk):
    """The printable agreement to the new term, with a signature line for each participant."""
    term, program = _term_for_curator(request, pk)
    fmt = requested_format(request)
    content = services.term_change_form_render(term=term, fmt=fmt)
    what = f"бланк согласия на изменение срока программы ({FORMATS[fmt]})"
    log_export(request.user, term, what)
    name = f"Согласие на изменение срока программы № {program.pk}.pdf"
    return document_response(content, name, fmt=fmt)


def _program_for_curator(request, pk) -> Program:
    """The program for the curator (or the sysadmin), who records the acquaintance given on
    paper; the other staff and the members get 403, outsiders 404."""
    program, access = program_for_user(request, pk)
    if not access.is_curator:
        raise PermissionDenied
    return program


def _not_approved(request, program: Program):
    messages.error(
        request,
        "Ознакомление с программой вносится после её утверждения куратором: сейчас она "
        f"в состоянии «{program.get_status_display()}».",
    )
    return redirect(_detail_url(program))


@login_required
def program_paper_acquaintance(request, pk):
    """«Внести ознакомление на бумаге»: a participant without a login signed the sheet of
    acquaintance with the approved program."""
    program = _program_for_curator(request, pk)
    if not program.was_approved:
        return _not_approved(request, program)
    form = PaperProgramAcquaintanceForm(
        request.POST or None, request.FILES or None, program=program
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.program_acquaintance_on_paper(
                program=program, user=request.user, **form.evidence
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, _refusal(error))
                return redirect(_detail_url(program))
            add_service_errors(form, error)
        else:
            name = form.cleaned_data["person"].short_name
            messages.success(request, f"Ознакомление участника «{name}» с программой внесено.")
            return redirect(_detail_url(program, "#acquaintance"))
    return render(
        request,
        "programs/lifecycle/program_paper_acquaintance.html",
        {
            "form": form,
            "program": program,
            "heading": program_heading(program),
            "approved_on": services.program_approved_on(program),
            "without_login": services.program_acquaintance_waiting(program),
            "crumbs": program_crumbs(request, program, "Ознакомление на бумаге"),
        },
    )


@login_required
def program_paper_acquaintance_form(request, pk):
    """The printable sheet of acquaintance with the program, a line for each participant."""
    program = _program_for_curator(request, pk)
    if not program.was_approved:
        return _not_approved(request, program)
    fmt = requested_format(request)
    content = services.program_acquaintance_form_render(program=program, fmt=fmt)
    what = f"лист ознакомления с программой наставничества ({FORMATS[fmt]})"
    log_export(request.user, program, what)
    name = f"Лист ознакомления с программой № {program.pk}.pdf"
    return document_response(content, name, fmt=fmt)
