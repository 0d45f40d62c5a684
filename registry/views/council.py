"""The methodical council's pages (п. 3.4): its meetings by academic year, a meeting planned
ahead and written down after it, the printed minutes, and the council's composition by the
head's order.

Who: the curator and the council's members record and change meetings; the head and the
sysadmin read them (403 on changes), as they read the roadmap (``roadmap/access.py``);
mentors, mentees, teachers and everyone of another institution get 404.
"""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib.academic_year import academic_year_label
from mentoring_site.lib.documents import document_response, requested_format
from mentoring_site.lib.forms import add_service_errors, error_text, posted
from mentoring_site.lib.pages import list_page
from mentoring_site.lib.versions import StaleVersion
from registry.access import MeetingAccess, council_viewer, meeting_for_user
from registry.forms.council import MeetingForm
from registry.models import CouncilMeeting
from registry.roles import roles_for
from registry.services import council as services

PER_PAGE = 50


def _list_url() -> str:
    return reverse("registry:council-meeting-list")


def _crumbs(*tail) -> list:
    crumbs = [("Главная", reverse("home"))]
    if not tail:
        return crumbs + [("Заседания методического совета", None)]
    return crumbs + [("Заседания методического совета", _list_url()), *tail]


def _title(meeting: CouncilMeeting) -> str:
    return str(meeting)  # «Протокол № 2 от 12.10.2026», or «Заседание совета …» before it


# --- The list -----------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    access = council_viewer(request)
    institution = roles_for(request).institution
    today = timezone.localdate()
    meetings = CouncilMeeting.objects.filter(institution=institution).select_related("chair")
    page_obj = list_page(request, meetings, PER_PAGE)
    rows = list(page_obj.object_list)
    for meeting in rows:
        meeting.access = MeetingAccess(
            can_edit=access.can_record, state=services.meeting_state(meeting, today)
        )
        meeting.state_label = services.State.LABELS[meeting.access.state]
        meeting.agenda_items = services.parse_items(meeting.agenda)
    years = [
        (services.year_label(year), list(group))
        for year, group in groupby(rows, key=lambda m: m.year)
    ]
    upcoming = services.next_meeting(institution, today)
    if upcoming is not None:
        upcoming.agenda_items = services.parse_items(upcoming.agenda)
    return render(
        request,
        "registry/council/meeting_list.html",
        {
            "access": access,
            "years": years,
            "page_obj": page_obj,
            "query_without_page": "",
            "upcoming": upcoming,
            "awaiting": list(services.awaiting_decisions(institution, today)),
            "current_label": academic_year_label(today),
            "numbering_rule": services.NUMBERING_RULE,
            "crumbs": _crumbs(),
        },
    )


# --- Create and change -----------------------------------------------------------------------


def _form(request, meeting: CouncilMeeting) -> MeetingForm:
    institution = roles_for(request).institution
    return MeetingForm(
        posted(request),
        instance=meeting,
        institution=institution,
        members=services.council_members_query(institution),
    )


def _form_page(request, form, *, meeting=None, title=None):
    """The form of a new meeting, or of ``meeting`` named ``title`` as it was before the edit."""
    if meeting is None:
        title = heading = "Новое заседание совета"
        crumbs = _crumbs((title, None))
    else:
        heading = f"Изменение: {title[0].lower()}{title[1:]}"
        detail = reverse("registry:council-meeting-detail", args=[meeting.pk])
        crumbs = _crumbs((title, detail), ("Изменение", None))
    return render(
        request,
        "registry/council/meeting_form.html",
        {
            "form": form,
            "meeting": meeting,
            "heading": heading,
            "sections": [
                ("Заседание", [form["held_on"], form["agenda"]]),
                (
                    "Участники",
                    [
                        form["chair"],
                        form["secretary"],
                        form["attendees"],
                        form["other_attendees"],
                        form["invited"],
                    ],
                ),
                ("Ход заседания и решения", [form["discussion"], form["decisions"]]),
            ],
            "numbering_rule": services.NUMBERING_RULE,
            "crumbs": crumbs,
        },
    )


def _saved_message(meeting: CouncilMeeting, *, created: bool) -> str:
    if meeting.number is None:
        verb = "запланировано" if created else "сохранено"
        return (
            f"Заседание {meeting.held_on:%d.%m.%Y} {verb}. После заседания запишите ход и "
            "решения — протокол получит номер по дате и его можно будет скачать."
        )
    verb = "записан" if created else "сохранён"
    return (
        f"Протокол № {meeting.number} от {meeting.held_on:%d.%m.%Y} {verb}. "
        "Его можно скачать в PDF."
    )


def _renumbered_message(meeting: CouncilMeeting) -> str | None:
    """The minutes that moved up (or down) by date: printed ones are to be printed again."""
    moved = getattr(meeting, "renumbered", [])
    if not moved:
        return None
    items = ", ".join(
        f"от {item.meeting.held_on:%d.%m.%Y} — № {item.new} (был № {item.old})" for item in moved
    )
    return (
        f"Протоколы нумеруются по датам заседаний, поэтому номера изменились: {items}. "
        "Если эти протоколы уже распечатаны, распечатайте их заново."
    )


def _report_saved(request, meeting: CouncilMeeting, *, created: bool) -> None:
    messages.success(request, _saved_message(meeting, created=created))
    renumbered = _renumbered_message(meeting)
    if renumbered:
        messages.warning(request, renumbered)


@login_required
def meeting_create(request):
    access = council_viewer(request)
    if not access.can_record:
        raise PermissionDenied
    meeting = CouncilMeeting(institution=roles_for(request).institution)
    form = _form(request, meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(
                meeting=form.instance, attendees=form.chosen_attendees(), user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _report_saved(request, meeting, created=True)
            return redirect("registry:council-meeting-detail", pk=meeting.pk)
    return _form_page(request, form)


@login_required
def meeting_update(request, pk):
    meeting, access = meeting_for_user(request, pk)
    if not access.can_edit:
        raise PermissionDenied
    title = _title(meeting)  # before the form changes the instance
    form = _form(request, meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(
                meeting=form.instance,
                attendees=form.chosen_attendees(),
                user=request.user,
                version=form.version,
            )
        except StaleVersion as error:
            form.refuse_stale(error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _report_saved(request, meeting, created=False)
            return redirect("registry:council-meeting-detail", pk=meeting.pk)
    return _form_page(request, form, meeting=meeting, title=title)


# --- A meeting and its minutes -------------------------------------------------------------------


@login_required
def meeting_detail(request, pk):
    meeting, access = meeting_for_user(request, pk)
    document = services.meeting_document(meeting)
    title = _title(meeting)
    return render(
        request,
        "registry/council/meeting_detail.html",
        {
            **document,
            "numbering_rule": services.NUMBERING_RULE,
            "access": access,
            "title": title,
            "state_label": services.State.LABELS[access.state],
            "crumbs": _crumbs((title, None)),
        },
    )


@login_required
def meeting_pdf(request, pk):
    meeting, access = meeting_for_user(request, pk)
    try:
        fmt = requested_format(request)
        content = services.meeting_render(meeting=meeting, fmt=fmt)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("registry:council-meeting-detail", pk=meeting.pk)
    return document_response(content, services.meeting_filename(meeting), fmt=fmt)


# --- The composition -----------------------------------------------------------------------------


@login_required
def council_composition(request):
    access = council_viewer(request)
    composition = services.council_composition(roles_for(request).institution)
    return render(
        request,
        "registry/council/composition.html",
        {
            "access": access,
            "composition": composition,
            "crumbs": [("Главная", reverse("home")), ("Состав методического совета", None)],
        },
    )
