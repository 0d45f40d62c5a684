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

from registry.models import (
    Consent,
    CouncilMeeting,
    GroupMember,
    MentoringAgreement,
    MentoringGroup,
    Order,
    Person,
    Petition,
    SelfQuestionnaire,
    StaffImport,
    User,
)
from registry.roles import roles_for, staff_roles
from registry.services import council


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
    """What the requesting user may do with one group in the state it was read in. The views
    and the templates branch on these flags."""

    status: str  # the group's state
    member: object = None  # the user's own GroupMember, if any
    can_manage: bool = False  # curator/sysadmin: submit, replace a mentor
    is_head: bool = False  # approves or returns by order
    can_decide_petitions: bool = False  # head and curator
    can_mediate: bool = False  # the council and the curator record a mediation (п. 3.4)
    can_propose: bool = False  # curator, council member, sysadmin: propose and correct
    has_order: bool = False  # approved once: a mentor's replacement, not a correction

    @property
    def can_correct(self) -> bool:
        """«Исправить» before the group goes to the head (proposed, agreed or returned)."""
        return (
            self.can_propose
            and not self.has_order
            and self.status in MentoringGroup.CORRECTABLE_STATUSES
        )

    @property
    def can_respond(self) -> bool:
        """A participant answers while the proposal waits for everyone's answers."""
        return (
            self.status == MentoringGroup.Status.PROPOSED
            and self.member is not None
            and self.member.response == GroupMember.Response.PENDING
        )

    @property
    def can_submit(self) -> bool:
        """Everyone agreed (or the head returned it): the curator sends it to the head."""
        return self.can_manage and self.status in MentoringGroup.AGREED_STATUSES

    @property
    def can_decide(self) -> bool:
        """The head approves it by order or returns it while it waits for her."""
        return self.is_head and self.status == MentoringGroup.Status.SUBMITTED

    @property
    def can_replace_mentor(self) -> bool:
        return self.can_manage and self.status == MentoringGroup.Status.ACTIVE

    @property
    def can_petition(self) -> bool:
        """A participant of an approved group asks to replace or relieve a mentor."""
        return self.member is not None and self.status == MentoringGroup.Status.ACTIVE

    @property
    def drafts_program(self) -> bool:
        """The curator (or the sysadmin) and the group's mentors write its program."""
        return self.can_manage or (self.member is not None and self.member.is_mentor)

    @property
    def can_create_program(self) -> bool:
        """«Создать по шаблону»: once the group is approved by order."""
        return self.drafts_program and self.status == MentoringGroup.Status.ACTIVE


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
        status=group.status,
        member=member,
        can_manage=roles.can_edit_banks,
        is_head=roles.is_head,
        can_decide_petitions=roles.is_head or roles.is_curator,
        can_mediate=roles.is_council or roles.is_curator,
        can_propose=can_propose_groups(roles),
        has_order=group.order_id is not None,
    )


def can_propose_groups(roles) -> bool:
    """The curator or a council member proposes a pair or group (DOMAIN.md §2)."""
    return roles.is_curator or roles.is_council or roles.is_sysadmin


@dataclass(frozen=True)
class OrderAccess:
    """What the user may do in the register. Templates branch on these flags."""

    can_draft: bool = False  # curator, head, sysadmin
    can_sign: bool = False  # head


def register_access(request) -> OrderAccess:
    """Head, curator, council (read) and sysadmin see the register; everyone else gets 404."""
    roles = roles_for(request)
    if roles.institution is None or not roles.can_view_banks:
        raise Http404
    return OrderAccess(
        can_draft=roles.is_head or roles.is_curator or roles.is_sysadmin,
        can_sign=roles.is_head,
    )


def order_for_user(request, pk: int) -> tuple[Order, OrderAccess]:
    """(order, access): an order of the user's institution; 404 for anyone else."""
    access = register_access(request)
    order = get_object_or_404(
        Order.objects.select_related("institution", "signed_by__person", "created_by__person"),
        pk=pk,
        institution=roles_for(request).institution,
    )
    return order, access


@dataclass(frozen=True)
class AgreementAccess:
    """What the user may do with a supplementary agreement (ТК РФ ст. 351.8). The pay is the
    employer's business: the head, the curator, the sysadmin and the mentor herself read it."""

    status: str
    can_manage: bool = False  # curator, sysadmin: draft, enter the signing, end

    @property
    def can_edit(self) -> bool:
        return self.can_manage and self.status == MentoringAgreement.Status.DRAFT

    @property
    def can_sign(self) -> bool:
        return self.can_manage and self.status == MentoringAgreement.Status.DRAFT

    @property
    def can_end(self) -> bool:
        return self.can_manage and self.status == MentoringAgreement.Status.SIGNED


def agreement_register_access(request) -> AgreementAccess:
    """The register of agreements: head, curator and sysadmin; the council 403; others 404."""
    roles = roles_for(request)
    if roles.institution is None or not roles.can_view_banks:
        raise Http404
    if not roles.can_export_banks:
        raise PermissionDenied
    return AgreementAccess(status="", can_manage=roles.can_edit_banks)


def agreement_for_user(request, pk: int) -> tuple[MentoringAgreement, AgreementAccess]:
    """(agreement, access): the head, the curator and the sysadmin of the institution and the
    mentor herself; the council 403; anyone else 404."""
    roles = roles_for(request)
    if roles.institution is None:
        raise Http404
    agreement = get_object_or_404(
        MentoringAgreement.objects.select_related(
            "institution", "group", "form", "mentor__position"
        ),
        pk=pk,
        institution=roles.institution,
    )
    own = roles.person is not None and agreement.mentor_id == roles.person.pk
    if not own and not roles.can_view_banks:
        raise Http404
    if not own and not roles.can_export_banks:
        raise PermissionDenied
    return agreement, AgreementAccess(status=agreement.status, can_manage=roles.can_edit_banks)


@dataclass(frozen=True)
class CouncilAccess:
    """What the user may do with the council's pages. Templates branch on these flags."""

    can_record: bool = False  # the curator and the council's members (п. 3.4)
    can_draft_orders: bool = False  # may prepare the order on the composition
    can_open_orders: bool = False  # may open the order register


@dataclass(frozen=True)
class MeetingAccess:
    """What the user may do with one meeting in its state. Templates branch on these flags."""

    can_edit: bool = False
    state: str = council.State.PLANNED

    @property
    def can_print(self) -> bool:
        """The minutes: only of a meeting held with its decisions written down."""
        return self.state == council.State.HELD

    @property
    def is_planned(self) -> bool:
        return self.state == council.State.PLANNED

    @property
    def awaits_decisions(self) -> bool:
        """Held, its decisions not written down yet."""
        return self.state == council.State.AWAITING


def council_viewer(request) -> CouncilAccess:
    """The head, the curator, the council and the sysadmin of the institution; 404 for the rest."""
    roles = staff_roles(request)
    orders = register_access(request)
    return CouncilAccess(
        can_record=roles.is_curator or roles.is_council,
        can_draft_orders=orders.can_draft,
        can_open_orders=True,  # everyone who reads the council reads the register
    )


def meeting_for_user(request, pk: int) -> tuple[CouncilMeeting, MeetingAccess]:
    access = council_viewer(request)
    meeting = get_object_or_404(
        CouncilMeeting.objects.select_related(
            "institution", "chair__position", "secretary__position"
        ),
        pk=pk,
        institution=roles_for(request).institution,
    )
    return meeting, MeetingAccess(can_edit=access.can_record, state=council.meeting_state(meeting))


def import_for_user(request, pk: int) -> StaffImport:
    """An import of the user's own institution; another institution's is not found."""
    return get_object_or_404(
        StaffImport.objects.select_related("uploaded_by"),
        pk=pk,
        institution=roles_for(request).institution,
    )


def subject_for(request, pk):
    """The person themselves, or the head, the curator and the sysadmin who answer the person's
    written request (ст. 14 ч. 3, ст. 20). The council reads the banks but not this: 403."""
    person, _ = person_for_user(request, pk, as_mentor=False)
    roles = roles_for(request)
    is_own = roles.person is not None and roles.person.pk == person.pk
    if not (is_own or roles.can_export_banks):
        raise PermissionDenied
    return person, is_own


def user_of_institution(request, pk: int) -> User:
    roles = roles_for(request)
    return get_object_or_404(
        User.objects.select_related("person"), pk=pk, institution=roles.institution
    )


def own_membership(request, pk):
    """The group and the requesting participant's access; staff who are not members of
    this group get 403 (they may see it, not answer for it)."""
    group, access = group_for_user(request, pk)
    if access.member is None:
        raise PermissionDenied
    return group, access


def petition_for_decision(request, pk):
    """The petition, its group and the access to it. Another institution's or another
    group's petition is 404 as its group is; who may not decide gets 403."""
    roles = roles_for(request)
    petition = get_object_or_404(
        Petition.objects.select_related("group"),
        pk=pk,
        group__institution_id=getattr(roles.institution, "pk", None),
    )
    group, access = group_for_user(request, petition.group_id)
    if not access.can_decide_petitions:
        raise PermissionDenied
    return petition, group, access


def petition_for_mediation(request, pk):
    """The petition, its group and the access to it for recording the council's mediation
    (п. 3.4): a council member or the curator; 403 for the rest who see the group, 404 for
    those who do not."""
    roles = roles_for(request)
    petition = get_object_or_404(
        Petition.objects.select_related("group", "author", "mediated_by__person"),
        pk=pk,
        group__institution_id=getattr(roles.institution, "pk", None),
    )
    group, access = group_for_user(request, petition.group_id)
    if not access.can_mediate:
        raise PermissionDenied
    return petition, group, access


def questionnaire_for_review(request, pk):
    questionnaire, can_review = questionnaire_for_user(request, pk)
    if not can_review:
        raise PermissionDenied
    return questionnaire


@dataclass(frozen=True)
class ListScope:
    """Whose reference lists (and library of typical events) the user keeps (issue 20): a
    kindergarten's sysadmin (or curator, for the library) its own additions; the installation's
    administrator (``registry.manage_shared_lists``: a district login given in /admin/, a
    superuser) the entries every kindergarten shares. Templates branch on ``may_edit``."""

    institution: object = None  # None: the installation's administrator without a kindergarten
    can_edit_shared: bool = False
    read_only: bool = False  # the council reads the library of typical events (п. 3.4)

    def items(self, model):
        """What the user sees: the shared entries and, in a kindergarten, its own."""
        if self.institution is None:
            return model.objects.shared()
        return model.objects.visible_to(self.institution)

    def may_edit(self, item) -> bool:
        if self.read_only:
            return False
        if item.institution_id is None:
            return self.can_edit_shared
        return self.institution is not None and item.institution_id == self.institution.pk


def list_scope(request, *, editors=lambda roles: roles.is_sysadmin) -> ListScope:
    """The scope of the lists' pages; 404 for everyone who keeps no list."""
    roles = roles_for(request)
    user = request.user
    can_edit_shared = user.is_authenticated and user.has_perm("registry.manage_shared_lists")
    if roles.institution is not None and editors(roles):
        return ListScope(institution=roles.institution, can_edit_shared=can_edit_shared)
    if roles.institution is None and can_edit_shared and user.institution_id is None:
        return ListScope(institution=None, can_edit_shared=True)
    raise Http404
