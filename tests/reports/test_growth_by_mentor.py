"""A mentor records her mentee's contest or other achievement (п. 4.2: she organises her
mentees' participation in contests, conferences, forums); the curator confirms it, and only
confirmed records count in the indicators (issue 22, item 12)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib.academic_year import academic_year_start
from registry.models import Notification
from reports import indicators
from reports.homes_growth import curator_counters
from reports.models import GrowthRecord
from reports.services import growth as services
from tests.factories import make_mentee, make_person, make_user
from tests.reports.test_growth import form_data, make_program, person_url, record, url

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CONTEST = "Районный конкурс «Педагогический дебют»"


@pytest.fixture
def pair(world):
    """The world's mentor and mentee in an approved pair with its program."""
    return make_program(world, world.mentor_person, world.mentee_person)


def contest(**fields):
    values = {
        "kind": GrowthRecord.Kind.CONTEST,
        "title": CONTEST,
        "level": GrowthRecord.Level.DISTRICT,
        "result": "лауреат",
        **fields,
    }
    return form_data(**values)


def counted(world) -> int:
    year = academic_year_start(TODAY).year
    return indicators.compute(institution=world.institution, year_start=year)["growth"]["contest"]


def test_the_mentor_adds_her_mentees_contest_and_it_waits_for_the_curator(world, as_user, pair):
    client = as_user(world.mentor)
    page = client.get(url("growth-create", world.mentee_person.pk))
    assert page.status_code == 200
    assert "update_card" not in page.context["form"].fields  # the card is the curator's
    assert "войдёт в показатели мониторинга, когда куратор его подтвердит" in page.content.decode()

    response = client.post(url("growth-create", world.mentee_person.pk), contest(program=pair.pk))

    assert response.status_code == 302
    assert response["Location"] == person_url(world.mentee_person) + "#growth-title"
    saved = GrowthRecord.objects.get(title=CONTEST)
    assert saved.status == GrowthRecord.Status.PENDING
    assert (saved.created_by, saved.program, saved.person) == (
        world.mentor,
        pair,
        world.mentee_person,
    )
    note = Notification.objects.get(user=world.curator)
    assert "подтвердите" in note.text and CONTEST in note.text
    assert note.url == url("growth-list") + "?status=pending"


def test_the_program_page_leads_the_mentor_to_her_mentees_achievements(world, as_user, pair):
    page = as_user(world.mentor).get(reverse("programs:program-detail", args=[pair.pk]))

    assert person_url(world.mentee_person) + "#growth-title" in page.content.decode()


def test_a_mentee_sees_no_link_to_anothers_card(world, as_user, pair):
    page = as_user(world.mentee).get(reverse("programs:program-detail", args=[pair.pk]))

    assert person_url(world.mentee_person) + "#growth-title" not in page.content.decode()


def test_a_waiting_record_does_not_count_until_the_curator_confirms_it(world, as_user, pair):
    as_user(world.mentor).post(url("growth-create", world.mentee_person.pk), contest())
    saved = GrowthRecord.objects.get(title=CONTEST)
    assert counted(world) == 0

    response = as_user(world.curator).post(url("growth-confirm", saved.pk), {"back": "list"})

    assert response["Location"] == url("growth-list") + "?status=pending"
    saved.refresh_from_db()
    assert saved.status == GrowthRecord.Status.CONFIRMED
    assert (saved.confirmed_by, saved.confirmed_at is not None) == (world.curator, True)
    assert counted(world) == 1
    assert Notification.objects.filter(user=world.mentor, text__contains="подтвердил").exists()


def test_records_the_curator_enters_count_at_once(world, as_user):
    response = as_user(world.curator).post(url("growth-create", world.mentee_person.pk), contest())

    assert response.status_code == 302
    assert GrowthRecord.objects.get(title=CONTEST).status == GrowthRecord.Status.CONFIRMED
    assert counted(world) == 1


def test_a_record_kept_before_confirmation_existed_counts(world):
    """Existing records get the default of the migration: confirmed."""
    record(world.mentee_person, kind=GrowthRecord.Kind.CONTEST, on=TODAY)

    assert counted(world) == 1


def test_the_mentor_sees_her_mentees_section_and_changes_only_her_waiting_record(
    world, as_user, pair
):
    confirmed = record(world.mentee_person, title="Курсы «ФОП ДО»", on=TODAY)
    client = as_user(world.mentor)
    client.post(url("growth-create", world.mentee_person.pk), contest())
    waiting = GrowthRecord.objects.get(title=CONTEST)

    page = client.get(person_url(world.mentee_person)).content.decode()

    assert "Профессиональный рост" in page and "Добавить достижение" in page
    assert "ждёт подтверждения куратора" in page
    assert url("growth-update", waiting.pk) in page
    assert url("growth-update", confirmed.pk) not in page
    assert url("growth-confirm", waiting.pk) not in page
    assert client.get(url("growth-update", confirmed.pk)).status_code == 403
    changed = client.post(url("growth-update", waiting.pk), contest(title="Конкурс, 2-е место"))
    assert changed.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.title, waiting.status) == ("Конкурс, 2-е место", GrowthRecord.Status.PENDING)
    assert client.post(url("growth-delete", waiting.pk)).status_code == 302
    assert not GrowthRecord.objects.filter(pk=waiting.pk).exists()


def test_the_curator_confirms_from_the_persons_page(world, as_user, pair):
    as_user(world.mentor).post(url("growth-create", world.mentee_person.pk), contest())
    waiting = GrowthRecord.objects.get(title=CONTEST)
    client = as_user(world.curator)

    page = client.get(person_url(world.mentee_person)).content.decode()
    response = client.post(url("growth-confirm", waiting.pk))

    assert url("growth-confirm", waiting.pk) in page
    assert response["Location"] == person_url(world.mentee_person) + "#growth-title"
    waiting.refresh_from_db()
    assert waiting.status == GrowthRecord.Status.CONFIRMED


def test_the_list_filters_the_records_waiting_for_confirmation(world, as_user, pair):
    record(world.mentee_person, title="Курсы «ФОП ДО»")
    as_user(world.mentor).post(url("growth-create", world.mentee_person.pk), contest())

    response = as_user(world.curator).get(url("growth-list"), {"status": "pending"})

    assert [r.title for r in response.context["records"]] == [CONTEST]
    assert "Подтвердить" in response.content.decode()


def test_the_curators_home_counts_the_records_waiting(world, pair):
    record(world.mentee_person, status=GrowthRecord.Status.PENDING)
    record(world.mentee_person, title="Подтверждённое")

    *_, waiting = curator_counters(world.institution)

    assert (waiting.value, waiting.attention) == (1, True)
    assert waiting.url == url("growth-list") + "?status=pending"
    assert curator_counters(world.other_institution)[-1].value == 0


def test_confirming_twice_says_so(world, pair):
    waiting = record(world.mentee_person, status=GrowthRecord.Status.PENDING)
    services.growth_record_confirm(record=waiting, user=world.curator)

    with pytest.raises(ValidationError, match="уже подтверждено"):
        services.growth_record_confirm(record=waiting, user=world.curator)


@pytest.mark.parametrize(("role", "status"), [("mentor", 403), ("head", 403), ("council", 403)])
def test_only_the_curator_and_the_sysadmin_confirm(world, as_user, pair, role, status):
    waiting = record(world.mentee_person, status=GrowthRecord.Status.PENDING)

    assert as_user(world.user(role)).post(url("growth-confirm", waiting.pk)).status_code == status
    waiting.refresh_from_db()
    assert waiting.is_pending


def test_a_mentor_adds_nothing_for_someone_who_is_not_her_mentee(world, as_user, pair):
    stranger = make_person(world.institution, "Козлова")
    make_mentee(stranger)
    client = as_user(world.mentor)

    assert client.get(url("growth-create", stranger.pk)).status_code == 404
    assert client.post(url("growth-create", stranger.pk), contest()).status_code == 404
    assert not GrowthRecord.objects.exists()


def test_the_mentee_herself_and_another_mentor_cannot_add(world, as_user, pair):
    other_mentor = make_person(world.institution, "Другова")
    make_user(world.institution, "mentor-b", person=other_mentor)

    assert (
        as_user(world.mentee).get(url("growth-create", world.mentee_person.pk)).status_code == 404
    )
    other = as_user(other_mentor.user).get(url("growth-create", world.mentee_person.pk))
    assert other.status_code == 404


def test_a_mentor_of_a_group_not_yet_approved_cannot_add(world, as_user, pair):
    type(pair.group).objects.filter(pk=pair.group_id).update(status="completed")

    assert (
        as_user(world.mentor).get(url("growth-create", world.mentee_person.pk)).status_code == 404
    )


def test_the_mentor_links_only_a_program_of_both(world, as_user, pair):
    someone = make_person(world.institution, "Соколова")
    foreign = make_program(world, someone, world.mentee_person)

    form = as_user(world.mentor).get(url("growth-create", world.mentee_person.pk)).context["form"]
    refused = as_user(world.mentor).post(
        url("growth-create", world.mentee_person.pk), contest(program=foreign.pk)
    )

    assert list(form.fields["program"].queryset) == [pair]
    assert "program" in refused.context["form"].errors
    assert not GrowthRecord.objects.exists()


def test_the_export_says_which_records_wait(world, pair):
    record(world.mentee_person, status=GrowthRecord.Status.PENDING, on=TODAY - timedelta(days=1))

    rows = [services._row(r) for r in services.growth_records(world.institution)]

    assert services.COLUMNS[-1].title == "Состояние"
    assert rows[0][-1] == "ждёт подтверждения куратора"
