"""«Добавить из библиотеки» (issue 22, item 1): while the plan may change — a draft, or an
approved program with a reason (Приложение 1) — the mentor and the curator pick a typical
event of the library their kindergarten sees, and the event form opens filled from it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import EventForm, Program, ProgramEvent, TypicalEvent
from programs.services import drafting as services
from registry.models import Direction
from tests.programs.test_drafting import (
    METHODICAL,
    METHODICAL_EVENTS,
    active_program,
    difficulty,
    draft_program,
    on_review_program,
)
from tests.programs.test_program_pages import other_pair, said

pytestmark = pytest.mark.django_db

PARENTS = "психолого-педагогическое (дети и родители)"


def url(name, *args) -> str:
    return reverse(f"programs:{name}", args=args)


def library_titles(response) -> list[str]:
    return [
        typical.title for section in response.context["sections"] for typical, _ in section.entries
    ]


def typical(title: str) -> TypicalEvent:
    return TypicalEvent.objects.get(title=title, institution__isnull=True)


def test_the_plan_offers_the_library_to_the_mentor_of_a_draft(world, as_user):
    program = draft_program(world)

    page = as_user(world.mentor).get(url("program-detail", program.pk)).content.decode()

    assert "Добавить из библиотеки" in page
    assert url("event-library", program.pk) in page


def test_the_mentee_is_not_offered_the_library(world, as_user):
    program = draft_program(world)

    page = as_user(world.mentee).get(url("program-detail", program.pk)).content.decode()

    assert "Добавить из библиотеки" not in page


def test_the_library_lists_the_mentees_directions_first(world, as_user):
    program = draft_program(world)

    response = as_user(world.mentor).get(url("event-library", program.pk))

    assert response.status_code == 200
    sections = response.context["sections"]
    assert sections[0].direction.name == METHODICAL
    assert sections[0].for_difficulties
    assert [t.title for t, _ in sections[0].entries] == METHODICAL_EVENTS
    assert not any(section.for_difficulties for section in sections[1:])
    assert "Подготовка и проведение родительского собрания" in library_titles(response)
    assert "затруднение наставляемого" in response.content.decode()


def test_the_library_shows_the_installations_and_own_entries_only(world, as_user):
    program = draft_program(world)
    direction, form = Direction.objects.get(name=METHODICAL), EventForm.objects.first()
    TypicalEvent.objects.create(
        direction=direction,
        form=form,
        title="Своё: клуб молодого педагога",
        institution=world.institution,
    )
    TypicalEvent.objects.create(
        direction=direction,
        form=form,
        title="Чужое мероприятие",
        institution=world.other_institution,
    )
    TypicalEvent.objects.filter(title=METHODICAL_EVENTS[0]).update(is_active=False)

    titles = library_titles(as_user(world.mentor).get(url("event-library", program.pk)))

    assert "Своё: клуб молодого педагога" in titles
    assert "Чужое мероприятие" not in titles
    assert METHODICAL_EVENTS[0] not in titles


def test_a_chosen_typical_event_fills_the_event_form(world, as_user):
    program = draft_program(world)
    chosen = typical("Анализ проведённого занятия")

    response = as_user(world.mentor).get(url("event-create", program.pk) + f"?typical={chosen.pk}")

    assert response.status_code == 200
    form = response.context["form"]
    assert form["title"].value() == "Анализ проведённого занятия"
    assert form["direction"].value() == chosen.direction_id
    assert form["form"].value() == chosen.form_id
    assert form["expected_result"].value() == chosen.expected_result
    assert form["deadline"].value() == program.start + timedelta(weeks=chosen.week)
    assert form["responsible"].value() == ProgramEvent.Responsible.MENTEE
    assert form["difficulties"].value() == [difficulty(world).pk]
    assert "Заполнено по библиотеке: «Анализ проведённого занятия»" in response.content.decode()


def test_the_mentor_changes_the_filled_event_before_saving(world, as_user):
    program = draft_program(world)
    chosen = typical("Подготовка и проведение родительского собрания")
    client = as_user(world.mentor)
    form = client.get(url("event-create", program.pk) + f"?typical={chosen.pk}").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["title"] = "Родительское собрание в младшей группе"
    data["deadline"] = f"{data['deadline']:%Y-%m-%d}"
    data["difficulties"] = [difficulty(world).pk]

    response = client.post(url("event-create", program.pk) + f"?typical={chosen.pk}", data)

    assert response.status_code == 302
    event = program.events.get(title="Родительское собрание в младшей группе")
    assert event.direction == chosen.direction
    assert event.form == chosen.form
    assert event.responsible == ProgramEvent.Responsible.MENTEE
    assert list(event.difficulties.all()) == [difficulty(world)]


def test_another_kindergartens_typical_event_is_not_found(world, as_user):
    program = draft_program(world)
    foreign = TypicalEvent.objects.create(
        direction=Direction.objects.get(name=METHODICAL),
        form=EventForm.objects.first(),
        title="Чужое мероприятие",
        institution=world.other_institution,
    )

    response = as_user(world.mentor).get(url("event-create", program.pk) + f"?typical={foreign.pk}")

    assert response.status_code == 404


def test_in_a_running_program_a_passed_week_counts_from_today(world, as_user):
    program = active_program(world)
    today = timezone.localdate()
    Program.objects.filter(pk=program.pk).update(start=today - timedelta(weeks=10))
    program.refresh_from_db()
    chosen = typical("Совместная разработка конспекта НОД")  # week 2: already passed

    response = as_user(world.curator).get(url("event-create", program.pk) + f"?typical={chosen.pk}")

    assert response.context["form"]["deadline"].value() == today + timedelta(weeks=chosen.week)
    assert "why" in response.context["form"].fields  # the change of an approved plan


def test_the_deadline_never_falls_after_the_programs_end(world):
    program = draft_program(world)
    late = TypicalEvent(week=200, title="Поздно")

    assert services.typical_deadline(late, program) == program.end


def test_the_curator_adds_from_the_library_to_a_running_program_with_a_reason(world, as_user):
    program = active_program(world)
    chosen = typical("Консультация по взаимодействию с родителями")
    client = as_user(world.curator)
    assert client.get(url("event-library", program.pk)).status_code == 200
    form = client.get(url("event-create", program.pk) + f"?typical={chosen.pk}").context["form"]
    data = {name: form[name].value() for name in form.fields if name != "difficulties"}
    data["deadline"] = f"{data['deadline']:%Y-%m-%d}"
    data["why"] = "Наставляемая попросила помочь с родительским собранием"

    response = client.post(url("event-create", program.pk), data)

    assert response.status_code == 302
    assert program.events.filter(title=chosen.title).exists()
    assert program.changes.first().why == data["why"]


def test_a_program_on_review_does_not_open_the_library(world, as_user):
    program = on_review_program(world)

    response = as_user(world.mentor).get(url("event-library", program.pk))

    assert response.status_code == 302
    assert "изменить нельзя" in said(response)[0]


@pytest.mark.parametrize(("role", "status"), [("mentee", 403), ("head", 403), ("council", 403)])
def test_readers_of_the_program_cannot_open_the_library(world, as_user, role, status):
    program = draft_program(world)

    assert as_user(world.user(role)).get(url("event-library", program.pk)).status_code == status


def test_outsiders_do_not_find_the_library_of_the_program(world, as_user):
    program = draft_program(world)
    group_b = other_pair(world)
    mentor_b = group_b.members.get(role="mentor").person.user

    assert as_user(world.outsider).get(url("event-library", program.pk)).status_code == 404
    assert as_user(mentor_b).get(url("event-library", program.pk)).status_code == 404


@pytest.mark.parametrize(
    ("value", "status"), [("²", 200), ("abc", 200), ("", 200), ("99999999999999999999999", 404)]
)
def test_a_typical_id_that_is_no_id_opens_a_blank_form_or_404(world, as_user, value, status):
    program = draft_program(world)

    response = as_user(world.mentor).get(url("event-create", program.pk) + f"?typical={value}")

    assert response.status_code == status
    if status == 200:
        assert response.context["form"]["title"].value() is None
