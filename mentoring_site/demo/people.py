"""The demo's staff, their consents and the logins of a person per role."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission

from mentoring_site.demo.data import (
    DEMO_PASSWORD,
    DISTRICT_LOGIN,
    LOGINS,
    MENTEES,
    MENTORS,
    PARTNER_STAFF,
    STAFF,
)
from registry.models import (
    Consent,
    EducationLevel,
    Organization,
    Person,
    Role,
    RoleAssignment,
    User,
)


def create_staff(
    *, institution: Organization, college: Organization, positions: dict, today: date
) -> list[Person]:
    """The kindergarten's staff, then the college's: ``people[i]`` is the row ``i`` of
    ``STAFF + PARTNER_STAFF``."""
    people = []
    for index, row in enumerate(STAFF + PARTNER_STAFF):
        organization = institution if index < len(STAFF) else college
        person = _staff_member(index, row, institution, organization, positions, today)
        person.full_clean()
        person.save()
        people.append(person)
    return people


def _staff_member(index, row, institution, organization, positions, today) -> Person:
    last, first, patronymic, position, born, hired, category, total, ped = row
    return Person(
        institution=institution,
        organization=organization,
        last_name=last,
        first_name=first,
        patronymic=patronymic,
        birth_date=date(born, 1 + index % 12, 1 + (index * 3) % 27),
        position=positions[position],
        hired_on=date(hired, 9, 1) if hired else None,
        experience_total=Decimal(str(total)),
        experience_pedagogical=Decimal(str(ped)),
        experience_in_position=Decimal(str(min(total, max(today.year - (hired or today.year), 0)))),
        education_level=(
            EducationLevel.STUDENT if position == "студент" else EducationLevel.HIGHER_PEDAGOGICAL
        ),
        education="РГПУ им. А. И. Герцена, дошкольное образование"
        if born < 2004
        else "Педагогический колледж № 4, 3 курс",
        qualification_category=category,
        attestation_date=date(2023, 4, 20) if category in {"first", "highest"} else None,
        email=f"demo{index + 1}@ds64.example",
        phone=f"+7 921 000-{index + 10:02d}-{index + 20:02d}",
        # Two thirds reviewed this academic year; the rest wait on the curator's home.
        last_reviewed_on=today - timedelta(days=20) if index % 3 else date(2025, 5, 15),
    )


def give_consents(*, people: list[Person], today: date) -> None:
    """The processing consent of everyone in the banks, the demo mentor's consents to mentor
    and to share her practice, the head's to publish her name (she signs the Положение), and a
    dissemination consent withdrawn."""
    in_bank = set(MENTORS) | set(MENTEES) | {len(STAFF), len(STAFF) + 1}
    for index in sorted(in_bank):
        Consent.objects.create(
            person=people[index],
            kind=Consent.Kind.PROCESSING,
            given_on=date(2026, 9, 2),
            note="Бланк хранится у куратора",
        )
    Consent.objects.create(person=people[4], kind=Consent.Kind.MENTORING, given_on=date(2026, 9, 5))
    # Consents to dissemination as the law writes them (ст. 10.1): category by category.
    Consent.objects.create(
        person=people[4],
        kind=Consent.Kind.DISSEMINATION,
        given_on=date(2026, 9, 5),
        allows_name=True,
        allows_position=True,
        allows_participation=True,
        conditions="Фотографии не публиковать.",
        resource_url="https://ds64.example/nastavnichestvo/ds64-nevsky/",
    )
    # The head signs the Положение the public section publishes as text: her name is in it.
    Consent.objects.create(
        person=people[0],
        kind=Consent.Kind.DISSEMINATION,
        given_on=date(2026, 9, 1),
        allows_name=True,
        allows_position=True,
        resource_url="https://ds64.example/nastavnichestvo/ds64-nevsky/",
    )
    # A mentee who withdrew the dissemination consent: shows on the curator's home.
    Consent.objects.create(
        person=people[10],
        kind=Consent.Kind.DISSEMINATION,
        given_on=date(2026, 9, 2),
        withdrawn_on=today - timedelta(days=3),
    )


def create_logins(*, institution: Organization, people: list[Person]) -> dict[str, User]:
    """A login per line of ``LOGINS``, linked to its person, with its roles; by login."""
    users = {}
    for login, _title, roles, index in LOGINS:
        person = people[index]
        user = User.objects.create_user(
            username=login,
            password=DEMO_PASSWORD,
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            institution=institution,
        )
        for role in roles:
            # The curator's and the council's roles are backed by the orders the demo signs
            # next (mentoring_site/demo/orders.py, council.py); the head's by the founder's.
            founder = (
                {
                    "founder_issuer": "Администрация Невского района Санкт-Петербурга",
                    "founder_order_number": "215-к",
                    "founder_order_date": date(2019, 8, 20),
                }
                if role == Role.HEAD
                else {}
            )
            RoleAssignment.objects.create(user=user, role=role, **founder)
        person.user = user
        person.save(update_fields=["user"])
        users[login] = user
    return users


def create_methodologist() -> User:
    """The district's methodologist: no kindergarten of her own, the summary of all of them,
    and, as the installation's administrator, the reference lists every kindergarten shares."""
    methodologist = User.objects.create_user(
        username=DISTRICT_LOGIN,
        password=DEMO_PASSWORD,
        email="metodist@imc-nevsky.example.ru",
        first_name="Ирина",
        last_name="Соколова",
    )
    methodologist.user_permissions.add(
        Permission.objects.get(
            codename="run_institution_summary", content_type__app_label="reports"
        ),
        Permission.objects.get(codename="manage_shared_lists", content_type__app_label="registry"),
    )
    return methodologist
