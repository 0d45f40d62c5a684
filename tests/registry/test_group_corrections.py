"""Groups per п. 2.3 and 2.4: several forms used together, forms and kinds checked against
the number of mentees, and «Исправить» while the group is proposed, agreed or returned —
with history, consent asked again when participants or the term change, and a version
check against two editors at once."""

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring_site.lib.versions import StaleVersion
from registry.models import (
    GroupEvent,
    GroupMember,
    GroupSize,
    MentoringForm,
    MentoringGroup,
    MentoringKind,
    Notification,
)
from registry.services.groups import (
    correction_version,
    group_correct,
    group_return,
)
from tests.registry.test_group_services import (
    FORM,
    KIND,
    active_group,
    add_mentee,
    confirm_all,
    make_proposal,
    propose,
    submitted_group,
)

pytestmark = pytest.mark.django_db

Status = MentoringGroup.Status
Response = GroupMember.Response
GROUP_KIND = "в группе"
OTHER_FORM = "руководитель образовательной организации – педагог"


def kind(name):
    return MentoringKind.objects.get(name=name)


def form(name):
    return MentoringForm.objects.get(name=name)


def correct(world, group, user=None, version="current", **changes):
    """group_correct with the group's current proposal changed by ``changes``."""
    group.refresh_from_db()
    members = group.active_members
    base = make_proposal(
        world,
        mentors=[m.person for m in members if m.is_mentor],
        mentees=[m.person for m in members if not m.is_mentor],
        form=group.form,
        kinds=list(group.kinds.all()),
        directions=list(group.directions.all()),
        planned_start=group.planned_start,
        planned_end=group.planned_end,
        rationale=group.rationale,
        extra_forms=list(group.extra_forms.all()),
    )
    return group_correct(
        group=group,
        proposal=replace(base, **changes),
        user=user or world.curator,
        version=correction_version(group) if version == "current" else version,
        why="Уточнили по просьбе наставника",
    )


# --- Several forms (п. 2.3) -----------------------------------------------------------------


def test_forms_used_together_are_kept_and_shown_as_one_line(world):
    group = propose(world, extra_forms=[form(OTHER_FORM)])
    assert [f.name for f in group.all_forms] == [FORM, OTHER_FORM]
    assert group.forms_display == f"{FORM}; {OTHER_FORM}"
    assert group.form.name == FORM  # the main form counts «по формам» as before


def test_the_main_form_is_not_repeated_among_the_extra_ones(world):
    with pytest.raises(ValidationError) as error:
        propose(world, extra_forms=[form(FORM)])
    assert "не отмечайте её среди дополнительных" in " ".join(error.value.messages)


def test_every_form_shows_on_the_group_page_the_program_and_the_order(world, as_user):
    group = active_group(world, extra_forms=[form(OTHER_FORM)])
    html = as_user(world.curator).get(reverse("registry:group-detail", args=[group.pk]))
    assert f"{FORM}; {OTHER_FORM}" in html.content.decode()
    from registry.services.orders import order_appendix

    (row,) = order_appendix(group.order)
    assert row.form == f"{FORM}; {OTHER_FORM}"


# --- Size (п. 2.4) --------------------------------------------------------------------------


def test_one_on_one_needs_exactly_one_mentee(world):
    second = add_mentee(world, "Кузнецова")
    with pytest.raises(ValidationError) as error:
        propose(world, mentees=[world.mentee_person, second], kinds=[kind(KIND)])
    message = " ".join(error.value.messages)
    assert f"Вид наставничества «{KIND}» — для одного наставляемого, а выбрано 2" in message
    assert not MentoringGroup.objects.exists()


def test_in_a_group_needs_two_mentees_or_more(world):
    with pytest.raises(ValidationError) as error:
        propose(world, kinds=[kind(GROUP_KIND)])
    assert "для группы из двух и более наставляемых, а выбран один" in " ".join(
        error.value.messages
    )
    second = add_mentee(world, "Кузнецова")
    group = propose(world, mentees=[world.mentee_person, second], kinds=[kind(GROUP_KIND)])
    assert len(group.active_mentees) == 2


def test_the_rule_follows_the_reference_row_not_its_name(world):
    """A region renames «в группе»: the row keeps its rule. A form may carry one too."""
    renamed = kind(GROUP_KIND)
    renamed.name = "групповое наставничество"
    renamed.save()
    with pytest.raises(ValidationError):
        propose(world, kinds=[renamed])
    individual = form(OTHER_FORM)
    individual.group_size = GroupSize.SINGLE
    individual.save()
    second = add_mentee(world, "Кузнецова")
    with pytest.raises(ValidationError) as error:
        propose(world, mentees=[world.mentee_person, second], form=individual, kinds=[renamed])
    assert f"Форма наставничества «{OTHER_FORM}» — для одного наставляемого" in " ".join(
        error.value.messages
    )


def test_the_form_page_refuses_a_wrong_size_next_to_the_form(world, as_user):
    from tests.registry.test_groups import proposal_data

    second = add_mentee(world, "Кузнецова")
    data = proposal_data(world, mentees=[world.mentee_person.pk, second.pk], kinds=[kind(KIND).pk])
    response = as_user(world.curator).post(reverse("registry:group-create"), data)
    assert response.status_code == 200
    assert "для одного наставляемого, а выбрано 2" in response.content.decode()
    assert not MentoringGroup.objects.exists()


# --- Corrections: services ------------------------------------------------------------------


def test_correcting_the_forms_and_kinds_writes_history_and_keeps_the_answers(world):
    group = confirm_all(propose(world))
    assert group.status == Status.CONFIRMED
    group = correct(world, group, form=form(OTHER_FORM), extra_forms=[form(FORM)])
    group.refresh_from_db()
    assert group.form.name == OTHER_FORM
    assert [f.name for f in group.extra_forms.all()] == [FORM]
    event = GroupEvent.objects.filter(group=group).last()
    assert event.text.startswith("Исправлено: формы:")
    assert f"{FORM} → {OTHER_FORM}, {FORM}" in event.text
    assert event.comment == "Уточнили по просьбе наставника"
    assert event.actor == world.curator
    # Neither the participants nor the term changed: their consent stands.
    assert group.status == Status.CONFIRMED
    assert not group.members.filter(left_on__isnull=True, response=Response.PENDING).exists()


def test_changing_the_term_asks_every_participant_again(world):
    group = confirm_all(propose(world))
    new_end = group.planned_end.replace(day=1)
    group = correct(world, group, planned_end=new_end)
    group.refresh_from_db()
    assert group.status == Status.PROPOSED
    assert group.planned_end == new_end
    answers = set(group.members.filter(left_on__isnull=True).values_list("response", flat=True))
    assert answers == {Response.PENDING}
    assert "срок:" in GroupEvent.objects.filter(group=group).last().text
    assert Notification.objects.filter(
        user=world.mentee, text__contains="подтвердите согласие ещё раз"
    ).exists()


def test_changing_participants_adds_removes_and_asks_again(world):
    second = add_mentee(world, "Кузнецова")
    group = confirm_all(
        propose(world, mentees=[world.mentee_person, second], kinds=[kind(GROUP_KIND)])
    )
    third = add_mentee(world, "Белова")
    group = correct(world, group, mentees=[world.mentee_person, third])
    group.refresh_from_db()
    current = {m.person for m in group.active_members}
    assert current == {world.mentor_person, world.mentee_person, third}
    assert group.members.get(person=second).left_on is not None
    assert group.status == Status.PROPOSED
    assert {m.response for m in group.active_members} == {Response.PENDING}
    assert "участники:" in GroupEvent.objects.filter(group=group).last().text


def test_a_correction_to_one_mentee_under_in_a_group_is_refused(world):
    second = add_mentee(world, "Кузнецова")
    group = propose(world, mentees=[world.mentee_person, second], kinds=[kind(GROUP_KIND)])
    with pytest.raises(ValidationError) as error:
        correct(world, group, mentees=[world.mentee_person])
    assert "для группы из двух и более" in " ".join(error.value.messages)
    assert len(group.active_mentees) == 2


def test_a_returned_group_can_be_corrected(world):
    group = submitted_group(world)
    group_return(group=group, head=world.head, comment="Уточните форму")
    group = correct(world, group, form=form(OTHER_FORM))
    group.refresh_from_db()
    assert group.form.name == OTHER_FORM
    assert group.status == Status.RETURNED  # the answers stand: the curator may resend


@pytest.mark.parametrize("stage", ["submitted", "active"])
def test_a_group_with_the_head_or_approved_cannot_be_corrected(world, stage):
    group = submitted_group(world) if stage == "submitted" else active_group(world)
    with pytest.raises(ValidationError) as error:
        correct(world, group, form=form(OTHER_FORM))
    assert "Исправить можно" in " ".join(error.value.messages)
    group.refresh_from_db()
    assert group.form.name == FORM


def test_nothing_changed_is_refused(world):
    group = propose(world)
    with pytest.raises(ValidationError) as error:
        correct(world, group)
    assert "Ничего не изменилось" in " ".join(error.value.messages)


def test_two_editors_the_second_is_refused(world):
    group = propose(world)
    seen = correction_version(group)
    correct(world, group, form=form(OTHER_FORM), version=seen)
    with pytest.raises(StaleVersion):
        correct(world, group, rationale="Другое обоснование", version=seen)
    group.refresh_from_db()
    assert group.form.name == OTHER_FORM
    assert group.rationale != "Другое обоснование"


# --- Corrections: views ---------------------------------------------------------------------


def correct_url(group):
    return reverse("registry:group-correct", args=[group.pk])


def correction_data(response, **changes):
    """The correction page's own initial values, as a browser would post them back."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    data.update(changes)
    return data


def test_the_curator_corrects_on_the_page(world, as_user):
    group = propose(world)
    client = as_user(world.curator)
    page = client.get(reverse("registry:group-detail", args=[group.pk]))
    assert correct_url(group) in page.content.decode()
    response = client.get(correct_url(group))
    assert response.status_code == 200
    assert "<h1>Исправить: Пара:" in response.content.decode()
    data = correction_data(response, form=str(form(OTHER_FORM).pk), why="Форма уточнена")
    response = client.post(correct_url(group), data)
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.form.name == OTHER_FORM


def test_two_curators_at_once_the_second_keeps_her_input_and_is_told(world, as_user):
    group = propose(world)
    first, second = as_user(world.curator), as_user(world.council)
    data_first = correction_data(first.get(correct_url(group)), form=str(form(OTHER_FORM).pk))
    data_second = correction_data(
        second.get(correct_url(group)), rationale="Совет уточнил обоснование"
    )
    assert first.post(correct_url(group), data_first).status_code == 302
    response = second.post(correct_url(group), data_second)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Запись изменил другой пользователь" in html
    assert "Совет уточнил обоснование" in html  # the typed input is kept
    group.refresh_from_db()
    assert group.form.name == OTHER_FORM and group.rationale != "Совет уточнил обоснование"
    # The second save, made knowingly, goes through.
    again = response.context["form"].data.copy()
    response = second.post(correct_url(group), again)
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.rationale == "Совет уточнил обоснование"


@pytest.mark.parametrize(
    ("role", "status"),
    [("mentor", 403), ("mentee", 403), ("head", 403), ("outsider", 404)],
)
def test_who_may_not_correct(world, as_user, role, status):
    group = propose(world)
    response = as_user(getattr(world, role)).get(correct_url(group))
    assert response.status_code == status


def test_the_page_of_a_submitted_group_sends_back_with_a_message(world, as_user):
    group = submitted_group(world)
    response = as_user(world.curator).get(correct_url(group), follow=True)
    assert "пока её не направили заведующему" in response.content.decode()
    assert correct_url(group) not in response.content.decode()


def test_an_answer_on_paper_is_kept_but_asked_again_after_a_new_term(world):
    from registry.models import PaperDecision
    from tests.registry.test_paper_decisions import mentee_of, paper_pair, record

    group = paper_pair(world)
    person = mentee_of(group)
    first = record(world, group, person)
    group = correct(world, group, planned_end=group.planned_end.replace(day=1))
    first.refresh_from_db()
    assert first.superseded_on is not None  # kept, no longer in force
    assert group.members.get(person=person).response == Response.PENDING
    second = record(world, group, person)
    assert second.superseded_on is None
    assert PaperDecision.objects.filter(group=group, person=person).count() == 2
