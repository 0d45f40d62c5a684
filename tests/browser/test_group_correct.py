"""«Исправить» a returned pair (п. 2.3, 2.4, 6.2): the head returns the pair the curator sent
her; the curator opens «Исправить», adds a form and a kind and shortens the term by the labels
she sees, saves; the pair's history names each change and, as the term changed, every
participant is asked to confirm again (the answers are reset to «ждёт ответа»).

The pair is proposed, confirmed, given the mentor's written consent and signed agreement (ТК РФ
ст. 351.8) and submitted through the services, as tests/browser/test_pair_approval.py walks
those steps in the browser already."""

import pytest
from playwright.sync_api import expect

from registry.models import GroupMember, MentoringGroup
from registry.services.groups import add_months
from tests.registry.test_group_services import start_date, submitted_group

PAIR = "Пара: Петрова М. И. — Иванова А. С."
TITLE = "Петрова М. И. — Иванова А. С."
EXTRA_FORM = "руководитель образовательной организации – педагог"
EXTRA_KIND = "краткосрочное (целеполагающее)"


@pytest.mark.browser
def test_the_curator_corrects_a_returned_pair_and_the_answers_are_asked_again(
    live_world, page, log_in, log_out
):
    world = live_world
    group = submitted_group(world)
    start = start_date()
    old_end, new_end = add_months(start, 9), add_months(start, 6)

    # The head returns the pair with what to correct.
    log_in(world.head)
    page.get_by_role("region", name="Ждут решения").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PAIR)
    page.get_by_label("Что нужно исправить").fill("Сократите срок до полугода, добавьте форму.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Вернуть").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PAIR)
    group.refresh_from_db()
    assert group.status == MentoringGroup.Status.RETURNED
    log_out(world.head)

    # The curator reads the comment and corrects the pair by the labels she sees.
    log_in(world.curator)
    page.get_by_role("link", name="Пары", exact=True).click()
    page.get_by_role("link", name=TITLE).click()
    expect(
        page.get_by_text("Заведующий вернул пару: Сократите срок до полугода, добавьте форму.")
    ).to_be_visible()
    page.get_by_role("link", name="Исправить").click()
    expect(page.get_by_label("Окончание")).to_have_value(old_end.isoformat())
    page.get_by_role("checkbox", name=EXTRA_FORM).check()
    page.get_by_role("checkbox", name=EXTRA_KIND).check()
    page.get_by_label("Окончание").fill(new_end.isoformat())
    page.get_by_label("Что и почему исправлено").fill("По замечаниям заведующего")
    page.get_by_role("button", name="Сохранить исправления").click()

    expect(page.get_by_role("status")).to_have_text(
        "Исправления сохранены и записаны в историю. Участников попросили подтвердить согласие."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(PAIR)
    history = page.get_by_role("region", name="История")
    expect(history).to_contain_text(f"формы: педагог – педагог → педагог – педагог, {EXTRA_FORM}")
    expect(history).to_contain_text(
        f"виды: традиционное («один-на-один») → {EXTRA_KIND}, традиционное («один-на-один»)"
    )
    expect(history).to_contain_text(
        f"срок: {start:%d.%m.%Y}–{old_end:%d.%m.%Y} → {start:%d.%m.%Y}–{new_end:%d.%m.%Y}"
    )
    expect(history).to_contain_text("«По замечаниям заведующего»")
    # The term changed: both participants answer again.
    members = page.get_by_role("region", name="Участники")
    expect(members.get_by_text("ждёт ответа")).to_have_count(2)
    expect(members.get_by_text("согласие дано")).to_have_count(0)

    group.refresh_from_db()
    assert group.status == MentoringGroup.Status.PROPOSED
    assert group.planned_end == new_end
    assert {f.name for f in group.extra_forms.all()} == {EXTRA_FORM}
    assert EXTRA_KIND in {k.name for k in group.kinds.all()}
    answers = set(group.members.filter(left_on__isnull=True).values_list("response", flat=True))
    assert answers == {GroupMember.Response.PENDING}
