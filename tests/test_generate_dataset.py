"""The synthetic city of ``manage.py generate_dataset`` (issue 9), at two institutions: the
same seed builds the same city, every row keeps the models' constraints, and the logins of
each role open their home page."""

import time
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from mentoring_site.dataset.data import DATASET_PASSWORD
from mentoring_site.dataset.generator import generate
from mentoring_site.lib.collation import normalize_for_search
from programs.models import Program, ProgramEvent
from registry.models import (
    GroupMember,
    MenteeProfile,
    MentoringGroup,
    Order,
    Organization,
    Person,
    RoleAssignment,
    User,
)
from reports.models import Answer
from roadmap.models import Activity, Roadmap, RoadmapVersion

TODAY = date(2026, 12, 2)


def fingerprint() -> dict:
    """What must come out the same twice: names, logins and the shape of the data."""
    return {
        "institutions": list(
            Organization.objects.filter(partner_of=None)
            .order_by("short_name")
            .values_list("short_name", "head_name")
        ),
        "people": list(
            Person.objects.order_by("institution__short_name", "email").values_list(
                "last_name", "first_name", "patronymic", "birth_date", "email"
            )
        ),
        "logins": sorted(User.objects.values_list("username", flat=True)),
        "members": sorted(
            GroupMember.objects.values_list("person__email", "group__planned_start", "role")
        ),
        "events": ProgramEvent.objects.count(),
        "answers": sorted(Answer.objects.values_list("scale", flat=True), key=str),
    }


@pytest.mark.django_db
def test_same_seed_builds_the_same_city_in_seconds():
    with transaction.atomic():
        started = time.perf_counter()
        first_counts = generate(institutions=2, seed=7, today=TODAY).rows
        elapsed = time.perf_counter() - started
        first = fingerprint()
        transaction.set_rollback(True)
    assert Organization.objects.filter(short_name__startswith="ДС ").count() == 0
    second_counts = generate(institutions=2, seed=7, today=TODAY).rows
    assert second_counts == first_counts
    assert fingerprint() == first
    assert elapsed < 10
    # The sizes the issue asks for, per institution: 30 people, 9 groups and programs over
    # three years, 15 events each, 5 orders, about 20 answers, a roadmap.
    assert first_counts["Person"] == 60
    assert first_counts["MentoringGroup"] == first_counts["Program"] == 18
    assert first_counts["MentoringAgreement"] == 18
    assert first_counts["ProgramEvent"] == 270
    assert first_counts["Order"] == 10
    assert first_counts["Roadmap"] == first_counts["RoadmapVersion"] == 2
    assert 40 <= first_counts["Answer"] <= 50
    assert first_counts["FinalReport"] == 2


@pytest.mark.django_db
def test_another_seed_draws_other_names():
    with transaction.atomic():
        generate(institutions=2, seed=7, today=TODAY)
        first = fingerprint()["people"]
        transaction.set_rollback(True)
    generate(institutions=2, seed=8, today=TODAY)
    assert fingerprint()["people"] != first


@pytest.mark.django_db
def test_rows_keep_the_constraints_and_the_search_column():
    generate(institutions=2, seed=7, today=TODAY)
    for model in (Person, MentoringGroup, Program, Order, Roadmap, Activity, RoadmapVersion):
        for row in model.objects.all():
            row.full_clean()
    for event in ProgramEvent.objects.all()[:60]:
        event.full_clean()
    for person in Person.objects.all():
        assert person.search_name == normalize_for_search(person.full_name)
    # Active groups are approved by a signed order and their mentees are in a pair.
    for group in MentoringGroup.objects.filter(status=MentoringGroup.Status.ACTIVE):
        assert group.order.is_signed and group.program.status == Program.Status.ACTIVE
        for member in group.members.filter(role=GroupMember.Role.MENTEE):
            assert member.person.mentee_profile.status == MenteeProfile.Status.IN_PAIR
    for roadmap in Roadmap.objects.all():
        assert roadmap.is_approved and roadmap.order.kind == Order.Kind.ROADMAP
        assert roadmap.stages.count() == 7
    assert RoleAssignment.objects.filter(user__username="ds0001-curator").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("login", "role"),
    [
        ("ds0001-head", "head"),
        ("ds0001-curator", "curator"),
        ("ds0001-council", "council"),
        ("ds0001-sysadmin", "sysadmin"),
        ("ds0002-mentor", "mentor"),
        ("ds0002-mentee", "mentee"),
        ("ds0002-teacher", "teacher"),
    ],
)
def test_each_role_logs_in_through_the_form(client, login, role):
    generate(institutions=2, seed=7, today=TODAY)
    response = client.post(reverse("login"), {"username": login, "password": DATASET_PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("role-home", kwargs={"role": role}))
    assert home.status_code == 200


@pytest.mark.django_db
def test_command_refuses_a_second_city_without_append():
    out = StringIO()
    call_command("generate_dataset", "--institutions", "1", stdout=out)
    assert "ProgramEvent: 135" in out.getvalue()
    with pytest.raises(Exception, match="уже есть"):
        call_command("generate_dataset", "--institutions", "1", stdout=StringIO())
    call_command("generate_dataset", "--institutions", "1", "--append", stdout=StringIO())
    assert Organization.objects.filter(short_name="ДС № 0002").exists()


@pytest.mark.django_db
def test_public_sections_are_published(client):
    counts = generate(institutions=2, seed=7, today=TODAY).rows
    assert counts.get("PublicSection") == 2
    url = reverse("public:section", kwargs={"slug": "ds0002"})
    assert client.get(url).status_code == 200
