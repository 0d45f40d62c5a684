"""Acquaintance with an approved program signed on paper by a participant without a login
(issue 16, part 3): the service, the curator's page, the program's page and the printable
sheet of acquaintance."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import LogEntry
from programs.models import Program, ProgramChange
from programs.services.lifecycle import program_acquaintance_on_paper
from registry.models import PaperDecision
from tests.docx_helpers import docx_download_text
from tests.factories import make_person
from tests.programs.test_term_paper import (
    PDF_BYTES,
    flash,
    paperless_mentee,
    paperless_program,
    pdf_text,
)

pytestmark = pytest.mark.django_db

KIND = PaperDecision.Kind.PROGRAM_ACQUAINTANCE


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mentee(world):
    return paperless_mentee(world)


@pytest.fixture
def program(world, mentee):
    """Approved ten days ago by the curator: the mentor has a login, the mentee has not."""
    program = paperless_program(world, mentee)
    program.approved_at = timezone.now() - timedelta(days=10)
    program.approved_by = world.curator
    program.save()
    return program


def acquaint(world, program, person, **changes):
    fields = {
        "program": program,
        "person": person,
        "decided_on": timezone.localdate(),
        "scan": None,
        "original_with_curator": True,
        "user": world.curator,
    }
    fields.update(changes)
    return program_acquaintance_on_paper(**fields)


def url(name, program):
    return reverse(f"programs:{name}", args=[program.pk])


def detail_html(client, program) -> str:
    return client.get(url("program-detail", program)).content.decode()


# --- The service ------------------------------------------------------------------------------


def test_paper_acquaintance_is_recorded_with_the_curator_in_the_history(world, program, mentee):
    decision = acquaint(world, program, mentee)
    assert (decision.kind, decision.program, decision.person) == (KIND, program, mentee)
    assert decision.group == program.group
    assert decision.recorded_by == world.curator
    assert decision.source_text == "оригинал хранится у куратора"
    change = ProgramChange.objects.get(program=program, what__startswith="Ознакомление")
    assert change.actor == world.curator
    assert change.what.startswith(
        "Ознакомление с программой наставничества: Бумажная О. И. (решение на бумаге от "
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"person": "mentor"}, "person", "есть вход в систему"),
        ({"person": "stranger"}, "person", "не участник программы"),
        ({"decided_on": "tomorrow"}, "decided_on", "не может быть в будущем"),
        ({"decided_on": "before"}, "decided_on", "не раньше её утверждения"),
        ({"original_with_curator": False}, "scan", "Загрузите скан подписанного бланка"),
    ],
)
def test_bad_acquaintance_is_refused_and_nothing_is_written(
    world, program, mentee, changes, field, message
):
    changes = dict(changes)
    if changes.get("person") == "mentor":
        changes["person"] = world.mentor_person
    elif changes.get("person") == "stranger":
        changes["person"] = make_person(world.institution, "Чужая", first_name="Анна")
    if changes.get("decided_on") == "tomorrow":
        changes["decided_on"] = timezone.localdate() + timedelta(days=1)
    elif changes.get("decided_on") == "before":
        changes["decided_on"] = timezone.localdate() - timedelta(days=11)
    with pytest.raises(ValidationError) as error:
        acquaint(world, program, changes.pop("person", mentee), **changes)
    assert message in " ".join(error.value.message_dict[field])
    assert not PaperDecision.objects.filter(kind=KIND).exists()
    assert not ProgramChange.objects.filter(what__startswith="Ознакомление").exists()


def test_the_date_of_approval_itself_is_accepted(world, program, mentee):
    approved_on = timezone.localdate(program.approved_at)
    assert acquaint(world, program, mentee, decided_on=approved_on).decided_on == approved_on


@pytest.mark.parametrize("status", [Program.Status.DRAFT, Program.Status.ON_REVIEW])
def test_a_program_not_yet_approved_is_refused(world, program, mentee, status):
    Program.objects.filter(pk=program.pk).update(status=status, approved_at=None)
    with pytest.raises(ValidationError, match="после её утверждения куратором"):
        acquaint(world, program, mentee)
    assert not PaperDecision.objects.exists()


def test_acquaintance_is_recorded_once(world, program, mentee):
    acquaint(world, program, mentee)
    with pytest.raises(ValidationError) as error:
        acquaint(world, program, mentee)
    assert "уже внесено" in error.value.message_dict["person"][0]
    assert PaperDecision.objects.filter(kind=KIND).count() == 1


# --- The pages --------------------------------------------------------------------------------


def test_curator_records_the_acquaintance_with_a_scan(world, as_user, program, mentee):
    client = as_user(world.curator)
    before = detail_html(client, program)
    assert "Внести ознакомление на бумаге" in before
    assert url("program-paper-acquaintance", program) in before
    page = client.get(url("program-paper-acquaintance", program))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert 'enctype="multipart/form-data"' in html
    assert url("program-paper-acquaintance-form", program) in html
    response = client.post(
        url("program-paper-acquaintance", program),
        {
            "person": mentee.pk,
            "decided_on": timezone.localdate().isoformat(),
            "scan": SimpleUploadedFile("лист.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    assert "Ознакомление участника «Бумажная О. И.» с программой внесено." in flash(response)
    decision = PaperDecision.objects.get(kind=KIND)
    # The audit trail names the curator who recorded it; the row names the person.
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(PaperDecision), object_pk=str(decision.pk)
    )
    assert entry.actor == world.curator
    assert decision.scan.name.endswith(".pdf")
    assert "Бумажная" not in decision.scan.name
    after = detail_html(client, program)
    assert f"ознакомлена {timezone.localdate():%d.%m.%Y}" in after
    assert reverse("registry:paper-decision-scan", args=[decision.pk]) in after
    # Everyone without a login has acquainted: the link is gone.
    assert "Внести ознакомление на бумаге" not in after
    download = client.get(reverse("registry:paper-decision-scan", args=[decision.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_original_with_curator_is_listed_to_the_members(world, as_user, program, mentee):
    acquaint(world, program, mentee)
    html = detail_html(as_user(world.mentor), program)
    assert "Бумажная Ольга Ивановна — ознакомлена" in html
    assert "оригинал у куратора" in html
    assert "Внести ознакомление на бумаге" not in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"scan": ("лист.pdf", b"GIF89a not a pdf")}, "Загрузите скан в формате PDF, JPEG или PNG"),
        ({}, "Загрузите скан подписанного бланка"),
        ({"decided_on": "tomorrow"}, "Дата на бланке не может быть в будущем."),
        ({"decided_on": "before"}, "не раньше её утверждения"),
        ({"person": "mentor"}, "есть вход в систему"),
        ({"person": "stranger"}, "Выберите участника программы"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_written(
    world, as_user, program, mentee, changes, message
):
    data = {"person": mentee.pk, "decided_on": timezone.localdate().isoformat()}
    if "scan" in changes:
        data["scan"] = SimpleUploadedFile(*changes["scan"])
    if changes.get("decided_on") == "tomorrow":
        data["decided_on"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    elif changes.get("decided_on") == "before":
        data["decided_on"] = (timezone.localdate() - timedelta(days=11)).isoformat()
    if changes.get("person") == "mentor":
        data["person"] = world.mentor_person.pk
    elif changes.get("person") == "stranger":
        data["person"] = make_person(world.institution, "Чужая", first_name="Анна").pk
    response = as_user(world.curator).post(url("program-paper-acquaintance", program), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PaperDecision.objects.exists()


def test_a_draft_program_sends_the_curator_back(world, as_user, program):
    Program.objects.filter(pk=program.pk).update(status=Program.Status.DRAFT, approved_at=None)
    client = as_user(world.curator)
    assert "Внести ознакомление на бумаге" not in detail_html(client, program)
    for name in ("program-paper-acquaintance", "program-paper-acquaintance-form"):
        response = client.get(url(name, program))
        assert response.status_code == 302
        assert "после её утверждения куратором" in flash(response)[0]


def test_only_the_curator_records_and_prints(world, as_user, program, mentee):
    data = {"person": mentee.pk, "decided_on": timezone.localdate().isoformat()}
    data["original_with_curator"] = "on"
    for name in ("program-paper-acquaintance", "program-paper-acquaintance-form"):
        assert as_user(world.mentor).post(url(name, program), data).status_code == 403
        assert as_user(world.head).get(url(name, program)).status_code == 403
        assert as_user(world.outsider).get(url(name, program)).status_code == 404
    assert not PaperDecision.objects.exists()
    assert "Внести ознакомление на бумаге" not in detail_html(as_user(world.mentor), program)


def test_printable_sheet_holds_the_program_and_every_participant(world, as_user, program, tmp_path):
    response = as_user(world.curator).get(url("program-paper-acquaintance-form", program))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ С ПРОГРАММОЙ НАСТАВНИЧЕСТВА" in text.upper()
    assert f"с {program.start:%d.%m.%Y} по {program.end:%d.%m.%Y}" in text
    assert f"Утверждена куратором: {timezone.localdate(program.approved_at):%d.%m.%Y}" in text
    assert "Бумажная Ольга Ивановна" in text
    assert "Петрова Мария Ивановна" in text
    assert "Бумажная О. И." in text and "Петрова М. И." in text  # the signature lines


def test_printable_sheet_in_docx_holds_the_program_and_every_participant(world, as_user, program):
    address = url("program-paper-acquaintance-form", program) + "?format=docx"
    response = as_user(world.curator).get(address)
    text = docx_download_text(response, f"Лист ознакомления с программой № {program.pk}.docx")
    assert "Лист ознакомления с программой наставничества" in text
    assert f"с {program.start:%d.%m.%Y} по {program.end:%d.%m.%Y}" in text
    assert f"Утверждена куратором: {timezone.localdate(program.approved_at):%d.%m.%Y}" in text
    assert "№ Фамилия, имя, отчество Роль Дата Подпись" in text
    assert "Бумажная Ольга Ивановна" in text and "Петрова Мария Ивановна" in text
    assert "/ Бумажная О. И." in text and "/ Петрова М. И." in text  # the signature lines
