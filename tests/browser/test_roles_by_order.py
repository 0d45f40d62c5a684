"""Roles come from orders (issue 18, item 1; п. 3.2–3.4): the sysadmin's roles page offers
only the technical role and refuses a forged curator's; the head drafts and signs «О назначении
куратора» and the teacher named in it gets the curator's home."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_curator_role_comes_from_the_heads_signed_order(live_world, log_in, log_out, page):
    world = live_world
    teacher = world.teacher
    log_in(world.sysadmin)
    base = page.url.split("/home/")[0]
    page.goto(f"{base}/users/{teacher.pk}/roles/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Роли:")
    expect(page.get_by_role("checkbox", name="Системный администратор")).to_be_visible()
    for role in ("Куратор", "Заведующий", "Методический совет"):
        expect(page.get_by_role("checkbox", name=role, exact=True)).to_have_count(0)
    # A forged form asking for the curator's role is refused, naming the order that gives it.
    page.evaluate(
        """() => {
          const box = document.createElement("input");
          box.type = "checkbox"; box.name = "roles"; box.value = "curator"; box.checked = true;
          document.querySelector("form.panel").appendChild(box);
        }"""
    )
    page.get_by_role("button", name="Сохранить технические роли").click()
    expect(page.get_by_role("main")).to_contain_text("приказ")
    assert not teacher.role_assignments.filter(role="curator").exists()
    log_out(world.sysadmin)

    log_in(world.head)
    page.get_by_role("button", name="Документы").click()
    page.get_by_role("link", name="Приказы", exact=True).click()
    page.get_by_role("link", name="Новый приказ").click()
    page.get_by_label("Вид приказа").select_option(label="О назначении куратора")
    page.locator("#div_id_appointees").get_by_role(
        "checkbox", name=re.compile("^Смирнова Ольга")
    ).check()
    page.get_by_role("button", name=re.compile("Сохранить")).click()
    page.get_by_role("link", name="Подписать", exact=True).click()
    page.get_by_label("Номер приказа").fill("77")
    button = page.get_by_role("button", name="Подписать приказ")
    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Приказ № 77")
    log_out(world.head)

    log_in(teacher)
    page.goto(f"{base}/home/curator/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Куратор наставничества")
