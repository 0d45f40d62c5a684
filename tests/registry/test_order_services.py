"""The head's orders as services: drafting, signing and its effects, the numbers, the
appendix of pairs and groups (п. 3.1, п. 3.2, п. 3.3, п. 6.2; ТК РФ ст. 351.8)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry.models import (
    Consent,
    GroupMember,
    MentoringForm,
    MentoringGroup,
    MentoringKind,
    Order,
    Role,
    RoleAssignment,
)
from registry.services.orders import (
    order_appendix,
    order_create_draft,
    order_document,
    order_filename,
    order_next_number,
    order_sign,
    order_update_draft,
    validate_order_number,
)
from tests.factories import give_consent, make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def draft(world, kind=Order.Kind.REGULATION, **changes) -> Order:
    fields = {
        "institution": world.institution,
        "user": world.curator,
        "kind": kind,
        "title": "",
        "basis": "В соответствии с Положением о системе наставничества",
        "items": ["Утвердить Положение о системе наставничества."],
        "control_clause": "Контроль за исполнением настоящего приказа оставляю за собой.",
        "appointees": [],
        "acquainted": [],
        "is_public": False,
    }
    fields.update(changes)
    return order_create_draft(**fields)


def signed(world, number="94/1", on=None, **changes) -> Order:
    return order_sign(
        order=draft(world, **changes), head=world.head, number=number, signed_on=on or TODAY()
    )


def refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Drafts ---------------------------------------------------------------------------------


def test_a_draft_takes_the_kinds_name_when_the_title_is_left_empty(world):
    order = draft(world)
    order.refresh_from_db()
    assert order.status == Order.Status.DRAFT
    assert order.title == "Об утверждении Положения о системе наставничества"
    assert order.items == ["Утвердить Положение о системе наставничества."]
    assert order.created_by == world.curator
    assert order.number == "" and order.date is None and order.year is None


def test_curator_order_without_items_names_the_appointee_with_position(world):
    order = draft(world, Order.Kind.CURATOR, items=[], appointees=[world.teacher_person])
    order.refresh_from_db()
    assert order.items[0] == (
        "Назначить куратором реализации программ наставничества педагогических работников "
        "Смирнову Ольгу Сергеевну (воспитатель)."
    )
    assert "п. 3.3" in order.items[1]
    # The appointee signs «ознакомлен(а)» too.
    assert list(order.acquainted.all()) == [world.teacher_person]


def test_council_order_without_items_lists_the_members_numbered(world):
    order = draft(
        world,
        Order.Kind.COUNCIL,
        items=[],
        appointees=[world.teacher_person, world.mentor_person],
        acquainted=[world.mentee_person],
    )
    assert order.items[0] == (
        "Утвердить состав методического совета наставников: "
        "1) Петрова Мария Ивановна, воспитатель; 2) Смирнова Ольга Сергеевна, воспитатель."
    )
    assert set(order.acquainted.all()) == {
        world.teacher_person,
        world.mentor_person,
        world.mentee_person,
    }


def test_items_written_by_the_drafter_are_kept(world):
    order = draft(
        world, Order.Kind.CURATOR, items=["Назначить куратором."], appointees=[world.mentor_person]
    )
    assert order.items == ["Назначить куратором."]


@pytest.mark.parametrize(
    ("kind", "appointees", "message"),
    [
        (Order.Kind.CURATOR, [], "укажите одного человека"),
        (Order.Kind.CURATOR, ["teacher_person", "mentor_person"], "укажите одного человека"),
        (Order.Kind.COUNCIL, [], "Укажите членов методического совета"),
        (Order.Kind.REWARD, ["teacher_person"], "Назначаемых указывают только"),
        (Order.Kind.CURATOR, ["other_person"], "из реестра вашего учреждения"),
    ],
)
def test_appointees_are_checked_and_nothing_is_written(world, kind, appointees, message):
    people = [getattr(world, name) for name in appointees]
    with pytest.raises(ValidationError) as error:
        draft(world, kind, items=[], appointees=people)
    assert message in " ".join(error.value.message_dict["appointees"])
    assert not Order.objects.exists()


def test_a_draft_without_items_of_a_plain_kind_is_refused(world):
    with pytest.raises(ValidationError) as error:
        draft(world, Order.Kind.REWARD, items=["  ", ""])
    assert error.value.message_dict["items"] == ["Впишите хотя бы один пункт «ПРИКАЗЫВАЮ»."]
    assert not Order.objects.exists()


def test_someone_of_another_institution_cannot_be_acquainted(world):
    with pytest.raises(ValidationError) as error:
        draft(world, acquainted=[world.other_person])
    assert "acquainted" in error.value.message_dict
    assert not Order.objects.exists()


@pytest.mark.parametrize("kind", [Order.Kind.GROUPS, Order.Kind.REPLACEMENT])
def test_orders_on_groups_are_not_drafted_by_hand(world, kind):
    with pytest.raises(ValidationError) as error:
        draft(world, kind)
    assert "при утверждении пары" in refusal(error.value)
    assert not Order.objects.exists()


def test_a_draft_is_changed_including_its_people(world):
    order = draft(world, acquainted=[world.mentor_person])
    order_update_draft(
        order=order,
        kind=Order.Kind.CURATOR,
        title="",
        items=[],
        appointees=[world.teacher_person],
        acquainted=[],
    )
    order.refresh_from_db()
    assert order.kind == Order.Kind.CURATOR
    assert order.title == "О назначении куратора"
    assert "Смирнову Ольгу Сергеевну" in order.items[0]
    assert list(order.appointees.all()) == [world.teacher_person]
    assert list(order.acquainted.all()) == [world.teacher_person]


def test_a_signed_order_cannot_be_changed(world):
    order = signed(world)
    with pytest.raises(ValidationError) as error:
        order_update_draft(order=order, title="Другой заголовок")
    assert "Подписанный приказ изменить нельзя" in refusal(error.value)
    order.refresh_from_db()
    assert order.title == "Об утверждении Положения о системе наставничества"


def test_a_draft_cannot_become_an_order_on_groups(world):
    order = draft(world)
    with pytest.raises(ValidationError):
        order_update_draft(order=order, kind=Order.Kind.GROUPS)
    order.refresh_from_db()
    assert order.kind == Order.Kind.REGULATION


# --- Signing --------------------------------------------------------------------------------


def test_signing_sets_number_date_year_and_signatory(world):
    order = signed(world, number=" 94/1 ", on=date(2026, 1, 12))
    order.refresh_from_db()
    assert order.is_signed
    assert (order.number, order.date, order.year) == ("94/1", date(2026, 1, 12), 2026)
    assert order.signed_by == world.head and order.signed_at is not None


def test_signing_the_curator_order_grants_the_curator_role(world):
    order = draft(world, Order.Kind.CURATOR, items=[], appointees=[world.teacher_person])
    assert not RoleAssignment.objects.filter(user=world.teacher, role=Role.CURATOR).exists()
    order_sign(order=order, head=world.head, number="12", signed_on=TODAY())
    assignment = RoleAssignment.objects.get(user=world.teacher, role=Role.CURATOR)
    assert assignment.assigned_by == world.head


def test_signing_the_council_order_grants_every_member_the_council_role(world):
    order = draft(
        world, Order.Kind.COUNCIL, items=[], appointees=[world.teacher_person, world.mentor_person]
    )
    order_sign(order=order, head=world.head, number="13", signed_on=TODAY())
    assert set(
        RoleAssignment.objects.filter(role=Role.COUNCIL).values_list("user__username", flat=True)
    ) == {"teacher", "mentor"}  # the new composition replaces the previous one (п. 3.4)
    assert (
        set(
            RoleAssignment.objects.filter(role=Role.COUNCIL, user__institution=world.institution)
            .exclude(order=order)
            .values_list("user__username", flat=True)
        )
        == set()
    )  # every member holds the role by this order


def test_an_appointee_without_an_account_stops_the_signature(world):
    person = make_person(world.institution, "Безлогина")
    order = draft(world, Order.Kind.CURATOR, items=[], appointees=[person])
    roles_before = RoleAssignment.objects.count()
    with pytest.raises(ValidationError) as error:
        order_sign(order=order, head=world.head, number="14", signed_on=TODAY())
    assert "нет учётной записи" in refusal(error.value)
    order.refresh_from_db()
    assert order.status == Order.Status.DRAFT and order.number == ""
    assert RoleAssignment.objects.count() == roles_before


def test_signing_twice_gives_one_signed_order(world):
    order = draft(world)
    order_sign(order=order, head=world.head, number="94", signed_on=TODAY())
    with pytest.raises(ValidationError) as error:
        order_sign(order=order, head=world.head, number="95", signed_on=TODAY())
    assert refusal(error.value).startswith("Приказ уже подписан: № 94")
    assert Order.objects.filter(status=Order.Status.SIGNED).count() == 1
    order.refresh_from_db()
    assert order.number == "94"


def test_a_number_is_used_once_a_year(world):
    signed(world, number="94/1", on=date(2025, 3, 2))
    with pytest.raises(ValidationError) as error:
        signed(world, number="94/1", on=date(2025, 11, 5))
    assert error.value.message_dict["number"] == ["Приказ № 94/1 в 2025 году уже есть."]
    assert Order.objects.filter(status=Order.Status.SIGNED).count() == 1
    # The same number in the next year is another order.
    again = signed(world, number="94/1", on=date(2026, 1, 9))
    assert again.year == 2026


def test_another_institution_may_use_the_same_number(world):
    signed(world, number="7")
    other = order_create_draft(
        institution=world.other_institution,
        user=world.outsider,
        kind=Order.Kind.REWARD,
        title="",
        basis="",
        items=["Поощрить наставников."],
        control_clause="Контроль оставляю за собой.",
        appointees=[],
        acquainted=[],
        is_public=False,
    )
    order_sign(order=other, head=world.outsider, number="7", signed_on=TODAY())
    assert Order.objects.filter(number="7", status=Order.Status.SIGNED).count() == 2


def test_a_future_date_is_refused(world):
    order = draft(world)
    with pytest.raises(ValidationError) as error:
        order_sign(order=order, head=world.head, number="1", signed_on=TODAY() + timedelta(days=1))
    assert error.value.message_dict["date"] == ["Дата приказа не может быть в будущем."]
    order.refresh_from_db()
    assert not order.is_signed


@pytest.mark.parametrize("number", ["", "abc", "94//1", "№ 94", "1234567", "94/1/2"])
def test_a_malformed_number_is_refused(world, number):
    order = draft(world)
    with pytest.raises(ValidationError) as error:
        order_sign(order=order, head=world.head, number=number, signed_on=TODAY())
    assert "Номер приказа — цифры" in error.value.message_dict["number"][0]
    order.refresh_from_db()
    assert not order.is_signed


@pytest.mark.parametrize("number", ["94", "94/1", "12-о", "5-к", " 9 4 "])
def test_numbers_in_the_institutions_formats_are_accepted(number):
    assert validate_order_number(number) == number.replace(" ", "")


def test_next_number_follows_the_largest_leading_number_of_the_year(world):
    assert order_next_number(institution=world.institution, year=2026) == "1"
    signed(world, number="94/1", on=date(2026, 1, 10))
    signed(world, number="95", on=date(2026, 1, 11))
    signed(world, number="120", on=date(2025, 12, 30))
    draft(world)  # a draft has no number yet
    assert order_next_number(institution=world.institution, year=2026) == "96"
    assert order_next_number(institution=world.institution, year=2025) == "121"
    assert order_next_number(institution=world.other_institution, year=2026) == "1"


# --- The printed order ----------------------------------------------------------------------


def test_filenames_are_ascii_and_name_the_number_and_date(world):
    order = draft(world)
    assert order_filename(order) == f"Проект приказа {order.pk}.pdf"
    order = order_sign(order=order, head=world.head, number="94/1", signed_on=date(2026, 1, 12))
    assert order_filename(order) == "Приказ № 94-1 от 12.01.2026.pdf"


def test_the_signature_names_the_head_from_the_institution_or_the_signatory(world):
    world.head.first_name, world.head.last_name = "Елена", "Сидорова"
    world.head.save()
    order = signed(world)
    assert order_document(order)["signer"] == "Сидорова Елена"
    world.institution.head_name = "Кузнецова Н. В."
    world.institution.save()
    order.refresh_from_db()
    assert order_document(order)["signer"] == "Кузнецова Н. В."


def make_group(world, mentor, mentees, *, joined_on, order=None) -> MentoringGroup:
    group = MentoringGroup.objects.create(
        institution=world.institution,
        status=MentoringGroup.Status.ACTIVE,
        form=MentoringForm.objects.get(name="педагог – педагог"),
        planned_start=date(2026, 1, 15),
        planned_end=date(2026, 10, 15),
        curator=world.curator,
        order=order,
    )
    group.kinds.set([MentoringKind.objects.get(name="традиционное («один-на-один»)")])
    GroupMember.objects.create(
        group=group, person=mentor, role=GroupMember.Role.MENTOR, joined_on=joined_on
    )
    for person in mentees:
        GroupMember.objects.create(
            group=group, person=person, role=GroupMember.Role.MENTEE, joined_on=joined_on
        )
    if order is not None:
        order.covered_groups.add(group)
    return group


def groups_order(world, on=date(2026, 1, 12)) -> Order:
    order = Order.objects.create(
        institution=world.institution,
        kind=Order.Kind.GROUPS,
        title=Order.Kind.GROUPS.label,
        items=["Закрепить наставнические пары (группы) согласно приложению."],
        created_by=world.head,
    )
    return order_sign(order=order, head=world.head, number="3", signed_on=on)


def test_the_appendix_lists_each_group_with_the_mentors_written_consent(world):
    curator_person = make_person(world.institution, "Кураторова", first_name="Вера")
    curator_person.user = world.curator
    curator_person.save()
    give_consent(world.mentor_person, Consent.Kind.MENTORING, on=date(2026, 1, 5))
    second_mentor = make_person(world.institution, "Без согласия", first_name="Нина")
    order = groups_order(world)
    make_group(world, world.mentor_person, [world.mentee_person], joined_on=order.date, order=order)
    make_group(world, second_mentor, [world.teacher_person], joined_on=order.date, order=order)
    rows = order_appendix(order)
    assert [r.mentors for r in rows] == [
        ["Петрова Мария Ивановна, воспитатель"],
        ["Без согласия Нина Сергеевна, воспитатель"],
    ]
    assert rows[0].mentees == ["Иванова Анна Сергеевна, воспитатель"]
    assert rows[0].form == "педагог – педагог"
    assert rows[0].kinds == "традиционное («один-на-один»)"
    assert rows[0].term == "15.01.2026 — 15.10.2026"
    assert rows[0].curator == "Кураторова Вера Сергеевна"
    assert rows[0].mentor_consents == ["согласие от 05.01.2026; доп. соглашение не указано"]
    assert rows[1].mentor_consents == ["согласия нет; доп. соглашение не указано"]


def test_the_appendix_shows_the_group_as_it_was_on_the_orders_date(world):
    order = groups_order(world)
    group = make_group(
        world, world.mentor_person, [world.mentee_person], joined_on=order.date, order=order
    )
    # A later replacement: the first mentor left, a new one joined.
    first = group.members.get(role=GroupMember.Role.MENTOR)
    first.left_on = date(2026, 3, 1)
    first.save()
    newcomer = make_person(world.institution, "Новикова", first_name="Ирина")
    GroupMember.objects.create(
        group=group,
        person=newcomer,
        role=GroupMember.Role.MENTOR,
        joined_on=date(2026, 3, 1),
        replaces=first,
    )
    [row] = order_appendix(order)
    assert row.mentors == ["Петрова Мария Ивановна, воспитатель"]


def test_the_appendix_runs_the_same_queries_for_one_and_many_groups(world):
    order = groups_order(world)
    make_group(world, world.mentor_person, [world.mentee_person], joined_on=order.date, order=order)
    with CaptureQueriesContext(connection) as one:
        order_appendix(order)
    for n in range(6):
        mentor = make_person(world.institution, f"Наставница{n}")
        mentee = make_person(world.institution, f"Молодая{n}")
        make_group(world, mentor, [mentee], joined_on=order.date, order=order)
    with CaptureQueriesContext(connection) as many:
        assert len(order_appendix(order)) == 7
    # groups, forms, kinds, members, consents, agreements
    assert len(many.captured_queries) == len(one.captured_queries) == 6


def test_an_order_without_groups_has_no_appendix(world):
    assert order_appendix(signed(world)) == []


def test_the_user_who_signs_may_have_no_person(world):
    order = signed(world)
    assert order_document(order)["signer"] == "head"


def test_signing_a_curator_relief_takes_the_role_away(world):
    """п. 3.2, 3.3: the curator is appointed and relieved by the head's orders."""
    appoint = draft(world, Order.Kind.CURATOR, items=[], appointees=[world.teacher_person])
    order_sign(order=appoint, head=world.head, number="21", signed_on=TODAY())
    assert RoleAssignment.objects.get(user=world.teacher, role=Role.CURATOR).order == appoint
    relief = draft(world, Order.Kind.CURATOR_RELIEF, items=[], appointees=[world.teacher_person])
    assert "Освободить от обязанностей куратора" in relief.items[0]
    order_sign(order=relief, head=world.head, number="22", signed_on=TODAY())
    assert not RoleAssignment.objects.filter(user=world.teacher, role=Role.CURATOR).exists()


def test_relieving_someone_who_is_not_a_curator_is_refused(world):
    relief = draft(world, Order.Kind.CURATOR_RELIEF, items=[], appointees=[world.mentor_person])
    with pytest.raises(ValidationError, match="не является куратором"):
        order_sign(order=relief, head=world.head, number="23", signed_on=TODAY())
    relief.refresh_from_db()
    assert not relief.is_signed
