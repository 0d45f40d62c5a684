"""The access objects decide from the object's state: the flags the views and the templates
branch on (STYLE.md «Views and URLs»), for every state of a group and of a council meeting."""

from types import SimpleNamespace

import pytest

from registry.access import GroupAccess, MeetingAccess
from registry.models import GroupMember, MentoringGroup
from registry.services.council import State

Status = MentoringGroup.Status
Response = GroupMember.Response
MENTOR = SimpleNamespace(is_mentor=True, response=Response.PENDING)
MENTEE = SimpleNamespace(is_mentor=False, response=Response.PENDING)


@pytest.mark.parametrize("status", Status.values)
def test_curator_submits_only_a_group_everyone_agreed_to_or_the_head_returned(status):
    assert GroupAccess(status=status, can_manage=True).can_submit == (
        status in (Status.CONFIRMED, Status.RETURNED)
    )
    assert not GroupAccess(status=status, member=MENTOR).can_submit


@pytest.mark.parametrize("status", Status.values)
def test_head_decides_only_a_submitted_group(status):
    assert GroupAccess(status=status, is_head=True).can_decide == (status == Status.SUBMITTED)
    assert not GroupAccess(status=status, can_manage=True).can_decide


@pytest.mark.parametrize("status", Status.values)
def test_mentor_is_replaced_and_petitions_filed_only_in_an_approved_group(status):
    active = status == Status.ACTIVE
    assert GroupAccess(status=status, can_manage=True).can_replace_mentor == active
    assert GroupAccess(status=status, member=MENTEE).can_petition == active
    assert not GroupAccess(status=status, can_manage=True, is_head=True).can_petition


@pytest.mark.parametrize("status", Status.values)
def test_program_is_created_by_the_curator_or_a_mentor_of_an_approved_group(status):
    active = status == Status.ACTIVE
    assert GroupAccess(status=status, can_manage=True).can_create_program == active
    assert GroupAccess(status=status, member=MENTOR).can_create_program == active
    assert not GroupAccess(status=status, member=MENTEE).can_create_program
    assert not GroupAccess(status=status, is_head=True).can_create_program


@pytest.mark.parametrize("status", Status.values)
def test_participant_answers_a_proposal_once(status):
    proposed = status == Status.PROPOSED
    assert GroupAccess(status=status, member=MENTEE).can_respond == proposed
    answered = SimpleNamespace(is_mentor=False, response=Response.CONFIRMED)
    assert not GroupAccess(status=status, member=answered).can_respond
    assert not GroupAccess(status=status, can_manage=True).can_respond


@pytest.mark.parametrize(
    ("state", "can_print", "is_planned", "awaits_decisions"),
    [
        (State.PLANNED, False, True, False),
        (State.AWAITING, False, False, True),
        (State.HELD, True, False, False),
    ],
)
def test_minutes_are_printed_only_for_a_meeting_held_with_its_decisions(
    state, can_print, is_planned, awaits_decisions
):
    access = MeetingAccess(can_edit=True, state=state)
    assert (access.can_print, access.is_planned, access.awaits_decisions) == (
        can_print,
        is_planned,
        awaits_decisions,
    )
