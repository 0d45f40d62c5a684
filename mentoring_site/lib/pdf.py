"""Documents: an HTML template rendered to PDF with WeasyPrint (STYLE.md «Documents»).

Every printed document extends ``documents/_document_base.html``. Static files referenced with
``{% static %}`` are read from the local static folders; nothing is fetched over the network.
"""

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

from mentoring_site.lib.downloads import attachment

# A made-up origin: relative and root-relative URLs of a document resolve against it, and the
# fetcher below maps its /static/ paths to files on disk. Any other URL is refused.
DOCUMENT_ORIGIN = "http://documents.invalid/"

# The PDFs this process rendered last, by the digest of their HTML. The HTML is the whole
# input of a render (the static files and fonts change only with a deploy, which starts new
# processes), so the same HTML is the same document: a signed order downloaded again, or by the
# head after the curator, costs no second layout (0.3–1 s of CPU each). Bounded: a few MB.
_RENDERED: OrderedDict[bytes, bytes] = OrderedDict()
_RENDERED_MAX = 32
_RENDERED_LOCK = threading.Lock()


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
    key = hashlib.sha256(html.encode()).digest()
    with _RENDERED_LOCK:
        if key in _RENDERED:
            _RENDERED.move_to_end(key)
            return _RENDERED[key]
    document = weasyprint.HTML(
        string=html, base_url=DOCUMENT_ORIGIN, url_fetcher=_url_fetcher_class()()
    )
    content = document.write_pdf()
    with _RENDERED_LOCK:
        _RENDERED[key] = content
        while len(_RENDERED) > _RENDERED_MAX:
            _RENDERED.popitem(last=False)
    return content


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A download of the PDF bytes named ``filename`` (mentoring_site/lib/downloads.py)."""
    return attachment(HttpResponse(content, content_type="application/pdf"), filename)
