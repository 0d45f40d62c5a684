"""A pair from the matching page to the head's order (п. 6.1, п. 6.2, п. 3.2): the curator
proposes it, the mentor and the mentee each confirm in their own session, the curator submits
it once the mentor's written consent is in (ТК РФ ст. 351.8); the head cannot approve it until
the mentor's supplementary agreement is generated and signed, then approves it by order, and the
order's PDF holds the names, the number, the date and the agreement's number and date."""

import shutil
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registry.models import Consent, MenteeProfile, MentoringGroup, Order
from registry.services.groups import add_months
from tests.factories import give_consent

MENTOR_NAME = "Петрова Мария Ивановна"
MENTEE_NAME = "Иванова Анна Сергеевна"
PAIR = "Пара: Петрова М. И. — Иванова А. С."
NUMBER = "101/2"


def pdf_text(path) -> str:
    # A fixed local tool on a file the test saved itself (TOOLCHAIN.md: poppler-utils).
    command = [shutil.which("pdftotext"), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return " ".join(result.stdout.split())


def confirm_participation(page, log_in, log_out, user, *, waiting_for_others: bool):
    """The participant finds the request on the home page and confirms it."""
    log_in(user)
    to_answer = page.get_by_role("region", name="Ждут вашего ответа")
    to_answer.get_by_role("link", name="Петрова М. И. — Иванова А. С.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PAIR)
    page.get_by_role("button", name="Подтвердить участие").click()
    expected = (
        "Вы подтвердили участие. Ждём ответа остальных участников."
        if waiting_for_others
        else "Вы подтвердили участие. Все участники согласны"
    )
    expect(page.get_by_role("status")).to_contain_text(expected)
    log_out(user)


@pytest.mark.browser
def test_pair_goes_from_matching_to_a_signed_order_in_pdf(
    live_world, page, log_in, log_out, tmp_path
):
    today = timezone.localdate()
    mentor, mentee = live_world.mentor_person, live_world.mentee_person

    # The curator picks a mentor for the mentee and proposes the pair.
    log_in(live_world.curator)
    page.get_by_role("link", name="Банки").click()
    page.get_by_role("link", name="Иванова А. С.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MENTEE_NAME)
    page.get_by_role("link", name="Подобрать наставника").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Подбор наставника: Иванова А. С.")
    first = page.get_by_role("article").first
    expect(first.get_by_role("heading", level=3)).to_have_text("1. Петрова М. И.")
    expect(first).to_contain_text("Закрывает 1 из 1 направления: методическое")
    first.get_by_role("link", name="Предложить пару").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Новая пара (группа)")
    expect(page.get_by_label("Наставник")).to_have_value(str(mentor.pk))
    # Ticks, not a Ctrl-click multi-select (issue 19, item 6).
    mentees = page.locator("input[name=mentees]")
    expect(mentees.and_(page.locator(":checked"))).to_have_count(1)
    expect(page.locator(f"input[name=mentees][value='{mentee.pk}']")).to_be_checked()
    expect(page.get_by_role("checkbox", name="методическое", exact=True)).to_be_checked()
    expect(page.get_by_label("Начало")).to_have_value(today.isoformat())
    page.get_by_role("checkbox", name="традиционное («один-на-один»)").check()
    page.get_by_label("Окончание").fill(add_months(today, 6).isoformat())
    page.get_by_role("button", name="Отправить участникам на согласование").click()

    expect(page.get_by_role("status")).to_have_text(
        "Предложение отправлено участникам на согласование."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(PAIR)
    group = MentoringGroup.objects.get()
    assert group.status == MentoringGroup.Status.PROPOSED
    log_out(live_world.curator)

    # Each participant answers in their own session (п. 6.2: voluntarily).
    confirm_participation(page, log_in, log_out, live_world.mentor, waiting_for_others=True)
    confirm_participation(page, log_in, log_out, live_world.mentee, waiting_for_others=False)
    group.refresh_from_db()
    assert group.status == MentoringGroup.Status.CONFIRMED

    # Without the mentor's written consent the curator cannot submit the pair.
    log_in(live_world.curator)
    page.get_by_role("link", name="Пары", exact=True).click()
    page.get_by_role("link", name="Петрова М. И. — Иванова А. С.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PAIR)
    next_step = page.get_by_role("region", name="Что дальше")
    expect(next_step).to_contain_text(
        "нет письменного согласия на осуществление наставничества (ТК РФ, ст. 351.8)"
    )
    expect(next_step.get_by_role("link", name=MENTOR_NAME)).to_be_visible()
    submit = next_step.get_by_role("button", name="Направить на утверждение заведующему")
    expect(submit).to_be_disabled()

    give_consent(mentor, Consent.Kind.MENTORING, on=today)
    page.reload()
    expect(next_step).to_contain_text("Все участники согласны. Направьте пару заведующему")
    submit.click()
    expect(page.get_by_role("status")).to_have_text(
        "Пара (группа) отправлена на утверждение заведующему."
    )
    group.refresh_from_db()
    assert group.status == MentoringGroup.Status.SUBMITTED
    log_out(live_world.curator)

    # ТК РФ ст. 351.8: without the mentor's signed agreement the head cannot approve.
    log_in(live_world.head)
    waiting = page.get_by_role("region", name="Ждут решения")
    waiting.get_by_role("link", name="Утвердить").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Нет подписанного дополнительного соглашения с наставником «Петрова М. И.»"
    )
    page.get_by_label("Номер приказа").fill(NUMBER)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Утвердить и подписать приказ").click()
    expect(page.get_by_role("status")).to_contain_text("Утвердить нельзя.")
    expect(page.get_by_role("heading", level=1)).to_have_text(PAIR)
    assert not Order.objects.exists()
    log_out(live_world.head)

    # The curator generates the agreement from the pair, prints it and enters its signing.
    log_in(live_world.curator)
    page.get_by_role("link", name="Пары", exact=True).click()
    page.get_by_role("link", name="Петрова М. И. — Иванова А. С.").click()
    page.get_by_role("link", name="подготовить соглашение с Петрова М. И.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Дополнительное соглашение: {MENTOR_NAME}"
    )
    expect(page.get_by_label("Содержание наставнической работы")).to_contain_text(MENTEE_NAME)
    page.get_by_role("button", name="Подготовить соглашение").click()
    expect(page.get_by_text("Укажите доплату либо суммой в рублях").first).to_be_visible()
    page.get_by_label("Доплата, руб. в месяц").fill("5000")
    page.get_by_role("button", name="Подготовить соглашение").click()
    expect(page.get_by_role("status")).to_contain_text("Проект дополнительного соглашения готов")
    expect(page.get_by_role("heading", level=1)).to_have_text("Проект дополнительного соглашения")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать PDF").click()
    agreement_pdf = tmp_path / "agreement.pdf"
    download_info.value.save_as(agreement_pdf)
    agreement_text = pdf_text(agreement_pdf)
    for expected in (
        MENTOR_NAME,
        MENTEE_NAME,
        "351.8",
        "5 000,00 руб. в месяц",
        "за 3 рабочих дня",
    ):
        assert expected in agreement_text
    page.get_by_role("link", name="Внести номер и дату подписания").click()
    page.get_by_label("Номер соглашения").fill("12-н")
    page.get_by_role("button", name="Отметить подписанным").click()
    expect(page.get_by_role("status")).to_contain_text("отмечено подписанным")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Дополнительное соглашение № 12-н от {today:%d.%m.%Y}"
    )
    log_out(live_world.curator)

    # The head approves the pair: the order is created and signed at once.
    log_in(live_world.head)
    waiting = page.get_by_role("region", name="Ждут решения")
    expect(waiting.get_by_role("link", name="Петрова М. И. — Иванова А. С.")).to_be_visible()
    waiting.get_by_role("link", name="Утвердить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Утверждение приказом")
    expect(page.get_by_role("alert")).to_have_count(0)
    number = page.get_by_label("Номер приказа")
    expect(number).not_to_have_value("")
    number.fill(NUMBER)
    expect(page.get_by_label("Дата приказа")).to_have_value(today.isoformat())
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Утвердить и подписать приказ").click()

    day = f"{today:%d.%m.%Y}"
    approved = f"Пара утверждена приказом № {NUMBER} от {day}."
    expect(page.get_by_role("status")).to_have_text(approved)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Приказ № {NUMBER} от {day}")
    expect(page.get_by_role("region", name="Текст приказа")).to_contain_text(f"№ {NUMBER}")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать PDF").click()
    pdf = tmp_path / "order.pdf"
    download_info.value.save_as(pdf)
    text = pdf_text(pdf)
    for expected in ("ПРИКАЗ", NUMBER, day, MENTOR_NAME, MENTEE_NAME, f"№ 12-н от {day}"):
        assert expected in text

    order = Order.objects.get()
    assert (order.kind, order.status, order.number, order.date) == (
        Order.Kind.GROUPS,
        Order.Status.SIGNED,
        NUMBER,
        today,
    )
    assert order.signed_by == live_world.head
    group.refresh_from_db()
    assert group.status == MentoringGroup.Status.ACTIVE
    assert group.order == order
    assert MenteeProfile.objects.get(person=mentee).status == MenteeProfile.Status.IN_PAIR
