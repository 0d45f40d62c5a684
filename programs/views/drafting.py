"""Drafting and approving programs (п. 1.2, п. 5.1, Приложение 1): the curator's overview,
«Создать по шаблону», the program's page, the note, the plan, comments, the workflow, the
library of typical events and the program's PDF. One URL per action; the services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
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
from mentoring_site.lib.downloads import dated_name, xlsx_response
from mentoring_site.lib.forms import error_text, posted
from mentoring_site.lib.pages import list_page
from mentoring_site.lib.spreadsheets import filter_lines
from mentoring_site.lib.versions import StaleVersion
from programs import exports
from programs.access import event_for_user, program_for_user
from programs.forms.drafting import (
    CommentForm,
    ProgramEventForm,
    ProgramFilterForm,
    ProgramNoteForm,
    ReturnForm,
    TypicalEventForm,
)
from programs.models import (
    Meeting,
    Program,
    ProgramChange,
    ProgramComment,
    ProgramEvent,
    TermChange,
    TypicalEvent,
)
from programs.services import drafting as services
from programs.services.lifecycle import program_acquaintance
from registry.access import (
    ListScope,
    bank_viewer_required,
    group_for_user,
    is_mentor_of,
    list_scope,
)
from registry.filters import PROGRAM_SEARCH_KEY, programs_by_text
from registry.models import GroupMember, MentoringGroup
from registry.roles import roles_for
from registry.services.groups import member_names

Status = Program.Status
PAGE_SIZE = 25
OPEN_EVENT = (
    ProgramEvent.Status.PLANNED,
    ProgramEvent.Status.IN_PROGRESS,
    ProgramEvent.Status.OVERDUE,
)


def _detail_url(program) -> str:
    return reverse("programs:program-detail", args=[program.pk])


def _crumbs(request, program=None, *tail) -> list:
    """Главная → Программы (for the staff, who have the overview) → the program → …"""
    crumbs = [("Главная", reverse("home"))]
    if roles_for(request).can_view_banks:
        crumbs.append(("Программы", reverse("programs:program-list")))
    if program is None:
        return crumbs + list(tail)
    title = f"Программа: {program.group.title}"
    if tail:
        return crumbs + [(title, _detail_url(program)), *tail]
    return crumbs + [(title, None)]


def can_submit(access) -> bool:
    """The mentor sends their draft to the curator."""
    return access.is_mentor and access.status == Status.DRAFT


def _plan_editor(request, program, access) -> bool:
    """May this user change the note and the plan now? Members and staff who never may get
    403; the mentor or curator at the wrong moment get a message (the caller redirects)."""
    if access.can_edit_draft or access.can_change_active:
        return True
    if not (access.is_mentor or access.is_curator):
        raise PermissionDenied
    messages.error(
        request,
        f"Программу в состоянии «{program.get_status_display()}» изменить нельзя: план и "
        "записку меняют в черновике или, с причиной, в утверждённой программе.",
    )
    return False


# --- The curator's overview ---------------------------------------------------------------


def _filtered_programs(request, roles):
    """The overview as filtered, searched and sorted: the page and its Excel copy read the same
    rows (one definition). Returns the form, the search text and the programs."""
    today = timezone.localdate()
    counted = ~Q(events__status=ProgramEvent.Status.CANCELLED)
    programs = Program.objects.filter(group__institution=roles.institution).annotate(
        events_total=Count("events", filter=counted),
        events_done=Count("events", filter=Q(events__status=ProgramEvent.Status.DONE)),
        overdue_count=Count(
            "events", filter=Q(events__status__in=OPEN_EVENT, events__deadline__lt=today)
        ),
    )
    free_text = request.session.get(PROGRAM_SEARCH_KEY, "")
    programs = programs_by_text(programs, roles.institution, free_text)
    filter_form = ProgramFilterForm(request.GET or None, institution=roles.institution)
    return filter_form, free_text, filter_form.filter(programs)


@bank_viewer_required
def program_list(request):
    roles = roles_for(request)
    filter_form, free_text, programs = _filtered_programs(request, roles)
    # The rows read only what the list shows (issue 21), their groups' titles as values.
    page_obj = list_page(request, programs.only("group", "status", "start", "end"), PAGE_SIZE)
    titles = member_names(program.group_id for program in page_obj.object_list)
    for program in page_obj.object_list:
        program.group_title = MentoringGroup.title_of(*titles[program.group_id])
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = request.GET.copy()
    sort_query.pop("page", None)
    current_sort = request.GET.get("sort") or "end"
    sort_query["sort"] = "-end" if current_sort == "end" else "end"
    return render(
        request,
        "programs/program_list.html",
        {
            "filter_form": filter_form,
            "page_obj": page_obj,
            "programs": page_obj.object_list,
            "filtered": filter_form.is_filtered or bool(free_text),
            "free_text": free_text,
            "current_sort": current_sort,
            "sort_url": "?" + sort_query.urlencode(),
            "export_query": query.urlencode(),
            "query_without_page": query.urlencode() + "&" if query else "",
            "crumbs": [("Главная", reverse("home")), ("Программы", None)],
        },
    )


@bank_viewer_required
def program_export(request):
    """«Скачать Excel»: every program of the overview as filtered, not one page."""
    roles = roles_for(request)
    filter_form, free_text, programs = _filtered_programs(request, roles)
    programs = programs.select_related("group").prefetch_related(
        Prefetch(
            "group__members",
            queryset=GroupMember.objects.filter(left_on__isnull=True).select_related("person"),
        )
    )
    filters = filter_lines(filter_form, search=free_text)
    content = exports.program_workbook(programs=programs, filters=filters)
    log_export(request.user, None, "программы наставничества (Excel)", roles.institution)
    return xlsx_response(content, dated_name("Программы наставничества", timezone.localdate()))


# --- «Создать по шаблону» ----------------------------------------------------------------


@login_required
def program_create(request, group_pk):
    group, access = group_for_user(request, group_pk)
    if not access.drafts_program:
        raise PermissionDenied
    existing = Program.objects.filter(group=group).first()
    if existing is not None:
        messages.info(request, "У этой пары (группы) программа уже есть.")
        return redirect(_detail_url(existing))
    group_url = reverse("registry:group-detail", args=[group.pk])
    if not access.can_create_program:
        messages.error(
            request, "Программу составляют после утверждения пары (группы) приказом заведующего."
        )
        return redirect(group_url)
    if request.method == "POST":
        try:
            program = services.program_create_from_template(group=group, user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect(group_url)
        messages.success(
            request,
            "Черновик программы создан по шаблону. Проверьте пояснительную записку и план, "
            "затем направьте программу куратору.",
        )
        return redirect(_detail_url(program))
    group = (
        MentoringGroup.objects.prefetch_related(
            Prefetch(
                "members",
                queryset=GroupMember.objects.select_related(
                    "person__mentee_profile"
                ).prefetch_related("person__mentee_profile__difficulties__direction"),
            )
        )
        .select_related("form")
        .get(pk=group.pk)
    )
    start, end = services.template_term(group)
    mentees = [m.person for m in group.active_mentees]
    return render(
        request,
        "programs/program_create.html",
        {
            "group": group,
            "mentees": mentees,
            "start": start,
            "end": end,
            "crumbs": [
                ("Главная", reverse("home")),
                (f"Пара: {group.title}", group_url),
                ("Создание программы", None),
            ],
        },
    )


# --- The program's page -------------------------------------------------------------------


def _program_page(request, program, access, *, status=200, **forms):
    """The program's page; ``forms`` replace the blank forms with bound ones carrying
    errors (``comment_form``, ``return_form``). The number of queries does not grow with the
    number of events, comments or meetings."""
    program = (
        Program.objects.select_related(
            "group__form", "group__curator__person", "approved_by__person"
        )
        .prefetch_related(
            services.members_prefetch(),
            "group__kinds",
            "group__directions",
            "group__extra_forms",
            "group__members__person__mentee_profile__difficulties__direction",
            Prefetch("events", queryset=services.events_queryset()),
            Prefetch("comments", queryset=ProgramComment.objects.select_related("author__person")),
            Prefetch("changes", queryset=ProgramChange.objects.select_related("actor__person")),
            Prefetch("meetings", queryset=Meeting.objects.prefetch_related("attendees")),
            Prefetch(
                "term_changes",
                queryset=TermChange.objects.select_related(
                    "requested_by__person", "curator_agreed_by__person", "order"
                ),
            ),
        )
        .get(pk=program.pk)
    )
    members = list(program.group.members.all())
    mentors = [m.person for m in members if m.is_mentor]
    mentees = [m.person for m in members if not m.is_mentor]
    events = list(program.events.all())
    # The files the mentees attached, shown with their report where the mentor confirms it.
    mentee_users = {p.user_id for p in mentees if p.user_id}
    for event in events:
        event.report_files = [e for e in event.evidence.all() if e.uploaded_by_id in mentee_users]
    # The mentees' cards the user may open: the staff's, and the mentor's (п. 4.1), where she
    # also enters their achievements (п. 4.2).
    mentee_cards = {
        p.pk
        for p in mentees
        if access.is_staff or (access.is_mentor and is_mentor_of(access.member.person, p))
    }
    # Issue 16: who acquainted with the approved program on paper, and for the curator who
    # without a login still has to.
    acquaintance = program_acquaintance(program) if program.was_approved else []
    recorded = {d.person_id for d in acquaintance}
    context = {
        "program": program,
        "access": access,
        "heading": f"Программа: {program.group.title}",
        "approval": services.program_approval(program),
        "acquaintance": acquaintance,
        "acquaintance_waiting": [
            p
            for p in mentors + mentees
            if program.was_approved
            and access.is_curator
            and p.user_id is None
            and p.pk not in recorded
        ],
        "mentors": mentors,
        "mentees": mentees,
        "mentee_cards": mentee_cards,
        "strengths": [
            (p, p.mentee_profile.strengths)
            for p in mentees
            if hasattr(p, "mentee_profile") and p.mentee_profile.strengths
        ],
        "events": events,
        "progress": services.plan_progress(events),
        "uncovered": services.uncovered_difficulties(mentees, events),
        "comments": list(program.comments.all()),
        "changes": list(program.changes.all()),
        "meetings": list(program.meetings.all()),
        "term_changes": list(program.term_changes.all()),
        "can_edit_plan": access.can_edit_draft or access.can_change_active,
        "can_delete_events": access.can_edit_draft,
        "can_submit": can_submit(access),
        "note_gaps": program.empty_note_parts,
        "comment_form": forms.get("comment_form") or CommentForm(),
        "return_form": forms.get("return_form")
        or ReturnForm(auto_id="id_return_%s", initial=_return_initial(program)),
        "crumbs": _crumbs(request, program),
    }
    return render(request, "programs/program_detail.html", context, status=status)


def _return_initial(program) -> dict:
    """The curator's remark, written in advance when the note has empty parts."""
    if not (program.is_on_review and program.empty_note_parts):
        return {}
    return {"comment": services.note_gaps_remark(program)}


@login_required
def program_detail(request, pk):
    program, access = program_for_user(request, pk)
    return _program_page(request, program, access)


def _current_values(program: Program, form: ProgramNoteForm) -> dict:
    """What the program holds now, readable, for the fields where it differs from what the
    user typed into ``form`` (a valid form)."""
    current = {}
    for name in form.fields:
        if name in ("version", "why"):
            continue
        value = getattr(program, name)
        if value == form.cleaned_data.get(name):
            continue
        if name == "mode":
            value = program.get_mode_display()
        elif hasattr(value, "strftime"):
            value = f"{value:%d.%m.%Y}"
        current[name] = value or "—"
    return current


@login_required
def program_update(request, pk):
    program, access = program_for_user(request, pk)
    if not _plan_editor(request, program, access):
        return redirect(_detail_url(program))
    active = program.status == Status.ACTIVE
    form = ProgramNoteForm(posted(request), instance=program, active=active)
    conflict = current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(
                program=program,
                data=form.cleaned_data,
                version=form.cleaned_data["version"],
                user=request.user,
                why=form.cleaned_data.get("why", ""),
            )
        except services.VersionConflict as error:
            conflict = error
            current = _current_values(error.current, form)
            # Keep what the user typed; the next save starts from the version they have seen.
            data = request.POST.copy()
            data["version"] = str(error.current.version)
            form = ProgramNoteForm(data, instance=error.current, active=active)
            form.is_valid()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Пояснительная записка сохранена.")
            return redirect(_detail_url(program))
    return render(
        request,
        "programs/program_form.html",
        {
            "program": program,
            "form": form,
            "sections": form.sections(current),
            "conflict": conflict,
            "active": active,
            "crumbs": _crumbs(request, program, ("Пояснительная записка", None)),
        },
    )


@login_required
def program_pdf(request, pk):
    program, _ = program_for_user(request, pk)
    fmt = requested_format(request)
    context = services.program_document(program)
    content = render_document("documents/program.html", context, fmt=fmt)
    log_export(request.user, program, f"программа наставничества ({FORMATS[fmt]})")
    return document_response(content, f"Программа наставничества № {program.pk}.pdf", fmt=fmt)


# --- The plan -----------------------------------------------------------------------------


def _event_form_page(request, program, form, event=None, typical=None):
    title = "Изменение мероприятия" if event else "Новое мероприятие"
    return render(
        request,
        "programs/event_form.html",
        {
            "program": program,
            "form": form,
            "event": event,
            "typical": typical,
            "title": title,
            "crumbs": _crumbs(request, program, (title, None)),
        },
    )


@login_required
def event_library(request, pk):
    """«Добавить из библиотеки»: the typical events to start an event of the plan from, while
    the plan may change (a draft; an approved program with a reason)."""
    program, access = program_for_user(request, pk)
    if not _plan_editor(request, program, access):
        return redirect(_detail_url(program))
    title = "Добавить из библиотеки"
    return render(
        request,
        "programs/event_library.html",
        {
            "program": program,
            "sections": services.library_for_program(program),
            "title": title,
            "crumbs": _crumbs(request, program, (title, None)),
        },
    )


def _initial_from_library(request, program) -> tuple[dict, TypicalEvent | None]:
    """The event form's initial values from the typical event chosen in the library
    (``?typical=<id>``), with the mentees' difficulties of its direction ticked."""
    chosen = request.GET.get("typical", "")
    # ASCII digits only: "²".isdigit() is true, but int() cannot read it.
    if not (chosen.isascii() and chosen.isdigit()):
        return {}, None
    typical = get_object_or_404(
        TypicalEvent.objects.visible_to(program.group.institution_id).filter(is_active=True),
        pk=int(chosen),
    )
    values = services.typical_event_values(typical, program)
    initial = {
        "direction": values["direction_id"],
        "form": values["form_id"],
        **{name: values[name] for name in ("title", "deadline", "expected_result", "responsible")},
        "difficulties": list(
            services.program_difficulties(program)
            .filter(direction_id=typical.direction_id)
            .values_list("pk", flat=True)
        ),
    }
    return initial, typical


@login_required
def event_create(request, pk):
    program, access = program_for_user(request, pk)
    if not _plan_editor(request, program, access):
        return redirect(_detail_url(program))
    initial, typical = {}, None
    if request.method == "GET":
        initial, typical = _initial_from_library(request, program)
    form = ProgramEventForm(posted(request), program=program, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                program=program,
                event=form.instance,
                difficulties=form.cleaned_data["difficulties"],
                user=request.user,
                why=form.cleaned_data.get("why", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Мероприятие «{event.title}» добавлено в план.")
            return redirect(_detail_url(program) + "#plan")
    return _event_form_page(request, program, form, typical=typical)


@login_required
def event_update(request, pk):
    event, program, access = event_for_user(request, pk)
    if not _plan_editor(request, program, access):
        return redirect(_detail_url(program))
    form = ProgramEventForm(posted(request), instance=event, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                event=event,
                data=form.cleaned_data,
                difficulties=form.cleaned_data["difficulties"],
                user=request.user,
                why=form.cleaned_data.get("why", ""),
                version=form.version,
            )
        except StaleVersion as error:
            form.refuse_stale(error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Мероприятие «{event.title}» сохранено.")
            return redirect(_detail_url(program) + "#plan")
    return _event_form_page(request, program, form, event)


@require_POST
@login_required
def event_delete(request, pk):
    event, program, access = event_for_user(request, pk)
    if not (access.is_mentor or access.is_curator):
        raise PermissionDenied
    try:
        services.event_delete(event=event, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Мероприятие «{event.title}» удалено из плана.")
    return redirect(_detail_url(program) + "#plan")


# --- Comments and the workflow -------------------------------------------------------------


@require_POST
@login_required
def comment_create(request, pk):
    program, access = program_for_user(request, pk)
    if not access.can_comment:
        raise PermissionDenied
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _program_page(request, program, access, status=400, comment_form=form)
    services.comment_add(program=program, user=request.user, text=form.cleaned_data["text"])
    messages.success(request, "Комментарий добавлен: наставник и куратор получили уведомление.")
    return redirect(_detail_url(program) + "#comments")


@require_POST
@login_required
def program_submit(request, pk):
    program, access = program_for_user(request, pk)
    if not access.is_mentor:
        raise PermissionDenied
    try:
        services.program_submit(program=program, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Программа направлена куратору на согласование.")
    return redirect(_detail_url(program))


@require_POST
@login_required
def program_approve(request, pk):
    program, access = program_for_user(request, pk)
    if not access.is_curator:
        raise PermissionDenied
    try:
        services.program_approve(program=program, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Программа утверждена: наставник и наставляемый уведомлены.")
    return redirect(_detail_url(program))


@require_POST
@login_required
def program_return(request, pk):
    program, access = program_for_user(request, pk)
    if not access.is_curator:
        raise PermissionDenied
    form = ReturnForm(request.POST, auto_id="id_return_%s")
    if not form.is_valid():
        if not access.can_review:
            messages.error(request, "Вернуть можно только программу, которая на согласовании.")
            return redirect(_detail_url(program))
        return _program_page(request, program, access, status=400, return_form=form)
    try:
        services.program_return(
            program=program, user=request.user, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Программа возвращена наставнику с замечаниями.")
    return redirect(_detail_url(program))


# --- The library of typical events -------------------------------------------------------


def _library_crumbs(*tail):
    return [
        ("Главная", reverse("home")),
        ("Библиотека типовых мероприятий", reverse("programs:library-list") if tail else None),
        *tail,
    ]


def _library_scope(request) -> ListScope:
    """The curator and the sysadmin keep their kindergarten's own typical events and read the
    installation's; the installation's administrator keeps those (issue 20). The head and the
    council, who read the banks, get 403; everyone else 404."""
    roles = roles_for(request)
    if roles.institution is not None and roles.can_view_banks and not roles.can_edit_banks:
        raise PermissionDenied
    return list_scope(request, editors=lambda roles: roles.can_edit_banks)


def _library_reader(request) -> ListScope:
    """The list also for the council, read-only: it «разрабатывает, апробирует и реализует
    персонализированные программы» (п. 3.4) and reads what their plans are drawn from."""
    roles = roles_for(request)
    if roles.institution is not None and roles.is_council and not roles.can_edit_banks:
        return ListScope(institution=roles.institution, read_only=True)
    return _library_scope(request)


@login_required
def library_list(request):
    scope = _library_reader(request)
    items = (
        scope.items(TypicalEvent)
        .select_related("direction", "form")
        .order_by("direction__sort_order", "direction__name", "week", "pk")
    )
    return render(
        request,
        "programs/library_list.html",
        {
            "rows": [(item, scope.may_edit(item)) for item in items],
            "scope": scope,
            "crumbs": _library_crumbs(),
        },
    )


def _library_form_page(request, form, item=None):
    title = "Изменение типового мероприятия" if item else "Новое типовое мероприятие"
    return render(
        request,
        "programs/library_form.html",
        {"form": form, "item": item, "title": title, "crumbs": _library_crumbs((title, None))},
    )


@login_required
def library_create(request):
    scope = _library_scope(request)
    form = TypicalEventForm(posted(request), institution=scope.institution)
    if request.method == "POST" and form.is_valid():
        form.instance.institution = scope.institution
        item = form.save()
        messages.success(request, f"Типовое мероприятие «{item.title}» добавлено в библиотеку.")
        return redirect("programs:library-list")
    return _library_form_page(request, form)


@login_required
def library_update(request, pk):
    scope = _library_scope(request)
    item = get_object_or_404(scope.items(TypicalEvent), pk=pk)
    if not scope.may_edit(item):
        raise PermissionDenied  # the installation's entry, read by a kindergarten
    form = TypicalEventForm(posted(request), instance=item, institution=scope.institution)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.typical_event_save(item=form.instance, version=form.version)
        except StaleVersion as error:
            form.refuse_stale(error)
        else:
            messages.success(request, f"Типовое мероприятие «{item.title}» сохранено.")
            return redirect("programs:library-list")
    return _library_form_page(request, form, item)
