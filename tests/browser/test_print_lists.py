"""A list prints whole (issue 19, item 3): «Распечатать весь список» opens every row on one
page, the printed paper names the filters and the count, wide tables go on landscape pages and
the menu, filters and buttons stay off the paper."""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from registry.models import Position
from tests.factories import make_person

pytestmark = pytest.mark.browser


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    command = [shutil.which("pdftotext"), "-layout", str(path), "-"]
    # A fixed local tool on a file the test wrote itself (TOOLCHAIN.md: poppler-utils).
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603


def test_a_filtered_bank_prints_every_row_with_its_filters(live_world, log_in, page, tmp_path):
    world = live_world
    educator = Position.objects.get(name="воспитатель")
    for n in range(30):
        make_person(world.institution, f"Печатная{n:02d}", position=educator)
    # The print dialog of a headless browser never closes: note that it was asked for instead.
    page.add_init_script("window.print = () => { window.printAsked = true; };")
    log_in(world.curator)
    page.goto(page.url.split("/home/")[0] + "/people/")
    page.get_by_text("Фильтры", exact=True).click()
    page.get_by_label("Должность").select_option(label="воспитатель")
    page.get_by_role("button", name="Применить").click()
    expect(page.get_by_text("Страница 1 из 2", exact=True)).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^Распечатать весь список \(3\d строк")).click()
    expect(page).to_have_url(re.compile(r"print=1"))
    expect(page.get_by_role("cell", name=re.compile("Печатная29"))).to_have_count(1)
    expect(page.get_by_role("navigation", name="Страницы списка")).to_have_count(0)
    page.wait_for_function("window.printAsked === true")

    text = _pdf_text(page.pdf(prefer_css_page_size=True), tmp_path)
    assert "Должность: воспитатель" in text
    assert re.search(r"Весь список: 3\d строк", text)
    assert "Печатная00" in text and "Печатная29" in text
    for hidden in ("Применить", "Сбросить фильтры", "Скачать Excel", "Банки", "Распечатать"):
        assert hidden not in text, hidden


def test_a_wide_list_prints_on_landscape_pages(live_world, log_in, page, tmp_path):
    page.add_init_script("window.print = () => {};")
    log_in(live_world.curator)
    page.goto(page.url.split("/home/")[0] + "/people/?print=1")
    pdf = page.pdf(prefer_css_page_size=True)
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(  # noqa: S603 (a fixed local tool on the test's own file)
        [shutil.which("pdfinfo"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595), info  # A4 landscape, from the first page
