"""Withdrawing a term change (п. 7.2) while it waits for the participants or for the head's
order: the curator, or the mentor who proposed it, withdraws it with a reason; the draft order
«О продлении (корректировке) программы» is deleted, the program's end stays, the history records
it and the participants are told. Once the order is signed it is refused on the server."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from programs.models import ProgramChange, TermChange
from programs.services.lifecycle import (
    program_complete,
    term_change_agree,
    term_change_withdraw,
)
from registry.models import MentoringAgreement, Notification, Order
from tests.programs.test_lifecycle import (
    active_program,
    done_in_full,
    program_url,
    refusal,
    request_later,
    sign_term_order,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(world):
    return active_program(world)


def ordered(world, program) -> TermChange:
    """Proposed by the curator, agreed by the mentor and the mentee: the order is drafted."""
    term = request_later(world, program)
    term_change_agree(term=term, user=world.mentee)
    term = term_change_agree(term=term, user=world.mentor)
    term.refresh_from_db()
    assert term.status == TermChange.Status.ORDERED
    return term


def withdraw_url(term) -> str:
    return reverse("programs:term-change-withdraw", args=[term.pk])


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_curator_withdraws_a_change_waiting_for_the_order(world, program):
    old_end = program.end
    term = ordered(world, program)
    order_pk = term.order_id

    term_change_withdraw(term=term, user=world.curator, reason="Наставляемая выходит из отпуска")

    term.refresh_from_db()
    program.refresh_from_db()
    assert term.status == TermChange.Status.DECLINED and term.is_withdrawn
    assert term.decline_comment == "Отозвано: Наставляемая выходит из отпуска"
    assert term.order is None
    assert not Order.objects.filter(pk=order_pk).exists()  # the draft is gone
    assert program.end == old_end
    change = ProgramChange.objects.get(what__startswith="Изменение срока отозвано")
    assert "проект приказа «О продлении (корректировке) программы наставничества» удалён" in (
        change.what
    )
    assert change.why == "Наставляемая выходит из отпуска"
    for user in (world.mentor, world.mentee, world.head):
        assert Notification.objects.filter(user=user, text__contains="отозвано").exists()
    assert not Notification.objects.filter(user=world.curator, text__contains="отозвано")
    # The agreement keeps its end; a new change can be proposed.
    agreement = MentoringAgreement.objects.get(group=program.group, mentor=world.mentor_person)
    assert not agreement.amendments.exists()
    assert request_later(world, program, days=30).status == TermChange.Status.PENDING


def test_the_mentor_withdraws_her_own_proposal_before_everyone_agreed(world, program):
    term = request_later(world, program, user=world.mentor)
    term_change_withdraw(term=term, user=world.mentor, reason="Успеваем в срок")
    term.refresh_from_db()
    assert term.is_withdrawn
    assert Notification.objects.filter(user=world.curator, text__contains="отозвано").exists()


def test_a_mentor_cannot_withdraw_the_curators_proposal_nor_a_mentee_any(world, program):
    term = request_later(world, program)  # proposed by the curator
    for user in (world.mentor, world.mentee):
        with pytest.raises(ValidationError) as error:
            term_change_withdraw(term=term, user=user, reason="Нет")
        assert "куратор или наставник, который его предложил" in refusal(error.value)
    term.refresh_from_db()
    assert term.status == TermChange.Status.PENDING


def test_a_signed_order_cannot_be_withdrawn(world, program):
    term = ordered(world, program)
    sign_term_order(world, term)
    with pytest.raises(ValidationError) as error:
        term_change_withdraw(term=term, user=world.curator, reason="Передумали")
    assert "уже подписан: изменение срока применено, отозвать его нельзя" in refusal(error.value)
    term.refresh_from_db()
    assert term.status == TermChange.Status.APPLIED
    assert Order.objects.get(pk=term.order_id).is_signed


def test_a_reason_is_required(world, program):
    term = ordered(world, program)
    with pytest.raises(ValidationError) as error:
        term_change_withdraw(term=term, user=world.curator, reason="  ")
    assert error.value.message_dict["reason"] == ["Напишите, почему изменение срока отзывается."]
    term.refresh_from_db()
    assert term.status == TermChange.Status.ORDERED
    assert Order.objects.filter(pk=term.order_id).exists()


def test_completing_the_program_drops_the_order_drafted_for_a_change(world, program):
    term = ordered(world, program)
    order_pk = term.order_id
    program_complete(program=program, completion=done_in_full(), user=world.curator)
    term.refresh_from_db()
    assert term.status == TermChange.Status.DECLINED
    assert not Order.objects.filter(pk=order_pk).exists()


# --- The pages ------------------------------------------------------------------------------


def test_the_program_page_offers_the_withdrawal_to_the_curator_only(world, program, as_user):
    term = ordered(world, program)
    assert withdraw_url(term) in as_user(world.curator).get(program_url(program)).content.decode()
    # The curator proposed it: neither the mentor nor the mentee may withdraw it.
    for user in (world.mentor, world.mentee):
        assert withdraw_url(term) not in as_user(user).get(program_url(program)).content.decode()


def test_withdrawing_through_the_page(world, program, as_user):
    term = ordered(world, program)
    client = as_user(world.curator)
    assert client.get(withdraw_url(term)).status_code == 405

    response = client.post(withdraw_url(term), {"reason": ""})
    assert response.status_code == 200
    assert "Напишите, почему изменение срока отзывается." in response.content.decode()

    response = client.post(withdraw_url(term), {"reason": "Ошибка в дате"})
    assert response.status_code == 302
    assert said(response)[-1].startswith("Изменение срока отозвано: программа идёт до")
    page = client.get(program_url(program)).content.decode()
    assert "отозвано" in page and "Отозвано: Ошибка в дате" in page


def test_the_page_refuses_after_the_signature_in_russian(world, program, as_user):
    term = ordered(world, program)
    sign_term_order(world, term)
    response = as_user(world.curator).post(withdraw_url(term), {"reason": "Передумали"})
    assert response.status_code == 302
    assert "отозвать его нельзя" in said(response)[-1]


@pytest.mark.parametrize(
    ("role", "status"), [("mentor", 403), ("mentee", 403), ("head", 403), ("teacher", 404)]
)
def test_others_cannot_withdraw(world, program, as_user, role, status):
    term = ordered(world, program)
    response = as_user(getattr(world, role)).post(withdraw_url(term), {"reason": "Нет"})
    assert response.status_code == status
    term.refresh_from_db()
    assert term.status == TermChange.Status.ORDERED


def test_the_mentor_withdraws_her_own_proposal_through_the_page(world, program, as_user):
    term = request_later(world, program, user=world.mentor, days=10)
    assert term.new_end == program.end + timedelta(days=10)
    client = as_user(world.mentor)
    assert withdraw_url(term) in client.get(program_url(program)).content.decode()
    assert client.post(withdraw_url(term), {"reason": "Успеваем"}).status_code == 302
    term.refresh_from_db()
    assert term.is_withdrawn
