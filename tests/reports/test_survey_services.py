"""The questionnaire services (п. 3.3; Приложение 2, этап 6.1; DOMAIN.md §5): seeded templates,
own templates and questions, sending, the completion hook, answering once, reminders, results.
The helpers at the top are shared with test_survey_views.py and the permission rows."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from programs.models import Program
from programs.services.lifecycle import Completion, program_complete
from registry.models import Notification
from reports.models import Answer, Invitation, Question, QuestionnaireTemplate, Response, Survey
from reports.services import surveys as services
from tests.factories import make_institution, make_person, make_user
from tests.programs.test_execution import make_event, make_group, make_program, other_pair
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

Purpose = QuestionnaireTemplate.Purpose
Kind = Question.Kind


# --- Helpers shared with the view tests -------------------------------------------------------


def today():
    return timezone.localdate()


def shared(purpose=Purpose.SATISFACTION_MENTEE) -> QuestionnaireTemplate:
    return QuestionnaireTemplate.objects.get(institution=None, purpose=purpose)


def own_template(world, *, audience="", kinds=(Kind.SCALE, Kind.SINGLE, Kind.MULTIPLE, Kind.TEXT)):
    """An own template of the world's kindergarten with one question of each kind."""
    template = QuestionnaireTemplate.objects.create(
        institution=world.institution, title="Анкета о встречах", audience=audience
    )
    specs = {
        Kind.SCALE: ("Насколько полезны встречи?", []),
        Kind.SINGLE: ("Как часто встречаться?", ["раз в неделю", "раз в месяц"]),
        Kind.MULTIPLE: ("Что полезно?", ["открытые занятия", "консультации", "чек-листы"]),
        Kind.TEXT: ("Что добавить?", []),
    }
    for position, kind in enumerate(kinds, start=1):
        text, choices = specs[kind]
        Question.objects.create(
            template=template,
            position=position,
            text=text,
            kind=kind,
            choices=choices,
            required=kind != Kind.TEXT,
        )
    return template


def send(world, template, programs, **fields) -> Survey:
    values = {
        "title": "Анкета о встречах, декабрь",
        "anonymous": False,
        "deadline": today() + timedelta(days=10),
    }
    values.update(fields)
    return services.survey_send(
        institution=world.institution,
        template=template,
        programs=programs,
        user=world.curator,
        **values,
    )


def answers_for(template, scale=8, single=None, multiple=None, text="Больше практики"):
    values = {}
    for q in template.questions.all():
        if q.kind == Kind.SCALE:
            values[q.pk] = scale
        elif q.kind == Kind.SINGLE:
            values[q.pk] = single or q.choices[0]
        elif q.kind == Kind.MULTIPLE:
            values[q.pk] = multiple if multiple is not None else q.choices[:2]
        else:
            values[q.pk] = text
    return values


def invitation(survey, user) -> Invitation:
    return survey.invitations.get(person=user.person)


def anonymous_survey_with(world, count: int, texts=None):
    """An anonymous survey of ``count`` pairs; every mentee has answered."""
    template = own_template(world, audience="mentee")
    programs, mentees = [], []
    for n in range(count):
        group, _, mentee = other_pair(world, suffix=f"anon{n}")
        programs.append(make_program(world, group=group))
        mentees.append(mentee)
    survey = send(world, template, programs, anonymous=True)
    for n, mentee in enumerate(mentees):
        text = texts[n] if texts else f"ответ {n}"
        services.survey_answer(
            invitation=invitation(survey, mentee),
            user=mentee,
            values=answers_for(template, scale=n + 5, text=text),
        )
    return survey


# --- Seeded templates -------------------------------------------------------------------------


def test_the_two_satisfaction_templates_are_seeded_with_stable_keys():
    mentee, mentor = shared(Purpose.SATISFACTION_MENTEE), shared(Purpose.SATISFACTION_MENTOR)
    assert mentee.audience == "mentee" and mentor.audience == "mentor"
    scale_keys = set(mentee.questions.filter(kind=Kind.SCALE).values_list("key", flat=True))
    assert scale_keys == {
        "effectiveness",
        "involvement",
        "comfort",
        "meetings_usefulness",
        "support",
        "clarity",
        "own_satisfaction",
    }
    keys = set(mentee.questions.values_list("key", flat=True))
    assert {"valuable", "missing", "meeting_frequency", "wish_continue", "wish_mentor"} <= keys
    mentor_keys = set(mentor.questions.values_list("key", flat=True))
    assert "wish_mentor" not in mentor_keys and "support" not in mentor_keys
    assert mentor.questions.filter(kind=Kind.SCALE).count() == 6
    frequency = mentee.questions.get(key="meeting_frequency")
    assert frequency.kind == Kind.SINGLE and len(frequency.choices) >= 2


def test_seeding_twice_changes_nothing():
    from importlib import import_module

    migration = import_module("reports.migrations.0002_seed_questionnaires")
    before = Question.objects.count()
    migration.seed_questionnaires(apps, None)
    assert Question.objects.count() == before
    assert QuestionnaireTemplate.objects.filter(institution=None).count() == 2


# --- Templates and questions ------------------------------------------------------------------


def test_a_shared_template_is_read_only_but_can_be_copied(world):
    template = shared()
    question = template.questions.first()
    question.text = "Другое"
    with pytest.raises(ValidationError, match="Общий шаблон не меняется"):
        services.question_save(question=question)
    copy = services.template_copy(template=template, institution=world.institution)
    assert copy.institution == world.institution
    assert copy.purpose == Purpose.OTHER  # only the shared ones feed average satisfaction
    assert copy.questions.count() == template.questions.count()
    assert list(copy.questions.values_list("key", flat=True)) == list(
        template.questions.values_list("key", flat=True)
    )


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        (Kind.SINGLE, ["да"], "не меньше двух"),
        (Kind.MULTIPLE, ["да", "Да"], "повторяются"),
        (Kind.SCALE, ["1", "2"], "вариантов нет"),
        (Kind.TEXT, ["a", "b"], "вариантов нет"),
    ],
)
def test_choices_must_fit_the_kind_of_question(world, kind, choices, message):
    template = own_template(world, kinds=())
    with pytest.raises(ValidationError, match=message):
        services.question_save(
            question=Question(template=template, text="Вопрос", kind=kind, choices=choices)
        )
    assert not template.questions.exists()


def test_new_questions_go_to_the_end_and_move_up_and_down(world):
    template = own_template(world, kinds=())
    first, second = (
        services.question_save(question=Question(template=template, text=text, kind=Kind.SCALE))
        for text in ["Первый", "Второй"]
    )
    assert (first.position, second.position) == (1, 2)
    assert services.question_move(question=second, up=True)
    assert list(template.questions.values_list("text", flat=True)) == ["Второй", "Первый"]
    assert not services.question_move(question=template.questions.first(), up=True)


def test_a_sent_template_keeps_its_questions(world):
    template = own_template(world)
    send(world, template, [make_program(world)])
    with pytest.raises(ValidationError, match="уже разослана"):
        services.question_delete(question=template.questions.first())
    assert template.questions.count() == 4


# --- Sending ----------------------------------------------------------------------------------


def test_sending_invites_mentors_and_mentees_once_each_and_notifies_them(
    world, django_capture_on_commit_callbacks
):
    world.mentee.email = "ivanova@example.org"
    world.mentee.save()
    first = make_program(world)
    # The world's mentor and mentee are also in a second program: still one invitation each.
    second = make_program(world, group=make_group(world))
    group_b, mentor_b, mentee_b = other_pair(world)
    third = make_program(world, group=group_b, status=Program.Status.COMPLETED)
    with django_capture_on_commit_callbacks(execute=True):
        survey = send(world, own_template(world), [first, second, third])
    people = set(survey.invitations.values_list("person__last_name", "role"))
    assert len(people) == 4
    assert survey.invitations.count() == 4
    assert invitation(survey, world.mentee).program == first
    assert invitation(survey, mentor_b).role == "mentor"
    assert set(survey.programs.all()) == {first, second, third}
    for user in (world.mentor, world.mentee, mentor_b, mentee_b):
        assert Notification.objects.filter(user=user, text__contains=survey.title).exists()
    run_tasks()
    assert [m.to for m in mail.outbox] == [["ivanova@example.org"]]


def test_the_audience_of_the_template_is_respected(world):
    survey = send(world, own_template(world, audience="mentee"), [make_program(world)])
    assert list(survey.invitations.values_list("role", flat=True)) == ["mentee"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ("no_programs", "programs"),
        ("draft_program", "programs"),
        ("other_institution", "programs"),
        ("inactive_template", "template"),
        ("empty_template", "template"),
        ("past_deadline", "deadline"),
        ("no_title", "title"),
    ],
)
def test_sending_refuses_what_does_not_fit(world, change, field):
    template = own_template(world)
    programs = [make_program(world)]
    fields = {}
    if change == "no_programs":
        programs = []
    elif change == "draft_program":
        programs = [make_program(world, group=make_group(world), status=Program.Status.DRAFT)]
    elif change == "other_institution":
        other = make_institution("ГБДОУ детский сад № 66")
        outsider_curator = make_user(other, "curator66", "curator")
        mentor, mentee = make_person(other, "Чужой"), make_person(other, "Чужая")
        group = make_group(world, mentor, mentee, institution=other)
        group.curator = outsider_curator
        group.save()
        programs = [make_program(world, group=group)]
    elif change == "inactive_template":
        template.is_active = False
        template.save()
    elif change == "empty_template":
        template.questions.all().delete()
    elif change == "past_deadline":
        fields["deadline"] = today() - timedelta(days=1)
    elif change == "no_title":
        fields["title"] = "  "
    with pytest.raises(ValidationError) as error:
        send(world, template, programs, **fields)
    assert field in error.value.error_dict
    assert not Survey.objects.exists()


def test_a_program_without_the_audience_is_refused(world):
    program = make_program(world)
    program.group.members.filter(role="mentee").update(left_on=today())
    with pytest.raises(ValidationError, match="нет участников"):
        send(world, own_template(world, audience="mentee"), [program])


def send_satisfaction(world, programs, **fields) -> list[Survey]:
    values = {"title": "Удовлетворённость, декабрь", "anonymous": False, "deadline": None}
    values.update(fields)
    return services.survey_send_satisfaction(
        institution=world.institution, programs=programs, user=world.curator, **values
    )


def test_one_send_asks_each_side_with_its_own_satisfaction_questionnaire(world):
    first = make_program(world)
    group_b, mentor_b, mentee_b = other_pair(world)
    second = make_program(world, group=group_b, status=Program.Status.COMPLETED)

    mentees, mentors = send_satisfaction(world, [first, second])

    assert mentees.template == shared(Purpose.SATISFACTION_MENTEE)
    assert mentors.template == shared(Purpose.SATISFACTION_MENTOR)
    assert (mentees.title, mentors.title) == (
        "Удовлетворённость, декабрь (наставляемые)",
        "Удовлетворённость, декабрь (наставники)",
    )
    assert set(mentees.invitations.values_list("person", "role")) == {
        (world.mentee_person.pk, "mentee"),
        (mentee_b.person.pk, "mentee"),
    }
    assert set(mentors.invitations.values_list("person", "role")) == {
        (world.mentor_person.pk, "mentor"),
        (mentor_b.person.pk, "mentor"),
    }
    assert set(mentors.programs.all()) == set(mentees.programs.all()) == {first, second}
    assert {s.reason for s in (mentees, mentors)} == {Survey.Reason.MANUAL}
    assert Notification.objects.filter(user=world.mentor, text__contains=mentors.title).exists()
    assert not Notification.objects.filter(user=world.mentor, text__contains=mentees.title).exists()


def test_a_side_nobody_is_left_on_is_skipped(world):
    program = make_program(world)
    program.group.members.filter(role="mentor").update(left_on=today())

    surveys = send_satisfaction(world, [program])

    assert [s.template.purpose for s in surveys] == [Purpose.SATISFACTION_MENTEE]


def test_both_satisfaction_questionnaires_must_be_in_use(world):
    QuestionnaireTemplate.objects.filter(purpose=Purpose.SATISFACTION_MENTOR).update(
        is_active=False
    )

    with pytest.raises(ValidationError) as error:
        send_satisfaction(world, [make_program(world)])

    assert "template" in error.value.error_dict
    assert not Survey.objects.exists()


def test_the_satisfaction_send_refuses_what_the_single_send_refuses(world):
    draft = make_program(world, status=Program.Status.DRAFT)

    with pytest.raises(ValidationError) as error:
        send_satisfaction(world, [draft], title=" ", deadline=today() - timedelta(days=1))

    assert set(error.value.error_dict) == {"programs", "title", "deadline"}
    assert not Survey.objects.exists()


# --- The completion hook ----------------------------------------------------------------------


def complete(world, program, reason=Program.Reason.PLAN_DONE):
    program.created_by = world.mentor
    program.save()
    return program_complete(
        program=program,
        completion=Completion(
            reason=reason,
            finished_on=today(),
            reason_note="" if reason == Program.Reason.PLAN_DONE else "Переезд в другой город",
            mentee_result="Провела открытое занятие",
            mentor_result="Передала опыт",
        ),
        # п. 7.1: the mentee ends on her own initiative; the curator, on the plan done.
        user=world.mentee if reason == Program.Reason.MENTEE else world.curator,
    )


@pytest.mark.parametrize("reason", [Program.Reason.PLAN_DONE, Program.Reason.MENTEE])
def test_completing_or_ending_a_program_sends_the_satisfaction_questionnaires(world, reason):
    program = make_program(world)
    complete(world, program, reason)
    surveys = Survey.objects.filter(reason=Survey.Reason.COMPLETION)
    assert surveys.count() == 2
    mentee_survey = surveys.get(template__purpose=Purpose.SATISFACTION_MENTEE)
    mentor_survey = surveys.get(template__purpose=Purpose.SATISFACTION_MENTOR)
    assert list(mentee_survey.invitations.values_list("person", flat=True)) == [
        world.mentee_person.pk
    ]
    assert list(mentor_survey.invitations.values_list("person", flat=True)) == [
        world.mentor_person.pk
    ]
    assert not mentee_survey.anonymous
    assert mentee_survey.deadline == today() + timedelta(days=services.COMPLETION_DEADLINE_DAYS)
    assert "Петрова М. И. — Иванова А. С." in mentee_survey.title
    assert Notification.objects.filter(user=world.mentee, text__contains="анкету").exists()


def test_a_program_gets_its_completion_questionnaires_once(world):
    program = make_program(world)
    complete(world, program)
    assert services.survey_send_on_completion(program=program) == []
    assert Survey.objects.count() == 2


def test_a_refused_completion_sends_nothing(world):
    program = make_program(world)
    make_event(program, "Открытое занятие")  # the plan is not done yet
    with pytest.raises(ValidationError):
        complete(world, program)
    assert not Survey.objects.exists()


# --- Answering --------------------------------------------------------------------------------


def test_an_answer_is_saved_once_and_marks_the_invitation(world):
    template = own_template(world)
    survey = send(world, template, [make_program(world)])
    mine = invitation(survey, world.mentee)
    response = services.survey_answer(
        invitation=mine, user=world.mentee, values=answers_for(template)
    )
    mine.refresh_from_db()
    assert mine.answered_at is not None
    assert response.invitation == mine and response.role == "mentee"
    assert response.answers.count() == 4
    scale = response.answers.get(question__kind=Kind.SCALE)
    assert scale.scale == 8
    assert response.answers.get(question__kind=Kind.MULTIPLE).choices == [
        "открытые занятия",
        "консультации",
    ]
    with pytest.raises(ValidationError, match="уже ответили"):
        services.survey_answer(invitation=mine, user=world.mentee, values=answers_for(template))
    assert Response.objects.count() == 1


def test_nobody_answers_someone_elses_invitation(world):
    template = own_template(world)
    survey = send(world, template, [make_program(world)])
    with pytest.raises(ValidationError, match="только тот, кому она адресована"):
        services.survey_answer(
            invitation=invitation(survey, world.mentee),
            user=world.mentor,
            values=answers_for(template),
        )
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (Kind.SCALE, 11, "от 1 до 10"),
        (Kind.SCALE, 0, "от 1 до 10"),
        (Kind.SCALE, "7", "от 1 до 10"),
        (Kind.SINGLE, "раз в год", "предложенных"),
        (Kind.MULTIPLE, ["консультации", "всё"], "из предложенных"),
        (Kind.SCALE, None, "Ответьте на этот вопрос"),
    ],
)
def test_answers_outside_the_scale_or_the_choices_are_refused(world, kind, value, message):
    template = own_template(world)
    survey = send(world, template, [make_program(world)])
    values = answers_for(template)
    question = template.questions.get(kind=kind)
    values[question.pk] = value
    mine = invitation(survey, world.mentee)
    with pytest.raises(ValidationError) as error:
        services.survey_answer(invitation=mine, user=world.mentee, values=values)
    assert message in " ".join(error.value.message_dict[f"q{question.pk}"])
    mine.refresh_from_db()
    assert mine.answered_at is None and not Response.objects.exists()


def test_optional_questions_may_stay_empty(world):
    template = own_template(world)
    survey = send(world, template, [make_program(world)])
    values = answers_for(template, text="")
    response = services.survey_answer(
        invitation=invitation(survey, world.mentee), user=world.mentee, values=values
    )
    assert response.answers.count() == 3


def test_an_anonymous_response_keeps_no_link_to_the_person(world):
    template = own_template(world)
    survey = send(world, template, [make_program(world)], anonymous=True)
    mine = invitation(survey, world.mentee)
    response = services.survey_answer(
        invitation=mine, user=world.mentee, values=answers_for(template)
    )
    mine.refresh_from_db()
    assert mine.answered_at is not None
    assert response.invitation is None and response.program is None
    local = timezone.localtime(response.submitted_at)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)  # the day only


# --- Reminders --------------------------------------------------------------------------------


def reminders(user) -> int:
    return Notification.objects.filter(user=user, text__startswith="Напоминание").count()


def test_those_who_have_not_answered_are_reminded_once_three_days_before(world):
    template = own_template(world)
    survey = send(world, template, [make_program(world)], deadline=today() + timedelta(days=5))
    services.survey_answer(
        invitation=invitation(survey, world.mentor),
        user=world.mentor,
        values=answers_for(template),
    )
    assert services.survey_send_reminders(today=today()) == 0
    assert services.survey_send_reminders(today=today() + timedelta(days=2)) == 1
    assert services.survey_send_reminders(today=today() + timedelta(days=3)) == 0
    assert reminders(world.mentee) == 1 and reminders(world.mentor) == 0
    assert invitation(survey, world.mentee).reminded_at is not None


def test_without_a_deadline_the_reminder_comes_a_week_after_sending(world):
    survey = send(world, own_template(world), [make_program(world)], deadline=None)
    assert services.survey_send_reminders(today=today() + timedelta(days=6)) == 0
    assert services.survey_send_reminders(today=today() + timedelta(days=7)) == 2
    assert survey.invitations.filter(reminded_at__isnull=True).count() == 0


def test_a_past_deadline_is_not_reminded(world):
    send(world, own_template(world), [make_program(world)], deadline=today())
    assert services.survey_send_reminders(today=today() + timedelta(days=1)) == 0


def test_the_curator_reminds_those_who_have_not_answered(world):
    template = own_template(world)
    survey = send(world, template, [make_program(world)])
    assert services.survey_remind(survey=survey) == 2
    for user in (world.mentor, world.mentee):
        services.survey_answer(
            invitation=invitation(survey, user), user=user, values=answers_for(template)
        )
    with pytest.raises(ValidationError, match="напоминать некому"):
        services.survey_remind(survey=survey)


# --- Results ----------------------------------------------------------------------------------


def test_results_show_mean_distribution_counts_and_texts(world):
    template = own_template(world)
    group_b, mentor_b, mentee_b = other_pair(world)
    survey = send(world, template, [make_program(world), make_program(world, group=group_b)])
    for user, scale, single in [
        (world.mentee, 6, "раз в неделю"),
        (world.mentor, 9, "раз в месяц"),
        (mentee_b, 9, "раз в неделю"),
    ]:
        services.survey_answer(
            invitation=invitation(survey, user),
            user=user,
            values=answers_for(template, scale=scale, single=single, text=f"Текст {scale}"),
        )
    results = services.survey_results(survey)
    assert results.shown and results.responses == 3
    scale, single, multiple, text = results.questions
    assert scale.mean == 8.0 and scale.count == 3
    assert [(b.label, b.count) for b in scale.bars if b.count] == [("6", 1), ("9", 2)]
    assert [(b.label, b.count) for b in single.bars] == [("раз в неделю", 2), ("раз в месяц", 1)]
    assert multiple.bars[0].count == 3 and multiple.bars[2].count == 0
    assert sorted(text.texts) == ["Текст 6", "Текст 9", "Текст 9"]


def test_anonymous_results_wait_for_three_responses(world):
    survey = anonymous_survey_with(world, 2)
    results = services.survey_results(survey)
    assert not results.shown and results.questions == []


def test_anonymous_free_texts_are_sorted_alphabetically(world):
    survey = anonymous_survey_with(world, 3, texts=["Яркие встречи", "Больше практики", "Мало"])
    results = services.survey_results(survey)
    assert results.shown
    texts = next(r for r in results.questions if r.is_text).texts
    assert texts == ["Больше практики", "Мало", "Яркие встречи"]
    assert Answer.objects.filter(response__invitation__isnull=False).count() == 0
