"""The editable reference lists of the regional model (DOMAIN.md §7), and who keeps them
(issue 20): the installation's administrator the shared entries, each kindergarten's sysadmin
its own additions, seen by it alone."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from registry.forms.people import PersonForm
from registry.models import (
    Direction,
    MenteeCategory,
    MentoringForm,
    MentoringKind,
    Position,
    User,
)

pytestmark = pytest.mark.django_db

KINDS = {
    "forms": MentoringForm,
    "kinds": MentoringKind,
    "directions": Direction,
    "categories": MenteeCategory,
    "positions": Position,
}
OTHERS = ["head", "curator", "council", "mentor", "mentee", "teacher"]


@pytest.fixture
def administrator(db):
    """The installation's administrator: a district login with ``manage_shared_lists``."""
    user = User.objects.create_user(username="district-admin", password="x-Long-password-1")
    user.user_permissions.add(Permission.objects.get(codename="manage_shared_lists"))
    return user


def test_sysadmin_sees_the_five_lists_with_counts(world, as_user):
    Position.objects.filter(name="воспитатель").update(is_active=False)
    response = as_user(world.sysadmin).get(reverse("registry:reference-index"))
    assert response.status_code == 200
    text = response.content.decode()
    for title in (
        "Формы наставничества (п. 2.3)",
        "Виды наставничества (п. 2.4)",
        "Направления (Приложение 1)",
        "Категории наставляемых",
        "Должности",
    ):
        assert title in text
    rows = {row["spec"].slug: row for row in response.context["lists"]}
    assert rows["positions"]["total"] == Position.objects.count()
    assert rows["positions"]["hidden"] == 1
    assert rows["directions"]["total"] == Direction.objects.count() > 0
    assert "не удаляются — их можно скрыть" in text
    assert "одинаковы для всех учреждений" in text


@pytest.mark.parametrize("kind", KINDS)
def test_sysadmin_reads_the_shared_items_and_edits_only_her_own(world, as_user, kind):
    own = KINDS[kind].objects.create(name="Своё значение", institution=world.institution)
    response = as_user(world.sysadmin).get(reverse("registry:reference-list", args=[kind]))
    assert response.status_code == 200
    text = response.content.decode()
    first = KINDS[kind].objects.shared().first()
    assert first.name in text and "Своё значение" in text
    assert reverse("registry:reference-update", args=[kind, first.pk]) not in text
    assert reverse("registry:reference-update", args=[kind, own.pk]) in text
    assert reverse("registry:reference-create", args=[kind]) in text
    assert "Использованное значение не удаляется — его можно скрыть" in text
    assert "общее" in text and "своё" in text


def test_unknown_list_is_not_found(world, as_user):
    client = as_user(world.sysadmin)
    assert client.get(reverse("registry:reference-list", args=["colours"])).status_code == 404
    assert client.get(reverse("registry:reference-create", args=["colours"])).status_code == 404
    pk = Direction.objects.first().pk
    assert client.get(reverse("registry:reference-update", args=["colours", pk])).status_code == 404


def test_missing_item_is_not_found(world, as_user):
    missing = Direction.objects.order_by("-pk").first().pk + 1000
    url = reverse("registry:reference-update", args=["directions", missing])
    assert as_user(world.sysadmin).get(url).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_sysadmin_adds_an_item_of_her_own_kindergarten(world, as_user, kind):
    model = KINDS[kind]
    response = as_user(world.sysadmin).post(
        reverse("registry:reference-create", args=[kind]),
        {"name": "  Новое   значение ", "sort_order": "5", "is_active": "on"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("registry:reference-list", args=[kind])
    assert "Значение «Новое значение» добавлено" in response.content.decode()
    item = model.objects.get(name="Новое значение")
    assert (item.sort_order, item.is_active, item.institution) == (5, True, world.institution)
    # Seen by her kindergarten alone: not by the other one, not among the shared entries.
    assert item in model.objects.visible_to(world.institution)
    assert item not in model.objects.visible_to(world.other_institution)
    assert item not in model.objects.shared()
    page = as_user(world.outsider).get(reverse("registry:reference-list", args=[kind])).text
    assert "Новое значение" not in page


@pytest.mark.parametrize(
    "name", ["воспитатель", "Воспитатель", " ВОСПИТАТЕЛЬ "], ids=["same", "capital", "upper"]
)
def test_duplicate_name_is_refused_next_to_the_field(world, as_user, name):
    before = Position.objects.count()
    response = as_user(world.sysadmin).post(
        reverse("registry:reference-create", args=["positions"]),
        {"name": name, "sort_order": "1", "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Такое значение уже есть в списке."]
    assert "Такое значение уже есть в списке." in response.content.decode()
    assert Position.objects.count() == before


def test_duplicate_with_yo_spelled_as_ye_is_refused(world, as_user):
    Direction.objects.create(name="Здоровьесбережение и закаливание детей-ёлочек")
    response = as_user(world.sysadmin).post(
        reverse("registry:reference-create", args=["directions"]),
        {"name": "здоровьесбережение и закаливание детей-елочек", "sort_order": "1"},
    )
    assert response.context["form"].errors["name"] == ["Такое значение уже есть в списке."]


def test_bad_input_is_refused_in_russian(world, as_user):
    before = MentoringKind.objects.count()
    response = as_user(world.sysadmin).post(
        reverse("registry:reference-create", args=["kinds"]), {"name": "", "sort_order": "-1"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["Обязательное поле."]
    assert "больше либо равно 0" in errors["sort_order"][0]
    assert MentoringKind.objects.count() == before


def test_hiding_an_item_keeps_it_and_removes_it_from_forms(world, as_user, administrator):
    position = Position.objects.get(name="воспитатель")
    url = reverse("registry:reference-update", args=["positions", position.pk])
    client = as_user(administrator)
    response = client.post(url, {"name": "воспитатель", "sort_order": position.sort_order})
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.is_active is False
    page = client.get(reverse("registry:reference-list", args=["positions"])).content.decode()
    assert "скрыто" in page
    # A new person cannot pick it; a person who has it keeps it.
    assert position not in PersonForm(institution=world.institution).fields["position"].queryset
    assert (
        position
        in PersonForm(institution=world.institution, instance=world.teacher_person)
        .fields["position"]
        .queryset
    )

    response = client.post(
        url, {"name": "воспитатель", "sort_order": position.sort_order, "is_active": "on"}
    )
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.is_active is True


def test_renaming_to_own_name_is_not_a_duplicate(world, as_user, administrator):
    form = MentoringForm.objects.first()
    response = as_user(administrator).post(
        reverse("registry:reference-update", args=["forms", form.pk]),
        {"name": form.name.upper(), "sort_order": "7", "is_active": "on"},
    )
    assert response.status_code == 302
    form.refresh_from_db()
    assert form.sort_order == 7


def test_renaming_to_another_items_name_is_refused(world, as_user, administrator):
    first, second = MenteeCategory.objects.all()[:2]
    response = as_user(administrator).post(
        reverse("registry:reference-update", args=["categories", second.pk]),
        {"name": first.name, "sort_order": "1", "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Такое значение уже есть в списке."]
    old_name = second.name
    second.refresh_from_db()
    assert second.name == old_name


@pytest.mark.parametrize("who", OTHERS)
def test_reference_lists_are_hidden_from_everyone_but_sysadmin(world, as_user, who):
    client = as_user(world.user(who))
    position = Position.objects.first()
    assert client.get(reverse("registry:reference-index")).status_code == 404
    assert client.get(reverse("registry:reference-list", args=["positions"])).status_code == 404
    response = client.post(
        reverse("registry:reference-create", args=["positions"]), {"name": "X", "sort_order": 1}
    )
    assert response.status_code == 404
    url = reverse("registry:reference-update", args=["positions", position.pk])
    assert client.post(url, {"name": "Y", "sort_order": 1}).status_code == 404
    assert not Position.objects.filter(name__in=["X", "Y"]).exists()


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(reverse("registry:reference-index"))
    assert response.status_code == 302 and reverse("login") in response.url


# --- Who keeps which entries (issue 20) ---------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_kindergartens_sysadmin_cannot_change_a_shared_entry(world, as_user, kind):
    shared = KINDS[kind].objects.shared().first()
    url = reverse("registry:reference-update", args=[kind, shared.pk])
    client = as_user(world.sysadmin)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Переименовано", "sort_order": 1}).status_code == 403
    shared.refresh_from_db()
    assert shared.name != "Переименовано" and shared.is_active


def test_another_kindergartens_entry_is_not_found(world, as_user):
    theirs = Position.objects.create(name="Тьютор по ЛФК", institution=world.other_institution)
    url = reverse("registry:reference-update", args=["positions", theirs.pk])
    client = as_user(world.sysadmin)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Моё", "sort_order": 1}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Тьютор по ЛФК"


def test_a_name_of_another_kindergarten_is_free_and_a_shared_name_is_not(world, as_user):
    Position.objects.create(name="Тьютор по ЛФК", institution=world.other_institution)
    client = as_user(world.sysadmin)
    url = reverse("registry:reference-create", args=["positions"])
    assert client.post(url, {"name": "Тьютор по ЛФК", "sort_order": 1}).status_code == 302
    response = client.post(url, {"name": "Воспитатель", "sort_order": 1})
    assert response.context["form"].errors["name"] == ["Такое значение уже есть в списке."]


def test_the_installations_administrator_keeps_the_shared_entries(world, as_user, administrator):
    client = as_user(administrator)
    assert client.get(reverse("home")).url == reverse("registry:reference-index")
    page = client.get(reverse("registry:reference-index")).text
    assert "Вы ведёте общие справочники установки" in page
    response = client.post(
        reverse("registry:reference-create", args=["kinds"]),
        {"name": "Проектное", "sort_order": 9, "is_active": "on"},
    )
    assert response.status_code == 302
    kind = MentoringKind.objects.get(name="Проектное")
    assert kind.institution is None  # shared: every kindergarten's forms offer it
    assert kind in MentoringKind.objects.visible_to(world.institution)
    assert kind in MentoringKind.objects.visible_to(world.other_institution)
    # A kindergarten's own entries are not hers to see or change.
    own = Position.objects.create(name="Своя должность", institution=world.institution)
    assert (
        "Своя должность"
        not in client.get(reverse("registry:reference-list", args=["positions"])).text
    )
    url = reverse("registry:reference-update", args=["positions", own.pk])
    assert client.get(url).status_code == 404


def test_a_login_without_the_permission_and_without_a_kindergarten_sees_no_lists(db, client):
    user = User.objects.create_user(username="nobody", password="x-Long-password-1")
    client.force_login(user)
    assert client.get(reverse("registry:reference-index")).status_code == 404
