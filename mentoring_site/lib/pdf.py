"""Documents: an HTML template rendered to PDF with WeasyPrint (STYLE.md «Documents»).

Every printed document extends ``documents/_document_base.html``. Static files referenced with
``{% static %}`` are read from the local static folders; nothing is fetched over the network.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

from mentoring_site.lib.downloads import attachment

# A made-up origin: relative and root-relative URLs of a document resolve against it, and the
# fetcher below maps its /static/ paths to files on disk. Any other URL is refused.
DOCUMENT_ORIGIN = "http://documents.invalid/"


def _url_fetcher_class():
    # A heavy import (0.6 s): only when a document is rendered (TOOLCHAIN.md).
    from weasyprint import URLFetcher

    class LocalStaticFetcher(URLFetcher):
        """Serves ``/static/…`` from the static folders and ``data:`` URLs; refuses the rest."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            static_prefix = DOCUMENT_ORIGIN + settings.STATIC_URL.lstrip("/")
            if url.startswith(static_prefix):
                path = finders.find(url.removeprefix(static_prefix).split("?")[0])
                if path:
                    return super().fetch(Path(path).as_uri(), headers)
            raise ValueError(f"Documents load only local static files, not {url}")

    return LocalStaticFetcher


def render_pdf(template_name: str, context: dict) -> bytes:
    """The PDF of ``template_name`` rendered with ``context``."""
    # A heavy import (0.6 s): only when a document is rendered (TOOLCHAIN.md).
    import weasyprint

    html = render_to_string(template_name, context)
    document = weasyprint.HTML(
        string=html, base_url=DOCUMENT_ORIGIN, url_fetcher=_url_fetcher_class()()
    )
    return document.write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A download of the PDF bytes named ``filename`` (mentoring_site/lib/downloads.py)."""
    return attachment(HttpResponse(content, content_type="application/pdf"), filename)
