"""The bank of best practices, «методическая копилка» (Приложение 2, этап 6–7; п. 3.3, п. 3.4;
п. 8.2): a practice from a completed program or without one, its materials, the curator's
approval for publication, the list with its filters and search, the curator's counters."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Program
from registry.models import Direction, GroupMember, MentoringForm, MentoringGroup
from reports.homes_growth import curator_counters
from reports.models import Practice, PracticeMaterial
from reports.services import practices as services
from tests.factories import make_person
from tests.permission_helpers import finished

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 test"
PPTX = b"PK\x03\x04 pptx"


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


def direction(name="методическое"):
    return Direction.objects.get(name=name)


def make_program(world, mentee=None, status=Program.Status.COMPLETED, **fields) -> Program:
    group = MentoringGroup.objects.create(
        institution=world.institution,
        status=MentoringGroup.Status.ACTIVE,
        form=MentoringForm.objects.first(),
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 5, 31),
        curator=world.curator,
    )
    group.directions.set([direction()])
    mentee = mentee or world.mentee_person
    GroupMember.objects.create(
        group=group, person=world.mentor_person, role=GroupMember.Role.MENTOR
    )
    GroupMember.objects.create(group=group, person=mentee, role=GroupMember.Role.MENTEE)
    if status in (Program.Status.COMPLETED, Program.Status.TERMINATED):
        fields.setdefault("finished_on", date(2026, 11, 30))
        fields.setdefault("reason", Program.Reason.PLAN_DONE)
    return Program.objects.create(
        group=group, status=status, start=date(2026, 9, 1), end=date(2027, 5, 31), **fields
    )


def make_practice(world, title="Интерактивная доска", status=Practice.Status.DRAFT, **fields):
    fields.setdefault("direction", direction())
    fields.setdefault("summary", "Как пара освоила интерактивную доску.")
    if status == Practice.Status.APPROVED and "program" not in fields:
        fields["program"] = make_program(world)  # only a completed program's results (п. 8.2)
    practice = Practice(institution=world.institution, title=title, **fields)
    practice = services.practice_save(practice=practice, user=world.curator)
    if status == Practice.Status.APPROVED:
        practice = services.practice_approve(practice=practice, user=world.curator)
    return practice


def form_data(**fields):
    data = {
        "title": "Наставничество «воспитатель — воспитатель» в освоении ИКТ",
        "direction": direction().pk,
        "summary": "Что делали и что получилось.",
        "tags": "ИКТ, молодой педагог",
    }
    data.update(fields)
    return data


# --- Creation ----------------------------------------------------------------------------------


def test_the_council_describes_a_practice_without_a_program(world, as_user):
    response = as_user(world.council).post(
        url("practice-create"), form_data(tags=" ИКТ ,молодой педагог,, икт"), follow=True
    )
    practice = Practice.objects.get()
    assert practice.institution == world.institution
    assert practice.program is None
    assert practice.status == Practice.Status.DRAFT
    assert practice.created_by == world.council
    assert practice.tag_list == ["ИКТ", "молодой педагог"]
    assert "добавлена в методическую копилку как черновик" in response.content.decode()


def test_a_completed_programs_page_offers_the_bank_to_its_describers(world, as_user):
    program = make_program(world)
    page = reverse("programs:program-detail", args=[program.pk])
    for user in (world.curator, world.council):
        text = as_user(user).get(page).content.decode()
        assert "Добавить в методическую копилку" in text
        assert url("practice-create-from-program", program.pk) in text
    assert "Добавить в методическую копилку" not in as_user(world.head).get(page).content.decode()


def test_an_active_programs_page_has_no_such_button(world, as_user):
    program = make_program(world, status=Program.Status.ACTIVE)
    text = as_user(world.curator).get(reverse("programs:program-detail", args=[program.pk]))
    assert "Добавить в методическую копилку" not in text.content.decode()


def test_a_practice_from_a_completed_program_starts_from_its_results(world, as_user):
    program = make_program(
        world, problem="Трудности в планировании НОД", mentee_result="Провела открытое занятие"
    )
    client = as_user(world.curator)
    form = client.get(url("practice-create-from-program", program.pk)).context["form"]
    assert form.initial["title"] == "Опыт наставничества: Петрова М. И. — Иванова А. С."
    assert form.initial["direction"] == direction()
    assert "Проблема: Трудности в планировании НОД" in form.initial["summary"]
    assert "Итоговый результат наставляемого: Провела открытое занятие" in form.initial["summary"]
    response = client.post(url("practice-create-from-program", program.pk), form_data())
    practice = Practice.objects.get()
    assert practice.program == program
    assert response["Location"] == url("practice-detail", practice.pk)


@pytest.mark.parametrize("status", [Program.Status.ACTIVE, Program.Status.TERMINATED])
def test_a_program_not_completed_is_refused_with_a_message(world, as_user, status):
    """п. 8.2: the results are described only after the program is completed."""
    program = make_program(world, status=status)
    client = as_user(world.curator)
    response = client.post(url("practice-create-from-program", program.pk), form_data())
    assert response["Location"] == reverse("programs:program-detail", args=[program.pk])
    assert not Practice.objects.exists()
    text = client.get(response["Location"]).content.decode()
    assert "только по завершённой программе" in text


def test_the_service_refuses_a_program_not_completed(world):
    program = make_program(world, status=Program.Status.ACTIVE)
    with pytest.raises(ValidationError, match="завершённой программе"):
        make_practice(world, program=program)


def test_a_program_of_another_institution_is_not_found(world, as_user):
    program = make_program(world)
    program.group.institution = world.other_institution
    program.group.save()
    response = as_user(world.curator).get(url("practice-create-from-program", program.pk))
    assert response.status_code == 404


def test_required_fields_are_named_in_russian(world, as_user):
    response = as_user(world.curator).post(url("practice-create"), form_data(title="", summary=""))
    text = response.content.decode()
    assert "Напишите название практики." in text
    assert "Опишите практику." in text
    assert not Practice.objects.exists()


# --- Approval ----------------------------------------------------------------------------------


def test_the_curator_approves_and_returns_to_draft(world, as_user):
    practice = make_practice(world, program=make_program(world))
    client = as_user(world.curator)
    response = client.post(url("practice-approve", practice.pk), follow=True)
    practice.refresh_from_db()
    assert practice.status == Practice.Status.APPROVED
    assert practice.approved_at is not None
    assert "одобрена для публикации" in response.content.decode()
    client.post(url("practice-unapprove", practice.pk))
    practice.refresh_from_db()
    assert practice.status == Practice.Status.DRAFT
    assert practice.approved_at is None


def test_approval_needs_a_completed_program(world):
    program = make_program(world)
    practice = make_practice(world, program=program)
    Program.objects.filter(pk=program.pk).update(status=Program.Status.TERMINATED)
    with pytest.raises(ValidationError, match="завершённой программе"):
        services.practice_approve(practice=practice, user=world.curator)
    practice.refresh_from_db()
    assert practice.status == Practice.Status.DRAFT


def test_the_council_describes_but_does_not_approve(world, as_user):
    practice = make_practice(world)
    client = as_user(world.council)
    assert client.post(url("practice-approve", practice.pk)).status_code == 403
    text = client.get(url("practice-detail", practice.pk)).content.decode()
    assert "Одобрить для публикации" not in text
    assert "куратор проверит практику" in text
    practice.refresh_from_db()
    assert practice.status == Practice.Status.DRAFT


def test_an_approved_practice_changes_only_after_returning_to_draft(world, as_user):
    practice = make_practice(world, status=Practice.Status.APPROVED)
    client = as_user(world.council)
    response = client.post(url("practice-update", practice.pk), form_data(title="Другое"))
    assert response["Location"] == url("practice-detail", practice.pk)
    practice.refresh_from_db()
    assert practice.title == "Интерактивная доска"
    text = client.get(response["Location"]).content.decode()
    assert "куратор возвращает её в черновик" in text
    assert url("material-upload", practice.pk) not in text


def test_the_curator_edits_a_draft(world, as_user):
    practice = make_practice(world)
    response = as_user(world.curator).post(
        url("practice-update", practice.pk), form_data(title="Доска и дети", tags="ИКТ")
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title == "Доска и дети"
    assert practice.tags == "ИКТ"


# --- Materials ---------------------------------------------------------------------------------


def upload(client, practice, name, content, follow=False):
    return client.post(
        url("material-upload", practice.pk),
        {"file": SimpleUploadedFile(name, content)},
        follow=follow,
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Конспект Ивановой.pdf", PDF),
        ("презентация.pptx", PPTX),
        ("фото.JPG", b"\xff\xd8\xff\xe0 jpeg"),
        ("схема.png", b"\x89PNG\r\n\x1a\n png"),
        ("разработка.docx", b"PK\x03\x04 docx"),
    ],
)
def test_materials_are_kept_under_a_server_made_name(world, as_user, name, content):
    practice = make_practice(world)
    response = upload(as_user(world.council), practice, name, content, follow=True)
    material = PracticeMaterial.objects.get()
    assert material.name == name
    assert material.file.name.startswith(f"practices/{world.institution.pk}/")
    assert "Иванов" not in material.file.name
    assert f"Файл «{name}» добавлен к практике" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content"),
    [("вирус.pdf", b"MZ\x90\x00 not a pdf"), ("таблица.xlsx", b"PK\x03\x04"), ("a.exe", b"MZ")],
)
def test_a_file_that_is_not_what_it_claims_is_refused(world, as_user, name, content):
    practice = make_practice(world)
    response = upload(as_user(world.curator), practice, name, content)
    assert response.status_code == 200
    assert "этот файл не похож на такой" in response.content.decode()
    assert not PracticeMaterial.objects.exists()


def test_a_too_large_file_is_refused(world, as_user, settings):
    settings.UPLOAD_MAX_BYTES = 10
    practice = make_practice(world)
    response = upload(as_user(world.curator), practice, "большой.pdf", PDF + b"x" * 20)
    assert "Файл слишком большой" in response.content.decode()
    assert not PracticeMaterial.objects.exists()


def test_download_names_the_file_safely(world, as_user):
    practice = make_practice(world)
    client = as_user(world.curator)
    upload(client, practice, 'Конспект "занятия".pdf', PDF)
    material = PracticeMaterial.objects.get()
    response = as_user(world.head).get(url("material-download", material.pk))
    try:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        disposition = response["Content-Disposition"]
        assert disposition.startswith('attachment; filename="')
        assert '"' not in disposition.split('filename="')[1].rstrip('"').split('";')[0]
        assert "filename*=UTF-8''" in disposition
        assert response["Content-Type"] == "application/pdf"
    finally:
        finished(response)  # reads it to the end, if an assertion stopped first: the file closes


def test_delete_a_material_asks_first_then_deletes_the_file(
    world, as_user, django_capture_on_commit_callbacks
):
    practice = make_practice(world)
    client = as_user(world.curator)
    upload(client, practice, "конспект.pdf", PDF)
    material = PracticeMaterial.objects.get()
    stored = material.file.name
    page = client.get(url("material-delete", material.pk)).content.decode()
    assert "Удалить материал?" in page
    assert "«конспект.pdf»" in page
    assert PracticeMaterial.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("material-delete", material.pk), follow=True)
    assert not PracticeMaterial.objects.exists()
    assert not default_storage.exists(stored)
    assert "Файл «конспект.pdf» удалён из материалов практики" in response.content.decode()


# --- The list ----------------------------------------------------------------------------------


def test_list_filters_by_direction_tag_and_status(world, as_user):
    make_practice(world, "Доска", tags="ИКТ, молодой педагог")
    make_practice(world, "Игры", direction=direction("здоровьесбережение"), tags="Игра")
    make_practice(world, "Проекты", status=Practice.Status.APPROVED, tags="Молодой педагог")
    Practice.objects.create(
        institution=world.other_institution,
        title="Чужая практика",
        direction=direction(),
        summary="—",
    )
    client = as_user(world.head)

    def titles(**query):
        return {p.title for p in client.get(url("practice-list"), query).context["practices"]}

    assert titles() == {"Доска", "Игры", "Проекты"}
    assert titles(direction=direction().pk) == {"Доска", "Проекты"}
    assert titles(tag="Молодой педагог") == {"Доска", "Проекты"}  # Cyrillic, any case
    assert titles(tag="икт") == {"Доска"}
    assert titles(status="approved") == {"Проекты"}
    form = client.get(url("practice-list")).context["filter_form"]
    assert [value for value, _ in form.fields["tag"].choices] == [
        "",
        "Игра",
        "ИКТ",
        "молодой педагог",
    ]


def test_search_by_title_goes_by_post_and_stays_out_of_the_url(world, as_user):
    make_practice(world, "Опыт наставничества: Петрова М. И. — Иванова А. С.")
    make_practice(world, "Игры с правилами")
    client = as_user(world.curator)
    response = client.post(url("practice-search"), {"q": "иванова"})
    assert response["Location"] == url("practice-list")
    page = client.get(response["Location"])
    assert {p.title for p in page.context["practices"]} == {
        "Опыт наставничества: Петрова М. И. — Иванова А. С."
    }
    assert "поиск по названию: «иванова»" in page.content.decode()
    client.post(url("practice-search"), {"q": ""})
    assert len(client.get(url("practice-list")).context["practices"]) == 2


def test_an_empty_bank_says_where_practices_come_from(world, as_user):
    text = as_user(world.council).get(url("practice-list")).content.decode()
    assert "В методической копилке пока нет практик" in text
    assert url("practice-create") in text
    assert text.count("<h1") == 1


def test_list_queries_do_not_grow_with_the_bank(world, as_user):
    client = as_user(world.curator)

    def count():
        client.get(url("practice-list"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("practice-list"), {"tag": "ИКТ"})
        assert response.status_code == 200
        return len(queries)

    make_practice(world, "Первая", program=make_program(world), tags="ИКТ")
    small = count()
    for i in range(6):
        mentee = make_person(world.institution, f"Новая{i}")
        make_practice(world, f"Практика {i}", program=make_program(world, mentee), tags="ИКТ, игра")
        make_practice(world, f"Без программы {i}", tags="ИКТ")
    assert count() == small


def test_the_detail_page_shows_the_program_and_materials(world, as_user):
    program = make_program(world)
    practice = make_practice(world, program=program, tags="ИКТ")
    upload(as_user(world.curator), practice, "конспект.pdf", PDF)
    text = as_user(world.sysadmin).get(url("practice-detail", practice.pk)).content.decode()
    assert "Петрова М. И. — Иванова А. С." in text
    assert "конспект.pdf" in text
    assert "Изменить" not in text  # the sysadmin reads
    assert "Одобрить для публикации" not in text


# --- The curator's counters -------------------------------------------------------------------


def test_curator_counters_show_practices_waiting_and_programs_not_described(world):
    described = make_program(world)
    make_practice(world, program=described)
    make_practice(world, "Одобренная", status=Practice.Status.APPROVED)
    make_program(world, make_person(world.institution, "Третья"))
    make_program(world, make_person(world.institution, "Четвёртая"), status=Program.Status.ACTIVE)
    waiting, undescribed, _ = curator_counters(world.institution)
    assert (waiting.value, waiting.attention) == (1, True)
    assert waiting.url == url("practice-list") + "?status=draft"
    assert undescribed.value == 1
    assert undescribed.url == reverse("programs:program-list") + "?status=completed"
    assert curator_counters(world.other_institution)[0].value == 0
