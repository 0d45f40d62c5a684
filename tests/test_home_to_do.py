"""Homes as to-do lists (issue 16, part 5): the curator's home leads with what waits for her,
most urgent first, each with its next step, and puts the zero counters on one line; the mentor's
and the mentee's homes follow the state of their pairs and programs."""

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Program, ProgramComment
from registry.models import Petition
from tests.programs.test_lifecycle import active_program, request_later
from tests.programs.test_term_paper import paperless_program
from tests.registry.test_group_services import active_group
from tests.registry.test_paper_decisions import paper_pair

pytestmark = pytest.mark.django_db


def home(client, role):
    return client.get(reverse("role-home", args=[role]))


def test_curator_home_leads_with_what_waits_most_urgent_first(world, as_user):
    paper_pair(world)  # a pair waiting for a paper decision
    group = active_group(world)
    Petition.objects.create(
        group=group,
        kind=Petition.Kind.REPLACE_MENTOR,
        author=world.mentee_person,
        text="Прошу заменить наставника",
    )
    response = home(as_user(world.curator), "curator")
    to_do = response.context["to_do"]
    labels = [c.label for c in to_do]
    assert labels.index("ходатайство ждёт решения") < labels.index(
        "пара ждёт решения на бумаге (участник без входа в систему)"
    )
    assert all(c.value for c in to_do)
    assert [c.urgency for c in to_do] == sorted((c.urgency for c in to_do), reverse=True)
    html = response.content.decode()
    assert html.index("Ждут ваших действий") < html.index('<h2 id="banks-title">')
    assert "Рассмотреть ходатайства" in html
    assert "Внести решение на бумаге" in html
    # The zeros are one compact line, not cards.
    assert "Всё в порядке:" in html
    assert "программ ждут утверждения — 0" in html
    assert all(c.value == 0 for c in response.context["all_clear"])


def test_a_pair_everyone_answers_online_is_no_paper_task(world, as_user):
    active_group(world)
    response = home(as_user(world.curator), "curator")
    assert not any("решения на бумаге" in c.label for c in response.context["to_do"])
    assert "Внести решение на бумаге" not in response.content.decode()


def test_mentor_is_asked_to_compose_the_program_once_the_pair_is_approved(world, as_user):
    group = active_group(world)
    html = home(as_user(world.mentor), "mentor").content.decode()
    assert "Что сделать сейчас" in html
    assert "Составить программу" in html
    assert reverse("programs:program-create", args=[group.pk]) in html
    # The mentee does not compose it.
    assert "Составить программу" not in home(as_user(world.mentee), "mentee").content.decode()


def test_returned_program_shows_the_remark_and_fix(world, as_user):
    program = active_program(
        world, status=Program.Status.DRAFT, return_comment="Добавьте открытое занятие"
    )
    html = home(as_user(world.mentor), "mentor").content.decode()
    assert "Куратор вернул программу" in html
    assert "«Добавьте открытое занятие»" in html
    assert "Исправить" in html
    assert reverse("programs:program-detail", args=[program.pk]) in html


def test_mentee_sees_a_term_change_and_a_comment_waiting_for_her(world, as_user):
    program = active_program(world)
    request_later(world, program, user=world.mentor, reason="Больничный наставника")
    ProgramComment.objects.create(program=program, author=world.mentor, text="Как вам план?")
    html = home(as_user(world.mentee), "mentee").content.decode()
    assert "Предложено изменить срок программы" in html
    assert "«Больничный наставника»" in html
    assert "Новый комментарий к программе" in html
    assert "«Как вам план?»" in html
    # The mentor proposed the change and wrote the comment: nothing waits for him.
    mentor_html = home(as_user(world.mentor), "mentor").content.decode()
    assert "Предложено изменить срок программы" not in mentor_html
    assert "Новый комментарий к программе" not in mentor_html


def test_finished_program_stays_on_both_homes_with_its_pdf(world, as_user):
    program = active_program(
        world,
        status=Program.Status.COMPLETED,
        finished_on=timezone.localdate(),
        reason=Program.Reason.PLAN_DONE,
    )
    pdf = reverse("programs:program-pdf", args=[program.pk])
    for user, role in [(world.mentor, "mentor"), (world.mentee, "mentee")]:
        html = home(as_user(user), role).content.decode()
        assert "Завершённые" in html
        assert pdf in html


def test_a_term_change_waiting_for_paper_is_a_task_of_the_curator(world, as_user):
    program = paperless_program(world)
    request_later(world, program, user=world.mentor)
    response = home(as_user(world.curator), "curator")
    counters = {c.label: c.value for c in response.context["to_do"]}
    assert counters["изменение срока ждёт согласия на бумаге"] == 1
    assert "Внести согласие на бумаге" in response.content.decode()
