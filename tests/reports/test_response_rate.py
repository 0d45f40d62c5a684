"""The response rate of a survey counts only those who could answer — who had a login — and
says how many could not (issue 16, part 3). One definition, ``ResponseRate``, on the list, the
survey's page and the message after sending."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from reports.services import surveys as services
from tests.factories import make_person
from tests.programs.test_execution import make_group, make_program
from tests.reports.test_survey_services import answers_for, own_template, send

pytestmark = pytest.mark.django_db


def pair_without_login(world):
    """A second pair of the world's mentor and a mentee who has no login."""
    mentee = make_person(world.institution, "Бумажная", first_name="Ольга")
    return make_program(world, group=make_group(world, mentee_person=mentee))


def test_people_without_a_login_do_not_count_against_the_rate(world):
    template = own_template(world)
    survey = send(world, template, [make_program(world), pair_without_login(world)])
    invitation = survey.invitations.get(person=world.mentee_person)
    services.survey_answer(invitation=invitation, user=world.mentee, values=answers_for(template))
    rate = services.response_rate(survey)
    # The mentor (one invitation), the mentee, the mentee without a login.
    assert (rate.invited, rate.could_answer, rate.answered) == (3, 2, 1)
    assert rate.without_login == 1
    assert rate.share == 50
    assert rate.waiting == 1
    # The list reads the same figure.
    (listed,) = services.surveys_with_counts(world.institution)
    assert listed.rate == rate


def test_the_survey_page_and_the_list_say_how_many_could_not_answer(world, as_user):
    survey = send(world, own_template(world), [make_program(world), pair_without_login(world)])
    client = as_user(world.curator)
    page = client.get(reverse("reports:survey-detail", args=[survey.pk])).content.decode()
    assert "Приглашено: 3, ответили: 0 из 2, кто мог ответить (0 %)." in page
    assert "Без входа в систему не могли ответить: 1" in page
    listing = client.get(reverse("reports:survey-list")).content.decode()
    assert "без входа: 1" in listing


def test_sending_warns_how_many_need_paper(world, as_user):
    template = own_template(world)
    program, paper = make_program(world), pair_without_login(world)
    response = as_user(world.curator).post(
        reverse("reports:survey-create"),
        {
            "status": "",
            "template": template.pk,
            "title": "Анкета о встречах, декабрь",
            "deadline": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "programs": [program.pk, paper.pk],
        },
    )
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(t.startswith("Без входа в систему — 1: они не увидят анкету") for t in texts)
