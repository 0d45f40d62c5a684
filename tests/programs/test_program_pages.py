"""The program pages: «Создать по шаблону», the program's page, the note with its version
conflict, the plan, comments, the workflow buttons, the curator's overview, the library of
typical events and the PDF ready to sign (п. 1.2, п. 5.1, Приложение 1)."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import (
    Evidence,
    Meeting,
    Program,
    ProgramChange,
    ProgramComment,
    ProgramEvent,
    TypicalEvent,
)
from programs.services import drafting as services
from registry.models import (
    Direction,
    GroupMember,
    MentoringForm,
    MentoringGroup,
    Notification,
)
from registry.services.groups import add_months
from tests.docx_helpers import docx_document, docx_download_text
from tests.download_helpers import download_name
from tests.factories import make_person
from tests.programs.test_drafting import (
    METHODICAL_EVENTS,
    active_program,
    add_events,
    difficulty,
    draft_program,
    fill_note,
    on_review_program,
)
from tests.registry.test_group_services import active_group, add_mentee, add_mentor

pytestmark = pytest.mark.django_db

Status = Program.Status


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def url(name, *args) -> str:
    return reverse(f"programs:{name}", args=args)


def other_pair(world):
    """Group B: another mentor and mentee of the same kindergarten, with accounts."""
    mentor = add_mentor(world, "Другова", username="mentor-b")
    mentee = add_mentee(world, "Новикова", username="mentee-b")
    return active_group(world, number="94/2", mentors=[mentor], mentees=[mentee])


def event_post(program, **changes) -> dict:
    data = {
        "direction": Direction.objects.get(name="методическое").pk,
        "title": "Консультация по конспекту",
        "form": ProgramEvent._meta.get_field("form").related_model.objects.first().pk,
        "deadline": f"{program.start + timedelta(days=20):%Y-%m-%d}",
        "expected_result": "Конспект",
        "responsible": ProgramEvent.Responsible.BOTH,
    }
    data.update(changes)
    return data


def note_post(program, **changes) -> dict:
    data = {
        "problem": program.problem,
        "goals": program.goals,
        "content": program.content,
        "start": f"{program.start:%Y-%m-%d}",
        "end": f"{program.end:%Y-%m-%d}",
        "intermediate_results": program.intermediate_results,
        "planned_results": program.planned_results,
        "schedule": program.schedule,
        "mode": program.mode,
        "conditions": program.conditions,
        "version": program.version,
    }
    data.update(changes)
    return data


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "program.pdf"
    path.write_bytes(content)
    # A fixed local tool on a file the test wrote itself (TOOLCHAIN.md: poppler-utils).
    command = [shutil.which("pdftotext"), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return " ".join(result.stdout.split())


# --- «Создать по шаблону» ----------------------------------------------------------------


def test_mentor_sees_what_the_template_will_do(world, as_user):
    group = active_group(world)

    response = as_user(world.mentor).get(url("program-create", group.pk))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Создать по шаблону" in text
    assert "Планирование НОД" in text
    assert not Program.objects.exists()


@pytest.mark.parametrize("role", ["mentor", "curator", "sysadmin"])
def test_mentor_or_curator_creates_the_draft(world, as_user, role):
    group = active_group(world)

    response = as_user(world.user(role)).post(url("program-create", group.pk))

    program = Program.objects.get(group=group)
    assert response.status_code == 302
    assert response["Location"] == url("program-detail", program.pk)
    assert program.status == Status.DRAFT
    assert program.events.count() == len(METHODICAL_EVENTS)
    assert "Черновик программы создан по шаблону" in said(response)[0]


@pytest.mark.parametrize(("role", "status"), [("mentee", 403), ("head", 403), ("council", 403)])
def test_members_and_read_only_staff_cannot_create(world, as_user, role, status):
    group = active_group(world)

    response = as_user(world.user(role)).post(url("program-create", group.pk))

    assert response.status_code == status
    assert not Program.objects.exists()


@pytest.mark.parametrize("role", ["outsider", "teacher"])
def test_outsiders_do_not_find_the_group(world, as_user, role):
    group = active_group(world)

    response = as_user(world.user(role)).post(url("program-create", group.pk))

    assert response.status_code == 404
    assert not Program.objects.exists()


def test_a_mentor_of_another_group_cannot_create(world, as_user):
    group = active_group(world)
    other_pair(world)
    mentor_b = type(world.mentor).objects.get(username="mentor-b")

    response = as_user(mentor_b).post(url("program-create", group.pk))

    assert response.status_code == 404
    assert not Program.objects.filter(group=group).exists()


def test_create_for_a_group_with_a_program_opens_it(world, as_user):
    program = draft_program(world)

    response = as_user(world.mentor).post(url("program-create", program.group.pk))

    assert response["Location"] == url("program-detail", program.pk)
    assert Program.objects.count() == 1


def test_create_for_a_group_not_approved_is_refused(world, as_user):
    group = active_group(world)
    MentoringGroup.objects.filter(pk=group.pk).update(status=MentoringGroup.Status.SUBMITTED)

    response = as_user(world.curator).post(url("program-create", group.pk))

    assert response.status_code == 302
    assert "после утверждения" in said(response)[0]
    assert not Program.objects.exists()


def test_anonymous_is_sent_to_login(world, client):
    program = draft_program(world)

    response = client.get(url("program-detail", program.pk))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- The program's page -------------------------------------------------------------------


def test_mentor_sees_the_draft_with_its_plan_and_actions(world, as_user):
    program = draft_program(world)
    world.mentee_person.mentee_profile.__class__.objects.filter(person=world.mentee_person).update(
        strengths="Творческий подход"
    )

    response = as_user(world.mentor).get(url("program-detail", program.pk))

    assert response.status_code == 200
    text = response.content.decode()
    assert f"<title>Программа: {program.group.title}" in text
    for title in METHODICAL_EVENTS:
        assert title in text
    assert "Творческий подход" in text
    assert "Направить куратору" in text
    assert url("event-update", program.events.first().pk) in text
    assert "Выполнено 0 из 3" in text
    assert "Затруднение без мероприятий" not in text


def test_the_page_warns_about_a_difficulty_without_events(world, as_user):
    program = draft_program(world)
    program.events.all().delete()

    response = as_user(world.mentor).get(url("program-detail", program.pk))

    assert "Затруднение без мероприятий: «Планирование НОД»" in response.content.decode()


def test_mentee_reads_the_draft_and_may_comment_but_not_edit(world, as_user):
    program = draft_program(world)

    response = as_user(world.mentee).get(url("program-detail", program.pk))

    text = response.content.decode()
    assert response.status_code == 200
    assert url("comment-create", program.pk) in text
    assert url("event-update", program.events.first().pk) not in text
    assert url("program-update", program.pk) not in text
    assert "Направить куратору" not in text


def test_a_mentor_of_another_group_does_not_find_the_program(world, as_user):
    program = draft_program(world)
    other_pair(world)

    response = as_user(type(world.mentor).objects.get(username="mentor-b")).get(
        url("program-detail", program.pk)
    )

    assert response.status_code == 404


def test_an_outsider_does_not_find_the_program(world, as_user):
    program = draft_program(world)

    assert as_user(world.outsider).get(url("program-detail", program.pk)).status_code == 404


def test_the_page_runs_the_same_queries_for_5_and_50_events(world, as_user):
    program = active_program(world)
    program.events.all().delete()
    client = as_user(world.mentor)

    def grow(count):
        for event in add_events(program, count):
            event.difficulties.add(difficulty(world))
            Evidence.objects.create(event=event, file="evidence/x.pdf", name="Конспект.pdf")
            ProgramComment.objects.create(program=program, author=world.mentee, text="Вопрос")
            ProgramChange.objects.create(program=program, actor=world.mentor, what="Изменение")
            meeting = Meeting.objects.create(
                program=program, starts_at=timezone.now(), topic="Встреча"
            )
            meeting.attendees.add(world.mentee_person)

    def count_queries():
        client.get(url("program-detail", program.pk))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url("program-detail", program.pk))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    grow(5)
    small = count_queries()
    grow(45)
    large = count_queries()
    assert program.events.count() == 50
    assert large == small


# --- The note -----------------------------------------------------------------------------


def test_mentor_saves_the_note(world, as_user):
    program = draft_program(world)

    response = as_user(world.mentor).post(
        url("program-update", program.pk), note_post(program, schedule="По вторникам, 14:00")
    )

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.schedule == "По вторникам, 14:00"
    assert program.version == 2
    assert "расписание встреч" in program.changes.first().what


def test_a_term_over_a_year_is_refused_next_to_the_field(world, as_user):
    program = draft_program(world)
    too_late = add_months(program.start, 12) + timedelta(days=1)

    response = as_user(world.mentor).post(
        url("program-update", program.pk), note_post(program, end=f"{too_late:%Y-%m-%d}")
    )

    assert response.status_code == 200
    assert "от 3 месяцев до 1 года" in response.context["form"].errors["end"][0]
    program.refresh_from_db()
    assert program.end != too_late
    assert program.version == 1


def test_a_term_under_three_months_is_refused(world, as_user):
    program = draft_program(world)
    too_soon = program.start + timedelta(days=30)

    response = as_user(world.mentor).post(
        url("program-update", program.pk), note_post(program, end=f"{too_soon:%Y-%m-%d}")
    )

    assert "от 3 месяцев до 1 года" in response.context["form"].errors["end"][0]
    program.refresh_from_db()
    assert program.end != too_soon


def test_a_second_editor_is_told_and_keeps_their_text(world, as_user, client):
    program = draft_program(world)
    opened = note_post(program)  # both open the form at version 1
    as_user(world.curator).post(
        url("program-update", program.pk), opened | {"goals": "Цели куратора"}
    )
    client.logout()

    response = as_user(world.mentor).post(
        url("program-update", program.pk), opened | {"goals": "Цели наставника"}
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "Программу успели изменить" in text
    assert "Цели наставника" in text  # the mentor's input is kept in the form
    assert "Цели куратора" in text  # and what is saved now is shown next to it
    assert response.context["form"]["version"].value() == "2"
    program.refresh_from_db()
    assert program.goals == "Цели куратора"
    # Having seen the other change, the mentor saves again.
    again = as_user(world.mentor).post(
        url("program-update", program.pk), opened | {"goals": "Цели наставника", "version": 2}
    )
    assert again.status_code == 302
    program.refresh_from_db()
    assert program.goals == "Цели наставника"


def test_an_approved_programs_note_needs_a_reason_and_hides_the_term(world, as_user):
    program = active_program(world)
    client = as_user(world.mentor)

    form_page = client.get(url("program-update", program.pk))
    assert "start" not in form_page.context["form"].fields
    data = note_post(program, goals="Новые цели")
    del data["start"], data["end"]
    refused = client.post(url("program-update", program.pk), data)
    assert "why" in refused.context["form"].errors
    program.refresh_from_db()
    assert program.goals != "Новые цели"

    response = client.post(url("program-update", program.pk), data | {"why": "Итоги встречи"})

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.goals == "Новые цели"
    assert program.changes.first().why == "Итоги встречи"


def test_mentee_cannot_edit_the_note(world, as_user):
    program = draft_program(world)

    response = as_user(world.mentee).post(url("program-update", program.pk), note_post(program))

    assert response.status_code == 403
    program.refresh_from_db()
    assert program.version == 1


def test_the_note_is_not_edited_while_on_review(world, as_user):
    program = on_review_program(world)

    response = as_user(world.mentor).get(url("program-update", program.pk))

    assert response.status_code == 302
    assert "изменить нельзя" in said(response)[0]


# --- The plan -----------------------------------------------------------------------------


def test_mentor_adds_an_event_for_a_difficulty(world, as_user):
    program = draft_program(world)

    response = as_user(world.mentor).post(
        url("event-create", program.pk), event_post(program, difficulties=[difficulty(world).pk])
    )

    assert response.status_code == 302
    event = program.events.get(title="Консультация по конспекту")
    assert list(event.difficulties.all()) == [difficulty(world)]


def test_an_event_deadline_outside_the_term_is_refused(world, as_user):
    program = draft_program(world)
    late = program.end + timedelta(days=1)

    response = as_user(world.mentor).post(
        url("event-create", program.pk), event_post(program, deadline=f"{late:%Y-%m-%d}")
    )

    assert response.status_code == 200
    assert "в пределах программы" in response.context["form"].errors["deadline"][0]
    assert not program.events.filter(title="Консультация по конспекту").exists()


def test_mentee_cannot_change_the_plan(world, as_user):
    program = draft_program(world)
    event = program.events.first()
    client = as_user(world.mentee)

    assert client.post(url("event-create", program.pk), event_post(program)).status_code == 403
    assert client.post(url("event-update", event.pk), event_post(program)).status_code == 403
    assert client.post(url("event-delete", event.pk)).status_code == 403
    assert program.events.count() == len(METHODICAL_EVENTS)
    event.refresh_from_db()
    assert event.title != "Консультация по конспекту"


def test_mentor_changes_an_event_of_an_approved_program_with_a_reason(world, as_user):
    program = active_program(world)
    event = program.events.first()
    client = as_user(world.mentor)

    refused = client.post(url("event-update", event.pk), event_post(program, title="Новое"))
    assert "why" in refused.context["form"].errors

    response = client.post(
        url("event-update", event.pk), event_post(program, title="Новое", why="Так удобнее")
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Новое"
    assert program.changes.first().why == "Так удобнее"


def test_mentor_deletes_an_event_of_a_draft(world, as_user):
    program = draft_program(world)
    event = program.events.first()

    response = as_user(world.mentor).post(url("event-delete", event.pk))

    assert response.status_code == 302
    assert not ProgramEvent.objects.filter(pk=event.pk).exists()


def test_deleting_an_event_after_approval_is_refused(world, as_user):
    program = active_program(world)
    event = program.events.first()

    response = as_user(world.mentor).post(url("event-delete", event.pk))

    assert response.status_code == 302
    assert "«отменено»" in said(response)[0]
    assert ProgramEvent.objects.filter(pk=event.pk).exists()


# --- Comments and the workflow -------------------------------------------------------------


def test_mentee_comments_on_the_draft(world, as_user):
    program = draft_program(world)
    Notification.objects.all().delete()

    response = as_user(world.mentee).post(
        url("comment-create", program.pk), {"text": "Предлагаю взаимопосещение"}
    )

    assert response.status_code == 302
    assert program.comments.get().text == "Предлагаю взаимопосещение"
    assert Notification.objects.filter(user=world.mentor).exists()


def test_an_empty_comment_is_refused(world, as_user):
    program = draft_program(world)

    response = as_user(world.mentee).post(url("comment-create", program.pk), {"text": " "})

    assert response.status_code == 400
    assert "Напишите комментарий." in response.content.decode()
    assert not program.comments.exists()


def test_mentor_submits_and_curator_approves(world, as_user, client):
    program = fill_note(draft_program(world))

    submitted = as_user(world.mentor).post(url("program-submit", program.pk))
    program.refresh_from_db()
    assert submitted.status_code == 302
    assert program.status == Status.ON_REVIEW
    client.logout()

    page = as_user(world.curator).get(url("program-detail", program.pk))
    assert "Утвердить" in page.content.decode()
    approved = as_user(world.curator).post(url("program-approve", program.pk))

    program.refresh_from_db()
    assert approved.status_code == 302
    assert program.status == Status.ACTIVE
    assert program.approved_by == world.curator


def test_the_page_lists_the_empty_parts_next_to_the_send_button(world, as_user):
    program = draft_program(world)

    page = as_user(world.mentor).get(url("program-detail", program.pk)).content.decode()

    assert "Пояснительная записка заполнена не полностью." in page
    assert "<li>Условия обучения — не заполнено</li>" in page
    assert "<li>Описание проблемы — не заполнено</li>" not in page
    assert 'disabled aria-describedby="submit-gaps">Направить куратору' in page
    assert "Заполнить записку" in page


def test_sending_a_note_with_empty_parts_says_which(world, as_user):
    program = draft_program(world)

    response = as_user(world.mentor).post(url("program-submit", program.pk))

    assert response.status_code == 302
    assert "не заполнено: «содержание деятельности" in said(response)[0]
    program.refresh_from_db()
    assert program.status == Status.DRAFT


def test_a_filled_note_shows_no_warning(world, as_user):
    program = fill_note(draft_program(world))

    page = as_user(world.mentor).get(url("program-detail", program.pk)).content.decode()

    assert "заполнена не полностью" not in page
    assert 'disabled aria-describedby="submit-gaps"' not in page


def test_the_curator_is_offered_to_return_a_note_with_empty_parts(world, as_user):
    program = on_review_program(world)
    Program.objects.filter(pk=program.pk).update(schedule="")
    client = as_user(world.curator)

    page = client.get(url("program-detail", program.pk))
    refused = client.post(url("program-approve", program.pk))

    text = page.content.decode()
    assert "Утвердить такую программу нельзя" in text
    assert 'disabled aria-describedby="approve-gaps">Утвердить' in text
    assert page.context["return_form"].initial == {
        "comment": "Заполните в пояснительной записке: «расписание встреч»."
    }
    assert "Утвердить нельзя" in said(refused)[0]
    program.refresh_from_db()
    assert program.status == Status.ON_REVIEW


def test_curator_returns_the_program_with_remarks_shown_on_the_page(world, as_user):
    program = on_review_program(world)
    client = as_user(world.curator)

    response = client.post(url("program-return", program.pk), {"comment": "Добавьте встречи"})

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == Status.DRAFT
    page = client.get(url("program-detail", program.pk)).content.decode()
    assert "Куратор вернул программу на доработку" in page
    assert "Добавьте встречи" in page


def test_return_without_a_comment_shows_the_error(world, as_user):
    program = on_review_program(world)

    response = as_user(world.curator).post(url("program-return", program.pk), {"comment": ""})

    assert response.status_code == 400
    assert "Напишите, что нужно исправить." in response.content.decode()
    program.refresh_from_db()
    assert program.status == Status.ON_REVIEW


def test_approving_a_draft_says_why_not(world, as_user):
    program = draft_program(world)

    response = as_user(world.curator).post(url("program-approve", program.pk))

    assert response.status_code == 302
    assert "черновик" in said(response)[0]
    program.refresh_from_db()
    assert program.status == Status.DRAFT


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("program-submit", "mentee"),
        ("program-submit", "curator"),
        ("program-approve", "mentor"),
        ("program-approve", "head"),
        ("program-return", "council"),
    ],
)
def test_workflow_steps_belong_to_their_roles(world, as_user, name, role):
    program = draft_program(world) if name == "program-submit" else on_review_program(world)
    before = program.status

    response = as_user(world.user(role)).post(url(name, program.pk), {"comment": "x"})

    assert response.status_code == 403
    program.refresh_from_db()
    assert program.status == before


# --- The curator's overview ---------------------------------------------------------------


def bare_program(world, status=Status.ACTIVE) -> Program:
    group = MentoringGroup.objects.create(
        institution=world.institution,
        status=MentoringGroup.Status.ACTIVE,
        form=MentoringForm.objects.first(),
        planned_start=timezone.localdate(),
        planned_end=add_months(timezone.localdate(), 9),
        curator=world.curator,
    )
    GroupMember.objects.bulk_create(
        [
            GroupMember(group=group, person=world.mentor_person, role=GroupMember.Role.MENTOR),
            GroupMember(group=group, person=world.mentee_person, role=GroupMember.Role.MENTEE),
        ]
    )
    start = timezone.localdate() - timedelta(days=30)
    return Program.objects.create(group=group, status=status, start=start, end=add_months(start, 9))


def test_the_overview_shows_progress_and_overdue(world, as_user):
    program = bare_program(world)
    add_events(program, 2, status=ProgramEvent.Status.DONE)
    add_events(program, 1, deadline=timezone.localdate() - timedelta(days=2))
    add_events(program, 1, deadline=timezone.localdate() + timedelta(days=10))

    response = as_user(world.curator).get(url("program-list"))

    text = response.content.decode()
    assert response.status_code == 200
    assert program.group.title in text
    assert "2 из 4" in text
    assert '<progress class="d-block w-100" max="4" value="2"' in text
    row = response.context["programs"][0]
    assert row.overdue_count == 1
    assert url("overdue-list") in text


def test_the_overview_filters_by_state_and_overdue(world, as_user):
    late = bare_program(world)
    add_events(late, 1, deadline=timezone.localdate() - timedelta(days=2))
    draft = bare_program(world, status=Status.DRAFT)
    client = as_user(world.curator)

    by_status = client.get(url("program-list"), {"status": "draft"}).context["programs"]
    overdue = client.get(url("program-list"), {"overdue": "on"}).context["programs"]

    assert [p.pk for p in by_status] == [draft.pk]
    assert [p.pk for p in overdue] == [late.pk]


def test_the_overview_filters_by_mentor(world, as_user):
    ours = bare_program(world)
    other_pair(world)
    theirs = services.program_create_from_template(
        group=MentoringGroup.objects.get(order__number="94/2"), user=world.curator
    )
    client = as_user(world.curator)

    response = client.get(url("program-list"), {"mentor": world.mentor_person.pk})

    assert [p.pk for p in response.context["programs"]] == [ours.pk]
    assert theirs.pk not in [p.pk for p in response.context["programs"]]


def test_the_overview_sorts_by_end(world, as_user):
    first = bare_program(world)
    second = bare_program(world)
    Program.objects.filter(pk=first.pk).update(end=first.end + timedelta(days=5))
    client = as_user(world.curator)

    ascending = [p.pk for p in client.get(url("program-list")).context["programs"]]
    descending = [
        p.pk for p in client.get(url("program-list"), {"sort": "-end"}).context["programs"]
    ]

    assert ascending == [second.pk, first.pk]
    assert descending == [first.pk, second.pk]


@pytest.mark.parametrize("role", ["mentor", "mentee", "teacher"])
def test_the_overview_is_for_staff_only(world, as_user, role):
    bare_program(world)

    assert as_user(world.user(role)).get(url("program-list")).status_code == 404


def test_the_overview_shows_none_of_another_kindergartens_programs(world, as_user):
    program = bare_program(world)

    response = as_user(world.outsider).get(url("program-list"))

    assert response.status_code == 200
    assert program.group.title not in response.content.decode()


def test_the_overview_runs_the_same_queries_for_5_and_50_programs(world, as_user):
    client = as_user(world.curator)

    def grow(count):
        for _ in range(count):
            add_events(bare_program(world), 2)

    def count_queries():
        client.get(url("program-list"))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url("program-list"), {"page": 1})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    grow(5)
    small = count_queries()
    grow(45)
    large = count_queries()
    assert Program.objects.count() == 50
    assert large == small + 1  # only the longer list asks its COUNT(*): lib/pages.py::first_page


# --- The library of typical events -------------------------------------------------------


def test_curator_sees_and_adds_typical_events(world, as_user):
    client = as_user(world.curator)

    listing = client.get(url("library-list"))
    assert METHODICAL_EVENTS[0] in listing.content.decode()

    response = client.post(
        url("library-create"),
        {
            "direction": Direction.objects.get(name="методическое").pk,
            "title": "Разработка картотеки игр",
            "form": ProgramEvent._meta.get_field("form").related_model.objects.first().pk,
            "expected_result": "Картотека",
            "week": 7,
            "for_mentee": "on",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    item = TypicalEvent.objects.get(title="Разработка картотеки игр")
    assert item.for_mentee and item.week == 7


def own_typical_event(world) -> TypicalEvent:
    """The kindergarten's own copy of a library entry: the installation's entries are read-only
    to a kindergarten's curator (issue 20)."""
    item = TypicalEvent.objects.get(title=METHODICAL_EVENTS[0])
    item.pk, item.institution = None, world.institution
    item.save()
    return item


def test_curator_retires_a_typical_event(world, as_user):
    item = own_typical_event(world)

    response = as_user(world.curator).post(
        url("library-update", item.pk),
        {
            "direction": item.direction_id,
            "title": item.title,
            "form": item.form_id,
            "expected_result": item.expected_result,
            "week": item.week,
        },
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.is_active


def test_a_typical_event_needs_a_title(world, as_user):
    item = own_typical_event(world)

    response = as_user(world.curator).post(
        url("library-update", item.pk),
        {"direction": item.direction_id, "title": "", "form": item.form_id, "week": 2},
    )

    assert response.status_code == 200
    assert "Напишите название мероприятия." in response.context["form"].errors["title"]
    item.refresh_from_db()
    assert item.title == METHODICAL_EVENTS[0]


# The council reads the library (п. 3.4, tests/reports/test_council_reads_monitoring.py); only
# the curator and the sysadmin keep it.
@pytest.mark.parametrize(("role", "status"), [("council", 200), ("head", 403), ("mentor", 404)])
def test_the_library_is_kept_by_the_curator_and_read_by_the_council(world, as_user, role, status):
    assert as_user(world.user(role)).get(url("library-list")).status_code == status


# --- The PDF ------------------------------------------------------------------------------


def test_the_pdf_holds_the_title_page_the_plan_and_the_signatures(world, as_user, tmp_path):
    world.institution.head_name = "Сидорова Валентина Петровна"
    world.institution.save()
    make_person(world.institution, "Кураторова", first_name="Ольга", user=world.curator)
    program = active_program(world)
    direction = Direction.objects.order_by("pk").first()
    program.group.directions.set([direction])

    response = as_user(world.mentee).get(url("program-pdf", program.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert download_name(response) == f"Программа наставничества № {program.pk}.pdf"
    text = pdf_text(response.content, tmp_path)
    # Issue 18, item 10: the curator approved it, so the curator and the day are printed,
    # not the head with a blank date.
    approved_on = timezone.localdate(program.approved_at)
    assert (
        "УТВЕРЖДАЮ Куратор реализации программ наставничества Кураторова Ольга Сергеевна "
        f"{approved_on:%d.%m.%Y}"
    ) in text
    assert "Сидорова Валентина Петровна" not in text
    assert "Заведующий" not in text
    assert f"Направления: {direction.name} Срок реализации" in text
    assert "Персонализированная программа наставничества".upper() in text.upper()
    assert "Петрова Мария Ивановна" in text
    assert "Иванова Анна Сергеевна" in text
    assert "Отметка о выполнении" in text
    for title in METHODICAL_EVENTS:
        assert title in text
    assert f"{program.start:%d.%m.%Y}" in text


def test_the_docx_holds_the_same_title_page_plan_and_signatures(world, as_user):
    """Issue 19: the program in Word from the same template: «УТВЕРЖДАЮ» to the right, the
    explanatory note with Word's headings, the plan on a landscape page."""
    world.institution.head_name = "Сидорова Валентина Петровна"
    world.institution.save()
    program = active_program(world)
    response = as_user(world.mentee).get(url("program-pdf", program.pk) + "?format=docx")
    text = docx_download_text(response, f"Программа наставничества № {program.pk}.docx")
    for phrase in [
        "УТВЕРЖДАЮ Куратор реализации программ наставничества",
        f"{timezone.localdate(program.approved_at):%d.%m.%Y}",
        "Персонализированная программа наставничества Наставник: Петрова Мария Ивановна",
        "Наставляемый: Иванова Анна Сергеевна",
        "Пояснительная записка 1. Описание проблемы",
        f"С {program.start:%d.%m.%Y} по {program.end:%d.%m.%Y}.",
        "План мероприятий № Направление Мероприятие",
        *METHODICAL_EVENTS,
    ]:
        assert phrase in text, phrase
    assert "Наставник ____" not in text  # the signature line is a cell's border, as in the PDF
    document = docx_document(response.content)
    approve = next(p for p in document.paragraphs if p.text == "УТВЕРЖДАЮ")
    assert approve.paragraph_format.left_indent > 0  # margin-left: 55 %
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[0] == "1. Описание проблемы" and len(headings) == 9
    assert [s.page_width > s.page_height for s in document.sections] == [False, True]


def test_a_program_not_yet_approved_leaves_the_approval_to_fill_in(world, as_user, tmp_path):
    program = draft_program(world)
    text = pdf_text(as_user(world.mentor).get(url("program-pdf", program.pk)).content, tmp_path)
    assert "УТВЕРЖДАЮ Куратор реализации программ наставничества «" in text
    assert "Состояние:" not in text


def test_an_ended_programs_pdf_and_page_state_its_status_reason_and_date(world, as_user, tmp_path):
    """Issue 18, item 10 (п. 7.1): an ended program says so, with the reason and the date."""
    program = active_program(world)
    ended_on = program.start + timedelta(days=100)
    Program.objects.filter(pk=program.pk).update(
        status=Program.Status.TERMINATED,
        finished_on=ended_on,
        reason=Program.Reason.MENTEE,
        reason_note="Наставляемая переведена в другое учреждение.",
    )

    text = pdf_text(as_user(world.curator).get(url("program-pdf", program.pk)).content, tmp_path)
    assert f"Состояние: Прекращена {ended_on:%d.%m.%Y}" in text
    assert (
        "Основание: по инициативе наставляемого (уважительная причина) (п. 7.1 Положения). "
        "Наставляемая переведена в другое учреждение."
    ) in text

    page = as_user(world.curator).get(url("program-detail", program.pk)).content.decode()
    assert (
        f"Программа прекращена {ended_on:%d.%m.%Y}: по инициативе наставляемого "
        "(уважительная причина) (п. 7.1 Положения)."
    ) in page
    assert "Наставляемая переведена в другое учреждение." in page


def test_the_page_shows_the_kinds_the_directions_and_the_approver(world, as_user):
    make_person(world.institution, "Кураторова", first_name="Ольга", user=world.curator)
    program = active_program(world)
    group = program.group
    group.directions.set(Direction.objects.order_by("pk")[:2])
    kinds = ", ".join(k.name for k in group.kinds.all())
    directions = ", ".join(d.name for d in group.directions.all())
    assert kinds and directions

    page = as_user(world.mentee).get(url("program-detail", program.pk)).content.decode()

    assert f"<dt>Виды наставничества</dt><dd>{kinds}</dd>" in page
    assert f"<dt>Направления</dt><dd>{directions}</dd>" in page
    approved_on = timezone.localdate(program.approved_at)
    assert (
        f"утверждена {approved_on:%d.%m.%Y} (куратор реализации программ наставничества "
        "Кураторова О. С.)"
    ) in page


def test_the_pdf_is_not_for_outsiders(world, as_user):
    program = draft_program(world)

    assert as_user(world.outsider).get(url("program-pdf", program.pk)).status_code == 404


def _search_programs(client, text, **extra):
    return client.post(
        reverse("registry:search"), {"list_name": "programs", "text": text, **extra}, follow=True
    )


def test_the_overview_searches_the_descriptions_by_post(world, as_user):
    speech = bare_program(world)
    Program.objects.filter(pk=speech.pk).update(
        problem="Затруднения в развитии речи детей", goals="Освоить игровые методики"
    )
    families = bare_program(world)
    Program.objects.filter(pk=families.pk).update(content="Работа с родителями воспитанников")
    client = as_user(world.curator)

    response = _search_programs(client, "РЕЧИ")
    assert response.redirect_chain[-1][0] == url("program-list")
    assert "РЕЧИ" not in response.redirect_chain[-1][0]  # kept in the session, not the URL
    assert [p.pk for p in response.context["programs"]] == [speech.pk]
    assert "поиск «РЕЧИ»" in response.content.decode()
    # The search combines with the filters; every word must match, in any field.
    found = client.get(url("program-list"), {"status": "active"}).context["programs"]
    assert [p.pk for p in found] == [speech.pk]
    assert not _search_programs(client, "речи родителями").context["programs"]
    assert [p.pk for p in _search_programs(client, "речи игровые").context["programs"]] == [
        speech.pk
    ]
    # Any form of a word, on both databases: «родители» finds «родителями».
    found = _search_programs(client, "родители").context["programs"]
    assert [p.pk for p in found] == [families.pk]
    # Reset shows every program again.
    response = _search_programs(client, "речи", reset="1")
    assert {p.pk for p in response.context["programs"]} == {speech.pk, families.pk}


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Провести родительские собрания в группе", "родительских собраний"),
        ("Цикл родительских собраний", "родительские собрания"),
    ],
)
def test_the_overview_finds_a_program_by_any_form_of_its_words(world, as_user, written, typed):
    """Issue 22: the same words in another case are found on both databases."""
    program = bare_program(world)
    Program.objects.filter(pk=program.pk).update(planned_results=written)
    other = bare_program(world)
    Program.objects.filter(pk=other.pk).update(planned_results="Собрание методического совета")
    client = as_user(world.curator)
    assert [p.pk for p in _search_programs(client, typed).context["programs"]] == [program.pk]


def test_the_overview_search_stays_in_the_institution(world, as_user):
    ours = bare_program(world)
    Program.objects.filter(pk=ours.pk).update(problem="Адаптация в коллективе")
    client = as_user(world.outsider)
    response = _search_programs(client, "коллективе")
    assert ours.pk not in [p.pk for p in response.context["programs"]]
