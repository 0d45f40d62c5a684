"""Permission-table rows of the questionnaires (tests/permission_helpers.py says how).

The curator keeps templates, sends surveys, reminds and opens one person's answers (п. 3.3);
the council reads templates and results (п. 3.4) and gets 403 on the curator's actions; the
head, the sysadmin, mentors, mentees and teachers get 404 there. «Мои анкеты» belongs to every
person with a record; an invitation opens only for the invited person (the mentee of group A
answers their own invitation; everyone else, the mentor of the same pair too, gets 404).
"""

from datetime import timedelta

from django.utils import timezone

from reports.models import Question, QuestionnaireTemplate
from reports.services import surveys as services
from tests.permission_helpers import Row, answers, no_kwargs

READERS = {"curator": 200, "council": 200}
MANAGER_GET = {"curator": 200, "council": 403}
MANAGER_POST = {"curator": 302, "council": 403}
PEOPLE = {"mentor": 200, "mentee": 200, "teacher": 200}


def _template(world, objects) -> QuestionnaireTemplate:
    if "q_template" not in objects:
        template = QuestionnaireTemplate.objects.create(
            institution=world.institution, title="Анкета о встречах"
        )
        for position, text in enumerate(["Насколько полезны встречи?", "Что ценно?"], 1):
            Question.objects.create(template=template, position=position, text=text)
        objects["q_template"] = template
    return objects["q_template"]


def _survey(world, objects):
    if "survey" not in objects:
        used = QuestionnaireTemplate.objects.create(
            institution=world.institution, title="Разосланная анкета"
        )
        question = Question.objects.create(template=used, text="Оценка программы")
        survey = services.survey_send(
            institution=world.institution,
            template=used,
            title="Анкетирование декабря",
            programs=[objects["program"]],
            anonymous=False,
            deadline=timezone.localdate() + timedelta(days=7),
            user=world.curator,
        )
        objects["survey"] = survey
        objects["invitation"] = survey.invitations.get(person=world.mentee_person)
        objects["question"] = question
    return objects["survey"]


def TEMPLATE(world, objects):  # noqa: N802  (reads as a constant in the table)
    return {"pk": _template(world, objects).pk}


def QUESTION(world, objects):  # noqa: N802
    return {"pk": _template(world, objects).questions.order_by("position").first().pk}


def SECOND_QUESTION(world, objects):  # noqa: N802
    return {"pk": _template(world, objects).questions.order_by("position").last().pk}


def SURVEY(world, objects):  # noqa: N802
    return {"pk": _survey(world, objects).pk}


def INVITATION(world, objects):  # noqa: N802
    _survey(world, objects)
    return {"pk": objects["invitation"].pk}


def RESPONSE(world, objects):  # noqa: N802
    _survey(world, objects)
    response = services.survey_answer(
        invitation=objects["invitation"],
        user=world.mentee,
        values={objects["question"].pk: 7},
    )
    return {"pk": response.pk}


ROWS = {
    "reports:template-list": Row(no_kwargs, answers(**READERS, outsider=200)),
    "reports:template-create": Row(no_kwargs, answers(**MANAGER_GET, outsider=200)),
    "reports:template-detail": Row(TEMPLATE, answers(**READERS)),
    "reports:template-update": Row(TEMPLATE, answers(**MANAGER_GET)),
    "reports:template-copy": Row(TEMPLATE, answers(**MANAGER_POST), method="post"),
    "reports:template-deactivate": Row(TEMPLATE, answers(**MANAGER_POST), method="post"),
    "reports:template-activate": Row(TEMPLATE, answers(**MANAGER_POST), method="post"),
    "reports:question-create": Row(TEMPLATE, answers(**MANAGER_GET)),
    "reports:question-update": Row(QUESTION, answers(**MANAGER_GET)),
    "reports:question-delete": Row(QUESTION, answers(**MANAGER_POST), method="post"),
    "reports:question-up": Row(SECOND_QUESTION, answers(**MANAGER_POST), method="post"),
    "reports:question-down": Row(QUESTION, answers(**MANAGER_POST), method="post"),
    "reports:survey-list": Row(no_kwargs, answers(**READERS, outsider=200)),
    "reports:survey-create": Row(no_kwargs, answers(**MANAGER_GET, outsider=200)),
    "reports:survey-detail": Row(SURVEY, answers(**READERS)),
    "reports:survey-export": Row(SURVEY, answers(**READERS)),
    "reports:survey-remind": Row(SURVEY, answers(**MANAGER_POST), method="post"),
    # One person's answers: the curator only; an anonymous survey has no such page (tests).
    "reports:response-detail": Row(RESPONSE, answers(**MANAGER_GET)),
    "reports:my-surveys": Row(no_kwargs, answers(**PEOPLE)),
    # The mentee of group A answers their own invitation; nobody else opens it.
    "reports:survey-answer": Row(INVITATION, answers(mentee=200)),
}
