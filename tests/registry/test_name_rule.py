"""People's names take letters (Cyrillic with «ё», or Latin), hyphens, spaces and apostrophes
wherever they are typed: the person's form, the staff import's rows, the head's name in the
institution's settings (issue 22, item 8). Anything else gets a Russian message next to the
field; the names kept before the rule are not touched."""

import pytest
from django.urls import reverse

from mentoring_site.lib.names import name_error
from registry.models import Person, StaffImport
from tests.registry.test_accounts import settings_data
from tests.registry.test_imports import row, upload_and_preview, xlsx_file
from tests.registry.test_people import person_data

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss')</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
GOOD = ["Ёлкина", "Иванова-Петрова", "Д'Артаньян", "О’Коннор", "Анна Мария", "Smith", "Ли"]
BAD = [SCRIPT, IMAGE, "Иванова2", "Петрова;", "-Иванова", "Иванова-", "Анна\tМария", "ФИО_"]


@pytest.mark.parametrize("name", GOOD)
def test_a_name_of_letters_hyphens_spaces_and_apostrophes_is_a_name(name):
    assert name_error(name) == ""


@pytest.mark.parametrize("name", BAD)
def test_anything_else_is_refused_in_russian(name):
    assert name_error(name).startswith(
        "Только буквы (русские или латинские), дефис, пробел и апостроф"
    )


def test_the_message_names_the_signs_to_remove():
    assert name_error(SCRIPT) == (
        "Только буквы (русские или латинские), дефис, пробел и апостроф. Уберите: < > ( ) /."
    )


@pytest.mark.parametrize("field", ["last_name", "first_name", "patronymic"])
@pytest.mark.parametrize("value", [SCRIPT, IMAGE])
def test_the_person_form_refuses_a_name_with_markup(world, as_user, field, value):
    response = as_user(world.curator).post(
        reverse("registry:person-create"), person_data(world.institution, **{field: value})
    )

    assert response.status_code == 200
    error = response.context["form"].errors[field][0]
    assert error.startswith("Только буквы (русские или латинские), дефис, пробел и апостроф.")
    html = response.content.decode()
    assert f'id="error_1_id_{field}"' in html  # next to the field
    assert "<script>alert" not in html
    assert not Person.objects.filter(email="elkina@example.org").exists()


def test_the_person_form_keeps_a_good_name_with_its_spaces_made_one(world, as_user):
    response = as_user(world.curator).post(
        reverse("registry:person-create"),
        person_data(world.institution, last_name="Д'Артаньян  Ёлкина-Петрова"),
    )
    assert response.status_code == 302
    assert Person.objects.get(email="elkina@example.org").last_name == "Д'Артаньян Ёлкина-Петрова"


def test_a_name_kept_before_the_rule_is_not_touched(world, as_user):
    """Editing another detail of a person keeps her old name as it was."""
    person = world.teacher_person
    Person.objects.filter(pk=person.pk).update(last_name="Смирнова (декрет)")
    data = person_data(world.institution, last_name="Смирнова (декрет)", first_name="Ольга")
    data.update(patronymic=person.patronymic, email="smirnova@example.org")

    response = as_user(world.curator).post(
        reverse("registry:person-update", args=[person.pk]), data
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.last_name, person.email) == ("Смирнова (декрет)", "smirnova@example.org")


def test_the_staff_import_refuses_a_row_whose_name_has_markup(world, as_user):
    rows = [row("Ёлкина", "Дарья"), row(SCRIPT, "Пётр"), row("Орлова", "Вера", Отчество=IMAGE)]

    staff_import = upload_and_preview(as_user(world.curator), xlsx_file(rows))

    errors = [r["errors"] for r in staff_import.rows]
    assert errors[0] == []
    assert errors[1] == [
        "Фамилия: Только буквы (русские или латинские), дефис, пробел и апостроф. "
        "Уберите: < > ( ) /."
    ]
    assert errors[2][0].startswith("Отчество: Только буквы")
    assert staff_import.status == StaffImport.Status.PREVIEW


def test_the_heads_name_in_the_settings_is_a_name(world, as_user):
    url = reverse("registry:institution-settings")
    response = as_user(world.sysadmin).post(url, settings_data(head_name=SCRIPT))
    assert response.status_code == 200
    assert "head_name" in response.context["form"].errors
    world.institution.refresh_from_db()
    assert world.institution.head_name != SCRIPT
