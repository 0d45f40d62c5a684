"""The library's forms match the entries' titles (issue 22, item 4): the data migration 0005
moves the seeded entries whose form did not fit, and only those still carrying every seeded
value — never a kindergarten's own entry or one the installation's administrator edited."""

import importlib

import pytest
from django.apps import apps

from programs.models import EventForm, TypicalEvent

pytestmark = pytest.mark.django_db

migration = importlib.import_module("programs.migrations.0005_library_forms_match_titles")

PARENTS = "Подготовка и проведение родительского собрания"
HOLIDAY = "Совместная подготовка праздника или досуга"
OLD_FORM = "совместная разработка конспекта"
NEW_FORM = "совместная подготовка мероприятия"


def shared(title: str) -> TypicalEvent:
    return TypicalEvent.objects.select_related("form").get(title=title, institution__isnull=True)


def form(name: str) -> EventForm:
    return EventForm.objects.get(name=name, institution__isnull=True)


def test_the_seeded_parent_meeting_and_holiday_are_no_longer_a_konspekt():
    assert shared(PARENTS).form.name == NEW_FORM
    assert shared(HOLIDAY).form.name == NEW_FORM
    # The entry that is a konspekt keeps its form.
    assert shared("Совместная разработка конспекта НОД").form.name == OLD_FORM


def test_the_new_form_is_offered_to_every_kindergarten():
    new = form(NEW_FORM)

    assert new.is_active
    assert form(OLD_FORM).sort_order < new.sort_order < form("самообразование").sort_order


def test_only_untouched_installation_entries_change(world):
    TypicalEvent.objects.filter(title__in=[PARENTS, HOLIDAY]).update(form=form(OLD_FORM))
    # The administrator edited the holiday's expected result since the seed.
    TypicalEvent.objects.filter(title=HOLIDAY).update(expected_result="Сценарий и фотоотчёт")
    own = TypicalEvent.objects.create(
        direction=shared(PARENTS).direction,
        title=PARENTS,
        form=form(OLD_FORM),
        expected_result="Проведённое собрание, протокол",
        week=8,
        for_mentee=True,
        institution=world.institution,
    )

    migration.match_forms(apps, None)

    assert shared(PARENTS).form.name == NEW_FORM
    assert shared(HOLIDAY).form.name == OLD_FORM
    own.refresh_from_db()
    assert own.form.name == OLD_FORM


def test_a_retired_entry_is_left_as_the_administrator_left_it():
    TypicalEvent.objects.filter(title=PARENTS).update(form=form(OLD_FORM), is_active=False)

    migration.match_forms(apps, None)

    assert shared(PARENTS).form.name == OLD_FORM


def test_the_migration_reverses_to_the_seeded_forms():
    migration.restore_forms(apps, None)

    assert shared(PARENTS).form.name == OLD_FORM
    assert shared(HOLIDAY).form.name == OLD_FORM
    migration.match_forms(apps, None)
    assert shared(PARENTS).form.name == NEW_FORM
    assert EventForm.objects.filter(name=NEW_FORM).count() == 1
