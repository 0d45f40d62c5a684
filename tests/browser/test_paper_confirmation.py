"""A pair with a participant who has no login (issue 16, part 3; п. 6.2): the mentee signs the
printed form, the curator records her confirmation on paper with the scan, sends the pair to the
head, and the head approves it by order — all by the visible Russian labels."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registry.models import Consent, GroupMember, MentoringGroup, PaperDecision
from registry.services.groups import group_respond
from tests.factories import give_consent, make_mentee, make_person, sign_agreement
from tests.registry.test_group_services import propose

PAIR = "Пара: Петрова М. И. — Бумажная О. И."
NUMBER = "102/1"


@pytest.mark.browser
def test_curator_records_a_paper_confirmation_and_the_head_approves(
    live_world, page, log_in, log_out
):
    today = timezone.localdate()
    mentee = make_person(
        live_world.institution, "Бумажная", first_name="Ольга", patronymic="Ивановна"
    )
    make_mentee(mentee)
    group = propose(live_world, mentees=[mentee])
    group_respond(
        group=group,
        person=live_world.mentor_person,
        confirm=True,
        comment="",
        user=live_world.mentor,
    )
    give_consent(live_world.mentor_person, Consent.Kind.MENTORING, on=today)

    # The curator sees that the mentee answers on paper and records her signed form.
    log_in(live_world.curator)
    page.get_by_role("link", name="Пары", exact=True).click()
    page.get_by_role("link", name="Петрова М. И. — Бумажная О. И.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PAIR)
    next_step = page.get_by_role("region", name="Что дальше")
    expect(next_step).to_contain_text("Без входа в систему: 1")
    next_step.get_by_role("link", name="Внести решение на бумаге").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Решение на бумаге: Петрова М. И. — Бумажная О. И."
    )
    expect(
        page.get_by_role("link", name="Бланк решения: Бумажная Ольга Ивановна (PDF)")
    ).to_be_visible()
    # The page asks before recording a decision for someone else: the curator agrees.
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_label("Участник").select_option(label="Бумажная Ольга Ивановна")
    page.get_by_label("Согласие участвовать").check()
    page.get_by_label("Дата на бланке").fill(today.isoformat())
    # Without the scan and without the note nothing is written: the message is next to the field.
    page.get_by_role("button", name="Внести решение").click()
    expect(
        page.get_by_text(
            "Загрузите скан подписанного бланка или отметьте «Оригинал хранится у куратора».",
            exact=True,
        )
    ).to_be_visible()
    assert not PaperDecision.objects.exists()
    page.get_by_label("Скан подписанного бланка").set_input_files(
        files=[{"name": "бланк.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%x\n"}]
    )
    page.get_by_role("button", name="Внести решение").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Решение участника «Бумажная О. И.» внесено. Все участники согласны"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(PAIR)
    expect(page.get_by_role("region", name="Участники")).to_contain_text("на бумаге от")
    expect(page.get_by_role("region", name="История")).to_contain_text(
        "Бумажная О. И. подтвердила участие (решение на бумаге"
    )
    member = group.members.get(person=mentee)
    assert member.response == GroupMember.Response.CONFIRMED

    page.get_by_role("button", name="Направить на утверждение заведующему").click()
    expect(page.get_by_role("status")).to_have_text(
        "Пара (группа) отправлена на утверждение заведующему."
    )
    log_out(live_world.curator)
    # The mentor's supplementary agreement is signed (ТК РФ ст. 351.8; its own journey is
    # tests/browser/test_pair_approval.py).
    sign_agreement(group, live_world.mentor_person, by=live_world.curator)

    # The head approves the pair as any other.
    log_in(live_world.head)
    waiting = page.get_by_role("region", name="Ждут решения")
    expect(waiting.get_by_role("link", name="Петрова М. И. — Бумажная О. И.")).to_be_visible()
    waiting.get_by_role("link", name="Утвердить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Утверждение приказом")
    page.get_by_label("Номер приказа").fill(NUMBER)
    page.get_by_role("button", name="Утвердить и подписать приказ").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Пара утверждена приказом № {NUMBER} от {today:%d.%m.%Y}."
    )
    group.refresh_from_db()
    assert group.status == MentoringGroup.Status.ACTIVE
