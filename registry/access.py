"""Who may see and change which records of the banks.

One helper per object type, used by every view of that object (STYLE.md «Views and URLs»).
Outsiders get 404; people who may see but not change get 403 from the view.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from mentoring_site.access import roles_for
from registry.models import Consent, GroupMember, MentoringGroup, Person, SelfQuestionnaire


def person_for_user(request, pk: int, *, as_mentor: bool = True) -> tuple[Person, bool]:
    """(person, can_edit). The staff roles see everyone of their institution; a person sees
    their own record read-only; a mentor sees the files of their mentees (п. 4.1)."""
    roles = roles_for(request)
    if roles.institution is None:
        raise Http404
    person = get_object_or_404(
        Person.objects.select_related("organization", "position", "user"),
        pk=pk,
        institution=roles.institution,
    )
    if roles.can_view_banks:
        return person, roles.can_edit_banks
    if roles.person is not None and roles.person.pk == person.pk:
        return person, False
    if as_mentor and roles.person is not None and is_mentor_of(roles.person, person):
        return person, False
    raise Http404


def is_mentor_of(mentor, mentee) -> bool:
    """п. 4.1: a mentor may see the files of the mentees of their approved groups."""
    return GroupMember.objects.filter(
        person=mentee,
        role=GroupMember.Role.MENTEE,
        left_on__isnull=True,
        group__status=MentoringGroup.Status.ACTIVE,
        group__members__person=mentor,
        group__members__role__in=[GroupMember.Role.MENTOR, GroupMember.Role.CO_MENTOR],
        group__members__left_on__isnull=True,
    ).exists()


def person_for_editing(request, pk: int) -> Person:
    person, can_edit = person_for_user(request, pk, as_mentor=False)
    if not can_edit:
        raise PermissionDenied
    return person


def consent_for_user(request, pk: int) -> tuple[Consent, bool]:
    """(consent, can_edit): the same rule as the person it belongs to."""
    roles = roles_for(request)
    if roles.institution is None:
        raise Http404
    consent = get_object_or_404(
        Consent.objects.select_related("person"), pk=pk, person__institution=roles.institution
    )
    # Consents are the bank's paperwork, not part of the mentee's file a mentor reads.
    _, can_edit = person_for_user(request, consent.person_id, as_mentor=False)
    return consent, can_edit


def questionnaire_for_user(request, pk: int) -> tuple[SelfQuestionnaire, bool]:
    """(questionnaire, can_review). Staff roles read them; curator and sysadmin decide."""
    roles = roles_for(request)
    if roles.institution is None or not roles.can_view_banks:
        raise Http404
    questionnaire = get_object_or_404(
        SelfQuestionnaire.objects.select_related("person", "reviewed_by"),
        pk=pk,
        person__institution=roles.institution,
    )
    return questionnaire, roles.can_edit_banks


def bank_editor_required(view):
    """Curator and sysadmin change the banks; other staff roles get 403, the rest 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        roles = roles_for(request)
        if roles.institution is None or not roles.can_view_banks:
            raise Http404
        if not roles.can_edit_banks:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def bank_viewer_required(view):
    """Head, curator, council and sysadmin read the banks; everyone else gets 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        roles = roles_for(request)
        if roles.institution is None or not roles.can_view_banks:
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


@dataclass(frozen=True)
class GroupAccess:
    """What the requesting user may do with one group. Templates branch on these flags."""

    member: object = None  # the user's own GroupMember, if any
    can_manage: bool = False  # curator/sysadmin: submit, replace a mentor
    can_decide: bool = False  # head: approve or return, decide petitions
    can_decide_petitions: bool = False  # head and curator
    awaiting_answers: bool = False  # the group is proposed and waits for its participants

    @property
    def can_respond(self) -> bool:
        return (
            self.awaiting_answers
            and self.member is not None
            and self.member.response == GroupMember.Response.PENDING
        )


def group_for_user(request, pk: int) -> tuple[MentoringGroup, GroupAccess]:
    """Staff roles see every group of their institution; a participant sees their own
    groups; everyone else gets 404 (a mentor of group A never sees group B)."""
    roles = roles_for(request)
    if roles.institution is None:
        raise Http404
    group = get_object_or_404(
        MentoringGroup.objects.select_related("form", "curator", "order", "institution"),
        pk=pk,
        institution=roles.institution,
    )
    member = None
    if roles.person is not None:
        member = group.members.filter(person=roles.person, left_on__isnull=True).first()
    if member is None and not roles.can_view_banks:
        raise Http404
    return group, GroupAccess(
        member=member,
        can_manage=roles.can_edit_banks,
        can_decide=roles.is_head,
        can_decide_petitions=roles.is_head or roles.is_curator,
        awaiting_answers=group.status == MentoringGroup.Status.PROPOSED,
    )


def can_propose_groups(roles) -> bool:
    """The curator or a council member proposes a pair or group (DOMAIN.md §2)."""
    return roles.is_curator or roles.is_council or roles.is_sysadmin
