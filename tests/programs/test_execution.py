"""Execution of a program: the mentor marks events with results and files, the mentee reports
on their own tasks and the mentor confirms (п. 4.1), evidence is served only to the people who
see the program, and the staff's list of overdue events. The helpers here are shared with
test_reminders.py."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.access import ProgramAccess
from programs.models import EventForm, Evidence, Program, ProgramChange, ProgramEvent
from programs.services.execution import event_confirm, event_report, event_update_progress
from registry.models import (
    Direction,
    GroupMember,
    MentoringForm,
    MentoringGroup,
    Notification,
)
from tests.download_helpers import download_name
from tests.factories import make_person, make_user
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

Status = ProgramEvent.Status
Responsible = ProgramEvent.Responsible

PDF = b"%PDF-1.4\n% evidence\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
DOCX = b"PK\x03\x04" + b"\x00" * 32


# --- Helpers shared with test_reminders.py --------------------------------------------------


def today() -> date:
    return timezone.localdate()


def make_group(world, mentor_person=None, mentee_person=None, institution=None):
    """An approved pair (group status «утверждена»), built directly."""
    group = MentoringGroup.objects.create(
        institution=institution or world.institution,
        status=MentoringGroup.Status.ACTIVE,
        form=MentoringForm.objects.first(),
        planned_start=today() - timedelta(days=30),
        planned_end=today() + timedelta(days=200),
        curator=world.curator,
    )
    for person, role in [
        (mentor_person or world.mentor_person, GroupMember.Role.MENTOR),
        (mentee_person or world.mentee_person, GroupMember.Role.MENTEE),
    ]:
        GroupMember.objects.create(
            group=group, person=person, role=role, response=GroupMember.Response.CONFIRMED
        )
    return group


def make_program(world, group=None, status=Program.Status.ACTIVE) -> Program:
    start = today() - timedelta(days=30)
    finished = status in (Program.Status.COMPLETED, Program.Status.TERMINATED)
    return Program.objects.create(
        group=group or make_group(world),
        status=status,
        start=start,
        end=start + timedelta(days=270),
        problem="Трудности в планировании НОД",
        finished_on=today() if finished else None,
        reason=Program.Reason.PLAN_DONE if finished else "",
    )


def make_event(program, title="Анализ занятия наставляемого", **fields) -> ProgramEvent:
    fields.setdefault("deadline", today() + timedelta(days=14))
    fields.setdefault("responsible", Responsible.BOTH)
    return ProgramEvent.objects.create(
        program=program,
        title=title,
        direction=Direction.objects.get(name="методическое"),
        form=EventForm.objects.first(),
        **fields,
    )


def other_pair(world, suffix="b"):
    """A second pair of the same kindergarten with its own accounts: (group, mentor, mentee)."""
    mentor_person = make_person(world.institution, first_name="Елена")
    mentee_person = make_person(world.institution, first_name="Ольга")
    mentor = make_user(world.institution, f"mentor-{suffix}", person=mentor_person)
    mentee = make_user(world.institution, f"mentee-{suffix}", person=mentee_person)
    return make_group(world, mentor_person, mentee_person), mentor, mentee


def upload(name="Конспект НОД.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def program(world):
    return make_program(world)


@pytest.fixture
def event(program):
    return make_event(program)


def progress_url(event):
    return reverse("programs:event-progress", args=[event.pk])


def report_url(event):
    return reverse("programs:event-report", args=[event.pk])


def confirm_url(event):
    return reverse("programs:event-confirm", args=[event.pk])


def upload_url(event):
    return reverse("programs:evidence-upload", args=[event.pk])


def detail_url(event):
    return reverse("programs:program-detail", args=[event.program_id]) + f"#event-{event.pk}"


def errors_of(response, field):
    return response.context["form"].errors.get(field, [])


# --- Progress: the mentor marks an event ----------------------------------------------------


def test_progress_page_offers_statuses_without_overdue(world, as_user, event):
    response = as_user(world.mentor).get(progress_url(event))
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1" in text and event.title in text
    assert "выполнено" in text and "отменено" in text
    assert 'value="overdue"' not in text
    assert 'enctype="multipart/form-data"' in text


def test_mentor_marks_event_done_with_result_and_file(world, as_user, event):
    response = as_user(world.mentor).post(
        progress_url(event),
        {"status": "done", "actual_result": "Конспект НОД по ФЭМП", "file": upload()},
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(event)
    event.refresh_from_db()
    assert event.status == Status.DONE
    assert event.done_on == today()
    assert event.actual_result == "Конспект НОД по ФЭМП"
    evidence = event.evidence.get()
    assert evidence.name == "Конспект НОД.pdf"
    assert evidence.uploaded_by == world.mentor
    assert evidence.file.name.endswith("/file.pdf")  # the stored name holds no personal data
    with evidence.file.open("rb") as handle:
        assert handle.read() == PDF
    change = ProgramChange.objects.get(program=event.program)
    assert change.actor == world.mentor
    assert "Мероприятие «Анализ занятия наставляемого»: статус → выполнено" in change.what
    assert "Конспект НОД.pdf" in change.what


def test_curator_marks_event_in_progress(world, as_user, event):
    response = as_user(world.curator).post(
        progress_url(event), {"status": "in_progress", "actual_result": ""}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Status.IN_PROGRESS
    assert event.done_on is None


def test_done_without_result_is_refused(world, as_user, event):
    response = as_user(world.mentor).post(progress_url(event), {"status": "done"})
    assert response.status_code == 200
    assert "Опишите фактический результат" in errors_of(response, "actual_result")[0]
    event.refresh_from_db()
    assert event.status == Status.PLANNED
    assert not ProgramChange.objects.exists()


def test_overdue_cannot_be_chosen_by_hand(world, as_user, event):
    response = as_user(world.mentor).post(
        progress_url(event), {"status": "overdue", "actual_result": ""}
    )
    assert response.status_code == 200
    assert errors_of(response, "status")
    event.refresh_from_db()
    assert event.status == Status.PLANNED


@pytest.mark.parametrize(
    ("name", "content"),
    [("фото.png", PDF), ("отчёт.pdf", b"just text"), ("script.exe", b"MZ\x90\x00")],
)
def test_file_of_wrong_type_is_refused(world, as_user, event, name, content):
    response = as_user(world.mentor).post(
        progress_url(event),
        {"status": "done", "actual_result": "Конспект", "file": upload(name, content)},
    )
    assert response.status_code == 200
    assert "PDF, DOCX, JPEG или PNG" in errors_of(response, "file")[0]
    event.refresh_from_db()
    assert event.status == Status.PLANNED
    assert not Evidence.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=10)
def test_oversized_file_is_refused(world, as_user, event):
    response = as_user(world.mentor).post(
        progress_url(event),
        {"status": "done", "actual_result": "Конспект", "file": upload()},
    )
    assert response.status_code == 200
    assert "Файл слишком большой" in errors_of(response, "file")[0]
    event.refresh_from_db()
    assert event.status == Status.PLANNED
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"), [("анализ.docx", DOCX), ("фото.JPG", JPEG), ("фото.png", PNG)]
)
def test_docx_and_images_are_accepted(world, as_user, event, name, content):
    response = as_user(world.mentor).post(
        progress_url(event),
        {"status": "in_progress", "actual_result": "", "file": upload(name, content)},
    )
    assert response.status_code == 302
    assert event.evidence.get().name == name


@pytest.mark.parametrize("role", ["mentee", "head", "council"])
def test_read_only_members_and_staff_get_403_on_progress(world, as_user, event, role):
    client = as_user(getattr(world, role))
    assert client.get(progress_url(event)).status_code == 403
    response = client.post(progress_url(event), {"status": "done", "actual_result": "Готово"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.status == Status.PLANNED


@pytest.mark.parametrize("role", ["teacher", "outsider"])
def test_strangers_get_404_on_progress(world, as_user, event, role):
    assert as_user(getattr(world, role)).get(progress_url(event)).status_code == 404


def test_mentor_of_another_group_gets_404(world, as_user, event):
    _, mentor_b, _ = other_pair(world)
    client = as_user(mentor_b)
    assert client.get(progress_url(event)).status_code == 404
    assert client.post(confirm_url(event)).status_code == 404
    assert client.post(upload_url(event), {"evidence-file": upload()}).status_code == 404


def test_anonymous_is_sent_to_login(client, event):
    response = client.get(progress_url(event))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("status", [Program.Status.DRAFT, Program.Status.COMPLETED])
def test_events_of_a_program_not_in_progress_cannot_be_marked(world, as_user, status):
    event = make_event(make_program(world, status=status))
    response = as_user(world.mentor).post(
        progress_url(event), {"status": "done", "actual_result": "Готово"}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.status == Status.PLANNED


# --- The progress service -------------------------------------------------------------------


@pytest.mark.parametrize("status", [Program.Status.DRAFT, Program.Status.COMPLETED])
def test_update_progress_refuses_a_program_not_in_progress(world, status):
    event = make_event(make_program(world, status=status))
    with pytest.raises(ValidationError, match="только в утверждённой программе"):
        event_update_progress(
            event=event, status="done", actual_result="Готово", file=None, user=world.mentor
        )
    event.refresh_from_db()
    assert event.status == Status.PLANNED
    assert not ProgramChange.objects.exists()


def test_update_progress_refuses_done_without_result(world, event):
    with pytest.raises(ValidationError) as refused:
        event_update_progress(
            event=event, status="done", actual_result="  ", file=None, user=world.mentor
        )
    assert "actual_result" in refused.value.error_dict


def test_marking_a_reported_task_done_confirms_it(world, event):
    event_report(event=event, report="Провела занятие", file=None, user=world.mentee)
    event = event_update_progress(
        event=event, status="done", actual_result="Занятие проведено", file=None, user=world.mentor
    )
    event.refresh_from_db()
    assert event.confirmed_at is not None
    assert event.done_on == today()


def test_reopening_a_done_event_clears_its_date(world, event):
    event_update_progress(
        event=event, status="done", actual_result="Готово", file=None, user=world.mentor
    )
    event_update_progress(
        event=event, status="in_progress", actual_result="Готово", file=None, user=world.mentor
    )
    event.refresh_from_db()
    assert event.status == Status.IN_PROGRESS
    assert event.done_on is None
    assert ProgramChange.objects.filter(program=event.program).count() == 2


def test_saving_without_changes_writes_no_history(world, event):
    event_update_progress(
        event=event, status="planned", actual_result="", file=None, user=world.mentor
    )
    assert not ProgramChange.objects.exists()


# --- Evidence: adding and downloading -------------------------------------------------------


def test_mentor_adds_a_file_without_changing_status(world, as_user, event):
    response = as_user(world.mentor).post(upload_url(event), {"evidence-file": upload()})
    assert response.status_code == 302
    assert response["Location"] == detail_url(event)
    event.refresh_from_db()
    assert event.status == Status.PLANNED
    assert event.evidence.get().name == "Конспект НОД.pdf"
    assert "добавлен файл «Конспект НОД.pdf»" in ProgramChange.objects.get().what


def test_mentee_adds_a_file_to_own_task(world, as_user, event):
    response = as_user(world.mentee).post(upload_url(event), {"evidence-file": upload()})
    assert response.status_code == 302
    assert event.evidence.get().uploaded_by == world.mentee


def test_mentee_cannot_add_a_file_to_the_mentors_task(world, as_user, program):
    event = make_event(program, responsible=Responsible.MENTOR)
    response = as_user(world.mentee).post(upload_url(event), {"evidence-file": upload()})
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_adding_a_wrong_file_shows_the_reason_next_to_the_field(world, as_user, event):
    response = as_user(world.mentor).post(
        upload_url(event), {"evidence-file": upload("скан.pdf", b"not a pdf")}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "PDF, DOCX, JPEG или PNG" in text
    assert response.context["evidence_form"].errors["file"]
    assert not Evidence.objects.exists()


def test_adding_nothing_says_so(world, as_user, event):
    response = as_user(world.mentor).post(upload_url(event), {})
    assert response.status_code == 200
    assert "Выберите файл" in response.content.decode()


@pytest.mark.parametrize(("role", "expected"), [("head", 403), ("council", 403), ("outsider", 404)])
def test_others_cannot_add_files(world, as_user, event, role, expected):
    response = as_user(getattr(world, role)).post(upload_url(event), {"evidence-file": upload()})
    assert response.status_code == expected
    assert not Evidence.objects.exists()


def test_evidence_upload_takes_only_post(world, as_user, event):
    assert as_user(world.mentor).get(upload_url(event)).status_code == 405


@pytest.fixture
def evidence(world, event):
    event_update_progress(
        event=event,
        status="in_progress",
        actual_result="",
        file=upload("Анализ НОД «Осень».pdf"),
        user=world.mentor,
    )
    return event.evidence.get()


@pytest.mark.parametrize("role", ["mentor", "mentee", "head", "curator", "council", "sysadmin"])
def test_people_who_see_the_program_download_evidence(world, as_user, evidence, role):
    response = as_user(getattr(world, role)).get(
        reverse("programs:evidence-download", args=[evidence.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    disposition.encode("ascii")  # a header-safe name
    assert "filename*=UTF-8''" in disposition
    assert download_name(response) == "Анализ НОД «Осень».pdf"


def test_strangers_cannot_download_evidence(world, as_user, evidence):
    _, mentor_b, mentee_b = other_pair(world)
    url = reverse("programs:evidence-download", args=[evidence.pk])
    for user in (world.teacher, world.outsider, mentor_b, mentee_b):
        assert as_user(user).get(url).status_code == 404


def test_anonymous_cannot_download_evidence(client, evidence):
    response = client.get(reverse("programs:evidence-download", args=[evidence.pk]))
    assert response.status_code == 302


def test_pages_link_evidence_through_the_view_never_media(world, as_user, evidence):
    text = as_user(world.mentor).get(progress_url(evidence.event)).content.decode()
    assert reverse("programs:evidence-download", args=[evidence.pk]) in text
    assert "Анализ НОД «Осень».pdf" in text or "Анализ НОД &laquo;Осень&raquo;.pdf" in text
    assert "/media/" not in text and evidence.file.name not in text


# --- The mentee reports, the mentor confirms (п. 4.1) ---------------------------------------


def test_mentee_report_page_shows_the_task(world, as_user, event):
    response = as_user(world.mentee).get(report_url(event))
    assert response.status_code == 200
    assert "Отправить отчёт" in response.content.decode()


def test_mentee_reports_and_the_mentor_is_told(
    world, as_user, event, django_capture_on_commit_callbacks
):
    world.mentor.email = "petrova@example.org"
    world.mentor.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world.mentee).post(
            report_url(event), {"report": "Провела занятие, приложила конспект", "file": upload()}
        )
    assert response.status_code == 302
    assert response["Location"] == detail_url(event)
    event.refresh_from_db()
    assert event.status == Status.PLANNED  # stays until the mentor confirms
    assert event.mentee_report == "Провела занятие, приложила конспект"
    assert event.reported_at is not None and event.confirmed_at is None
    assert event.evidence.get().uploaded_by == world.mentee
    note = Notification.objects.get()
    assert note.user == world.mentor
    assert "Иванова А. С." in note.text and "«Анализ занятия наставляемого»" in note.text
    assert note.url == detail_url(event)
    run_tasks()
    assert [m.to for m in mail.outbox] == [["petrova@example.org"]]
    assert "наставляемый отчитался" in ProgramChange.objects.get().what


def test_report_without_text_is_refused(world, as_user, event):
    response = as_user(world.mentee).post(report_url(event), {"report": "   "})
    assert response.status_code == 200
    assert "Напишите, что сделано" in errors_of(response, "report")[0]
    event.refresh_from_db()
    assert event.reported_at is None
    assert not Notification.objects.exists()


def test_report_with_a_wrong_file_is_refused(world, as_user, event):
    response = as_user(world.mentee).post(
        report_url(event), {"report": "Сделано", "file": upload("фото.jpg", PDF)}
    )
    assert response.status_code == 200
    assert errors_of(response, "file")
    event.refresh_from_db()
    assert event.reported_at is None


@pytest.mark.parametrize("role", ["mentor", "curator", "sysadmin", "head", "council"])
def test_report_is_for_the_mentee_only(world, as_user, event, role):
    response = as_user(getattr(world, role)).post(report_url(event), {"report": "Сделано"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.reported_at is None


@pytest.mark.parametrize("role", ["teacher", "outsider"])
def test_strangers_get_404_on_report(world, as_user, event, role):
    assert as_user(getattr(world, role)).get(report_url(event)).status_code == 404


def test_mentee_of_another_group_gets_404_on_report(world, as_user, event):
    _, _, mentee_b = other_pair(world)
    assert as_user(mentee_b).get(report_url(event)).status_code == 404


def test_mentee_cannot_report_on_the_mentors_task(world, as_user, program):
    event = make_event(program, responsible=Responsible.MENTOR)
    assert as_user(world.mentee).post(report_url(event), {"report": "x"}).status_code == 403
    event.refresh_from_db()
    assert event.reported_at is None


def test_mentee_cannot_report_on_a_done_task(world, as_user, program):
    event = make_event(program, status=Status.DONE, actual_result="Готово", done_on=today())
    response = as_user(world.mentee).post(report_url(event), {"report": "Ещё раз"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.mentee_report == ""


def test_mentee_cannot_report_in_a_draft(world, as_user):
    event = make_event(make_program(world, status=Program.Status.DRAFT))
    assert as_user(world.mentee).get(report_url(event)).status_code == 403


def test_report_service_refuses_the_mentors_task(world, program):
    event = make_event(program, responsible=Responsible.MENTOR)
    with pytest.raises(ValidationError, match="выполняет наставник"):
        event_report(event=event, report="Сделано", file=None, user=world.mentee)


def test_mentor_confirms_a_reported_task_and_the_mentee_is_told(world, as_user, event):
    event_report(event=event, report="Провела занятие", file=None, user=world.mentee)
    Notification.objects.all().delete()
    response = as_user(world.mentor).post(confirm_url(event))
    assert response.status_code == 302
    assert response["Location"] == detail_url(event)
    event.refresh_from_db()
    assert event.status == Status.DONE
    assert event.done_on == today()
    assert event.confirmed_at is not None
    assert event.actual_result == "Провела занятие"  # the report is the result, unless written
    note = Notification.objects.get()
    assert note.user == world.mentee
    assert "подтвердил выполнение" in note.text
    assert f"программы «{event.program.group.title}»" in note.text  # which pair, named
    assert "статус → выполнено" in ProgramChange.objects.first().what


def test_curator_confirms_a_reported_task(world, as_user, event):
    event_report(event=event, report="Провела занятие", file=None, user=world.mentee)
    assert as_user(world.curator).post(confirm_url(event)).status_code == 302
    event.refresh_from_db()
    assert event.status == Status.DONE


def test_confirming_before_a_report_is_refused(world, as_user, event):
    response = as_user(world.mentor).post(confirm_url(event), follow=False)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Status.PLANNED and event.confirmed_at is None
    stored = [str(m) for m in response.wsgi_request._messages]
    assert any("ещё не отчитался" in m for m in stored)


def test_confirm_service_refuses_twice(world, event):
    event_report(event=event, report="Сделано", file=None, user=world.mentee)
    event_confirm(event=event, user=world.mentor)
    with pytest.raises(ValidationError, match="уже подтверждено"):
        event_confirm(event=event, user=world.mentor)


@pytest.mark.parametrize("role", ["mentee", "head", "council"])
def test_only_the_mentor_or_curator_confirms(world, as_user, event, role):
    event_report(event=event, report="Сделано", file=None, user=world.mentee)
    assert as_user(getattr(world, role)).post(confirm_url(event)).status_code == 403
    event.refresh_from_db()
    assert event.confirmed_at is None


def test_confirm_takes_only_post(world, as_user, event):
    assert as_user(world.mentor).get(confirm_url(event)).status_code == 405


# --- The actions partial on the program page ------------------------------------------------


def actions(event, program, member=None, is_curator=False, is_staff=False):
    access = ProgramAccess(
        status=program.status, member=member, is_staff=is_staff, is_curator=is_curator
    )
    return render_to_string(
        "programs/_event_actions.html", {"event": event, "program": program, "access": access}
    )


def members(program):
    group_members = program.group.members.select_related("person")
    return (
        group_members.get(role=GroupMember.Role.MENTOR),
        group_members.get(role=GroupMember.Role.MENTEE),
    )


def test_actions_follow_the_flags(world, program, event):
    mentor, mentee = members(program)
    with CaptureQueriesContext(connection) as queries:
        as_mentor = actions(event, program, mentor)
        as_mentee = actions(event, program, mentee)
        as_head = actions(event, program, is_staff=True)
    assert len(queries) == 0
    assert "Отметить выполнение" in as_mentor and "Отчитаться" not in as_mentor
    assert "Отчитаться" in as_mentee and "Отметить выполнение" not in as_mentee
    assert "Отметить" not in as_head and "Отчитаться" not in as_head
    assert "style=" not in as_mentor + as_mentee and "<script" not in as_mentor + as_mentee


def test_actions_of_a_reported_task(world, program, event):
    event_report(event=event, report="Сделано", file=None, user=world.mentee)
    event.refresh_from_db()
    mentor, mentee = members(program)
    as_mentor = actions(event, program, mentor)
    as_mentee = actions(event, program, mentee)
    assert "Подтвердить выполнение" in as_mentor
    assert confirm_url(event) in as_mentor and 'method="post"' in as_mentor
    assert "ждёт подтверждения наставника" in as_mentor
    assert "ждёт подтверждения наставника" in as_mentee
    assert "Подтвердить" not in as_mentee and "Изменить отчёт" in as_mentee


def test_the_mentor_reads_the_report_where_she_confirms_it(
    world, as_user, event, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    event_update_progress(
        event=event,
        status=Status.IN_PROGRESS,
        actual_result="",
        file=upload("План.pdf"),
        user=world.mentor,
    )
    event_report(
        event=event,
        report="Провела занятие «Осень»,\nнаписала самоанализ",
        file=upload("Самоанализ.pdf"),
        user=world.mentee,
    )
    event.refresh_from_db()
    mentee_file = event.evidence.get(name="Самоанализ.pdf")

    page = as_user(world.mentor).get(reverse("programs:program-detail", args=[event.program_id]))

    text = page.content.decode()
    report = text[text.index("Отчёт наставляемого: " + event.title) :]
    report = report[: report.index("Подтвердить выполнение")]
    reported = timezone.localtime(event.reported_at)
    assert f"Отчёт наставляемого от {reported:%d.%m.%Y %H:%M}" in report
    assert "Провела занятие «Осень»,<br>написала самоанализ" in report
    assert reverse("programs:evidence-download", args=[mentee_file.pk]) in report
    assert "Самоанализ.pdf" in report
    assert "План.pdf" not in report  # the mentor's own file is not the mentee's report


def test_a_confirmed_report_leaves_the_actions(world, as_user, event):
    event_report(event=event, report="Провела занятие", file=None, user=world.mentee)
    event_confirm(event=event, user=world.mentor)

    page = as_user(world.mentor).get(reverse("programs:program-detail", args=[event.program_id]))

    assert "Отчёт наставляемого от" not in page.content.decode()


def test_mentee_has_no_report_on_the_mentors_task(world, program):
    event = make_event(program, responsible=Responsible.MENTOR)
    _, mentee = members(program)
    assert "Отчитаться" not in actions(event, program, mentee)


def test_nothing_to_do_in_a_draft(world):
    program = make_program(world, status=Program.Status.DRAFT)
    event = make_event(program)
    mentor, mentee = members(program)
    assert "href" not in actions(event, program, mentor) + actions(event, program, mentee)


# --- The overdue list -----------------------------------------------------------------------


OVERDUE_URL = reverse("programs:overdue-list")


def test_curator_sees_open_events_past_their_deadline(world, as_user, program):
    late = make_event(program, "Открытый просмотр", deadline=today() - timedelta(days=4))
    marked = make_event(
        program, "Мастер-класс", deadline=today() - timedelta(days=9), status=Status.OVERDUE
    )
    make_event(program, "Выполненное", deadline=today() - timedelta(days=2), status=Status.DONE)
    make_event(program, "Отменённое", deadline=today() - timedelta(days=2), status=Status.CANCELLED)
    make_event(program, "Будущее", deadline=today() + timedelta(days=2))
    make_event(
        make_program(world, group=other_pair(world)[0], status=Program.Status.DRAFT),
        "Из черновика",
        deadline=today() - timedelta(days=3),
    )
    response = as_user(world.curator).get(OVERDUE_URL)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["event"] for row in rows] == [marked, late]
    assert [row["days"] for row in rows] == [9, 4]
    assert rows[0]["responsible"] == "Петрова М. И., Иванова А. С."
    text = response.content.decode()
    assert reverse("programs:program-detail", args=[program.pk]) in text
    assert "Петрова М. И. — Иванова А. С." in text
    assert (today() - timedelta(days=4)).strftime("%d.%m.%Y") in text
    assert "Выполненное" not in text and "Будущее" not in text and "Из черновика" not in text
    assert progress_url(late) in text


def test_overdue_list_says_when_there_is_nothing(world, as_user, program):
    response = as_user(world.head).get(OVERDUE_URL)
    assert response.status_code == 200
    assert "Просроченных мероприятий нет" in response.content.decode()


def test_outsider_sees_none_of_our_overdue_events(world, as_user, program):
    make_event(program, "Наше мероприятие", deadline=today() - timedelta(days=4))
    response = as_user(world.outsider).get(OVERDUE_URL)
    assert response.status_code == 200
    assert "Наше мероприятие" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("council", 200), ("sysadmin", 200), ("mentor", 404), ("mentee", 404), ("teacher", 404)],
)
def test_overdue_list_is_for_staff(world, as_user, role, expected):
    assert as_user(getattr(world, role)).get(OVERDUE_URL).status_code == expected


def test_overdue_list_pages_by_25(world, as_user, program):
    for n in range(30):
        make_event(program, f"Мероприятие {n}", deadline=today() - timedelta(days=1 + n))
    client = as_user(world.curator)
    assert len(client.get(OVERDUE_URL).context["rows"]) == 25
    assert len(client.get(OVERDUE_URL, {"page": 2}).context["rows"]) == 5


def overdue_queries(world, client, programs: int) -> int:
    for n in range(programs):
        group, _, _ = other_pair(world, suffix=f"q{programs}-{n}")
        program = make_program(world, group=group)
        make_event(program, f"Мероприятие {n}", deadline=today() - timedelta(days=2))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(OVERDUE_URL)
    assert response.status_code == 200
    return len(queries)


def test_overdue_list_runs_the_same_queries_for_5_and_50_programs(world, as_user):
    client = as_user(world.curator)
    client.get(OVERDUE_URL)  # the session's first request does its own bookkeeping
    few = overdue_queries(world, client, 5)
    ProgramEvent.objects.all().delete()
    many = overdue_queries(world, client, 50)
    assert many == few + 1  # only the longer list asks its COUNT(*): lib/pages.py::first_page
