"""Petitions: a mentee asks to replace the mentor (п. 5.1), a mentor asks to be relieved
(п. 4.1); the curator or the head decides on the group's page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from registry.models import GroupEvent, Notification, Petition
from registry.services.groups import petition_submit
from tests.registry.test_group_services import (
    active_group,
    add_mentee,
    add_mentor,
    propose,
)

pytestmark = pytest.mark.django_db

Kind = Petition.Kind


def create_url(group):
    return reverse("registry:petition-create", args=[group.pk])


def approve_url(petition):
    return reverse("registry:petition-approve", args=[petition.pk])


def reject_url(petition):
    return reverse("registry:petition-reject", args=[petition.pk])


def detail_url(group):
    return reverse("registry:group-detail", args=[group.pk])


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def mentee_petition(world, group, text="Не совпадают графики работы"):
    return petition_submit(
        group=group, author=world.mentee_person, kind=Kind.REPLACE_MENTOR, text=text, user=None
    )


# --- Filing a petition ---------------------------------------------------------------------


def test_a_mentee_asks_to_replace_the_mentor(world, as_user):
    group = active_group(world)
    client = as_user(world.mentee)

    page = client.get(create_url(group))
    assert page.status_code == 200
    text = page.content.decode()
    assert "<h1>Ходатайство о замене наставника</h1>" in text
    assert "п. 5.1 Положения" in text

    response = client.post(create_url(group), {"text": "Не совпадают графики работы"})

    assert response.status_code == 302
    assert response.url == detail_url(group)
    assert "Ходатайство о замене наставника подано" in flash(response)[0]
    petition = Petition.objects.get()
    assert (petition.kind, petition.author, petition.text) == (
        Kind.REPLACE_MENTOR,
        world.mentee_person,
        "Не совпадают графики работы",
    )
    note = Notification.objects.get(user=world.head, text__contains="Новое ходатайство")
    assert f"«{group.title}»" in note.text  # names the pair it is about


def test_a_mentor_asks_to_be_relieved(world, as_user):
    group = active_group(world)
    response = as_user(world.mentor).post(create_url(group), {"text": "Перехожу в другой сад"})
    assert response.status_code == 302
    assert Petition.objects.get().kind == Kind.RELIEVE_MENTOR


def test_a_petition_needs_its_reasons(world, as_user):
    group = active_group(world)
    response = as_user(world.mentee).post(create_url(group), {"text": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["text"] == [
        "Напишите, почему вы обращаетесь с ходатайством."
    ]
    assert Petition.objects.count() == 0


def test_a_second_open_petition_is_refused(world, as_user):
    group = active_group(world)
    mentee_petition(world, group)
    response = as_user(world.mentee).post(create_url(group), {"text": "Ещё раз прошу"})
    assert response.status_code == 200
    assert "Такое ходатайство уже подано и ждёт решения." in response.content.decode()
    assert Petition.objects.count() == 1


def test_a_petition_is_filed_only_in_an_approved_group(world, as_user):
    group = propose(world)
    response = as_user(world.mentee).post(create_url(group), {"text": "Прошу"})
    assert response.status_code == 302
    assert "Ходатайство подают, когда пара (группа) утверждена приказом" in flash(response)[0]
    assert Petition.objects.count() == 0


def test_who_may_not_file_a_petition(world, as_user, client):
    group = active_group(world)
    # Staff see the group but are not its members: 403.
    for user in (world.curator, world.head, world.council):
        assert as_user(user).get(create_url(group)).status_code == 403
    # Another group's mentor, a teacher, another institution: 404.
    other_mentor = add_mentor(world, "Другова")
    propose(world, mentors=[other_mentor], mentees=[add_mentee(world, "Другая")])
    for user in (other_mentor.user, world.teacher, world.outsider):
        assert as_user(user).post(create_url(group), {"text": "Прошу"}).status_code == 404
    client.logout()
    response = client.get(create_url(group))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert Petition.objects.count() == 0


# --- Deciding ------------------------------------------------------------------------------


def test_the_group_page_shows_the_petition_and_the_decision_forms(world, as_user):
    group = active_group(world)
    petition = mentee_petition(world, group)

    text = as_user(world.curator).get(detail_url(group)).content.decode()
    assert "Ходатайство о замене наставника" in text
    assert "Не совпадают графики работы" in text
    assert "на рассмотрении" in text
    assert approve_url(petition) in text and reject_url(petition) in text

    council_text = as_user(world.council).get(detail_url(group)).content.decode()
    assert "Не совпадают графики работы" in council_text
    assert approve_url(petition) not in council_text


def test_head_approves_a_petition(world, as_user):
    group = active_group(world)
    petition = mentee_petition(world, group)

    response = as_user(world.head).post(approve_url(petition), {"comment": "Согласна"})

    assert response.status_code == 302
    assert response.url == detail_url(group)
    assert flash(response)[0].startswith("Ходатайство удовлетворено.")
    petition.refresh_from_db()
    assert (petition.status, petition.decided_by, petition.decision_comment) == (
        Petition.Status.APPROVED,
        world.head,
        "Согласна",
    )
    assert Notification.objects.filter(user=world.mentee, text__contains="удовлетворено").exists()
    assert GroupEvent.objects.filter(group=group, text__contains="удовлетворено").exists()


def test_rejection_needs_a_comment(world, as_user):
    group = active_group(world)
    petition = mentee_petition(world, group)
    client = as_user(world.curator)

    response = client.post(reject_url(petition), {"comment": ""})

    assert response.status_code == 200
    assert "Напишите, почему ходатайство отклонено." in response.content.decode()
    petition.refresh_from_db()
    assert petition.status == Petition.Status.SUBMITTED

    response = client.post(reject_url(petition), {"comment": "Попробуйте поработать ещё месяц"})
    assert response.status_code == 302
    assert "Ходатайство отклонено" in flash(response)[-1]
    petition.refresh_from_db()
    assert petition.status == Petition.Status.REJECTED
    assert petition.decision_comment == "Попробуйте поработать ещё месяц"


def test_a_decided_petition_is_not_decided_again(world, as_user):
    group = active_group(world)
    petition = mentee_petition(world, group)
    client = as_user(world.head)
    client.post(approve_url(petition))

    response = client.post(reject_url(petition), {"comment": "Передумала"})

    assert response.status_code == 302
    assert flash(response)[-1] == "По этому ходатайству уже принято решение."
    petition.refresh_from_db()
    assert petition.status == Petition.Status.APPROVED


def test_who_may_not_decide(world, as_user):
    group = active_group(world)
    petition = mentee_petition(world, group)
    for user in (world.council, world.sysadmin, world.mentor, world.mentee):
        assert as_user(user).post(approve_url(petition)).status_code == 403
        assert as_user(user).post(reject_url(petition), {"comment": "x"}).status_code == 403
    other_mentor = add_mentor(world, "Другова")
    propose(world, mentors=[other_mentor], mentees=[add_mentee(world, "Другая")])
    for user in (other_mentor.user, world.teacher, world.outsider):
        assert as_user(user).post(approve_url(petition)).status_code == 404
    assert as_user(world.head).get(approve_url(petition)).status_code == 405
    petition.refresh_from_db()
    assert petition.status == Petition.Status.SUBMITTED


# --- Finding the petitions that wait (issue 22, item 5) ------------------------------------


def test_the_heads_petition_counter_opens_the_pairs_with_a_petition_marked(world, as_user):
    with_petition = active_group(world)
    mentee_petition(world, with_petition)
    other_mentor = add_mentor(world, "Другова")
    without_petition = propose(world, mentors=[other_mentor], mentees=[add_mentee(world, "Без")])
    client = as_user(world.head)

    home = client.get(reverse("home"), follow=True).content.decode()
    link = reverse("registry:group-list") + "?petition=submitted"
    assert f'href="{link}"' in home

    page = client.get(link).content.decode()
    assert f'href="{detail_url(with_petition)}"' in page
    assert f'href="{detail_url(without_petition)}"' not in page
    assert "Ходатайство о замене наставника" in page
    assert "ждёт решения" in page


def test_a_decided_petition_leaves_the_filtered_list(world, as_user):
    group = active_group(world)
    petition = mentee_petition(world, group)
    client = as_user(world.curator)
    client.post(approve_url(petition))

    page = client.get(reverse("registry:group-list"), {"petition": "submitted"}).content.decode()

    assert f'href="{detail_url(group)}"' not in page
    assert "Пар и групп с таким отбором нет." in page
    unfiltered = client.get(reverse("registry:group-list")).content.decode()
    assert "Ходатайство о замене наставника" not in unfiltered
