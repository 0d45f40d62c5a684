"""The roadmap from the template to the timeline (п. 3.2, п. 3.3; Приложение 2): the curator
creates it from the standard template and sends it to the head, the head approves it with an
order, a pair gets approved, and stage 5's progress moves on the timeline."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring_site.lib.academic_year import academic_year_label
from registry.models import MentoringGroup, Order
from roadmap.models import Roadmap
from tests.registry.test_group_services import submitted_group

PAIR = "Петрова М. И. — Иванова А. С."


def said(page):
    """The flash message after an action."""
    return page.locator(".messages").get_by_role("status")


def confirmed_click(page, control):
    page.once("dialog", lambda dialog: dialog.accept())
    control.click()


def open_roadmap(page, live_server, heading):
    page.goto(f"{live_server.url}/roadmap/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Дорожные карты")
    page.get_by_role("link", name=heading).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def timeline_of(page):
    page.get_by_role("link", name="График выполнения").click()
    return page.get_by_role("img", name=re.compile("График дорожной карты"))


@pytest.mark.browser
def test_roadmap_from_template_to_approval_and_the_timeline_moves(
    live_world, page, log_in, log_out, live_server
):
    today = timezone.localdate()
    year = academic_year_label(today)
    heading = f"Дорожная карта на {year} учебный год"
    group = submitted_group(live_world)  # a pair waiting for the head

    # The curator creates the roadmap from the standard template and sends it to the head.
    log_in(live_world.curator)
    page.goto(f"{live_server.url}/roadmap/")
    page.get_by_role("button", name=f"Создать по типовой форме на {year} учебный год").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(said(page)).to_contain_text("создана по типовой форме (Приложение 2)")
    stage5 = page.get_by_role("region", name=re.compile("^Этап 5. Организация"))
    expect(stage5.get_by_role("row")).to_have_count(4)  # the header and three activities
    expect(stage5).to_contain_text("Формирование наставнических пар/групп")
    confirmed_click(page, page.get_by_role("button", name="Направить на утверждение заведующему"))
    expect(said(page)).to_have_text("Дорожная карта направлена заведующему на утверждение.")
    assert Roadmap.objects.get().status == Roadmap.Status.SUBMITTED
    log_out(live_world.curator)

    # The head approves it: the order is created and signed at once.
    log_in(live_world.head)
    open_roadmap(page, live_server, heading)
    page.get_by_role("link", name="Утвердить или вернуть").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Утверждение приказом")
    page.get_by_label("Номер приказа").fill("95/2")
    expect(page.get_by_label("Дата приказа")).to_have_value(today.isoformat())
    confirmed_click(page, page.get_by_role("button", name="Утвердить и подписать приказ"))
    day = f"{today:%d.%m.%Y}"
    expect(said(page)).to_have_text(f"Дорожная карта утверждена приказом № 95/2 от {day}.")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_text(f"утверждена приказом от {day} № 95/2", exact=True)).to_be_visible()
    order = Order.objects.get(kind=Order.Kind.ROADMAP)
    assert (order.status, order.number) == (Order.Status.SIGNED, "95/2")

    # Stage 5 has not started: the pair still waits for the head.
    timeline = timeline_of(page)
    expect(timeline).to_have_accessible_name(re.compile(r"Этап 5: выполнено 0 %"))
    fill = page.locator("svg.timeline-svg .tl-fill").nth(4)
    expect(fill).to_have_attribute("width", "0.0")

    # The head approves the pair from the home page.
    page.goto(f"{live_server.url}/")
    waiting = page.get_by_role("region", name="Ждут решения")
    waiting.get_by_role("link", name="Утвердить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Утверждение приказом")
    page.get_by_label("Номер приказа").fill("96")
    confirmed_click(page, page.get_by_role("button", name="Утвердить и подписать приказ"))
    expect(said(page)).to_have_text(f"Пара утверждена приказом № 96 от {day}.")
    group.refresh_from_db()
    assert group.status == MentoringGroup.Status.ACTIVE

    # Stage 5 moves: the pair is approved (1 of 1), its mentee is placed (1 of 1), the program
    # is not yet approved (0 of 1): 2/3.
    open_roadmap(page, live_server, heading)
    stage5 = page.get_by_role("region", name=re.compile("^Этап 5. Организация"))
    expect(stage5).to_contain_text("Выполнено 67 %. Полностью — 2 из 3 мероприятий.")
    # The facts' links say what they open: the roadmap's order, not a bare «да».
    stage1 = page.get_by_role("region", name=re.compile("^Этап 1. "))
    expect(stage1.get_by_role("link", name="Приказ № 95/2")).to_be_visible()
    expect(page.get_by_role("link", name="да", exact=True)).to_have_count(0)
    timeline = timeline_of(page)
    expect(timeline).to_have_accessible_name(re.compile(r"Этап 5: выполнено 67 %"))
    width = float(page.locator("svg.timeline-svg .tl-fill").nth(4).get_attribute("width"))
    full = float(page.locator("svg.timeline-svg .tl-bar").nth(4).get_attribute("width"))
    assert width == pytest.approx(full * 0.67, abs=0.2)
    table = page.get_by_role("table", name="Выполнение этапов дорожной карты")
    expect(table.get_by_role("row").filter(has_text="5. Организация")).to_contain_text("67 %")
