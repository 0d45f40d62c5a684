"""The registry's own address in absolute links: the iCalendar's links, the feed's URL, the
invitation sheets and the letters a request queues."""

from django.conf import settings


def site_url(request) -> str:
    """``SITE_URL`` when the environment sets it; otherwise the scheme and host this request
    came to, so the links work wherever the registry is served (behind a proxy,
    ``DJANGO_BEHIND_PROXY`` makes the scheme the client's). No trailing slash."""
    if settings.SITE_URL_IS_SET:
        return settings.SITE_URL
    return request.build_absolute_uri("/").rstrip("/")
