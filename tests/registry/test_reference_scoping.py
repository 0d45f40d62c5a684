"""A kindergarten's own reference entries and typical events are offered to it alone (issue 20):
every form of another kindergarten shows the installation's entries and its own, never ours."""

import re
from datetime import date

import pytest
from django.urls import reverse

from programs.models import EventForm, Program, TypicalEvent
from registry.models import (
    Direction,
    GroupMember,
    MenteeCategory,
    MentoringForm,
    MentoringGroup,
    MentoringKind,
    Position,
)
from reports import indicators

MODELS = [MentoringForm, MentoringKind, Direction, MenteeCategory, Position, EventForm]
LINK = re.compile(r'href="(/[^"#?]*)"')
SKIP = ("/logout/", "/static/", "/admin/", "/nastavnichestvo/", ".pdf", ".xlsx", ".json", ".ics")


@pytest.fixture
def theirs(world):
    """The other kindergarten's own entries, one in every list, named so they stand out."""
    entries = {
        model: model.objects.create(
            name=f"Чужое-{model.__name__}", institution=world.other_institution
        )
        for model in MODELS
    }
    entries[TypicalEvent] = TypicalEvent.objects.create(
        title="Чужое-ТиповоеМероприятие",
        direction=Direction.objects.shared().first(),
        form=EventForm.objects.shared().first(),
        institution=world.other_institution,
    )
    return entries


def active_program(world):
    group = MentoringGroup.objects.create(
        institution=world.institution,
        status=MentoringGroup.Status.ACTIVE,
        form=MentoringForm.objects.shared().first(),
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 5, 31),
        curator=world.curator,
    )
    for person, role in [
        (world.mentor_person, GroupMember.Role.MENTOR),
        (world.mentee_person, GroupMember.Role.MENTEE),
    ]:
        GroupMember.objects.create(group=group, person=person, role=role)
    return Program.objects.create(
        group=group, status=Program.Status.DRAFT, start=date(2026, 9, 1), end=date(2027, 5, 31)
    )


def crawl(client, start: str, limit: int = 120) -> dict[str, str]:
    """The pages reachable from ``start`` by links, GET only, at most ``limit``."""
    seen, queue, pages = set(), [start], {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith(SKIP) or any(part in url for part in SKIP):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages[url] = response.content.decode()
        queue.extend(link for link in LINK.findall(pages[url]) if link not in seen)
    return pages


@pytest.mark.parametrize("role", ["curator", "sysadmin", "mentor"])
def test_no_page_of_our_kindergarten_offers_another_kindergartens_entries(
    world, as_user, theirs, role
):
    program = active_program(world)
    client = as_user(world.user(role))
    pages = crawl(client, client.get(reverse("home"))["Location"])
    # Forms the crawl may not reach by a link from the home page.
    for url in (
        reverse("registry:person-create"),
        reverse("registry:mentee-profile", args=[world.mentee_person.pk]),
        reverse("registry:mentor-profile", args=[world.mentor_person.pk]),
        reverse("registry:group-create"),
        reverse("registry:matching", args=[world.mentee_person.pk]),
        reverse("registry:questionnaire-fill", args=["mentee"]),
        reverse("programs:event-create", args=[program.pk]),
        reverse("programs:library-list"),
        reverse("programs:library-create"),
        reverse("reports:practice-create"),
        reverse("registry:import-upload"),
    ):
        response = client.get(url)
        if response.status_code == 200:
            pages[url] = response.content.decode()
    assert len(pages) > 10
    for url, text in pages.items():
        assert "Чужое-" not in text, f"{url} as {role} shows another kindergarten's entry"


def test_our_own_entries_are_offered_to_us(world, as_user):
    ours = Position.objects.create(name="Своя-Должность", institution=world.institution)
    page = as_user(world.curator).get(reverse("registry:person-create")).content.decode()
    assert "Своя-Должность" in page
    assert f'value="{ours.pk}"' in page


def test_a_posted_entry_of_another_kindergarten_is_refused(world, as_user, theirs):
    """Choosing it by id in a hand-made request is refused as any invalid choice."""
    response = as_user(world.curator).post(
        reverse("registry:person-update", args=[world.teacher_person.pk]),
        {"last_name": "Смирнова", "first_name": "Ольга", "position": theirs[Position].pk},
    )
    assert response.status_code == 200
    assert "position" in response.context["form"].errors
    world.teacher_person.refresh_from_db()
    assert world.teacher_person.position != theirs[Position]


def test_the_indicators_list_our_own_entries_and_not_theirs(world, theirs):
    MentoringForm.objects.create(name="Своя-Форма", institution=world.institution)
    data = indicators.compute(institution=world.institution, year_start=2026)
    names = {row["name"] for row in data["by_form"]}
    assert "Своя-Форма" in names
    assert "Чужое-MentoringForm" not in names


def test_a_program_from_the_template_draws_on_the_installations_and_our_library(world, theirs):
    from programs.services.drafting import program_create_from_template

    program = active_program(world)
    program.delete()
    group = MentoringGroup.objects.get(institution=world.institution)
    direction = world.mentee_person.mentee_profile.difficulties.first().direction
    TypicalEvent.objects.filter(pk=theirs[TypicalEvent].pk).update(direction=direction)
    ours = TypicalEvent.objects.create(
        title="Своё-ТиповоеМероприятие",
        direction=direction,
        form=EventForm.objects.shared().first(),
        institution=world.institution,
    )
    created = program_create_from_template(group=group, user=world.curator)
    titles = set(created.events.values_list("title", flat=True))
    assert ours.title in titles
    assert "Чужое-ТиповоеМероприятие" not in titles
