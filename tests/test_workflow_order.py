"""Workflows cannot be skipped (ASVS 5.0 V2.3): a later step posted early through its real URL
is refused and leaves the database as it was.

Group: proposed → confirmed by every member (п. 4.3) → submitted by the curator → approved by the
head's order (п. 3.2). Program: draft → on review → approved by the curator (Приложение 1).
Roadmap: draft → submitted → approved by the head. An order is signed once; the final report is
handed in once; a questionnaire is answered once; a term change applies only when the mentor and
every mentee have agreed.
"""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from programs.models import Program, TermChange
from programs.services import lifecycle
from registry.models import MentoringGroup, Order
from reports.models import FinalReport, Response
from reports.services import final_report as report_services
from roadmap import services as roadmap_services
from roadmap.models import Roadmap
from tests.programs.test_drafting import active_program, draft_program
from tests.programs.test_execution import make_program
from tests.registry.test_group_services import confirm_all, propose
from tests.registry.test_orders import signed
from tests.reports.test_final_report import TEXTS, build_year, report_of
from tests.reports.test_survey_services import invitation, own_template, send
from tests.reports.test_survey_views import form_data as answer_data

pytestmark = pytest.mark.django_db

SIGN = {"number": "77/1", "date": "2026-09-05"}


def state(obj) -> dict:
    """The row as stored now (every concrete field), to compare before and after."""
    fresh = type(obj).objects.get(pk=obj.pk)
    return model_to_dict(fresh, fields=[f.name for f in type(obj)._meta.concrete_fields])


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def refused(response) -> bool:
    """A refusal: 403/404/405, a form re-shown with its errors (200), or a redirect with an
    error message — never a success message."""
    if response.status_code in (403, 404, 405):
        return True
    levels = {m.level_tag for m in get_messages(response.wsgi_request)}
    return "success" not in levels


def assert_refused_and_unchanged(client, url, obj, data=None, **counts):
    before = state(obj)
    before_counts = {name: model.objects.count() for name, model in counts.items()}
    response = client.post(url, data or {})
    assert refused(response), f"{url}: {response.status_code} {said(response)}"
    assert state(obj) == before
    assert {name: model.objects.count() for name, model in counts.items()} == before_counts
    return response


# --- Group -----------------------------------------------------------------------------------


def test_the_head_cannot_approve_a_group_before_the_curator_submits_it(world, as_user):
    group = confirm_all(propose(world))
    assert group.status == MentoringGroup.Status.CONFIRMED
    url = reverse("registry:group-approve", args=[group.pk])
    assert_refused_and_unchanged(as_user(world.head), url, group, SIGN, orders=Order)


def test_the_head_cannot_approve_a_group_its_members_have_not_confirmed(world, as_user):
    group = propose(world)
    url = reverse("registry:group-approve", args=[group.pk])
    assert_refused_and_unchanged(as_user(world.head), url, group, SIGN, orders=Order)


def test_the_curator_cannot_submit_a_group_before_every_member_confirms(world, as_user):
    group = propose(world)
    assert group.status == MentoringGroup.Status.PROPOSED
    url = reverse("registry:group-submit", args=[group.pk])
    assert_refused_and_unchanged(as_user(world.curator), url, group)


# --- Program ---------------------------------------------------------------------------------


def test_the_curator_cannot_approve_a_draft_program(world, as_user):
    program = draft_program(world)
    assert program.status == Program.Status.DRAFT
    url = reverse("programs:program-approve", args=[program.pk])
    assert_refused_and_unchanged(as_user(world.curator), url, program)


def test_the_curator_cannot_return_a_draft_program(world, as_user):
    program = draft_program(world)
    url = reverse("programs:program-return", args=[program.pk])
    assert_refused_and_unchanged(as_user(world.curator), url, program, {"comment": "Исправьте"})


# --- Roadmap ---------------------------------------------------------------------------------


def test_the_head_cannot_approve_a_roadmap_before_it_is_submitted(world, as_user):
    roadmap = roadmap_services.roadmap_create_from_template(
        institution=world.institution, year_start=2026, user=world.curator
    )
    assert roadmap.status == Roadmap.Status.DRAFT
    url = reverse("roadmap:roadmap-approve", args=[roadmap.pk])
    assert_refused_and_unchanged(as_user(world.head), url, roadmap, SIGN, orders=Order)


# --- Order -----------------------------------------------------------------------------------


def test_a_signed_order_is_not_signed_again(world, as_user):
    order = signed(world, number="94/1")
    url = reverse("registry:order-sign", args=[order.pk])
    response = assert_refused_and_unchanged(as_user(world.head), url, order, SIGN, orders=Order)
    assert "уже подписан" in said(response)
    assert Order.objects.get(pk=order.pk).number == "94/1"


# --- Final report ----------------------------------------------------------------------------


def test_a_handed_in_report_is_not_handed_in_again(world, as_user):
    build_year(world)
    report = report_services.report_finalize(report=report_of(world, **TEXTS), user=world.curator)
    assert report.status == FinalReport.Status.FINAL
    url = reverse("reports:report-finalize", args=[report.pk])
    assert_refused_and_unchanged(as_user(world.curator), url, report)


# --- Questionnaire ---------------------------------------------------------------------------


def test_a_questionnaire_is_answered_once(world, as_user):
    template = own_template(world)
    survey = send(world, template, [make_program(world)])
    mine = invitation(survey, world.mentee)
    client = as_user(world.mentee)
    url = reverse("reports:survey-answer", args=[mine.pk])
    assert client.post(url, answer_data(template), follow=True).status_code == 200
    assert_refused_and_unchanged(client, url, mine, answer_data(template), responses=Response)


# --- Term change -----------------------------------------------------------------------------


def _pending_term(world) -> TermChange:
    program = active_program(world)
    new_end = program.end + timedelta(days=20)
    return lifecycle.term_change_request(
        program=program, new_end=new_end, reason="Больничный наставляемого", user=world.mentor
    )


def test_a_term_change_does_not_apply_on_the_requesters_second_agreement(world, as_user):
    term = _pending_term(world)
    assert term.status == TermChange.Status.PENDING
    url = reverse("programs:term-change-agree", args=[term.pk])
    assert_refused_and_unchanged(as_user(world.mentor), url, term.program)
    assert TermChange.objects.get(pk=term.pk).status == TermChange.Status.PENDING


def test_a_term_change_is_not_applied_by_the_curator_for_the_pair(world, as_user):
    term = _pending_term(world)
    url = reverse("programs:term-change-agree", args=[term.pk])
    assert_refused_and_unchanged(as_user(world.curator), url, term.program)
    assert TermChange.objects.get(pk=term.pk).status == TermChange.Status.PENDING


def test_a_term_change_is_not_applied_before_the_heads_order(world, as_user):
    """п. 7.2: everyone's agreement drafts the order; only the head's signature applies it."""
    term = _pending_term(world)
    old_end = term.program.end
    lifecycle.term_change_curator_agree(term=term, user=world.curator)
    url = reverse("programs:term-change-agree", args=[term.pk])
    response = as_user(world.mentee).post(url)
    term.refresh_from_db()
    assert "Все участники согласились" in said(response)
    assert term.status == TermChange.Status.ORDERED
    assert Program.objects.get(pk=term.program_id).end == old_end
    # Nobody answers a change the head now decides.
    with pytest.raises(ValidationError, match="ждёт приказа заведующего"):
        lifecycle.term_change_decline(term=term, user=world.mentor, comment="Передумала")


def test_a_term_change_applies_once_the_head_signs_its_order(world, as_user):
    """The control case: the step is refused only when taken early."""
    term = _pending_term(world)
    lifecycle.term_change_curator_agree(term=term, user=world.curator)
    lifecycle.term_change_agree(term=term, user=world.mentee)
    term.refresh_from_db()
    response = as_user(world.head).post(
        reverse("registry:order-sign", args=[term.order_id]),
        {"number": "77", "date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.status == TermChange.Status.APPLIED
    assert Program.objects.get(pk=term.program_id).end == term.new_end
