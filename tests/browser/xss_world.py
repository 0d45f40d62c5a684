"""The world of the XSS sweep (``tests/browser/test_xss_sweep.py``): which fields are free text,
which pages show each of them, the rows that carry the payloads, and the rounds that give every
field every payload.

Pages are the GET rows of the permission table (``tests/test_permissions.py::TABLE``), built on
its objects (``_objects`` and the rows' own builders), opened as every role the table lets in.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from programs.models import Program, ProgramChange, ProgramComment, TermChange
from registry.models import (
    DestructionAct,
    Direction,
    GroupEvent,
    Letter,
    MentoringGroup,
    Notification,
    Petition,
    Role,
    RoleAssignment,
)
from reports.models import Answer, FinalReportEvent, Question
from reports.services import surveys as survey_services
from roadmap import services as roadmap_services
from roadmap.models import Roadmap, RoadmapChange
from tests.permission_helpers import expected_for
from tests.public.test_pages import pair
from tests.test_permissions import TABLE, _objects
from tests.xss_payloads import PAYLOADS, render

APPS = ["registry", "programs", "roadmap", "reports"]
ROLES = ["anonymous", "head", "curator", "council", "sysadmin", "mentor", "mentee", "teacher"]
VISITORS = ["anonymous", "curator"]
PUBLIC_PAGES = {
    f"public:{name}"
    for name in [
        "index",
        "section",
        "documents",
        "curator",
        "programs",
        "results",
        "recommendations",
        "news",
        "news-detail",
        "roadmap",
        "policy",
    ]
}

# Fields that are not free text a person types, with the reason.
EXCLUDED = {
    "registry.User.password": "a password hash",
    "registry.User.username": "a login name (letters, digits and @.+-_ only)",
    "registry.Organization.public_slug": "a slug (letters, digits, hyphens)",
    "registry.Organization.inn": "digits only (10 or 12, RegexValidator)",
    "registry.Organization.ogrn": "digits only (13 or 15, RegexValidator)",
    "registry.User.email": "an e-mail address (EmailField validates it)",
    "registry.Person.email": "an e-mail address (EmailField validates it)",
    "registry.PublicSection.contact_email": "an e-mail address (EmailField validates it)",
    "registry.EmailChange.old_email": "an e-mail address (EmailField validates it)",
    "registry.EmailChange.new_email": "an e-mail address (EmailField validates it)",
    "registry.InvitationCode.code_hash": "a hash the code computes, never shown",
    "registry.PublicDocument.link": "a URL (URLField refuses javascript:, test_public_xss)",
    "registry.Notification.url": "a path the code builds with reverse()",
    "registry.StaffImport.counts": "numbers the import counts (new, duplicates, errors)",
    "registry.Letter.to": "an e-mail address (EmailField validates it)",
    "registry.Letter.body": "sent by the worker as plain text; no page shows it "
    "(test_notification_mails_are_plain_text_with_the_payload_as_typed)",
    "programs.CalendarFeed.token": "a random token",
    "reports.Question.key": "a slug naming an indicator",
    "registry.DestructionAct.categories": "labels the code writes from its own list",
    "registry.DestructionAct.texts_rewritten": "counts under the models' own Russian names",
    "registry.DestructionAct.log_extract": (
        "written by the code from the trail: the models', actions' and fields' own Russian "
        "names, times, and the actor's name (a login's name, swept as registry.User's fields)"
    ),
    "roadmap.RoadmapVersion.snapshot": "a copy of the roadmap; shown only in the version PDF",
    "reports.FinalReport.snapshot": "figures the code computes; shown through the PDF",
    "reports.InstitutionSummary.error": "a message the worker writes from its own text",
    "reports.InstitutionSummary.totals": "counts and shares the worker computes",
    "reports.Answer.choices": "a copy of the question's choices (swept as Question.choices)",
    "registry.Consent.note": "stored only: no page or document shows it",
    "registry.PaperDecision.comment": "stored only: no page or document shows it; the same "
    "text is the answer's GroupMember.response_comment, swept",
    "registry.StaffImport.sheets": "the file's cells as read; the preview shows them through "
    "StaffImport.rows and .columns (test_a_header_with_markup_is_shown_as_text)",
    "registry.StaffImport.columns": "headers of the uploaded file; shown escaped on the preview "
    "(test_a_header_with_markup_is_shown_as_text); no form writes them",
    "registry.StaffImportColumnChoice.header": "a header's words (letters, digits, spaces), "
    "never shown",
    "registry.StaffImportColumnChoice.field": "a key of the code's own list of fields",
    "registry.DestructionAct.system": "shown only in the act's PDF (not a browser context)",
    "registry.DestructionAct.method": "shown only in the act's PDF (not a browser context)",
    "registry.GroupMember.agreement_number": "kept from before the agreement became a document "
    "(MentoringAgreement, issue 18): no form writes it; printed only in an order's appendix "
    "when the mentor has no MentoringAgreement",
}

# Fields rendered as Markdown (public.markup): the payload's markup is not kept as the same
# text (links become text), so only the field's tag must be visible; nothing may run.
MARKDOWN = {
    "registry.PublicSection.about",
    "registry.PublicSection.recommendations",
    "registry.PublicSection.contacts",
    "registry.NewsItem.text",
}


# Where each swept field is shown (found by opening every page with a tag in every field, then
# frozen here): in the first round every page of the table is opened, in the later rounds only
# these. Each must show the field's whole value as text (its tag, for MARKDOWN).
SHOWN_ON = {
    "programs.EventForm.name": (
        "programs:program-detail@council",
        "programs:event-progress@curator",
    ),
    "programs.Evidence.name": (
        "programs:program-detail@council",
        "programs:event-progress@curator",
    ),
    "programs.Meeting.content": ("programs:meeting-update@curator",),
    "programs.Meeting.place": ("programs:meeting-update@curator",),
    "programs.Meeting.result": ("programs:meeting-update@curator",),
    "programs.Meeting.task": ("programs:meeting-update@curator",),
    "programs.Meeting.topic": (
        "programs:program-detail@council",
        "programs:meeting-update@curator",
    ),
    "programs.Program.conditions": (
        "programs:program-detail@council",
        "programs:program-detail[completed]@curator",
    ),
    "programs.Program.content": (
        "programs:program-detail@council",
        "programs:program-detail[completed]@curator",
    ),
    "programs.Program.goals": (
        "programs:program-detail@council",
        "programs:program-detail[completed]@curator",
    ),
    "programs.Program.intermediate_results": (
        "programs:program-detail@council",
        "programs:program-detail[completed]@curator",
    ),
    "programs.Program.mentee_result": (
        "programs:program-detail[completed]@curator",
        "reports:practice-create-from-program@council",
    ),
    "programs.Program.mentor_result": (
        "programs:program-detail[completed]@curator",
        "reports:practice-create-from-program@council",
    ),
    "programs.Program.planned_results": (
        "programs:program-detail@council",
        "programs:program-detail[completed]@curator",
    ),
    "programs.Program.problem": (
        "programs:program-detail@council",
        "programs:program-detail[completed]@curator",
    ),
    "programs.Program.reason_note": ("programs:program-detail[completed]@curator",),
    "programs.Program.return_comment": ("programs:program-detail[returned]@curator",),
    "programs.Program.schedule": (
        "programs:program-detail@council",
        "programs:program-detail[completed]@curator",
    ),
    "programs.ProgramChange.what": ("programs:program-detail@council",),
    "programs.ProgramChange.why": ("programs:program-detail@council",),
    "programs.ProgramComment.text": ("programs:program-detail@council",),
    "programs.ProgramEvent.actual_result": (
        "programs:program-detail@council",
        "programs:event-progress@curator",
    ),
    "programs.ProgramEvent.expected_result": (
        "programs:program-detail@council",
        "programs:event-progress@curator",
    ),
    "programs.ProgramEvent.mentee_report": ("programs:event-report@mentee",),
    "programs.ProgramEvent.title": (
        "programs:program-detail@council",
        "programs:event-progress@curator",
    ),
    "programs.TermChange.decline_comment": ("programs:program-detail@council",),
    "programs.TermChange.reason": ("programs:program-detail@council",),
    # The installation's entries: a kindergarten's curator reads them on the list (issue 20).
    "programs.TypicalEvent.expected_result": ("programs:library-list@curator",),
    "programs.TypicalEvent.title": ("programs:library-list@curator",),
    "registry.Letter.subject": ("registry:letter-list@sysadmin",),
    "registry.Letter.last_error": ("registry:letter-list@sysadmin",),
    "registry.Competence.text": (
        "registry:mentor-profile[mentor]@curator",
        "registry:person-detail[mentor]@curator",
    ),
    "registry.CouncilMeeting.agenda": (
        "registry:council-meeting-detail@council",
        "registry:council-meeting-update@council",
    ),
    "registry.CouncilMeeting.decisions": (
        "registry:council-meeting-detail@council",
        "registry:council-meeting-update@council",
    ),
    "registry.CouncilMeeting.discussion": (
        "registry:council-meeting-detail@council",
        "registry:council-meeting-update@council",
    ),
    "registry.CouncilMeeting.invited": (
        "registry:council-meeting-detail@council",
        "registry:council-meeting-update@council",
    ),
    "registry.DestructionAct.subject_name": ("registry:destruction-act-list@curator",),
    "registry.Consent.conditions": ("registry:person-data@curator",),
    "registry.Consent.resource_url": ("registry:person-data@curator",),
    "registry.SubjectRequest.subject_name": (
        "registry:subject-request-list@curator",
        "registry:subject-request-detail@head",
    ),
    "registry.SubjectRequest.summary": ("registry:subject-request-detail@curator",),
    "registry.SubjectRequest.extension_reason": ("registry:subject-request-detail@curator",),
    "registry.SubjectRequest.answer": ("registry:subject-request-detail@head",),
    "registry.Difficulty.text": ("programs:program-detail@council", "registry:person-data@curator"),
    "registry.Direction.name": ("programs:program-detail@council", "registry:person-data@curator"),
    "registry.GroupEvent.comment": ("registry:group-detail@council",),
    "registry.GroupEvent.text": ("registry:group-detail@council",),
    "registry.MentoringAgreement.number": (
        "registry:agreement-list@head",
        "registry:agreement-detail@curator",
    ),
    "registry.MentoringAgreement.content": (
        "registry:agreement-detail@curator",
        "registry:agreement-detail@mentor",
    ),
    "registry.MentoringAgreement.end_note": ("registry:agreement-detail@curator",),
    "registry.AgreementAmendment.reason": ("registry:agreement-detail[amended]@curator",),
    "registry.Organization.cooperation_agreement_number": ("registry:partner-update@curator",),
    # The name's cases are printed only in PDFs (templates/documents, not a browser context):
    # the page that shows them is the settings form, as the values of its fields.
    "registry.Organization.name_gent": (
        "registry:institution-settings@head",
        "registry:institution-settings@sysadmin",
    ),
    "registry.Organization.name_datv": (
        "registry:institution-settings@head",
        "registry:institution-settings@sysadmin",
    ),
    "registry.Organization.name_accs": (
        "registry:institution-settings@head",
        "registry:institution-settings@sysadmin",
    ),
    "registry.Organization.name_ablt": (
        "registry:institution-settings@head",
        "registry:institution-settings@sysadmin",
    ),
    "registry.Organization.name_loct": (
        "registry:institution-settings@head",
        "registry:institution-settings@sysadmin",
    ),
    # The head's founder order (issuer, number, date: a CheckConstraint keeps them together), on
    # the head's roles page and the page where the sysadmin enters it.
    "registry.RoleAssignment.founder_issuer": (
        "registry:user-roles[head]@sysadmin",
        "registry:user-head[head]@sysadmin",
    ),
    "registry.RoleAssignment.founder_order_number": (
        "registry:user-roles[head]@sysadmin",
        "registry:user-head[head]@sysadmin",
    ),
    "registry.GroupMember.response_comment": (
        "registry:person-data@curator",
        "registry:group-detail@council",
    ),
    "registry.MenteeCategory.name": (
        "registry:person-data@curator",
        "registry:person-detail@council",
    ),
    "registry.MenteeProfile.strengths": (
        "programs:program-detail@council",
        "registry:person-data@curator",
    ),
    "registry.MenteeProfile.support_note": (
        "registry:person-data@curator",
        "registry:person-detail@council",
    ),
    "registry.MentorProfile.awards": (
        "registry:mentor-profile[mentor]@curator",
        "registry:person-detail[mentor]@curator",
    ),
    "registry.MentorProfile.experience": (
        "registry:mentor-profile[mentor]@curator",
        "registry:person-detail[mentor]@curator",
    ),
    "registry.MentorProfile.training_note": ("registry:mentor-profile[mentor]@curator",),
    "registry.MentoringForm.name": (
        "programs:program-detail@council",
        "registry:person-data@curator",
    ),
    "registry.MentoringGroup.rationale": (
        "registry:group-detail@council",
        "registry:group-detail[returned]@curator",
    ),
    "registry.MentoringGroup.return_comment": ("registry:group-detail[returned]@curator",),
    "registry.MentoringKind.name": (
        "registry:mentee-profile@curator",
        "registry:mentor-profile[mentor]@curator",
    ),
    "registry.NewsItem.image_alt": (
        "public:manage-news-update@curator",
        "public:news-detail@anonymous",
    ),
    "registry.NewsItem.text": ("public:news-detail@anonymous", "public:manage-news-update@curator"),
    "registry.NewsItem.title": ("public:manage-news-update@curator", "public:manage@curator"),
    "registry.Notification.text": ("registry:notification-list@council",),
    "registry.Order.basis": ("registry:order-update@curator", "registry:order-detail@council"),
    "registry.Order.control_clause": (
        "registry:order-update@curator",
        "registry:order-detail@council",
    ),
    "registry.Order.items": ("registry:order-update@curator", "registry:order-detail@council"),
    "registry.Order.number": (
        "roadmap:roadmap-detail[last-year]@curator",
        "roadmap:activity-done@curator",
    ),
    "registry.Order.title": ("registry:order-update@curator", "registry:order-detail@council"),
    "registry.Organization.address": ("registry:person-data@curator", "public:documents@anonymous"),
    "registry.Organization.head_name": (
        "reports:report-detail@council",
        "registry:order-detail@council",
    ),
    "registry.Organization.name": ("registry:person-data@curator", "registry:order-detail@council"),
    "registry.Organization.short_name": (
        "programs:program-detail@council",
        "registry:person-data@curator",
    ),
    "registry.Person.education": ("registry:person-data@curator", "registry:person-detail@council"),
    "registry.Person.first_name": (
        "programs:program-detail@council",
        "registry:person-data@curator",
    ),
    "registry.Person.last_name": (
        "programs:program-detail@council",
        "registry:person-data@curator",
    ),
    "registry.Person.patronymic": (
        "programs:program-detail@council",
        "registry:person-data@curator",
    ),
    "registry.Person.phone": ("registry:person-data@curator", "registry:person-detail@council"),
    "registry.Petition.decision_comment": ("registry:group-detail@council",),
    "registry.Petition.text": ("registry:group-detail@council",),
    "registry.Petition.mediation_text": ("registry:group-detail@council",),
    "registry.Position.name": ("programs:program-detail@council", "registry:person-data@curator"),
    "registry.PublicDocument.note": ("public:documents@anonymous", "public:manage@curator"),
    "registry.PublicDocument.title": ("public:documents@anonymous", "public:manage@curator"),
    # Its public page (public:document) is swept by tests/browser/test_public_xss.py.
    "registry.PublicDocument.text": ("public:manage-document-update@curator",),
    "registry.PublicSection.about": ("public:section@anonymous", "public:manage-page@curator"),
    "registry.PublicSection.contact_phone": (
        "public:curator@anonymous",
        "public:manage-settings@curator",
    ),
    "registry.PublicSection.contact_position": (
        "public:curator@anonymous",
        "public:manage-settings@curator",
    ),
    "registry.PublicSection.contacts": ("public:curator@anonymous",),
    "registry.PublicSection.recommendations": ("public:recommendations@anonymous",),
    "registry.SelfQuestionnaire.answers": (
        "registry:questionnaire-fill@teacher",
        "registry:questionnaire-detail@council",
    ),
    "registry.SelfQuestionnaire.review_comment": ("registry:questionnaire-detail@council",),
    "registry.StaffImport.filename": ("registry:import-preview@curator",),
    "registry.StaffImport.rows": ("registry:import-preview@curator",),
    "registry.User.first_name": ("programs:program-detail@council", "registry:person-data@curator"),
    "registry.User.last_name": ("programs:program-detail@council", "registry:person-data@curator"),
    "reports.Answer.text": ("reports:response-detail@curator", "reports:survey-detail@council"),
    "reports.FinalReport.problems": (
        "reports:report-detail@council",
        "reports:report-edit@curator",
    ),
    "reports.FinalReport.proposals": (
        "reports:report-detail@council",
        "reports:report-edit@curator",
    ),
    "reports.FinalReport.risks": ("reports:report-detail@council", "reports:report-edit@curator"),
    "reports.FinalReportEvent.reason": ("reports:report-detail@council",),
    "reports.GrowthRecord.result": (
        "registry:person-data@curator",
        "registry:person-detail@council",
    ),
    "reports.GrowthRecord.title": (
        "registry:person-data@curator",
        "registry:person-detail@council",
    ),
    "reports.Practice.summary": (
        "reports:practice-detail@council",
        "reports:practice-update@council",
    ),
    # The list and the detail page show the tags split at commas: the form shows them whole.
    "reports.Practice.tags": ("reports:practice-update@curator", "reports:practice-update@council"),
    "reports.Practice.title": ("reports:report-detail@council", "reports:practice-detail@council"),
    "reports.PracticeMaterial.name": ("reports:material-delete@council",),
    "reports.Question.choices": ("reports:survey-detail@council", "reports:survey-answer@mentee"),
    "reports.Question.text": ("reports:response-detail@curator", "reports:survey-detail@council"),
    "reports.QuestionnaireTemplate.description": (
        "reports:survey-answer@mentee",
        "reports:template-detail@council",
    ),
    "reports.QuestionnaireTemplate.title": (
        "reports:survey-detail@council",
        "reports:template-detail@council",
    ),
    "reports.Survey.title": ("reports:response-detail@curator", "reports:survey-detail@council"),
    "roadmap.Activity.content": (
        "roadmap:activity-update@curator",
        "roadmap:roadmap-detail@council",
    ),
    "roadmap.Activity.evidence_link": ("roadmap:activity-done@curator",),
    "roadmap.Activity.evidence_note": ("roadmap:activity-done@curator",),
    "roadmap.Activity.expected_result": (
        "roadmap:activity-update@curator",
        "roadmap:roadmap-detail@council",
    ),
    "roadmap.Activity.responsible_note": (
        "roadmap:activity-update@curator",
        "roadmap:roadmap-detail@council",
    ),
    "roadmap.Activity.title": ("roadmap:activity-update@curator", "roadmap:roadmap-detail@council"),
    "roadmap.Roadmap.return_comment": (
        "roadmap:roadmap-detail@council",
        "roadmap:roadmap-detail[last-year]@curator",
    ),
    "roadmap.RoadmapChange.reason": ("roadmap:roadmap-detail@council",),
    "roadmap.RoadmapChange.what": ("roadmap:roadmap-detail@council",),
    "roadmap.Stage.title": ("roadmap:activity-update@curator", "roadmap:roadmap-detail@council"),
}


def json_writers():
    """JSON fields whose strings a person types: value → the JSON stored."""

    def mentor_answers(v):
        """What the mentor's questionnaire form stores (registry/forms/questionnaires.py)."""
        direction = Direction.objects.order_by("pk").first()
        return {
            "competences": [{"direction_id": direction.pk, "direction": v, "text": v}],
            "experience": v,
            "awards": v,
            "ready_forms": [],
            "ready_kinds": [],
            "capacity": 1,
            "training_completed_on": None,
            "training_note": v,
            "mentoring_consent_ready": True,
            "comment": v,
            "processing_consent": True,
        }

    def staff_rows(v):
        return [
            {
                "line": 2,
                "name": v,
                "source": {"birth_date": v, "position": v, "organization": v, "email": v},
                "values": {},
                "errors": [v],
                "duplicate": False,
                "duplicate_reason": "",
            }
        ]

    return {
        "registry.SelfQuestionnaire.answers": mentor_answers,
        "registry.StaffImport.rows": staff_rows,
        "registry.Order.items": lambda v: [v, v],
        "reports.Question.choices": lambda v: [v, "второй вариант"],
    }


def free_text_fields() -> list[str]:
    """Every editable CharField, TextField and JSONField without choices of the project's apps,
    as ``app.Model.field``."""
    labels = []
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for f in model._meta.get_fields():
                if (
                    isinstance(f, models.CharField | models.TextField | models.JSONField)
                    and f.editable
                    and not f.choices
                ):
                    labels.append(f"{model._meta.label}.{f.name}")
    return sorted(labels)


def model_field(label: str):
    app_model, name = label.rsplit(".", 1)
    model = apps.get_model(app_model)
    return model, model._meta.get_field(name)


@dataclass
class Page:
    role: str
    name: str  # the URL name
    path: str
    variant: str = ""  # which object, where the table's page shows another one

    @property
    def key(self) -> str:
        return f"{self.name}{f'[{self.variant}]' if self.variant else ''}@{self.role}"


# GET rows of the table whose answer is not an HTML page (documents, files, feeds): skipped.
NOT_HTML = {
    "registry:bank-export",
    "registry:group-export",
    "registry:agreement-export",
    "registry:agreement-document",
    "registry:agreement-amendment-document",
    "registry:order-export",
    "registry:user-export",
    "programs:program-export",
    "programs:overdue-export",
    "reports:survey-export",
    "registry:import-template",
    "registry:consent-form-pdf",
    "registry:consent-scan",
    "registry:order-pdf",
    "registry:council-meeting-pdf",
    "registry:person-data-pdf",
    "registry:person-data-json",
    "registry:destruction-act-pdf",
    "registry:paper-decision-scan",
    "registry:group-paper-form",
    "programs:term-change-paper-form",
    "programs:program-paper-acquaintance-form",
    "programs:program-pdf",
    "programs:evidence-download",
    "programs:my-calendar",
    "programs:calendar-feed",
    "roadmap:roadmap-pdf",
    "roadmap:version-pdf",
    "roadmap:evidence-download",
    "reports:growth-export",
    "reports:material-download",
    "reports:statistics-export",
    "reports:report-pdf",
    "public:document-file",
    "public:case-material",
    "public:news-feed",
    "public:news-image",
    "public:low-vision",
    "public:not-found",
    # Login, logout and the password pages show nothing typed; healthz is plain text.
    "healthz",
    "session-status",
    "home",
    "login",
    "logout",
    "password_reset_confirm",
}


@dataclass
class Sweep:
    world: object
    objects: dict
    pages: list[Page] = field(default_factory=list)


def build(world) -> Sweep:
    """The permission table's objects, the rows that hold the remaining free text, and the
    HTML pages of the table with the roles that get 200 there."""
    objects = _objects(world)
    sweep = Sweep(world=world, objects=objects)
    for name, row in TABLE.items():
        if row.method != "get" or name in NOT_HTML:
            continue
        kwargs = OWN_KWARGS.get(name, row.kwargs)(world, objects)
        path = reverse(name, kwargs=kwargs)
        if row.data:  # a GET row's query string, as the permission table asks it
            path = f"{path}?{urlencode(row.data)}"
        # The visitors' pages of the public section are the same for every logged-in role.
        roles = VISITORS if name in PUBLIC_PAGES else ROLES
        for role in roles:
            if expected_for(row.expected, role, kwargs) == 200:
                sweep.pages.append(Page(role, name, path))
    for variant, name, kwargs, roles in _extras(world, objects):
        path = reverse(name, kwargs=kwargs)
        sweep.pages += [Page(role, name, path, variant) for role in roles]
    return sweep


def _completed_program(world, objects):
    """A completed program of its own for «описать практику»: the row's builder completes the
    program of group A, which would close that program's other pages."""
    objects["completed_program"] = pair(world, status=Program.Status.COMPLETED)
    return {"pk": objects["completed_program"].pk}


def _second_survey(world, objects):
    """A second invitation of the mentee: the response row already answered the first one."""
    TABLE["reports:survey-detail"].kwargs(world, objects)
    survey = survey_services.survey_send(
        institution=world.institution,
        template=objects["survey"].template,
        title="Анкетирование мая",
        programs=[objects["program"]],
        anonymous=False,
        deadline=timezone.localdate() + timedelta(days=7),
        user=world.curator,
    )
    return {"pk": survey.invitations.get(person=world.mentee_person).pk}


def _approved_roadmap(world, objects):
    """Last year's roadmap, approved: this year's one stays a draft the curator may edit."""
    roadmap = roadmap_services.roadmap_create_from_template(
        institution=world.institution, year_start=2025, user=world.curator
    )
    roadmap_services.roadmap_submit(roadmap=roadmap, user=world.curator)
    objects["signed_order"] = roadmap_services.roadmap_approve(
        roadmap=roadmap, head=world.head, number="95/2", signed_on=date(2025, 9, 5)
    )
    return {"slug": TABLE["public:section"].kwargs(world, objects)["slug"], "year": 2025}


def _submitted_roadmap(world, objects):
    """Next year's roadmap waits for the head: this year's one stays a draft to edit."""
    roadmap = roadmap_services.roadmap_create_from_template(
        institution=world.institution, year_start=2027, user=world.curator
    )
    return {"pk": roadmap_services.roadmap_submit(roadmap=roadmap, user=world.curator).pk}


# Rows whose own builder would clash with the objects the earlier rows made.
OWN_KWARGS = {
    "reports:practice-create-from-program": _completed_program,
    "reports:survey-answer": _second_survey,
    "public:roadmap": _approved_roadmap,
    "roadmap:roadmap-approve": _submitted_roadmap,
}


def _extras(world, objects) -> list[tuple[str, str, dict, list[str]]]:
    """Rows the permission table does not build, so that every free-text field is shown
    somewhere; returns the extra pages ``(variant, url name, kwargs, roles)`` that show them."""
    program, group = objects["program"], objects["group"]
    ProgramComment.objects.create(program=program, author=world.mentee, text="Комментарий")
    ProgramChange.objects.create(program=program, actor=world.mentor, what="План", why="Так")
    GroupEvent.objects.create(group=group, actor=world.curator, text="Событие")
    for role in ROLES[1:]:
        Notification.objects.create(user=world.user(role), text="Уведомление", url="/")
    RoadmapChange.objects.create(
        roadmap=objects["roadmap"], made_by=world.curator, what="Срок", reason="Причина"
    )
    survey = objects["survey"]
    text = Question.objects.create(
        template=survey.template, text="Что ценно?", kind=Question.Kind.TEXT, required=False
    )
    choice = Question.objects.create(
        template=survey.template,
        text="Формат",
        kind=Question.Kind.SINGLE,
        choices=["очно", "дистанционно"],
        required=False,
    )
    for response in survey.responses.all():
        Answer.objects.create(response=response, question=text, text="Ответ")
        Answer.objects.create(response=response, question=choice, choices=["очно"])
    TermChange.objects.create(
        program=program,
        new_end=date(2027, 6, 15),
        reason="Отпуск",
        requested_by=world.mentor,
        status=TermChange.Status.DECLINED,
        decline_comment="Нет",
    )
    Petition.objects.create(
        group=group,
        kind=Petition.Kind.RELIEVE_MENTOR,
        author=world.mentor_person,
        text="Прошу освободить",
        status=Petition.Status.REJECTED,
        decided_at=timezone.now(),
        decided_by=world.head,
        decision_comment="Нет оснований",
        # The council heard the parties first (п. 3.4).
        mediation=Petition.Mediation.REFERRED,
        mediation_text="Не договорились",
        mediated_at=timezone.now(),
        mediated_by=world.council,
    )
    Letter.objects.create(
        institution=world.institution,
        to="teacher@example.org",
        subject="Письмо",
        body="-",
        status=Letter.Status.FAILED,
        last_error="SMTPRecipientsRefused",
    )
    DestructionAct.objects.create(
        institution=world.institution,
        number=1,
        subject_name="Сидорова Нина Павловна",
        categories=["фамилия, имя, отчество"],
        system="Реестр наставничества",
        method="обезличивание",
        reason=DestructionAct.Reason.CONSENT_WITHDRAWN,
        destroyed_on=date(2026, 11, 1),
        keep_until=date(2029, 11, 1),
    )
    # A pair the head returned, with its program returned by the curator.
    returned = pair(world).group
    MentoringGroup.objects.filter(pk=returned.pk).update(
        status=MentoringGroup.Status.RETURNED, return_comment="Уточните"
    )
    Program.objects.filter(group=returned).update(
        status=Program.Status.DRAFT, return_comment="Исправьте"
    )
    # Last year's roadmap came back from the head once before it was approved.
    last_year = Roadmap.objects.get(institution=world.institution, year_start=2025)
    Roadmap.objects.filter(pk=last_year.pk).update(return_comment="Уточните сроки")
    # The head appointed by the founder's order, recorded as it reads.
    RoleAssignment.objects.filter(user=world.head, role=Role.HEAD).update(
        founder_issuer="Администрация района",
        founder_order_number="12-к",
        founder_order_date=date(2025, 8, 1),
    )
    # The final report came back from the head once, with her reason, in its history.
    FinalReportEvent.objects.create(
        report=objects["final_report"],
        action=FinalReportEvent.Action.REOPENED,
        reason="Уточните выводы",
        by=world.head,
    )
    # A signed agreement with an amendment (an extension, п. 7.2).
    TABLE["registry:agreement-amendment-document"].kwargs(world, objects)
    amended = {"pk": objects["amendment"].agreement_id}
    mentor = {"pk": world.mentor_person.pk}
    completed = {"pk": objects["completed_program"].pk}
    return [
        ("mentor", "registry:person-detail", mentor, ["curator", "mentor"]),
        ("mentor", "registry:mentor-profile", mentor, ["curator"]),
        ("returned", "registry:group-detail", {"pk": returned.pk}, ["curator", "head"]),
        ("returned", "programs:program-detail", {"pk": returned.program.pk}, ["curator"]),
        ("completed", "programs:program-detail", completed, ["curator"]),
        ("amended", "registry:agreement-detail", amended, ["curator"]),
        ("head", "registry:user-roles", {"pk": world.head.pk}, ["sysadmin"]),
        ("head", "registry:user-head", {"pk": world.head.pk}, ["sysadmin"]),
        ("last-year", "roadmap:roadmap-detail", {"pk": last_year.pk}, ["head", "curator"]),
    ]


def values_for(label: str, index: int, round_no: int):
    """The payloads of one field in one round: payload (index + t) mod N for t = 0, 1, …,
    skipping those the field cannot hold, packed as many to a round as fit its max_length.
    Returns ``(value, payload numbers)`` or ``None`` once the field has had them all."""
    schedule = rounds_of(label, index)
    if round_no >= len(schedule):
        return None
    return schedule[round_no]


def tag(index: int, round_no: int) -> str:
    return f"«{index}.{round_no}»"


def marker_id(index: int, payload_no: int) -> int:
    return index * 100 + payload_no


_ROUNDS: dict = {}


def rounds_of(label: str, index: int) -> list[tuple[str, list[int]]]:
    if (label, index) in _ROUNDS:
        return _ROUNDS[label, index]
    _model, f = model_field(label)
    capacity = None if isinstance(f, models.TextField | models.JSONField) else f.max_length
    n = len(PAYLOADS)
    order = [(index + t) % n for t in range(n)]
    rounds: list[tuple[str, list[int]]] = []
    current: list[int] = []
    text = ""
    for p in order:
        payload = render(PAYLOADS[p], marker_id(index, p))
        head = tag(index, len(rounds)) + " "
        if capacity is not None and len(head) + len(payload) > capacity:
            continue  # this field cannot hold this payload at all
        candidate = (text + " " + payload) if current else head + payload
        if capacity is None or len(candidate) <= capacity:
            current.append(p)
            text = candidate
        else:
            rounds.append((text, current))
            current = [p]
            text = tag(index, len(rounds)) + " " + payload
    if current:
        rounds.append((text, current))
    _ROUNDS[label, index] = rounds
    return rounds


def carriers(sweep, model):
    """The rows of a model that carry the payloads: all of them, except where a unique
    constraint would refuse one value in many rows (names of people and reference items,
    signed orders' numbers)."""
    world, objects = sweep.world, sweep.objects
    person = world.mentee_person
    only = {
        "registry.Person": lambda: [person.pk, world.mentor_person.pk],
        "registry.Position": lambda: [person.position_id],
        "registry.MenteeCategory": lambda: [person.mentee_profile.category_id],
        "registry.MentoringForm": lambda: [objects["group"].form_id],
        "registry.Direction": lambda: [objects["event"].direction_id],
        "registry.MentoringKind": lambda: [model.objects.order_by("pk").first().pk],
        "programs.EventForm": lambda: [objects["event"].form_id],
        "registry.Order": lambda: [objects["order"].pk, objects["signed_order"].pk],
        # Only a head's assignment with a founder order may hold an issuer and a number.
        "registry.RoleAssignment": lambda: list(
            model.objects.filter(founder_order_date__isnull=False).values_list("pk", flat=True)
        ),
    }.get(model._meta.label)
    queryset = model.objects.all()
    return queryset if only is None else queryset.filter(pk__in=only())


def write_round(sweep, labels: list[str], round_no: int) -> dict[str, tuple[str, list[int]]]:
    """Stores round ``round_no`` of every field in ``labels`` (one UPDATE per model) and
    returns what each field now holds: ``{label: (value, payload numbers)}``."""
    writers = json_writers()
    written, by_model = {}, {}
    for index, label in enumerate(labels):
        values = values_for(label, index, round_no)
        if values is None:
            continue
        model, f = model_field(label)
        written[label] = values
        stored = writers[label](values[0]) if label in writers else values[0]
        by_model.setdefault(model, {})[f.name] = stored
    for model, changes in by_model.items():
        carriers(sweep, model).update(**changes)
    return written
