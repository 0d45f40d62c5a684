"""The permission table: every URL pattern × every role, with the expected answer.

Outsiders to an object get 404, read-only users 403 (STYLE.md). The ``outsider`` is the
head, curator and sysadmin of another kindergarten: they must never reach our records.
A URL pattern without a row fails ``test_every_url_pattern_has_a_row``.
"""

import copy
from datetime import date

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from mentoring_site.lib.sessions import UserSession
from mentoring_site.lib.word import DOCX_CONTENT_TYPE
from programs.models import (
    CalendarFeed,
    EventForm,
    Evidence,
    Meeting,
    Program,
    ProgramEvent,
    TermChange,
    TypicalEvent,
)
from registry.models import (
    Consent,
    Direction,
    GroupMember,
    Letter,
    MentoringForm,
    MentoringGroup,
    Order,
    Person,
    Petition,
    Position,
    SelfQuestionnaire,
    StaffImport,
)
from tests.download_helpers import download_name
from tests.factories import make_mentee, make_mentor, make_person, make_user
from tests.page_checks import check_answer
from tests.permission_helpers import (
    CHANGERS_GET,
    EDITORS_GET,
    EVERYONE_LOGGED_IN,
    LOGIN,
    READ_ONLY_STAFF,
    ROLES,
    STAFF,
    Row,
    answers,
    expected_for,
    finished,
    is_refusal,
    no_kwargs,
)
from tests.public.permission_rows import ROWS as PUBLIC_ROWS
from tests.registry.agreement_permission_rows import ROWS as AGREEMENT_ROWS
from tests.registry.audit_permission_rows import ROWS as AUDIT_ROWS
from tests.registry.council_permission_rows import ROWS as COUNCIL_ROWS
from tests.registry.logins_permission_rows import ROWS as LOGINS_ROWS
from tests.registry.otp_permission_rows import ROWS as OTP_ROWS
from tests.registry.paper_permission_rows import ROWS as PAPER_ROWS
from tests.registry.personal_data_permission_rows import ROWS as PERSONAL_DATA_ROWS
from tests.reports.dashboard_permission_rows import ROWS as DASHBOARD_ROWS
from tests.reports.growth_permission_rows import ROWS as GROWTH_ROWS
from tests.reports.questionnaire_permission_rows import ROWS as QUESTIONNAIRE_ROWS
from tests.reports.report_permission_rows import ROWS as REPORT_ROWS
from tests.reports.summary_permission_rows import ROWS as SUMMARY_ROWS
from tests.roadmap.permission_rows import ROWS as ROADMAP_ROWS


def _active_group(world):
    """Group A: an approved pair of the world's mentor and mentee."""
    group = MentoringGroup.objects.create(
        institution=world.institution,
        status=MentoringGroup.Status.ACTIVE,
        form=MentoringForm.objects.first(),
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 5, 31),
        curator=world.curator,
    )
    group.directions.set([Direction.objects.get(name="методическое")])
    for person, role in [
        (world.mentor_person, GroupMember.Role.MENTOR),
        (world.mentee_person, GroupMember.Role.MENTEE),
    ]:
        GroupMember.objects.create(
            group=group, person=person, role=role, response=GroupMember.Response.CONFIRMED
        )
    return group


def _group_b(world):
    """Group B of the same kindergarten, active with its program: the users of the roles
    ``other_mentor`` and ``other_mentee``."""
    mentor_b = make_person(world.institution, "Другова", first_name="Нина")
    mentee_b = make_person(world.institution, "Другая", first_name="Вера")
    make_mentor(mentor_b)
    make_mentee(mentee_b)
    group = MentoringGroup.objects.create(
        institution=world.institution,
        status=MentoringGroup.Status.ACTIVE,
        form=MentoringForm.objects.first(),
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 5, 31),
        curator=world.curator,
    )
    group.directions.set([Direction.objects.get(name="методическое")])
    for person, role in [(mentor_b, GroupMember.Role.MENTOR), (mentee_b, GroupMember.Role.MENTEE)]:
        GroupMember.objects.create(
            group=group, person=person, role=role, response=GroupMember.Response.CONFIRMED
        )
    Program.objects.create(
        group=group, status=Program.Status.ACTIVE, start=date(2026, 9, 1), end=date(2027, 5, 31)
    )
    return {
        "other_mentor": make_user(world.institution, "mentor_b", person=mentor_b),
        "other_mentee": make_user(world.institution, "mentee_b", person=mentee_b),
    }


def _objects(world):
    """Objects of our institution that the object URLs point at."""
    group = _active_group(world)
    program = Program.objects.create(
        group=group, status=Program.Status.ACTIVE, start=date(2026, 9, 1), end=date(2027, 5, 31)
    )
    event = ProgramEvent.objects.create(
        program=program,
        direction=Direction.objects.get(name="методическое"),
        form=EventForm.objects.first(),
        title="Анализ занятия",
        deadline=date(2026, 10, 1),
        responsible=ProgramEvent.Responsible.BOTH,
    )
    evidence = Evidence(event=event, name="отчёт.pdf", uploaded_by=world.mentor)
    evidence.file.save("file.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    return {
        "program": program,
        "event": event,
        "evidence": evidence,
        "typical": TypicalEvent.objects.first(),
        "meeting": Meeting.objects.create(
            program=program, starts_at=timezone.now(), topic="Установочная встреча"
        ),
        "term_change": TermChange.objects.create(
            program=program,
            new_end=date(2027, 6, 30),
            reason="Больничный",
            requested_by=world.curator,
        ),
        "feed": CalendarFeed.objects.create(user=world.mentor),
        "group": group,
        "petition": Petition.objects.create(
            group=group,
            kind=Petition.Kind.REPLACE_MENTOR,
            author=world.mentee_person,
            text="Прошу заменить наставника",
        ),
        "order": Order.objects.create(
            institution=world.institution,
            kind=Order.Kind.REWARD,
            title="О поощрении наставников",
            created_by=world.curator,
        ),
        "person": world.mentee_person,
        "consent": Consent.objects.filter(person=world.mentee_person).first(),
        "import": StaffImport.objects.create(
            institution=world.institution, uploaded_by=world.curator, filename="staff.xlsx"
        ),
        "questionnaire": SelfQuestionnaire.objects.create(
            person=world.teacher_person, kind=SelfQuestionnaire.Kind.MENTOR, answers={}
        ),
        "user": world.teacher,
        "partner": world.partner,
        "position": Position.objects.first(),
        "person_without_account": make_person(world.institution, "Безлогина"),
    }


def _sessions(world, group_b) -> dict[str, str]:
    """{role: session key} of each role's user, logged in once for the module. A case sends
    the key as its cookie instead of logging in again: what a request writes into the session
    (the login's clock, messages) is rolled back with the case, so every case starts from the
    session as the login left it, and the login itself (its session row, the security log, the
    last login) is not repeated 5,000 times."""
    keys = {}
    for role in ROLES:
        user = group_b[role] if role in group_b else world.user(role)
        if user is not None:
            browser = Client()
            browser.force_login(user)
            keys[role] = browser.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


@pytest.fixture(scope="module")
def module_table(module_world):
    """The objects the rows point at, the members of group B and the roles' sessions, built
    once for the module in its transaction (tests/conftest.py::module_world), beside the
    world."""
    group_b = _group_b(module_world)
    return {
        "objects": _objects(module_world),
        "group_b": group_b,
        "sessions": _sessions(module_world, group_b),
    }


@pytest.fixture
def world(module_table, world):
    """The module's world (tests/conftest.py), with the table's objects and group B."""
    return world


@pytest.fixture
def objects(module_table):
    """A fresh copy for each case: a row may change an object (``COMPLETED_PROGRAM``) or add
    its own to the dict (``_roadmap``), and neither may follow into the next case."""
    return copy.deepcopy(module_table["objects"])


@pytest.fixture
def sessions(module_table):
    """{role: session key} of the module (``_sessions``)."""
    return module_table["sessions"]


@pytest.fixture
def group_b(module_table):
    """{"other_mentor": user, "other_mentee": user}, a fresh copy for each case."""
    return copy.deepcopy(module_table["group_b"])


def own_typical_event(world) -> TypicalEvent:
    shared = TypicalEvent.objects.shared().first()
    return TypicalEvent.objects.create(
        institution=world.institution,
        direction=shared.direction,
        form=shared.form,
        title="Своё типовое мероприятие",
    )


def own_position(world) -> Position:
    return Position.objects.create(institution=world.institution, name="Своя должность")


def failed_letter(world) -> Letter:
    return Letter.objects.create(
        institution=world.institution,
        to="teacher@example.org",
        subject="Наставничество",
        body="-",
        status=Letter.Status.FAILED,
        attempts=6,
    )


def GROUP(world, objects):  # noqa: N802  (reads as a constant in the table)
    return {"pk": objects["group"].pk}


def PROGRAM(world, objects):  # noqa: N802
    return {"pk": objects["program"].pk}


def EVENT(world, objects):  # noqa: N802
    return {"pk": objects["event"].pk}


def TERM(world, objects):  # noqa: N802
    return {"pk": objects["term_change"].pk}


TABLE = {
    # Shared pages
    "home": Row(no_kwargs, answers(**{r: 302 for r in ROLES if r != "anonymous"})),
    "role-home": Row(
        lambda w, o: {"role": "curator"}, answers(curator=200, outsider=200)
    ),  # only the curator has the curator's home; the outsider is a curator elsewhere
    "healthz": Row(no_kwargs, {r: 200 for r in ROLES}),
    "session-status": Row(no_kwargs, {r: 200 for r in ROLES}),
    "session-extend": Row(no_kwargs, answers(**EVERYONE_LOGGED_IN), method="post"),
    "login": Row(no_kwargs, {r: (200 if r == "anonymous" else 302) for r in ROLES}),
    "logout": Row(no_kwargs, {r: 302 for r in ROLES}, method="post"),
    "password_change": Row(no_kwargs, answers(**EVERYONE_LOGGED_IN)),
    "password_change_done": Row(no_kwargs, answers(**EVERYONE_LOGGED_IN)),
    "password_reset": Row(no_kwargs, {r: 200 for r in ROLES}),
    "password_reset_done": Row(no_kwargs, {r: 200 for r in ROLES}),
    "password_reset_confirm": Row(
        lambda w, o: {"uidb64": "MQ", "token": "bad-token"}, {r: 200 for r in ROLES}
    ),
    "password_reset_complete": Row(no_kwargs, {r: 200 for r in ROLES}),
    # The banks
    "registry:person-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:mentor-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:mentee-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:search": Row(
        no_kwargs,
        answers(**{k: 302 for k in STAFF}, outsider=302),
        method="post",
        data={"q": "Иван", "list_name": "people"},
    ),
    "registry:person-create": Row(no_kwargs, answers(**EDITORS_GET, outsider=200)),
    # The mentor of group A reads the file of their mentee (п. 4.1), nothing more.
    "registry:person-detail": Row(
        lambda w, o: {"pk": o["person"].pk}, answers(**STAFF, mentee=200, mentor=200)
    ),
    # The mentee is the person itself: they see their record read-only, so changes are 403.
    "registry:person-update": Row(
        lambda w, o: {"pk": o["person"].pk}, answers(**EDITORS_GET, mentee=403)
    ),
    "registry:person-review": Row(
        lambda w, o: {"pk": o["person"].pk},
        answers(head=403, council=403, curator=302, sysadmin=302, mentee=403),
        method="post",
    ),
    "registry:mentee-profile": Row(
        lambda w, o: {"pk": o["person"].pk}, answers(**EDITORS_GET, mentee=403)
    ),
    "registry:mentor-profile": Row(
        lambda w, o: {"pk": o["person"].pk}, answers(**EDITORS_GET, mentee=403)
    ),
    "registry:my-data": Row(no_kwargs, answers(mentor=302, mentee=302, teacher=302)),
    # Export and import
    "registry:bank-export": Row(
        lambda w, o: {"bank": "mentees"},
        answers(head=200, curator=200, sysadmin=200, council=403, outsider=200),
    ),
    "registry:import-upload": Row(no_kwargs, answers(**EDITORS_GET, outsider=200)),
    "registry:import-template": Row(no_kwargs, answers(**EDITORS_GET, outsider=200)),
    "registry:import-preview": Row(lambda w, o: {"pk": o["import"].pk}, answers(**EDITORS_GET)),
    # The mapping step: an empty choice is shown again with its errors.
    "registry:import-remap": Row(
        lambda w, o: {"pk": o["import"].pk},
        answers(head=403, council=403, curator=200, sysadmin=200),
        method="post",
    ),
    "registry:import-confirm": Row(
        lambda w, o: {"pk": o["import"].pk},
        answers(head=403, council=403, curator=302, sysadmin=302),
        method="post",
    ),
    "registry:import-discard": Row(
        lambda w, o: {"pk": o["import"].pk},
        answers(head=403, council=403, curator=302, sysadmin=302),
        method="post",
    ),
    # Consents
    "registry:consent-create": Row(
        lambda w, o: {"pk": o["person"].pk}, answers(**EDITORS_GET, mentee=403)
    ),
    "registry:consent-form-pdf": Row(
        lambda w, o: {"pk": o["person"].pk, "kind": "processing"}, answers(**STAFF, mentee=200)
    ),
    "registry:consent-withdraw": Row(
        lambda w, o: {"pk": o["consent"].pk}, answers(**EDITORS_GET, mentee=403)
    ),
    "registry:consent-scan": Row(
        # No scan was uploaded: the people who may see it get 404 too; with a scan, see
        # tests/registry/test_consents.py.
        lambda w, o: {"pk": o["consent"].pk},
        answers(),
    ),
    "registry:consent-scan-upload": Row(
        lambda w, o: {"pk": o["consent"].pk}, answers(**EDITORS_GET, mentee=403)
    ),
    # Questionnaires
    "registry:questionnaire-fill": Row(
        lambda w, o: {"kind": "mentor"}, answers(mentor=200, mentee=200, teacher=200)
    ),
    "registry:questionnaire-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:questionnaire-detail": Row(
        lambda w, o: {"pk": o["questionnaire"].pk}, answers(**STAFF)
    ),
    "registry:questionnaire-accept": Row(
        lambda w, o: {"pk": o["questionnaire"].pk},
        answers(head=403, council=403, curator=302, sysadmin=302),
        method="post",
    ),
    "registry:questionnaire-reject": Row(
        lambda w, o: {"pk": o["questionnaire"].pk},
        answers(head=403, council=403, curator=200, sysadmin=200),
        method="post",
    ),
    # Users, roles, the institution
    # The curator gives logins in bulk (issue 16).
    "registry:user-list": Row(
        no_kwargs, answers(head=200, curator=200, sysadmin=200, outsider=200)
    ),
    "registry:user-export": Row(
        no_kwargs, answers(head=200, curator=200, sysadmin=200, outsider=200)
    ),
    "registry:user-create": Row(
        lambda w, o: {"person_pk": o["person_without_account"].pk},
        answers(head=403, sysadmin=200),
    ),
    "registry:user-roles": Row(lambda w, o: {"pk": o["user"].pk}, answers(head=200, sysadmin=200)),
    # п. 3.2–3.4: the head by the founder's order (the sysadmin records it); roles without an
    # order are confirmed or removed by the head (the world's curator is such a legacy role).
    "registry:user-head": Row(lambda w, o: {"pk": o["user"].pk}, answers(head=403, sysadmin=200)),
    "registry:user-head-relieve": Row(
        lambda w, o: {"pk": o["user"].pk}, answers(head=403, sysadmin=200), method="post"
    ),
    "registry:unbacked-roles": Row(no_kwargs, answers(head=200, sysadmin=200, outsider=200)),
    "registry:unbacked-role-draft": Row(
        lambda w, o: {"pk": w.curator.role_assignments.get().pk},
        answers(head=302, sysadmin=403),
        method="post",
    ),
    "registry:unbacked-role-remove": Row(
        lambda w, o: {"pk": w.curator.role_assignments.get().pk},
        answers(head=302, sysadmin=403),
        method="post",
    ),
    "registry:user-deactivate": Row(
        lambda w, o: {"pk": o["user"].pk}, answers(head=403, sysadmin=302), method="post"
    ),
    "registry:user-activate": Row(
        lambda w, o: {"pk": o["user"].pk}, answers(head=403, sysadmin=302), method="post"
    ),
    "registry:user-invite": Row(
        lambda w, o: {"pk": o["user"].pk}, answers(head=403, sysadmin=302), method="post"
    ),
    "registry:institution-settings": Row(no_kwargs, answers(head=200, sysadmin=200, outsider=200)),
    "registry:partner-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:partner-create": Row(no_kwargs, answers(**EDITORS_GET, outsider=200)),
    "registry:partner-update": Row(lambda w, o: {"pk": o["partner"].pk}, answers(**EDITORS_GET)),
    # Matching, groups and petitions (issue 3). Group A holds the world's mentor and mentee.
    "registry:matching": Row(
        lambda w, o: {"pk": w.mentee_person.pk},
        answers(curator=200, council=200, sysadmin=200, head=403),
    ),
    "registry:group-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:group-export": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:group-create": Row(
        no_kwargs, answers(curator=200, council=200, sysadmin=200, head=403, outsider=200)
    ),
    "registry:group-detail": Row(GROUP, answers(**STAFF, mentor=200, mentee=200)),
    # An approved group takes no answers: members are refused with a message (302).
    "registry:group-confirm": Row(
        GROUP, answers(**READ_ONLY_STAFF, mentor=302, mentee=302), method="post"
    ),
    "registry:group-decline": Row(
        GROUP, answers(**READ_ONLY_STAFF, mentor=302, mentee=302), method="post"
    ),
    "registry:group-submit": Row(
        GROUP,
        answers(head=403, council=403, curator=302, sysadmin=302, mentor=403, mentee=403),
        method="post",
    ),
    "registry:group-approve": Row(
        GROUP, answers(head=302, curator=403, council=403, sysadmin=403, mentor=403, mentee=403)
    ),
    "registry:group-return": Row(
        GROUP,
        answers(head=302, curator=403, council=403, sysadmin=403, mentor=403, mentee=403),
        method="post",
    ),
    # An approved group is not corrected: those who propose are sent back with a message.
    "registry:group-correct": Row(
        GROUP, answers(curator=302, council=302, sysadmin=302, head=403, mentor=403, mentee=403)
    ),
    "registry:group-replace-mentor": Row(
        GROUP, answers(curator=200, sysadmin=200, head=403, council=403, mentor=403, mentee=403)
    ),
    "registry:group-member-agreement": Row(
        lambda w, o: {"pk": o["group"].members.get(role="mentor").pk},
        answers(curator=200, sysadmin=200, head=403, council=403, mentor=403, mentee=403),
    ),
    "registry:petition-create": Row(GROUP, answers(**READ_ONLY_STAFF, mentor=200, mentee=200)),
    "registry:petition-approve": Row(
        lambda w, o: {"pk": o["petition"].pk},
        answers(head=302, curator=302, council=403, sysadmin=403, mentor=403, mentee=403),
        method="post",
    ),
    "registry:petition-reject": Row(
        lambda w, o: {"pk": o["petition"].pk},
        answers(head=302, curator=302, council=403, sysadmin=403, mentor=403, mentee=403),
        method="post",
        data={"comment": "Нет оснований"},
    ),
    # The council's mediation on a petition (п. 3.4): a council member or the curator records it.
    "registry:petition-mediation": Row(
        lambda w, o: {"pk": o["petition"].pk},
        answers(head=403, curator=200, council=200, sysadmin=403, mentor=403, mentee=403),
    ),
    # Orders (a draft «О поощрении наставников»)
    "registry:order-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:order-export": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:order-create": Row(
        no_kwargs, answers(head=200, curator=200, sysadmin=200, council=403, outsider=200)
    ),
    "registry:order-detail": Row(lambda w, o: {"pk": o["order"].pk}, answers(**STAFF)),
    "registry:order-update": Row(
        lambda w, o: {"pk": o["order"].pk},
        answers(head=200, curator=200, sysadmin=200, council=403),
    ),
    "registry:order-sign": Row(
        lambda w, o: {"pk": o["order"].pk},
        answers(head=200, curator=403, sysadmin=403, council=403),
    ),
    "registry:order-pdf": Row(lambda w, o: {"pk": o["order"].pk}, answers(**STAFF)),
    # Notifications
    "registry:notification-list": Row(no_kwargs, answers(**EVERYONE_LOGGED_IN)),
    "registry:notification-read-all": Row(
        no_kwargs, answers(**{r: 302 for r in ROLES if r != "anonymous"}), method="post"
    ),
    # Programs (issue 4): group A has an ACTIVE program with one event and one file.
    "programs:program-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "programs:program-export": Row(no_kwargs, answers(**STAFF, outsider=200)),
    # Group A already has its program: the mentor and the curator are sent to it.
    "programs:program-create": Row(
        lambda w, o: {"group_pk": o["group"].pk},
        answers(head=403, council=403, curator=302, sysadmin=302, mentor=302, mentee=403),
    ),
    "programs:program-detail": Row(PROGRAM, answers(**STAFF, mentor=200, mentee=200)),
    "programs:program-update": Row(PROGRAM, answers(**CHANGERS_GET, mentee=403)),
    "programs:program-pdf": Row(PROGRAM, answers(**STAFF, mentor=200, mentee=200)),
    "programs:event-create": Row(PROGRAM, answers(**CHANGERS_GET, mentee=403)),
    "programs:event-update": Row(EVENT, answers(**CHANGERS_GET, mentee=403)),
    # An approved program's events are cancelled, not deleted: refused with a message.
    "programs:event-delete": Row(
        EVENT,
        answers(head=403, council=403, curator=302, sysadmin=302, mentor=302, mentee=403),
        method="post",
    ),
    "programs:comment-create": Row(
        PROGRAM,
        answers(**{k: 302 for k in STAFF}, mentor=302, mentee=302),
        method="post",
        data={"text": "Вопрос"},
    ),
    "programs:program-submit": Row(
        PROGRAM, answers(**READ_ONLY_STAFF, mentor=302, mentee=403), method="post"
    ),
    "programs:program-approve": Row(
        PROGRAM,
        answers(head=403, council=403, curator=302, sysadmin=302, mentor=403, mentee=403),
        method="post",
    ),
    "programs:program-return": Row(
        PROGRAM,
        answers(head=403, council=403, curator=302, sysadmin=302, mentor=403, mentee=403),
        method="post",
        data={"comment": "Исправьте"},
    ),
    # The library: the installation's entries and each kindergarten's own (issue 20). Our own
    # entry is edited by our curator and sysadmin; another kindergarten does not see it (404).
    # The council reads the list (п. 3.4: it develops the programs drawn from it).
    "programs:library-list": Row(
        no_kwargs, answers(**{**EDITORS_GET, "council": 200}, outsider=200)
    ),
    "programs:library-create": Row(no_kwargs, answers(**EDITORS_GET, outsider=200)),
    "programs:library-update": Row(
        lambda w, o: {"pk": own_typical_event(w).pk}, answers(**EDITORS_GET)
    ),
    "programs:event-library": Row(PROGRAM, answers(**CHANGERS_GET, mentee=403)),
    "programs:event-progress": Row(EVENT, answers(**CHANGERS_GET, mentee=403)),
    # An empty upload re-shows the form with its error.
    "programs:evidence-upload": Row(EVENT, answers(**CHANGERS_GET, mentee=200), method="post"),
    "programs:evidence-download": Row(
        lambda w, o: {"pk": o["evidence"].pk}, answers(**STAFF, mentor=200, mentee=200)
    ),
    "programs:event-report": Row(EVENT, answers(**READ_ONLY_STAFF, mentor=403, mentee=200)),
    # Nothing was reported yet: the mentor and the curator are refused with a message.
    "programs:event-confirm": Row(
        EVENT,
        answers(head=403, council=403, curator=302, sysadmin=302, mentor=302, mentee=403),
        method="post",
    ),
    "programs:overdue-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "programs:overdue-export": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "programs:meeting-create": Row(PROGRAM, answers(**CHANGERS_GET, mentee=403)),
    "programs:meeting-update": Row(
        lambda w, o: {"pk": o["meeting"].pk}, answers(**CHANGERS_GET, mentee=403)
    ),
    "programs:my-calendar": Row(no_kwargs, answers(**EVERYONE_LOGGED_IN)),
    # The private feed needs no login: its token is the key.
    "programs:calendar-feed": Row(lambda w, o: {"token": o["feed"].token}, {r: 200 for r in ROLES}),
    "programs:calendar-reset": Row(
        no_kwargs, answers(**{r: 302 for r in ROLES if r != "anonymous"}), method="post"
    ),
    "programs:term-change-create": Row(PROGRAM, answers(**CHANGERS_GET, mentee=403)),
    "programs:term-change-agree": Row(
        TERM, answers(**READ_ONLY_STAFF, mentor=302, mentee=302), method="post"
    ),
    # п. 7.2: the curator agrees with the mentor's proposal; the members answer on their own.
    "programs:term-change-curator-agree": Row(
        TERM,
        answers(head=403, council=403, curator=302, sysadmin=302, mentor=403, mentee=403),
        method="post",
    ),
    "programs:term-change-decline": Row(
        TERM,
        answers(**READ_ONLY_STAFF, mentor=302, mentee=302),
        method="post",
        data={"comment": "Не успеваю"},
    ),
    # п. 7.2: the curator (or the mentor who proposed it; here the curator did) withdraws a
    # change until the order is signed.
    "programs:term-change-withdraw": Row(
        TERM,
        answers(head=403, council=403, curator=302, sysadmin=302, mentor=403, mentee=403),
        method="post",
        data={"reason": "Ошибка в дате"},
    ),
    # п. 7.1: the mentor, the mentee and the curator (the head as the employer) end a program.
    "programs:program-complete": Row(PROGRAM, answers(**{**CHANGERS_GET, "head": 200}, mentee=200)),
    # Reference lists
    "registry:reference-index": Row(no_kwargs, answers(sysadmin=200, outsider=200)),
    "registry:reference-list": Row(
        lambda w, o: {"kind": "positions"}, answers(sysadmin=200, outsider=200)
    ),
    "registry:reference-create": Row(
        lambda w, o: {"kind": "positions"}, answers(sysadmin=200, outsider=200)
    ),
    # Our own entry (issue 20): our sysadmin edits it, another kindergarten does not see it.
    "registry:reference-update": Row(
        lambda w, o: {"kind": "positions", "pk": own_position(w).pk}, answers(sysadmin=200)
    ),
    # The installation's entry: read, never changed, by a kindergarten's sysadmin.
    # The outbox (issue 20): the sysadmin's «Письма».
    "registry:letter-list": Row(no_kwargs, answers(sysadmin=200, outsider=200)),
    "registry:letter-resend": Row(
        lambda w, o: {"pk": failed_letter(w).pk}, answers(sysadmin=302), method="post"
    ),
    "registry:letters-resend-failed": Row(
        no_kwargs, answers(sysadmin=302, outsider=302), method="post"
    ),
}

# Each part keeps its rows in its own file (tests/permission_helpers.py says how).
for rows in (
    ROADMAP_ROWS,
    COUNCIL_ROWS,
    QUESTIONNAIRE_ROWS,
    GROWTH_ROWS,
    DASHBOARD_ROWS,
    REPORT_ROWS,
    PUBLIC_ROWS,
    AUDIT_ROWS,
    OTP_ROWS,
    PERSONAL_DATA_ROWS,
    SUMMARY_ROWS,
    LOGINS_ROWS,
    PAPER_ROWS,
    AGREEMENT_ROWS,
):
    assert not set(rows) & set(TABLE), f"Rows defined twice: {sorted(set(rows) & set(TABLE))}"
    TABLE.update(rows)

# Django's admin is guarded by is_staff, which no role of the registry grants.
EXCLUDED_NAMESPACES = {"admin"}


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from _url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_has_a_row():
    names = set(_url_names())
    missing = sorted(names - set(TABLE))
    assert not missing, f"URL patterns without a row in the permission table: {missing}"
    stale = sorted(set(TABLE) - names)
    assert not stale, f"Rows for URL patterns that no longer exist: {stale}"


CASES = [(name, role) for name in TABLE for role in ROLES]


def _as_role(client, world, objects, sessions, url_name, role) -> tuple[str, int]:
    """The row's address and the role's expected answer; the client logged in as the role
    (with the role's session of the module, ``_sessions``)."""
    row = TABLE[url_name]
    kwargs = row.kwargs(world, objects)
    session_key = sessions.get(role)
    if session_key is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return reverse(url_name, kwargs=kwargs), expected_for(row.expected, role, kwargs)


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_permission_table(client, world, objects, sessions, url_name, role):
    """The row's answer on the row's method, with the checks every answer owes (security
    headers, no technical words on a page, a Russian name on a download); then the other
    method (GET of a POST row, an empty POST to a GET row): a role refused on one is refused on
    the other with the same code (or 405 from a view that takes only one method), and nothing
    answers 500."""
    row = TABLE[url_name]
    url, expected = _as_role(client, world, objects, sessions, url_name, role)
    response = finished(getattr(client, row.method)(url, data=row.data))
    assert response.status_code == expected, (
        f"{row.method.upper()} {url_name} as {role}: "
        f"expected {expected}, got {response.status_code}"
    )
    # The checks every answer owes, on this very answer (tests/page_checks.py).
    check_answer(response, url=url, where=f"{row.method.upper()} {url_name} as {role}")
    if role == "anonymous" and expected == LOGIN and url_name != "logout":
        assert response["Location"].startswith(reverse("login"))
    # The method axis. Test client requests raise on an error in the view, so a 500 fails here.
    other_method = "post" if row.method == "get" else "get"
    other = finished(getattr(client, other_method)(url))
    assert other.status_code < 500, f"{other_method.upper()} {url_name} as {role}: 500"
    if is_refusal(response.status_code, role, response.get("Location", "")):
        assert other.status_code in (response.status_code, 405), (
            f"{url_name} as {role}: refused {response.status_code} on {row.method.upper()}, "
            f"but {other_method.upper()} answered {other.status_code}"
        )


# Issue 19: every document in Word too, by the same view at the same address with
# ?format=docx, so no new URL pattern: each role gets what it gets for the PDF, and what is
# downloaded is a DOCX.
DOCUMENT_URLS = [
    "registry:order-pdf",
    "registry:council-meeting-pdf",
    "registry:consent-form-pdf",
    "registry:logins-issued-pdf",
    "registry:group-paper-form",
    "registry:person-data-pdf",
    "registry:destruction-act-pdf",
    "programs:program-pdf",
    "programs:term-change-paper-form",
    "programs:program-paper-acquaintance-form",
    "roadmap:roadmap-pdf",
    "roadmap:version-pdf",
    "reports:report-pdf",
]
DOCX_CASES = [(name, role) for name in DOCUMENT_URLS for role in ROLES]


def test_every_pdf_address_is_a_document_in_word_too():
    assert {name for name in TABLE if name.endswith("-pdf")} <= set(DOCUMENT_URLS)
    assert set(DOCUMENT_URLS) <= set(TABLE)


@pytest.mark.parametrize(("url_name", "role"), DOCX_CASES, ids=[f"{n}-{r}" for n, r in DOCX_CASES])
def test_the_docx_of_a_document_answers_as_its_pdf(
    client, world, objects, sessions, url_name, role
):
    url, expected = _as_role(client, world, objects, sessions, url_name, role)
    response = finished(client.get(url, {"format": "docx"}))
    assert response.status_code == expected, (
        f"{url_name}?format=docx as {role}: expected {expected}, got {response.status_code}"
    )
    if response.status_code == 200:
        assert response["Content-Type"] == DOCX_CONTENT_TYPE
        assert download_name(response).endswith(".docx")


# Every case runs in a savepoint of the module's transaction, rolled back after it
# (tests/conftest.py::module_world). The module's world in each case, in the order they run:
_WORLDS_SEEN = []


@pytest.mark.xdist_group("permission-table-isolation")  # both cases in one process
@pytest.mark.parametrize("case", ["first", "second"])
def test_each_case_starts_from_the_world_as_built(
    client, module_world, world, objects, group_b, sessions, case
):
    """Both cases find the world as built, then change it as a case may: a row written, one
    changed, one deleted, a session, a cached value, attributes of the Python objects, a key
    of the objects, a query that fails. Whichever runs second sees none of it, in the same
    world (not one built again)."""
    _WORLDS_SEEN.append(module_world)
    assert all(seen is module_world for seen in _WORLDS_SEEN), "the world was built again"
    assert not Person.objects.filter(last_name="Записанная").exists()
    assert Order.objects.get(pk=objects["order"].pk).title == "О поощрении наставников"
    assert Petition.objects.filter(pk=objects["petition"].pk).exists()
    assert set(UserSession.objects.values_list("session_key", flat=True)) == set(sessions.values())
    assert cache.get("written-by-a-case") is None
    assert world.mentor.email == "" and objects["program"].status == Program.Status.ACTIVE
    assert "roadmap" not in objects

    make_person(world.institution, "Записанная")
    Order.objects.filter(pk=objects["order"].pk).update(title="Переписанный")
    objects["petition"].delete()
    client.force_login(group_b["other_mentor"])
    assert UserSession.objects.count() == len(sessions) + 1
    cache.set("written-by-a-case", case)
    world.mentor.email = "changed@example.org"
    objects["program"].status = Program.Status.COMPLETED
    objects["roadmap"] = "an object a row built"
    # Last, a query that fails: PostgreSQL refuses every later query of the transaction until
    # the rollback to the case's savepoint, which leaves the next case a working connection.
    with pytest.raises(IntegrityError):
        make_user(world.institution, "head")


@pytest.mark.parametrize(
    "url_name", ["registry:person-list", "registry:mentor-list", "registry:mentee-list"]
)
def test_outsider_lists_show_none_of_our_people(client, world, url_name):
    client.force_login(world.outsider)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    text = response.content.decode()
    assert world.mentee_person.last_name not in text
    assert world.mentor_person.last_name not in text


def test_a_mentor_of_group_b_cannot_see_or_act_on_group_a(client, world, objects, group_b):
    group_a = objects["group"]
    user_b = group_b["other_mentor"]
    other_mentee = group_b["other_mentee"].person
    group_b = MentoringGroup.objects.get(members__person=other_mentee)
    client.force_login(user_b)
    for name in ("registry:group-detail", "registry:petition-create"):
        assert client.get(reverse(name, args=[group_a.pk])).status_code == 404
    for name in ("registry:group-confirm", "registry:group-decline"):
        assert client.post(reverse(name, args=[group_a.pk])).status_code == 404
    # п. 4.1: the mentor sees the files of their own mentees, not of group A's.
    person_url = "registry:person-detail"
    assert client.get(reverse(person_url, args=[world.mentee_person.pk])).status_code == 404
    response = client.get(reverse(person_url, args=[other_mentee.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Согласия" not in text  # the bank's paperwork stays with the curator
    assert other_mentee.birth_date.strftime("%d.%m.%Y") not in text
    assert client.get(reverse("registry:group-detail", args=[group_b.pk])).status_code == 200


# --- Role removal and deactivation take effect on the next request (ASVS 5.0 V7.4) -----------


def test_a_removed_role_is_refused_on_the_very_next_request(world, client):
    from django.test import Client

    from registry.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=world.teacher, role=Role.CURATOR)
    client.force_login(world.teacher)
    curator_home = reverse("role-home", args=["curator"])
    assert client.get(curator_home).status_code == 200
    assert client.get(reverse("registry:person-list")).status_code == 200

    head = Client()
    head.force_login(world.head)
    assignment = RoleAssignment.objects.get(user=world.teacher, role=Role.CURATOR)
    url = reverse("registry:unbacked-role-remove", args=[assignment.pk])
    assert head.post(url).status_code == 302

    assert client.get(curator_home).status_code == 404
    assert client.get(reverse("registry:person-list")).status_code == 404


def test_deactivation_ends_every_session_of_the_user_at_once(world, client):
    from django.test import Client

    from mentoring_site.lib.sessions import UserSession as Session

    def sessions_of(user):
        found = [
            s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
        ]
        # Each row carries its user (mentoring_site/lib/sessions.py), the same as its data says.
        assert {s.pk for s in found} == set(
            Session.objects.filter(user_id=user.pk).values_list("pk", flat=True)
        )
        return found

    # The permission table keeps a session of each role for its module (_sessions): counted
    # from what is there when this test runs.
    teachers_before = len(sessions_of(world.teacher))
    client.force_login(world.teacher)
    second_browser = Client()
    second_browser.force_login(world.teacher)
    assert client.get(reverse("registry:notification-list")).status_code == 200
    assert len(sessions_of(world.teacher)) == 2 + teachers_before
    sysadmin = Client()
    sysadmin.force_login(world.sysadmin)
    sysadmins = len(sessions_of(world.sysadmin))
    url = reverse("registry:user-deactivate", args=[world.teacher.pk])
    assert sysadmin.post(url).status_code == 302

    assert sessions_of(world.teacher) == []
    assert len(sessions_of(world.sysadmin)) == sysadmins  # nobody else is logged out
    for browser in (client, second_browser):
        response = browser.get(reverse("registry:notification-list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    # Opened again, the login needs a new sign-in: the old sessions do not come back.
    world.teacher.is_active = True
    world.teacher.save(update_fields=["is_active"])
    assert client.get(reverse("registry:notification-list")).status_code == 302
