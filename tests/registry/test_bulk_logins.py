"""Logins for the whole staff at once (issue 16, part 2): «Пользователи» → «Сотрудники без
учётной записи» → tick → «Создать учётные записи» → the result page → the invitation sheets."""

import re
import shutil
import subprocess

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import LogEntry
from registry.models import InvitationCode, Letter, Person, Position, Role, RoleAssignment, User
from registry.services import logins as services
from registry.services.personal_data import ANONYMIZED_LAST_NAME
from tests.docx_helpers import docx_document, docx_download_text
from tests.factories import make_person, make_user
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

CREATE = reverse("registry:logins-create")
PEOPLE = reverse("registry:login-people")
USERS = reverse("registry:user-list")
ISSUED = reverse("registry:logins-issued")
SHEETS = reverse("registry:logins-issued-pdf")
SEARCH = reverse("registry:user-search")


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "invitations.pdf"
    path.write_bytes(content)
    # A fixed local tool on a file the test wrote itself (TOOLCHAIN.md: poppler-utils).
    command = [shutil.which("pdftotext"), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return result.stdout


def three_new_people(world):
    """Two with an e-mail address, one without (the caretaker who never reads mail)."""
    return [
        make_person(
            world.institution,
            "Щукина",
            first_name="Юлия",
            patronymic="Эдуардовна",
            email="shchukina@example.org",
        ),
        make_person(
            world.institution,
            "Ёлкина",
            first_name="Дарья",
            patronymic="Петровна",
            email="elkina@example.org",
        ),
        make_person(world.institution, "Жукова", first_name="Ксения", patronymic=""),
    ]


def create(client, people, **extra):
    return client.post(CREATE, {"selected": [p.pk for p in people], **extra})


def codes_on_sheets(text: str) -> dict[str, str]:
    """login → code, read from the sheets' text: each login is followed by its code."""
    return dict(re.findall(r"Логин\s+(\S+)\s+Код приглашения\s+(\d{4}-\d{4}-\d{4})", text))


# The whole creation ------------------------------------------------------------------------


def test_curator_creates_logins_for_three_selected_people_and_gets_letters_and_sheets(
    world, as_user, tmp_path
):
    people = three_new_people(world)
    client = as_user(world.curator)
    page = client.get(PEOPLE)
    assert page.status_code == 200
    text = page.content.decode()
    for person in people:
        assert f'name="selected" value="{person.pk}"' in text
    assert "Выбрать всех на странице" in text

    response = create(client, people)
    assert response.status_code == 302 and response.url == ISSUED

    logins = {p.last_name: Person.objects.get(pk=p.pk).user for p in people}
    assert logins["Щукина"].username == "shchukina.ye"
    assert logins["Ёлкина"].username == "elkina.dp"
    assert logins["Жукова"].username == "zhukova.k"
    for user in logins.values():
        assert user.institution == world.institution
        assert not user.has_usable_password()
        assert not user.role_assignments.exists()
        code = InvitationCode.objects.get(user=user)
        assert code.is_usable and code.created_by == world.curator
    assert logins["Щукина"].email == "shchukina@example.org"

    # The result page shows the logins and who got a letter; the codes only in the PDF.
    result = client.get(ISSUED).content.decode()
    assert "Учётные записи созданы" in result
    for user in logins.values():
        assert user.username in result
    assert "нет e-mail — только лист" in result
    assert "для 2 из 3" in result

    sheets = client.get(SHEETS)
    assert sheets.status_code == 200
    assert sheets["Content-Type"] == "application/pdf"
    assert "no-store" in sheets["Cache-Control"]
    text = pdf_text(sheets.content, tmp_path)
    codes = codes_on_sheets(text)
    assert set(codes) == {user.username for user in logins.values()}
    for person in people:
        assert person.full_name in text
    assert world.institution.name in text
    assert "http://testserver" in text
    assert "Вход по коду приглашения" in text
    assert text.count("Приглашение в реестр наставничества") == 3
    assert text.count("\x0c") == 3  # one page each
    for user in logins.values():
        stored = InvitationCode.objects.get(user=user).code_hash
        assert codes[user.username] not in stored
        assert services.HASHER.verify(services.code_normalize(codes[user.username]), stored)

    # Letters for the two with an address, sent by the worker, holding the same login and code.
    letters = Letter.objects.filter(subject="Приглашение в реестр наставничества")
    assert sorted(letters.values_list("to", flat=True)) == [
        "elkina@example.org",
        "shchukina@example.org",
    ]
    run_tasks()
    assert len(mail.outbox) == 2
    by_address = {message.to[0]: message.body for message in mail.outbox}
    body = by_address["shchukina@example.org"]
    assert "shchukina.ye" in body and codes["shchukina.ye"] in body
    assert "http://testserver/login/code/" in body


def test_the_invitation_sheets_in_docx_hold_the_same_logins_and_codes(world, as_user, tmp_path):
    """Issue 19: the sheets in Word from the same template, one page each, the same codes as
    the PDF's."""
    people = three_new_people(world)
    client = as_user(world.curator)
    create(client, people)
    pdf_codes = codes_on_sheets(pdf_text(client.get(SHEETS).content, tmp_path))
    response = client.get(SHEETS + "?format=docx")
    assert "no-store" in response["Cache-Control"]
    day = timezone.localdate()
    text = docx_download_text(response, f"Приглашения {day:%d.%m.%Y}.docx")
    assert codes_on_sheets(text) == pdf_codes and len(pdf_codes) == 3
    for person in people:
        assert person.full_name in text
    assert world.institution.name in text
    assert "Адрес реестра http://testserver" in text
    assert text.count("Приглашение в реестр наставничества") == 3
    document = docx_document(response.content)
    breaks = [p for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert len(breaks) == 2  # three sheets, each on its own page
    assert not document.sections[0].footer.paragraphs[0].text  # no «Страница 2 из 3» on them


def test_select_all_without_javascript_takes_every_row_shown(world, as_user):
    people = three_new_people(world)
    client = as_user(world.sysadmin)
    response = client.post(CREATE, {"all": "on", "shown": [p.pk for p in people]})
    assert response.status_code == 302
    assert all(Person.objects.get(pk=p.pk).user_id for p in people)


def test_unticking_select_all_takes_only_the_ticked_rows(world, as_user):
    people = three_new_people(world)
    response = as_user(world.sysadmin).post(
        CREATE, {"selected": [people[0].pk], "shown": [p.pk for p in people]}
    )
    assert response.status_code == 302
    assert [bool(Person.objects.get(pk=p.pk).user_id) for p in people] == [True, False, False]


def test_sheets_and_letters_name_site_url_when_it_is_set(world, as_user, tmp_path):
    people = three_new_people(world)
    client = as_user(world.curator)
    with override_settings(SITE_URL="https://nastavnik.example.ru", SITE_URL_IS_SET=True):
        create(client, people)
        text = pdf_text(client.get(SHEETS).content, tmp_path)
    assert "https://nastavnik.example.ru" in text and "testserver" not in text
    letter = Letter.objects.filter(to="elkina@example.org").get()
    assert "https://nastavnik.example.ru/login/code/" in letter.body


# Logins ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "login"),
    [
        (("Иванова", "Анна", "Сергеевна"), "ivanova.as"),
        (("Щербакова-Хвостова", "Юлия", "Эдуардовна"), "shcherbakova-khvostova.ye"),
        (("Ёлкина", "Дарья", ""), "elkina.d"),
        (("Цой", "Яна", "Ильинична"), "tsoy.yi"),
    ],
)
def test_login_is_the_surname_and_initials_in_latin(world, names, login):
    last, first, patronymic = names
    person = Person(last_name=last, first_name=first, patronymic=patronymic)
    assert services.login_base(person) == login


def test_logins_stay_unique_within_the_batch_and_against_existing_ones(world, as_user):
    make_user(world.institution, "ivanova.as")
    twins = [make_person(world.institution, "Иванова") for _ in range(2)]
    assert create(as_user(world.sysadmin), twins).status_code == 302
    logins = sorted(Person.objects.get(pk=p.pk).user.username for p in twins)
    assert logins == ["ivanova.as2", "ivanova.as3"]


# Bad input: a Russian message next to the selection, nothing written ------------------------


def assert_nothing_written(users_before: int, codes_before: int = 0):
    assert User.objects.count() == users_before
    assert InvitationCode.objects.count() == codes_before
    assert not Letter.objects.exists()


def test_no_people_selected_is_refused_and_nothing_written(world, as_user):
    three_new_people(world)
    before = User.objects.count()
    response = as_user(world.curator).post(CREATE, {"shown": []})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ничего не изменено" in text
    assert "Никто не выбран: отметьте сотрудников в списке" in text
    assert_nothing_written(before)


def test_a_person_who_already_has_a_login_is_refused_and_nothing_written(world, as_user):
    people = three_new_people(world)
    before = User.objects.count()
    response = create(as_user(world.curator), [people[0], world.teacher_person])
    assert response.status_code == 200
    text = response.content.decode()
    assert "У участника «Смирнова О. С.» уже есть учётная запись." in text
    # The refused ticks stay ticked, next to the message.
    ticked = f'value="{people[0].pk}" id="person-{people[0].pk}" data-select-group="people" checked'
    assert ticked in text
    assert_nothing_written(before)
    assert Person.objects.get(pk=people[0].pk).user_id is None


def test_the_service_refuses_a_person_who_got_a_login_meanwhile(world):
    people = three_new_people(world)
    services.logins_create(people=[people[2]], by=world.sysadmin, site_url="http://x")
    before = User.objects.count()
    with pytest.raises(Exception, match="уже есть учётная запись"):
        services.logins_create(people=people, by=world.sysadmin, site_url="http://x")
    assert User.objects.count() == before
    assert Person.objects.get(pk=people[0].pk).user_id is None


def test_an_anonymized_person_never_gets_a_login(world, as_user):
    person = make_person(world.institution, "Забытая")
    Person.objects.filter(pk=person.pk).update(
        last_name=ANONYMIZED_LAST_NAME, first_name=f"№ {person.pk}", anonymized_on="2026-10-01"
    )
    client = as_user(world.curator)
    assert f'name="selected" value="{person.pk}"' not in client.get(PEOPLE).content.decode()
    before = User.objects.count()
    response = create(client, [person])
    assert response.status_code == 200
    assert "обезличены: учётную запись создать нельзя" in response.content.decode()
    assert_nothing_written(before)


def test_a_dismissed_person_gets_no_login(world, as_user):
    person = make_person(world.institution, "Ушедшая", dismissed_on="2026-09-30")
    client = as_user(world.curator)
    assert f'name="selected" value="{person.pk}"' not in client.get(PEOPLE).content.decode()
    before = User.objects.count()
    response = create(client, [person])
    assert "уволена 30.09.2026: учётная запись не нужна" in response.content.decode()
    assert_nothing_written(before)


def test_people_of_another_kindergarten_cannot_be_selected(world, as_user):
    before = User.objects.count()
    response = create(as_user(world.curator), [world.other_person])
    assert response.status_code == 200
    assert "В списке нет такой строки" in response.content.decode()
    assert_nothing_written(before)
    assert Person.objects.get(pk=world.other_person.pk).user_id is None


def test_outsider_sees_none_of_our_people_without_a_login(world, as_user):
    lonely = make_person(world.institution, "Безлогина")
    text = as_user(world.outsider).get(PEOPLE).content.decode()
    assert "Безлогина" not in text
    assert f'name="selected" value="{lonely.pk}"' not in text
    assert "Чужая А. С." in text


# Who may ----------------------------------------------------------------------------------


def test_head_reads_the_list_but_cannot_create(world, as_user):
    people = three_new_people(world)
    client = as_user(world.head)
    text = client.get(PEOPLE).content.decode()
    assert "Щукина Ю. Э." in text
    assert 'name="selected"' not in text and "Создать учётные записи" not in text
    assert create(client, people).status_code == 403
    assert client.post(reverse("registry:codes-reissue")).status_code == 403
    assert not InvitationCode.objects.exists()


@pytest.mark.parametrize("who", ["council", "mentor", "mentee", "teacher"])
def test_other_roles_do_not_see_users(world, as_user, who):
    client = as_user(world.user(who))
    assert client.get(PEOPLE).status_code == 404
    assert client.post(CREATE).status_code == 404


# The result page keeps the clear codes for itself only ------------------------------------


def test_back_on_a_list_the_clear_codes_are_forgotten(world, as_user):
    client = as_user(world.curator)
    create(client, three_new_people(world))
    assert client.get(ISSUED).status_code == 200
    client.get(USERS)
    for url in (ISSUED, SHEETS):
        gone = client.get(url, follow=True)
        assert gone.redirect_chain[-1][0] == USERS
        assert "Коды приглашения показываются только сразу после выдачи" in gone.content.decode()


def test_the_codes_of_a_creation_are_not_shown_to_another_session(world, as_user, client):
    create(as_user(world.curator), three_new_people(world))
    other = type(client)()
    other.force_login(world.sysadmin)
    assert other.get(SHEETS).status_code == 302


# New codes --------------------------------------------------------------------------------


def test_new_codes_replace_the_old_ones(world, as_user, tmp_path):
    people = three_new_people(world)
    client = as_user(world.curator)
    create(client, people)
    user = Person.objects.get(pk=people[0].pk).user
    old = InvitationCode.objects.get(user=user)
    client.get(USERS)  # the first sheets are printed and forgotten

    response = client.post(reverse("registry:codes-reissue"), {"selected": [user.pk]})
    assert response.status_code == 302 and response.url == ISSUED
    old.refresh_from_db()
    assert old.revoked_at is not None
    new = InvitationCode.objects.get(user=user, revoked_at__isnull=True)
    assert new.is_usable
    assert "Новые коды выданы" in client.get(ISSUED).content.decode()
    codes = codes_on_sheets(pdf_text(client.get(SHEETS).content, tmp_path))
    assert list(codes) == [user.username]
    assert services.HASHER.verify(services.code_normalize(codes[user.username]), new.code_hash)
    assert Letter.objects.filter(to="shchukina@example.org").count() == 2


def test_the_curator_does_not_issue_codes_for_the_head_or_herself(world, as_user):
    client = as_user(world.curator)
    page = client.get(USERS).content.decode()
    assert f'name="selected" value="{world.teacher.pk}"' in page
    for account in (world.head, world.curator, world.sysadmin):
        assert f'name="selected" value="{account.pk}"' not in page  # no tick to put
        assert f'name="shown" value="{account.pk}"' not in page
    assert "Коды для учётных записей с ролями выдаёт системный администратор." in page
    url = reverse("registry:codes-reissue")
    for account, message in [
        (world.head, "Код для «head» выдаёт системный администратор"),
        (world.curator, "Себе код выдать нельзя"),
    ]:
        response = client.post(url, {"selected": [account.pk]})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not InvitationCode.objects.exists()


def test_the_sysadmin_issues_a_code_for_the_head(world, as_user):
    page = as_user(world.sysadmin).get(USERS).content.decode()
    assert f'name="selected" value="{world.head.pk}"' in page
    assert f'name="selected" value="{world.sysadmin.pk}"' not in page
    response = as_user(world.sysadmin).post(
        reverse("registry:codes-reissue"), {"selected": [world.head.pk]}
    )
    assert response.status_code == 302
    assert InvitationCode.objects.get(user=world.head).is_usable


def test_no_code_for_a_closed_login_and_none_selected(world, as_user):
    world.teacher.is_active = False
    world.teacher.save()
    client = as_user(world.sysadmin)
    url = reverse("registry:codes-reissue")
    refused = client.post(url, {"selected": [world.teacher.pk]}).content.decode()
    assert "отключена: сначала включите её" in refused
    nobody = client.post(url, {}).content.decode()
    assert "Никто не выбран: отметьте учётные записи" in nobody
    assert not InvitationCode.objects.exists()


# The users list: search, filters, queries --------------------------------------------------


def test_the_name_search_goes_by_post_into_the_session(world, as_user):
    client = as_user(world.sysadmin)
    response = client.post(SEARCH, {"list_name": "users", "q": "петрова"})
    assert response.status_code == 302 and response.url == USERS
    text = client.get(USERS).content.decode()
    assert "Петрова М. И." in text and "Иванова А. С." not in text
    client.post(SEARCH, {"list_name": "users", "q": "петрова", "reset": "1"})
    assert "Иванова А. С." in client.get(USERS).content.decode()

    make_person(world.institution, "Безлогина")
    make_person(world.institution, "Другая")
    client.post(SEARCH, {"list_name": "login-people", "q": "Безлог"})
    text = client.get(PEOPLE).content.decode()
    assert "Безлогина А. С." in text and "Другая А. С." not in text


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("role=curator", ["curator"], ["head", "teacher"]),
        ("role=none", ["teacher", "mentor"], ["curator", "head"]),
        ("state=inactive", ["council"], ["curator"]),
        ("state=active", ["curator"], ["council"]),
        ("password=unset", ["shchukina.ye"], ["curator"]),
        ("password=set", ["curator"], ["shchukina.ye"]),
        ("logged_in=never", ["shchukina.ye", "council"], ["curator"]),
        ("logged_in=yes", ["curator"], ["shchukina.ye"]),
    ],
)
def test_the_users_list_filters(world, as_user, query, shown, hidden):
    from django.utils import timezone

    world.council.is_active = False
    world.council.save()
    User.objects.filter(pk=world.curator.pk).update(last_login=timezone.now())
    services.logins_create(
        people=[
            make_person(world.institution, "Щукина", first_name="Юлия", patronymic="Эдуардовна")
        ],
        by=world.sysadmin,
        site_url="http://x",
    )
    text = as_user(world.sysadmin).get(f"{USERS}?{query}").content.decode()
    logins = set(re.findall(r"<code>([^<]+)</code>", text))
    assert set(shown) <= logins
    assert not set(hidden) & logins


def test_the_people_list_filters_by_email_position_and_organization(world, as_user):
    with_mail = make_person(world.institution, "Почтова", email="p@example.org")
    without = make_person(world.institution, "Безпочты")
    methodist = make_person(
        world.institution, "Методистова", position=Position.objects.get(name="старший воспитатель")
    )
    student = make_person(world.institution, "Студентова", organization=world.partner)
    client = as_user(world.curator)

    def names(query):
        return set(
            re.findall(
                r'name="selected" value="(\d+)"', client.get(f"{PEOPLE}?{query}").content.decode()
            )
        )

    assert str(with_mail.pk) in names("has_email=yes") and str(without.pk) not in names(
        "has_email=yes"
    )
    assert str(without.pk) in names("has_email=no") and str(with_mail.pk) not in names(
        "has_email=no"
    )
    methodists = names(f"position={methodist.position_id}")
    assert methodists == {str(methodist.pk)}
    assert names(f"organization={world.partner.pk}") == {str(student.pk)}


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [USERS, PEOPLE])
def test_the_lists_cost_the_same_queries_at_two_sizes(world, as_user, url):
    client = as_user(world.sysadmin)
    _queries(client, url)  # the first request after login also writes the session

    def add(n):
        for _ in range(n):
            person = make_person(world.institution, email=f"p{Person.objects.count()}@example.org")
            make_user(world.institution, f"u{person.pk}", Role.COUNCIL, person=person)
            make_person(world.institution)  # and one without a login

    add(3)
    small = _queries(client, url)
    add(30)
    # The logins grow past a page, the people without one do not: only the longer list asks its
    # COUNT(*) (lib/pages.py::first_page).
    assert _queries(client, url) == small + (url == USERS)


# The audit trail ---------------------------------------------------------------------------


def test_created_logins_and_codes_are_in_the_audit_trail_without_the_hash(world, as_user):
    people = three_new_people(world)
    create(as_user(world.curator), people)
    user = Person.objects.get(pk=people[0].pk).user
    code = InvitationCode.objects.get(user=user)
    entries = LogEntry.objects.filter(actor=world.curator, institution=world.institution)
    user_entry = entries.get(
        content_type__model="user", object_id=user.pk, action=LogEntry.Action.CREATE
    )
    assert user_entry.changes["username"][1] == "shchukina.ye"
    code_entry = entries.get(
        content_type__model="invitationcode", object_id=code.pk, action=LogEntry.Action.CREATE
    )
    assert "code_hash" not in code_entry.changes
    assert "expires_at" in code_entry.changes
    assert entries.filter(content_type__model="person", object_id=people[0].pk).exists()
    assert not RoleAssignment.objects.filter(user=user).exists()
