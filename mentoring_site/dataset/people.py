"""The staff of every institution (two of them from its partner college), their logins and the
assigned roles."""

from datetime import date, timedelta
from decimal import Decimal

from mentoring_site.dataset.batch import Batch
from mentoring_site.dataset.data import (
    FIRST_NAMES,
    GROUPS_PER_YEAR,
    LAST_NAMES,
    MENTEES,
    MENTORS,
    PARTNER_STAFF,
    PATRONYMICS,
    PEOPLE_PER_INSTITUTION,
    STAFF_POSITIONS,
    YEARS,
)
from mentoring_site.lib.collation import normalize_for_search
from registry.models import (
    EducationLevel,
    Organization,
    Person,
    QualificationCategory,
    Role,
    RoleAssignment,
    User,
)

# Index 0 head, 1 curator, 2 council; a mentor and a mentee of an active pair (the first
# mentee of the current year) and a teacher with no profile (26) have named logins.
NAMED_LOGINS = {
    0: "head",
    1: "curator",
    2: "council",
    MENTORS[((YEARS - 1) * GROUPS_PER_YEAR) % len(MENTORS)]: "mentor",
    MENTEES[0] + (YEARS - 1) * GROUPS_PER_YEAR: "mentee",
    26: "teacher",
}


def create_people(
    batch: Batch, institutions: list[Organization], colleges: list[Organization]
) -> dict[int, list[Person]]:
    """``PEOPLE_PER_INSTITUTION`` people of each institution by its number: 0 the head, 1 the
    curator, the last ``PARTNER_STAFF`` from the college. The head signs the institution."""
    people_of = {}
    for number, institution, college in zip(batch.numbers, institutions, colleges, strict=True):
        people_of[number] = _person_rows(batch, number, institution, college)
    batch.counts.add("Person", Person.objects.bulk_create(_everyone(people_of)))
    for number, institution in zip(batch.numbers, institutions, strict=True):
        institution.head_name = people_of[number][0].full_name
    Organization.objects.bulk_update(institutions, ["head_name"])
    return people_of


def _everyone(people_of: dict[int, list[Person]]) -> list[Person]:
    return [person for people in people_of.values() for person in people]


def _person_rows(batch: Batch, number: int, institution, college) -> list[Person]:
    rng, reference, today = batch.rng, batch.reference, batch.today
    by_name = {p.name: p for p in reference.positions}
    staff_positions = [by_name.get(name) for name in STAFF_POSITIONS if name in by_name]
    staff_positions = staff_positions or reference.positions[:3]
    student = by_name.get("студент") or reference.positions[-1]
    seen, rows = set(), []
    for index in range(PEOPLE_PER_INSTITUTION):
        partner = index >= PEOPLE_PER_INSTITUTION - PARTNER_STAFF
        while True:
            born = date(
                (2003 if partner else 1965) + rng.randint(0, 4 if partner else 35),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
            name = (rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES), rng.choice(PATRONYMICS))
            if name + (born,) not in seen:
                seen.add(name + (born,))
                break
        hired = None if partner else date(min(born.year + 21 + rng.randint(0, 20), 2025), 9, 1)
        total = Decimal(0) if hired is None else Decimal(today.year - hired.year)
        person = Person(
            institution=institution,
            organization=college if partner else institution,
            last_name=name[0],
            first_name=name[1],
            patronymic=name[2],
            birth_date=born,
            position=student if partner else rng.choice(staff_positions),
            hired_on=hired,
            experience_total=total,
            experience_pedagogical=total,
            experience_in_position=total,
            education_level=EducationLevel.STUDENT
            if partner
            else EducationLevel.HIGHER_PEDAGOGICAL,
            education="Педагогический колледж, 3 курс" if partner else "РГПУ им. А. И. Герцена",
            qualification_category=rng.choice(list(QualificationCategory.values)),
            email=f"p{index + 1:02d}@ds{number:04d}.example",
            last_reviewed_on=today - timedelta(days=rng.randint(1, 400)),
        )
        # As Person.save() does: the search column bulk_create would leave empty.
        person.search_name = normalize_for_search(person.full_name)
        rows.append(person)
    return rows


def create_logins(
    batch: Batch, institutions: list[Organization], people_of: dict[int, list[Person]]
) -> dict[int, User]:
    """A login for every person (``ds0001-p07`` or a named one) and a system administrator
    per institution, all with the one hashed password. Returns the administrators by number."""
    password = batch.reference.password
    users = []
    for number, institution in zip(batch.numbers, institutions, strict=True):
        for index, person in enumerate(people_of[number]):
            users.append(
                User(
                    username=_login(number, index),
                    password=password,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    email=person.email,
                    institution=institution,
                )
            )
        users.append(
            User(
                username=f"ds{number:04d}-sysadmin",
                password=password,
                first_name="Системный",
                last_name="Администратор",
                institution=institution,
            )
        )
    batch.counts.add("User", User.objects.bulk_create(users))
    user_iter = iter(users)
    sysadmin_of = {}
    for number in batch.numbers:
        for person in people_of[number]:
            person.user = next(user_iter)
        sysadmin_of[number] = next(user_iter)
    Person.objects.bulk_update(_everyone(people_of), ["user"], batch_size=2000)
    return sysadmin_of


def _login(number: int, index: int) -> str:
    return f"ds{number:04d}-{NAMED_LOGINS.get(index, f'p{index + 1:02d}')}"


def assign_roles(
    batch: Batch, people_of: dict[int, list[Person]], sysadmin_of: dict[int, User]
) -> None:
    """The head, the curator (a council member too), two more council members and the
    system administrator of each institution."""
    assignments = []
    for number in batch.numbers:
        people = people_of[number]
        assignments += [
            RoleAssignment(user=people[0].user, role=Role.HEAD),
            RoleAssignment(user=people[1].user, role=Role.CURATOR),
            RoleAssignment(user=people[1].user, role=Role.COUNCIL),
            RoleAssignment(user=people[2].user, role=Role.COUNCIL),
            RoleAssignment(user=people[3].user, role=Role.COUNCIL),
            RoleAssignment(user=sysadmin_of[number], role=Role.SYSADMIN),
        ]
    batch.counts.add("RoleAssignment", RoleAssignment.objects.bulk_create(assignments))
