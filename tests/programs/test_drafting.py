"""Drafting and approving a program (п. 1.2, п. 5.1, Приложение 1): «Создать по шаблону»,
the note with optimistic locking, the plan, comments, submission, approval and return.
The helpers here are shared with test_program_pages.py."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from programs.models import (
    EventForm,
    Program,
    ProgramChange,
    ProgramComment,
    ProgramEvent,
    TypicalEvent,
)
from programs.services import drafting as services
from registry.models import Direction, Mode, Notification
from registry.services.groups import add_months
from tests.registry.test_group_services import active_group

pytestmark = pytest.mark.django_db

Status = Program.Status
METHODICAL = "методическое"
METHODICAL_EVENTS = [
    "Совместная разработка конспекта НОД",
    "Анализ проведённого занятия",
    "Мастер-класс наставника по планированию",
]


# --- Helpers shared with test_program_pages.py ----------------------------------------------


def draft_program(world, **changes) -> Program:
    """A draft made from the template for an approved pair of the world's mentor and mentee."""
    group = active_group(world, **changes)
    return services.program_create_from_template(group=group, user=world.mentor)


# The parts of the note «Создать по шаблону» leaves empty, as the mentor fills them before
# sending the program to the curator (Приложение 1).
FILLED_NOTE = {
    "content": "Совместное планирование, взаимопосещение занятий, разбор с наставником.",
    "intermediate_results": "Конспекты занятий составлены самостоятельно.",
    "schedule": "По вторникам в 14:00, раз в две недели.",
    "conditions": "Методический кабинет, ноутбук.",
}


def fill_note(program: Program) -> Program:
    Program.objects.filter(pk=program.pk).update(**FILLED_NOTE)
    program.refresh_from_db()
    return program


def on_review_program(world) -> Program:
    return services.program_submit(program=fill_note(draft_program(world)), user=world.mentor)


def active_program(world) -> Program:
    return services.program_approve(program=on_review_program(world), user=world.curator)


def add_events(program: Program, count: int, **fields) -> list[ProgramEvent]:
    direction = Direction.objects.get(name=METHODICAL)
    form = EventForm.objects.first()
    values = {"deadline": program.start + timedelta(days=10)} | fields
    return ProgramEvent.objects.bulk_create(
        [
            ProgramEvent(
                program=program, direction=direction, form=form, title=f"Событие {i}", **values
            )
            for i in range(count)
        ]
    )


def note_data(program: Program, **changes) -> dict:
    data = {name: getattr(program, name) for name in services.NOTE_FIELDS}
    data.update(changes)
    return data


def difficulty(world):
    return world.mentee_person.mentee_profile.difficulties.get()


# --- «Создать по шаблону» ----------------------------------------------------------------


def test_template_fills_the_note_from_the_mentees_difficulties(world):
    profile = world.mentee_person.mentee_profile
    profile.strengths = "Творческий подход к оформлению группы"
    profile.preferred_mode = Mode.ONLINE
    profile.save()

    program = draft_program(world)

    assert program.status == Status.DRAFT
    assert "Планирование НОД" in program.problem
    assert "Иванова А. С." in program.problem
    assert "Творческий подход" in program.goals
    assert "Планирование НОД" in program.planned_results
    assert program.mode == Mode.ONLINE
    assert program.created_by == world.mentor


def test_template_plans_the_library_events_of_each_difficultys_direction(world):
    program = draft_program(world)

    events = list(program.events.order_by("position"))
    assert [e.title for e in events] == METHODICAL_EVENTS
    weeks = {t.title: t.week for t in TypicalEvent.objects.filter(title__in=METHODICAL_EVENTS)}
    for event in events:
        assert event.deadline == program.start + timedelta(weeks=weeks[event.title])
        assert list(event.difficulties.all()) == [difficulty(world)]
    by_title = {e.title: e for e in events}
    assert by_title["Анализ проведённого занятия"].responsible == ProgramEvent.Responsible.MENTEE
    assert (
        by_title["Совместная разработка конспекта НОД"].responsible == ProgramEvent.Responsible.BOTH
    )
    change = program.changes.get()
    assert change.what.startswith("Программа создана по шаблону")
    assert change.actor == world.mentor


def test_template_skips_inactive_library_events(world):
    TypicalEvent.objects.filter(title=METHODICAL_EVENTS[0]).update(is_active=False)

    program = draft_program(world)

    assert METHODICAL_EVENTS[0] not in set(program.events.values_list("title", flat=True))
    assert program.events.count() == 2


def test_template_starts_today_and_keeps_the_term_within_a_year(world):
    group = active_group(world)
    today = timezone.localdate()
    # The pair was planned long ago and too long: the program starts today, lasts a year.
    type(group).objects.filter(pk=group.pk).update(
        planned_start=today - timedelta(days=30), planned_end=today + timedelta(days=500)
    )
    group.refresh_from_db()
    TypicalEvent.objects.create(
        direction=Direction.objects.get(name=METHODICAL),
        title="Итоговый открытый просмотр",
        form=EventForm.objects.first(),
        week=80,
    )

    program = services.program_create_from_template(group=group, user=world.curator)

    assert program.start == today
    assert program.end == add_months(today, 12)
    late = program.events.get(title="Итоговый открытый просмотр")
    assert late.deadline == program.end


def test_template_refuses_a_group_that_has_a_program(world):
    program = draft_program(world)

    with pytest.raises(ValidationError, match="программа уже есть"):
        services.program_create_from_template(group=program.group, user=world.mentor)
    assert Program.objects.count() == 1


def test_template_refuses_a_group_not_approved(world):
    group = active_group(world)
    type(group).objects.filter(pk=group.pk).update(status=type(group).Status.SUBMITTED)

    with pytest.raises(ValidationError, match="утверждённой приказом"):
        services.program_create_from_template(group=group, user=world.mentor)
    assert not Program.objects.exists()


# --- The note -----------------------------------------------------------------------------


def test_update_saves_the_note_and_records_what_changed(world):
    program = draft_program(world)
    old_end = program.end
    new_end = program.end - timedelta(days=10)

    services.program_update(
        program=program,
        data=note_data(program, goals="Новые цели", end=new_end),
        version=program.version,
        user=world.mentor,
    )

    program.refresh_from_db()
    assert program.goals == "Новые цели"
    assert program.end == new_end
    assert program.version == 2
    change = program.changes.first()
    assert "цели и задачи" in change.what
    assert f"окончание: {old_end:%d.%m.%Y} → {new_end:%d.%m.%Y}" in change.what
    assert change.actor == world.mentor


def test_update_with_a_stale_version_saves_nothing_and_names_the_other_change(world):
    program = draft_program(world)
    services.program_update(
        program=program,
        data=note_data(program, goals="Цели куратора"),
        version=1,
        user=world.curator,
    )

    with pytest.raises(services.VersionConflict) as conflict:
        services.program_update(
            program=program,
            data=note_data(program, goals="Цели наставника"),
            version=1,
            user=world.mentor,
        )

    program.refresh_from_db()
    assert program.goals == "Цели куратора"
    assert program.version == 2
    assert conflict.value.current.goals == "Цели куратора"
    assert conflict.value.last_change.actor == world.curator


def test_update_of_an_approved_program_needs_a_reason_and_keeps_the_term(world):
    program = active_program(world)
    start, end, version = program.start, program.end, program.version

    with pytest.raises(ValidationError, match="причину"):
        services.program_update(
            program=program,
            data=note_data(program, goals="Иначе"),
            version=version,
            user=world.mentor,
        )

    services.program_update(
        program=program,
        data=note_data(program, goals="Иначе", end=end + timedelta(days=30)),
        version=version,
        user=world.curator,
        why="Наставляемая перешла в другую группу детей",
    )
    program.refresh_from_db()
    assert program.goals == "Иначе"
    assert (program.start, program.end) == (start, end)
    change = program.changes.first()
    assert change.why == "Наставляемая перешла в другую группу детей"
    assert "окончание" not in change.what


def test_update_is_refused_while_on_review(world):
    program = on_review_program(world)

    with pytest.raises(ValidationError, match="на согласовании"):
        services.program_update(
            program=program,
            data=note_data(program, goals="x"),
            version=program.version,
            user=world.mentor,
        )
    program.refresh_from_db()
    assert program.goals != "x"


# --- The plan -----------------------------------------------------------------------------


def _new_event(program, **fields) -> ProgramEvent:
    values = {
        "direction": Direction.objects.get(name=METHODICAL),
        "title": "Консультация по конспекту",
        "form": EventForm.objects.first(),
        "deadline": program.start + timedelta(days=20),
    } | fields
    return ProgramEvent(**values)


def test_event_create_adds_an_event_linked_to_difficulties(world):
    program = draft_program(world)

    event = services.event_create(
        program=program,
        event=_new_event(program),
        difficulties=[difficulty(world)],
        user=world.mentor,
    )

    assert event.program == program
    assert list(event.difficulties.all()) == [difficulty(world)]
    assert "Добавлено мероприятие «Консультация по конспекту»" in program.changes.first().what


def test_event_deadline_after_the_programs_end_is_refused(world):
    program = draft_program(world)
    late = _new_event(program, deadline=program.end + timedelta(days=1))

    with pytest.raises(ValidationError) as error:
        services.event_create(program=program, event=late, difficulties=[], user=world.mentor)

    assert "в пределах программы" in str(error.value)
    assert not program.events.filter(title="Консультация по конспекту").exists()


def test_event_change_after_approval_needs_a_reason_and_is_logged(world):
    program = active_program(world)
    event = program.events.first()
    data = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    new_deadline = event.deadline + timedelta(days=7)

    with pytest.raises(ValidationError, match="причину"):
        services.event_update(event=event, data=data, difficulties=[], user=world.mentor)

    services.event_update(
        event=event,
        data=data | {"deadline": new_deadline},
        difficulties=[difficulty(world)],
        user=world.mentor,
        why="Карантин в группе",
    )
    event.refresh_from_db()
    assert event.deadline == new_deadline
    change = program.changes.first()
    assert (
        f"срок: {new_deadline - timedelta(days=7):%d.%m.%Y} → {new_deadline:%d.%m.%Y}"
        in change.what
    )
    assert change.why == "Карантин в группе"


def test_event_delete_in_a_draft(world):
    program = draft_program(world)
    event = program.events.first()

    services.event_delete(event=event, user=world.mentor)

    assert not ProgramEvent.objects.filter(pk=event.pk).exists()
    assert f"Удалено мероприятие «{event.title}»" in program.changes.first().what


def test_event_delete_after_approval_is_refused(world):
    program = active_program(world)
    event = program.events.first()

    with pytest.raises(ValidationError, match="отменено"):
        services.event_delete(event=event, user=world.mentor)
    assert ProgramEvent.objects.filter(pk=event.pk).exists()


# --- Comments and the workflow -------------------------------------------------------------


def test_a_mentees_comment_notifies_the_mentor_and_the_curator(world):
    program = draft_program(world)
    Notification.objects.all().delete()

    services.comment_add(program=program, user=world.mentee, text="Предлагаю добавить консультацию")

    assert ProgramComment.objects.get().author == world.mentee
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified >= {"mentor", "curator"}
    assert "mentee" not in notified


def test_submit_sends_the_draft_to_the_curators(world):
    program = fill_note(draft_program(world))
    Notification.objects.all().delete()

    program = services.program_submit(program=program, user=world.mentor)

    program.refresh_from_db()
    assert program.status == Status.ON_REVIEW
    assert program.submitted_at is not None
    assert Notification.objects.filter(user=world.curator).exists()
    assert program.changes.first().what == "Программа направлена куратору на согласование."


def test_submit_needs_at_least_one_event(world):
    program = fill_note(draft_program(world))
    program.events.all().delete()

    with pytest.raises(ValidationError, match="хотя бы одно мероприятие"):
        services.program_submit(program=program, user=world.mentor)
    program.refresh_from_db()
    assert program.status == Status.DRAFT


def test_submit_names_the_empty_parts_of_the_note_and_sends_nothing(world):
    program = draft_program(world)  # the template leaves four parts of the note empty
    Program.objects.filter(pk=program.pk).update(goals="   ")
    program.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.program_submit(program=program, user=world.mentor)

    message = refused.value.messages[0]
    for part in (
        "«цели и задачи»",
        "«содержание деятельности наставника и наставляемого»",
        "«промежуточные результаты»",
        "«расписание встреч»",
        "«условия обучения»",
    ):
        assert part in message
    assert "описание проблемы" not in message  # filled from the mentee's difficulties
    program.refresh_from_db()
    assert program.status == Status.DRAFT
    assert program.submitted_at is None
    assert not Notification.objects.filter(text__contains="ждёт согласования").exists()


def test_a_note_filled_in_full_has_no_empty_parts(world):
    program = fill_note(draft_program(world))

    assert program.empty_note_parts == []


def test_the_curator_cannot_approve_a_note_with_empty_parts(world):
    program = on_review_program(world)
    # A program sent before the rule, its conditions left empty.
    Program.objects.filter(pk=program.pk).update(conditions="")

    with pytest.raises(ValidationError, match="«условия обучения»"):
        services.program_approve(program=program, user=world.curator)

    program.refresh_from_db()
    assert program.status == Status.ON_REVIEW
    assert program.approved_at is None


def test_submit_twice_is_refused(world):
    program = on_review_program(world)

    with pytest.raises(ValidationError, match="на согласовании"):
        services.program_submit(program=program, user=world.mentor)


def test_approve_starts_the_program_and_notifies_the_members(world):
    program = on_review_program(world)
    Notification.objects.all().delete()

    services.program_approve(program=program, user=world.curator)

    program.refresh_from_db()
    assert program.status == Status.ACTIVE
    assert program.approved_by == world.curator
    assert program.approved_at is not None
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "mentor",
        "mentee",
    }


def test_approve_of_a_draft_is_refused(world):
    program = draft_program(world)

    with pytest.raises(ValidationError, match="черновик"):
        services.program_approve(program=program, user=world.curator)
    program.refresh_from_db()
    assert program.status == Status.DRAFT
    assert program.approved_at is None


def test_return_sends_the_program_back_with_remarks(world):
    program = on_review_program(world)
    Notification.objects.all().delete()

    services.program_return(program=program, user=world.curator, comment="Добавьте встречи")

    program.refresh_from_db()
    assert program.status == Status.DRAFT
    assert program.return_comment == "Добавьте встречи"
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["mentor"]
    assert ProgramChange.objects.filter(program=program, why="Добавьте встречи").exists()


def test_return_needs_a_comment(world):
    program = on_review_program(world)

    with pytest.raises(ValidationError, match="что нужно исправить"):
        services.program_return(program=program, user=world.curator, comment="  ")
    program.refresh_from_db()
    assert program.status == Status.ON_REVIEW


# --- The page's numbers -------------------------------------------------------------------


def test_progress_counts_done_of_all_but_cancelled_and_overdue(world):
    program = draft_program(world)
    program.events.all().delete()
    past = timezone.localdate() - timedelta(days=3)
    add_events(program, 2, status=ProgramEvent.Status.DONE)
    add_events(program, 1, status=ProgramEvent.Status.CANCELLED)
    add_events(program, 1, deadline=past)
    add_events(program, 1)

    progress = services.plan_progress(list(program.events.all()))

    assert (progress.done, progress.total, progress.overdue) == (2, 4, 1)


def test_a_difficulty_without_events_is_reported(world):
    program = draft_program(world)
    mentee = world.mentee_person
    events = list(program.events.prefetch_related("difficulties"))
    assert services.uncovered_difficulties([mentee], events) == []

    program.events.all().delete()

    assert services.uncovered_difficulties([mentee], []) == [difficulty(world)]
