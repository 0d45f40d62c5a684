"""Models of the registry: the banks (``banks``), mentoring groups and petitions
(``groups``), invitation codes and e-mail changes (``logins``), the head's orders
(``orders``), in-app notifications (``notifications``) and the public section
«Наставничество» (``public``)."""

from registry.models.agreements import AgreementAmendment, MentoringAgreement
from registry.models.banks import (
    DISSEMINATION_CATEGORIES,
    Competence,
    Consent,
    ConsentQuerySet,
    Difficulty,
    Direction,
    EducationLevel,
    GroupSize,
    MenteeCategory,
    MenteeProfile,
    MentoringForm,
    MentoringKind,
    MentorProfile,
    Mode,
    Organization,
    Person,
    PersonQuerySet,
    Position,
    QualificationCategory,
    ReferenceItem,
    ReferenceQuerySet,
    Role,
    RoleAssignment,
    SelfQuestionnaire,
    StaffImport,
    StaffImportColumnChoice,
    User,
    consent_upload_to,
)
from registry.models.council import CouncilMeeting
from registry.models.groups import GroupEvent, GroupMember, MentoringGroup, Petition
from registry.models.logins import EmailChange, InvitationCode
from registry.models.notifications import Letter, Notification
from registry.models.orders import Order
from registry.models.paper import PaperDecision
from registry.models.personal_data import DestructionAct
from registry.models.public import NewsItem, PublicDocument, PublicSection
from registry.models.subject_requests import SubjectRequest

__all__ = [
    "AgreementAmendment",
    "MentoringAgreement",
    "DISSEMINATION_CATEGORIES",
    "Competence",
    "Consent",
    "CouncilMeeting",
    "DestructionAct",
    "ConsentQuerySet",
    "Difficulty",
    "Direction",
    "EducationLevel",
    "EmailChange",
    "GroupEvent",
    "GroupMember",
    "InvitationCode",
    "MenteeCategory",
    "MenteeProfile",
    "MentoringForm",
    "MentoringGroup",
    "GroupSize",
    "MentoringKind",
    "MentorProfile",
    "Mode",
    "NewsItem",
    "Letter",
    "Notification",
    "Order",
    "PaperDecision",
    "Organization",
    "Person",
    "PersonQuerySet",
    "Petition",
    "Position",
    "PublicDocument",
    "PublicSection",
    "QualificationCategory",
    "ReferenceItem",
    "ReferenceQuerySet",
    "Role",
    "RoleAssignment",
    "SelfQuestionnaire",
    "StaffImport",
    "StaffImportColumnChoice",
    "SubjectRequest",
    "User",
    "consent_upload_to",
]
