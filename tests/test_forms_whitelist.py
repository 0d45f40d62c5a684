"""Forms take only the fields they list (ASVS 5.0 V15.3: mass assignment).

No ModelForm of the project uses ``fields = "__all__"`` or ``exclude``; and the main create and
edit views, posted valid data together with fields a form must never take from the browser
(``status``, ``institution``, ``created_by``, ``owner``, ``approved_at`` and their kin), save
the row as if those extras had not been sent.
"""

import importlib
import inspect
import pkgutil
from datetime import date, timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from programs.models import Program, ProgramEvent
from registry.models import (
    CouncilMeeting,
    MenteeProfile,
    MentoringGroup,
    MentorProfile,
    Order,
    Person,
)
from reports.models import GrowthRecord, Practice, Survey
from roadmap import services as roadmap_services
from roadmap.models import Activity
from tests.factories import give_consent
from tests.programs.test_drafting import draft_program
from tests.programs.test_execution import make_program
from tests.programs.test_program_pages import event_post, note_post
from tests.registry.test_council import form_data as council_data
from tests.registry.test_groups import proposal_data
from tests.registry.test_orders import form_data as order_data
from tests.registry.test_people import mentee_data, mentor_data, person_data
from tests.reports.test_growth import form_data as growth_data
from tests.reports.test_practices import form_data as practice_data
from tests.reports.test_survey_services import own_template

PACKAGES = ["mentoring_site", "registry", "programs", "roadmap", "reports"]


def _form_modules():
    """Every module named ``forms`` or inside a ``forms`` package of the project's apps."""
    for package in PACKAGES:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            parts = info.name.split(".")
            if "forms" in parts and "migrations" not in parts:
                yield importlib.import_module(info.name)


def _model_forms():
    seen = {}
    for module in _form_modules():
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.ModelForm)
                and value.__module__ == module.__name__
            ):
                seen[f"{module.__name__}.{name}"] = value
    return seen


def test_the_project_has_model_forms_to_check():
    names = _model_forms()
    assert len(names) >= 20, sorted(names)
    assert "registry.forms.people.PersonForm" in names
    assert "roadmap.forms.ActivityForm" in names


def test_no_model_form_takes_all_fields_or_excludes():
    offenders = []
    for name, form_class in _model_forms().items():
        meta = getattr(form_class, "Meta", None)
        fields = getattr(meta, "fields", None)
        if fields == "__all__" or getattr(meta, "exclude", None):
            offenders.append(name)
        if not isinstance(fields, list | tuple):
            offenders.append(f"{name} (fields not listed: {fields!r})")
    assert not offenders, offenders


# --- Extras posted to the main forms ----------------------------------------------------------


def extras(world, **more) -> dict:
    """What a tampered browser adds: another kindergarten, another author, a decided state."""
    data = {
        "status": "approved",
        "institution": world.other_institution.pk,
        "created_by": world.outsider.pk,
        "owner": world.outsider.pk,
        "approved_at": "2026-01-01 10:00",
        "approved_by": world.outsider.pk,
    }
    data.update(more)
    return data


def post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["form"].errors if response.context and "form" in response.context else ""
    )
    return response


def test_person_create_ignores_institution_account_and_reviewer(world, as_user):
    data = person_data(world.institution) | extras(
        world, user=world.outsider.pk, last_reviewed_by=world.outsider.pk, search_name="x"
    )
    post(as_user(world.curator), reverse("registry:person-create"), data)
    person = Person.objects.get(last_name="Ёлкина")
    assert person.institution == world.institution
    assert person.user_id is None
    assert person.last_reviewed_by == world.curator
    assert person.search_name == "елкина дарья андреевна"


def test_mentee_profile_ignores_another_person(world, as_user):
    give_consent(world.teacher_person)
    # The mentee profile lists its own bank «status» (in the bank, in a pair): not an extra here.
    data = mentee_data() | extras(world, person=world.other_person.pk, status="in_bank")
    url = reverse("registry:mentee-profile", args=[world.teacher_person.pk])
    post(as_user(world.curator), url, data)
    assert MenteeProfile.objects.filter(person=world.teacher_person).exists()
    assert not MenteeProfile.objects.filter(person=world.other_person).exists()


def test_mentor_profile_ignores_another_person(world, as_user):
    give_consent(world.teacher_person)
    data = mentor_data() | extras(world, person=world.other_person.pk)
    url = reverse("registry:mentor-profile", args=[world.teacher_person.pk])
    post(as_user(world.curator), url, data)
    assert MentorProfile.objects.filter(person=world.teacher_person).exists()
    assert not MentorProfile.objects.filter(person=world.other_person).exists()


def test_group_proposal_ignores_status_and_decisions(world, as_user):
    data = proposal_data(world) | extras(
        world,
        status=MentoringGroup.Status.ACTIVE,
        proposed_by=world.outsider.pk,
        decided_at="2026-01-01 10:00",
        submitted_at="2026-01-01 10:00",
    )
    post(as_user(world.curator), reverse("registry:group-create"), data)
    group = MentoringGroup.objects.get()
    assert group.status == MentoringGroup.Status.PROPOSED
    assert group.institution == world.institution
    assert group.proposed_by == world.curator
    assert group.decided_at is None and group.submitted_at is None and group.order_id is None


def test_order_draft_ignores_signature_and_number(world, as_user):
    data = order_data() | extras(
        world,
        status=Order.Status.SIGNED,
        number="99",
        signed_by=world.head.pk,
        signed_at="2026-01-01 10:00",
    )
    post(as_user(world.curator), reverse("registry:order-create"), data)
    order = Order.objects.get()
    assert order.status == Order.Status.DRAFT
    assert order.institution == world.institution
    assert order.created_by == world.curator
    assert order.signed_by is None and order.signed_at is None
    assert not order.number


def test_council_meeting_ignores_institution_and_author(world, as_user):
    data = council_data(timezone.localdate() + timedelta(days=10)) | extras(world)
    post(as_user(world.curator), reverse("registry:council-meeting-create"), data)
    meeting = CouncilMeeting.objects.get()
    assert meeting.institution == world.institution
    assert meeting.created_by == world.curator


def test_growth_record_ignores_another_person_and_author(world, as_user):
    data = growth_data() | extras(world, person=world.other_person.pk)
    url = reverse("reports:growth-create", args=[world.mentee_person.pk])
    post(as_user(world.curator), url, data)
    record = GrowthRecord.objects.get()
    assert record.person == world.mentee_person
    assert record.created_by == world.curator


def test_practice_ignores_approval(world, as_user):
    data = practice_data() | extras(world, status=Practice.Status.APPROVED)
    post(as_user(world.council), reverse("reports:practice-create"), data)
    practice = Practice.objects.get()
    assert practice.status == Practice.Status.DRAFT
    assert practice.approved_at is None
    assert practice.institution == world.institution
    assert practice.created_by == world.council


def test_roadmap_activity_ignores_done_marks(world, as_user):
    roadmap = roadmap_services.roadmap_create_from_template(
        institution=world.institution, year_start=2026, user=world.curator
    )
    stage = roadmap.stages.get(number=4)
    data = {
        "title": "Установочная сессия наставников",
        "deadline": date(2026, 12, 10).isoformat(),
        "responsible_note": "куратор",
        "measure": "",
    } | extras(
        world, status="done", done_by=world.outsider.pk, done_on="2026-01-01", stage=stage.pk + 1
    )
    post(as_user(world.curator), reverse("roadmap:activity-create", args=[stage.pk]), data)
    activity = Activity.objects.get(title="Установочная сессия наставников")
    assert activity.stage == stage
    assert activity.status == Activity._meta.get_field("status").default
    assert activity.done_by is None and activity.done_on is None


def test_program_note_ignores_status_and_approval(world, as_user):
    program = draft_program(world)
    data = note_post(program, schedule="По вторникам") | extras(
        world, status=Program.Status.ACTIVE, group=program.group_id + 1
    )
    post(as_user(world.mentor), reverse("programs:program-update", args=[program.pk]), data)
    program.refresh_from_db()
    assert program.schedule == "По вторникам"
    assert program.status == Program.Status.DRAFT
    assert program.approved_at is None and program.approved_by is None
    assert program.created_by == world.mentor


def test_program_event_ignores_status_and_confirmation(world, as_user):
    program = draft_program(world)
    before = set(program.events.values_list("pk", flat=True))
    data = event_post(program) | extras(
        world,
        status=ProgramEvent.Status.DONE,
        confirmed_at="2026-01-01 10:00",
        program=program.pk + 1,
    )
    post(as_user(world.mentor), reverse("programs:event-create", args=[program.pk]), data)
    event = ProgramEvent.objects.exclude(pk__in=before).get()
    assert event.program == program
    assert event.status == ProgramEvent.Status.PLANNED
    assert event.confirmed_at is None


def test_survey_ignores_institution_and_sender(world, as_user):
    template = own_template(world)
    program = make_program(world)
    data = {
        "template": template.pk,
        "title": "Анкета о встречах, декабрь",
        "deadline": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "programs": [program.pk],
    } | extras(world, sent_by=world.outsider.pk, status="")
    post(as_user(world.curator), reverse("reports:survey-create"), data)
    survey = Survey.objects.get()
    assert survey.institution == world.institution
    assert survey.sent_by == world.curator


@pytest.fixture(autouse=True)
def _db(db):
    """Every test here touches the database."""
