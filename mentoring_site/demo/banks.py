"""The demo's banks of mentors and of mentees (п. 4), and two questionnaires waiting for the
curator (этапы 2.1 и 3.1 of the roadmap)."""

from datetime import date, timedelta

from mentoring_site.demo.data import MENTEES, MENTORS, STAFF
from mentoring_site.demo.institution import References
from registry.models import (
    Competence,
    Consent,
    Difficulty,
    MenteeProfile,
    MentorProfile,
    Mode,
    Person,
    SelfQuestionnaire,
)


def fill_mentor_bank(*, people: list[Person], references: References) -> None:
    """The mentors of ``MENTORS`` with their competences, and the college's practice tutor."""
    forms, kinds, directions = references.forms, references.kinds, references.directions
    for index, (direction_names, capacity, trained) in MENTORS.items():
        profile = MentorProfile.objects.create(
            person=people[index],
            experience="Наставник молодых педагогов с 2015 года",
            awards="Победитель районного конкурса «Воспитатель года»" if index == 4 else "",
            capacity=capacity,
            training_completed_on=date(2026, 10, 15) if trained else None,
            training_note="Курсы «Наставничество в образовании», ИМЦ Невского района"
            if trained
            else "",
        )
        profile.ready_forms.set(forms[:2])
        profile.ready_kinds.set([kinds[6], kinds[2]])
        for name in direction_names:
            Competence.objects.create(mentor=profile, direction=directions[name])
    college_mentor = MentorProfile.objects.create(
        person=people[len(STAFF)], experience="Руководитель педагогической практики", capacity=3
    )
    college_mentor.ready_forms.set([forms[3]])
    Competence.objects.create(mentor=college_mentor, direction=directions["научно-теоретическое"])


def fill_mentee_bank(*, people: list[Person], references: References) -> None:
    """The mentees of ``MENTEES`` with their difficulties, and the college's intern."""
    directions, categories = references.directions, references.categories
    for index, (category, status, difficulties, strengths) in MENTEES.items():
        profile = MenteeProfile.objects.create(
            person=people[index],
            category=categories[category],
            status=status,
            strengths=strengths,
            preferred_mode=Mode.OFFLINE if index % 2 else Mode.MIXED,
            support_note="Консультации старшего воспитателя, поиск наставника продолжается"
            if status == "without_pair"
            else "",
        )
        profile.preferred_kinds.set([references.kinds[6]])
        for direction_name, text in difficulties:
            Difficulty.objects.create(
                mentee=profile, direction=directions[direction_name], text=text
            )
    intern = MenteeProfile.objects.create(
        person=people[len(STAFF) + 1], category=categories["студент-практикант"]
    )
    Difficulty.objects.create(
        mentee=intern,
        direction=directions["предметно-профессиональное"],
        text="Педагогическая практика",
    )


def submit_questionnaires(*, people: list[Person], references: References, today: date) -> None:
    """A teacher offers herself as a mentor, another asks for one; both gave the processing
    consent in the questionnaire unless they had one on paper."""
    SelfQuestionnaire.objects.create(
        person=people[17],
        kind=SelfQuestionnaire.Kind.MENTOR,
        answers=_mentor_answers(references),
    )
    SelfQuestionnaire.objects.create(
        person=people[21],
        kind=SelfQuestionnaire.Kind.MENTEE_REQUEST,
        answers=_mentee_request_answers(references),
    )
    for index in (17, 21):
        if not Consent.objects.filter(person=people[index]).exists():
            Consent.objects.create(
                person=people[index],
                kind=Consent.Kind.PROCESSING,
                method=Consent.Method.ONLINE,
                given_on=today - timedelta(days=2),
                note="Дано в анкете в личном кабинете",
            )


def _mentor_answers(references: References) -> dict:
    forms, kinds = references.forms, references.kinds
    return {
        "competences": [
            {
                "direction_id": references.directions["методическое"].pk,
                "direction": "методическое",
                "text": "Проектная деятельность с детьми старшего возраста",
            }
        ],
        "experience": "Помогала студентам-практикантам",
        "awards": "",
        "ready_forms": [{"id": forms[0].pk, "name": forms[0].name}],
        "ready_kinds": [{"id": kinds[6].pk, "name": kinds[6].name}],
        "capacity": 2,
        "training_completed_on": None,
        "training_note": "",
        "mentoring_consent_ready": True,
        "comment": "",
        "processing_consent": True,
    }


def _mentee_request_answers(references: References) -> dict:
    category = references.categories["профессиональные затруднения"]
    kind = references.kinds[5]
    return {
        "category": {"id": category.pk, "name": "профессиональные затруднения"},
        "difficulties": [
            {
                "direction_id": references.directions["ИКТ-компетенции"].pk,
                "direction": "ИКТ-компетенции",
                "text": "Интерактивная доска и презентации для занятий",
            }
        ],
        "strengths": "Музыкальность",
        "preferred_forms": [],
        "preferred_kinds": [{"id": kind.pk, "name": kind.name}],
        "preferred_mode": {"value": "offline", "name": "очный"},
        "comment": "",
        "processing_consent": True,
    }
