"""A document in the format asked for (issue 19): PDF by default, DOCX with ``?format=docx``.

Both come from one source, the document's template and its context (mentoring_site/lib/pdf.py,
mentoring_site/lib/word.py). The DOCX is served by the same view as the PDF, at the same address
with ``?format=docx``, so it is refused to exactly those the PDF is refused to.
"""

from django.http import Http404, HttpResponse

from mentoring_site.lib.pdf import pdf_response, render_pdf
from mentoring_site.lib.word import docx_response, render_docx

PDF = "pdf"
DOCX = "docx"
FORMATS = {PDF: "PDF", DOCX: "DOCX"}  # format → its name for people (the audit trail)


def requested_format(request) -> str:
    """The format of ``?format=``: PDF when none is given; an unknown one is not found."""
    value = request.GET.get("format", PDF)
    if value not in FORMATS:
        raise Http404("Документ выгружается в PDF или DOCX.")
    return value


def render_document(template_name: str, context: dict, *, fmt: str = PDF) -> bytes:
    """The bytes of ``template_name`` rendered with ``context`` in the format ``fmt``."""
    if fmt == DOCX:
        return render_docx(template_name, context)
    return render_pdf(template_name, context)


def filename_in_format(pdf_filename: str, fmt: str) -> str:
    """«Приказ № 101 от 15.09.2026.pdf» → «Приказ № 101 от 15.09.2026.docx» for ``fmt`` DOCX."""
    return f"{pdf_filename.removesuffix('.pdf')}.{fmt}"


def document_response(content: bytes, pdf_filename: str, *, fmt: str = PDF) -> HttpResponse:
    """A download of the document's bytes, named as the PDF is, with the format's extension."""
    if fmt == DOCX:
        return docx_response(content, filename_in_format(pdf_filename, fmt))
    return pdf_response(content, pdf_filename)
