"""Who may see and change what in monitoring and reports (DOMAIN.md §2): one access helper per
object type, used by every view of that object. Outsiders get 404, readers without the right 403;
templates branch on the flags returned here.

- Questionnaires: the curator keeps templates and sends surveys (п. 3.3), the council reads the
  results (п. 3.4); one person's answers only for the curator and never of an anonymous survey;
  an invitation only for the invited person.
- Growth records and best practices: the institution's staff read; the curator (with the
  sysadmin for growth records, with the council for practices) writes; the curator approves a
  practice for publication.
- Indicators, statistics, final reports: the head, the curator and the council read; only the
  curator writes and hands in a report (п. 3.3).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from registry.access import is_mentor_of
from registry.models import Person
from registry.roles import Roles, roles_for, staff_roles
from reports.models import (
    FinalReport,
    GrowthRecord,
    Invitation,
    Practice,
    PracticeMaterial,
    Question,
    QuestionnaireTemplate,
    Response,
    Survey,
)
from reports.services.surveys import template_is_used, templates_for

# --- Questionnaires ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateAccess:
    is_manager: bool  # the curator (п. 3.3)
    is_own: bool  # the institution's own template, not a shared one
    is_used: bool  # already sent: its questions stay as they were

    @property
    def can_edit(self) -> bool:
        return self.is_manager and self.is_own and not self.is_used

    @property
    def can_rename(self) -> bool:
        return self.is_manager and self.is_own

    @property
    def can_copy(self) -> bool:
        return self.is_manager


@dataclass(frozen=True)
class SurveyAccess:
    is_manager: bool
    anonymous: bool

    @property
    def can_remind(self) -> bool:
        return self.is_manager

    @property
    def can_open_responses(self) -> bool:
        """One person's answers: the curator, and never for an anonymous survey."""
        return self.is_manager and not self.anonymous


def survey_reader(request) -> Roles:
    """The curator and the council of the institution; 404 for everyone else."""
    roles = roles_for(request)
    if roles.institution is None or not roles.can_read_survey_results:
        raise Http404
    return roles


def survey_manager(request) -> Roles:
    roles = survey_reader(request)
    if not roles.can_manage_surveys:
        raise PermissionDenied
    return roles


def template_for_user(request, pk: int) -> tuple[QuestionnaireTemplate, TemplateAccess]:
    roles = survey_reader(request)
    template = get_object_or_404(templates_for(roles.institution), pk=pk)
    return template, TemplateAccess(
        is_manager=roles.can_manage_surveys,
        is_own=template.institution_id == roles.institution.pk,
        is_used=template_is_used(template),
    )


def question_for_user(request, pk: int) -> tuple[Question, QuestionnaireTemplate, TemplateAccess]:
    roles = survey_reader(request)
    question = get_object_or_404(
        Question.objects.filter(template__in=templates_for(roles.institution)), pk=pk
    )
    template, access = template_for_user(request, question.template_id)
    question.template = template
    return question, template, access


def survey_for_user(request, pk: int) -> tuple[Survey, SurveyAccess]:
    roles = survey_reader(request)
    survey = get_object_or_404(
        Survey.objects.select_related("template", "sent_by__person"),
        pk=pk,
        institution=roles.institution,
    )
    return survey, SurveyAccess(is_manager=roles.can_manage_surveys, anonymous=survey.anonymous)


def invitation_for_user(request, pk: int) -> Invitation:
    """Only the invited person opens an invitation; for everyone else it does not exist."""
    roles = roles_for(request)
    if roles.person is None:
        raise Http404
    return get_object_or_404(
        Invitation.objects.select_related("survey__template", "program"),
        pk=pk,
        person=roles.person,
    )


def response_for_user(request, pk: int) -> tuple[Response, Survey]:
    """One person's answers of a non-anonymous survey, for the curator; an anonymous
    response has no page at all."""
    roles = survey_reader(request)
    response = get_object_or_404(
        Response.objects.select_related("survey__template", "invitation__person", "program"),
        pk=pk,
        survey__institution=roles.institution,
        survey__anonymous=False,
    )
    if not roles.can_manage_surveys:
        raise PermissionDenied
    return response, response.survey


# --- Growth records and best practices ------------------------------------------------------


def growth_viewer(request) -> Roles:
    """The head, the curator, the council and the sysadmin read the records; the rest 404."""
    return staff_roles(request)


def _mentor_of(roles: Roles, person: Person) -> bool:
    return roles.person is not None and is_mentor_of(roles.person, person)


def _may_edit_record(roles: Roles, user, record: GrowthRecord) -> bool:
    """The curator and the sysadmin keep every record; a mentor changes the record she entered
    while it waits for the curator."""
    if roles.can_edit_banks:
        return True
    return record.is_pending and record.created_by_id == user.pk


def growth_for_user(request, pk: int) -> tuple[GrowthRecord, bool]:
    """(record, can_edit): a record of a person of the user's institution, for the staff; for
    the mentor of the person (п. 4.1, п. 4.2) too, who changes only her own waiting record."""
    roles = roles_for(request)
    if roles.institution is None:
        raise Http404
    record = get_object_or_404(
        GrowthRecord.objects.select_related("person", "program"),
        pk=pk,
        person__institution=roles.institution,
    )
    if not (roles.can_view_banks or _mentor_of(roles, record.person)):
        raise Http404
    return record, _may_edit_record(roles, request.user, record)


def growth_adder(request, pk: int) -> tuple[Person, Person | None]:
    """(person, mentor): who may add a record to this person of the institution — the curator
    and the sysadmin (mentor None), or the person's mentor (п. 4.2), whose record waits for the
    curator. The head and the council read: 403; everyone else 404."""
    roles = roles_for(request)
    if roles.institution is None:
        raise Http404
    person = get_object_or_404(
        Person.objects.select_related("position"), pk=pk, institution=roles.institution
    )
    if roles.can_edit_banks:
        return person, None
    if _mentor_of(roles, person):
        return person, roles.person
    if roles.can_view_banks:
        raise PermissionDenied
    raise Http404


@dataclass(frozen=True)
class GrowthSection:
    """«Профессиональный рост» on a person's page: shown to the staff, the person and the
    person's mentor; ``rows`` are (record, may edit, may confirm)."""

    shown: bool
    can_add: bool
    rows: list


def growth_section(request, person: Person, *, shown_to_reader: bool) -> GrowthSection:
    """``shown_to_reader``: the page shows the person's paperwork to this user (the staff, the
    person)."""
    roles = roles_for(request)
    mentor = not roles.can_edit_banks and _mentor_of(roles, person)
    if not (shown_to_reader or mentor):
        return GrowthSection(shown=False, can_add=False, rows=[])
    records = person.growth_records.select_related("program__group")
    return GrowthSection(
        shown=True,
        can_add=roles.can_edit_banks or mentor,
        rows=[
            (
                r,
                (roles.can_edit_banks or mentor) and _may_edit_record(roles, request.user, r),
                roles.can_edit_banks and r.is_pending,
            )
            for r in records
        ],
    )


@dataclass(frozen=True)
class PracticeAccess:
    status: str
    is_editor: bool = False  # the curator and the council describe practices (п. 3.3, п. 3.4)
    is_curator: bool = False  # approves a practice for publication

    @property
    def can_edit(self) -> bool:
        """What was approved is what gets published: changes after «Вернуть в черновик»."""
        return self.is_editor and self.status == Practice.Status.DRAFT

    @property
    def can_approve(self) -> bool:
        return self.is_curator and self.status == Practice.Status.DRAFT

    @property
    def can_unapprove(self) -> bool:
        return self.is_curator and self.status == Practice.Status.APPROVED


def practices_viewer(request) -> Roles:
    """The head, the curator, the council and the sysadmin read the bank; the rest 404."""
    return staff_roles(request)


def practice_for_user(request, pk: int) -> tuple[Practice, PracticeAccess]:
    roles = practices_viewer(request)
    practice = get_object_or_404(
        Practice.objects.select_related("direction", "program__group", "created_by__person"),
        pk=pk,
        institution=roles.institution,
    )
    return practice, PracticeAccess(
        status=practice.status,
        is_editor=roles.can_edit_practices,
        is_curator=roles.is_curator,
    )


# --- Indicators, statistics, final reports -------------------------------------------------


@dataclass(frozen=True)
class ReportAccess:
    is_curator: bool = False  # writes the texts and hands the report in (п. 3.3)
    is_final: bool = False
    is_head: bool = False  # reopens a handed-in report with a reason, or approves it
    is_approved: bool = False

    @property
    def can_decide(self) -> bool:
        """Reopen or approve: the head, while handed in and not approved."""
        return self.is_head and self.is_final and not self.is_approved

    @property
    def can_edit(self) -> bool:
        return self.is_curator and not self.is_final

    @property
    def can_finalize(self) -> bool:
        return self.is_curator and not self.is_final


def reports_viewer(request) -> Roles:
    """The indicators, the statistics and the final reports (DOMAIN.md §2 «reports,
    statistics»): the head, the curator and the council read them; the sysadmin, who sees the
    banks but not the reports, gets 403; everyone else 404."""
    roles = staff_roles(request)
    if not roles.can_view_reports:
        raise PermissionDenied
    return roles


def report_for_user(request, pk: int) -> tuple[FinalReport, ReportAccess]:
    roles = reports_viewer(request)
    report = get_object_or_404(
        FinalReport.objects.select_related("institution", "finalized_by__person"),
        pk=pk,
        institution=roles.institution,
    )
    return report, ReportAccess(
        is_curator=roles.is_curator,
        is_final=report.is_final,
        is_head=roles.is_head,
        is_approved=report.status == FinalReport.Status.APPROVED,
    )


# --- The summary of every institution (a district's report) ------------------------------------

SUMMARY_PERMISSION = "reports.run_institution_summary"


def may_run_summaries(user) -> bool:
    """The district's methodologist (the permission given in the admin) or a superuser; no role
    of a kindergarten gives it: a summary shows every institution's numbers."""
    return user.is_authenticated and user.is_active and user.has_perm(SUMMARY_PERMISSION)


def material_for_user(request, pk) -> tuple[PracticeMaterial, Practice, PracticeAccess]:
    roles = practices_viewer(request)
    material = get_object_or_404(PracticeMaterial, pk=pk, practice__institution=roles.institution)
    practice, access = practice_for_user(request, material.practice_id)
    material.practice = practice
    return material, practice, access
