"""The council's mediation on a petition (п. 3.4: the council «является открытой площадкой для
осуществления консультационных, согласовательных функций и функций медиации»): a council member
or the curator records the outcome while the petition waits; the author and the pair's
participants read it on the pair's page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from registry.models import CouncilMeeting, GroupEvent, Notification, Petition
from registry.services import council
from registry.services.groups import petition_decide, petition_mediate
from tests.registry.test_group_services import active_group
from tests.registry.test_petitions import detail_url, flash, mentee_petition

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def mediation_url(petition):
    return reverse("registry:petition-mediation", args=[petition.pk])


def held_meeting(world, days_ago=0):
    return council.meeting_save(
        meeting=CouncilMeeting(
            institution=world.institution,
            held_on=TODAY - timedelta(days=days_ago),
            agenda="О ходатайстве о замене наставника",
            decisions="Стороны договорились",
        ),
        attendees=[],
        user=world.curator,
    )


def test_a_council_member_records_the_outcome_and_the_author_reads_it(world, as_user):
    group = active_group(world)
    petition = mentee_petition(world, group)
    meeting = held_meeting(world)
    client = as_user(world.council)

    page = client.get(mediation_url(petition)).content.decode()
    assert "<h1>Итог медиации совета</h1>" in page
    assert "Не совпадают графики работы" in page
    assert str(meeting) in page
    response = client.post(
        mediation_url(petition),
        {
            "outcome": Petition.Mediation.SETTLED,
            "text": "Наставник переносит встречи на утро",
            "meeting": meeting.pk,
        },
    )
    assert response.status_code == 302
    assert flash(response)[0].startswith("Итог медиации записан: урегулировано.")
    petition.refresh_from_db()
    assert (petition.mediation, petition.mediation_meeting, petition.mediated_by) == (
        Petition.Mediation.SETTLED,
        meeting,
        world.council,
    )
    assert petition.mediated_at is not None
    assert petition.status == Petition.Status.SUBMITTED  # the curator and the head still decide
    assert GroupEvent.objects.filter(group=group, text__contains="урегулировано").exists()
    assert Notification.objects.filter(
        user=world.mentee, text__contains="Методический совет по ходатайству"
    ).exists()
    assert Notification.objects.filter(user=world.head, text__contains="урегулировано").exists()

    for reader in (world.mentee, world.mentor, world.head):
        text = as_user(reader).get(detail_url(group)).content.decode()
        assert "Медиация методического совета (п. 3.4):</strong> урегулировано" in text
        assert "Наставник переносит встречи на утро" in text
        assert f"Протокол № {meeting.number} от {meeting.held_on:%d.%m.%Y}" in text
        assert mediation_url(petition) not in text


def test_the_outcome_needs_its_words_and_a_meeting_after_the_petition(world, as_user):
    group = active_group(world)
    old = held_meeting(world, days_ago=30)
    petition = mentee_petition(world, group)
    client = as_user(world.curator)
    response = client.post(mediation_url(petition), {"outcome": "", "text": " "})
    form = response.context["form"]
    assert form.errors["outcome"] == ["Выберите итог медиации."]
    assert form.errors["text"][0].startswith("Напишите решение совета")
    response = client.post(
        mediation_url(petition),
        {"outcome": Petition.Mediation.REFERRED, "text": "Не договорились", "meeting": old.pk},
    )
    assert response.context["form"].errors["meeting"] == ["Выберите заседание из списка."]
    with pytest.raises(ValidationError) as caught:
        petition_mediate(
            petition=petition,
            outcome=Petition.Mediation.REFERRED,
            text="Не договорились",
            meeting=old,
            user=world.curator,
        )
    assert "прошло после подачи ходатайства" in caught.value.message_dict["meeting"][0]
    petition.refresh_from_db()
    assert not petition.is_mediated


def test_a_decided_petition_takes_no_mediation(world, as_user):
    group = active_group(world)
    petition = mentee_petition(world, group)
    petition_decide(petition=petition, approve=False, comment="Нет оснований", user=world.head)
    client = as_user(world.council)
    response = client.get(mediation_url(petition))
    assert response.status_code == 302
    assert "уже принято решение" in flash(response)[0]
    with pytest.raises(ValidationError, match="уже принято решение"):
        petition_mediate(
            petition=petition,
            outcome=Petition.Mediation.SETTLED,
            text="Договорились",
            meeting=None,
            user=world.council,
        )


def test_only_the_council_and_the_curator_record_it(world, as_user):
    group = active_group(world)
    petition = mentee_petition(world, group)
    data = {"outcome": Petition.Mediation.SETTLED, "text": "Договорились"}
    for user in (world.head, world.sysadmin, world.mentor, world.mentee):
        assert as_user(user).post(mediation_url(petition), data).status_code == 403
    assert as_user(world.outsider).post(mediation_url(petition), data).status_code == 404
    petition.refresh_from_db()
    assert not petition.is_mediated
    page = as_user(world.council).get(detail_url(group)).content.decode()
    assert "Записать итог медиации" in page
    assert (
        "Записать итог медиации" not in as_user(world.head).get(detail_url(group)).content.decode()
    )


def test_recording_again_corrects_the_outcome(world, as_user):
    group = active_group(world)
    petition = mentee_petition(world, group)
    for outcome, text in (
        (Petition.Mediation.SETTLED, "Договорились"),
        (Petition.Mediation.REFERRED, "Договорённость не выполнена"),
    ):
        petition_mediate(
            petition=petition, outcome=outcome, text=text, meeting=None, user=world.council
        )
    petition.refresh_from_db()
    assert (petition.mediation, petition.mediation_text) == (
        Petition.Mediation.REFERRED,
        "Договорённость не выполнена",
    )
    assert GroupEvent.objects.filter(group=group, text__startswith="Исправлен итог").exists()
    page = as_user(world.council).get(detail_url(group)).content.decode()
    assert "не урегулировано — передано заведующему" in page
    assert "Исправить итог медиации" in page
