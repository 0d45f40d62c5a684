"""An order in Word (issue 19): the head opens a signed order from the register and downloads
it by «Скачать DOCX»; the file opens as a DOCX with the order's words, as the PDF has them."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.docx_helpers import docx_text, words
from tests.registry.test_orders import signed


@pytest.mark.browser
def test_head_downloads_a_signed_order_in_word(live_world, page, log_in, live_server, tmp_path):
    order = signed(
        live_world, number="94/1", on=date(2026, 1, 12), acquainted=[live_world.mentor_person]
    )

    log_in(live_world.head)
    page.goto(f"{live_server.url}/orders/")
    page.get_by_role("link", name=order.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Приказ № 94/1 от 12.01.2026")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать DOCX").click()
    download = download_info.value
    assert download.suggested_filename == "Приказ № 94-1 от 12.01.2026.docx"
    path = tmp_path / "order.docx"
    download.save_as(path)
    text = words(docx_text(path.read_bytes()))
    assert "ПРИКАЗ" in text and "12.01.2026 № 94/1" in text
    assert order.title in text
    assert "ПРИКАЗЫВАЮ: 1. Утвердить Положение о системе наставничества." in text
    assert "С приказом ознакомлены: Петрова Мария Ивановна, воспитатель" in text

    # The register offers the same file beside the PDF.
    page.goto(f"{live_server.url}/orders/")
    with page.expect_download() as again:
        page.get_by_role("link", name=re.compile(r"^DOCX\W+приказ № 94\/1$")).click()
    assert again.value.suggested_filename == "Приказ № 94-1 от 12.01.2026.docx"
