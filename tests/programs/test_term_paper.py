"""Agreement to a term change signed on paper by a participant without a login (issue 16,
part 3; п. 7.2): the service, the curator's page and the printable form."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from programs.models import ProgramChange, TermChange
from programs.services.lifecycle import term_change_agree_on_paper, term_change_curator_agree
from registry.models import PaperDecision
from tests.docx_helpers import docx_download_text
from tests.factories import make_mentee, make_person
from tests.programs.test_lifecycle import active_program, request_later, sign_term_order
from tests.registry.test_group_services import active_group

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n%test\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def paperless_mentee(world):
    """A mentee without a login."""
    person = make_person(world.institution, "Бумажная", first_name="Ольга", patronymic="Ивановна")
    make_mentee(person)
    return person


def paperless_program(world, mentee=None):
    """An approved program of the world's mentor and a mentee without a login."""
    mentee = mentee or paperless_mentee(world)
    return active_program(world, group=active_group(world, mentees=[mentee]))


@pytest.fixture
def mentee(world):
    return paperless_mentee(world)


@pytest.fixture
def program(world, mentee):
    return paperless_program(world, mentee)


@pytest.fixture
def term(world, program):
    """Proposed by the mentor with the curator: they have agreed, the mentee has not."""
    term = request_later(world, program, user=world.mentor)
    return term_change_curator_agree(term=term, user=world.curator)


def agree(world, term, person, **changes):
    fields = {
        "term": term,
        "person": person,
        "decided_on": timezone.localdate(),
        "scan": None,
        "original_with_curator": True,
        "user": world.curator,
    }
    fields.update(changes)
    return term_change_agree_on_paper(**fields)


def url(name, term):
    return reverse(f"programs:{name}", args=[term.pk])


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_paper_agreement_applies_the_new_term_as_the_persons_own(world, program, term, mentee):
    old_end = program.end
    term = agree(world, term, mentee)
    assert term.status == TermChange.Status.ORDERED
    sign_term_order(world, term)
    program.refresh_from_db()
    term.refresh_from_db()
    assert term.status == TermChange.Status.APPLIED
    assert program.end == old_end + timedelta(days=60)
    agreement = term.agreements.get(person=mentee)
    assert agreement.paper.recorded_by == world.curator
    assert agreement.paper.kind == PaperDecision.Kind.TERM_AGREEMENT
    change = ProgramChange.objects.get(what__startswith="Согласие на изменение срока")
    assert change.actor == world.curator
    assert "Бумажная О. И. (решение на бумаге от" in change.what


def test_paper_agreement_is_refused_for_a_person_with_a_login(world, term):
    with pytest.raises(ValidationError) as error:
        agree(world, term, world.mentor_person)
    assert "есть вход в систему" in error.value.message_dict["person"][0]
    assert not PaperDecision.objects.exists()


def test_paper_agreement_needs_a_past_date_and_a_scan_or_the_original(world, term, mentee):
    with pytest.raises(ValidationError) as error:
        agree(
            world,
            term,
            mentee,
            decided_on=timezone.localdate() + timedelta(days=1),
            original_with_curator=False,
        )
    assert set(error.value.message_dict) == {"decided_on", "scan"}
    term.refresh_from_db()
    assert term.status == TermChange.Status.PENDING
    assert not term.agreements.filter(person=mentee).exists()


def test_curator_records_the_agreement_with_a_scan(world, as_user, program, term, mentee):
    client = as_user(world.curator)
    detail = client.get(reverse("programs:program-detail", args=[program.pk])).content.decode()
    assert "Внести согласие на бумаге" in detail
    page = client.get(url("term-change-paper", term))
    assert page.status_code == 200
    assert page.content.decode().count("<h1") == 1
    response = client.post(
        url("term-change-paper", term),
        {
            "person": mentee.pk,
            "decided_on": timezone.localdate().isoformat(),
            "scan": SimpleUploadedFile("бланк.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    assert "Все участники согласились" in flash(response)[0]
    term.refresh_from_db()
    assert term.status == TermChange.Status.ORDERED
    assert term.agreements.get(person=mentee).paper.scan.name.endswith(".pdf")


def test_bad_scan_is_shown_next_to_the_field_and_nothing_is_written(world, as_user, term, mentee):
    response = as_user(world.curator).post(
        url("term-change-paper", term),
        {
            "person": mentee.pk,
            "decided_on": timezone.localdate().isoformat(),
            "scan": SimpleUploadedFile("бланк.pdf", b"GIF89a not a pdf"),
        },
    )
    assert response.status_code == 200
    assert "Загрузите скан в формате PDF, JPEG или PNG" in response.content.decode()
    assert not PaperDecision.objects.exists()
    term.refresh_from_db()
    assert term.status == TermChange.Status.PENDING


def test_mentor_and_head_cannot_record_on_paper(world, as_user, term, mentee):
    data = {"person": mentee.pk, "decided_on": timezone.localdate().isoformat()}
    assert as_user(world.mentor).post(url("term-change-paper", term), data).status_code == 403
    assert as_user(world.head).get(url("term-change-paper", term)).status_code == 403
    assert not PaperDecision.objects.exists()


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(content)
    # A fixed local tool on a file the test wrote itself (TOOLCHAIN.md: poppler-utils).
    command = [shutil.which("pdftotext"), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return " ".join(result.stdout.split())


def test_printable_agreement_holds_the_new_term_and_every_participant(
    world, as_user, term, tmp_path
):
    response = as_user(world.curator).get(url("term-change-paper-form", term))
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert f"Новая дата окончания: {term.new_end:%d.%m.%Y}" in text
    assert "Бумажная Ольга Ивановна" in text
    assert "Петрова Мария Ивановна" in text
    assert "Бумажная О. И." in text and "Петрова М. И." in text  # the signature lines


def test_printable_agreement_in_docx_holds_the_new_term_and_every_participant(world, as_user, term):
    response = as_user(world.curator).get(url("term-change-paper-form", term) + "?format=docx")
    name = f"Согласие на изменение срока программы № {term.program_id}.docx"
    text = docx_download_text(response, name)
    assert "Согласие на изменение срока реализации программы наставничества" in text
    assert f"Новая дата окончания: {term.new_end:%d.%m.%Y}" in text
    assert "Бумажная Ольга Ивановна" in text and "Петрова Мария Ивановна" in text
    assert "/ Бумажная О. И." in text and "/ Петрова М. И." in text  # the signature lines
