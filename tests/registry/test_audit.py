"""The audit trail: who created, changed, deleted and exported personal data, orders and
programs, and when (audit/trail.py); «Журнал изменений» for the head and the sysadmin;
a person's page shows its own history."""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import LogEntry
from audit.trail import log_bulk
from registry.models import Consent, Person
from registry.services import personal_data
from tests.factories import make_person


def person_data(**extra):
    return {
        "last_name": "Кузнецова",
        "first_name": "Вера",
        "organization": "",
        "qualification_category": "none",
        **extra,
    }


def entries_of(obj):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_pk=str(obj.pk)
    )


def test_a_change_through_the_form_records_who_and_what(as_user, world):
    person = world.teacher_person
    client = as_user(world.curator)
    page = client.get(reverse("registry:person-update", args=[person.pk]))
    form = page.context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(phone="+7 921 000-11-22", organization=person.organization_id)
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(reverse("registry:person-update", args=[person.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = entries_of(person).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == world.curator
    assert entry.changes_dict["phone"][1] == "+7 921 000-11-22"
    assert "search_name" not in entry.changes_dict


def test_create_and_delete_are_recorded(world):
    person = make_person(world.institution, "Временная")
    pk = person.pk
    person.delete()
    actions = set(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Person), object_pk=str(pk)
        ).values_list("action", flat=True)
    )
    assert actions == {LogEntry.Action.CREATE, LogEntry.Action.DELETE}


def test_a_bulk_operation_records_one_entry_per_row(world):
    people = [make_person(world.institution, f"Массова{i}") for i in range(3)]
    before = LogEntry.objects.count()
    Person.objects.filter(pk__in=[p.pk for p in people]).update(phone="1")
    with CaptureQueriesContext(connection) as queries:
        log_bulk(
            Person,
            [p.pk for p in people],
            action=LogEntry.Action.UPDATE,
            changes={"phone": ["", "1"]},
            actor=world.curator,
        )
    assert LogEntry.objects.count() == before + 3
    assert len([q for q in queries if q["sql"].startswith("INSERT")]) == 1


def test_an_export_is_recorded(as_user, world):
    client = as_user(world.curator)
    client.get(reverse("registry:bank-export", args=["mentees"]))
    client.get(reverse("registry:person-data-json", args=[world.mentee_person.pk]))
    exports = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=world.curator)
    what = [e.additional_data["export"] for e in exports]
    assert any("банка" in w for w in what)
    assert any("JSON" in w for w in what)


def test_the_head_reads_and_filters_the_journal(as_user, world):
    person = world.teacher_person
    person.phone = "+7 900 111-22-33"
    from auditlog.context import set_actor

    with set_actor(world.curator):
        person.save()
    with set_actor(world.head):
        Consent.objects.create(person=person, kind="dissemination", given_on=date(2026, 9, 1))
    client = as_user(world.head)
    url = reverse("audit:journal")
    text = client.get(url).content.decode()
    assert "Журнал изменений" in text and "+7 900 111-22-33" in text
    consent_type = ContentType.objects.get_for_model(Consent)
    filtered = client.get(url, {"content_type": consent_type.pk}).context["rows"]
    assert filtered and all(row["entry"].content_type_id == consent_type.pk for row in filtered)
    by_actor = client.get(url, {"actor": world.curator.pk}).context["rows"]
    assert by_actor and all(row["entry"].actor_id == world.curator.pk for row in by_actor)
    tomorrow = date.today() + timedelta(days=2)
    assert client.get(url, {"date_from": tomorrow.isoformat()}).context["rows"] == []


def test_another_institution_sees_none_of_our_entries(as_user, world):
    from auditlog.context import set_actor

    with set_actor(world.curator):
        make_person(world.institution, "Нашева")
    text = as_user(world.outsider).get(reverse("audit:journal")).content.decode()
    assert "Нашева" not in text


def test_the_journal_takes_the_same_queries_at_two_sizes(as_user, world):
    from auditlog.context import set_actor

    client = as_user(world.head)
    url = reverse("audit:journal")
    client.get(url)
    with set_actor(world.curator):
        make_person(world.institution, "Перваяа")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    with set_actor(world.curator):
        for i in range(15):
            make_person(world.institution, f"Следующая{i}")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_the_person_page_shows_its_own_history_to_the_staff_only(as_user, world):
    from auditlog.context import set_actor

    person = world.mentee_person
    with set_actor(world.curator):
        person.phone = "+7 999 000-00-01"
        person.save()
    url = reverse("registry:person-detail", args=[person.pk])
    text = as_user(world.head).get(url).content.decode()
    assert "История изменений" in text and "+7 999 000-00-01" in text
    assert "История изменений" not in as_user(world.mentee).get(url).content.decode()


def test_anonymization_erases_the_values_from_the_trail(world):
    person = world.mentee_person
    person.phone = "+7 999 123-45-67"
    person.save()
    Consent.objects.filter(person=person, kind="processing").update(withdrawn_on=date(2026, 11, 1))
    personal_data.person_anonymize(person=person, on=date(2026, 11, 20))
    for entry in entries_of(person):
        assert "Иванова" not in str(entry.changes) + entry.object_repr
        assert "+7 999 123-45-67" not in str(entry.changes)
    account_entries = entries_of(world.mentee)
    assert all("mentee" not in str(e.changes) for e in account_entries)


def test_a_group_proposal_records_each_member_it_bulk_creates_with_the_actor(world):
    from auditlog.context import set_actor

    from registry.models import GroupMember
    from tests.registry.test_group_services import propose

    with set_actor(world.curator):
        group = propose(world)
    members = list(group.members.values_list("pk", flat=True))
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(GroupMember),
        object_pk__in=[str(pk) for pk in members],
        action=LogEntry.Action.CREATE,
    )
    assert entries.count() == len(members) >= 2
    assert {e.actor_id for e in entries} == {world.curator.pk}


# --- The institution of every entry, bulk operations of the services, exports ---------------


def test_every_entry_carries_the_institution_of_its_object(world):
    from tests.registry.test_group_services import active_group

    group = active_group(world)
    assert not LogEntry.objects.filter(institution=None).exists()
    assert entries_of(group).filter(institution=world.institution).exists()
    assert set(entries_of(group.order).values_list("institution", flat=True)) == {
        world.institution.pk
    }
    assert set(entries_of(world.other_person).values_list("institution", flat=True)) == {
        world.other_institution.pk
    }
    # A partner organization belongs to the institution that works with it.
    assert entries_of(world.partner).get().institution_id == world.institution.pk


def test_group_approval_records_each_member_joining_with_the_date(world):
    from registry.models import GroupMember
    from tests.registry.test_group_services import active_group

    group = active_group(world)
    members = list(group.members.all())
    for member in members:
        entry = entries_of(member).filter(changes__has_key="joined_on").get()
        assert entry.changes["joined_on"] == [None, str(member.joined_on)]
        assert entry.institution_id == world.institution.pk
    assert (
        entries_of(world.mentee_person.mentee_profile)
        .filter(changes__status=["in_bank", "in_pair"])
        .exists()
    )
    assert GroupMember.objects.filter(group=group).count() == len(members) >= 2


def test_drafting_from_typical_events_records_one_entry_per_event_in_one_insert(world):
    from programs.models import ProgramEvent
    from programs.services import drafting
    from tests.registry.test_group_services import active_group

    group = active_group(world)
    before = LogEntry.objects.count()
    from auditlog.context import set_actor

    with set_actor(world.mentor), CaptureQueriesContext(connection) as queries:
        program = drafting.program_create_from_template(group=group, user=world.mentor)
    events = list(program.events.all())
    assert events
    created = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ProgramEvent),
        object_id__in=[e.pk for e in events],
        action=LogEntry.Action.CREATE,
    )
    assert created.count() == len(events)
    assert all(e.changes["title"][1] for e in created)
    assert len(events) >= 2 and {e.actor_id for e in created} == {world.mentor.pk}
    table = f'INSERT INTO "{LogEntry._meta.db_table}"'
    inserts = [q for q in queries if q["sql"].startswith(table)]
    single = LogEntry.objects.count() - before - len(events)  # the program's own entries
    assert len(inserts) == single + 1  # the events' entries: one insert for all


def test_pdf_downloads_are_recorded_with_who_and_what(as_user, world):
    from tests.programs.test_drafting import active_program

    program = active_program(world)
    order = program.group.order
    client = as_user(world.head)
    assert client.get(reverse("registry:order-pdf", args=[order.pk])).status_code == 200
    assert client.get(reverse("programs:program-pdf", args=[program.pk])).status_code == 200
    pdf = reverse("registry:consent-form-pdf", args=[world.mentee_person.pk, "processing"])
    assert as_user(world.curator).get(pdf).status_code == 200
    exports = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert entries_of(order).get(action=LogEntry.Action.ACCESS).additional_data == {
        "export": "приказ (PDF)"
    }
    assert entries_of(order).get(action=LogEntry.Action.ACCESS).actor == world.head
    assert entries_of(program).filter(action=LogEntry.Action.ACCESS, actor=world.head).exists()
    consent = entries_of(world.mentee_person).get(action=LogEntry.Action.ACCESS)
    assert "бланк согласия на обработку" in consent.additional_data["export"]
    assert {e.institution_id for e in exports} == {world.institution.pk}


def test_an_anonymous_surveys_answers_leave_no_trace_of_who_answered(world):
    from reports.models import Answer, Response
    from tests.reports.test_survey_services import anonymous_survey_with

    survey = anonymous_survey_with(world, 2)
    assert Answer.objects.filter(response__survey=survey).exists()
    for model in (Response, Answer):
        assert not LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model)
        ).exists()


# --- The journal's rows and the objects' pages --------------------------------------------


def test_the_journal_shows_russian_names_labels_and_links(as_user, world):
    from auditlog.context import set_actor

    person = world.teacher_person
    with set_actor(world.curator):
        person.qualification_category = "first"
        person.save()
    rows = as_user(world.head).get(reverse("audit:journal")).context["rows"]
    row = next(r for r in rows if r["entry"].object_id == person.pk and r["entry"].action == 1)
    assert row["action"] == "изменение" and row["model"] == "Участник"
    assert row["url"] == reverse("registry:person-detail", args=[person.pk])
    labels = {label: (old, new) for label, old, new in row["changes"]}
    field = Person._meta.get_field("qualification_category")
    assert labels[field.verbose_name][1] == dict(field.choices)["first"]


def test_the_curator_and_the_council_are_refused_the_journal(as_user, world):
    url = reverse("audit:journal")
    assert as_user(world.curator).get(url).status_code == 403
    assert as_user(world.mentor).get(url).status_code == 404


def test_order_group_and_program_pages_show_their_history_to_the_staff_only(as_user, world):
    from tests.programs.test_drafting import active_program

    program = active_program(world)
    pages = [
        reverse("registry:order-detail", args=[program.group.order_id]),
        reverse("registry:group-detail", args=[program.group_id]),
        reverse("programs:program-detail", args=[program.pk]),
    ]
    for user in (world.head, world.curator):
        client = as_user(user)
        for url in pages:
            text = client.get(url).content.decode()
            assert "data-audit-history" in text and "создание" in text, url
            # One history block per object (issue 19): the trail folds into the page's own.
            assert text.count('id="history-title"') <= 1, url
            assert text.count("data-audit-history") == 1, url
    assert "Подробно: кто, что и когда менял" in text
    mentor = as_user(world.mentor)
    for url in pages[1:]:
        assert "data-audit-history" not in mentor.get(url).content.decode()


def test_an_objects_history_takes_the_same_queries_at_two_sizes(as_user, world):
    from auditlog.context import set_actor

    person = world.teacher_person
    client = as_user(world.head)
    url = reverse("registry:person-detail", args=[person.pk])
    with set_actor(world.curator):
        person.phone = "1"
        person.save()
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    with set_actor(world.curator):
        for i in range(10):
            person.phone = f"+7 900 000-00-{i:02}"
            person.save()
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_anonymization_renames_the_person_in_the_entries_of_their_records(world):
    person = world.mentee_person
    account = world.mentee
    account.email = "ivanova@example.ru"
    account.save()
    from auditlog.context import set_actor

    with set_actor(account):
        person.phone = "+7 999 123-45-67"
        person.save()
    Consent.objects.filter(person=person, kind="processing").update(withdrawn_on=date(2026, 11, 1))
    personal_data.person_anonymize(person=person, on=date(2026, 11, 20))
    consent = Consent.objects.filter(person=person).first()
    for entry in entries_of(consent):
        assert "Иванова" not in entry.object_repr and entry.changes == {}
    assert not LogEntry.objects.filter(actor_email="ivanova@example.ru").exists()
