"""Views every part of the registry shares: role homes, health check, session pings."""

import time

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mentoring_site import homes
from mentoring_site.lib.middleware import SEEN_AT
from registry.roles import HOME_TITLES, roles_for
from reports.access import may_run_summaries


@login_required
def home(request):
    available = roles_for(request).homes
    if not available:
        # The district's methodologist has no kindergarten of their own: their page is the
        # summary of all of them (reports/views/summary.py).
        if may_run_summaries(request.user):
            return redirect("reports:summary-list")
        if request.user.institution_id is None and request.user.has_perm(
            "registry.manage_shared_lists"
        ):
            return redirect("registry:reference-index")
        return render(request, "home/no_role.html", status=200)
    return redirect("role-home", role=available[0])


@login_required
def role_home(request, role):
    roles = roles_for(request)
    if role not in roles.homes:
        raise Http404
    context = homes.BUILDERS[role](request, roles)
    context.update({"role": role, "role_title": HOME_TITLES[role]})
    return render(request, f"home/{role}.html", context)


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def session_status(request):
    """Seconds left before the idle limit; does not count as activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False, "seconds_left": 0})
    return JsonResponse(
        {"authenticated": True, "seconds_left": max(getattr(request, "session_left_seconds", 0), 0)}
    )


@never_cache
@require_POST
@login_required
def session_extend(request):
    """The «Продолжить работу» button of the warning: any request resets the idle clock."""

    request.session[SEEN_AT] = int(time.time())
    return JsonResponse({"authenticated": True, "seconds_left": request.session_idle_seconds})
