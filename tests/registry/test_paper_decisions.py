"""Answers to a pair's proposal given on paper by a participant without a login (issue 16,
part 3; п. 6.2): the service, the curator's page, the printable form and the signed scan."""

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import LogEntry
from registry.models import GroupEvent, GroupMember, MentoringGroup, PaperDecision
from registry.services.groups import group_respond, group_submit
from registry.services.paper import paper_group_response, paper_order_acquaintance
from registry.services.personal_data import person_anonymize
from tests.docx_helpers import docx_download_text
from tests.factories import make_mentee, make_person
from tests.registry.test_group_services import active_group, give_written_consent, propose
from tests.registry.test_groups import proposal_data

pytestmark = pytest.mark.django_db

Status = MentoringGroup.Status
Response = GroupMember.Response
PDF_BYTES = b"%PDF-1.4\n%test\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def paperless_mentee(world):
    """A mentee of the bank who has no login: she answers on paper."""
    person = make_person(world.institution, "Бумажная", first_name="Ольга", patronymic="Ивановна")
    make_mentee(person)
    return person


def paper_pair(world):
    """A proposed pair: the world's mentor (with a login) and a mentee without one."""
    return propose(world, mentees=[paperless_mentee(world)])


def mentee_of(group):
    return group.members.get(role=GroupMember.Role.MENTEE).person


def scan(name="бланк Бумажная.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content)


def record(world, group, person, **changes):
    fields = {
        "group": group,
        "person": person,
        "confirm": True,
        "comment": "",
        "decided_on": timezone.localdate(),
        "scan": None,
        "original_with_curator": True,
        "user": world.curator,
    }
    fields.update(changes)
    return paper_group_response(**fields)


def url(group):
    return reverse("registry:group-paper-response", args=[group.pk])


def form_data(who, **changes):
    data = {
        "person": who.pk,
        "decision": "confirm",
        "decided_on": timezone.localdate().isoformat(),
        "original_with_curator": "on",
        "comment": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- The service ---------------------------------------------------------------------------


def test_paper_confirmation_counts_as_the_persons_own(world):
    group = paper_pair(world)
    group_respond(
        group=group, person=world.mentor_person, confirm=True, comment="", user=world.mentor
    )
    person = mentee_of(group)
    decision = record(world, group, person)
    group.refresh_from_db()
    assert group.status == Status.CONFIRMED
    member = group.members.get(person=person)
    assert member.response == Response.CONFIRMED
    assert decision.recorded_by == world.curator
    assert decision.person == person and decision.agreed
    event = GroupEvent.objects.filter(group=group).order_by("-id")[1]
    assert event.actor == world.curator
    assert event.text.startswith("Бумажная О. И. подтвердила участие (решение на бумаге от")
    # The head can now have it: the curator submits it as after a click.
    give_written_consent(world.mentor_person)
    group = group_submit(group=group, user=world.curator)
    assert group.status == Status.SUBMITTED


def test_paper_refusal_stops_the_pair(world):
    group = paper_pair(world)
    record(world, group, mentee_of(group), confirm=False, comment="Перехожу в другой сад")
    group.refresh_from_db()
    assert group.status == Status.DECLINED
    assert group.members.get(person=mentee_of(group)).response_comment == "Перехожу в другой сад"


def test_the_scan_is_kept_under_a_name_without_the_surname(world):
    group = paper_pair(world)
    decision = record(world, group, mentee_of(group), scan=scan(), original_with_curator=False)
    decision.refresh_from_db()
    assert decision.scan.name.endswith(".pdf")
    assert "Бумажная" not in decision.scan.name


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decided_on": timezone.localdate() + timedelta(days=1)}, "decided_on"),
        ({"original_with_curator": False}, "scan"),
    ],
)
def test_bad_paper_decision_writes_nothing(world, changes, field):
    group = paper_pair(world)
    with pytest.raises(ValidationError) as error:
        record(world, group, mentee_of(group), **changes)
    assert field in error.value.message_dict
    assert not PaperDecision.objects.exists()
    assert group.members.get(person=mentee_of(group)).response == Response.PENDING


def test_nobody_records_on_paper_for_a_person_with_a_login(world):
    group = paper_pair(world)
    with pytest.raises(ValidationError) as error:
        record(world, group, world.mentor_person)
    assert "есть вход в систему" in error.value.message_dict["person"][0]
    assert group.members.get(person=world.mentor_person).response == Response.PENDING
    assert not PaperDecision.objects.exists()


def test_a_second_paper_answer_is_refused_and_the_first_stays(world):
    group = paper_pair(world)
    person = mentee_of(group)
    record(world, group, person)
    with pytest.raises(ValidationError, match="уже ответили"):
        record(world, group, person, confirm=False, comment="Передумала")
    assert PaperDecision.objects.get().agreed
    assert group.members.get(person=person).response == Response.CONFIRMED


# --- The curator's page --------------------------------------------------------------------


def test_curator_records_a_paper_confirmation_with_a_scan(world, as_user):
    group = paper_pair(world)
    person = mentee_of(group)
    client = as_user(world.curator)
    page = client.get(url(group), {"person": person.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert "Оригинал хранится у куратора" in html
    assert 'enctype="multipart/form-data"' in html
    response = client.post(
        url(group), form_data(person, original_with_curator=None, scan=scan("скан.png", PNG_BYTES))
    )
    assert response.status_code == 302
    decision = PaperDecision.objects.get()
    assert decision.scan.name.endswith(".png")
    assert decision.recorded_by == world.curator
    assert group.members.get(person=person).response == Response.CONFIRMED
    assert "Решение участника «Бумажная О. И.» внесено" in flash(response)[0]
    # The audit trail names the curator who recorded the decision; the row names the person.
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(PaperDecision),
        object_pk=str(decision.pk),
    )
    assert entry.actor == world.curator
    # The group's page shows the decision and its scan.
    detail = client.get(reverse("registry:group-detail", args=[group.pk])).content.decode()
    assert "на бумаге от" in detail
    assert reverse("registry:paper-decision-scan", args=[decision.pk]) in detail
    download = client.get(reverse("registry:paper-decision-scan", args=[decision.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG_BYTES


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"scan": ("blank.pdf", b"MZ not a pdf"), "original_with_curator": None},
            "scan",
            "Загрузите скан в формате PDF, JPEG или PNG",
        ),
        ({"original_with_curator": None}, "scan", "Загрузите скан подписанного бланка"),
        ({"decided_on": "tomorrow"}, "decided_on", "Дата на бланке не может быть в будущем."),
        ({"person": "mentor"}, "person", "есть вход в систему"),
        ({"decision": "decline"}, "comment", "перепишите причину"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_written(
    world, as_user, changes, field, message
):
    group = paper_pair(world)
    person = mentee_of(group)
    changes = dict(changes)
    if "scan" in changes:
        changes["scan"] = scan(*changes["scan"])
    if changes.get("decided_on") == "tomorrow":
        changes["decided_on"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    if changes.get("person") == "mentor":
        changes["person"] = world.mentor_person.pk
    response = as_user(world.curator).post(url(group), form_data(person, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert message in response.content.decode()
    assert not PaperDecision.objects.exists()
    assert not group.members.exclude(response=Response.PENDING).exists()


def test_paper_page_refuses_once_the_pair_is_no_longer_waiting(world, as_user):
    group = paper_pair(world)
    record(world, group, mentee_of(group), confirm=False, comment="Нет")
    response = as_user(world.curator).post(url(group), form_data(mentee_of(group)))
    assert response.status_code == 302
    assert "ждёт ответа участников" in flash(response)[0]
    assert PaperDecision.objects.count() == 1


def test_head_and_members_cannot_record_on_paper(world, as_user):
    group = paper_pair(world)
    assert as_user(world.head).get(url(group)).status_code == 403
    assert as_user(world.mentor).post(url(group), form_data(mentee_of(group))).status_code == 403
    assert not PaperDecision.objects.exists()


def test_group_page_offers_paper_for_people_without_a_login(world, as_user):
    group = paper_pair(world)
    html = as_user(world.curator).get(reverse("registry:group-detail", args=[group.pk]))
    html = html.content.decode()
    assert "Без входа в систему: 1" in html
    assert "Внести решение на бумаге" in html
    member = group.members.get(role=GroupMember.Role.MENTEE)
    assert reverse("registry:group-paper-form", args=[member.pk]) in html


def test_proposal_warns_how_many_answer_on_paper(world, as_user):
    person = paperless_mentee(world)
    today = timezone.localdate()
    data = proposal_data(world, mentees=[person.pk], planned_start=today.isoformat())
    response = as_user(world.curator).post(reverse("registry:group-create"), data)
    assert response.status_code == 302
    assert any("Без входа в систему — 1 участник" in m for m in flash(response))


# --- The printable form --------------------------------------------------------------------


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(content)
    # A fixed local tool on a file the test wrote itself (TOOLCHAIN.md: poppler-utils).
    command = [shutil.which("pdftotext"), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return " ".join(result.stdout.split())


def test_printable_form_holds_the_person_and_the_pair(world, as_user, tmp_path):
    group = paper_pair(world)
    member = group.members.get(role=GroupMember.Role.MENTEE)
    response = as_user(world.curator).get(reverse("registry:group-paper-form", args=[member.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Бумажная Ольга Ивановна" in text
    assert "Петрова Мария Ивановна" in text
    assert "паре" in text
    assert f"с {group.planned_start:%d.%m.%Y} по {group.planned_end:%d.%m.%Y}" in text
    assert "Согласна участвовать" in text


def test_printable_form_in_docx_holds_the_person_and_the_pair(world, as_user):
    group = paper_pair(world)
    member = group.members.get(role=GroupMember.Role.MENTEE)
    address = reverse("registry:group-paper-form", args=[member.pk]) + "?format=docx"
    response = as_user(world.curator).get(address)
    name = f"Бланк ответа о паре {member.group_id}-{member.person_id}.docx"
    text = docx_download_text(response, name)
    assert "Решение об участии в наставнической паре" in text
    assert "Бумажная Ольга Ивановна" in text
    assert "Наставник: Петрова Мария Ивановна" in text
    assert f"Срок: с {group.planned_start:%d.%m.%Y} по {group.planned_end:%d.%m.%Y}" in text
    assert "Согласна участвовать" in text and "Отказываюсь от участия." in text


# --- 152-ФЗ ст. 21 -------------------------------------------------------------------------


def test_withdrawn_consent_destroys_the_scan_but_keeps_the_decision(
    world, django_capture_on_commit_callbacks
):
    group = paper_pair(world)
    person = mentee_of(group)
    decision = record(
        world,
        group,
        person,
        confirm=False,
        comment="Ухожу в декрет",
        scan=scan(),
        original_with_curator=False,
    )
    stored = decision.scan.path
    consent = person.consents.get()
    consent.withdrawn_on = timezone.localdate()
    consent.save()
    with django_capture_on_commit_callbacks(execute=True):
        act = person_anonymize(person=person, user=world.curator)
    decision.refresh_from_db()
    assert not decision.scan
    assert decision.scan_destroyed_on == timezone.localdate()
    assert decision.comment == ""
    assert decision.agreed is False  # the decision itself stays
    assert act.files_deleted == 1
    assert not Path(stored).exists()


# --- Acquaintance with a signed order ------------------------------------------------------


def signed_order_with_paper_mentee(world):
    """The order «О закреплении» of a pair whose mentee has no login: both are to sign it."""
    group = active_group(world, mentees=[paperless_mentee(world)])
    return group.order, mentee_of(group)


def acquaint(world, order, who, **changes):
    fields = {
        "order": order,
        "person": who,
        "decided_on": timezone.localdate(),
        "scan": None,
        "original_with_curator": True,
        "user": world.curator,
    }
    fields.update(changes)
    return paper_order_acquaintance(**fields)


def test_curator_records_an_acquaintance_from_the_signed_order(world, as_user):
    order, person = signed_order_with_paper_mentee(world)
    client = as_user(world.curator)
    detail = reverse("registry:order-detail", args=[order.pk])
    before = client.get(detail).content.decode()
    assert "нет входа в систему: ознакомление на бумаге" in before
    assert "Без входа в систему — 1: они знакомятся с приказом только на бумаге" in before
    url = reverse("registry:order-paper-acquaintance", args=[order.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"person": person.pk, "decided_on": timezone.localdate().isoformat(), "scan": scan()}
    )
    assert response.status_code == 302
    assert "Ознакомление участника «Бумажная О. И.» с приказом внесено." in flash(response)
    decision = PaperDecision.objects.get(kind=PaperDecision.Kind.ORDER_ACQUAINTANCE)
    assert (decision.order, decision.person, decision.recorded_by) == (
        order,
        person,
        world.curator,
    )
    page = client.get(detail).content.decode()
    assert "ознакомлена на бумаге" in page
    assert "они знакомятся с приказом только на бумаге" not in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"person": "mentor"}, "person", "есть вход в систему"),
        ({"decided_on": -1}, "decided_on", "не раньше его даты"),
        ({"original_with_curator": False}, "scan", "Загрузите скан подписанного бланка"),
    ],
)
def test_bad_acquaintance_is_refused_and_nothing_is_written(world, changes, field, message):
    order, person = signed_order_with_paper_mentee(world)
    changes = dict(changes)
    if changes.get("person") == "mentor":
        changes["person"] = world.mentor_person
    if changes.get("decided_on") == -1:
        changes["decided_on"] = order.date - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        acquaint(world, order, person, **changes)
    assert message in " ".join(error.value.message_dict[field])
    assert not PaperDecision.objects.filter(kind=PaperDecision.Kind.ORDER_ACQUAINTANCE).exists()


def test_acquaintance_is_recorded_once(world):
    order, person = signed_order_with_paper_mentee(world)
    acquaint(world, order, person)
    with pytest.raises(ValidationError, match="уже внесено"):
        acquaint(world, order, person)


def test_head_cannot_record_an_acquaintance(world, as_user):
    order, person = signed_order_with_paper_mentee(world)
    url = reverse("registry:order-paper-acquaintance", args=[order.pk])
    assert as_user(world.head).get(url).status_code == 403
