"""Loads the demo institution of the regulation with about 30 staff and a user per role.

``make run`` calls it with ``--if-empty``: the demo is loaded only into an empty database,
and the logins are printed every time.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from registry.models import (
    Competence,
    Consent,
    Difficulty,
    Direction,
    EducationLevel,
    MenteeCategory,
    MenteeProfile,
    MentoringForm,
    MentoringKind,
    MentorProfile,
    Mode,
    Organization,
    Person,
    Position,
    Role,
    RoleAssignment,
    SelfQuestionnaire,
    User,
)

DEMO_PASSWORD = "demo-2026-registry"  # noqa: S105  (printed for the demo, never for production)

# (login, role title, roles, staff index)
DISTRICT_LOGIN = "metodist"
LOGINS = [
    ("head", "Заведующий", [Role.HEAD], 0),
    ("curator", "Куратор", [Role.CURATOR], 1),
    ("council", "Член методического совета", [Role.COUNCIL], 2),
    ("sysadmin", "Системный администратор", [Role.SYSADMIN], 3),
    ("mentor", "Наставник", [], 4),
    ("mentee", "Наставляемый", [], 10),
    ("teacher", "Педагог без роли (заполняет анкеты)", [], 20),
]

# last, first, patronymic, position, birth year, hired year, category, total, ped
STAFF = [
    ("Тимофеева", "Елена", "Викторовна", "заведующий", 1968, 2009, "highest", 35, 33),
    ("Кузнецова", "Ирина", "Павловна", "старший воспитатель", 1975, 2004, "highest", 28, 27),
    ("Морозова", "Наталья", "Алексеевна", "учитель-логопед", 1979, 2008, "highest", 23, 23),
    (
        "Волков",
        "Дмитрий",
        "Андреевич",
        "педагог дополнительного образования",
        1988,
        2016,
        "first",
        14,
        9,
    ),
    ("Петрова", "Мария", "Ивановна", "воспитатель", 1972, 1998, "highest", 32, 32),
    ("Смирнова", "Ольга", "Николаевна", "воспитатель", 1981, 2006, "highest", 21, 21),
    ("Васильева", "Татьяна", "Сергеевна", "музыкальный руководитель", 1976, 2002, "first", 26, 26),
    ("Новикова", "Светлана", "Юрьевна", "педагог-психолог", 1985, 2012, "first", 16, 15),
    (
        "Фёдорова",
        "Галина",
        "Петровна",
        "инструктор по физической культуре",
        1970,
        2000,
        "highest",
        33,
        30,
    ),
    ("Алексеева", "Людмила", "Васильевна", "учитель-дефектолог", 1974, 2005, "highest", 27, 27),
    ("Соколова", "Анастасия", "Дмитриевна", "воспитатель", 2001, 2024, "none", 2, 2),
    ("Ёлкина", "Дарья", "Андреевна", "воспитатель", 2000, 2025, "none", 1.5, 1.5),
    ("Егорова", "Виктория", "Игоревна", "воспитатель", 1999, 2024, "none", 2.5, 2),
    ("Жукова", "Полина", "Олеговна", "учитель-логопед", 1998, 2025, "none", 3, 1),
    ("Абрамова", "Юлия", "Александровна", "воспитатель", 1990, 2026, "conformity", 8, 3),
    ("Борисова", "Екатерина", "Михайловна", "педагог-психолог", 1995, 2023, "none", 4, 3),
    ("Ежова", "Алина", "Романовна", "воспитатель", 1987, 2026, "first", 12, 12),
    ("Козлова", "Надежда", "Владимировна", "воспитатель", 1983, 2010, "first", 19, 19),
    ("Лебедева", "Ксения", "Олеговна", "воспитатель", 1993, 2019, "first", 9, 7),
    ("Павлова", "Марина", "Геннадьевна", "воспитатель", 1978, 2003, "highest", 25, 25),
    ("Семёнова", "Оксана", "Викторовна", "воспитатель", 1986, 2014, "first", 15, 12),
    ("Голубева", "Анна", "Сергеевна", "воспитатель", 1996, 2021, "conformity", 5, 5),
    ("Виноградова", "Елизавета", "Павловна", "музыкальный руководитель", 1997, 2022, "none", 4, 4),
    ("Богданова", "Ирина", "Анатольевна", "воспитатель", 1969, 1995, "highest", 36, 36),
    ("Воробьёва", "Любовь", "Ивановна", "помощник воспитателя", 1973, 2015, "none", 30, 0),
    ("Тарасова", "Наталья", "Борисовна", "заместитель заведующего", 1971, 2001, "highest", 34, 30),
    ("Захарова", "Ольга", "Евгеньевна", "воспитатель", 1992, 2020, "first", 8, 6),
    ("Михайлова", "Софья", "Артёмовна", "воспитатель", 2002, 2026, "none", 0.3, 0.3),
]

PARTNER_STAFF = [
    ("Орлова", "Вера", "Константиновна", "преподаватель колледжа", 1966, 1994, "highest", 34, 34),
    ("Киселёва", "Мария", "Денисовна", "студент", 2005, None, "none", 0, 0),
]

MENTORS = {
    4: (["методическое", "предметно-профессиональное"], 2, True),
    5: (
        ["психолого-педагогическое (дети и родители)", "внеурочная и воспитательная деятельность"],
        2,
        True,
    ),
    2: (["психолого-педагогическое (дети и родители)", "методическое"], 2, True),
    8: (["здоровьесбережение"], 2, False),
    6: (["внеурочная и воспитательная деятельность"], 1, False),
    3: (["ИКТ-компетенции", "цифровизация образования"], 3, True),
}

MENTEES = {
    10: (
        "молодой специалист со стажем до 3 лет",
        "in_bank",
        [
            ("методическое", "Планирование непосредственно образовательной деятельности по ФОП ДО"),
            ("психолого-педагогическое (дети и родители)", "Общение с родителями на собраниях"),
        ],
        "Творческий подход, хорошо рисует",
    ),
    11: (
        "молодой специалист со стажем до 3 лет",
        "in_bank",
        [
            ("предметно-профессиональное", "Организация режимных моментов в младшей группе"),
        ],
        "Активна, быстро учится",
    ),
    12: (
        "молодой специалист со стажем до 3 лет",
        "without_pair",
        [
            ("методическое", "Составление конспектов занятий"),
            ("нормативное правовое", "Ведение документации группы"),
        ],
        "",
    ),
    13: (
        "молодой специалист со стажем до 3 лет",
        "in_bank",
        [
            ("психолого-педагогическое (дети и родители)", "Коррекционная работа с детьми с ТНР"),
        ],
        "Хорошая теоретическая подготовка",
    ),
    14: (
        "новый сотрудник",
        "in_bank",
        [
            ("нормативное правовое", "Локальные акты и традиции детского сада"),
        ],
        "Опыт работы в школе",
    ),
    16: (
        "переход на новую должность",
        "in_bank",
        [
            ("методическое", "Работа с подготовительной группой"),
        ],
        "",
    ),
    3: (
        "освоение новых технологий",
        "in_bank",
        [
            ("методическое", "Методика дошкольного дополнительного образования"),
        ],
        "Сильные ИКТ-компетенции",
    ),
}


class Command(BaseCommand):
    help = "Загружает демонстрационное учреждение и печатает логины демо-пользователей."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Загрузить только в пустую базу (без учреждений).",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Organization.objects.exists():
            self.stdout.write("В базе уже есть данные — демо не загружается.")
        elif Organization.objects.filter(short_name="ГБДОУ детский сад № 64").exists():
            self.stdout.write("Демо-учреждение уже загружено.")
        else:
            # Notifications mail after the commit of the whole load: keep the demo's letters
            # out of the console, so that the logins stand out.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                self._load()
            self.stdout.write(self.style.SUCCESS("Демо-учреждение загружено."))
        self._print_logins()

    def _print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"Демо-пользователи (пароль у всех: {DEMO_PASSWORD}):")
        for login, title, _, _ in LOGINS:
            self.stdout.write(f"  {login:<10} {title}")
        self.stdout.write(f"  {DISTRICT_LOGIN:<10} Методист района (сводка по всем учреждениям)")
        self.stdout.write("Откройте http://127.0.0.1:8000/")

    @transaction.atomic
    def _load(self):
        today = timezone.localdate()
        institution = Organization.objects.create(
            name=(
                "Государственное бюджетное дошкольное образовательное учреждение детский сад "
                "№ 64 комбинированного вида Невского района Санкт-Петербурга"
            ),
            short_name="ГБДОУ детский сад № 64",
            kind=Organization.Kind.KINDERGARTEN,
            address="Санкт-Петербург, Невский район (демонстрационный адрес)",
            head_name="Тимофеева Елена Викторовна",
        )
        college = Organization.objects.create(
            name="Санкт-Петербургское государственное бюджетное профессиональное "
            "образовательное учреждение «Педагогический колледж № 4»",
            short_name="Педагогический колледж № 4",
            kind=Organization.Kind.COLLEGE,
            partner_of=institution,
            address="Санкт-Петербург (демонстрационный адрес)",
        )
        positions = {p.name: p for p in Position.objects.all()}
        directions = {d.name: d for d in Direction.objects.all()}
        categories = {c.name: c for c in MenteeCategory.objects.all()}
        forms = list(MentoringForm.objects.all())
        kinds = list(MentoringKind.objects.all())

        people = []
        for index, row in enumerate(STAFF + PARTNER_STAFF):
            last, first, patronymic, position, born, hired, category, total, ped = row
            organization = institution if index < len(STAFF) else college
            person = Person(
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
                experience_in_position=Decimal(
                    str(min(total, max(today.year - (hired or today.year), 0)))
                ),
                education_level=(
                    EducationLevel.STUDENT
                    if position == "студент"
                    else EducationLevel.HIGHER_PEDAGOGICAL
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
            person.full_clean()
            person.save()
            people.append(person)

        in_bank = set(MENTORS) | set(MENTEES) | {len(STAFF), len(STAFF) + 1}
        for index in sorted(in_bank):
            Consent.objects.create(
                person=people[index],
                kind=Consent.Kind.PROCESSING,
                given_on=date(2026, 9, 2),
                note="Бланк хранится у куратора",
            )
        Consent.objects.create(
            person=people[4], kind=Consent.Kind.MENTORING, given_on=date(2026, 9, 5)
        )
        Consent.objects.create(
            person=people[4], kind=Consent.Kind.DISSEMINATION, given_on=date(2026, 9, 5)
        )
        # A mentee who withdrew the dissemination consent: shows on the curator's home.
        Consent.objects.create(
            person=people[10],
            kind=Consent.Kind.DISSEMINATION,
            given_on=date(2026, 9, 2),
            withdrawn_on=today - timedelta(days=3),
        )

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
        Competence.objects.create(
            mentor=college_mentor, direction=directions["научно-теоретическое"]
        )

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
            profile.preferred_kinds.set([kinds[6]])
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
                RoleAssignment.objects.create(user=user, role=role)
            person.user = user
            person.save(update_fields=["user"])
            users[login] = user

        # The district's methodologist: no kindergarten of her own, the summary of all of them.
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
            )
        )

        # Questionnaires waiting for the curator (этапы 2.1 и 3.1).
        SelfQuestionnaire.objects.create(
            person=people[17],
            kind=SelfQuestionnaire.Kind.MENTOR,
            answers={
                "competences": [
                    {
                        "direction_id": directions["методическое"].pk,
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
            },
        )
        SelfQuestionnaire.objects.create(
            person=people[21],
            kind=SelfQuestionnaire.Kind.MENTEE_REQUEST,
            answers={
                "category": {
                    "id": categories["профессиональные затруднения"].pk,
                    "name": "профессиональные затруднения",
                },
                "difficulties": [
                    {
                        "direction_id": directions["ИКТ-компетенции"].pk,
                        "direction": "ИКТ-компетенции",
                        "text": "Интерактивная доска и презентации для занятий",
                    }
                ],
                "strengths": "Музыкальность",
                "preferred_forms": [],
                "preferred_kinds": [{"id": kinds[5].pk, "name": kinds[5].name}],
                "preferred_mode": {"value": "offline", "name": "очный"},
                "comment": "",
                "processing_consent": True,
            },
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
        self._load_groups_and_orders(institution, people, users)
        self._load_council(institution, people, users, today)
        # Later parts of the registry add their demo data (imported here: they import registry).
        from roadmap.demo import load_demo as load_roadmap_demo

        load_roadmap_demo(institution=institution, today=today)
        from reports.demo import load_demo as load_reports_demo

        load_reports_demo(institution=institution, today=today)
        from public.demo import load_demo as load_public_demo

        load_public_demo(institution=institution, today=today)
        self._load_withdrawals(institution, today)
        return users

    def _load_withdrawals(self, institution, today):
        """152-ФЗ ст. 21: one teacher withdrew the processing consent two days ago (she waits
        for anonymization on the curator's home), another forty days ago (anonymized by the
        daily task, with act № 1)."""
        from registry.services.personal_data import person_anonymize

        for last_name, days in (("Воробьёва", 2), ("Виноградова", 40)):
            person = Person.objects.get(institution=institution, last_name=last_name)
            Consent.objects.update_or_create(
                person=person,
                kind=Consent.Kind.PROCESSING,
                defaults={
                    "given_on": date(2025, 9, 1),
                    "withdrawn_on": today - timedelta(days=days),
                    "note": "Письменное заявление об отзыве",
                },
            )
            if days > 30:
                person_anonymize(person=person, on=today - timedelta(days=days - 7))

    def _load_council(self, institution, people, users, today):
        """The council's composition by order (п. 3.4), a meeting held with its minutes and the
        next one planned with its agenda."""
        from registry.models import CouncilMeeting, Order
        from registry.services.council import meeting_save
        from registry.services.orders import order_sign

        head, curator = users["head"], users["curator"]
        # Members need accounts: signing the order grants them the council role.
        members = [people[2], people[1]]
        order = Order.objects.create(
            institution=institution,
            kind=Order.Kind.COUNCIL,
            title="О составе методического совета наставников",
            items=[
                "Утвердить состав методического совета наставников на 2026/2027 учебный год: "
                "Морозова Н. А. (председатель), Кузнецова И. П. (секретарь).",
                "Методическому совету проводить заседания не реже одного раза в квартал.",
            ],
            created_by=curator,
        )
        order.appointees.set(members)
        order.acquainted.set(members)
        order_sign(order=order, head=head, number="98", signed_on=date(2026, 9, 2))
        held = CouncilMeeting(
            institution=institution,
            held_on=today - timedelta(days=30),
            agenda="О плане работы совета на учебный год.\nО подборе наставнических пар.",
            discussion="Морозова Н. А. представила запросы наставляемых и анкеты наставников.",
            decisions="Утвердить план работы совета.\nРекомендовать куратору пары по запросам "
            "этапа 2.1 дорожной карты.",
            invited="Новикова С. Ю., педагог-психолог",
            chair=people[2],
            secretary=people[1],
        )
        meeting_save(meeting=held, attendees=members, user=curator, today=today)
        planned = CouncilMeeting(
            institution=institution,
            held_on=today + timedelta(days=10),
            agenda="О ходе реализации персонализированных программ.\nО наставляемых без пары.",
            chair=people[2],
            secretary=people[1],
        )
        meeting_save(meeting=planned, attendees=[], user=curator, today=today)

    def _load_program(self, group, users):
        """The approved pair's program: drafted from the library, approved, one event done,
        a meeting held and one planned."""
        from datetime import datetime, time

        from programs.models import Meeting
        from programs.services import drafting, execution

        smirnova = group.members.get(role="mentor").person.user or users["curator"]
        program = drafting.program_create_from_template(group=group, user=smirnova)
        drafting.program_update(
            program=program,
            data={
                "goals": "Освоить организацию режимных моментов в младшей группе; выстроить "
                "взаимодействие с родителями.",
                "schedule": "Еженедельно по средам, 13:30–14:15, методический кабинет.",
            },
            version=program.version,
            user=smirnova,
        )
        program.refresh_from_db()
        drafting.program_submit(program=program, user=smirnova)
        drafting.program_approve(program=program, user=users["curator"])
        first = program.events.order_by("deadline").first()
        if first is not None:
            execution.event_update_progress(
                event=first,
                status="done",
                actual_result="Проведено, составлен план наблюдений.",
                file=None,
                user=smirnova,
            )
        tz = timezone.get_current_timezone()
        today = timezone.localdate()
        held = Meeting.objects.create(
            program=program,
            starts_at=datetime.combine(today - timedelta(days=6), time(13, 30), tzinfo=tz),
            topic="Установочная встреча: цели программы",
            content="Обсудили запросы и план мероприятий.",
            result="Согласован план на первый месяц.",
            task="Подготовить вопросы по режимным моментам.",
            held=True,
        )
        held.attendees.set([m.person for m in group.members.all()])
        Meeting.objects.create(
            program=program,
            starts_at=datetime.combine(today + timedelta(days=1), time(13, 30), tzinfo=tz),
            topic="Разбор режимных моментов в младшей группе",
        )

    def _load_groups_and_orders(self, institution, people, users):
        """Orders and groups made through the same services as in the browser, so the demo
        shows every state: approved, waiting for the participants, waiting for the head."""
        from django.test.utils import override_settings

        from registry.models import Order
        from registry.services import groups as group_services
        from registry.services.orders import order_sign

        head, curator = users["head"], users["curator"]
        forms = list(MentoringForm.objects.all())
        kinds = {k.name: k for k in MentoringKind.objects.all()}
        directions = {d.name: d for d in Direction.objects.all()}
        # The demo's notifications stay in the registry; nothing is printed as mail.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            regulation = Order.objects.create(
                institution=institution,
                kind=Order.Kind.REGULATION,
                title="Об утверждении Положения о системе (целевой модели) наставничества "
                "педагогических работников",
                basis="Распоряжение Комитета по образованию Санкт-Петербурга от 29.11.2023 № 1520-р",
                items=[
                    "Утвердить Положение о системе (целевой модели) наставничества педагогических "
                    "работников (приложение 1).",
                    "Утвердить дорожную карту (план мероприятий) по реализации Положения "
                    "(приложение 2).",
                ],
                is_public=True,
                created_by=curator,
            )
            order_sign(order=regulation, head=head, number="94/1", signed_on=date(2022, 8, 31))
            appointment = Order.objects.create(
                institution=institution,
                kind=Order.Kind.CURATOR,
                title="О назначении куратора реализации программ наставничества",
                items=[
                    "Назначить куратором реализации программ наставничества педагогических "
                    "работников старшего воспитателя Кузнецову Ирину Павловну."
                ],
                created_by=curator,
            )
            appointment.appointees.set([people[1]])
            appointment.acquainted.set([people[1]])
            order_sign(order=appointment, head=head, number="94/3", signed_on=date(2022, 8, 31))

            for index in (5, 2):
                Consent.objects.get_or_create(
                    person=people[index],
                    kind=Consent.Kind.MENTORING,
                    withdrawn_on=None,
                    defaults={"given_on": date(2026, 9, 10)},
                )

            def propose(mentor, mentees, direction_names, start, end):
                return group_services.group_propose(
                    proposal=group_services.Proposal(
                        mentors=[people[mentor]],
                        mentees=[people[i] for i in mentees],
                        form=forms[0],
                        kinds=[kinds["традиционное («один-на-один»)"]]
                        if len(mentees) == 1
                        else [kinds["в группе"]],
                        directions=[directions[n] for n in direction_names],
                        planned_start=start,
                        planned_end=end,
                        curator=curator,
                        rationale="Компетенции наставника закрывают запросы наставляемых; "
                        "обе стороны выразили интерес на установочной встрече.",
                    ),
                    institution=institution,
                    user=curator,
                )

            def confirm_all(group):
                for member in group.members.select_related("person__user"):
                    group_services.group_respond(
                        group=group,
                        person=member.person,
                        confirm=True,
                        comment="",
                        user=member.person.user or curator,
                    )

            # An approved pair: Смирнова О. Н. — Ёлкина Д. А.
            active = propose(
                5, [11], ["предметно-профессиональное"], date(2026, 9, 15), date(2027, 5, 31)
            )
            confirm_all(active)
            group_services.group_submit(group=active, user=curator)
            group_services.group_approve(
                group=active, head=head, number="101", signed_on=date(2026, 9, 15)
            )
            group_services.member_agreement_save(
                member=active.members.get(person=people[5]),
                number="7-н",
                signed_on=date(2026, 9, 15),
                user=curator,
            )
            self._load_program(active, users)
            # A group waiting for the head: Морозова Н. А. — Жукова П. О., Ежова А. Р.
            waiting = propose(2, [13, 16], ["методическое"], date(2026, 12, 1), date(2027, 8, 31))
            confirm_all(waiting)
            group_services.group_submit(group=waiting, user=curator)
            # A pair waiting for the demo mentor and mentee to answer.
            propose(4, [10], ["методическое"], date(2026, 12, 1), date(2027, 6, 30))
