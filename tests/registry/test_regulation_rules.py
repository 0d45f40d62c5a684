"""Rules of the regulation that docs/regulation-coverage.md cites, each asserted itself
(issue 18, item 11): the curator may come from a partner organization (п. 1.2); release from
duties is the head's signed order (п. 1.4); the kinds of mentoring combine (п. 2.4); mentor
training is recorded and filtered (п. 3.3, п. 4.2); a mentee without a pair stays in sight
until a pair is approved (Приложение 2, этап 5.3)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from registry.forms.people import MentorProfileForm
from registry.models import MenteeProfile, MentoringKind, Order, Role, RoleAssignment
from registry.services.orders import order_create_draft, order_sign
from tests.factories import make_mentor, make_person, make_user
from tests.registry.test_group_services import active_group, propose

pytestmark = pytest.mark.django_db


def draft(world, kind, **changes) -> Order:
    fields = {
        "institution": world.institution,
        "user": world.curator,
        "kind": kind,
        "title": "",
        "basis": "",
        "items": [],
        "control_clause": "Контроль за исполнением настоящего приказа оставляю за собой.",
        "appointees": [],
        "acquainted": [],
        "is_public": False,
    }
    fields.update(changes)
    return order_create_draft(**fields)


# п. 1.2 «куратор»: a staff member of the institution or of a partner organization --------


def test_a_partners_staff_member_becomes_curator_by_the_heads_order(world):
    lecturer = make_person(world.institution, "Преподавателева", organization=world.partner)
    login = make_user(world.institution, "lecturer", person=lecturer)
    assert not RoleAssignment.objects.filter(user=login, role=Role.CURATOR).exists()

    order = draft(world, Order.Kind.CURATOR, appointees=[lecturer])
    order_sign(order=order, head=world.head, number="7", signed_on=timezone.localdate())

    assert RoleAssignment.objects.filter(user=login, role=Role.CURATOR).exists()


def test_a_curator_from_another_institution_is_refused(world):
    stranger = make_person(world.other_institution, "Чужакова")
    with pytest.raises(ValidationError) as error:
        draft(world, Order.Kind.CURATOR, appointees=[stranger])
    assert error.value.message_dict["appointees"] == [
        "Можно указать только участников из реестра вашего учреждения."
    ]


# п. 1.4: release from duties only by the head's order ------------------------------------


def test_release_from_duties_is_drafted_by_the_curator_and_signed_only_by_the_head(world, as_user):
    order = draft(
        world,
        Order.Kind.RELEASE,
        items=[
            "Освободить Петрову Марию Ивановну от должностных обязанностей 12.03.2027 с 14:00 "
            "до 16:00 для участия в открытом занятии; замену обеспечить воспитателем "
            "Смирновой Ольгой Сергеевной."
        ],
    )
    sign_url = reverse("registry:order-sign", args=[order.pk])
    data = {"number": "31", "date": timezone.localdate().isoformat()}

    assert as_user(world.curator).post(sign_url, data).status_code == 403
    order.refresh_from_db()
    assert not order.is_signed

    as_user(world.head).post(sign_url, data)
    order.refresh_from_db()
    assert order.is_signed and order.signed_by == world.head
    assert "(п. 1.4)" in order.basis


# п. 2.4: the kinds of mentoring, used alone or together ----------------------------------


def test_the_regulations_kinds_are_seeded_and_a_pair_combines_several(world):
    names = set(MentoringKind.objects.values_list("name", flat=True))
    assert {
        "виртуальное (дистанционное)",
        "в группе",
        "краткосрочное (целеполагающее)",
        "реверсивное",
        "ситуационное",
        "скоростное",
        "традиционное («один-на-один»)",
    } <= names
    kinds = list(
        MentoringKind.objects.filter(
            name__in=["виртуальное (дистанционное)", "традиционное («один-на-один»)"]
        )
    )

    group = propose(world, kinds=kinds)

    group.refresh_from_db()
    assert set(group.kinds.all()) == set(kinds)


# п. 3.3, п. 4.2: the mentors' training is recorded and found ------------------------------


def test_mentor_training_is_recorded_and_the_list_filters_by_it(world, as_user):
    trained = make_person(world.institution, "Обученная")
    profile = make_mentor(trained)
    profile.training_completed_on = timezone.localdate() - timedelta(days=30)
    profile.training_note = "КПК «Наставничество в ДОО», 36 ч."
    profile.save()
    url = reverse("registry:mentor-list")

    shown = as_user(world.curator).get(url, {"trained": "yes"}).content.decode()
    assert "Обученная" in shown and "Петрова" not in shown
    shown = as_user(world.curator).get(url, {"trained": "no"}).content.decode()
    assert "Петрова" in shown and "Обученная" not in shown


def test_a_training_date_in_the_future_is_refused(world):
    profile = world.mentor_person.mentor_profile
    form = MentorProfileForm(
        data={"training_completed_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
        instance=profile,
    )
    assert not form.is_valid()
    assert form.errors["training_completed_on"] == ["Дата не может быть в будущем."]


# Приложение 2, этап 5.3: support of the mentees without a pair; the search goes on ----------


def test_a_mentee_without_a_pair_is_counted_listed_and_leaves_once_paired(world, as_user):
    profile = world.mentee_person.mentee_profile
    profile.status = MenteeProfile.Status.WITHOUT_PAIR
    profile.support_note = "Консультации педагога-психолога, посещение занятий коллег."
    profile.save()

    home = as_user(world.curator).get(reverse("role-home", args=["curator"]))
    counters = {c.label: c.value for c in home.context["counters"]}
    assert counters["наставляемый без пары"] == 1
    listed = as_user(world.curator).get(reverse("registry:mentee-list"), {"status": "without_pair"})
    assert "Иванова" in listed.content.decode()

    active_group(world)

    profile.refresh_from_db()
    assert profile.status == MenteeProfile.Status.IN_PAIR
    assert profile.support_note  # the support given stays on record
    home = as_user(world.curator).get(reverse("role-home", args=["curator"]))
    counters = {c.label: c.value for c in home.context["counters"]}
    assert not any(label.endswith("без пары") and value for label, value in counters.items())
    listed = as_user(world.curator).get(reverse("registry:mentee-list"), {"status": "without_pair"})
    assert "Иванова" not in listed.content.decode()
