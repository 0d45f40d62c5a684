"""The mentor's supplementary agreement ends with the program (ТК РФ ст. 351.8; п. 7.1): when
the program is completed or terminated early, the mentoring work ends, and each mentor's signed
agreement of the group ends on the program's end date — in the same transaction, shown on the
agreement's page and in the register."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from programs.models import Program
from programs.services import lifecycle
from programs.services.lifecycle import Completion, program_complete
from registry.models import GroupEvent, MentoringAgreement
from registry.services import agreements as services
from tests.programs.test_lifecycle import active_program, done_in_full, today

pytestmark = pytest.mark.django_db

Status = MentoringAgreement.Status
EndedBy = MentoringAgreement.EndedBy
LABEL = "в связи с окончанием наставничества (программа завершена / прекращена)"


@pytest.fixture
def program(world):
    return active_program(world)


def the_agreement(world, program) -> MentoringAgreement:
    return MentoringAgreement.objects.get(group=program.group, mentor=world.mentor_person)


def test_completing_the_program_ends_the_mentors_agreement_on_its_end_date(world, program):
    assert the_agreement(world, program).status == Status.SIGNED  # signed before the approval

    program_complete(program=program, completion=done_in_full(), user=world.curator)

    agreement = the_agreement(world, program)
    assert (agreement.status, agreement.ended_by, agreement.ended_on) == (
        Status.ENDED,
        EndedBy.PROGRAM,
        today(),
    )
    assert agreement.get_ended_by_display() == LABEL
    assert agreement.end_note.startswith("Программа завершена")
    assert agreement.ended_recorded_by == world.curator
    assert GroupEvent.objects.filter(
        group=program.group, text__contains=f"прекращено {LABEL} с {today():%d.%m.%Y}"
    ).exists()


def test_an_early_end_ends_the_agreement_on_the_programs_end_date(world, program):
    finished_on = today() - timedelta(days=3)
    program_complete(
        program=program,
        completion=Completion(
            reason=Program.Reason.MUTUAL,
            finished_on=finished_on,
            reason_note="Переход в другую группу",
        ),
        user=world.mentee,
    )
    agreement = the_agreement(world, program)
    assert (agreement.status, agreement.ended_by, agreement.ended_on) == (
        Status.ENDED,
        EndedBy.PROGRAM,
        finished_on,
    )
    assert agreement.end_note.startswith("Программа прекращена досрочно")


def test_only_signed_agreements_end_with_the_program(world, program):
    """One ended earlier by the employer keeps its own end; nothing else of the group changes."""
    agreement = the_agreement(world, program)
    services.agreement_end(
        agreement=agreement,
        ended_by=EndedBy.EMPLOYER,
        notice_on=agreement.date,
        ended_on=services.earliest_end(agreement.date),
        note="Перевод",
        user=world.curator,
    )
    program_complete(program=program, completion=done_in_full(), user=world.curator)
    agreement.refresh_from_db()
    assert (agreement.ended_by, agreement.end_note) == (EndedBy.EMPLOYER, "Перевод")


def test_a_refused_completion_leaves_the_agreement_in_force(world, program):
    with pytest.raises(ValidationError):
        program_complete(
            program=program,
            completion=done_in_full(finished_on=today() + timedelta(days=1)),
            user=world.curator,
        )
    assert the_agreement(world, program).status == Status.SIGNED


def test_the_agreement_and_the_program_end_together_or_not_at_all(world, program, monkeypatch):
    """Atomic: a failure after the agreements ended rolls the program's ending back too."""

    def fail(**kwargs):
        raise RuntimeError("the survey could not be sent")

    monkeypatch.setattr(lifecycle, "survey_send_on_completion", fail)
    with pytest.raises(RuntimeError):
        program_complete(program=program, completion=done_in_full(), user=world.curator)
    program.refresh_from_db()
    assert program.status == Program.Status.ACTIVE
    assert the_agreement(world, program).status == Status.SIGNED


def test_the_agreement_page_and_the_register_say_why_it_ended(world, program, as_user):
    program_complete(program=program, completion=done_in_full(), user=world.curator)
    agreement = the_agreement(world, program)
    client = as_user(world.curator)

    page = client.get(reverse("registry:agreement-detail", args=[agreement.pk]))
    text = page.content.decode()
    assert f"с {today():%d.%m.%Y}, {LABEL}" in text
    assert "Основание прекращения" in text and "Программа завершена" in text

    register = client.get(reverse("registry:agreement-list"), {"status": Status.ENDED})
    assert f"с {today():%d.%m.%Y}, {LABEL}" in register.content.decode()

    # The accounting office's Excel says it too: the pay stops with the mentoring work.
    export = client.get(reverse("registry:agreement-export"), {"status": Status.ENDED})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "Наставник")
    record = dict(zip(header, rows[rows.index(header) + 1], strict=False))
    assert record["Состояние"] == "прекращено"
    assert record["Прекращено с"].date() == today()
    assert record["Основание прекращения"] == LABEL


# --- The menu link to the register ----------------------------------------------------------

MENU_LINK = f'href="{reverse("registry:agreement-list")}">Доп. соглашения</a>'


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("head", True),
        ("curator", True),
        ("sysadmin", True),
        ("council", False),  # the register answers the council 403
        ("mentor", False),
        ("mentee", False),
    ],
)
def test_the_menu_links_the_register_for_the_roles_that_may_open_it(world, as_user, role, shown):
    client = as_user(getattr(world, role))
    page = client.get(reverse("registry:notification-list")).content.decode()
    assert (MENU_LINK in page) is shown
    if shown:
        assert client.get(reverse("registry:agreement-list")).status_code == 200
