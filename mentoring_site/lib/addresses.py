"""The registry's own address for what people read outside it: letters and printed sheets."""

from django.conf import settings


def site_url(request) -> str:
    """``SITE_URL`` when it is set, else the address this request reached the registry at
    (scheme and host, no trailing slash)."""
    if settings.SITE_URL_IS_SET:
        return settings.SITE_URL
    return request.build_absolute_uri("/").rstrip("/")
