"""The mentor bank shows what a curator needs to pick a mentor (issue 22, item 7): each mentor's
load (mentees now in her open pairs and groups, of the places she offers) and whether her written
consent to mentoring is on file (ТК РФ ст. 351.8), on the page and in its Excel export, with a
number of queries that does not grow with the bank."""

import io
import re
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from registry.models import Consent, GroupMember, MentoringForm, MentoringGroup
from tests.factories import give_consent, make_mentee, make_mentor, make_person

pytestmark = pytest.mark.django_db

LIST = reverse("registry:mentor-list")
EXPORT = reverse("registry:bank-export", args=["mentors"])


def group_of(world, mentor, mentees, status=MentoringGroup.Status.ACTIVE):
    group = MentoringGroup.objects.create(
        institution=world.institution,
        form=MentoringForm.objects.shared().first(),
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 5, 31),
        curator=world.curator,
        status=status,
    )
    GroupMember.objects.create(group=group, person=mentor, role=GroupMember.Role.MENTOR)
    for mentee in mentees:
        GroupMember.objects.create(group=group, person=mentee, role=GroupMember.Role.MENTEE)
    return group


def new_mentee(world):
    person = make_person(world.institution)
    make_mentee(person)
    return person


def add_mentors(world, count):
    """Mentors with two places each, one mentee in an open group and a written consent."""
    for _ in range(count):
        mentor = make_person(world.institution)
        make_mentor(mentor)
        give_consent(mentor, Consent.Kind.MENTORING)
        group_of(world, mentor, [new_mentee(world)])


def row_of(html: str, short_name: str) -> str:
    match = re.search(r"<tr>\s*<td><a[^>]*>" + re.escape(short_name) + r".*?</tr>", html, re.S)
    assert match, f"no row of {short_name}"
    return match.group(0)


def cells(row: str) -> list[str]:
    """The texts of a row's cells: name, position, competences, load, training, consent to
    processing, written consent to mentoring, review."""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def read_rows(response) -> dict:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, cells in enumerate(rows) if cells[0] == "ФИО")
    return {cells[0]: dict(zip(rows[start], cells, strict=True)) for cells in rows[start + 1 :]}


@pytest.fixture
def loads(world):
    """Петрова: 2 of 2 places taken (one active pair, one proposed group), written consent of
    05.09.2026; Кузнецова: none of 3 taken, a completed pair, no written consent."""
    petrova = world.mentor_person
    give_consent(petrova, Consent.Kind.MENTORING, on=date(2026, 9, 5))
    group_of(world, petrova, [world.mentee_person])
    group_of(world, petrova, [new_mentee(world)], status=MentoringGroup.Status.PROPOSED)
    kuznetsova = make_person(world.institution, "Кузнецова", first_name="Вера")
    profile = make_mentor(kuznetsova)
    profile.capacity = 3
    profile.save()
    group_of(world, kuznetsova, [new_mentee(world)], status=MentoringGroup.Status.COMPLETED)
    return petrova, kuznetsova


def test_the_bank_shows_each_mentors_load_and_written_consent(world, as_user, loads):
    html = as_user(world.curator).get(LIST).content.decode()

    assert "Занято мест" in html
    assert "Согласие на наставни&shy;чество" in html and "ст.&nbsp;351.8 ТК&nbsp;РФ" in html
    petrova = cells(row_of(html, "Петрова М. И."))
    assert petrova[3] == "2 из 2 мест нет"
    assert petrova[6] == "есть от 05.09.2026"
    kuznetsova = cells(row_of(html, "Кузнецова В. С."))
    assert kuznetsova[3] == "0 из 3"
    assert kuznetsova[6] == "нет"


def test_a_withdrawn_written_consent_is_not_on_file(world, as_user, loads):
    petrova, _ = loads
    petrova.consents.filter(kind=Consent.Kind.MENTORING).update(withdrawn_on=date(2026, 10, 1))
    html = as_user(world.curator).get(LIST).content.decode()
    assert cells(row_of(html, "Петрова М. И."))[6] == "нет"
    assert read_rows(as_user(world.curator).get(EXPORT))["Петрова Мария Ивановна"][
        "Согласие на наставничество (ТК РФ, ст. 351.8)"
    ] == ("нет")


def test_the_export_has_the_load_and_the_written_consent(world, as_user, loads):
    rows = read_rows(as_user(world.head).get(EXPORT))

    petrova = rows["Петрова Мария Ивановна"]
    assert petrova["Наставляемых одновременно"] == 2
    assert petrova["Занято мест (наставляемых сейчас)"] == 2
    assert petrova["Согласие на наставничество (ТК РФ, ст. 351.8)"] == "есть"
    assert petrova["Дата согласия на наставничество"] == datetime(2026, 9, 5)
    kuznetsova = rows["Кузнецова Вера Сергеевна"]
    assert kuznetsova["Занято мест (наставляемых сейчас)"] == 0
    assert kuznetsova["Согласие на наставничество (ТК РФ, ст. 351.8)"] == "нет"
    assert kuznetsova["Дата согласия на наставничество"] is None


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_the_load_and_consent_cost_no_query_per_mentor(world, as_user, url):
    client = as_user(world.curator)
    client.get(url)  # the first request of a session also writes it
    add_mentors(world, 4)
    few = _queries(client, url, per_page=50)
    add_mentors(world, 40)
    many = _queries(client, url, per_page=50)
    assert few == many
