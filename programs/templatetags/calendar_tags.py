"""Template tags of the meetings partial: the schedule split for reading, and the user's
calendar links (download, private feed URL)."""

from dataclasses import dataclass

from django import template
from django.utils import timezone

from mentoring_site.lib.site import site_url
from programs.models import CalendarFeed, Meeting
from programs.services.calendar import feed_url

register = template.Library()


@dataclass(frozen=True)
class Schedule:
    upcoming: list[Meeting]  # not held yet, from now on, the nearest first
    unrecorded: list[Meeting]  # past, the journal not filled in
    journal: list[Meeting]  # held, the latest first


@register.simple_tag
def meeting_schedule(meetings) -> Schedule:
    """{% meeting_schedule meetings as schedule %} — from a list ordered by start."""
    now = timezone.now()
    return Schedule(
        upcoming=[m for m in meetings if m.is_upcoming(now)],
        unrecorded=[m for m in meetings if not m.held and not m.is_upcoming(now)],
        journal=[m for m in reversed(meetings) if m.held],
    )


@register.inclusion_tag("programs/calendar/_feed.html", takes_context=True)
def calendar_feed_url(context):
    """{% calendar_feed_url %} — the download link and the user's subscription URL."""
    request = context["request"]
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return {
        "feed_url": feed_url(feed, base_url=site_url(request)) if feed else "",
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
