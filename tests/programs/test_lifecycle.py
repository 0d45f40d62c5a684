"""Term changes agreed by both sides (п. 7.2) and completion (п. 7.1): the services, the
views and the lifecycle part of the program page. The helpers here are shared with
test_meetings_calendar.py."""

from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib.workdays import add_working_days, is_working_day
from programs.access import ProgramAccess
from programs.models import EventForm, Program, ProgramChange, ProgramEvent, TermChange
from programs.services.lifecycle import (
    Completion,
    completion_parties,
    completion_reasons,
    program_complete,
    term_change_agree,
    term_change_curator_agree,
    term_change_decline,
    term_change_request,
)
from registry.models import (
    Direction,
    GroupMember,
    MenteeProfile,
    MentoringAgreement,
    MentoringGroup,
    Notification,
    Order,
)
from registry.services.orders import order_sign
from tests.factories import make_mentee, make_person, make_user
from tests.registry.test_group_services import active_group

pytestmark = pytest.mark.django_db

Status = Program.Status
Reason = Program.Reason


# --- Helpers shared with test_meetings_calendar.py -----------------------------------------


def sign_term_order(world, term: TermChange):
    """The head signs the order drafted for an agreed term change (п. 7.2)."""
    term.refresh_from_db()
    return order_sign(
        order=term.order, head=world.head, number=f"9{term.pk}", signed_on=timezone.localdate()
    )


def today() -> date:
    return timezone.localdate()


def active_program(world, **fields) -> Program:
    """The world's approved pair with an approved program that began two months ago."""
    group = fields.pop("group", None) or active_group(world)
    start = fields.pop("start", today() - timedelta(days=60))
    values = {
        "status": Status.ACTIVE,
        "start": start,
        "end": start + timedelta(days=270),
        "created_by": world.mentor,
        "problem": "Затруднения в планировании НОД",
    }
    values.update(fields)
    return Program.objects.create(group=group, **values)


def make_event(program, title="Анализ занятия наставляемого", **fields) -> ProgramEvent:
    values = {
        "direction": Direction.objects.get(name="методическое"),
        "form": EventForm.objects.first(),
        "deadline": program.start + timedelta(days=30),
    }
    values.update(fields)
    return ProgramEvent.objects.create(program=program, title=title, **values)


def add_second_mentee(world, program) -> tuple:
    person = make_person(world.institution, "Смирнова", first_name="Ольга")
    make_mentee(person)
    user = make_user(world.institution, "mentee2", person=person)
    GroupMember.objects.create(
        group=program.group,
        person=person,
        role=GroupMember.Role.MENTEE,
        response=GroupMember.Response.CONFIRMED,
    )
    return person, user


def refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


def program_url(program) -> str:
    return reverse("programs:program-detail", args=[program.pk])


@pytest.fixture
def program(world):
    return active_program(world)


def request_later(world, program, days=60, user=None, reason="Нужно больше времени на НОД"):
    return term_change_request(
        program=program,
        new_end=program.end + timedelta(days=days),
        reason=reason,
        user=user or world.curator,
    )


# --- Term changes: services -----------------------------------------------------------------


def test_the_mentors_own_request_counts_as_their_agreement_and_asks_the_others(world, program):
    old_end = program.end
    term = request_later(world, program, user=world.mentor)

    assert term.status == TermChange.Status.PENDING
    assert term.mentor_agreed_at is not None
    assert term.mentee_agreed_at is None
    assert Notification.objects.filter(user=world.mentee, text__contains="изменить срок").exists()
    assert Notification.objects.filter(user=world.curator, text__contains="срок").exists()
    assert not Notification.objects.filter(user=world.mentor, text__contains="срок").exists()
    program.refresh_from_db()
    assert program.end == old_end  # not yet changed


def test_the_term_changes_only_after_mentor_and_mentee_both_agree(world, program):
    old_end = program.end
    term = request_later(world, program)  # by the curator: nobody has agreed yet

    term = term_change_agree(term=term, user=world.mentee)
    program.refresh_from_db()
    assert term.status == TermChange.Status.PENDING
    assert term.mentee_agreed_at is not None
    assert program.end == old_end

    term = term_change_agree(term=term, user=world.mentor)
    program.refresh_from_db()
    term.refresh_from_db()
    # п. 7.2: everyone agreed, so the change is drafted as the head's order; nothing applies yet.
    assert term.status == TermChange.Status.ORDERED
    assert program.end == old_end
    order = term.order
    assert (order.kind, order.status) == (Order.Kind.PROGRAM_CHANGE, Order.Status.DRAFT)
    assert f"окончание — {term.new_end:%d.%m.%Y} вместо {old_end:%d.%m.%Y}" in order.items[0]
    assert "Внести изменения в дополнительное соглашение" in order.items[1]
    assert set(order.acquainted.all()) == {world.mentor_person, world.mentee_person}
    assert list(order.covered_groups.all()) == [program.group]
    assert Notification.objects.filter(user=world.head, text__contains="ждёт подписи").exists()
    with pytest.raises(ValidationError, match="приказа заведующего"):
        request_later(world, program, days=90)

    sign_term_order(world, term)

    program.refresh_from_db()
    term.refresh_from_db()
    assert term.status == TermChange.Status.APPLIED
    assert program.end == old_end + timedelta(days=60)
    assert program.version == 2
    change = ProgramChange.objects.filter(what__startswith="Срок изменён").get()
    assert change.what == f"Срок изменён: {old_end:%d.%m.%Y} → {program.end:%d.%m.%Y}"
    assert change.why == "Нужно больше времени на НОД"
    assert Notification.objects.filter(user=world.mentee, text__contains="срок программы изменён")
    # ТК РФ ст. 351.8: the mentor's agreement is amended by the same order.
    agreement = MentoringAgreement.objects.get(group=program.group, mentor=world.mentor_person)
    assert agreement.ends_on == program.end
    [amendment] = agreement.amendments.all()
    assert (amendment.order, amendment.new_end, amendment.made_on) == (
        term.order,
        program.end,
        term.order.date,
    )
    # Each agreement is its own row, given by the person in their account.
    assert set(term.agreements.values_list("person_id", flat=True)) == {
        world.mentee_person.pk,
        world.mentor_person.pk,
    }


def test_the_mentors_proposal_needs_the_curators_agreement_before_the_order(
    world, program, as_user
):
    """п. 7.2: the curator proposes the change with the mentor; the mentee's agreement alone
    does not draft the order."""
    term = request_later(world, program, user=world.mentor)
    term = term_change_agree(term=term, user=world.mentee)
    assert term.status == TermChange.Status.PENDING
    assert term.order is None
    with pytest.raises(ValidationError, match="а не участник"):
        term_change_curator_agree(term=term, user=world.mentor)

    response = as_user(world.curator).post(
        reverse("programs:term-change-curator-agree", args=[term.pk])
    )

    assert "проект приказа о продлении" in [str(m) for m in get_messages(response.wsgi_request)][-1]
    term.refresh_from_db()
    assert term.status == TermChange.Status.ORDERED
    assert (term.curator_agreed_by, term.order.kind) == (world.curator, Order.Kind.PROGRAM_CHANGE)
    program.refresh_from_db()
    assert program.end != term.new_end  # until the head signs


def test_the_curators_own_proposal_is_her_agreement(world, program):
    term = request_later(world, program)
    assert (term.curator_agreed_by, term.mentor_agreed_at) == (world.curator, None)
    with pytest.raises(ValidationError, match="уже согласовал"):
        term_change_curator_agree(term=term, user=world.curator)


def test_longer_than_a_year_only_through_an_agreed_extension(world, program):
    program.end = program.start + timedelta(days=400)
    with pytest.raises(ValidationError), transaction.atomic():
        program.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        program.save()
    program.refresh_from_db()

    term = term_change_request(
        program=program,
        new_end=program.start + timedelta(days=400),
        reason="Продление по согласию",
        user=world.mentor,
    )
    term_change_curator_agree(term=term, user=world.curator)
    term = term_change_agree(term=term, user=world.mentee)
    sign_term_order(world, term)
    program.refresh_from_db()
    assert program.extended is True
    assert program.end == program.start + timedelta(days=400)


def test_a_change_within_a_year_does_not_mark_the_program_extended(world, program):
    term = request_later(world, program, days=30, user=world.mentor)
    term_change_agree(term=term, user=world.mentee)
    program.refresh_from_db()
    assert program.extended is False


def test_a_group_needs_every_mentee_to_agree(world, program):
    _, second = add_second_mentee(world, program)
    term = request_later(world, program, user=world.mentor)
    term_change_curator_agree(term=term, user=world.curator)

    term = term_change_agree(term=term, user=world.mentee)
    assert term.status == TermChange.Status.PENDING
    assert term.mentee_agreed_at is None

    term = term_change_agree(term=term, user=second)
    assert term.status == TermChange.Status.ORDERED
    assert term.mentee_agreed_at is not None


def test_nobody_agrees_twice(world, program):
    term = request_later(world, program, user=world.mentor)
    with pytest.raises(ValidationError) as error:
        term_change_agree(term=term, user=world.mentor)
    assert "уже согласились" in refusal(error.value)


def test_staff_who_are_not_members_cannot_agree_for_them(world, program):
    term = request_later(world, program, user=world.mentor)
    with pytest.raises(ValidationError):
        term_change_agree(term=term, user=world.curator)
    term.refresh_from_db()
    assert term.status == TermChange.Status.PENDING


def test_only_one_change_waits_at_a_time(world, program):
    request_later(world, program)
    with pytest.raises(ValidationError) as error:
        request_later(world, program, days=90)
    assert "уже ждёт согласия" in refusal(error.value)
    assert program.term_changes.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        TermChange.objects.create(program=program, new_end=program.end, reason="ещё")


@pytest.mark.parametrize(
    ("new_end", "message"),
    [
        (lambda p: p.end, "совпадает"),
        (lambda p: today(), "позже сегодняшнего"),
        (lambda p: p.start - timedelta(days=1), "позже сегодняшнего"),
    ],
)
def test_the_new_end_must_differ_and_lie_ahead(world, program, new_end, message):
    with pytest.raises(ValidationError) as error:
        term_change_request(
            program=program, new_end=new_end(program), reason="х", user=world.mentor
        )
    assert message in error.value.message_dict["new_end"][0]
    assert not program.term_changes.exists()


def test_the_new_end_must_follow_the_start(world):
    later = active_program(world, start=today() + timedelta(days=10))
    with pytest.raises(ValidationError) as error:
        term_change_request(
            program=later, new_end=today() + timedelta(days=5), reason="х", user=world.mentor
        )
    assert "позже начала" in error.value.message_dict["new_end"][0]


def test_shortening_before_open_events_is_refused(world, program):
    make_event(program, title="Открытый просмотр НОД", deadline=program.end - timedelta(days=5))
    with pytest.raises(ValidationError) as error:
        term_change_request(
            program=program, new_end=program.end - timedelta(days=20), reason="х", user=world.mentor
        )
    assert "«Открытый просмотр НОД»" in error.value.message_dict["new_end"][0]


def test_the_term_of_a_draft_cannot_change(world):
    draft = active_program(world, status=Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        request_later(world, draft)
    assert "черновик" in refusal(error.value)


def test_one_refusal_stops_the_change(world, program):
    old_end = program.end
    term = request_later(world, program, user=world.mentor)
    with pytest.raises(ValidationError) as error:
        term_change_decline(term=term, user=world.mentee, comment="  ")
    assert "comment" in error.value.message_dict

    term = term_change_decline(term=term, user=world.mentee, comment="Не успею до осени")
    program.refresh_from_db()
    assert term.status == TermChange.Status.DECLINED
    assert term.decline_comment == "Не успею до осени"
    assert program.end == old_end
    assert Notification.objects.filter(user=world.mentor, text__contains="Не успею").exists()
    with pytest.raises(ValidationError):
        term_change_agree(term=term, user=world.mentee)


# --- Completion: services -------------------------------------------------------------------


def done_in_full(**changes) -> Completion:
    values = {
        "reason": Reason.PLAN_DONE,
        "finished_on": today(),
        "mentee_result": "Самостоятельно планирует НОД",
        "mentor_result": "Методическая разработка",
    }
    values.update(changes)
    return Completion(**values)


def test_plan_done_completes_the_program_the_group_and_the_mentee(world, program):
    make_event(program, status=ProgramEvent.Status.DONE)
    make_event(program, title="Отменённое", status=ProgramEvent.Status.CANCELLED)
    program = program_complete(program=program, completion=done_in_full(), user=world.curator)

    program.refresh_from_db()
    assert program.status == Status.COMPLETED
    assert program.reason == Reason.PLAN_DONE
    assert program.finished_on == today()
    assert program.mentee_result == "Самостоятельно планирует НОД"
    assert program.group.status == MentoringGroup.Status.COMPLETED
    profile = MenteeProfile.objects.get(person=world.mentee_person)
    assert profile.status == MenteeProfile.Status.COMPLETED
    assert ProgramChange.objects.filter(what__startswith="Программа завершена").exists()
    assert Notification.objects.filter(user=world.mentee, text__contains="завершена").exists()
    assert Notification.objects.filter(user=world.mentor, text__contains="завершена").exists()


def test_plan_done_is_refused_while_events_are_open(world, program):
    make_event(program, title="Взаимопосещение НОД", status=ProgramEvent.Status.PLANNED)
    make_event(program, title="Конспект", status=ProgramEvent.Status.OVERDUE)
    with pytest.raises(ValidationError) as error:
        program_complete(program=program, completion=done_in_full(), user=world.curator)
    message = error.value.message_dict["reason"][0]
    assert message.startswith("План ещё не выполнен. Сначала отметьте выполнение или отмените:")
    assert "«Взаимопосещение НОД»" in message and "«Конспект»" in message
    program.refresh_from_db()
    assert program.status == Status.ACTIVE


def test_plan_done_needs_both_final_results(world, program):
    with pytest.raises(ValidationError) as error:
        program_complete(
            program=program,
            completion=done_in_full(mentee_result="", mentor_result=" "),
            user=world.curator,
        )
    assert {"mentee_result", "mentor_result"} <= set(error.value.message_dict)


def test_an_early_end_needs_a_note_and_returns_the_mentee_to_the_bank(world, program):
    with pytest.raises(ValidationError) as error:
        program_complete(
            program=program,
            completion=Completion(reason=Reason.MUTUAL, finished_on=today()),
            user=world.mentor,
        )
    assert "reason_note" in error.value.message_dict

    program = program_complete(
        program=program,
        completion=Completion(
            reason=Reason.MUTUAL, finished_on=today(), reason_note="Переход в другую группу"
        ),
        user=world.mentee,
    )
    program.refresh_from_db()
    assert program.status == Status.TERMINATED
    assert program.group.status == MentoringGroup.Status.TERMINATED
    profile = MenteeProfile.objects.get(person=world.mentee_person)
    assert profile.status == MenteeProfile.Status.WITHOUT_PAIR


def test_the_mentor_ending_early_needs_three_working_days_notice(world, program):
    early = Completion(reason=Reason.MENTOR, finished_on=today(), reason_note="Болезнь")
    with pytest.raises(ValidationError) as error:
        program_complete(program=program, completion=early, user=world.mentor)
    assert "три рабочих дня" in error.value.message_dict["notice_on"][0]

    # Notice given today: the end is at the earliest the third working day after it.
    late_notice = Completion(
        reason=Reason.MENTOR, finished_on=today(), reason_note="Болезнь", notice_on=today()
    )
    with pytest.raises(ValidationError) as error:
        program_complete(program=program, completion=late_notice, user=world.mentor)
    earliest = add_working_days(today(), 3)
    assert f"не ранее {earliest:%d.%m.%Y}" in error.value.message_dict["finished_on"][0]
    program.refresh_from_db()
    assert program.status == Status.ACTIVE

    notice_on = today() - timedelta(days=10)  # ten days hold three working days
    assert add_working_days(notice_on, 3) <= today()
    early = Completion(
        reason=Reason.MENTOR, finished_on=today(), reason_note="Болезнь", notice_on=notice_on
    )
    program_complete(program=program, completion=early, user=world.mentor)
    program.refresh_from_db()
    assert program.notice_on == notice_on
    change = ProgramChange.objects.get(what__startswith="Программа прекращена")
    assert "ТК РФ, ст. 351.8" in change.why and f"{notice_on:%d.%m.%Y}" in change.why
    assert "Болезнь" in change.why


def test_the_notice_ends_exactly_on_the_third_working_day(world, program):
    """ТК РФ ст. 351.8 counts working days: a Friday's notice ends on Wednesday, not Monday."""
    friday = today() - timedelta(days=30)
    while friday.weekday() != 4 or not is_working_day(friday):
        friday -= timedelta(days=1)
    third = add_working_days(friday, 3)
    assert (third - friday).days >= 5  # the weekend is not counted
    before = Completion(
        reason=Reason.CURATOR,
        finished_on=third - timedelta(days=1),
        reason_note="Недолжное исполнение",
        notice_on=friday,
    )
    with pytest.raises(ValidationError) as error:
        program_complete(program=program, completion=before, user=world.curator)
    assert "finished_on" in error.value.message_dict
    on_time = Completion(
        reason=Reason.CURATOR,
        finished_on=third,
        reason_note="Недолжное исполнение",
        notice_on=friday,
    )
    program_complete(program=program, completion=on_time, user=world.curator)
    program.refresh_from_db()
    assert program.status == Status.TERMINATED and program.reason == Reason.CURATOR


@pytest.mark.parametrize(
    ("who", "allowed", "refused"),
    [
        (
            "mentor",
            {Reason.MENTOR, Reason.MUTUAL},
            {Reason.CURATOR, Reason.MENTEE, Reason.PLAN_DONE},
        ),
        (
            "mentee",
            {Reason.MENTEE, Reason.MUTUAL},
            {Reason.CURATOR, Reason.MENTOR, Reason.PLAN_DONE},
        ),
        (
            "curator",
            {Reason.CURATOR, Reason.PLAN_DONE},
            {Reason.MENTOR, Reason.MENTEE, Reason.MUTUAL},
        ),
        ("head", {Reason.CURATOR, Reason.PLAN_DONE}, {Reason.MENTOR, Reason.MENTEE, Reason.MUTUAL}),
    ],
)
def test_each_reason_is_chosen_only_by_its_party(world, program, who, allowed, refused):
    user = getattr(world, who)
    reasons = {value for value, _ in completion_reasons(completion_parties(program, user))}
    assert reasons == allowed
    for reason in refused:
        with pytest.raises(ValidationError) as error:
            program_complete(
                program=program,
                completion=done_in_full(
                    reason=reason, reason_note="Причина", notice_on=today() - timedelta(days=10)
                ),
                user=user,
            )
        assert "другой участник" in error.value.message_dict["reason"][0]
    program.refresh_from_db()
    assert program.status == Status.ACTIVE


def test_a_mentor_cannot_end_on_the_curators_initiative(world, program):
    with pytest.raises(ValidationError) as error:
        program_complete(
            program=program,
            completion=Completion(
                reason=Reason.CURATOR,
                finished_on=today(),
                reason_note="Форс-мажор",
                notice_on=today() - timedelta(days=10),
            ),
            user=world.mentor,
        )
    message = error.value.message_dict["reason"][0]
    assert "«по инициативе наставника (уважительная причина)»" in message
    assert "куратора" not in message.split("Вам доступны")[1]


def test_mutual_and_the_mentees_wish_need_no_notice(world, program):
    program_complete(
        program=program,
        completion=Completion(reason=Reason.MENTEE, finished_on=today(), reason_note="Переезд"),
        user=world.mentee,
    )
    program.refresh_from_db()
    assert program.status == Status.TERMINATED and program.notice_on is None


@pytest.mark.parametrize(
    ("finished_on", "message"),
    [
        (lambda p: p.start - timedelta(days=1), "раньше начала"),
        (lambda p: today() + timedelta(days=1), "в будущем"),
    ],
)
def test_the_completion_date_lies_within_the_program(world, program, finished_on, message):
    with pytest.raises(ValidationError) as error:
        program_complete(
            program=program,
            completion=done_in_full(finished_on=finished_on(program)),
            user=world.curator,
        )
    assert message in error.value.message_dict["finished_on"][0]


def test_a_completed_program_cannot_be_completed_again(world, program):
    program_complete(program=program, completion=done_in_full(), user=world.curator)
    with pytest.raises(ValidationError) as error:
        program_complete(program=program, completion=done_in_full(), user=world.curator)
    assert "нельзя завершить ещё раз" in refusal(error.value)
    assert ProgramChange.objects.filter(what__startswith="Программа завершена").count() == 1


def test_a_draft_cannot_be_completed(world):
    draft = active_program(world, status=Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        program_complete(program=draft, completion=done_in_full(), user=world.curator)
    assert "черновик" in refusal(error.value)


def test_completion_closes_a_pending_term_change(world, program):
    term = request_later(world, program, user=world.mentor)
    program_complete(program=program, completion=done_in_full(), user=world.curator)
    term.refresh_from_db()
    assert term.status == TermChange.Status.DECLINED


# --- Term changes: views --------------------------------------------------------------------


def term_url(program):
    return reverse("programs:term-change-create", args=[program.pk])


def test_the_mentor_proposes_a_new_term(world, program, as_user):
    client = as_user(world.mentor)
    assert client.get(term_url(program)).status_code == 200
    new_end = program.end + timedelta(days=30)
    response = client.post(term_url(program), {"new_end": new_end, "reason": "Больничный"})
    assert response.status_code == 302
    assert response["Location"] == program_url(program) + "#lifecycle"
    term = program.term_changes.get()
    assert term.new_end == new_end
    assert term.mentor_agreed_at is not None


def test_a_new_term_in_the_past_is_refused_next_to_the_field(world, program, as_user):
    response = as_user(world.curator).post(
        term_url(program), {"new_end": today() - timedelta(days=1), "reason": "х"}
    )
    assert response.status_code == 200
    assert "позже сегодняшнего дня" in response.context["form"].errors["new_end"][0]
    assert not program.term_changes.exists()


def test_the_form_says_when_a_change_already_waits(world, program, as_user):
    request_later(world, program)
    response = as_user(world.mentor).get(term_url(program))
    assert response.status_code == 200
    assert "уже ждёт согласия" in response.content.decode()


@pytest.mark.parametrize(("role", "status"), [("mentee", 403), ("head", 403), ("council", 403)])
def test_mentees_and_read_only_staff_cannot_propose_a_term(world, program, as_user, role, status):
    response = as_user(getattr(world, role)).post(
        term_url(program), {"new_end": program.end + timedelta(days=30), "reason": "х"}
    )
    assert response.status_code == status
    assert not program.term_changes.exists()


@pytest.mark.parametrize("role", ["teacher", "outsider"])
def test_outsiders_do_not_see_the_term_form(world, program, as_user, role):
    assert as_user(getattr(world, role)).get(term_url(program)).status_code == 404


def test_anonymous_is_sent_to_login(client, world, program):
    response = client.get(term_url(program))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_mentee_agrees_in_their_account_and_the_term_applies(world, program, as_user):
    term = request_later(world, program, user=world.mentor)
    term_change_curator_agree(term=term, user=world.curator)
    url = reverse("programs:term-change-agree", args=[term.pk])
    client = as_user(world.mentee)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.status == TermChange.Status.ORDERED
    assert "проект приказа о продлении" in [str(m) for m in get_messages(response.wsgi_request)][-1]
    sign_term_order(world, term)
    program.refresh_from_db()
    assert program.end == term.new_end


def test_the_curator_cannot_agree_for_the_members(world, program, as_user):
    term = request_later(world, program, user=world.mentor)
    response = as_user(world.curator).post(reverse("programs:term-change-agree", args=[term.pk]))
    assert response.status_code == 403
    term.refresh_from_db()
    assert term.status == TermChange.Status.PENDING


def test_agreeing_twice_says_so(world, program, as_user):
    term = request_later(world, program, user=world.mentor)
    response = as_user(world.mentor).post(
        reverse("programs:term-change-agree", args=[term.pk]), follow=True
    )
    assert "уже согласились" in response.content.decode()


def test_declining_needs_a_comment(world, program, as_user):
    term = request_later(world, program, user=world.mentor)
    url = reverse("programs:term-change-decline", args=[term.pk])
    client = as_user(world.mentee)
    response = client.post(url, {"comment": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    term.refresh_from_db()
    assert term.status == TermChange.Status.PENDING

    response = client.post(url, {"comment": "Не успеваю"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.status == TermChange.Status.DECLINED


@pytest.mark.parametrize(("role", "status"), [("curator", 403), ("teacher", 404)])
def test_only_members_decline(world, program, as_user, role, status):
    term = request_later(world, program, user=world.mentor)
    response = as_user(getattr(world, role)).post(
        reverse("programs:term-change-decline", args=[term.pk]), {"comment": "нет"}
    )
    assert response.status_code == status
    term.refresh_from_db()
    assert term.status == TermChange.Status.PENDING


# --- Completion: views ----------------------------------------------------------------------


def complete_url(program):
    return reverse("programs:program-complete", args=[program.pk])


def completion_data(**changes):
    data = {
        "reason": Reason.PLAN_DONE,
        "finished_on": today().isoformat(),
        "mentee_result": "Планирует НОД",
        "mentor_result": "Разработка",
    }
    data.update(changes)
    return data


def test_the_curator_completes_the_program(world, program, as_user):
    client = as_user(world.curator)
    response = client.get(complete_url(program))
    assert response.status_code == 200
    assert "351.8" in response.content.decode()
    response = client.post(complete_url(program), completion_data())
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == Status.COMPLETED


def test_open_events_are_named_when_plan_done_is_refused(world, program, as_user):
    make_event(program, title="Мастер-класс")
    response = as_user(world.curator).post(complete_url(program), completion_data())
    assert response.status_code == 200
    error = response.context["form"].errors["reason"][0]
    assert "Сначала отметьте выполнение или отмените: «Мастер-класс»" in error
    program.refresh_from_db()
    assert program.status == Status.ACTIVE


def test_the_mentor_ending_early_must_give_the_notice_date(world, program, as_user):
    client = as_user(world.mentor)
    data = completion_data(reason=Reason.MENTOR, reason_note="Переезд")
    response = client.post(complete_url(program), data)
    assert response.status_code == 200
    assert "три рабочих дня" in response.context["form"].errors["notice_on"][0]
    program.refresh_from_db()
    assert program.status == Status.ACTIVE

    notice_on = (today() - timedelta(days=10)).isoformat()
    response = client.post(complete_url(program), {**data, "notice_on": notice_on})
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == Status.TERMINATED


def test_the_mentor_is_offered_only_the_mentors_reasons(world, program, as_user):
    response = as_user(world.mentor).get(complete_url(program))
    offered = [value for value, _ in response.context["form"].fields["reason"].choices]
    assert offered == [Reason.MENTOR, Reason.MUTUAL]
    html = response.content.decode()
    assert "по инициативе куратора" not in html and "выполнен в полном объёме" not in html
    # A hand-made POST with another party's reason is refused next to the field.
    response = as_user(world.mentor).post(
        complete_url(program), completion_data(reason=Reason.CURATOR, reason_note="x")
    )
    assert response.status_code == 200
    assert "другой участник" in response.context["form"].errors["reason"][0]
    program.refresh_from_db()
    assert program.status == Status.ACTIVE


def test_the_mentee_ends_by_mutual_decision(world, program, as_user):
    client = as_user(world.mentee)
    response = client.get(complete_url(program))
    offered = [value for value, _ in response.context["form"].fields["reason"].choices]
    assert offered == [Reason.MENTEE, Reason.MUTUAL]
    response = client.post(
        complete_url(program), completion_data(reason=Reason.MUTUAL, reason_note="Договорились")
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.status, program.reason) == (Status.TERMINATED, Reason.MUTUAL)


@pytest.mark.parametrize(("role", "status"), [("council", 403), ("outsider", 404)])
def test_who_may_not_complete(world, program, as_user, role, status):
    response = as_user(getattr(world, role)).post(complete_url(program), completion_data())
    assert response.status_code == status
    program.refresh_from_db()
    assert program.status == Status.ACTIVE


def test_a_completed_program_is_read_only(world, program, as_user):
    program_complete(program=program, completion=done_in_full(), user=world.curator)
    response = as_user(world.curator).get(complete_url(program), follow=True)
    assert "только для чтения" in response.content.decode()


def test_completing_a_draft_is_refused_with_a_message(world, as_user):
    draft = active_program(world, status=Status.DRAFT)
    response = as_user(world.mentor).post(complete_url(draft), completion_data(), follow=True)
    assert "черновик" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


# --- The lifecycle part of the program page -------------------------------------------------


def render_lifecycle(world, program, user, member=None, is_curator=False):
    request = RequestFactory().get("/")
    request.user = user
    access = ProgramAccess(
        status=program.status,
        member=member,
        is_staff=is_curator,
        is_curator=is_curator,
    )
    return render_to_string(
        "programs/_lifecycle.html",
        {"program": program, "access": access, "term_changes": list(program.term_changes.all())},
        request=request,
    )


def membership(world, program, person):
    return GroupMember.objects.get(group=program.group, person=person)


def test_the_page_shows_who_agreed_and_asks_the_mentee(world, program):
    term = request_later(world, program, user=world.mentor)
    mentee = membership(world, program, world.mentee_person)
    html = render_lifecycle(world, program, world.mentee, member=mentee)
    assert f"до {term.new_end:%d.%m.%Y}" in html
    assert "согласна" in html and "ждём согласия" in html
    assert reverse("programs:term-change-agree", args=[term.pk]) in html
    assert reverse("programs:term-change-decline", args=[term.pk]) in html
    assert term_url(program) not in html  # the mentee proposes nothing


def test_the_curator_sees_buttons_but_no_agreement_to_give(world, program):
    html = render_lifecycle(world, program, world.curator, is_curator=True)
    assert term_url(program) in html and complete_url(program) in html
    term = request_later(world, program, user=world.mentor)
    html = render_lifecycle(world, program, world.curator, is_curator=True)
    assert reverse("programs:term-change-agree", args=[term.pk]) not in html
    assert term_url(program) not in html  # one change at a time


def test_a_completed_program_shows_reason_date_and_results(world, program):
    term = request_later(world, program, user=world.mentor)
    term_change_decline(term=term, user=world.mentee, comment="Не успею")
    program = program_complete(program=program, completion=done_in_full(), user=world.curator)
    program.refresh_from_db()
    html = render_lifecycle(world, program, world.curator, is_curator=True)
    assert "план мероприятий выполнен в полном объёме" in html
    assert f"{today():%d.%m.%Y}" in html
    assert "Самостоятельно планирует НОД" in html
    assert "Не успею" in html
    assert complete_url(program) not in html
