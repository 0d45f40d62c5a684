"""Meetings of a program (the schedule and the journal) and the iCalendar of a person's
meetings and deadlines: a download, and a private feed URL to subscribe to in a calendar
application (the feed's secret token stands in for a login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from mentoring_site.lib.downloads import attachment
from mentoring_site.lib.site import site_url
from mentoring_site.lib.versions import StaleVersion
from programs.access import program_for_user
from programs.forms.calendar import MeetingForm
from programs.models import CalendarFeed, Meeting, Program
from programs.services import calendar as services
from programs.views.lifecycle import program_crumbs
from registry.models import GroupMember
from registry.roles import roles_for


def _detail_url(program: Program) -> str:
    return reverse("programs:program-detail", args=[program.pk]) + "#meetings"


def _meeting_page(request, program, access, meeting: Meeting | None):
    """The form of a new or an existing meeting, shared by both views."""
    if not (access.is_mentor or access.is_curator):
        raise PermissionDenied
    if program.status != Program.Status.ACTIVE:
        messages.error(
            request,
            "Встречи назначают и отмечают в утверждённой, выполняемой программе: сейчас она "
            f"«{program.get_status_display()}».",
        )
        return redirect(_detail_url(program))
    title = "Новая встреча" if meeting is None else f"Встреча «{meeting.topic}»"
    members = list(
        GroupMember.objects.filter(group_id=program.group_id, left_on__isnull=True)
        .select_related("person")
        .order_by("role", "id")
    )
    form = MeetingForm(
        request.POST or None,
        instance=meeting or Meeting(program=program),
        program=program,
        members=members,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.meeting_save(
                program=program,
                meeting=form.instance,
                attendees=list(form.cleaned_data["attendees"]),
                user=request.user,
                version=form.version,
            )
        except StaleVersion as error:
            form.refuse_stale(error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            when = f"{timezone.localtime(saved.starts_at):%d.%m.%Y %H:%M}"
            if meeting is None and not saved.held:
                text = f"Встреча {when} назначена: участники получили уведомление."
            elif saved.held:
                text = f"Журнал встречи {when} сохранён."
            else:
                text = f"Встреча {when} изменена."
            messages.success(request, text)
            return redirect(_detail_url(program))
    return render(
        request,
        "programs/calendar/meeting_form.html",
        {
            "form": form,
            "program": program,
            "meeting": meeting,
            "title": title,
            "crumbs": program_crumbs(request, program, title),
        },
    )


@login_required
def meeting_create(request, pk):
    program, access = program_for_user(request, pk)
    return _meeting_page(request, program, access, None)


@login_required
def meeting_update(request, pk):
    roles = roles_for(request)
    meeting = get_object_or_404(
        Meeting, pk=pk, program__group__institution_id=getattr(roles.institution, "pk", None)
    )
    program, access = program_for_user(request, meeting.program_id)
    return _meeting_page(request, program, access, meeting)


def _ics(text: str, *, download: bool) -> HttpResponse:
    response = HttpResponse(text.encode(), content_type="text/calendar; charset=utf-8")
    if download:
        attachment(response, "Календарь встреч.ics")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def my_calendar(request):
    return _ics(services.user_calendar(request.user, base_url=site_url(request)), download=True)


@require_GET
def calendar_feed(request, token):
    """No login: calendar applications fetch the feed by its secret URL."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    return _ics(services.user_calendar(feed.user, base_url=site_url(request)), download=False)


@require_POST
@login_required
def calendar_reset(request):
    had_feed = CalendarFeed.objects.filter(user=request.user).exists()
    feed = services.calendar_feed_rotate(user=request.user)
    text = (
        f"Ссылка для подписки на календарь: {services.feed_url(feed, base_url=site_url(request))}"
    )
    if had_feed:
        text += " Прежняя ссылка больше не работает."
    messages.success(request, text)
    back = request.POST.get("next", "")
    # Only a path of this site: redirect() would take a bare word for a view name (500).
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "home"
    return redirect(back)
