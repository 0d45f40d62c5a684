"""The group workflow (п. 6.1, п. 6.2): propose, respond, submit, approve by order or return,
replace a mentor (п. 4.1, п. 5.1) and petitions. The helpers here are shared with the view
tests of groups and petitions."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.models import (
    Consent,
    Direction,
    GroupEvent,
    GroupMember,
    MenteeProfile,
    MentoringForm,
    MentoringGroup,
    MentoringKind,
    Notification,
    Order,
    Petition,
    Role,
)
from registry.services.groups import (
    Proposal,
    add_months,
    check_proposal,
    group_approve,
    group_propose,
    group_replace_mentor,
    group_respond,
    group_return,
    group_submit,
    mentee_load,
    mentors_without_written_consent,
    petition_decide,
    petition_submit,
    term_error,
)
from tests.factories import (
    give_consent,
    make_mentee,
    make_mentor,
    make_person,
    make_user,
    sign_agreement,
)
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

Status = MentoringGroup.Status
Response = GroupMember.Response

FORM = "педагог – педагог"
KIND = "традиционное («один-на-один»)"
GROUP_KIND = "в группе"
METHODICAL = "методическое"
ICT = "ИКТ-компетенции"


# --- Helpers shared with test_groups.py and test_petitions.py ------------------------------


def direction(name: str = METHODICAL) -> Direction:
    return Direction.objects.get(name=name)


def start_date() -> date:
    return timezone.localdate()


def make_proposal(world, **changes) -> Proposal:
    start = changes.pop("planned_start", start_date())
    fields = {
        "mentors": [world.mentor_person],
        "mentees": [world.mentee_person],
        "form": MentoringForm.objects.get(name=FORM),
        "kinds": [MentoringKind.objects.get(name=KIND)],
        "directions": [direction()],
        "planned_start": start,
        "planned_end": add_months(start, 9),
        "curator": world.curator,
        "rationale": "Запрос на планирование НОД совпадает с опытом наставника",
    }
    fields.update(changes)
    if len(fields["mentees"]) > 1 and "kinds" not in changes:
        fields["kinds"] = [MentoringKind.objects.get(name=GROUP_KIND)]  # п. 2.4: two or more
    return Proposal(**fields)


def propose(world, **changes) -> MentoringGroup:
    return group_propose(
        proposal=make_proposal(world, **changes), institution=world.institution, user=world.curator
    )


def confirm_all(group) -> MentoringGroup:
    pending = group.members.filter(left_on__isnull=True, response=Response.PENDING)
    for member in pending.select_related("person__user"):
        group = group_respond(
            group=group, person=member.person, confirm=True, comment="", user=member.person.user
        )
    return group


def give_written_consent(person):
    return give_consent(person, Consent.Kind.MENTORING)


def submitted_group(world, **changes) -> MentoringGroup:
    group = confirm_all(propose(world, **changes))
    for member in group.members.filter(role=GroupMember.Role.MENTOR).select_related("person"):
        if not member.person.consents.filter(kind=Consent.Kind.MENTORING).exists():
            give_written_consent(member.person)
        sign_agreement(group, member.person, by=world.curator)
    return group_submit(group=group, user=world.curator)


def active_group(world, number: str = "94/1", **changes) -> MentoringGroup:
    group = submitted_group(world, **changes)
    group_approve(group=group, head=world.head, number=number, signed_on=timezone.localdate())
    group.refresh_from_db()
    return group


def add_mentor(world, last_name: str, username: str | None = None, **fields):
    person = make_person(world.institution, last_name, first_name="Елена", patronymic="Петровна")
    profile = make_mentor(person)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    make_user(world.institution, username or f"user-{person.pk}", person=person)
    return person


def add_mentee(world, last_name: str, username: str | None = None):
    person = make_person(world.institution, last_name, first_name="Ольга", patronymic="Игоревна")
    make_mentee(person)
    make_user(world.institution, username or f"user-{person.pk}", person=person)
    return person


def refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Proposal ------------------------------------------------------------------------------


def test_propose_creates_members_history_notifications_and_mail(
    world, django_capture_on_commit_callbacks
):
    world.mentor.email = "petrova@example.org"
    world.mentor.save()
    world.mentee.email = "ivanova@example.org"
    world.mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        group = propose(world)

    group.refresh_from_db()
    assert group.status == Status.PROPOSED
    assert group.institution == world.institution
    assert group.proposed_by == world.curator
    assert list(group.directions.all()) == [direction()]
    assert group.kinds.get().name == KIND
    members = {m.person: m for m in group.members.all()}
    assert members[world.mentor_person].role == GroupMember.Role.MENTOR
    assert members[world.mentee_person].role == GroupMember.Role.MENTEE
    assert {m.response for m in members.values()} == {Response.PENDING}
    assert group.title == "Петрова М. И. — Иванова А. С."
    assert list(group.events.values_list("text", flat=True)) == ["Пара предложена"]
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"mentor", "mentee"}
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["ivanova@example.org", "petrova@example.org"]
    assert "подтвердите согласие" in mail.outbox[0].body


def test_propose_a_group_with_a_co_mentor_and_two_mentees(world):
    co_mentor = add_mentor(world, "Сидорова")
    second = add_mentee(world, "Кузнецова")
    group = propose(
        world, mentors=[world.mentor_person, co_mentor], mentees=[world.mentee_person, second]
    )

    roles = dict(group.members.values_list("person__last_name", "role"))
    assert roles == {
        "Петрова": GroupMember.Role.MENTOR,
        "Сидорова": GroupMember.Role.CO_MENTOR,
        "Иванова": GroupMember.Role.MENTEE,
        "Кузнецова": GroupMember.Role.MENTEE,
    }
    assert not group.is_pair


def assert_refused(world, reason: str, **changes):
    with pytest.raises(ValidationError) as caught:
        propose(world, **changes)
    assert reason in refusal(caught.value)
    assert MentoringGroup.objects.count() == 0
    assert GroupMember.objects.count() == 0
    assert Notification.objects.count() == 0


def test_propose_refuses_a_group_without_a_mentee(world):
    assert_refused(world, "хотя бы один наставляемый", mentees=[])


def test_propose_refuses_a_mentor_mentoring_themselves(world):
    assert_refused(world, "наставник не наставляет себя", mentees=[world.mentor_person])


def test_propose_refuses_a_person_without_processing_consent(world):
    Consent.objects.filter(person=world.mentee_person).update(withdrawn_on=date(2026, 10, 1))
    assert_refused(
        world,
        "У «Иванова А. С.» нет действующего согласия на обработку персональных данных",
    )


def test_propose_refuses_a_mentor_over_capacity(world):
    world.mentor_person.mentor_profile.capacity = 1
    world.mentor_person.mentor_profile.save()
    second = add_mentee(world, "Кузнецова")
    assert_refused(
        world,
        "У наставника «Петрова М. И.» нет столько свободных мест: можно ещё 1 из 1.",
        mentees=[world.mentee_person, second],
    )


def test_capacity_counts_mentees_of_open_groups(world):
    world.mentor_person.mentor_profile.capacity = 1
    world.mentor_person.mentor_profile.save()
    propose(world)
    other = add_mentee(world, "Кузнецова")

    with pytest.raises(ValidationError) as caught:
        propose(world, mentees=[other])
    assert "можно ещё 0 из 1" in refusal(caught.value)


def test_a_declined_group_frees_the_mentors_place(world):
    world.mentor_person.mentor_profile.capacity = 1
    world.mentor_person.mentor_profile.save()
    group = propose(world)
    group_respond(
        group=group, person=world.mentee_person, confirm=False, comment="Нет", user=world.mentee
    )
    other = add_mentee(world, "Кузнецова")

    assert propose(world, mentees=[other]).status == Status.PROPOSED


def test_propose_refuses_a_mentee_already_in_an_open_group_on_the_same_direction(world):
    propose(world, directions=[direction(), direction(ICT)])
    other_mentor = add_mentor(world, "Сидорова")

    with pytest.raises(ValidationError) as caught:
        propose(world, mentors=[other_mentor])
    assert refusal(caught.value) == (
        "«Иванова А. С.» уже в паре (группе) по направлению «методическое»: "
        "второй наставник по тому же направлению не назначается."
    )
    assert MentoringGroup.objects.count() == 1


def test_a_mentee_may_have_another_group_on_another_direction(world):
    propose(world)
    other_mentor = add_mentor(world, "Сидорова")

    group = propose(world, mentors=[other_mentor], directions=[direction(ICT)])

    assert group.members.get(role=GroupMember.Role.MENTEE).person == world.mentee_person


def test_propose_refuses_people_not_in_the_banks(world):
    with pytest.raises(ValidationError) as caught:
        propose(world, mentors=[world.teacher_person], mentees=[world.teacher_person])
    text = refusal(caught.value)
    assert "«Смирнова О. С.» нет в банке наставников." in text
    assert "«Смирнова О. С.» нет в банке наставляемых." in text
    assert "наставник не наставляет себя" in text


def test_propose_refuses_a_person_of_another_institution(world):
    make_mentee(world.other_person)
    assert_refused(
        world, "«Чужая А. С.» — не из реестра вашего учреждения.", mentees=[world.other_person]
    )


def test_propose_refuses_a_term_outside_three_months_to_a_year(world):
    start = date(2026, 9, 1)
    assert_refused(
        world,
        "от 3 месяцев до 1 года (п. 1.2 Положения): окончание не раньше 01.12.2026",
        planned_start=start,
        planned_end=date(2026, 11, 30),
    )
    assert_refused(
        world,
        "окончание не позже 01.09.2027",
        planned_start=start,
        planned_end=date(2027, 9, 2),
    )


def test_propose_lists_every_reason_at_once(world):
    with pytest.raises(ValidationError) as caught:
        propose(world, mentees=[], kinds=[], directions=[])
    assert caught.value.messages == [
        "В группе должен быть хотя бы один наставляемый.",
        "Укажите хотя бы одно направление.",
        "Укажите хотя бы один вид наставничества.",
    ]


def test_term_error_accepts_three_months_and_one_year():
    assert term_error(date(2026, 9, 1), date(2026, 12, 1)) is None
    assert term_error(date(2026, 9, 1), date(2027, 9, 1)) is None
    assert term_error(date(2026, 9, 1), date(2026, 9, 1)) == "Окончание должно быть позже начала."
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_mentee_load_counts_mentees_of_open_groups_in_one_query(world, django_assert_num_queries):
    second = add_mentee(world, "Кузнецова")
    co_mentor = add_mentor(world, "Сидорова")
    propose(world, mentors=[world.mentor_person, co_mentor], mentees=[world.mentee_person, second])

    with django_assert_num_queries(1):
        load = mentee_load([world.mentor_person.pk, co_mentor.pk, world.teacher_person.pk])
    # Every person asked is answered: no open group is no load.
    assert load == {world.mentor_person.pk: 2, co_mentor.pk: 2, world.teacher_person.pk: 0}


def test_check_proposal_is_empty_for_a_good_proposal(world):
    assert check_proposal(make_proposal(world), institution=world.institution) == []


# --- Responses -----------------------------------------------------------------------------


def test_group_is_confirmed_when_every_participant_confirms(world):
    group = propose(world)
    group = group_respond(
        group=group, person=world.mentor_person, confirm=True, comment="", user=world.mentor
    )
    assert group.status == Status.PROPOSED

    group = group_respond(
        group=group,
        person=world.mentee_person,
        confirm=True,
        comment="  Буду рада  ",
        user=world.mentee,
    )

    group.refresh_from_db()
    assert group.status == Status.CONFIRMED
    member = group.members.get(person=world.mentee_person)
    assert member.response == Response.CONFIRMED
    assert member.response_comment == "Буду рада"
    assert member.responded_at is not None
    assert "Все участники согласны" in group.events.values_list("text", flat=True)
    assert Notification.objects.filter(user=world.curator, text__contains="согласились").exists()


def test_one_refusal_declines_the_group_and_tells_the_curator(world):
    group = propose(world)
    group = group_respond(
        group=group,
        person=world.mentee_person,
        confirm=False,
        comment="Уже занимаюсь с другим наставником",
        user=world.mentee,
    )

    group.refresh_from_db()
    assert group.status == Status.DECLINED
    member = group.members.get(person=world.mentee_person)
    assert member.response == Response.DECLINED
    assert member.response_comment == "Уже занимаюсь с другим наставником"
    notice = Notification.objects.get(user=world.curator)
    assert "Иванова А. С. отказалась от участия: «Петрова М. И. — Иванова А. С.»" in notice.text


def test_a_refusal_needs_a_comment(world):
    group = propose(world)
    with pytest.raises(ValidationError) as caught:
        group_respond(
            group=group, person=world.mentee_person, confirm=False, comment=" ", user=world.mentee
        )
    assert caught.value.message_dict == {"comment": ["Напишите, почему вы отказываетесь."]}
    group.refresh_from_db()
    assert group.status == Status.PROPOSED


def test_a_participant_answers_once(world):
    group = propose(world)
    group_respond(
        group=group, person=world.mentor_person, confirm=True, comment="", user=world.mentor
    )
    with pytest.raises(ValidationError, match="Вы уже ответили"):
        group_respond(
            group=group, person=world.mentor_person, confirm=False, comment="Нет", user=world.mentor
        )
    assert group.members.get(person=world.mentor_person).response == Response.CONFIRMED


def test_nobody_answers_for_a_group_they_are_not_in_or_that_was_declined(world):
    group = propose(world)
    with pytest.raises(ValidationError, match="не участник"):
        group_respond(
            group=group, person=world.teacher_person, confirm=True, comment="", user=world.teacher
        )
    group_respond(
        group=group, person=world.mentee_person, confirm=False, comment="Нет", user=world.mentee
    )
    with pytest.raises(ValidationError, match="участник отказался"):
        group_respond(
            group=group, person=world.mentor_person, confirm=True, comment="", user=world.mentor
        )


# --- Submission ----------------------------------------------------------------------------


def test_submit_needs_every_confirmation(world):
    group = propose(world)
    give_written_consent(world.mentor_person)
    with pytest.raises(ValidationError, match="на согласовании у участников"):
        group_submit(group=group, user=world.curator)
    group.refresh_from_db()
    assert group.status == Status.PROPOSED


def test_submit_needs_the_mentors_written_consent(world):
    group = confirm_all(propose(world))
    assert mentors_without_written_consent(group) == [world.mentor_person]

    with pytest.raises(ValidationError) as caught:
        group_submit(group=group, user=world.curator)
    assert "ТК РФ, ст. 351.8): Петрова М. И." in refusal(caught.value)
    group.refresh_from_db()
    assert group.status == Status.CONFIRMED


def test_submit_sends_the_group_to_the_head(world):
    group = confirm_all(propose(world))
    give_written_consent(world.mentor_person)

    group = group_submit(group=group, user=world.curator)

    group.refresh_from_db()
    assert group.status == Status.SUBMITTED
    assert group.submitted_at is not None
    assert Notification.objects.filter(user=world.head, text__contains="ждёт утверждения").exists()
    assert not Notification.objects.filter(user=world.outsider, text__contains="ждёт").exists()


# --- Approval and return -------------------------------------------------------------------


def test_approve_creates_a_signed_order_and_activates_the_group(world):
    group = submitted_group(world)
    today = timezone.localdate()

    order = group_approve(group=group, head=world.head, number="94/1", signed_on=today)

    order.refresh_from_db()
    group.refresh_from_db()
    assert order.kind == Order.Kind.GROUPS
    assert order.status == Order.Status.SIGNED
    assert (order.number, order.date, order.year) == ("94/1", today, today.year)
    assert order.signed_by == world.head
    assert order.institution == world.institution
    assert set(order.acquainted.all()) == {world.mentor_person, world.mentee_person}
    assert group.status == Status.ACTIVE
    assert group.order == order
    assert set(group.members.values_list("joined_on", flat=True)) == {today}
    assert MenteeProfile.objects.get(person=world.mentee_person).status == "in_pair"
    assert group.events.last().text == (
        f"Утверждена приказом «О закреплении наставнических пар/групп» № 94/1 от {today:%d.%m.%Y}"
    )
    assert Notification.objects.filter(user=world.mentee, text__contains="№ 94/1").exists()


def test_approving_twice_gives_one_order(world):
    group = submitted_group(world)
    today = timezone.localdate()
    group_approve(group=group, head=world.head, number="94/1", signed_on=today)

    with pytest.raises(ValidationError, match="Нельзя утвердить"):
        group_approve(group=group, head=world.head, number="94/2", signed_on=today)

    assert Order.objects.count() == 1
    assert Order.objects.get().number == "94/1"


def test_approve_refuses_a_number_taken_this_year_and_writes_nothing(world):
    active_group(world, number="7")
    second_mentee = add_mentee(world, "Кузнецова")
    group = submitted_group(world, mentees=[second_mentee])

    with pytest.raises(ValidationError) as caught:
        group_approve(group=group, head=world.head, number="7", signed_on=timezone.localdate())

    assert "number" in caught.value.message_dict
    assert Order.objects.count() == 1
    group.refresh_from_db()
    assert group.status == Status.SUBMITTED
    assert group.order is None
    assert group.members.filter(joined_on__isnull=False).count() == 0


def test_approve_refuses_a_future_date(world):
    group = submitted_group(world)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        group_approve(group=group, head=world.head, number="1", signed_on=tomorrow)
    assert caught.value.message_dict == {"date": ["Дата приказа не может быть в будущем."]}
    assert Order.objects.count() == 0


def test_approve_refuses_a_group_not_yet_submitted(world):
    group = confirm_all(propose(world))
    with pytest.raises(ValidationError, match="Нельзя утвердить"):
        group_approve(group=group, head=world.head, number="1", signed_on=timezone.localdate())
    assert Order.objects.count() == 0


def test_return_needs_a_comment_and_the_group_can_be_submitted_again(world):
    group = submitted_group(world)
    with pytest.raises(ValidationError) as caught:
        group_return(group=group, head=world.head, comment="")
    assert caught.value.message_dict == {"comment": ["Напишите, что нужно исправить."]}

    group_return(group=group, head=world.head, comment="Уточните срок")
    group.refresh_from_db()
    assert group.status == Status.RETURNED
    assert group.return_comment == "Уточните срок"
    assert Notification.objects.filter(user=world.curator, text__contains="Уточните").exists()

    group_submit(group=group, user=world.curator)
    group.refresh_from_db()
    assert group.status == Status.SUBMITTED
    assert group.return_comment == ""


def test_return_refuses_a_group_not_on_approval(world):
    group = confirm_all(propose(world))
    with pytest.raises(ValidationError, match="Нельзя вернуть"):
        group_return(group=group, head=world.head, comment="Нет")


# --- Replacing a mentor --------------------------------------------------------------------


def test_replacement_asks_the_new_mentor_and_the_mentees_again(world):
    group = active_group(world)
    new_mentor = add_mentor(world, "Сидорова")
    leaving = group.members.get(person=world.mentor_person)

    group = group_replace_mentor(
        group=group, leaving=leaving, new_mentor=new_mentor, user=world.curator
    )

    group.refresh_from_db()
    assert group.status == Status.PROPOSED
    newcomer = group.members.get(person=new_mentor)
    assert (newcomer.role, newcomer.response, newcomer.replaces) == (
        GroupMember.Role.MENTOR,
        Response.PENDING,
        leaving,
    )
    assert group.members.get(person=world.mentee_person).response == Response.PENDING
    assert group.members.get(person=world.mentor_person).response == Response.CONFIRMED
    assert "Петрова М. И. → Сидорова Е. П." in group.events.last().text


def test_an_approved_replacement_is_a_new_order_and_the_old_mentor_leaves(world):
    curator = make_person(world.institution, "Кураторова", user=world.curator)
    group = active_group(world)
    first_order = group.order
    new_mentor = add_mentor(world, "Сидорова")
    leaving = group.members.get(person=world.mentor_person)
    group_replace_mentor(group=group, leaving=leaving, new_mentor=new_mentor, user=world.curator)
    # The leaving mentor's written consent is no longer needed; the new one's is.
    Consent.objects.filter(person=world.mentor_person, kind=Consent.Kind.MENTORING).update(
        withdrawn_on=timezone.localdate()
    )
    group = confirm_all(group)
    assert group.status == Status.CONFIRMED
    assert mentors_without_written_consent(group) == [new_mentor]
    give_written_consent(new_mentor)
    group_submit(group=group, user=world.curator)
    today = timezone.localdate()
    sign_agreement(group, new_mentor, by=world.curator)

    order = group_approve(group=group, head=world.head, number="95", signed_on=today)

    group.refresh_from_db()
    leaving.refresh_from_db()
    assert order.kind == Order.Kind.REPLACEMENT
    assert order.is_signed
    # The names in the accusative and the genitive the sentences ask for (issue 18, item 10).
    assert (
        order.items[0]
        == "Освободить от обязанностей наставника Петрову Марию Ивановну (воспитатель)."
    )
    assert order.items[1] == (
        "Назначить наставником Сидорову Елену Петровну (воспитатель) "
        "для наставляемого Ивановой Анны Сергеевны."
    )
    # Everyone the order gives a duty: who leaves, who comes, the mentee and the curator
    # («Наставнику и наставляемым скорректировать…»; the curator accompanies the pair).
    assert set(order.acquainted.all()) == {
        world.mentor_person,
        new_mentor,
        world.mentee_person,
        curator,
    }
    assert group.status == Status.ACTIVE
    # п. 5.1: the pair's current order is the replacement; the founding one stays in history.
    assert group.order == order
    assert set(group.orders.all()) == {first_order, order}
    assert leaving.left_on == today
    assert group.members.get(person=new_mentor).joined_on == today
    assert [m.person for m in group.active_mentors] == [new_mentor]
    assert group.title == "Сидорова Е. П. — Иванова А. С."
    assert Order.objects.count() == 2


def test_a_refused_replacement_leaves_the_group_as_it_was(world):
    group = active_group(world)
    new_mentor = add_mentor(world, "Сидорова")
    leaving = group.members.get(person=world.mentor_person)
    group_replace_mentor(group=group, leaving=leaving, new_mentor=new_mentor, user=world.curator)

    group_respond(
        group=group,
        person=world.mentee_person,
        confirm=False,
        comment="Хочу остаться с Марией Ивановной",
        user=world.mentee,
    )

    group.refresh_from_db()
    assert group.status == Status.ACTIVE
    assert [m.person for m in group.active_mentors] == [world.mentor_person]
    assert group.members.get(person=new_mentor).left_on == timezone.localdate()
    assert group.members.get(person=world.mentee_person, left_on__isnull=True).response == (
        Response.CONFIRMED
    )
    assert "Замена наставника не состоялась" in group.events.last().text
    # A later replacement of the same mentor works, and the refused one does not interfere.
    third = add_mentor(world, "Орлова")
    group_replace_mentor(group=group, leaving=leaving, new_mentor=third, user=world.curator)
    give_written_consent(third)
    sign_agreement(group, third, by=world.curator)
    group_submit(group=confirm_all(group), user=world.curator)
    group_approve(group=group, head=world.head, number="96", signed_on=timezone.localdate())
    group.refresh_from_db()
    assert [m.person for m in group.active_mentors] == [third]


def test_replacement_refusals(world):
    group = submitted_group(world)
    new_mentor = add_mentor(world, "Сидорова")
    leaving = group.members.get(person=world.mentor_person)
    with pytest.raises(ValidationError, match="Нельзя заменить наставника"):
        group_replace_mentor(
            group=group, leaving=leaving, new_mentor=new_mentor, user=world.curator
        )

    group_approve(group=group, head=world.head, number="1", signed_on=timezone.localdate())
    mentee_member = group.members.get(person=world.mentee_person)
    with pytest.raises(ValidationError, match="только действующего наставника"):
        group_replace_mentor(
            group=group, leaving=mentee_member, new_mentor=new_mentor, user=world.curator
        )
    with pytest.raises(ValidationError, match="уже в этой группе"):
        group_replace_mentor(
            group=group, leaving=leaving, new_mentor=world.mentor_person, user=world.curator
        )
    busy = add_mentor(world, "Орлова", capacity=1)
    propose(world, mentors=[busy], mentees=[add_mentee(world, "Кузнецова")])
    with pytest.raises(ValidationError, match="нет столько свободных мест"):
        group_replace_mentor(group=group, leaving=leaving, new_mentor=busy, user=world.curator)
    group.refresh_from_db()
    assert group.status == Status.ACTIVE
    assert group.members.count() == 2


# --- Petitions -----------------------------------------------------------------------------


def test_a_mentee_petitions_to_replace_the_mentor(world):
    group = active_group(world)
    Notification.objects.all().delete()

    petition = petition_submit(
        group=group,
        author=world.mentee_person,
        kind=Petition.Kind.REPLACE_MENTOR,
        text="  Не совпадают графики  ",
        user=world.mentee,
    )

    assert petition.status == Petition.Status.SUBMITTED
    assert petition.text == "Не совпадают графики"
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "head",
        "curator",
    }
    assert group.events.last().text == "Подано ходатайство о замене наставника"


def test_petition_kind_follows_the_role(world):
    group = active_group(world)
    with pytest.raises(ValidationError, match="просит наставляемый"):
        petition_submit(
            group=group,
            author=world.mentor_person,
            kind=Petition.Kind.REPLACE_MENTOR,
            text="Прошу",
            user=world.mentor,
        )
    with pytest.raises(ValidationError, match="просит наставник"):
        petition_submit(
            group=group,
            author=world.mentee_person,
            kind=Petition.Kind.RELIEVE_MENTOR,
            text="Прошу",
            user=world.mentee,
        )
    petition = petition_submit(
        group=group,
        author=world.mentor_person,
        kind=Petition.Kind.RELIEVE_MENTOR,
        text="Перехожу на другую работу",
        user=world.mentor,
    )
    assert petition.kind == Petition.Kind.RELIEVE_MENTOR


def test_petition_refusals(world):
    group = propose(world)
    with pytest.raises(ValidationError, match="Нельзя подать ходатайство"):
        petition_submit(
            group=group,
            author=world.mentee_person,
            kind=Petition.Kind.REPLACE_MENTOR,
            text="Прошу",
            user=world.mentee,
        )
    group = active_group(world, mentees=[add_mentee(world, "Кузнецова")])
    with pytest.raises(ValidationError, match="подаёт участник группы"):
        petition_submit(
            group=group,
            author=world.teacher_person,
            kind=Petition.Kind.REPLACE_MENTOR,
            text="Прошу",
            user=world.teacher,
        )
    mentee = group.members.get(role=GroupMember.Role.MENTEE).person
    with pytest.raises(ValidationError) as caught:
        petition_submit(
            group=group, author=mentee, kind=Petition.Kind.REPLACE_MENTOR, text=" ", user=None
        )
    assert "text" in caught.value.message_dict
    petition_submit(
        group=group, author=mentee, kind=Petition.Kind.REPLACE_MENTOR, text="Прошу", user=None
    )
    with pytest.raises(ValidationError, match="уже подано и ждёт решения"):
        petition_submit(
            group=group, author=mentee, kind=Petition.Kind.REPLACE_MENTOR, text="Ещё", user=None
        )
    assert Petition.objects.count() == 1


def test_petition_decisions(world):
    group = active_group(world)
    petition = petition_submit(
        group=group,
        author=world.mentee_person,
        kind=Petition.Kind.REPLACE_MENTOR,
        text="Прошу заменить",
        user=world.mentee,
    )
    with pytest.raises(ValidationError) as caught:
        petition_decide(petition=petition, approve=False, comment="", user=world.head)
    assert caught.value.message_dict == {"comment": ["Напишите, почему ходатайство отклонено."]}

    petition_decide(
        petition=petition, approve=False, comment="Попробуйте ещё месяц", user=world.head
    )

    petition.refresh_from_db()
    assert petition.status == Petition.Status.REJECTED
    assert (petition.decided_by, petition.decision_comment) == (world.head, "Попробуйте ещё месяц")
    assert Notification.objects.filter(user=world.mentee, text__contains="отклонено").exists()
    with pytest.raises(ValidationError, match="уже принято решение"):
        petition_decide(petition=petition, approve=True, comment="", user=world.curator)

    second = petition_submit(
        group=group,
        author=world.mentee_person,
        kind=Petition.Kind.REPLACE_MENTOR,
        text="Прошу снова",
        user=world.mentee,
    )
    petition_decide(petition=second, approve=True, comment="", user=world.curator)
    second.refresh_from_db()
    assert second.status == Petition.Status.APPROVED
    texts = list(GroupEvent.objects.filter(group=group).values_list("text", flat=True))
    assert "Ходатайство о замене наставника удовлетворено" in texts
    assert "Ходатайство о замене наставника отклонено" in texts


def test_heads_of_other_institutions_are_not_asked(world):
    other_head = make_user(world.other_institution, "other-head", Role.HEAD)
    submitted_group(world)
    assert not Notification.objects.filter(user=other_head).exists()


def test_the_groups_order_cites_the_regulation_and_the_curator_signs_it(world):
    """Issue 18, item 10: «Куратору обеспечить сопровождение…» gives the curator a duty, so she
    signs «С приказом ознакомлены»; the preamble cites the regulation's order and ТК РФ."""
    regulation = Order.objects.create(
        institution=world.institution,
        kind=Order.Kind.REGULATION,
        title="Об утверждении Положения о системе наставничества",
        items=["Утвердить Положение."],
        status=Order.Status.SIGNED,
        number="12",
        date=date(2025, 8, 29),
        year=2025,
    )
    curator = make_person(world.institution, "Кураторова", user=world.curator)
    group = submitted_group(world)

    order = group_approve(
        group=group, head=world.head, number="94/1", signed_on=timezone.localdate()
    )

    assert any(item.startswith("Куратору обеспечить") for item in order.items)
    assert set(order.acquainted.all()) == {world.mentor_person, world.mentee_person, curator}
    assert order.basis == (
        "В соответствии с Положением о системе (целевой модели) наставничества педагогических "
        f"работников, утверждённым приказом от 29.08.2025 № {regulation.number} "
        "(п. 3.1, п. 6.2), и статьёй 351.8 Трудового кодекса Российской Федерации, на "
        "основании письменных согласий наставников"
    )
