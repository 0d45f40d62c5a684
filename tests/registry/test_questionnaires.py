"""Questionnaires teachers fill in themselves (Приложение 2, этапы 2.1 и 3.1) and their review."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.models import (
    Competence,
    Consent,
    Difficulty,
    Direction,
    MenteeCategory,
    MenteeProfile,
    MentoringForm,
    MentoringKind,
    MentorProfile,
    SelfQuestionnaire,
)
from registry.services.questionnaires import questionnaire_submit
from tests.factories import make_person

pytestmark = pytest.mark.django_db

MENTEE = SelfQuestionnaire.Kind.MENTEE_REQUEST
MENTOR = SelfQuestionnaire.Kind.MENTOR


def fill_url(slug):
    return reverse("registry:questionnaire-fill", args=[slug])


def detail_url(q):
    return reverse("registry:questionnaire-detail", args=[q.pk])


def accept_url(q):
    return reverse("registry:questionnaire-accept", args=[q.pk])


def reject_url(q):
    return reverse("registry:questionnaire-reject", args=[q.pk])


def direction(name):
    return Direction.objects.get(name=name)


def mentee_data(**changes):
    data = {
        "category": MenteeCategory.objects.get(name="молодой специалист со стажем до 3 лет").pk,
        f"difficulty_{direction('методическое').pk}": "Не умею планировать НОД",
        f"difficulty_{direction('ИКТ-компетенции').pk}": "Интерактивная доска",
        "strengths": "Рисую, пою",
        "preferred_forms": [MentoringForm.objects.get(name="педагог – педагог").pk],
        "preferred_kinds": [MentoringKind.objects.get(name="в группе").pk],
        "preferred_mode": "offline",
        "comment": "Удобно после обеда",
        "processing_consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def mentor_data(**changes):
    methodical = direction("методическое").pk
    health = direction("здоровьесбережение").pk
    data = {
        f"can_help_{methodical}": "on",
        f"help_text_{methodical}": "Планирование и конспекты",
        f"can_help_{health}": "on",
        "experience": "Сопровождала трёх молодых воспитателей",
        "awards": "«Воспитатель года — 2024», лауреат",
        "ready_forms": [MentoringForm.objects.get(name="педагог – педагог").pk],
        "ready_kinds": [MentoringKind.objects.get(name="традиционное («один-на-один»)").pk],
        "capacity": "3",
        "training_completed_on": "2025-05-20",
        "training_note": "ЛОИРО, 72 часа",
        "mentoring_consent_ready": "on",
        "comment": "",
        "processing_consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def submitted(person, kind=MENTEE, user=None, **answers):
    """A questionnaire waiting for review, made through the service the teacher's form uses."""
    base = {
        MENTEE: {
            "category": {"id": MenteeCategory.objects.get(name="новый сотрудник").pk, "name": "-"},
            "difficulties": [
                {
                    "direction_id": direction("методическое").pk,
                    "direction": "методическое",
                    "text": "Планирование НОД",
                }
            ],
            "strengths": "Музыка",
            "preferred_forms": [],
            "preferred_kinds": [
                {"id": MentoringKind.objects.get(name="в группе").pk, "name": "в группе"}
            ],
            "preferred_mode": {"value": "online", "name": "онлайн"},
            "comment": "",
            "processing_consent": True,
        },
        MENTOR: {
            "competences": [
                {
                    "direction_id": direction("методическое").pk,
                    "direction": "методическое",
                    "text": "Конспекты занятий",
                },
                {
                    "direction_id": direction("здоровьесбережение").pk,
                    "direction": "здоровьесбережение",
                    "text": "",
                },
            ],
            "experience": "10 лет",
            "awards": "",
            "ready_forms": [],
            "ready_kinds": [],
            "capacity": 4,
            "training_completed_on": "2025-05-20",
            "training_note": "",
            "mentoring_consent_ready": True,
            "comment": "",
            "processing_consent": True,
        },
    }[kind]
    base.update(answers)
    return questionnaire_submit(person=person, kind=kind, answers=base, user=user)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Filling in ----------------------------------------------------------------------------


def test_teacher_sends_mentee_request_and_consent_is_recorded_online(world, as_user):
    client = as_user(world.teacher)
    page = client.get(fill_url("mentee-request"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Что вызывает затруднения по направлению «методическое»" in html
    assert "Даю согласие на обработку моих персональных данных" in html
    assert "1 год после" in html

    response = client.post(fill_url("mentee-request"), mentee_data())

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert any("Анкета отправлена куратору" in m for m in messages_of(response))
    q = SelfQuestionnaire.objects.get(person=world.teacher_person)
    assert q.kind == MENTEE
    assert q.status == SelfQuestionnaire.Status.SUBMITTED
    assert q.answers["category"]["name"] == "молодой специалист со стажем до 3 лет"
    assert [row["direction"] for row in q.answers["difficulties"]] == [
        "методическое",
        "ИКТ-компетенции",
    ]
    assert q.answers["difficulties"][0]["direction_id"] == direction("методическое").pk
    assert q.answers["preferred_forms"][0]["name"] == "педагог – педагог"
    assert q.answers["preferred_mode"] == {"value": "offline", "name": "очный"}
    consent = Consent.objects.get(person=world.teacher_person)
    assert consent.kind == Consent.Kind.PROCESSING
    assert consent.method == Consent.Method.ONLINE
    assert consent.given_on == timezone.localdate()
    assert consent.recorded_by == world.teacher
    assert consent.note == "Дано в анкете в личном кабинете"


def test_teacher_sends_mentor_questionnaire(world, as_user):
    client = as_user(world.teacher)
    assert "Могу помогать" in client.get(fill_url("mentor")).content.decode()

    response = client.post(fill_url("mentor"), mentor_data())

    assert response.status_code == 302
    q = SelfQuestionnaire.objects.get(person=world.teacher_person, kind=MENTOR)
    assert q.answers["competences"] == [
        {
            "direction_id": direction("методическое").pk,
            "direction": "методическое",
            "text": "Планирование и конспекты",
        },
        {
            "direction_id": direction("здоровьесбережение").pk,
            "direction": "здоровьесбережение",
            "text": "",
        },
    ]
    assert q.answers["capacity"] == 3
    assert q.answers["training_completed_on"] == "2025-05-20"
    assert q.answers["mentoring_consent_ready"] is True
    assert Consent.objects.get(person=world.teacher_person).method == Consent.Method.ONLINE


def test_existing_consent_is_not_duplicated(world, as_user):
    client = as_user(world.mentee)
    client.post(fill_url("mentor"), mentor_data())
    assert SelfQuestionnaire.objects.filter(person=world.mentee_person).count() == 1
    assert Consent.objects.filter(person=world.mentee_person).count() == 1


def test_mentee_request_without_any_direction_is_refused(world, as_user):
    blank = {f"difficulty_{d.pk}": "" for d in Direction.objects.all()}
    response = as_user(world.teacher).post(fill_url("mentee-request"), mentee_data(**blank))

    assert response.status_code == 200
    assert "Опишите затруднения или запросы хотя бы по одному направлению." in (
        response.content.decode()
    )
    assert 'value="' in response.content.decode()  # what was typed stays
    assert "Рисую, пою" in response.content.decode()
    assert not SelfQuestionnaire.objects.exists()
    assert not Consent.objects.filter(person=world.teacher_person).exists()


def test_questionnaire_without_processing_consent_is_refused(world, as_user):
    response = as_user(world.teacher).post(
        fill_url("mentee-request"), mentee_data(processing_consent=None)
    )

    assert response.status_code == 200
    assert "Без согласия на обработку персональных данных анкету отправить нельзя" in (
        response.content.decode()
    )
    assert not SelfQuestionnaire.objects.exists()
    assert not Consent.objects.filter(person=world.teacher_person).exists()


def test_mentor_questionnaire_needs_a_direction_and_a_sane_capacity(world, as_user):
    methodical = direction("методическое").pk
    health = direction("здоровьесбережение").pk
    response = as_user(world.teacher).post(
        fill_url("mentor"),
        mentor_data(**{f"can_help_{methodical}": None, f"can_help_{health}": None}, capacity="11"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Отметьте «Могу помогать» или очистите поле «В чём именно»." in html
    assert "Не больше 10 наставляемых одновременно." in html
    assert not SelfQuestionnaire.objects.exists()


def test_mentor_questionnaire_without_any_direction_is_refused(world, as_user):
    methodical = direction("методическое").pk
    health = direction("здоровьесбережение").pk
    response = as_user(world.teacher).post(
        fill_url("mentor"),
        mentor_data(
            **{
                f"can_help_{methodical}": None,
                f"help_text_{methodical}": "",
                f"can_help_{health}": None,
            }
        ),
    )

    assert response.status_code == 200
    assert "Отметьте хотя бы одно направление" in response.content.decode()
    assert not SelfQuestionnaire.objects.exists()


def test_resubmitting_updates_the_pending_questionnaire(world, as_user):
    client = as_user(world.teacher)
    client.post(fill_url("mentee-request"), mentee_data())
    first = SelfQuestionnaire.objects.get()

    page = client.get(fill_url("mentee-request"))
    assert "ждёт рассмотрения" in page.content.decode()
    assert "Не умею планировать НОД" in page.content.decode()  # prefilled
    assert "Рисую, пою" in page.content.decode()

    client.post(fill_url("mentee-request"), mentee_data(strengths="Театр"))

    assert SelfQuestionnaire.objects.count() == 1
    first.refresh_from_db()
    assert first.answers["strengths"] == "Театр"
    assert first.status == SelfQuestionnaire.Status.SUBMITTED
    assert Consent.objects.filter(person=world.teacher_person).count() == 1


def test_after_acceptance_a_new_questionnaire_is_sent_as_an_update(world, as_user):
    first = submitted(world.teacher_person, MENTOR, world.teacher)
    as_user(world.curator).post(accept_url(first))

    client = as_user(world.teacher)
    page = client.get(fill_url("mentor"))
    assert "принята в банк" in page.content.decode()
    client.post(fill_url("mentor"), mentor_data())

    assert SelfQuestionnaire.objects.filter(person=world.teacher_person).count() == 2
    listing = as_user(world.curator).get(reverse("registry:questionnaire-list"))
    assert "обновление" in listing.content.decode()


def test_unknown_questionnaire_kind_is_not_found(world, as_user):
    assert as_user(world.teacher).get(fill_url("satisfaction")).status_code == 404


def test_user_without_a_person_record_cannot_fill_in(world, as_user):
    client = as_user(world.curator)
    assert client.get(fill_url("mentor")).status_code == 404
    assert client.post(fill_url("mentor"), mentor_data()).status_code == 404
    assert not SelfQuestionnaire.objects.exists()


# --- Review -------------------------------------------------------------------------------


def test_curator_accepts_mentee_request_into_the_bank(world, as_user):
    q = submitted(world.teacher_person, MENTEE, world.teacher)

    response = as_user(world.curator).post(accept_url(q))

    assert response.status_code == 302
    assert response.url == reverse("registry:person-detail", args=[world.teacher_person.pk])
    assert any("включена в банк наставляемых" in m for m in messages_of(response))
    q.refresh_from_db()
    assert q.status == SelfQuestionnaire.Status.ACCEPTED
    assert q.reviewed_by == world.curator
    assert q.reviewed_at is not None
    profile = MenteeProfile.objects.get(person=world.teacher_person)
    assert profile.category.name == "новый сотрудник"
    assert profile.strengths == "Музыка"
    assert profile.preferred_mode == "online"
    assert [k.name for k in profile.preferred_kinds.all()] == ["в группе"]
    difficulty = profile.difficulties.get()
    assert difficulty.kind == Difficulty.Kind.REQUEST
    assert difficulty.direction.name == "методическое"
    assert difficulty.text == "Планирование НОД"
    world.teacher_person.refresh_from_db()
    assert world.teacher_person.last_reviewed_on == timezone.localdate()
    assert world.teacher_person.last_reviewed_by == world.curator


def test_accepting_adds_requests_to_an_existing_mentee(world, as_user):
    methodical = {"direction_id": direction("методическое").pk, "direction": "методическое"}
    q = submitted(
        world.mentee_person,
        MENTEE,
        world.mentee,
        difficulties=[
            {**methodical, "text": "Проекты"},
            # Already in the bank with the same words: not added twice.
            {**methodical, "text": "Планирование НОД"},
        ],
    )

    as_user(world.sysadmin).post(accept_url(q))

    profile = MenteeProfile.objects.get(person=world.mentee_person)
    assert profile.category.name == "новый сотрудник"
    assert sorted(profile.difficulties.values_list("kind", "text")) == [
        ("difficulty", "Планирование НОД"),
        ("request", "Проекты"),
    ]


def test_curator_accepts_mentor_questionnaire_into_the_bank(world, as_user):
    q = submitted(world.teacher_person, MENTOR, world.teacher)

    response = as_user(world.curator).post(accept_url(q))

    assert response.status_code == 302
    assert any("включена в банк наставников" in m for m in messages_of(response))
    profile = MentorProfile.objects.get(person=world.teacher_person)
    assert profile.capacity == 4
    assert profile.experience == "10 лет"
    assert profile.training_completed_on == date(2025, 5, 20)
    assert sorted(profile.competences.values_list("direction__name", "text")) == [
        ("здоровьесбережение", ""),
        ("методическое", "Конспекты занятий"),
    ]
    world.teacher_person.refresh_from_db()
    assert world.teacher_person.last_reviewed_on == timezone.localdate()


def test_accepting_mentor_questionnaire_updates_competence_per_direction(world, as_user):
    q = submitted(world.mentor_person, MENTOR, world.mentor)

    as_user(world.curator).post(accept_url(q))

    profile = MentorProfile.objects.get(person=world.mentor_person)
    assert profile.experience == "10 лет"
    assert Competence.objects.filter(mentor=profile).count() == 2
    assert profile.competences.get(direction__name="методическое").text == "Конспекты занятий"


def test_questionnaire_cannot_be_accepted_twice(world, as_user):
    q = submitted(world.teacher_person, MENTEE, world.teacher)
    client = as_user(world.curator)
    client.post(accept_url(q))

    response = client.post(accept_url(q))

    assert response.status_code == 302
    assert response.url == detail_url(q)
    assert any("уже рассмотрена" in m for m in messages_of(response))
    assert Difficulty.objects.filter(mentee__person=world.teacher_person).count() == 1


def test_rejected_questionnaire_cannot_be_accepted(world, as_user):
    q = submitted(world.teacher_person, MENTEE, world.teacher)
    client = as_user(world.curator)
    client.post(reject_url(q), {"comment": "Уточните категорию"})

    client.post(accept_url(q))

    q.refresh_from_db()
    assert q.status == SelfQuestionnaire.Status.REJECTED
    assert not MenteeProfile.objects.filter(person=world.teacher_person).exists()


def test_questionnaire_without_active_consent_cannot_be_accepted(world, as_user):
    q = submitted(world.teacher_person, MENTEE, world.teacher)
    Consent.objects.filter(person=world.teacher_person).update(withdrawn_on=timezone.localdate())

    client = as_user(world.curator)
    page = client.get(detail_url(q))
    assert "нет действующего согласия" in page.content.decode()
    response = client.post(accept_url(q))

    assert response.status_code == 302
    assert any("Нет действующего согласия" in m for m in messages_of(response))
    q.refresh_from_db()
    assert q.status == SelfQuestionnaire.Status.SUBMITTED
    assert not MenteeProfile.objects.filter(person=world.teacher_person).exists()
    world.teacher_person.refresh_from_db()
    assert world.teacher_person.last_reviewed_on is None


def test_reject_requires_a_comment(world, as_user):
    q = submitted(world.teacher_person, MENTEE, world.teacher)

    response = as_user(world.curator).post(reject_url(q), {"comment": "   "})

    assert response.status_code == 200
    assert "Напишите причину" in response.content.decode()
    q.refresh_from_db()
    assert q.status == SelfQuestionnaire.Status.SUBMITTED
    assert q.review_comment == ""


def test_curator_rejects_with_a_comment(world, as_user):
    q = submitted(world.teacher_person, MENTOR, world.teacher)

    response = as_user(world.curator).post(reject_url(q), {"comment": "Нужен стаж от 3 лет"})

    assert response.status_code == 302
    assert any("Анкета отклонена" in m for m in messages_of(response))
    q.refresh_from_db()
    assert q.status == SelfQuestionnaire.Status.REJECTED
    assert q.review_comment == "Нужен стаж от 3 лет"
    assert q.reviewed_by == world.curator
    assert not MentorProfile.objects.filter(person=world.teacher_person).exists()
    page = as_user(world.teacher).get(fill_url("mentor"))
    assert "Нужен стаж от 3 лет" in page.content.decode()


def test_curator_sees_answers_and_decision_buttons(world, as_user):
    q = submitted(world.teacher_person, MENTEE, world.teacher)

    html = as_user(world.curator).get(detail_url(q)).content.decode()

    assert "Смирнова Ольга Сергеевна" in html
    assert reverse("registry:person-detail", args=[world.teacher_person.pk]) in html
    assert "Методическое" in html
    assert "Планирование НОД" in html
    assert "онлайн" in html
    assert "Принять в банк" in html
    assert "Отклонить" in html
    assert "действует" in html


@pytest.mark.parametrize("role", ["council", "head"])
def test_read_only_staff_see_detail_without_buttons_and_cannot_decide(world, as_user, role):
    q = submitted(world.teacher_person, MENTEE, world.teacher)
    client = as_user(world.user(role))

    page = client.get(detail_url(q))
    assert page.status_code == 200
    assert "Планирование НОД" in page.content.decode()
    assert "Принять в банк" not in page.content.decode()
    assert reject_url(q) not in page.content.decode()

    assert client.post(accept_url(q)).status_code == 403
    assert client.post(reject_url(q), {"comment": "нет"}).status_code == 403
    q.refresh_from_db()
    assert q.status == SelfQuestionnaire.Status.SUBMITTED


@pytest.mark.parametrize("role", ["mentor", "mentee", "teacher"])
def test_participants_do_not_see_review_pages(world, as_user, role):
    q = submitted(world.teacher_person, MENTEE, world.teacher)
    client = as_user(world.user(role))

    assert client.get(reverse("registry:questionnaire-list")).status_code == 404
    assert client.get(detail_url(q)).status_code == 404
    assert client.post(accept_url(q)).status_code == 404
    q.refresh_from_db()
    assert q.status == SelfQuestionnaire.Status.SUBMITTED


def test_outsider_does_not_see_another_institutions_questionnaire(world, as_user):
    q = submitted(world.teacher_person, MENTEE, world.teacher)
    client = as_user(world.outsider)

    assert client.get(detail_url(q)).status_code == 404
    assert client.post(accept_url(q)).status_code == 404
    assert "Смирнова" not in client.get(reverse("registry:questionnaire-list")).content.decode()


def test_anonymous_is_sent_to_login(world, client):
    q = submitted(world.teacher_person, MENTEE, world.teacher)
    login = reverse("login")
    for response in (
        client.get(fill_url("mentee-request")),
        client.get(reverse("registry:questionnaire-list")),
        client.get(detail_url(q)),
        client.post(accept_url(q)),
        client.post(reject_url(q), {"comment": "нет"}),
    ):
        assert response.status_code == 302
        assert response.url.startswith(login)
    q.refresh_from_db()
    assert q.status == SelfQuestionnaire.Status.SUBMITTED


def test_accept_is_post_only(world, as_user):
    q = submitted(world.teacher_person, MENTEE, world.teacher)
    assert as_user(world.curator).get(accept_url(q)).status_code == 405


# --- The list -----------------------------------------------------------------------------


def test_list_shows_waiting_questionnaires_first_and_filters_by_status_and_kind(world, as_user):
    old = submitted(world.mentor_person, MENTOR, world.mentor)
    old.status = SelfQuestionnaire.Status.ACCEPTED
    old.save()
    waiting = submitted(world.teacher_person, MENTEE, world.teacher)
    SelfQuestionnaire.objects.filter(pk=waiting.pk).update(
        submitted_at=timezone.now() - timezone.timedelta(days=3)
    )
    client = as_user(world.council)

    html = client.get(reverse("registry:questionnaire-list")).content.decode()
    assert html.index("Смирнова О. С.") < html.index("Петрова М. И.")
    assert "ждёт рассмотрения" in html
    assert "принята в банк" in html

    only_waiting = client.get(reverse("registry:questionnaire-list"), {"status": "submitted"})
    assert "Смирнова О. С." in only_waiting.content.decode()
    assert "Петрова М. И." not in only_waiting.content.decode()
    only_mentors = client.get(reverse("registry:questionnaire-list"), {"kind": "mentor"})
    assert "Петрова М. И." in only_mentors.content.decode()
    assert "Смирнова О. С." not in only_mentors.content.decode()


def test_empty_list_says_so(world, as_user):
    html = as_user(world.curator).get(reverse("registry:questionnaire-list")).content.decode()
    assert "Педагоги пока не присылали анкет" in html
    filtered = as_user(world.curator).get(
        reverse("registry:questionnaire-list"), {"status": "rejected"}
    )
    assert "Сбросьте фильтры" in filtered.content.decode()


def _questionnaires(world, count):
    for _ in range(count):
        person = make_person(world.institution)
        SelfQuestionnaire.objects.create(person=person, kind=MENTEE, answers={})


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("registry:questionnaire-list"))
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_questionnaires(world, as_user):
    client = as_user(world.curator)
    client.get(reverse("registry:questionnaire-list"))  # the session settles on the first visit
    _questionnaires(world, 5)
    few = _list_queries(client)
    _questionnaires(world, 45)
    many = _list_queries(client)
    assert many == few + 1  # only the longer list asks its COUNT(*): lib/pages.py::first_page
    response = client.get(reverse("registry:questionnaire-list"))
    assert len(response.context["questionnaires"]) == 25
