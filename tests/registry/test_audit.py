"""The audit trail: who created, changed, deleted and exported personal data, orders and
programs, and when (mentoring_site/audit.py); «Журнал изменений» for the head and the sysadmin;
a person's page shows its own history."""

from datetime import date, timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring_site.audit import log_bulk
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
    url = reverse("registry:audit-log")
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
    text = as_user(world.outsider).get(reverse("registry:audit-log")).content.decode()
    assert "Нашева" not in text


def test_the_journal_takes_the_same_queries_at_two_sizes(as_user, world):
    from auditlog.context import set_actor

    client = as_user(world.head)
    url = reverse("registry:audit-log")
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
