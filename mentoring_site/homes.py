"""What waits for each role on its home page (UX.md «Home page per role»).

Each builder returns the context of ``templates/home/<role>.html``: counters that link to
the lists behind them. The later issues (groups, programs, roadmap) add their counters here.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from mentoring_site.academic_year import academic_year_label, academic_year_start
from registry.models import (
    Consent,
    MenteeProfile,
    MentorProfile,
    Person,
    RoleAssignment,
    SelfQuestionnaire,
)


@dataclass(frozen=True)
class Counter:
    label: str
    value: int
    url: str
    attention: bool = False


def _bank_counts(institution):
    today = timezone.localdate()
    year_start = academic_year_start(today)
    people = Person.objects.filter(institution=institution)
    return people.aggregate(
        total=Count("pk"),
        mentors=Count("pk", filter=Q(mentor_profile__isnull=False)),
        mentees=Count("pk", filter=Q(mentee_profile__isnull=False)),
        without_pair=Count(
            "pk",
            filter=Q(
                mentee_profile__status__in=[
                    MenteeProfile.Status.IN_BANK,
                    MenteeProfile.Status.WITHOUT_PAIR,
                ]
            ),
        ),
        not_reviewed=Count(
            "pk", filter=Q(last_reviewed_on__isnull=True) | Q(last_reviewed_on__lt=year_start)
        ),
    )


def _consent_problems(institution) -> int:
    """Bank members without an active processing consent (withdrawn or never recorded)."""
    return (
        Person.objects.filter(institution=institution)
        .filter(Q(mentor_profile__isnull=False) | Q(mentee_profile__isnull=False))
        .with_processing_consent()
        .filter(has_processing_consent=False)
        .count()
    )


def _waiting_questionnaires(institution) -> int:
    return SelfQuestionnaire.objects.filter(
        person__institution=institution, status=SelfQuestionnaire.Status.SUBMITTED
    ).count()


def curator(request, roles):
    institution = roles.institution
    counts = _bank_counts(institution)
    waiting = _waiting_questionnaires(institution)
    without_consent = _consent_problems(institution)
    people = reverse("registry:person-list")
    mentees = reverse("registry:mentee-list")
    withdrawn_recently = (
        Consent.objects.filter(
            person__institution=institution,
            withdrawn_on__gte=timezone.localdate() - timedelta(days=30),
        )
        .select_related("person")
        .order_by("-withdrawn_on")[:10]
    )
    return {
        "counters": [
            Counter(
                f"не актуализированы в {academic_year_label(timezone.localdate())} учебном году",
                counts["not_reviewed"],
                f"{people}?reviewed=no",
                attention=counts["not_reviewed"] > 0,
            ),
            Counter(
                "анкет ждут рассмотрения",
                waiting,
                f"{reverse('registry:questionnaire-list')}?status=submitted",
                attention=waiting > 0,
            ),
            Counter(
                "наставляемых без пары",
                counts["without_pair"],
                f"{mentees}?status=without_pair",
            ),
            Counter(
                "в банках без согласия на обработку ПДн",
                without_consent,
                f"{people}?consent=no",
                attention=without_consent > 0,
            ),
        ],
        "counts": counts,
        "withdrawn_recently": withdrawn_recently,
    }


def head(request, roles):
    counts = _bank_counts(roles.institution)
    return {
        "counts": counts,
        "counters": [
            Counter("участников в реестре", counts["total"], reverse("registry:person-list")),
            Counter("наставников", counts["mentors"], reverse("registry:mentor-list")),
            Counter("наставляемых", counts["mentees"], reverse("registry:mentee-list")),
            Counter(
                "наставляемых без пары",
                counts["without_pair"],
                f"{reverse('registry:mentee-list')}?status=without_pair",
            ),
        ],
        "curators": RoleAssignment.objects.filter(
            user__institution=roles.institution, role="curator", user__is_active=True
        ).select_related("user"),
    }


def council(request, roles):
    counts = _bank_counts(roles.institution)
    return {
        "counters": [
            Counter(
                "анкет ждут рассмотрения",
                _waiting_questionnaires(roles.institution),
                f"{reverse('registry:questionnaire-list')}?status=submitted",
            ),
            Counter(
                "наставляемых без пары",
                counts["without_pair"],
                f"{reverse('registry:mentee-list')}?status=without_pair",
            ),
            Counter("наставников в банке", counts["mentors"], reverse("registry:mentor-list")),
        ],
    }


def sysadmin(request, roles):
    institution = roles.institution
    users = institution.users.aggregate(
        total=Count("pk"), inactive=Count("pk", filter=Q(is_active=False))
    )
    without_account = Person.objects.filter(
        institution=institution, organization=institution, user__isnull=True
    ).count()
    return {
        "counters": [
            Counter("учётных записей", users["total"], reverse("registry:user-list")),
            Counter(
                "сотрудников без учётной записи", without_account, reverse("registry:user-list")
            ),
            Counter(
                "отключённых учётных записей", users["inactive"], reverse("registry:user-list")
            ),
        ],
    }


def _own_questionnaires(person):
    return list(person.questionnaires.order_by("-submitted_at")[:5])


def mentor(request, roles):
    profile = (
        MentorProfile.objects.filter(person=roles.person)
        .prefetch_related("competences__direction")
        .first()
    )
    return {"profile": profile, "questionnaires": _own_questionnaires(roles.person)}


def mentee(request, roles):
    profile = (
        MenteeProfile.objects.filter(person=roles.person)
        .select_related("category")
        .prefetch_related("difficulties__direction")
        .first()
    )
    return {"profile": profile, "questionnaires": _own_questionnaires(roles.person)}


def teacher(request, roles):
    return {"questionnaires": _own_questionnaires(roles.person)}


BUILDERS = {
    "curator": curator,
    "head": head,
    "council": council,
    "sysadmin": sysadmin,
    "mentor": mentor,
    "mentee": mentee,
    "teacher": teacher,
}
