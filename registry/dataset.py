"""A synthetic city of kindergartens for load tests and benchmarks (issue 9).

``manage.py generate_dataset --institutions N`` builds N institutions, each with about 30
people (a partner college among them), the bank of mentors and mentees, nine pairs and groups
over three academic years with their orders «О закреплении…», a program of 15 events for each
group, a roadmap of the current year approved by an order, and a satisfaction survey with its
answers. For N = 1,000 that is a city the size of Saint Petersburg: 30,000 people, 9,000
groups and programs, 135,000 events, 5,000 orders, 20,000 answers.

Everything is written with ``bulk_create`` in batches of institutions, and every row keeps the
models' constraints: ``Person.search_name`` is filled as ``Person.save()`` fills it, names are
unique within an institution, signed orders have a number and a date, finished programs a
reason, approved roadmaps an order and a version. A seeded ``random.Random`` draws everything,
so the same seed and the same ``today`` build the same city.

Logins: ``ds0001-head``, ``ds0001-curator``, ``ds0001-council``, ``ds0001-sysadmin`` for the
assigned roles of institution 1, ``ds0001-mentor``, ``ds0001-mentee``, ``ds0001-teacher`` for a
mentor, a mentee in an active pair and a teacher with no profile; every other person has a login
``ds0001-p07``. All share one password (``DATASET_PASSWORD``), hashed once.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from mentoring_site.lib.academic_year import academic_year_start
from mentoring_site.lib.collation import normalize_for_search

DATASET_PASSWORD = "gorod-nastavnikov-2026"  # noqa: S105 — synthetic data only
PEOPLE_PER_INSTITUTION = 30
PARTNER_STAFF = 2
MENTORS = range(5, 14)  # people indexes: 9 mentors
MENTEES = range(14, 26)  # 12 mentees
GROUPS_PER_YEAR = 3
EVENTS_PER_PROGRAM = 15
YEARS = 3
ANSWERS_PER_INSTITUTION = 20

LAST_NAMES = [
    "Иванова",
    "Смирнова",
    "Кузнецова",
    "Попова",
    "Васильева",
    "Петрова",
    "Соколова",
    "Михайлова",
    "Новикова",
    "Фёдорова",
    "Морозова",
    "Волкова",
    "Алексеева",
    "Лебедева",
    "Семёнова",
    "Егорова",
    "Павлова",
    "Козлова",
    "Степанова",
    "Николаева",
    "Орлова",
    "Андреева",
    "Макарова",
    "Никитина",
    "Захарова",
    "Зайцева",
    "Соловьёва",
    "Борисова",
    "Яковлева",
    "Григорьева",
    "Романова",
    "Воробьёва",
    "Сергеева",
    "Кузьмина",
    "Фролова",
    "Александрова",
    "Дмитриева",
    "Королёва",
    "Гусева",
    "Киселёва",
    "Ильина",
    "Максимова",
    "Полякова",
    "Сорокина",
    "Виноградова",
    "Ковалёва",
    "Белова",
    "Медведева",
    "Антонова",
    "Тарасова",
    "Жукова",
    "Баранова",
    "Филиппова",
    "Комарова",
    "Давыдова",
    "Беляева",
    "Герасимова",
    "Богданова",
]
FIRST_NAMES = [
    "Анна",
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Светлана",
    "Мария",
    "Юлия",
    "Екатерина",
    "Марина",
    "Людмила",
    "Галина",
    "Надежда",
    "Валентина",
    "Оксана",
    "Алёна",
    "Дарья",
    "Ксения",
    "Виктория",
    "Полина",
    "Алина",
    "Вера",
    "Лариса",
]
PATRONYMICS = [
    "Александровна",
    "Сергеевна",
    "Владимировна",
    "Николаевна",
    "Викторовна",
    "Андреевна",
    "Игоревна",
    "Юрьевна",
    "Михайловна",
    "Петровна",
    "Олеговна",
    "Дмитриевна",
    "Геннадьевна",
    "Васильевна",
    "Алексеевна",
    "Ивановна",
]
DISTRICTS = [
    "Адмиралтейского",
    "Василеостровского",
    "Выборгского",
    "Калининского",
    "Кировского",
    "Колпинского",
    "Красногвардейского",
    "Красносельского",
    "Кронштадтского",
    "Курортного",
    "Московского",
    "Невского",
    "Петроградского",
    "Петродворцового",
    "Приморского",
    "Пушкинского",
    "Фрунзенского",
    "Центрального",
]
STAFF_POSITIONS = ("воспитатель", "старший воспитатель", "музыкальный руководитель")


@dataclass
class Counts:
    """What was created, by model name (the command prints it, the test compares it)."""

    rows: dict = field(default_factory=dict)

    def add(self, name: str, created: list) -> list:
        self.rows[name] = self.rows.get(name, 0) + len(created)
        return created


@dataclass
class Reference:
    """The shared reference lists the dataset draws from (seeded by the migrations)."""

    positions: list
    directions: list
    categories: list
    forms: list
    kinds: list
    event_forms: list
    library: dict  # direction id -> [TypicalEvent]
    survey_template: object
    questions: list
    password: str


def load_reference() -> Reference:
    from programs.models import EventForm, TypicalEvent
    from registry.models import Direction, MenteeCategory, MentoringForm, MentoringKind, Position
    from reports.models import Question, QuestionnaireTemplate

    library: dict = {}
    for typical in TypicalEvent.objects.filter(is_active=True).order_by("id"):
        library.setdefault(typical.direction_id, []).append(typical)
    template = (
        QuestionnaireTemplate.objects.filter(
            institution=None, purpose=QuestionnaireTemplate.Purpose.SATISFACTION_MENTEE
        )
        .order_by("id")
        .first()
    )
    return Reference(
        positions=list(Position.objects.order_by("sort_order", "id")),
        directions=list(Direction.objects.order_by("sort_order", "id")),
        categories=list(MenteeCategory.objects.order_by("sort_order", "id")),
        forms=list(MentoringForm.objects.order_by("sort_order", "id")),
        kinds=list(MentoringKind.objects.order_by("sort_order", "id")),
        event_forms=list(EventForm.objects.order_by("sort_order", "id")),
        library=library,
        survey_template=template,
        questions=list(Question.objects.filter(template=template).order_by("position", "id"))
        if template
        else [],
        password=make_password(DATASET_PASSWORD),
    )


def generate(
    *,
    institutions: int,
    seed: int = 2026,
    today: date | None = None,
    batch: int = 50,
    progress=None,
) -> Counts:
    """Build ``institutions`` institutions, ``batch`` at a time (one transaction each).
    ``progress(done, total)`` is called after each batch. Returns the counts created."""
    today = today or timezone.localdate()
    reference = load_reference()
    counts = Counts()
    rng = random.Random(seed)
    from registry.models import Organization

    first = Organization.objects.filter(partner_of=None, short_name__startswith="ДС ").count() + 1
    for start in range(first, first + institutions, batch):
        numbers = range(start, min(start + batch, first + institutions))
        with transaction.atomic():
            _build_batch(numbers, rng=rng, today=today, reference=reference, counts=counts)
        if progress is not None:
            progress(numbers[-1] - first + 1, institutions)
    return counts


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _person_rows(number: int, institution, college, rng: random.Random, reference, today):
    from registry.models import EducationLevel, Person, QualificationCategory

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


def _login(number: int, index: int, roles: dict) -> str:
    return f"ds{number:04d}-{roles.get(index, f'p{index + 1:02d}')}"


def _build_batch(numbers, *, rng: random.Random, today: date, reference: Reference, counts):
    from programs.models import Program, ProgramEvent
    from registry.models import (
        Competence,
        Consent,
        Difficulty,
        GroupEvent,
        GroupMember,
        MenteeProfile,
        MentoringGroup,
        MentorProfile,
        Order,
        Organization,
        Person,
        Role,
        RoleAssignment,
        User,
    )
    from reports.models import Answer, Invitation, Response, Survey
    from roadmap import template
    from roadmap.models import Activity, Roadmap, RoadmapVersion, Stage
    from roadmap.services import order_title, roadmap_snapshot

    current = academic_year_start(today).year
    years = [current - YEARS + 1 + k for k in range(YEARS)]
    has_slug = any(f.name == "public_slug" for f in Organization._meta.get_fields())

    # Institutions and their partner colleges -----------------------------------------------
    institutions = []
    for number in numbers:
        district = DISTRICTS[number % len(DISTRICTS)]
        org = Organization(
            name=f"Государственное бюджетное дошкольное образовательное учреждение детский сад "
            f"№ {number} {district} района Санкт-Петербурга",
            short_name=f"ДС № {number:04d}",
            kind=Organization.Kind.KINDERGARTEN,
            address=f"Санкт-Петербург, {district} район (синтетический адрес)",
            head_name="",
        )
        if has_slug:
            org.public_slug = f"ds{number:04d}"
        institutions.append(org)
    counts.add("Organization", Organization.objects.bulk_create(institutions))
    colleges = counts.add(
        "Organization",
        Organization.objects.bulk_create(
            Organization(
                name=f"Педагогический колледж — партнёр ДС № {number:04d}",
                short_name=f"Колледж ДС № {number:04d}",
                kind=Organization.Kind.COLLEGE,
                partner_of=institution,
            )
            for number, institution in zip(numbers, institutions, strict=True)
        ),
    )

    # People, logins and roles ---------------------------------------------------------------
    people_of = {}
    all_people = []
    for number, institution, college in zip(numbers, institutions, colleges, strict=True):
        people_of[number] = _person_rows(number, institution, college, rng, reference, today)
        all_people.extend(people_of[number])
    counts.add("Person", Person.objects.bulk_create(all_people))
    heads = []
    for number, institution in zip(numbers, institutions, strict=True):
        head = people_of[number][0]
        institution.head_name = head.full_name
        heads.append(institution)
    Organization.objects.bulk_update(heads, ["head_name"])

    # Index 0 head, 1 curator, 2 council; a mentor and a mentee of an active pair (the first
    # mentee of the current year) and a teacher with no profile (26) have named logins.
    mentee_login = MENTEES[0] + (YEARS - 1) * GROUPS_PER_YEAR
    active_mentor = MENTORS[((YEARS - 1) * GROUPS_PER_YEAR) % len(MENTORS)]
    named = {0: "head", 1: "curator", 2: "council", active_mentor: "mentor"}
    named[mentee_login] = "mentee"
    named[26] = "teacher"
    users = []
    for number, institution in zip(numbers, institutions, strict=True):
        for index, person in enumerate(people_of[number]):
            users.append(
                User(
                    username=_login(number, index, named),
                    password=reference.password,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    email=person.email,
                    institution=institution,
                )
            )
        users.append(
            User(
                username=f"ds{number:04d}-sysadmin",
                password=reference.password,
                first_name="Системный",
                last_name="Администратор",
                institution=institution,
            )
        )
    counts.add("User", User.objects.bulk_create(users))
    user_iter = iter(users)
    user_of = {}
    for number in numbers:
        for person in people_of[number]:
            person.user = next(user_iter)
        user_of[number] = next(user_iter)  # the sysadmin
    Person.objects.bulk_update(all_people, ["user"], batch_size=2000)
    assignments = []
    for number in numbers:
        people = people_of[number]
        assignments += [
            RoleAssignment(user=people[0].user, role=Role.HEAD),
            RoleAssignment(user=people[1].user, role=Role.CURATOR),
            RoleAssignment(user=people[1].user, role=Role.COUNCIL),
            RoleAssignment(user=people[2].user, role=Role.COUNCIL),
            RoleAssignment(user=people[3].user, role=Role.COUNCIL),
            RoleAssignment(user=user_of[number], role=Role.SYSADMIN),
        ]
    counts.add("RoleAssignment", RoleAssignment.objects.bulk_create(assignments))

    # The banks -------------------------------------------------------------------------------
    first_day = date(years[0], 9, 2)
    consents, mentor_profiles, mentee_profiles = [], [], []
    for number in numbers:
        people = people_of[number]
        for index in [*MENTORS, *MENTEES]:
            consents.append(
                Consent(person=people[index], kind=Consent.Kind.PROCESSING, given_on=first_day)
            )
        for index in MENTORS:
            consents.append(
                Consent(person=people[index], kind=Consent.Kind.MENTORING, given_on=first_day)
            )
            mentor_profiles.append(
                MentorProfile(
                    person=people[index],
                    experience="Наставник молодых педагогов",
                    capacity=rng.randint(2, 3),
                    training_completed_on=date(years[0], 10, 15) if rng.random() < 0.6 else None,
                )
            )
        for index in MENTEES:
            mentee_profiles.append(
                MenteeProfile(
                    person=people[index],
                    category=rng.choice(reference.categories),
                    status=MenteeProfile.Status.IN_BANK,
                )
            )
    counts.add("Consent", Consent.objects.bulk_create(consents))
    counts.add("MentorProfile", MentorProfile.objects.bulk_create(mentor_profiles))
    counts.add("MenteeProfile", MenteeProfile.objects.bulk_create(mentee_profiles))
    competences, difficulties = [], []
    for profile in mentor_profiles:
        for direction in rng.sample(reference.directions, rng.randint(1, 3)):
            competences.append(Competence(mentor=profile, direction=direction))
    for profile in mentee_profiles:
        for direction in rng.sample(reference.directions, rng.randint(1, 3)):
            difficulties.append(
                Difficulty(mentee=profile, direction=direction, text=f"Затруднение: {direction}")
            )
    counts.add("Competence", Competence.objects.bulk_create(competences))
    counts.add("Difficulty", Difficulty.objects.bulk_create(difficulties))

    # Orders: the regulation, a groups order each year, the roadmap of the current year --------
    orders, order_of = [], {}
    for number, institution in zip(numbers, institutions, strict=True):
        head_user = people_of[number][0].user
        curator_user = people_of[number][1].user

        def signed(
            kind,
            title,
            on,
            serial,
            items,
            *,
            institution=institution,
            head=head_user,
            by=curator_user,
        ):
            return Order(
                institution=institution,
                kind=kind,
                status=Order.Status.SIGNED,
                number=f"{serial}-од",
                date=on,
                year=on.year,
                title=title,
                basis="Положение о системе (целевой модели) наставничества педагогических "
                "работников (п. 3.2).",
                items=items,
                created_by=by,
                created_at=_aware(on, 9),
                signed_by=head,
                signed_at=_aware(on, 12),
                is_public=kind != Order.Kind.GROUPS,
            )

        regulation = signed(
            Order.Kind.REGULATION,
            Order.Kind.REGULATION.label,
            date(years[0], 9, 1),
            10,
            ["Утвердить Положение о системе (целевой модели) наставничества (приложение)."],
        )
        orders.append(regulation)
        order_of[number, "regulation"] = regulation
        for k, year in enumerate(years):
            order = signed(
                Order.Kind.GROUPS,
                Order.Kind.GROUPS.label,
                date(year, 10, 1),
                40 + k,
                ["Закрепить наставнические пары и группы согласно приложению."],
            )
            orders.append(order)
            order_of[number, year] = order
        order = signed(
            Order.Kind.ROADMAP,
            f"Об утверждении дорожной карты на {current}/{current + 1} учебный год",
            date(current, 9, 10),
            15,
            ["Утвердить дорожную карту (план мероприятий) на учебный год (приложение)."],
        )
        orders.append(order)
        order_of[number, "roadmap"] = order
    counts.add("Order", Order.objects.bulk_create(orders))

    # Groups: three a year, each a mentor with one or two mentees ------------------------------
    groups, members, group_events, programs = [], [], [], []
    mentor_by_person = {p.person_id: p for p in mentor_profiles}
    mentee_by_person = {p.person_id: p for p in mentee_profiles}
    for number, institution in zip(numbers, institutions, strict=True):
        people = people_of[number]
        curator_user = people[1].user
        for k, year in enumerate(years):
            is_current = year == current
            for g in range(GROUPS_PER_YEAR):
                mentor = people[MENTORS[(k * GROUPS_PER_YEAR + g) % len(MENTORS)]]
                first_mentee = MENTEES[0] + k * GROUPS_PER_YEAR + g
                mentees = [people[first_mentee]]
                if g == 0 and first_mentee + len(MENTEES) // 2 < MENTEES[-1] + 1:
                    mentees.append(people[first_mentee + len(MENTEES) // 2])
                start, end = date(year, 10, 1), date(year + 1, 5, 31)
                order = order_of[number, year]
                group = MentoringGroup(
                    institution=institution,
                    status=MentoringGroup.Status.ACTIVE
                    if is_current
                    else MentoringGroup.Status.COMPLETED,
                    form=reference.forms[g % len(reference.forms)],
                    planned_start=start,
                    planned_end=end,
                    curator=curator_user,
                    rationale="Запросы наставляемого совпадают с компетенциями наставника.",
                    proposed_by=curator_user,
                    proposed_at=_aware(date(year, 9, 20)),
                    submitted_at=_aware(date(year, 9, 25)),
                    decided_at=order.signed_at,
                    order=order,
                )
                groups.append(group)
                members.append(
                    GroupMember(
                        group=group,
                        person=mentor,
                        role=GroupMember.Role.MENTOR,
                        response=GroupMember.Response.CONFIRMED,
                        responded_at=_aware(date(year, 9, 22)),
                        agreement_number=f"ДС-{year}-{g + 1}",
                        agreement_date=date(year, 9, 28),
                        joined_on=start,
                    )
                )
                for mentee in mentees:
                    members.append(
                        GroupMember(
                            group=group,
                            person=mentee,
                            role=GroupMember.Role.MENTEE,
                            response=GroupMember.Response.CONFIRMED,
                            responded_at=_aware(date(year, 9, 22)),
                            joined_on=start,
                        )
                    )
                group_events.append(
                    GroupEvent(
                        group=group,
                        at=order.signed_at,
                        actor=people[0].user,
                        text=f"Утверждена приказом № {order.number}",
                    )
                )
                programs.append(
                    (group, mentor, mentees, start, end, is_current, people[1].user, year)
                )
    counts.add("MentoringGroup", MentoringGroup.objects.bulk_create(groups))
    counts.add("GroupMember", GroupMember.objects.bulk_create(members))
    counts.add("GroupEvent", GroupEvent.objects.bulk_create(group_events))
    Through = MentoringGroup.directions.through
    difficulties_of: dict = {}
    for item in difficulties:
        difficulties_of.setdefault(item.mentee_id, []).append(item)
    group_directions, group_kinds, covered = [], [], []
    KindThrough = MentoringGroup.kinds.through
    CoveredThrough = Order.covered_groups.through
    for group, _mentor, mentees, *_ in programs:
        directions = {
            d.direction_id for m in mentees for d in difficulties_of[mentee_by_person[m.pk].pk]
        }
        group_directions += [
            Through(mentoringgroup_id=group.pk, direction_id=d) for d in sorted(directions)
        ]
        group_kinds.append(
            KindThrough(mentoringgroup_id=group.pk, mentoringkind_id=reference.kinds[0].pk)
        )
        covered.append(CoveredThrough(order_id=group.order_id, mentoringgroup_id=group.pk))
    Through.objects.bulk_create(group_directions)
    KindThrough.objects.bulk_create(group_kinds)
    CoveredThrough.objects.bulk_create(covered)

    # Mentee status follows their latest group: in a pair now, or completed.
    current_mentees, past_mentees = set(), set()
    for _group, _mentor, mentees, _s, _e, is_current, *_ in programs:
        (current_mentees if is_current else past_mentees).update(m.pk for m in mentees)
    for profile in mentee_profiles:
        if profile.person_id in current_mentees:
            profile.status = MenteeProfile.Status.IN_PAIR
        elif profile.person_id in past_mentees:
            profile.status = MenteeProfile.Status.COMPLETED
    MenteeProfile.objects.bulk_update(mentee_profiles, ["status"], batch_size=2000)

    # Programs and their events ---------------------------------------------------------------
    program_rows, event_rows = [], []
    for group, _mentor, mentees, start, end, is_current, curator_user, _year in programs:
        program = Program(
            group=group,
            status=Program.Status.ACTIVE if is_current else Program.Status.COMPLETED,
            problem="Недостаточный опыт организации образовательной деятельности.",
            goals="Развитие профессиональных компетенций наставляемого.",
            content="Консультации, взаимопосещения, совместная разработка занятий.",
            start=start,
            end=end,
            planned_results="Наставляемый самостоятельно планирует и проводит занятия.",
            schedule="Вторник, 15:00",
            created_by=curator_user,
            created_at=_aware(start - timedelta(days=5)),
            submitted_at=_aware(start - timedelta(days=3)),
            approved_at=_aware(start - timedelta(days=1)),
            approved_by=curator_user,
            finished_on=None if is_current else end,
            reason="" if is_current else Program.Reason.PLAN_DONE,
            mentee_result="" if is_current else "План выполнен, наставляемый аттестован.",
        )
        program_rows.append(program)
        directions = [
            d.direction for m in mentees for d in difficulties_of[mentee_by_person[m.pk].pk]
        ]
        for position in range(EVENTS_PER_PROGRAM):
            direction = directions[position % len(directions)]
            typical = reference.library.get(direction.pk) or [None]
            pick = typical[position % len(typical)]
            deadline = start + timedelta(days=14 * (position + 1))
            if not is_current:
                status, done_on = ProgramEvent.Status.DONE, deadline
            elif deadline < today - timedelta(days=7):
                done = rng.random() < 0.85
                status = ProgramEvent.Status.DONE if done else ProgramEvent.Status.OVERDUE
                done_on = deadline if done else None
            else:
                status, done_on = ProgramEvent.Status.PLANNED, None
            event_rows.append(
                ProgramEvent(
                    program=program,
                    direction=direction,
                    title=pick.title if pick else f"Консультация: {direction}",
                    form=pick.form if pick else reference.event_forms[0],
                    deadline=min(deadline, end),
                    expected_result=pick.expected_result if pick else "",
                    status=status,
                    done_on=done_on,
                    actual_result="Проведено" if done_on else "",
                    position=position,
                )
            )
    counts.add("Program", Program.objects.bulk_create(program_rows))
    counts.add("ProgramEvent", ProgramEvent.objects.bulk_create(event_rows, batch_size=5000))
    del mentor_by_person

    # The roadmap of the current year, approved, with its version ------------------------------
    roadmaps, stages, activities = [], [], []
    for number, institution in zip(numbers, institutions, strict=True):
        roadmaps.append(
            Roadmap(
                institution=institution,
                year_start=current,
                status=Roadmap.Status.APPROVED,
                order=order_of[number, "roadmap"],
                created_by=people_of[number][1].user,
                created_at=_aware(date(current, 9, 1)),
                submitted_at=_aware(date(current, 9, 5)),
                approved_at=order_of[number, "roadmap"].signed_at,
            )
        )
    counts.add("Roadmap", Roadmap.objects.bulk_create(roadmaps))
    for number, roadmap in zip(numbers, roadmaps, strict=True):
        curator = people_of[number][1]
        for item in template.STAGES:
            stage = Stage(roadmap=roadmap, number=item.number, title=item.title)
            stages.append(stage)
            for position, entry in enumerate(item.activities, start=1):
                deadline = template.on_year(current, entry.deadline)
                done = deadline < today
                activities.append(
                    Activity(
                        stage=stage,
                        position=position,
                        title=entry.title,
                        content=entry.content,
                        starts_on=template.on_year(current, entry.start),
                        deadline=deadline,
                        responsible=curator
                        if entry.responsible_note.startswith("куратор")
                        else None,
                        responsible_note=entry.responsible_note,
                        expected_result=entry.expected_result,
                        measure=entry.measure,
                        status=Activity.Status.DONE if done else Activity.Status.PLANNED,
                        done_on=deadline if done else None,
                        done_by=curator.user if done else None,
                    )
                )
    counts.add("Stage", Stage.objects.bulk_create(stages))
    counts.add("Activity", Activity.objects.bulk_create(activities, batch_size=5000))
    versions = []
    for number, roadmap in zip(numbers, roadmaps, strict=True):
        order = order_of[number, "roadmap"]
        if order.title != order_title(roadmap):
            order.title = order_title(roadmap)
        versions.append(
            RoadmapVersion(
                roadmap=roadmap,
                number=1,
                order=order,
                approved_at=order.signed_at,
                snapshot=roadmap_snapshot(roadmap),
            )
        )
    Order.objects.bulk_update([order_of[number, "roadmap"] for number in numbers], ["title"])
    counts.add("RoadmapVersion", RoadmapVersion.objects.bulk_create(versions))

    _public_sections(institutions, people_of, numbers, counts)
    # The curator's final report of last year, a draft (computed from the data when opened).
    from reports.models import FinalReport

    counts.add(
        "FinalReport",
        FinalReport.objects.bulk_create(
            FinalReport(institution=institution, year_start=current - 1)
            for institution in institutions
        ),
    )

    # A satisfaction survey of last year's mentees with its answers ----------------------------
    if reference.survey_template is None or not reference.questions:
        return
    per_response = len(reference.questions)
    responses_each = max(1, -(-ANSWERS_PER_INSTITUTION // per_response))
    surveys, invitations, responses, answers, survey_groups = [], [], [], [], []
    program_of_group = {p.group_id: p for p in program_rows}
    past = [row for row in programs if not row[5]]
    by_institution: dict = {}
    for row in past:
        by_institution.setdefault(row[0].institution_id, []).append(row)
    for number, institution in zip(numbers, institutions, strict=True):
        curator_user = people_of[number][1].user
        sent = date(current, 6, 1) if date(current, 6, 1) < today else date(current - 1, 6, 1)
        survey = Survey(
            institution=institution,
            template=reference.survey_template,
            title=f"{reference.survey_template.title} ({sent.year})",
            reason=Survey.Reason.COMPLETION,
            deadline=sent + timedelta(days=14),
            sent_at=_aware(sent),
            sent_by=curator_user,
        )
        surveys.append(survey)
        mentees = [(m, row[0]) for row in by_institution.get(institution.pk, []) for m in row[2]]
        unique = list({m.pk: (m, g) for m, g in mentees}.values())
        for m, group in unique[:responses_each]:
            invitation = Invitation(
                survey=survey,
                person=m,
                role="mentee",
                answered_at=_aware(sent + timedelta(days=3)),
            )
            invitations.append(invitation)
            response = Response(
                survey=survey,
                invitation=invitation,
                program=program_of_group[group.pk],
                role="mentee",
                submitted_at=invitation.answered_at,
            )
            invitation.program = response.program
            survey_groups.append((survey, group))
            responses.append(response)
            for question in reference.questions:
                answers.append(_answer(response, question, rng))
    counts.add("Survey", Survey.objects.bulk_create(surveys))
    counts.add("Invitation", Invitation.objects.bulk_create(invitations))
    counts.add("Response", Response.objects.bulk_create(responses))
    counts.add("Answer", Answer.objects.bulk_create(answers, batch_size=5000))
    ProgramThrough = Survey.programs.through
    pairs = dict.fromkeys(
        (survey.pk, program_of_group[group.pk].pk) for survey, group in survey_groups
    )
    ProgramThrough.objects.bulk_create(
        ProgramThrough(survey_id=survey_id, program_id=program_id)
        for survey_id, program_id in pairs
    )


def _public_sections(institutions, people_of, numbers, counts) -> None:
    """The published section «Наставничество» (п. 8.1) of every institution, when the
    project has the public section's model."""
    from django.apps import apps

    try:
        PublicSection = apps.get_model("registry", "PublicSection")
    except LookupError:
        return
    counts.add(
        "PublicSection",
        PublicSection.objects.bulk_create(
            PublicSection(
                institution=institution,
                is_published=True,
                about="Система наставничества педагогических работников: цели, задачи, сроки.",
                contacts="Приём по вторникам, 14:00–16:00.",
                contact_position="старший воспитатель",
                contact_email=people_of[number][1].email,
            )
            for number, institution in zip(numbers, institutions, strict=True)
        ),
    )


def _answer(response, question, rng: random.Random):
    from reports.models import Answer, Question

    if question.kind == Question.Kind.SCALE:
        return Answer(response=response, question=question, scale=rng.randint(6, 10))
    options = [c["text"] if isinstance(c, dict) else str(c) for c in question.choices or []]
    if question.kind == Question.Kind.SINGLE and options:
        return Answer(response=response, question=question, choices=[rng.choice(options)])
    if question.kind == Question.Kind.MULTIPLE and options:
        return Answer(
            response=response,
            question=question,
            choices=rng.sample(options, rng.randint(1, min(2, len(options)))),
        )
    return Answer(response=response, question=question, text="Всё понравилось.")
