"""Reading a DOCX download in tests (issue 19): the file opens in python-docx, and its text reads
in the order of the page, as ``pdftotext`` reads the PDF, so the same phrases are checked."""

import zipfile
from io import BytesIO

from mentoring_site.lib.word import DOCX_CONTENT_TYPE
from tests.download_helpers import download_name


def docx_document(content: bytes):
    """The python-docx Document of ``content``, after checking it is a whole DOCX package."""
    import docx

    with zipfile.ZipFile(BytesIO(content)) as package:
        assert package.testzip() is None
        names = set(package.namelist())
    assert {"[Content_Types].xml", "word/document.xml", "word/styles.xml"} <= names
    return docx.Document(BytesIO(content))


def docx_text(content: bytes) -> str:
    """The document's words in reading order: paragraphs one a line, the cells of a table row
    side by side, a numbered list's items with their numbers («1. …»), as Word shows them."""
    from docx.oxml.ns import qn

    document = docx_document(content)
    counters: dict = {}
    lines: list[str] = []

    def paragraph_text(p) -> str:
        text = "".join(
            node.text or "" if node.tag == qn("w:t") else "\n"
            for node in p.iter(qn("w:t"), qn("w:br"))
        )
        num_id = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num_id is not None:
            key = num_id.get(qn("w:val"))
            counters[key] = counters.get(key, 0) + 1
            text = f"{counters[key]}. {text}"
        return text

    def read(container, out: list[str]) -> None:
        for child in container:
            if child.tag == qn("w:p"):
                out.append(paragraph_text(child))
            elif child.tag == qn("w:tbl"):
                for row in child.iter(qn("w:tr")):
                    if row.getparent() is not child:
                        continue
                    cells = []
                    for cell in row.findall(qn("w:tc")):
                        merged = cell.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                        if merged is not None and merged.get(qn("w:val")) != "restart":
                            continue  # the rest of a cell merged downwards
                        words: list[str] = []
                        read(cell, words)
                        cells.append(" ".join(w for w in words if w))
                    out.append(" ".join(cells))

    read(document.element.body, lines)
    return "\n".join(lines)


def words(text: str) -> str:
    """The text with every run of whitespace one space: phrases across lines and cells."""
    return " ".join(text.split())


def docx_download_text(response, filename: str) -> str:
    """The words of a DOCX download named ``filename``, after checking the response is one."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert download_name(response) == filename
    assert response["Content-Disposition"].startswith("attachment;")
    return words(docx_text(response.content))
