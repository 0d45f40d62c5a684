"""ProgramAccess decides from the program's state: the flags the templates branch on."""

from types import SimpleNamespace

import pytest

from programs.access import ProgramAccess
from programs.models import Program
from registry.models import GroupMember

MENTOR = SimpleNamespace(is_mentor=True, role=GroupMember.Role.MENTOR)
MENTEE = SimpleNamespace(is_mentor=False, role=GroupMember.Role.MENTEE)


@pytest.mark.parametrize("status", Program.Status.values)
def test_mentee_reports_on_tasks_and_asks_to_complete_only_a_running_program(status):
    running = status == Program.Status.ACTIVE
    mentee = ProgramAccess(status=status, member=MENTEE)
    assert (mentee.can_report_tasks, mentee.can_ask_to_complete) == (running, running)
    for other in (
        ProgramAccess(status=status, member=MENTOR),
        ProgramAccess(status=status, is_staff=True, is_curator=True),
    ):
        assert not other.can_report_tasks
        assert not other.can_ask_to_complete
