"""Two people deciding at once (issue 20): the head approving the same pair in two browsers.
The second decision waits for the first and is refused with the registry's own message, on SQLite
as on PostgreSQL — never «База данных недоступна».

The two decisions run in two processes with their own connections to a database both see: the
test database itself on PostgreSQL; on SQLite, whose test database lives in memory, a file copy
of it made with SQLite's backup API. The first holds its transaction open for a moment (its
members are read slowly) and leaves a mark when it is inside; the second starts only when it
finds the mark, so the order holds however slowly a busy machine loads either process."""

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from registry.models import GroupMember, MentoringForm, MentoringGroup, Order
from tests.factories import build_world, make_person, seed_reference_lists, sign_agreement

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent

DECIDE = """
import os, sys, time
from datetime import date
from unittest import mock

import django

django.setup()
from django.core.exceptions import ValidationError
from django.db import OperationalError

from registry.models import MentoringGroup, User
from registry.services import groups

mark, wait_for, hold = sys.argv[1], sys.argv[2], float(sys.argv[3])
group_pk, head_pk = map(int, sys.argv[4:6])
original = groups._active_members


def slowly(group):
    members = original(group)
    open(mark, "w").close()  # inside the approval's transaction, after the group was read
    time.sleep(hold)
    return members


while wait_for and not os.path.exists(wait_for):
    time.sleep(0.005)
try:
    with mock.patch.object(groups, "_active_members", slowly):
        order = groups.group_approve(
            group=MentoringGroup.objects.get(pk=group_pk),
            head=User.objects.get(pk=head_pk),
            number="94/1",
            signed_on=date(2026, 9, 15),
        )
except ValidationError as error:
    print("REFUSED", " ".join(error.messages))
except OperationalError as error:
    print("DATABASE", error)
else:
    print("SIGNED", order.number)
"""


@pytest.fixture
def world(db):
    """A transactional test cannot live in a module's shared world (tests/conftest.py refuses
    it): this module builds its world per test, on the reference lists a transactional test
    that ran before in this worker flushed."""
    seed_reference_lists()
    return build_world()


def submitted_pair(world) -> MentoringGroup:
    group = MentoringGroup.objects.create(
        institution=world.institution,
        status=MentoringGroup.Status.SUBMITTED,
        form=MentoringForm.objects.shared().first(),
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 5, 31),
        curator=world.curator,
    )
    mentee = make_person(world.institution, "Ждущая")
    for person, role in [
        (world.mentor_person, GroupMember.Role.MENTOR),
        (mentee, GroupMember.Role.MENTEE),
    ]:
        GroupMember.objects.create(
            group=group, person=person, role=role, response=GroupMember.Response.CONFIRMED
        )
    sign_agreement(group, world.mentor_person, by=world.curator)
    return group


def database_url(tmp_path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "decisions.sqlite3"
        with sqlite3.connect(copy) as target:
            connection.ensure_connection()
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    user = settings["USER"] or "postgres"
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def decide(url: str, mark: Path, wait_for: Path | str, hold: float, group, head):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "mentoring_site.settings",
        "DJANGO_DEBUG": "true",
        "DJANGO_CACHE_URL": "locmem://",
    }
    args = [str(mark), str(wait_for), str(hold), str(group.pk), str(head.pk)]
    return subprocess.Popen(  # noqa: S603  (our own script, our own arguments)
        [sys.executable, "-c", DECIDE, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_second_of_two_approvals_at_once_is_refused_with_the_registrys_message(world, tmp_path):
    group = submitted_pair(world)
    url = database_url(tmp_path)
    first_inside = tmp_path / "first-inside"
    first = decide(url, first_inside, "", 2.0, group, world.head)
    second = decide(url, tmp_path / "second-inside", first_inside, 0.0, group, world.head)
    outputs = []
    for process in (first, second):
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
        outputs.append(out.strip().splitlines()[-1])
    assert outputs[0] == "SIGNED 94/1"
    assert outputs[1] == "REFUSED Нельзя утвердить: группа сейчас в состоянии «утверждена»."
    if connection.vendor == "sqlite":
        with sqlite3.connect(url.removeprefix("sqlite:///")) as copy:
            (count,) = copy.execute(
                "SELECT COUNT(*) FROM registry_order WHERE number = '94/1'"
            ).fetchone()
        assert count == 1
    else:
        assert Order.objects.filter(institution=world.institution, number="94/1").count() == 1
