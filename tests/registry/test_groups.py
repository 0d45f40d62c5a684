"""Pages of pairs and groups: the list, a proposal, the group's page and each action on it
(п. 6.1, п. 6.2; п. 4.1, п. 5.1 for a replacement)."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.models import (
    Consent,
    GroupMember,
    MenteeProfile,
    MentoringAgreement,
    MentoringForm,
    MentoringGroup,
    MentoringKind,
    Order,
)
from tests.factories import make_mentee, make_mentor, make_person, sign_agreement
from tests.registry.test_group_services import (
    FORM,
    ICT,
    KIND,
    active_group,
    add_mentee,
    add_mentor,
    confirm_all,
    direction,
    give_written_consent,
    propose,
    submitted_group,
)

pytestmark = pytest.mark.django_db

Status = MentoringGroup.Status
Response = GroupMember.Response


def url(name, group=None):
    return reverse(f"registry:{name}", args=[group.pk] if group else [])


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def proposal_data(world, **changes):
    today = timezone.localdate()
    data = {
        "mentor": world.mentor_person.pk,
        "mentees": [world.mentee_person.pk],
        "form": MentoringForm.objects.get(name=FORM).pk,
        "kinds": [MentoringKind.objects.get(name=KIND).pk],
        "directions": [direction().pk],
        "planned_start": today.isoformat(),
        "planned_end": date(today.year + 1, 5, 31).isoformat(),
        "curator": world.curator.pk,
        "rationale": "Опыт наставника совпадает с запросом",
    }
    data.update(changes)
    if len(data["mentees"] or []) > 1 and "kinds" not in changes:
        data["kinds"] = [MentoringKind.objects.get(name="в группе").pk]  # п. 2.4: two or more
    return {key: value for key, value in data.items() if value is not None}


def other_pair(world):
    """Group B: another mentor with another mentee, both with accounts."""
    mentor_b = add_mentor(world, "Другова", username="mentor_b")
    mentee_b = add_mentee(world, "Другая", username="mentee_b")
    return propose(world, mentors=[mentor_b], mentees=[mentee_b]), mentor_b.user


# --- The list ------------------------------------------------------------------------------


def test_staff_see_every_group_of_the_institution(world, as_user):
    active_group(world, number="94/1", directions=[direction(), direction(ICT)])
    second = add_mentee(world, "Кузнецова")
    propose(world, mentees=[second], directions=[direction(ICT)])

    response = as_user(world.council).get(url("group-list"))

    assert response.status_code == 200
    text = response.content.decode()
    row = '<span class="text-nowrap">Петрова М. И.</span> — <span class="text-nowrap">{}</span>'
    assert row.format("Иванова А. С.") in text
    assert row.format("Кузнецова О. И.") in text
    assert "педагог – педагог" in text
    assert "методическое, ИКТ-компетенции" in text or "ИКТ-компетенции, методическое" in text
    today = timezone.localdate()
    assert f"{today:%d.%m.%Y}–" in text
    assert "утверждена" in text and "на согласовании у участников" in text
    order = Order.objects.get()
    assert reverse("registry:order-detail", args=[order.pk]) in text
    assert f"№ 94/1 от {today:%d.%m.%Y}" in text


def test_list_filters_by_status(world, as_user):
    active_group(world)
    second = add_mentee(world, "Кузнецова")
    propose(world, mentees=[second], directions=[direction(ICT)])

    response = as_user(world.curator).get(url("group-list"), {"status": "proposed"})

    text = response.content.decode()
    assert "Кузнецова О. И." in text
    assert "Иванова А. С." not in text
    assert "Найдено: 1" in text


def test_empty_list_offers_to_match_a_mentor(world, as_user):
    response = as_user(world.head).get(url("group-list"))

    text = response.content.decode()
    assert "Пар и групп пока нет" in text
    assert reverse("registry:mentee-list") in text
    assert "Подобрать наставника" in text
    assert "Предложить пару" not in text  # the head approves, she does not propose


def _make_groups(world, count):
    form = MentoringForm.objects.get(name=FORM)
    start = MentoringGroup.objects.count()
    for n in range(start, start + count):
        order = None
        if n % 2:
            order = Order.objects.create(
                institution=world.institution,
                kind=Order.Kind.GROUPS,
                status=Order.Status.SIGNED,
                title="О закреплении наставнических пар/групп",
                number=str(n),
                date=date(2026, 9, 1),
                year=2026,
            )
        group = MentoringGroup.objects.create(
            institution=world.institution,
            form=form,
            planned_start=date(2026, 9, 1),
            planned_end=date(2027, 5, 31),
            curator=world.curator,
            status=Status.ACTIVE if order else Status.PROPOSED,
            order=order,
        )
        group.directions.set([direction(), direction(ICT)])
        GroupMember.objects.create(
            group=group, person=world.mentor_person, role=GroupMember.Role.MENTOR
        )
        GroupMember.objects.create(
            group=group, person=world.mentee_person, role=GroupMember.Role.MENTEE
        )


def _list_queries(client, count):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("group-list"))
    assert response.status_code == 200
    rows = response.content.decode().count('<span class="text-nowrap">Иванова А. С.</span>')
    assert rows == min(count, 25)
    return len(queries)


def test_list_runs_the_same_queries_for_5_and_50_groups(world, as_user):
    client = as_user(world.curator)
    client.get(url("group-list"))  # the first request after login also saves the session
    _make_groups(world, 5)
    few = _list_queries(client, 5)
    _make_groups(world, 45)
    many = _list_queries(client, 50)
    assert many == few + 1  # only the longer list asks its COUNT(*): lib/pages.py::first_page


def test_list_is_for_staff_only(world, as_user, client):
    assert as_user(world.mentor).get(url("group-list")).status_code == 404
    assert as_user(world.mentee).get(url("group-list")).status_code == 404
    client.logout()
    assert_login_redirect(client.get(url("group-list")))


def test_outsider_sees_no_groups_of_ours(world, as_user):
    active_group(world)
    response = as_user(world.outsider).get(url("group-list"))
    assert response.status_code == 200
    assert "Петрова" not in response.content.decode()


# --- Proposal ------------------------------------------------------------------------------


def test_proposal_form_is_prefilled_from_the_matching_ids(world, as_user):
    make_mentee_difficulty = world.mentee_person.mentee_profile.difficulties.create
    make_mentee_difficulty(direction=direction(ICT), text="Интерактивная доска")

    response = as_user(world.curator).get(
        url("group-create"), {"mentor": world.mentor_person.pk, "mentee": world.mentee_person.pk}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["mentor"] == world.mentor_person.pk
    assert form.initial["mentees"] == [world.mentee_person.pk]
    assert set(form.initial["directions"]) == {direction().pk, direction(ICT).pk}
    assert form.initial["curator"] == world.curator.pk
    text = response.content.decode()
    assert "Петрова Мария Ивановна — воспитатель (свободно 2 из 2)" in text
    assert "Интерактивная доска" in text  # the mentee's requests beside the form


def test_proposal_form_ignores_ids_that_are_not_ours(world, as_user):
    make_mentor(world.other_person)
    response = as_user(world.curator).get(
        url("group-create"), {"mentor": world.other_person.pk, "mentee": "abc"}
    )
    assert response.status_code == 200
    assert "mentor" not in response.context["form"].initial
    assert "mentees" not in response.context["form"].initial
    assert "Чужая" not in response.content.decode()


def test_curator_proposes_a_pair(world, as_user):
    response = as_user(world.curator).post(url("group-create"), proposal_data(world))

    group = MentoringGroup.objects.get()
    assert response.status_code == 302
    assert response.url == url("group-detail", group)
    assert flash(response) == ["Предложение отправлено участникам на согласование."]
    assert group.status == Status.PROPOSED
    assert group.proposed_by == world.curator
    assert set(group.members.values_list("person__last_name", "role")) == {
        ("Петрова", GroupMember.Role.MENTOR),
        ("Иванова", GroupMember.Role.MENTEE),
    }


def test_council_proposes_a_group_with_a_co_mentor(world, as_user):
    co_mentor = add_mentor(world, "Сидорова")
    second = add_mentee(world, "Кузнецова")
    data = proposal_data(
        world, co_mentors=[co_mentor.pk], mentees=[world.mentee_person.pk, second.pk]
    )

    response = as_user(world.council).post(url("group-create"), data)

    assert response.status_code == 302
    group = MentoringGroup.objects.get()
    assert group.members.get(person=co_mentor).role == GroupMember.Role.CO_MENTOR
    assert group.members.filter(role=GroupMember.Role.MENTEE).count() == 2


def test_a_term_outside_three_months_to_a_year_is_refused_next_to_the_field(world, as_user):
    start = date(2026, 9, 1)
    data = proposal_data(world, planned_start=start.isoformat(), planned_end="2026-10-31")

    response = as_user(world.curator).post(url("group-create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["planned_end"] == [
        "Срок наставничества — от 3 месяцев до 1 года (п. 1.2 Положения): "
        "окончание не раньше 01.12.2026."
    ]
    assert MentoringGroup.objects.count() == 0


def test_missing_choices_are_errors_next_to_the_fields(world, as_user):
    data = proposal_data(world, mentees=None, kinds=None, directions=None)

    response = as_user(world.curator).post(url("group-create"), data)

    errors = response.context["form"].errors
    assert errors["mentees"] == ["Выберите хотя бы одного наставляемого."]
    assert errors["kinds"] == ["Отметьте хотя бы один вид наставничества."]
    assert errors["directions"] == ["Отметьте хотя бы одно направление."]
    assert MentoringGroup.objects.count() == 0


def test_service_refusals_are_shown_above_the_form_and_nothing_is_written(world, as_user):
    Consent.objects.filter(person=world.mentee_person).update(withdrawn_on=date(2026, 10, 1))
    world.mentor_person.mentor_profile.capacity = 1
    world.mentor_person.mentor_profile.save()
    second = add_mentee(world, "Кузнецова")
    data = proposal_data(world, mentees=[world.mentee_person.pk, second.pk])

    response = as_user(world.curator).post(url("group-create"), data)

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert any("нет действующего согласия на обработку" in e for e in errors)
    assert any("нет столько свободных мест" in e for e in errors)
    assert "нет столько свободных мест" in response.content.decode()
    assert MentoringGroup.objects.count() == 0
    # What was typed stays in the form.
    assert response.context["form"]["rationale"].value() == "Опыт наставника совпадает с запросом"


def test_a_mentor_is_not_their_own_mentee(world, as_user):
    MenteeProfile.objects.create(
        person=world.mentor_person, category=world.mentee_person.mentee_profile.category
    )
    data = proposal_data(world, mentees=[world.mentor_person.pk])

    response = as_user(world.curator).post(url("group-create"), data)

    assert response.status_code == 200
    assert any(
        "наставник не наставляет себя" in error
        for error in response.context["form"].non_field_errors()
    )
    assert MentoringGroup.objects.count() == 0


def test_the_mentor_chosen_again_as_co_mentor_counts_once(world, as_user):
    data = proposal_data(world, co_mentors=[world.mentor_person.pk])
    response = as_user(world.curator).post(url("group-create"), data)
    assert response.status_code == 302
    assert MentoringGroup.objects.get().members.count() == 2


def test_head_may_not_propose_and_others_do_not_see_the_page(world, as_user, client):
    assert as_user(world.head).get(url("group-create")).status_code == 403
    assert as_user(world.head).post(url("group-create"), proposal_data(world)).status_code == 403
    assert as_user(world.mentor).get(url("group-create")).status_code == 404
    assert as_user(world.teacher).get(url("group-create")).status_code == 404
    client.logout()
    assert_login_redirect(client.get(url("group-create")))
    assert MentoringGroup.objects.count() == 0


# --- The group's page ----------------------------------------------------------------------


def test_page_names_the_pair_and_shows_members_terms_and_history(world, as_user):
    group = propose(world)
    response = as_user(world.curator).get(url("group-detail", group))

    assert response.status_code == 200
    text = response.content.decode()
    assert "<title>Пара: Петрова М. И. — Иванова А. С. — Наставничество</title>" in text
    assert "<h1>Пара: Петрова М. И. — Иванова А. С.</h1>" in text
    assert "Петрова Мария Ивановна" in text and "Иванова Анна Сергеевна" in text
    assert "ждёт ответа" in text
    assert "традиционное («один-на-один»)" in text
    assert "Пара предложена" in text
    assert "Опыт наставника совпадает" not in text  # the rationale is the service's text
    assert "Запрос на планирование НОД" in text
    assert "Подтвердить участие" not in text  # the curator is not a participant


def test_a_group_of_two_mentees_is_called_a_group(world, as_user):
    group = propose(world, mentees=[world.mentee_person, add_mentee(world, "Кузнецова")])
    response = as_user(world.curator).get(url("group-detail", group))
    assert "<h1>Группа: Петрова М. И. — Иванова А. С., Кузнецова О. И.</h1>" in (
        response.content.decode()
    )


def test_a_participant_is_asked_to_confirm_or_decline(world, as_user):
    group = propose(world)
    text = as_user(world.mentee).get(url("group-detail", group)).content.decode()
    assert "Подтвердить участие" in text
    assert "Отказаться" in text
    assert url("group-confirm", group) in text
    assert url("group-decline", group) in text


def test_curator_is_told_which_written_consent_is_missing(world, as_user):
    group = confirm_all(propose(world))
    text = as_user(world.curator).get(url("group-detail", group)).content.decode()
    assert "Направить на утверждение заведующему" in text
    assert "ТК РФ, ст. 351.8" in text
    consent_url = reverse("registry:consent-create", args=[world.mentor_person.pk])
    assert f"{consent_url}?kind=mentoring" in text


def test_head_sees_approve_and_return_on_a_submitted_group(world, as_user):
    group = submitted_group(world)
    text = as_user(world.head).get(url("group-detail", group)).content.decode()
    assert url("group-approve", group) in text
    assert url("group-return", group) in text
    council_text = as_user(world.council).get(url("group-detail", group)).content.decode()
    assert url("group-approve", group) not in council_text


def test_an_active_group_links_its_order_replacement_and_petitions(world, as_user):
    group = active_group(world)
    curator_text = as_user(world.curator).get(url("group-detail", group)).content.decode()
    assert reverse("registry:order-detail", args=[group.order.pk]) in curator_text
    assert "Заменить наставника" in curator_text
    assert "Подать ходатайство" not in curator_text
    mentee_text = as_user(world.mentee).get(url("group-detail", group)).content.decode()
    assert reverse("registry:petition-create", args=[group.pk]) in mentee_text
    assert "Заменить наставника" not in mentee_text


def test_page_queries_do_not_grow_with_members_and_events(world, as_user):
    group = propose(world)
    client = as_user(world.curator)
    client.get(url("group-detail", group))  # the first request after login saves the session
    with CaptureQueriesContext(connection) as few:
        client.get(url("group-detail", group))
    big = propose(
        world,
        mentors=[add_mentor(world, "Сидорова"), add_mentor(world, "Орлова")],
        mentees=[add_mentee(world, "Кузнецова"), add_mentee(world, "Белова")],
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url("group-detail", big))
    assert len(few) == len(many)


def test_a_mentor_of_group_b_cannot_see_or_act_on_group_a(world, as_user):
    group_a = propose(world)
    group_b, mentor_b = other_pair(world)
    client = as_user(mentor_b)

    assert client.get(url("group-detail", group_a)).status_code == 404
    assert client.post(url("group-confirm", group_a)).status_code == 404
    assert client.post(url("group-decline", group_a), {"comment": "Нет"}).status_code == 404
    assert client.post(url("group-submit", group_a)).status_code == 404
    assert client.get(url("group-approve", group_a)).status_code == 404
    assert client.get(url("group-detail", group_b)).status_code == 200
    assert group_a.members.get(person=world.mentor_person).response == Response.PENDING


def test_outsiders_and_teachers_get_404_and_anonymous_logs_in(world, as_user, client):
    group = propose(world)
    assert as_user(world.outsider).get(url("group-detail", group)).status_code == 404
    assert as_user(world.teacher).get(url("group-detail", group)).status_code == 404
    client.logout()
    assert_login_redirect(client.get(url("group-detail", group)))


# --- Confirm and decline -------------------------------------------------------------------


def test_participants_confirm_and_the_group_is_agreed(world, as_user):
    group = propose(world)
    response = as_user(world.mentor).post(url("group-confirm", group), {"comment": "Рада помочь"})

    assert response.status_code == 302
    assert response.url == url("group-detail", group)
    assert flash(response) == ["Вы подтвердили участие. Ждём ответа остальных участников."]
    member = group.members.get(person=world.mentor_person)
    assert (member.response, member.response_comment) == (Response.CONFIRMED, "Рада помочь")

    response = as_user(world.mentee).post(url("group-confirm", group))
    group.refresh_from_db()
    assert group.status == Status.CONFIRMED
    assert "Все участники согласны" in flash(response)[-1]


def test_decline_needs_a_comment(world, as_user):
    group = propose(world)
    response = as_user(world.mentee).post(url("group-decline", group), {"comment": "  "})

    assert response.status_code == 200
    assert response.context["decline_form"].errors["comment"] == [
        "Напишите, почему вы отказываетесь."
    ]
    assert "Напишите, почему вы отказываетесь." in response.content.decode()
    group.refresh_from_db()
    assert group.status == Status.PROPOSED
    assert group.members.get(person=world.mentee_person).response == Response.PENDING


def test_decline_with_a_comment_stops_the_group(world, as_user):
    group = propose(world)
    response = as_user(world.mentee).post(
        url("group-decline", group), {"comment": "Я в декретном отпуске с января"}
    )

    assert response.status_code == 302
    assert "Вы отказались от участия" in flash(response)[0]
    group.refresh_from_db()
    assert group.status == Status.DECLINED
    member = group.members.get(person=world.mentee_person)
    assert member.response_comment == "Я в декретном отпуске с января"


def test_answering_twice_is_refused_with_a_message(world, as_user):
    group = propose(world)
    client = as_user(world.mentor)
    client.post(url("group-confirm", group))

    response = client.post(url("group-decline", group), {"comment": "Передумала"})

    assert response.status_code == 302
    assert flash(response)[-1] == "Вы уже ответили на это предложение."
    assert group.members.get(person=world.mentor_person).response == Response.CONFIRMED


def test_answering_an_approved_group_is_refused(world, as_user):
    group = active_group(world)
    response = as_user(world.mentee).post(url("group-decline", group))
    assert response.status_code == 302
    assert "Нельзя ответить на предложение" in flash(response)[0]


def test_staff_who_are_not_members_may_not_answer(world, as_user):
    group = propose(world)
    assert as_user(world.curator).post(url("group-confirm", group)).status_code == 403
    assert as_user(world.head).post(url("group-decline", group), {"comment": "x"}).status_code == (
        403
    )
    assert as_user(world.mentor).get(url("group-confirm", group)).status_code == 405


# --- Submit, return, approve ---------------------------------------------------------------


def test_curator_submits_an_agreed_group(world, as_user):
    group = confirm_all(propose(world))
    give_written_consent(world.mentor_person)

    response = as_user(world.curator).post(url("group-submit", group))

    assert response.status_code == 302
    assert flash(response) == ["Пара (группа) отправлена на утверждение заведующему."]
    group.refresh_from_db()
    assert group.status == Status.SUBMITTED


def test_submit_without_written_consent_is_refused_with_the_reason(world, as_user):
    group = confirm_all(propose(world))
    response = as_user(world.sysadmin).post(url("group-submit", group))
    assert "Нет письменного согласия на наставничество" in flash(response)[0]
    group.refresh_from_db()
    assert group.status == Status.CONFIRMED


def test_submitting_early_is_refused(world, as_user):
    group = propose(world)
    response = as_user(world.curator).post(url("group-submit", group))
    assert "Нельзя направить на утверждение" in flash(response)[0]
    group.refresh_from_db()
    assert group.status == Status.PROPOSED


def test_council_and_head_may_not_submit_or_participants_either(world, as_user):
    group = confirm_all(propose(world))
    give_written_consent(world.mentor_person)
    for user in (world.council, world.head, world.mentor):
        assert as_user(user).post(url("group-submit", group)).status_code == 403
    group.refresh_from_db()
    assert group.status == Status.CONFIRMED


def test_head_returns_a_group_with_a_comment(world, as_user):
    group = submitted_group(world)
    client = as_user(world.head)

    response = client.post(url("group-return", group), {"comment": ""})
    assert response.status_code == 200
    assert response.context["return_form"].errors["comment"] == ["Напишите, что нужно исправить."]
    group.refresh_from_db()
    assert group.status == Status.SUBMITTED

    response = client.post(url("group-return", group), {"comment": "Срок до конца мая"})
    assert response.status_code == 302
    assert flash(response) == ["Пара (группа) возвращена куратору с вашим комментарием."]
    group.refresh_from_db()
    assert (group.status, group.return_comment) == (Status.RETURNED, "Срок до конца мая")
    text = as_user(world.curator).get(url("group-detail", group)).content.decode()
    assert "Срок до конца мая" in text


def test_only_the_head_returns(world, as_user):
    group = submitted_group(world)
    for user in (world.curator, world.council, world.sysadmin):
        response = as_user(user).post(url("group-return", group), {"comment": "x"})
        assert response.status_code == 403
    group.refresh_from_db()
    assert group.status == Status.SUBMITTED


def test_approve_page_suggests_the_next_number_and_today(world, as_user):
    active_group(world, number="94/1")
    group = submitted_group(world, mentees=[add_mentee(world, "Кузнецова")])

    response = as_user(world.head).get(url("group-approve", group))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial == {"number": "95", "date": timezone.localdate()}
    text = response.content.decode()
    assert "О закреплении наставнических пар/групп" in text
    assert "Кузнецова Ольга Игоревна" in text


def test_head_approves_and_the_order_is_signed(world, as_user):
    group = submitted_group(world)
    today = timezone.localdate()

    response = as_user(world.head).post(
        url("group-approve", group), {"number": "94/1", "date": today.isoformat()}
    )

    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("registry:order-detail", args=[order.pk])
    assert flash(response) == [f"Пара утверждена приказом № 94/1 от {today:%d.%m.%Y}."]
    assert order.is_signed and order.kind == Order.Kind.GROUPS
    group.refresh_from_db()
    assert (group.status, group.order) == (Status.ACTIVE, order)


def test_a_double_post_gives_one_order(world, as_user):
    group = submitted_group(world)
    client = as_user(world.head)
    data = {"number": "12", "date": timezone.localdate().isoformat()}

    client.post(url("group-approve", group), data)
    response = client.post(url("group-approve", group), data)

    assert response.status_code == 302
    assert response.url == url("group-detail", group)
    assert "Утвердить нельзя" in flash(response)[-1]
    assert Order.objects.count() == 1


def test_a_taken_number_is_an_error_next_to_the_field(world, as_user):
    active_group(world, number="7")
    group = submitted_group(world, mentees=[add_mentee(world, "Кузнецова")])

    response = as_user(world.head).post(
        url("group-approve", group), {"number": "7", "date": timezone.localdate().isoformat()}
    )

    assert response.status_code == 200
    year = timezone.localdate().year
    assert response.context["form"].errors["number"] == [f"Приказ № 7 в {year} году уже есть."]
    assert Order.objects.count() == 1
    group.refresh_from_db()
    assert group.status == Status.SUBMITTED


def test_a_bad_number_and_a_future_date_are_errors_next_to_the_fields(world, as_user):
    group = submitted_group(world)
    response = as_user(world.head).post(
        url("group-approve", group), {"number": "номер", "date": "2099-01-01"}
    )
    errors = response.context["form"].errors
    assert "number" in errors and errors["date"] == ["Дата приказа не может быть в будущем."]
    assert Order.objects.count() == 0


def test_approving_a_group_not_submitted_is_refused(world, as_user):
    group = confirm_all(propose(world))
    response = as_user(world.head).get(url("group-approve", group))
    assert response.status_code == 302
    assert "Утвердить нельзя" in flash(response)[0]


def test_only_the_head_approves(world, as_user):
    group = submitted_group(world)
    data = {"number": "1", "date": timezone.localdate().isoformat()}
    for user in (world.curator, world.council, world.sysadmin, world.mentor):
        assert as_user(user).get(url("group-approve", group)).status_code == 403
        assert as_user(user).post(url("group-approve", group), data).status_code == 403
    assert as_user(world.outsider).get(url("group-approve", group)).status_code == 404
    assert Order.objects.count() == 0


# --- Replacing a mentor --------------------------------------------------------------------


def test_curator_proposes_a_new_mentor(world, as_user):
    group = active_group(world)
    new_mentor = add_mentor(world, "Сидорова")
    leaving = group.members.get(person=world.mentor_person)
    client = as_user(world.curator)

    page = client.get(url("group-replace-mentor", group))
    assert page.status_code == 200
    assert page.context["form"].initial["leaving"] == leaving.pk
    assert "Сидорова Елена Петровна — воспитатель (свободно 2 из 2)" in page.content.decode()

    response = client.post(
        url("group-replace-mentor", group), {"leaving": leaving.pk, "new_mentor": new_mentor.pk}
    )

    assert response.status_code == 302
    assert "Замена предложена" in flash(response)[0]
    group.refresh_from_db()
    assert group.status == Status.PROPOSED
    assert group.members.get(person=new_mentor).replaces == leaving
    text = as_user(new_mentor.user).get(url("group-detail", group)).content.decode()
    assert "Подтвердить участие" in text
    assert "Идёт замена наставника" in text


def test_replacement_form_errors(world, as_user):
    group = active_group(world)
    client = as_user(world.curator)
    response = client.post(url("group-replace-mentor", group), {"new_mentor": ""})
    assert response.context["form"].errors["new_mentor"] == ["Выберите нового наставника."]
    busy = add_mentor(world, "Орлова", capacity=1)
    propose(world, mentors=[busy], mentees=[add_mentee(world, "Кузнецова")])
    leaving = group.members.get(person=world.mentor_person)
    response = client.post(
        url("group-replace-mentor", group), {"leaving": leaving.pk, "new_mentor": busy.pk}
    )
    assert response.status_code == 200
    assert "нет столько свободных мест" in response.content.decode()
    group.refresh_from_db()
    assert group.status == Status.ACTIVE


def test_replacement_only_for_an_active_group_and_by_managers(world, as_user):
    group = submitted_group(world)
    response = as_user(world.curator).get(url("group-replace-mentor", group))
    assert response.status_code == 302
    assert "только в утверждённой паре" in flash(response)[0]
    group_approve_data = {"number": "3", "date": timezone.localdate().isoformat()}
    as_user(world.head).post(url("group-approve", group), group_approve_data)
    for user in (world.head, world.council, world.mentor):
        assert as_user(user).get(url("group-replace-mentor", group)).status_code == 403


def test_approved_replacement_through_the_pages(world, as_user):
    group = active_group(world)
    new_mentor = add_mentor(world, "Сидорова")
    give_written_consent(new_mentor)
    leaving = group.members.get(person=world.mentor_person)
    as_user(world.curator).post(
        url("group-replace-mentor", group), {"leaving": leaving.pk, "new_mentor": new_mentor.pk}
    )
    as_user(new_mentor.user).post(url("group-confirm", group))
    as_user(world.mentee).post(url("group-confirm", group))
    as_user(world.curator).post(url("group-submit", group))
    today = timezone.localdate()
    founding = group.order
    # п. 5.1: the approval page says who leaves and who comes.
    page = as_user(world.head).get(url("group-approve", group)).content.decode()
    assert 'Выбывает:</dt><dd class="col-sm-9">Петрова Мария Ивановна' in page
    assert 'Назначается:</dt><dd class="col-sm-9">Сидорова Елена Петровна' in page
    # ТК РФ ст. 351.8: the new mentor needs her own signed agreement first.
    assert "Нет подписанного дополнительного соглашения с наставником «Сидорова Е. П.»" in page
    refused = as_user(world.head).post(
        url("group-approve", group), {"number": "95", "date": today.isoformat()}
    )
    assert "«Сидорова Е. П.»" in flash(refused)[-1]
    assert not Order.objects.filter(number="95").exists()
    sign_agreement(group, new_mentor, by=world.curator)

    response = as_user(world.head).post(
        url("group-approve", group), {"number": "95", "date": today.isoformat()}
    )

    assert flash(response)[-1] == f"Замена наставника утверждена приказом № 95 от {today:%d.%m.%Y}."
    order = Order.objects.get(number="95")
    assert order.kind == Order.Kind.REPLACEMENT
    leaving.refresh_from_db()
    assert leaving.left_on == today
    # The leaving mentor's agreement ends with the order.
    old_agreement = MentoringAgreement.objects.get(group=group, mentor=world.mentor_person)
    assert (old_agreement.status, old_agreement.ended_on) == ("ended", today)
    assert "№ 95" in old_agreement.end_note
    text = as_user(world.curator).get(url("group-detail", group)).content.decode()
    assert "<h1>Пара: Сидорова Е. П. — Иванова А. С.</h1>" in text
    assert "Выбыли: Петрова М. И." in text
    # The current order is the replacement; the founding order stays in the history.
    group.refresh_from_db()
    assert group.order == order
    current = text.split("Действующий приказ</dt>")[1].split("</dd>")[0]
    assert "№ 95" in current and founding.number not in current
    history = text.split("Все приказы</dt>")[1].split("</dd>")[0]
    assert f"№ {founding.number}" in history and "№ 95" in history
    assert as_user(world.mentor).get(url("group-detail", group)).status_code == 404


def test_the_proposal_form_prefills_a_group_of_similar_mentees(world, as_user):
    """The matching page's «Предложить группу» passes several mentees (?mentee=…&mentee=…)."""
    second = make_person(world.institution, "Вторая")
    make_mentee(second)
    response = as_user(world.curator).get(
        reverse("registry:group-create"),
        {"mentee": [world.mentee_person.pk, second.pk]},
    )
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["mentees"] == sorted([world.mentee_person.pk, second.pk])
    group_kind = MentoringKind.objects.get(name="в группе")
    assert group_kind.pk in initial["kinds"]
