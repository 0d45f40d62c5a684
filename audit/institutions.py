"""The institution each entry of the audit trail belongs to: one lookup path per tracked model.

``audit.models.LogEntry`` fills its ``institution`` column from ``institution_id_of`` when an entry
is written; ``audit.trail`` registers the models of ``TRACKED`` with django-auditlog and the paths
here. This module imports no model, so the entry model and the trail may both read it.
"""

from django.core.exceptions import ObjectDoesNotExist

SELF = "self"  # an organization is its own institution, a partner belongs to its partner_of

# (app label, model) → how an object reaches its institution (a lookup path to the id).
TRACKED = {
    ("registry", "Organization"): SELF,
    ("registry", "User"): "institution",
    ("registry", "RoleAssignment"): "user__institution",
    ("registry", "InvitationCode"): "user__institution",
    ("registry", "EmailChange"): "person__institution",
    ("registry", "Person"): "institution",
    ("registry", "MenteeProfile"): "person__institution",
    ("registry", "MentorProfile"): "person__institution",
    ("registry", "Difficulty"): "mentee__person__institution",
    ("registry", "Competence"): "mentor__person__institution",
    ("registry", "Consent"): "person__institution",
    ("registry", "SelfQuestionnaire"): "person__institution",
    ("registry", "Order"): "institution",
    ("registry", "MentoringGroup"): "institution",
    ("registry", "GroupMember"): "group__institution",
    ("registry", "Petition"): "group__institution",
    ("registry", "MentoringAgreement"): "institution",
    ("registry", "AgreementAmendment"): "agreement__institution",
    ("registry", "CouncilMeeting"): "institution",
    ("registry", "DestructionAct"): "institution",
    ("registry", "PublicSection"): "institution",
    ("registry", "PublicDocument"): "institution",
    ("registry", "NewsItem"): "institution",
    ("registry", "PaperDecision"): "person__institution",
    ("programs", "Program"): "group__institution",
    ("programs", "ProgramEvent"): "program__group__institution",
    ("programs", "Evidence"): "event__program__group__institution",
    ("programs", "ProgramComment"): "program__group__institution",
    ("programs", "ProgramChange"): "program__group__institution",
    ("programs", "TermChange"): "program__group__institution",
    ("programs", "TermAgreement"): "term_change__program__group__institution",
    ("programs", "Meeting"): "program__group__institution",
    ("roadmap", "Roadmap"): "institution",
    ("roadmap", "Stage"): "roadmap__institution",
    ("roadmap", "Activity"): "stage__roadmap__institution",
    ("roadmap", "RoadmapChange"): "roadmap__institution",
    ("roadmap", "RoadmapVersion"): "roadmap__institution",
    ("reports", "QuestionnaireTemplate"): "institution",
    ("reports", "Question"): "template__institution",
    ("reports", "Survey"): "institution",
    ("reports", "Invitation"): "survey__institution",
    ("reports", "Response"): "survey__institution",
    ("reports", "Answer"): "response__survey__institution",
    ("reports", "GrowthRecord"): "person__institution",
    ("reports", "Practice"): "institution",
    ("reports", "PracticeMaterial"): "practice__institution",
    ("reports", "FinalReport"): "institution",
}

PATHS: dict = {}  # model class → the lookup path of TRACKED


def _check_path(model, path: str) -> None:
    """A wrong path in TRACKED fails at start-up, not in a view."""
    if path == SELF:
        return
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model


def register_path(model, path: str) -> None:
    _check_path(model, path)
    PATHS[model] = path


def path_of(model) -> str | None:
    return PATHS.get(model)


def institution_id_of(obj) -> int | None:
    """The institution an object belongs to, by the path of TRACKED: no query where the
    related objects are already loaded; empty for the shared reference lists and templates."""
    path = PATHS.get(type(obj))
    if path is None:
        return None
    if path == SELF:
        return obj.partner_of_id or obj.pk
    *hops, last = path.split("__")
    try:
        for name in hops:
            obj = getattr(obj, name)
            if obj is None:
                return None
    except ObjectDoesNotExist:  # a parent deleted in the same cascade
        return None
    return getattr(obj, f"{last}_id")
