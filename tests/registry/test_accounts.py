"""Users and roles, the institution's settings and partners (DOMAIN.md §2; п. 3.2, п. 3.3)."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import Organization, Person, Role, RoleAssignment, User
from tests.factories import make_person, make_user
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

# Roles of our institution without business here; the outsider (head and sysadmin of another
# kindergarten) is tested against our objects separately.
NO_BUSINESS = ["curator", "council", "mentor", "mentee", "teacher"]
NOT_ALLOWED = [*NO_BUSINESS, "outsider"]


def roles_of(user):
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


# User list ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["head", "sysadmin"])
def test_head_and_sysadmin_see_users_of_own_institution(world, as_user, who):
    response = as_user(world.user(who)).get(reverse("registry:user-list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Петрова М. И." in text  # the mentor's account, named after the person
    assert "Заведующий" in text and "Куратор" in text
    assert "outsider" not in text
    assert "Сотрудники без учётной записи" in text


def test_user_list_shows_people_without_account_with_create_link_for_sysadmin(world, as_user):
    lonely = make_person(world.institution, "Безлогина")
    # Issue 16: the people without a login are the second list of «Пользователи».
    response = as_user(world.sysadmin).get(reverse("registry:login-people"))
    text = response.content.decode()
    assert "Безлогина А. С." in text
    assert reverse("registry:user-create", args=[lonely.pk]) in text
    assert "Чужая" not in text


def test_head_sees_people_without_account_but_no_create_link(world, as_user):
    lonely = make_person(world.institution, "Безлогина")
    response = as_user(world.head).get(reverse("registry:login-people"))
    text = response.content.decode()
    assert "Безлогина А. С." in text
    assert reverse("registry:user-create", args=[lonely.pk]) not in text


def test_user_list_shows_last_login_and_inactive_state(world, as_user):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    world.curator.last_login = datetime(2026, 11, 24, 14, 5, tzinfo=ZoneInfo("Europe/Moscow"))
    world.curator.save()
    world.council.is_active = False
    world.council.save()
    text = as_user(world.head).get(reverse("registry:user-list")).content.decode()
    assert "24.11.2026 14:05" in text
    assert "отключена" in text


def test_outsider_sees_only_own_institutions_users(world, as_user):
    client = as_user(world.outsider)
    text = client.get(reverse("registry:user-list")).content.decode()
    assert "outsider" in text
    assert "Петрова М. И." not in text
    assert "Смирнова" not in text
    # Their own person without an account, on the second list (issue 16).
    assert "Чужая А. С." in client.get(reverse("registry:login-people")).content.decode()


# Issue 16: the curator creates logins from «Пользователи» (tests/registry/test_bulk_logins.py).
@pytest.mark.parametrize("who", [role for role in NO_BUSINESS if role != "curator"])
def test_user_list_is_hidden_from_other_roles(world, as_user, who):
    assert as_user(world.user(who)).get(reverse("registry:user-list")).status_code == 404


def test_anonymous_is_sent_to_login_from_user_list(client):
    response = client.get(reverse("registry:user-list"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def _count_user_list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("registry:user-list"))
    assert response.status_code == 200
    return len(queries)


def test_user_list_query_count_does_not_grow_with_users(world, as_user):
    client = as_user(world.sysadmin)
    _count_user_list_queries(client)  # the first request after login also writes the session

    def add_users(n):
        for _ in range(n):
            person = make_person(world.institution)
            make_user(world.institution, f"u{person.pk}", Role.COUNCIL, person=person)
            make_person(world.institution)  # and one without an account

    add_users(5)
    small = _count_user_list_queries(client)
    add_users(45)
    large = _count_user_list_queries(client)
    assert large == small + 1  # only the longer list asks its COUNT(*): lib/pages.py::first_page


# Creating an account ------------------------------------------------------------------


def create_data(**overrides):
    data = {"username": "novikova.e", "email": "novikova@example.org", "roles": [Role.SYSADMIN]}
    data.update(overrides)
    return data


def test_sysadmin_creates_account_and_mail_link_sets_password(
    world, as_user, django_capture_on_commit_callbacks
):
    person = make_person(world.institution, "Новикова", email="novikova@example.org")
    url = reverse("registry:user-create", args=[person.pk])
    admin_client = as_user(world.sysadmin)
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'value="novikova@example.org"' in page.content.decode()  # prefilled from the person

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, create_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("registry:user-list")
    assert (
        "Учётная запись создана, письмо для установки пароля отправлено на novikova@example.org"
        in response.content.decode()
    )
    person.refresh_from_db()
    user = person.user
    assert user.username == "novikova.e"
    assert user.institution == world.institution
    assert (user.last_name, user.first_name) == ("Новикова", "Анна Сергеевна")
    assert not user.has_usable_password()
    assert roles_of(user) == {Role.SYSADMIN}
    assert RoleAssignment.objects.get(user=user).assigned_by == world.sysadmin

    run_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["novikova@example.org"]
    assert "novikova.e" in message.body
    link = re.search(r"http://testserver(/password/reset/\S+/\S+/)", message.body).group(1)

    admin_client.logout()
    step = admin_client.get(link)
    assert step.status_code == 302 and step.url.endswith("/set-password/")
    form_page = admin_client.get(step.url)
    assert form_page.status_code == 200
    new_password = "Зелёный-трамвай-1987"
    done = admin_client.post(
        step.url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_account_can_be_created_without_roles(world, as_user, django_capture_on_commit_callbacks):
    person = make_person(world.institution, "Новикова")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world.sysadmin).post(
            reverse("registry:user-create", args=[person.pk]),
            create_data(roles=[], email="n@example.org"),
        )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user is not None and roles_of(person.user) == set()
    run_tasks()
    assert mail.outbox[0].to == ["n@example.org"]


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"username": "новикова"}, "username", "только латинские буквы"),
        ({"username": "no spaces"}, "username", "только латинские буквы"),
        ({"username": "Curator"}, "username", "Такой логин уже занят"),
        ({"email": ""}, "email", "Укажите e-mail"),
        ({"email": "not-an-email"}, "email", "Введите правильный адрес электронной почты"),
    ],
)
def test_account_form_refuses_bad_input_in_russian(
    world, as_user, overrides, field, error, django_capture_on_commit_callbacks
):
    person = make_person(world.institution, "Новикова")
    users_before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world.sysadmin).post(
            reverse("registry:user-create", args=[person.pk]), create_data(**overrides)
        )
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors[field])
    assert error in response.content.decode()
    person.refresh_from_db()
    assert person.user is None
    assert User.objects.count() == users_before
    run_tasks()
    assert mail.outbox == []


def test_person_with_account_is_refused_clearly(world, as_user):
    response = as_user(world.sysadmin).post(
        reverse("registry:user-create", args=[world.teacher_person.pk]),
        create_data(),
        follow=True,
    )
    assert "уже есть учётная запись" in response.content.decode()
    world.teacher_person.refresh_from_db()
    assert world.teacher_person.user == world.teacher
    assert not User.objects.filter(username="novikova.e").exists()


def test_head_may_not_create_accounts(world, as_user):
    person = make_person(world.institution, "Новикова")
    url = reverse("registry:user-create", args=[person.pk])
    assert as_user(world.head).get(url).status_code == 403
    assert as_user(world.head).post(url, create_data()).status_code == 403
    person.refresh_from_db()
    assert person.user is None


@pytest.mark.parametrize("who", NOT_ALLOWED)
def test_other_roles_do_not_see_account_creation(world, as_user, who):
    person = make_person(world.institution, "Новикова")
    url = reverse("registry:user-create", args=[person.pk])
    assert as_user(world.user(who)).post(url, create_data()).status_code == 404
    person.refresh_from_db()
    assert person.user is None


def test_sysadmin_cannot_create_account_for_another_institutions_person(world, as_user):
    url = reverse("registry:user-create", args=[world.other_person.pk])
    assert as_user(world.sysadmin).post(url, create_data()).status_code == 404
    world.other_person.refresh_from_db()
    assert world.other_person.user is None


def test_anonymous_is_sent_to_login_from_account_creation(world, client):
    person = make_person(world.institution, "Новикова")
    response = client.get(reverse("registry:user-create", args=[person.pk]))
    assert response.status_code == 302 and reverse("login") in response.url


# Roles: technical ones only; the others come from orders (п. 3.2–3.4) ---------------------


@pytest.mark.parametrize("who", ["head", "sysadmin"])
def test_roles_page_offers_only_the_technical_roles(world, as_user, who):
    url = reverse("registry:user-roles", args=[world.teacher.pk])
    client = as_user(world.user(who))
    page = client.get(url)
    assert page.status_code == 200
    choices = [value for value, _ in page.context["form"].fields["roles"].widget.choices]
    assert choices == [Role.SYSADMIN]
    html = page.content.decode()
    for role in (Role.HEAD, Role.CURATOR, Role.COUNCIL):
        assert f'value="{role.value}"' not in html
    response = client.post(url, {"roles": [Role.SYSADMIN]}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("registry:user-list")
    assert "Роли пользователя «Смирнова О. С.» сохранены" in response.content.decode()
    assert roles_of(world.teacher) == {Role.SYSADMIN}
    assert RoleAssignment.objects.get(user=world.teacher).assigned_by == world.user(who)


@pytest.mark.parametrize(
    ("role", "says"),
    [
        (Role.CURATOR, "«О назначении куратора»"),
        (Role.COUNCIL, "«О составе методического совета наставников»"),
        (Role.HEAD, "приказ учредителя"),
    ],
)
def test_a_forged_post_of_a_role_given_by_order_is_refused(world, as_user, role, says):
    response = as_user(world.sysadmin).post(
        reverse("registry:user-roles", args=[world.teacher.pk]), {"roles": [role]}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["roles"])
    assert f"Роль «{role.label}» не назначается отметкой" in errors and says in errors
    assert roles_of(world.teacher) == set()


def test_the_service_refuses_a_role_given_by_order(world):
    from django.core.exceptions import ValidationError

    from registry.services.accounts import user_set_roles

    with pytest.raises(ValidationError, match="не назначается отметкой"):
        user_set_roles(user=world.teacher, roles=[Role.CURATOR], by=world.sysadmin)
    assert roles_of(world.teacher) == set()


def test_saving_technical_roles_keeps_the_roles_given_by_orders(world, as_user):
    url = reverse("registry:user-roles", args=[world.curator.pk])
    assert as_user(world.sysadmin).post(url, {"roles": [Role.SYSADMIN]}).status_code == 302
    assert roles_of(world.curator) == {Role.CURATOR, Role.SYSADMIN}
    assert as_user(world.sysadmin).post(url, {}).status_code == 302
    assert roles_of(world.curator) == {Role.CURATOR}


def test_roles_page_shows_the_order_each_role_rests_on(world, as_user):
    page = as_user(world.sysadmin).get(reverse("registry:user-roles", args=[world.curator.pk]))
    text = page.content.decode()
    assert "Роли по приказам" in text and "без приказа" in text  # the world's curator is legacy
    assert reverse("registry:user-head", args=[world.curator.pk]) in text


def test_sysadmin_cannot_drop_own_role_when_alone(world, as_user):
    response = as_user(world.sysadmin).post(
        reverse("registry:user-roles", args=[world.sysadmin.pk]), {"roles": []}
    )
    assert response.status_code == 200
    assert "Нельзя снять с себя роль «Системный администратор»" in response.content.decode()
    assert roles_of(world.sysadmin) == {Role.SYSADMIN}


def test_sysadmin_may_drop_own_role_when_another_sysadmin_exists(world, as_user):
    make_user(world.institution, "sysadmin2", Role.SYSADMIN)
    response = as_user(world.sysadmin).post(
        reverse("registry:user-roles", args=[world.sysadmin.pk]), {"roles": []}
    )
    assert response.status_code == 302
    assert roles_of(world.sysadmin) == set()


def test_unknown_role_is_refused(world, as_user):
    response = as_user(world.head).post(
        reverse("registry:user-roles", args=[world.teacher.pk]), {"roles": ["mentor"]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["roles"]
    assert roles_of(world.teacher) == set()


# The head, by the founder's order -----------------------------------------------------------

FOUNDER = {
    "appoint-issuer": "Администрация Невского района Санкт-Петербурга",
    "appoint-number": "123-к",
    "appoint-order_date": "2026-08-25",
}


def test_sysadmin_appoints_the_head_by_the_founders_order(world, as_user):
    url = reverse("registry:user-head", args=[world.teacher.pk])
    client = as_user(world.sysadmin)
    assert client.get(url).status_code == 200
    response = client.post(url, FOUNDER, follow=True)
    assert "заведующий по приказу учредителя № 123-к от 25.08.2026" in response.content.decode()
    assignment = RoleAssignment.objects.get(user=world.teacher, role=Role.HEAD)
    assert assignment.founder_issuer == FOUNDER["appoint-issuer"]
    assert (assignment.founder_order_number, str(assignment.founder_order_date)) == (
        "123-к",
        "2026-08-25",
    )
    assert assignment.has_basis


@pytest.mark.parametrize("missing", ["appoint-issuer", "appoint-number", "appoint-order_date"])
def test_the_head_is_not_appointed_without_the_founders_order_details(world, as_user, missing):
    data = {**FOUNDER, missing: ""}
    response = as_user(world.sysadmin).post(
        reverse("registry:user-head", args=[world.teacher.pk]), data
    )
    assert response.status_code == 200
    assert response.context["appoint_form"].errors
    assert roles_of(world.teacher) == set()


def test_the_founders_order_cannot_be_dated_in_the_future(world, as_user):
    response = as_user(world.sysadmin).post(
        reverse("registry:user-head", args=[world.teacher.pk]),
        {**FOUNDER, "appoint-order_date": "2099-01-01"},
    )
    assert "не может быть в будущем" in response.content.decode()
    assert roles_of(world.teacher) == set()


def test_the_database_refuses_a_founders_order_for_another_role(world):
    from django.core.exceptions import ValidationError

    assignment = RoleAssignment.objects.get(user=world.curator, role=Role.CURATOR)
    assignment.founder_issuer, assignment.founder_order_number = "Администрация", "1"
    assignment.founder_order_date = __import__("datetime").date(2026, 1, 1)
    with pytest.raises(ValidationError, match="только для заведующего"):
        assignment.full_clean()


def test_the_head_is_relieved_by_the_founders_order_unless_the_last(world, as_user):
    relieve = {
        "relieve-issuer": "Администрация Невского района",
        "relieve-number": "7",
        "relieve-order_date": "2026-08-30",
    }
    client = as_user(world.sysadmin)
    url = reverse("registry:user-head-relieve", args=[world.head.pk])
    response = client.post(url, relieve)
    assert response.status_code == 200
    assert "Нельзя освободить единственного заведующего" in response.content.decode()
    assert roles_of(world.head) == {Role.HEAD}
    client.post(reverse("registry:user-head", args=[world.teacher.pk]), FOUNDER)
    assert client.post(url, relieve).status_code == 302
    assert roles_of(world.head) == set()


def test_head_cannot_appoint_a_head(world, as_user):
    url = reverse("registry:user-head", args=[world.teacher.pk])
    assert as_user(world.head).post(url, FOUNDER).status_code == 403
    assert roles_of(world.teacher) == set()


# Roles without an order ---------------------------------------------------------------------


def _unbacked_row(world, role):
    return RoleAssignment.objects.get(
        role=role, order__isnull=True, founder_order_date=None, user__institution=world.institution
    )


def test_roles_without_order_are_listed_for_the_head(world, as_user):
    page = as_user(world.head).get(reverse("registry:unbacked-roles"))
    assert page.status_code == 200
    listed = {a.role for a in page.context["assignments"]}
    assert listed == {Role.HEAD, Role.CURATOR, Role.COUNCIL}  # the world's roles are legacy
    assert "Подготовить приказ о назначении куратора" in page.content.decode()


def test_head_drafts_the_curators_order_and_signing_backs_the_role(world, as_user):
    from datetime import date

    from registry.models import Order
    from registry.services.orders import order_sign

    curator_person = make_person(world.institution, "Кураторова")
    curator_person.user = world.curator
    curator_person.save()
    assignment = _unbacked_row(world, Role.CURATOR)
    response = as_user(world.head).post(
        reverse("registry:unbacked-role-draft", args=[assignment.pk])
    )
    order = Order.objects.get(kind=Order.Kind.CURATOR, status=Order.Status.DRAFT)
    assert response.url == reverse("registry:order-detail", args=[order.pk])
    assert list(order.appointees.all()) == [curator_person]
    order_sign(order=order, head=world.head, number="50", signed_on=date(2026, 9, 1))
    assignment.refresh_from_db()
    assert assignment.order == order
    page = as_user(world.head).get(reverse("registry:unbacked-roles"))
    assert Role.CURATOR not in {a.role for a in page.context["assignments"]}


def test_a_role_whose_login_has_no_person_cannot_be_drafted(world, as_user):
    assignment = _unbacked_row(world, Role.CURATOR)  # the world's curator has no person
    response = as_user(world.head).post(
        reverse("registry:unbacked-role-draft", args=[assignment.pk]), follow=True
    )
    assert "нет карточки сотрудника" in response.content.decode()


def test_head_removes_a_role_without_order(world, as_user):
    assignment = _unbacked_row(world, Role.COUNCIL)
    response = as_user(world.head).post(
        reverse("registry:unbacked-role-remove", args=[assignment.pk]), follow=True
    )
    assert "снята" in response.content.decode()
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_heads_own_role_is_not_removed_from_the_list(world, as_user):
    assignment = _unbacked_row(world, Role.HEAD)
    response = as_user(world.head).post(
        reverse("registry:unbacked-role-remove", args=[assignment.pk]), follow=True
    )
    assert "только по приказу учредителя" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_role_with_an_order_is_not_in_the_list(world, as_user):
    from registry.services.accounts import unbacked_role_remove

    assignment = _unbacked_row(world, Role.CURATOR)
    assert (
        as_user(world.sysadmin)
        .post(reverse("registry:unbacked-role-remove", args=[assignment.pk]))
        .status_code
        == 403
    )
    as_user(world.sysadmin).post(reverse("registry:user-head", args=[world.head.pk]), FOUNDER)
    head_row = RoleAssignment.objects.get(user=world.head, role=Role.HEAD)
    url = reverse("registry:unbacked-role-remove", args=[head_row.pk])
    assert as_user(world.head).post(url).status_code == 404
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="уже есть приказ"):
        unbacked_role_remove(assignment=head_row, by=world.head)


@pytest.mark.parametrize("who", NOT_ALLOWED)
def test_other_roles_cannot_assign_roles(world, as_user, who):
    url = reverse("registry:user-roles", args=[world.teacher.pk])
    assert as_user(world.user(who)).post(url, {"roles": [Role.HEAD]}).status_code == 404
    assert roles_of(world.teacher) == set()


def test_another_institutions_user_is_not_found(world, as_user):
    url = reverse("registry:user-roles", args=[world.outsider.pk])
    assert as_user(world.head).post(url, {"roles": []}).status_code == 404
    assert roles_of(world.outsider) == {Role.CURATOR, Role.HEAD, Role.SYSADMIN}


def test_anonymous_is_sent_to_login_from_roles(world, client):
    response = client.get(reverse("registry:user-roles", args=[world.teacher.pk]))
    assert response.status_code == 302 and reverse("login") in response.url


# Deactivation -------------------------------------------------------------------------


def test_sysadmin_deactivates_account(world, as_user):
    client = as_user(world.sysadmin)
    page = client.get(reverse("registry:user-roles", args=[world.teacher.pk])).content.decode()
    assert 'data-confirm="Отключить учётную запись «Смирнова О. С.»?' in page
    response = client.post(
        reverse("registry:user-deactivate", args=[world.teacher.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("registry:user-list")
    assert "Учётная запись «Смирнова О. С.» отключена" in response.content.decode()
    world.teacher.refresh_from_db()
    assert world.teacher.is_active is False
    world.teacher_person.refresh_from_db()
    assert world.teacher_person.user == world.teacher  # the person stays linked


def test_deactivate_needs_post(world, as_user):
    url = reverse("registry:user-deactivate", args=[world.teacher.pk])
    assert as_user(world.sysadmin).get(url).status_code == 405
    world.teacher.refresh_from_db()
    assert world.teacher.is_active


def test_sysadmin_cannot_deactivate_self(world, as_user):
    response = as_user(world.sysadmin).post(
        reverse("registry:user-deactivate", args=[world.sysadmin.pk]), follow=True
    )
    assert "Нельзя отключить собственную учётную запись" in response.content.decode()
    world.sysadmin.refresh_from_db()
    assert world.sysadmin.is_active


def test_only_head_cannot_be_deactivated(world, as_user):
    response = as_user(world.sysadmin).post(
        reverse("registry:user-deactivate", args=[world.head.pk]), follow=True
    )
    assert "Нельзя отключить единственного заведующего" in response.content.decode()
    world.head.refresh_from_db()
    assert world.head.is_active


def test_head_may_not_deactivate(world, as_user):
    url = reverse("registry:user-deactivate", args=[world.teacher.pk])
    assert as_user(world.head).post(url).status_code == 403
    world.teacher.refresh_from_db()
    assert world.teacher.is_active


@pytest.mark.parametrize("who", NOT_ALLOWED)
def test_other_roles_cannot_deactivate(world, as_user, who):
    url = reverse("registry:user-deactivate", args=[world.teacher.pk])
    assert as_user(world.user(who)).post(url).status_code == 404
    world.teacher.refresh_from_db()
    assert world.teacher.is_active


def test_another_institutions_user_cannot_be_deactivated(world, as_user):
    url = reverse("registry:user-deactivate", args=[world.outsider.pk])
    assert as_user(world.sysadmin).post(url).status_code == 404
    world.outsider.refresh_from_db()
    assert world.outsider.is_active


# Activation ---------------------------------------------------------------------------


def deactivated(user):
    user.is_active = False
    user.save()
    return user


def test_sysadmin_activates_account_again(world, as_user):
    deactivated(world.teacher)
    client = as_user(world.sysadmin)
    url = reverse("registry:user-roles", args=[world.teacher.pk])
    page = client.get(url).content.decode()
    assert "Включить учётную запись" in page
    assert reverse("registry:user-activate", args=[world.teacher.pk]) in page
    assert reverse("registry:user-deactivate", args=[world.teacher.pk]) not in page
    assert reverse("registry:user-invite", args=[world.teacher.pk]) not in page

    response = client.post(reverse("registry:user-activate", args=[world.teacher.pk]), follow=True)
    assert response.redirect_chain[-1][0] == url
    text = response.content.decode()
    assert "Учётная запись «Смирнова О. С.» снова включена." in text
    assert reverse("registry:user-deactivate", args=[world.teacher.pk]) in text
    world.teacher.refresh_from_db()
    assert world.teacher.is_active is True
    assert world.teacher.check_password("correct horse battery staple")  # the old password


def test_activation_keeps_roles(world, as_user):
    deactivated(world.curator)
    as_user(world.sysadmin).post(reverse("registry:user-activate", args=[world.curator.pk]))
    world.curator.refresh_from_db()
    assert world.curator.is_active
    assert roles_of(world.curator) == {Role.CURATOR}


def test_active_account_is_not_activated_again(world, as_user):
    response = as_user(world.sysadmin).post(
        reverse("registry:user-activate", args=[world.teacher.pk]), follow=True
    )
    text = response.content.decode()
    assert "Учётная запись уже включена." in text
    assert "снова включена" not in text
    world.teacher.refresh_from_db()
    assert world.teacher.is_active


def test_activate_needs_post(world, as_user):
    deactivated(world.teacher)
    url = reverse("registry:user-activate", args=[world.teacher.pk])
    assert as_user(world.sysadmin).get(url).status_code == 405
    world.teacher.refresh_from_db()
    assert not world.teacher.is_active


def test_head_may_not_activate_and_sees_no_button(world, as_user):
    deactivated(world.teacher)
    client = as_user(world.head)
    page = client.get(reverse("registry:user-roles", args=[world.teacher.pk])).content.decode()
    assert "Включить учётную запись" not in page
    assert client.post(reverse("registry:user-activate", args=[world.teacher.pk])).status_code == (
        403
    )
    world.teacher.refresh_from_db()
    assert not world.teacher.is_active


@pytest.mark.parametrize("who", NOT_ALLOWED)
def test_other_roles_cannot_activate(world, as_user, who):
    former = deactivated(make_user(world.institution, "former"))  # not one of the callers
    url = reverse("registry:user-activate", args=[former.pk])
    assert as_user(world.user(who)).post(url).status_code == 404
    former.refresh_from_db()
    assert not former.is_active


def test_another_institutions_user_cannot_be_activated(world, as_user):
    deactivated(world.outsider)
    url = reverse("registry:user-activate", args=[world.outsider.pk])
    assert as_user(world.sysadmin).post(url).status_code == 404
    world.outsider.refresh_from_db()
    assert not world.outsider.is_active


def test_anonymous_is_sent_to_login_from_activation(world, client):
    deactivated(world.teacher)
    response = client.post(reverse("registry:user-activate", args=[world.teacher.pk]))
    assert response.status_code == 302 and reverse("login") in response.url
    world.teacher.refresh_from_db()
    assert not world.teacher.is_active


# Sending the password-setting letter again ---------------------------------------------


def with_email(user, email="smirnova@example.org"):
    user.email = email
    user.save()
    return user


def test_sysadmin_sends_password_letter_again_and_link_works(world, as_user):
    with_email(world.teacher)
    client = as_user(world.sysadmin)
    url = reverse("registry:user-roles", args=[world.teacher.pk])
    page = client.get(url).content.decode()
    assert "Отправить письмо для входа ещё раз" in page
    assert reverse("registry:user-invite", args=[world.teacher.pk]) in page

    response = client.post(reverse("registry:user-invite", args=[world.teacher.pk]), follow=True)
    assert response.redirect_chain[-1][0] == url
    assert (
        "Письмо для установки пароля отправлено на smirnova@example.org."
        in response.content.decode()
    )
    run_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["smirnova@example.org"]
    assert message.subject == "Учётная запись в реестре наставничества"
    assert "Логин: teacher" in message.body
    assert "отправит вам новую ссылку" in message.body
    link = re.search(r"http://testserver(/password/reset/\S+/\S+/)", message.body).group(1)

    client.logout()
    step = client.get(link)
    assert step.status_code == 302 and step.url.endswith("/set-password/")
    new_password = "Зелёный-трамвай-1987"
    done = client.post(step.url, {"new_password1": new_password, "new_password2": new_password})
    assert done.url == reverse("password_reset_complete")
    world.teacher.refresh_from_db()
    assert world.teacher.check_password(new_password)
    assert world.teacher.is_active


def test_account_creation_letter_says_a_new_link_can_be_sent(
    world, as_user, django_capture_on_commit_callbacks
):
    person = make_person(world.institution, "Новикова")
    with django_capture_on_commit_callbacks(execute=True):
        as_user(world.sysadmin).post(
            reverse("registry:user-create", args=[person.pk]), create_data()
        )
    run_tasks()
    assert "отправит вам новую ссылку" in mail.outbox[0].body


def test_letter_is_not_sent_without_email(world, as_user):
    client = as_user(world.sysadmin)
    page = client.get(reverse("registry:user-roles", args=[world.teacher.pk])).content.decode()
    assert "нет e-mail" in page
    assert reverse("registry:user-invite", args=[world.teacher.pk]) not in page
    response = client.post(reverse("registry:user-invite", args=[world.teacher.pk]), follow=True)
    text = response.content.decode()
    assert "У учётной записи нет e-mail: письмо отправить некуда." in text
    assert "отправлено на" not in text
    run_tasks()
    assert mail.outbox == []


def test_letter_is_not_sent_to_inactive_account(world, as_user):
    deactivated(with_email(world.teacher))
    response = as_user(world.sysadmin).post(
        reverse("registry:user-invite", args=[world.teacher.pk]), follow=True
    )
    assert "Учётная запись отключена: сначала включите её" in response.content.decode()
    run_tasks()
    assert mail.outbox == []
    world.teacher.refresh_from_db()
    assert not world.teacher.is_active


def test_invite_needs_post(world, as_user):
    with_email(world.teacher)
    url = reverse("registry:user-invite", args=[world.teacher.pk])
    assert as_user(world.sysadmin).get(url).status_code == 405
    run_tasks()
    assert mail.outbox == []


def test_head_may_not_send_letter_and_sees_no_button(world, as_user):
    with_email(world.teacher)
    client = as_user(world.head)
    page = client.get(reverse("registry:user-roles", args=[world.teacher.pk])).content.decode()
    assert "Отправить письмо для входа ещё раз" not in page
    assert client.post(reverse("registry:user-invite", args=[world.teacher.pk])).status_code == (
        403
    )
    run_tasks()
    assert mail.outbox == []


@pytest.mark.parametrize("who", NOT_ALLOWED)
def test_other_roles_cannot_send_letter(world, as_user, who):
    with_email(world.teacher)
    url = reverse("registry:user-invite", args=[world.teacher.pk])
    assert as_user(world.user(who)).post(url).status_code == 404
    run_tasks()
    assert mail.outbox == []


def test_another_institutions_user_gets_no_letter(world, as_user):
    with_email(world.outsider, "outsider@example.org")
    url = reverse("registry:user-invite", args=[world.outsider.pk])
    assert as_user(world.sysadmin).post(url).status_code == 404
    run_tasks()
    assert mail.outbox == []


def test_anonymous_is_sent_to_login_from_invite(world, client):
    with_email(world.teacher)
    response = client.post(reverse("registry:user-invite", args=[world.teacher.pk]))
    assert response.status_code == 302 and reverse("login") in response.url
    run_tasks()
    assert mail.outbox == []


# The institution's settings -----------------------------------------------------------


def settings_data(**overrides):
    data = {
        "name": "ГБДОУ детский сад № 64 Невского района Санкт-Петербурга",
        "short_name": "Детский сад № 64",
        "address": "Санкт-Петербург, ул. Новоселов, д. 1",
        "head_name": "Кузнецова Елена Викторовна",
        "session_idle_minutes": "30",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["head", "sysadmin"])
def test_head_and_sysadmin_edit_institution_settings(world, as_user, who):
    url = reverse("registry:institution-settings")
    client = as_user(world.user(who))
    assert client.get(url).status_code == 200
    response = client.post(url, settings_data(), follow=True)
    assert "Настройки учреждения сохранены" in response.content.decode()
    world.institution.refresh_from_db()
    assert world.institution.short_name == "Детский сад № 64"
    assert world.institution.head_name == "Кузнецова Елена Викторовна"
    assert world.institution.session_idle_minutes == 30
    assert world.institution.partner_of is None


@pytest.mark.parametrize("minutes", ["4", "721", "0", "-5", "час"])
def test_idle_minutes_outside_range_are_refused(world, as_user, minutes):
    response = as_user(world.sysadmin).post(
        reverse("registry:institution-settings"),
        settings_data(session_idle_minutes=minutes, short_name="Новое имя"),
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["session_idle_minutes"])
    assert re.search(r"от 5 до 720 минут|целое число", errors)
    world.institution.refresh_from_db()
    assert world.institution.session_idle_minutes == 60
    assert world.institution.short_name == "ГБДОУ детский сад № 64"


@pytest.mark.parametrize("minutes", ["5", "720"])
def test_idle_minutes_bounds_are_accepted(world, as_user, minutes):
    response = as_user(world.head).post(
        reverse("registry:institution-settings"), settings_data(session_idle_minutes=minutes)
    )
    assert response.status_code == 302
    world.institution.refresh_from_db()
    assert world.institution.session_idle_minutes == int(minutes)


@pytest.mark.parametrize("who", NO_BUSINESS)
def test_other_roles_cannot_edit_institution_settings(world, as_user, who):
    url = reverse("registry:institution-settings")
    assert as_user(world.user(who)).post(url, settings_data()).status_code == 404
    world.institution.refresh_from_db()
    assert world.institution.short_name == "ГБДОУ детский сад № 64"


def test_outsider_edits_only_own_institution(world, as_user):
    response = as_user(world.outsider).post(
        reverse("registry:institution-settings"), settings_data(short_name="Чужой сад")
    )
    # The outsider is sysadmin of the other kindergarten: the form edits that one.
    assert response.status_code == 302
    world.institution.refresh_from_db()
    world.other_institution.refresh_from_db()
    assert world.institution.short_name == "ГБДОУ детский сад № 64"
    assert world.other_institution.short_name == "Чужой сад"


def test_anonymous_is_sent_to_login_from_settings(client):
    response = client.get(reverse("registry:institution-settings"))
    assert response.status_code == 302 and reverse("login") in response.url


# Partner organizations ----------------------------------------------------------------


def partner_data(**overrides):
    data = {
        "name": "СПб ГБПОУ «Педагогический колледж № 8»",
        "short_name": "Педагогический колледж № 8",
        "kind": Organization.Kind.COLLEGE,
        "address": "Санкт-Петербург",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["head", "curator", "council", "sysadmin"])
def test_staff_see_own_partners(world, as_user, who):
    make_person(world.institution, "Студентова", organization=world.partner)
    response = as_user(world.user(who)).get(reverse("registry:partner-list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Педагогический колледж № 4" in text
    assert "Колледж" in text
    edit_url = reverse("registry:partner-update", args=[world.partner.pk])
    assert (edit_url in text) == (who in ("curator", "sysadmin"))


def test_partner_list_hides_other_institutions_partners(world, as_user):
    Organization.objects.create(
        name="Чужой колледж", short_name="Чужой колледж", partner_of=world.other_institution
    )
    text = as_user(world.curator).get(reverse("registry:partner-list")).content.decode()
    assert "Чужой колледж" not in text


@pytest.mark.parametrize("who", ["mentor", "mentee", "teacher"])
def test_partner_list_is_hidden_from_non_staff(world, as_user, who):
    assert as_user(world.user(who)).get(reverse("registry:partner-list")).status_code == 404


@pytest.mark.parametrize("who", ["curator", "sysadmin"])
def test_curator_and_sysadmin_add_partner(world, as_user, who):
    response = as_user(world.user(who)).post(
        reverse("registry:partner-create"), partner_data(), follow=True
    )
    assert "Организация «Педагогический колледж № 8» добавлена" in response.content.decode()
    partner = Organization.objects.get(short_name="Педагогический колледж № 8")
    assert partner.partner_of == world.institution
    assert partner.kind == Organization.Kind.COLLEGE


def test_partner_form_refuses_missing_name(world, as_user):
    response = as_user(world.curator).post(
        reverse("registry:partner-create"), partner_data(short_name="", kind="spaceship")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Обязательное поле." in errors["short_name"]
    assert "Выберите корректный вариант" in errors["kind"][0]
    assert not Organization.objects.filter(name=partner_data()["name"]).exists()


def test_curator_updates_partner(world, as_user):
    url = reverse("registry:partner-update", args=[world.partner.pk])
    response = as_user(world.curator).post(url, partner_data(kind=Organization.Kind.UNIVERSITY))
    assert response.status_code == 302
    world.partner.refresh_from_db()
    assert world.partner.short_name == "Педагогический колледж № 8"
    assert world.partner.kind == Organization.Kind.UNIVERSITY
    assert world.partner.partner_of == world.institution


@pytest.mark.parametrize("who", ["head", "council"])
def test_read_only_staff_cannot_change_partners(world, as_user, who):
    client = as_user(world.user(who))
    assert client.post(reverse("registry:partner-create"), partner_data()).status_code == 403
    url = reverse("registry:partner-update", args=[world.partner.pk])
    assert client.post(url, partner_data()).status_code == 403
    world.partner.refresh_from_db()
    assert world.partner.short_name == "Педагогический колледж № 4"
    assert not Organization.objects.filter(short_name="Педагогический колледж № 8").exists()


@pytest.mark.parametrize("who", ["mentor", "mentee", "teacher", "outsider"])
def test_outsiders_cannot_change_partners(world, as_user, who):
    url = reverse("registry:partner-update", args=[world.partner.pk])
    assert as_user(world.user(who)).post(url, partner_data()).status_code == 404
    world.partner.refresh_from_db()
    assert world.partner.short_name == "Педагогический колледж № 4"


def test_institution_itself_is_not_editable_as_partner(world, as_user):
    url = reverse("registry:partner-update", args=[world.institution.pk])
    assert as_user(world.curator).get(url).status_code == 404


def test_anonymous_is_sent_to_login_from_partners(client):
    response = client.get(reverse("registry:partner-list"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_person_model_unchanged_by_partner_edit(world, as_user):
    person = make_person(world.institution, "Студентова", organization=world.partner)
    as_user(world.curator).post(
        reverse("registry:partner-update", args=[world.partner.pk]), partner_data()
    )
    assert Person.objects.get(pk=person.pk).organization_id == world.partner.pk


# The institution's name in the cases documents need (issue 18, item 10)


def test_settings_offer_the_declined_names_for_a_person_to_check(world, as_user):
    response = as_user(world.head).get(reverse("registry:institution-settings"))
    form = response.context["form"]
    assert form["name_gent"].value() == "ГБДОУ детского сада № 64 Невского района Санкт-Петербурга"
    assert form["name_loct"].value() == "ГБДОУ детском саду № 64 Невского района Санкт-Петербурга"
    page = response.content.decode()
    assert "полное наименование в предложном падеже" in page.lower()
    assert 'value="ГБДОУ детским садом № 64 Невского района Санкт-Петербурга"' in page


def test_a_corrected_case_is_kept_and_used_by_documents(world, as_user):
    corrected = "ГБДОУ «Детский сад № 64» Невского района Санкт-Петербурга"
    suggested = {
        f"name_{case}": world.institution.name_in(case)
        for case in ("gent", "datv", "accs", "ablt", "loct")
    }
    response = as_user(world.head).post(
        reverse("registry:institution-settings"),
        settings_data(
            name=world.institution.name,
            short_name=world.institution.short_name,
            **{**suggested, "name_loct": corrected},
        ),
    )
    assert response.status_code == 302
    world.institution.refresh_from_db()
    assert world.institution.name_loct == corrected
    assert world.institution.name_in("loct") == corrected
    assert world.institution.name_gent == suggested["name_gent"]


def test_renaming_the_institution_declines_the_new_name(world, as_user):
    old = {
        f"name_{case}": world.institution.name_in(case)
        for case in ("gent", "datv", "accs", "ablt", "loct")
    }
    typed_anew = "ГБОУ «Школа № 5» (корпус дошкольного образования)"
    response = as_user(world.head).post(
        reverse("registry:institution-settings"),
        settings_data(
            name="Государственное бюджетное общеобразовательное учреждение средняя школа № 5",
            **{**old, "name_ablt": typed_anew},
        ),
    )
    assert response.status_code == 302
    world.institution.refresh_from_db()
    assert world.institution.name_accs == (
        "Государственное бюджетное общеобразовательное учреждение среднюю школу № 5"
    )
    assert world.institution.name_gent == (
        "Государственного бюджетного общеобразовательного учреждения средней школы № 5"
    )
    assert world.institution.name_ablt == typed_anew
