"""Who may see and change a program (DOMAIN.md §2).

Staff roles (head, curator, council, sysadmin) see every program of their institution; the
members of the program's group see their own; everyone else gets 404. Mentors draft and
update their programs; mentees read them, comment, propose and report on their own tasks
(п. 5.1); the curator approves and changes them with the mentor (Приложение 1).
"""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404

from programs.models import Program, ProgramEvent
from registry.models import GroupMember
from registry.roles import roles_for


@dataclass(frozen=True)
class ProgramAccess:
    status: str
    member: object = None  # the user's GroupMember in the program's group, if any
    is_staff: bool = False  # head, curator, council, sysadmin
    is_curator: bool = False  # curator or sysadmin: approves, changes, completes
    is_head: bool = False  # ends a program as the employer (п. 7.1)

    @property
    def is_mentor(self) -> bool:
        return self.member is not None and self.member.is_mentor

    @property
    def is_mentee(self) -> bool:
        return self.member is not None and self.member.role == GroupMember.Role.MENTEE

    @property
    def can_edit_draft(self) -> bool:
        """The plan and the note of a draft: the mentor, with the curator."""
        return (self.is_mentor or self.is_curator) and self.status == Program.Status.DRAFT

    @property
    def can_change_active(self) -> bool:
        """After approval the curator with the mentor changes the program (Приложение 1)."""
        return (self.is_mentor or self.is_curator) and self.status == Program.Status.ACTIVE

    @property
    def can_update_events(self) -> bool:
        return (self.is_mentor or self.is_curator) and self.status == Program.Status.ACTIVE

    @property
    def can_report_tasks(self) -> bool:
        """The mentee reports on their own tasks of the running program (п. 4.1)."""
        return self.is_mentee and self.status == Program.Status.ACTIVE

    @property
    def can_ask_to_complete(self) -> bool:
        """The mentee of a running program asks the mentor and the curator, who complete it."""
        return self.is_mentee and self.status == Program.Status.ACTIVE

    @property
    def can_end(self) -> bool:
        """п. 7.1: the mentor, the mentee and the curator (the head as the employer) end a
        program, each on their own reasons (``Program.REASONS_BY_PARTY``)."""
        return self.member is not None or self.is_curator or self.is_head

    @property
    def can_comment(self) -> bool:
        return self.member is not None or self.is_staff

    @property
    def can_review(self) -> bool:
        return self.is_curator and self.status == Program.Status.ON_REVIEW


def program_for_user(request, pk: int) -> tuple[Program, ProgramAccess]:
    roles = roles_for(request)
    if roles.institution is None:
        raise Http404
    program = get_object_or_404(
        Program.objects.select_related("group__form", "group__curator"),
        pk=pk,
        group__institution=roles.institution,
    )
    member = None
    if roles.person is not None:
        member = (
            GroupMember.objects.filter(
                group_id=program.group_id, person=roles.person, left_on__isnull=True
            )
            .select_related("person")
            .first()
        )
    if member is None and not roles.can_view_banks:
        raise Http404
    return program, ProgramAccess(
        status=program.status,
        member=member,
        is_staff=roles.can_view_banks,
        is_curator=roles.can_edit_banks,
        is_head=roles.is_head,
    )


def event_for_user(request, pk: int) -> tuple[ProgramEvent, Program, ProgramAccess]:
    """(event, program, access) for anyone who may see the event's program; 404 otherwise."""
    event = get_object_or_404(ProgramEvent.objects.select_related("direction", "form"), pk=pk)
    program, access = program_for_user(request, event.program_id)
    event.program = program
    return event, program, access
