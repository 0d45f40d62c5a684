"""The questionnaire pages (п. 3.3; Приложение 2, этап 6.1): the curator's template editor,
sending, the results with the anonymity rule, «Мои анкеты» and answering once. A mentee never
sees another's answers, and nobody sees an anonymous survey's answers one by one."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Program
from reports.models import Invitation, Question, QuestionnaireTemplate, Response, Survey
from reports.services import surveys as services
from tests.programs.test_execution import make_group, make_program, other_pair
from tests.reports.test_survey_services import (
    anonymous_survey_with,
    answers_for,
    invitation,
    own_template,
    send,
    shared,
    today,
)

pytestmark = pytest.mark.django_db

Kind = Question.Kind
ANONYMOUS_BELOW_THREE = (
    "Ответов пока меньше трёх: результаты анонимной анкеты покажутся, когда ответят не меньше "
    "трёх человек"
)


def text(response) -> str:
    return response.content.decode()


def answer_url(inv) -> str:
    return reverse("reports:survey-answer", args=[inv.pk])


def detail_url(survey) -> str:
    return reverse("reports:survey-detail", args=[survey.pk])


def form_data(template, **overrides) -> dict:
    data = {}
    for q in template.questions.all():
        if q.kind == Kind.SCALE:
            data[f"q{q.pk}"] = "8"
        elif q.kind == Kind.SINGLE:
            data[f"q{q.pk}"] = q.choices[0]
        elif q.kind == Kind.MULTIPLE:
            data[f"q{q.pk}"] = q.choices[:2]
        else:
            data[f"q{q.pk}"] = "Больше открытых занятий"
    data.update(overrides)
    return data


# --- Templates ----------------------------------------------------------------------------------


def test_the_curator_sees_shared_and_own_templates(as_user, world):
    own_template(world)
    page = text(as_user(world.curator).get(reverse("reports:template-list")))
    assert "Удовлетворённость наставляемого программой наставничества" in page
    assert "Анкета о встречах" in page
    assert "Создать анкету" in page


def test_the_council_reads_templates_but_does_not_change_them(as_user, world):
    template = own_template(world)
    client = as_user(world.council)
    page = text(client.get(reverse("reports:template-detail", args=[template.pk])))
    assert "Добавить вопрос" not in page and "Сделать копию" not in page
    assert client.get(reverse("reports:question-create", args=[template.pk])).status_code == 403


def test_the_curator_creates_a_template_and_adds_questions(as_user, world):
    client = as_user(world.curator)
    response = client.post(
        reverse("reports:template-create"),
        {"title": "Анкета о методических днях", "description": "", "audience": "mentor"},
    )
    template = QuestionnaireTemplate.objects.get(title="Анкета о методических днях")
    assert template.institution == world.institution and template.audience == "mentor"
    assert response["Location"] == reverse("reports:template-detail", args=[template.pk])
    create = reverse("reports:question-create", args=[template.pk])
    client.post(create, {"text": "Оцените пользу", "kind": "scale", "required": "on"})
    client.post(
        create,
        {"text": "Какие темы интересны?", "kind": "multiple", "choices": "ИКТ\n\nИгры\n"},
    )
    questions = list(template.questions.order_by("position"))
    assert [(q.kind, q.choices, q.required) for q in questions] == [
        ("scale", [], True),
        ("multiple", ["ИКТ", "Игры"], False),
    ]
    page = text(client.get(reverse("reports:template-detail", args=[template.pk])))
    assert "Оцените пользу" in page and "ИКТ; Игры" in page


def test_a_choice_question_with_one_option_is_refused_next_to_the_field(as_user, world):
    template = own_template(world, kinds=())
    response = as_user(world.curator).post(
        reverse("reports:question-create", args=[template.pk]),
        {"text": "Нравится ли?", "kind": "single", "choices": "да"},
    )
    assert response.status_code == 200
    page = text(response)
    assert "Впишите не меньше двух вариантов ответа" in page
    assert "Нравится ли?" in page  # nothing typed is lost
    assert not template.questions.exists()


def test_a_scale_with_options_is_refused(as_user, world):
    template = own_template(world, kinds=())
    response = as_user(world.curator).post(
        reverse("reports:question-create", args=[template.pk]),
        {"text": "Оценка", "kind": "scale", "choices": "1\n2"},
    )
    assert "У шкалы и свободного ответа вариантов нет" in text(response)


def test_questions_are_edited_reordered_and_removed(as_user, world):
    template = own_template(world)
    client = as_user(world.curator)
    first, second = template.questions.order_by("position")[:2]
    client.post(
        reverse("reports:question-update", args=[first.pk]),
        {"text": "Насколько полезны встречи с наставником?", "kind": "scale", "required": "on"},
    )
    first.refresh_from_db()
    assert first.text == "Насколько полезны встречи с наставником?"
    client.post(reverse("reports:question-down", args=[first.pk]))
    assert list(template.questions.values_list("pk", flat=True)[:2]) == [second.pk, first.pk]
    client.post(reverse("reports:question-delete", args=[first.pk]))
    assert not Question.objects.filter(pk=first.pk).exists()


def test_a_shared_template_is_read_only_and_copied_on_request(as_user, world):
    template = shared()
    client = as_user(world.curator)
    page = text(client.get(reverse("reports:template-detail", args=[template.pk])))
    assert "Общая анкета не меняется" in page and "Добавить вопрос" not in page
    question = template.questions.first()
    response = client.post(reverse("reports:question-delete", args=[question.pk]), follow=True)
    assert "Общий шаблон не меняется" in text(response)
    assert Question.objects.filter(pk=question.pk).exists()
    response = client.post(reverse("reports:template-copy", args=[template.pk]))
    copy = QuestionnaireTemplate.objects.get(institution=world.institution)
    assert response["Location"] == reverse("reports:template-detail", args=[copy.pk])
    assert copy.questions.count() == template.questions.count()


def test_a_deactivated_template_cannot_be_sent(as_user, world):
    template = own_template(world)
    client = as_user(world.curator)
    response = client.post(reverse("reports:template-deactivate", args=[template.pk]), follow=True)
    assert "её больше нельзя разослать" in text(response)
    template.refresh_from_db()
    assert not template.is_active
    page = text(client.get(reverse("reports:survey-create")))
    assert "Анкета о встречах" not in page


# --- Sending ------------------------------------------------------------------------------------


def test_the_curator_sends_a_survey_to_chosen_programs(as_user, world):
    template = own_template(world)
    program = make_program(world)
    group_b, mentor_b, _ = other_pair(world)
    other = make_program(world, group=group_b)
    client = as_user(world.curator)
    page = text(client.get(reverse("reports:survey-create") + f"?template={template.pk}"))
    assert "Петрова М. И. — Иванова А. С." in page
    response = client.post(
        reverse("reports:survey-create"),
        {
            "status": "",
            "template": template.pk,
            "title": "Анкета о встречах, декабрь",
            "deadline": (today() + timedelta(days=7)).isoformat(),
            "programs": [program.pk],
        },
    )
    survey = Survey.objects.get()
    assert response["Location"] == detail_url(survey)
    assert survey.invitations.count() == 2 and not survey.anonymous
    assert not survey.invitations.filter(person=mentor_b.person).exists()
    assert other not in survey.programs.all()
    page = text(as_user(world.curator).get(detail_url(survey)))
    assert "приглашено участников — 2" in page


def test_the_curator_sends_both_satisfaction_questionnaires_at_once(as_user, world):
    program = make_program(world)
    client = as_user(world.curator)
    page = text(client.get(reverse("reports:survey-create")))
    assert '<option value="satisfaction">Удовлетворённость программой: наставникам и ' in page

    response = client.post(
        reverse("reports:survey-create"),
        {
            "status": "",
            "template": "satisfaction",
            "title": "Как идёт программа",
            "programs": [program.pk],
        },
    )

    assert response["Location"] == reverse("reports:survey-list")
    by_role = {s.invitations.get().role: s for s in Survey.objects.prefetch_related("invitations")}
    assert by_role["mentee"].template.purpose == "satisfaction_mentee"
    assert by_role["mentor"].template.purpose == "satisfaction_mentor"
    listing = text(client.get(reverse("reports:survey-list")))
    assert "Анкеты удовлетворённости разосланы" in listing
    assert "«Как идёт программа (наставляемые)» — 1" in listing
    assert "«Как идёт программа (наставники)» — 1" in listing


def test_the_satisfaction_choice_escapes_the_titles_a_curator_typed(as_user, world):
    QuestionnaireTemplate.objects.create(
        institution=world.institution,
        title="<img src=x onerror=alert(1)>",
        purpose=QuestionnaireTemplate.Purpose.SATISFACTION_MENTEE,
        audience="mentee",
    )

    page = text(as_user(world.curator).get(reverse("reports:survey-create")))

    assert "<img src=x onerror=alert(1)>" not in page
    assert "«&lt;img src=x onerror=alert(1)&gt;» и «" in page


def test_a_refused_satisfaction_send_keeps_the_choice(as_user, world):
    response = as_user(world.curator).post(
        reverse("reports:survey-create"), {"template": "satisfaction", "title": "Опрос"}
    )

    page = text(response)
    assert "Выберите хотя бы одну программу." in page
    assert '<option value="satisfaction" selected>' in page
    assert not Survey.objects.exists()


def test_the_program_filter_keeps_only_that_status(as_user, world):
    make_program(world)
    group_b, _, _ = other_pair(world)
    make_program(world, group=group_b, status=Program.Status.COMPLETED)
    page = text(as_user(world.curator).get(reverse("reports:survey-create") + "?status=completed"))
    assert "Петрова М. И." not in page
    assert "завершена" in page


def test_sending_with_errors_keeps_what_was_typed(as_user, world):
    template = own_template(world)
    response = as_user(world.curator).post(
        reverse("reports:survey-create"),
        {"template": template.pk, "title": "Моя анкета", "deadline": "2020-01-01"},
    )
    page = text(response)
    assert "Выберите хотя бы одну программу." in page
    assert "Срок ответа не может быть в прошлом." in page
    assert 'value="Моя анкета"' in page
    assert not Survey.objects.exists()


# --- Answering ----------------------------------------------------------------------------------


def test_my_surveys_lists_waiting_and_answered(as_user, world):
    template = own_template(world)
    first = send(world, template, [make_program(world)], title="Первая анкета")
    send(world, template, [make_program(world, group=make_group(world))], title="Вторая анкета")
    services.survey_answer(
        invitation=invitation(first, world.mentee), user=world.mentee, values=answers_for(template)
    )
    page = text(as_user(world.mentee).get(reverse("reports:my-surveys")))
    assert "Вторая анкета" in page and "ответ отправлен" in page


def test_the_answer_form_shows_each_kind_of_question(as_user, world):
    template = own_template(world)
    survey = send(world, template, [make_program(world)])
    page = text(as_user(world.mentee).get(answer_url(invitation(survey, world.mentee))))
    scale = template.questions.get(kind=Kind.SCALE)
    assert page.count(f'name="q{scale.pk}" type="radio"') == 0  # attributes in our order
    assert page.count(f'type="radio" name="q{scale.pk}"') == 10
    multiple = template.questions.get(kind=Kind.MULTIPLE)
    assert page.count(f'type="checkbox" name="q{multiple.pk}"') == 3
    assert "<textarea" in page and "1 — совсем нет, 10 — в полной мере." in page
    assert "(обязательный вопрос)" in page


def test_a_mentee_answers_once(as_user, world):
    template = own_template(world)
    survey = send(world, template, [make_program(world)])
    mine = invitation(survey, world.mentee)
    client = as_user(world.mentee)
    response = client.post(answer_url(mine), form_data(template))
    assert response["Location"] == reverse("reports:my-surveys")
    mine.refresh_from_db()
    assert mine.answered_at is not None
    response = client.post(answer_url(mine), form_data(template), follow=True)
    assert "Вы уже ответили на анкету" in text(response)
    assert Response.objects.count() == 1


def test_errors_are_shown_next_to_the_question_and_nothing_typed_is_lost(as_user, world):
    template = own_template(world)
    survey = send(world, template, [make_program(world)])
    scale = template.questions.get(kind=Kind.SCALE)
    single = template.questions.get(kind=Kind.SINGLE)
    data = form_data(template, **{f"q{scale.pk}": "11", f"q{single.pk}": ""})
    response = as_user(world.mentee).post(answer_url(invitation(survey, world.mentee)), data)
    assert response.status_code == 200
    page = text(response)
    assert "Оценка — от 1 до 10." in page
    assert "Ответьте на этот вопрос." in page
    assert "Больше открытых занятий" in page  # the free text is still there
    assert 'value="консультации" checked' in page
    assert not Response.objects.exists()


def test_nobody_opens_someone_elses_invitation(as_user, world):
    template = own_template(world)
    survey = send(world, template, [make_program(world)])
    theirs = invitation(survey, world.mentor)
    client = as_user(world.mentee)
    assert client.get(answer_url(theirs)).status_code == 404
    assert client.post(answer_url(theirs), form_data(template)).status_code == 404
    assert not Response.objects.exists()
    assert as_user(world.curator).get(answer_url(theirs)).status_code == 404


def test_a_mentee_never_sees_anothers_answers(as_user, world):
    template = own_template(world)
    group_b, _, mentee_b = other_pair(world)
    survey = send(world, template, [make_program(world), make_program(world, group=group_b)])
    response = services.survey_answer(
        invitation=invitation(survey, mentee_b),
        user=mentee_b,
        values=answers_for(template, text="Секретный ответ Б"),
    )
    client = as_user(world.mentee)
    for url in [
        detail_url(survey),
        reverse("reports:response-detail", args=[response.pk]),
        reverse("reports:survey-list"),
        answer_url(invitation(survey, mentee_b)),
    ]:
        assert client.get(url).status_code == 404, url
    for url in [reverse("reports:my-surveys"), answer_url(invitation(survey, world.mentee))]:
        assert "Секретный ответ Б" not in text(client.get(url))


# --- Results ------------------------------------------------------------------------------------


def test_the_curator_reads_the_results_and_one_persons_response(as_user, world):
    template = own_template(world)
    survey = send(world, template, [make_program(world)])
    response = services.survey_answer(
        invitation=invitation(survey, world.mentee),
        user=world.mentee,
        values=answers_for(template, scale=7, text="Понравились открытые занятия"),
    )
    client = as_user(world.curator)
    page = text(client.get(detail_url(survey)))
    assert "Средняя оценка: <strong>7,0</strong>" in page
    assert "Понравились открытые занятия" in page
    assert "<meter" in page
    url = reverse("reports:response-detail", args=[response.pk])
    assert url in page
    answer_page = text(client.get(url))
    assert "Иванова Анна Сергеевна" in answer_page and "7 из 10" in answer_page


def test_the_council_reads_results_but_not_one_persons_response(as_user, world):
    template = own_template(world)
    survey = send(world, template, [make_program(world)])
    response = services.survey_answer(
        invitation=invitation(survey, world.mentee), user=world.mentee, values=answers_for(template)
    )
    client = as_user(world.council)
    page = text(client.get(detail_url(survey)))
    assert "Средняя оценка" in page and "Напомнить" not in page
    url = reverse("reports:response-detail", args=[response.pk])
    assert url not in page
    assert client.get(url).status_code == 403


def test_an_anonymous_survey_shows_nothing_below_three_answers(as_user, world):
    survey = anonymous_survey_with(world, 2, texts=["Первый секрет", "Второй секрет"])
    page = text(as_user(world.curator).get(detail_url(survey)))
    assert ANONYMOUS_BELOW_THREE in page
    assert "Первый секрет" not in page and "Средняя оценка" not in page


def test_an_anonymous_survey_shows_only_aggregates_from_three_answers(as_user, world):
    survey = anonymous_survey_with(world, 3, texts=["Яркие встречи", "Больше практики", "Мало"])
    page = text(as_user(world.curator).get(detail_url(survey)))
    assert ANONYMOUS_BELOW_THREE not in page
    assert "Средняя оценка: <strong>6,0</strong>" in page
    assert page.index("Больше практики") < page.index("Мало") < page.index("Яркие встречи")
    assert "/reports/responses/" not in page
    # Who has answered is not shown either: the aggregates could be compared over time.
    assert 'badge-ok">ответил' not in page and "ждём ответа" not in page


def test_no_response_url_works_for_an_anonymous_survey(as_user, world):
    survey = anonymous_survey_with(world, 3)
    for response in survey.responses.all():
        url = reverse("reports:response-detail", args=[response.pk])
        for user in (world.curator, world.council, world.mentee):
            assert as_user(user).get(url).status_code == 404


def test_the_curator_reminds_from_the_survey_page(as_user, world):
    survey = send(world, own_template(world), [make_program(world)])
    response = as_user(world.curator).post(
        reverse("reports:survey-remind", args=[survey.pk]), follow=True
    )
    assert "Напоминание отправлено не ответившим: 2." in text(response)
    assert survey.invitations.filter(reminded_at__isnull=True).count() == 0


# --- Query counts -------------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # the first request of a session warms caches (content types, session)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _surveys(world, n: int, start: int):
    template = own_template(world)
    for i in range(n):
        group, mentor, mentee = other_pair(world, suffix=f"q{start + i}")
        program = make_program(world, group=group)
        survey = send(world, template, [program], title=f"Анкета {start + i}")
        services.survey_answer(
            invitation=invitation(survey, mentee), user=mentee, values=answers_for(template)
        )


def test_the_survey_list_and_the_sending_page_do_not_query_per_row(as_user, world):
    client = as_user(world.curator)
    _surveys(world, 2, 0)
    few = [_queries(client, reverse(n)) for n in ("reports:survey-list", "reports:survey-create")]
    _surveys(world, 8, 10)
    many = [_queries(client, reverse(n)) for n in ("reports:survey-list", "reports:survey-create")]
    assert few == many


def test_the_results_page_does_not_query_per_person_or_answer(as_user, world):
    template = own_template(world)
    pairs = [other_pair(world, suffix=f"r{n}") for n in range(8)]
    programs = [make_program(world, group=group) for group, _, _ in pairs]
    small = send(world, template, programs[:2], title="Малая")
    large = send(world, template, programs, title="Большая")
    for survey, count in [(small, 2), (large, 8)]:
        for _, mentor, mentee in pairs[:count]:
            for user in (mentor, mentee):
                services.survey_answer(
                    invitation=invitation(survey, user), user=user, values=answers_for(template)
                )
    client = as_user(world.curator)
    assert _queries(client, detail_url(small)) == _queries(client, detail_url(large))


def test_my_surveys_does_not_query_per_invitation(as_user, world):
    template = own_template(world)
    client = as_user(world.mentee)
    send(world, template, [make_program(world)], title="Одна")
    few = _queries(client, reverse("reports:my-surveys"))
    for n in range(6):
        send(world, template, [make_program(world, group=make_group(world))], title=f"Ещё {n}")
    assert Invitation.objects.filter(person=world.mentee_person).count() == 7
    assert _queries(client, reverse("reports:my-surveys")) == few


# --- The partial for the personal homes -----------------------------------------------------------


def test_the_home_partial_lists_only_the_persons_waiting_invitations(world):
    from django.template.loader import render_to_string

    from reports.homes import own_invitations

    template = own_template(world)
    answered = send(world, template, [make_program(world)], title="Отвеченная")
    send(world, template, [make_program(world, group=make_group(world))], title="Ждущая")
    services.survey_answer(
        invitation=invitation(answered, world.mentee),
        user=world.mentee,
        values=answers_for(template),
    )
    mine = own_invitations(world.mentee_person)
    assert [i.survey.title for i in mine["waiting"]] == ["Ждущая"] and mine["count"] == 1
    html = render_to_string("reports/_my_surveys.html", {"my_surveys": mine})
    assert "Ждущая" in html and "Отвеченная" not in html
    assert own_invitations(None)["waiting"] == []
