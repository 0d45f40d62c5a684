"""The register of the head's orders: the list, drafts, the head's signature and the PDF
(п. 3.1, п. 3.2, п. 3.3; DOMAIN.md §4)."""

import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import LogEntry
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
from registry.services.orders import order_create_draft, order_sign
from tests.docx_helpers import docx_document, docx_download_text
from tests.download_helpers import download_name
from tests.factories import give_consent, make_person

pytestmark = pytest.mark.django_db

LIST = reverse("registry:order-list")
CREATE = reverse("registry:order-create")
READERS = ["head", "curator", "council", "sysadmin"]
NOT_STAFF = ["mentor", "mentee", "teacher"]


def url(name, order):
    return reverse(f"registry:order-{name}", args=[order.pk])


def draft(world, kind=Order.Kind.REGULATION, institution=None, **changes) -> Order:
    fields = {
        "institution": institution or world.institution,
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
        order=draft(world, **changes),
        head=world.head,
        number=number,
        signed_on=on or timezone.localdate(),
    )


def form_data(**overrides):
    data = {
        "kind": "reward",
        "title": "",
        "basis": "По итогам учебного года",
        "items": "1. Объявить благодарность наставникам.\n\n2) Выплатить премию.",
        "control_clause": "Контроль за исполнением настоящего приказа оставляю за собой.",
    }
    data.update(overrides)
    return data


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "order.pdf"
    path.write_bytes(content)
    # A fixed local tool on a file the test wrote itself (TOOLCHAIN.md: poppler-utils).
    command = [shutil.which("pdftotext"), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return " ".join(result.stdout.split())


# --- The register ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_staff_roles_see_the_register(world, as_user, role):
    order = signed(world, number="94/1", on=date(2026, 1, 12))
    response = as_user(world.user(role)).get(LIST)
    assert response.status_code == 200
    text = response.content.decode()
    assert '<h1 class="mb-0">Приказы</h1>' in text
    assert "№ 94/1 от 12.01.2026" in text
    assert "Об утверждении Положения о системе наставничества" in text
    assert "подписан" in text
    assert url("pdf", order) in text


@pytest.mark.parametrize("role", NOT_STAFF)
def test_other_people_do_not_find_the_register(world, as_user, role):
    assert as_user(world.user(role)).get(LIST).status_code == 404


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/login/" in response.url


def test_another_institution_sees_only_its_own_orders(world, as_user):
    signed(world, number="94/1")
    response = as_user(world.outsider).get(LIST)
    assert response.status_code == 200
    assert "94/1" not in response.content.decode()
    assert "Приказов пока нет" in response.content.decode()


@pytest.mark.parametrize(("role", "shown"), [("curator", True), ("head", True), ("council", False)])
def test_new_order_button_is_for_those_who_draft(world, as_user, role, shown):
    response = as_user(world.user(role)).get(LIST)
    assert ("Новый приказ" in response.content.decode()) is shown


def test_drafts_come_first_then_the_newest_orders(world, as_user):
    signed(world, number="1", on=date(2025, 2, 1), title="Заголовок-старый")
    signed(world, number="2", on=date(2026, 1, 5), title="Заголовок-новый")
    draft(world, title="Заголовок-проект")
    text = as_user(world.head).get(LIST).content.decode()
    positions = [text.index(f"Заголовок-{t}") for t in ("проект", "новый", "старый")]
    assert positions == sorted(positions)
    assert "проект</span>" in text


def test_the_register_filters_by_year_kind_and_status(world, as_user):
    signed(world, number="1", on=date(2025, 2, 1), title="Приказ двадцать пятого года")
    signed(
        world,
        kind=Order.Kind.REWARD,
        number="2",
        on=date(2026, 1, 5),
        title="О поощрении Петровой",
        items=["Поощрить."],
    )
    draft(world, title="Проект о поощрении", kind=Order.Kind.REWARD, items=["Поощрить."])
    client = as_user(world.curator)
    by_year = client.get(LIST, {"year": 2025}).content.decode()
    assert "Приказ двадцать пятого года" in by_year and "О поощрении Петровой" not in by_year
    by_kind = client.get(LIST, {"kind": "reward"}).content.decode()
    assert "О поощрении Петровой" in by_kind and "двадцать пятого" not in by_kind
    assert "Проект о поощрении" in by_kind
    drafts = client.get(LIST, {"status": "draft"}).content.decode()
    assert "Проект о поощрении" in drafts and "О поощрении Петровой" not in drafts
    nothing = client.get(LIST, {"year": 2025, "kind": "reward"}).content.decode()
    assert "Приказов по этим условиям нет" in nothing


def test_year_filter_offers_the_years_that_exist_and_the_current_one(world, as_user):
    signed(world, number="1", on=date(2024, 5, 1))
    text = as_user(world.curator).get(LIST).content.decode()
    assert '<option value="2024">2024</option>' in text
    this_year = timezone.localdate().year
    assert f'<option value="{this_year}">{this_year}</option>' in text
    assert '<option value="2023">' not in text


def test_a_bad_filter_value_shows_the_whole_register(world, as_user):
    signed(world, number="1")
    response = as_user(world.curator).get(LIST, {"year": "abc", "kind": "nonsense"})
    assert response.status_code == 200
    assert "Об утверждении Положения" in response.content.decode()


def test_register_runs_the_same_queries_for_5_and_50_orders(world, as_user):
    client = as_user(world.curator)

    def add(count):
        for _ in range(count):
            number = str(Order.objects.count() + 1)
            signed(world, number=number, acquainted=[world.mentor_person])
            draft(world, appointees=[], acquainted=[world.teacher_person])

    def count_queries():
        client.get(LIST)  # the first request of a session writes it
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    add(3)  # 6 orders
    small = count_queries()
    add(22)  # 50 orders
    large = count_queries()
    assert Order.objects.count() == 50
    assert small == large


# --- Drafts ---------------------------------------------------------------------------------


def test_curator_drafts_an_order(world, as_user):
    response = as_user(world.curator).post(
        CREATE,
        form_data(acquainted=[world.mentor_person.pk, world.mentee_person.pk], is_public="on"),
    )
    order = Order.objects.get()
    assert response.status_code == 302 and response.url == url("detail", order)
    assert said(response) == [
        "Проект приказа «О поощрении наставников» сохранён. Его подпишет заведующий."
    ]
    assert order.status == Order.Status.DRAFT
    assert order.title == "О поощрении наставников"
    assert order.items == ["Объявить благодарность наставникам.", "Выплатить премию."]
    assert order.basis == "По итогам учебного года"
    assert order.is_public is True
    assert order.created_by == world.curator
    assert set(order.acquainted.all()) == {world.mentor_person, world.mentee_person}


def test_a_prefilled_title_of_another_kind_becomes_the_chosen_kinds_name(world, as_user):
    as_user(world.head).post(
        CREATE, form_data(title="Об утверждении Положения о системе наставничества")
    )
    assert Order.objects.get().title == "О поощрении наставников"


def test_the_form_offers_the_kinds_without_the_orders_on_groups(world, as_user):
    response = as_user(world.curator).get(CREATE)
    text = response.content.decode()
    assert response.status_code == 200
    assert "О назначении куратора" in text
    assert 'value="groups"' not in text and 'value="replacement"' not in text
    assert 'value="Об утверждении Положения о системе наставничества"' in text
    assert "В соответствии с Положением о системе (целевой модели) наставничества" in text


def test_a_kind_in_the_address_prefills_the_form(world, as_user):
    text = as_user(world.curator).get(CREATE, {"kind": "curator"}).content.decode()
    assert 'value="curator" selected' in text
    assert 'value="О назначении куратора"' in text


def test_posting_an_order_on_groups_is_refused(world, as_user):
    response = as_user(world.curator).post(CREATE, form_data(kind="groups"))
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not Order.objects.exists()


def test_curator_order_needs_exactly_one_appointee(world, as_user):
    response = as_user(world.curator).post(
        CREATE,
        form_data(
            kind="curator",
            items="",
            appointees=[world.teacher_person.pk, world.mentor_person.pk],
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["appointees"] == [
        "В приказе о назначении куратора укажите одного человека."
    ]
    text = response.content.decode()
    assert "Проверьте форму" in text
    assert "Объявить" not in text  # the items box kept what was typed: here, nothing
    assert not Order.objects.exists()


def test_curator_order_without_items_gets_the_appointment_item(world, as_user):
    as_user(world.curator).post(
        CREATE, form_data(kind="curator", items="", appointees=[world.teacher_person.pk])
    )
    order = Order.objects.get()
    assert order.items[0].startswith(
        "Назначить куратором реализации программ наставничества педагогических работников "
        "Смирнову Ольгу Сергеевну (воспитатель)"
    )


def test_a_plain_order_without_items_is_refused_next_to_the_field(world, as_user):
    response = as_user(world.curator).post(CREATE, form_data(items="  \n "))
    assert response.context["form"].errors["items"] == ["Впишите хотя бы один пункт «ПРИКАЗЫВАЮ»."]
    assert not Order.objects.exists()


def test_people_of_another_institution_are_not_offered(world, as_user):
    response = as_user(world.curator).post(CREATE, form_data(acquainted=[world.other_person.pk]))
    assert "acquainted" in response.context["form"].errors
    assert not Order.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("head", 200), ("sysadmin", 200), ("council", 403)])
def test_who_may_open_the_draft_form(world, as_user, role, status):
    assert as_user(world.user(role)).get(CREATE).status_code == status


@pytest.mark.parametrize("role", [*NOT_STAFF])
def test_others_do_not_find_the_draft_form(world, as_user, role):
    assert as_user(world.user(role)).get(CREATE).status_code == 404


def test_council_cannot_post_a_draft(world, as_user):
    assert as_user(world.council).post(CREATE, form_data()).status_code == 403
    assert not Order.objects.exists()


def test_curator_edits_a_draft(world, as_user):
    order = draft(world, acquainted=[world.mentor_person])
    client = as_user(world.curator)
    page = client.get(url("update", order)).content.decode()
    assert "Утвердить Положение о системе наставничества.</textarea>" in page
    response = client.post(
        url("update", order),
        form_data(
            kind="regulation",
            title="Об утверждении Положения и дорожной карты",
            items="1. Утвердить Положение.\n2. Утвердить дорожную карту.",
            acquainted=[world.teacher_person.pk],
        ),
    )
    assert response.status_code == 302
    assert said(response) == [
        "Проект приказа «Об утверждении Положения и дорожной карты» сохранён."
    ]
    order.refresh_from_db()
    assert order.items == ["Утвердить Положение.", "Утвердить дорожную карту."]
    assert list(order.acquainted.all()) == [world.teacher_person]


def test_a_signed_order_is_not_edited(world, as_user):
    order = signed(world)
    client = as_user(world.curator)
    response = client.post(url("update", order), form_data(title="Исправленный"))
    assert response.status_code == 302 and response.url == url("detail", order)
    assert said(response) == ["Подписанный приказ изменить нельзя: издайте новый приказ."]
    order.refresh_from_db()
    assert order.title == "Об утверждении Положения о системе наставничества"
    assert client.get(url("update", order)).status_code == 302


def test_edit_permissions(world, as_user):
    order = draft(world)
    assert as_user(world.council).get(url("update", order)).status_code == 403
    assert as_user(world.mentor).get(url("update", order)).status_code == 404
    assert as_user(world.outsider).get(url("update", order)).status_code == 404
    assert as_user(world.head).get(url("update", order)).status_code == 200


# --- The order's page -----------------------------------------------------------------------


def test_the_head_sees_a_draft_as_printed_with_a_sign_link(world, as_user):
    order = draft(world, acquainted=[world.mentor_person])
    response = as_user(world.head).get(url("detail", order))
    text = response.content.decode()
    assert "<title>Проект приказа «Об утверждении Положения о системе наставничества»" in text
    assert url("sign", order) in text and "Подписать" in text
    assert url("update", order) in text
    assert "ГБДОУ детский сад № 64 Невского района Санкт-Петербурга" in text
    assert "ПРИКАЗЫВАЮ:" in text
    assert "<li>Утвердить Положение о системе наставничества.</li>" in text
    assert "Петрова Мария Ивановна, воспитатель" in text
    assert "ПРОЕКТ" in text


def test_the_curator_sees_a_draft_without_the_sign_link(world, as_user):
    order = draft(world)
    text = as_user(world.curator).get(url("detail", order)).content.decode()
    assert url("sign", order) not in text
    assert url("update", order) in text
    assert "Проект ждёт подписи заведующего" in text


def test_a_signed_order_offers_the_pdf_and_no_edit(world, as_user):
    order = signed(world, number="94/1", on=date(2026, 1, 12))
    text = as_user(world.head).get(url("detail", order)).content.decode()
    assert "<title>Приказ № 94/1 от 12.01.2026" in text
    assert '<h1 class="mb-0">Приказ № 94/1 от 12.01.2026</h1>' in text
    assert url("pdf", order) in text and "Скачать PDF" in text
    assert url("update", order) not in text and url("sign", order) not in text


def test_the_page_warns_about_an_appointee_without_an_account(world, as_user):
    person = make_person(world.institution, "Безлогина")
    order = draft(world, Order.Kind.CURATOR, items=[], appointees=[person])
    text = as_user(world.head).get(url("detail", order)).content.decode()
    assert "нет учётной записи" in text and person.full_name in text


def test_council_reads_an_order_and_outsiders_do_not_find_it(world, as_user):
    order = draft(world)
    assert as_user(world.council).get(url("detail", order)).status_code == 200
    assert as_user(world.outsider).get(url("detail", order)).status_code == 404
    assert as_user(world.mentor).get(url("detail", order)).status_code == 404


# --- Signing --------------------------------------------------------------------------------


def test_the_sign_form_suggests_the_next_number_and_today(world, as_user):
    signed(world, number="95")
    order = draft(world)
    response = as_user(world.head).get(url("sign", order))
    form = response.context["form"]
    assert form["number"].value() == "96"
    assert form["date"].value() == timezone.localdate()
    assert f'max="{timezone.localdate().isoformat()}"' in response.content.decode()


def test_the_head_signs_an_order(world, as_user):
    order = draft(world)
    today = timezone.localdate()
    response = as_user(world.head).post(
        url("sign", order), {"number": "94/1", "date": today.isoformat()}
    )
    assert response.status_code == 302 and response.url == url("detail", order)
    assert said(response) == [f"Приказ № 94/1 от {today:%d.%m.%Y} подписан."]
    order.refresh_from_db()
    assert order.is_signed and order.number == "94/1" and order.signed_by == world.head


def test_signing_the_curator_order_gives_the_appointee_the_role(world, as_user):
    order = draft(world, Order.Kind.CURATOR, items=[], appointees=[world.teacher_person])
    today = timezone.localdate()
    response = as_user(world.head).post(
        url("sign", order), {"number": "12", "date": today.isoformat()}
    )
    assert said(response) == [
        f"Приказ № 12 от {today:%d.%m.%Y} подписан. Роль «Куратор» выдана: Смирнова О. С."
    ]
    assert RoleAssignment.objects.filter(user=world.teacher, role=Role.CURATOR).exists()
    # The new curator finds the register and may draft.
    assert as_user(world.teacher).get(CREATE).status_code == 200


def test_an_appointee_without_an_account_is_refused_in_russian(world, as_user):
    person = make_person(world.institution, "Безлогина")
    order = draft(world, Order.Kind.CURATOR, items=[], appointees=[person])
    response = as_user(world.head).post(
        url("sign", order), {"number": "12", "date": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    assert "нет учётной записи: роль выдать некому" in response.content.decode()
    order.refresh_from_db()
    assert not order.is_signed
    assert not RoleAssignment.objects.filter(role=Role.CURATOR, user__username="teacher").exists()


def test_a_used_number_is_refused_next_to_the_number(world, as_user):
    signed(world, number="94/1")
    order = draft(world)
    response = as_user(world.head).post(
        url("sign", order), {"number": "94/1", "date": timezone.localdate().isoformat()}
    )
    year = timezone.localdate().year
    assert response.context["form"].errors["number"] == [f"Приказ № 94/1 в {year} году уже есть."]
    order.refresh_from_db()
    assert not order.is_signed


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"number": "девяносто"}, "number", "Номер приказа — цифры"),
        ({"number": ""}, "number", "Обязательное поле."),
        ({"date": "2026-02-30"}, "date", "Введите правильную дату."),
        ({"date": ""}, "date", "Обязательное поле."),
    ],
)
def test_sign_form_errors_are_next_to_the_field(world, as_user, data, field, message):
    order = draft(world)
    posted = {"number": "5", "date": timezone.localdate().isoformat(), **data}
    response = as_user(world.head).post(url("sign", order), posted)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert "Проверьте форму" in response.content.decode()
    order.refresh_from_db()
    assert not order.is_signed


def test_a_future_date_is_refused_next_to_the_date(world, as_user):
    order = draft(world)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = as_user(world.head).post(
        url("sign", order), {"number": "5", "date": tomorrow.isoformat()}
    )
    assert response.context["form"].errors["date"] == ["Дата приказа не может быть в будущем."]
    order.refresh_from_db()
    assert not order.is_signed


def test_a_second_tab_signing_the_same_order_is_refused(world, as_user):
    order = draft(world)
    client = as_user(world.head)
    today = timezone.localdate().isoformat()
    client.post(url("sign", order), {"number": "7", "date": today})
    response = client.post(url("sign", order), {"number": "8", "date": today})
    assert response.status_code == 302 and response.url == url("detail", order)
    assert said(response)[-1].startswith("Приказ уже подписан: № 7")
    assert Order.objects.filter(status=Order.Status.SIGNED).count() == 1
    order.refresh_from_db()
    assert order.number == "7"


@pytest.mark.parametrize(
    ("role", "status"),
    [("curator", 403), ("council", 403), ("sysadmin", 403), ("mentor", 404), ("outsider", 404)],
)
def test_only_the_head_signs(world, as_user, role, status):
    order = draft(world)
    client = as_user(world.user(role))
    assert client.get(url("sign", order)).status_code == status
    today = timezone.localdate().isoformat()
    assert client.post(url("sign", order), {"number": "1", "date": today}).status_code == status
    order.refresh_from_db()
    assert not order.is_signed


# --- The PDF --------------------------------------------------------------------------------


# What the signed order of signed_with_acquaintance says, in the PDF and in the DOCX alike.
SIGNED_ORDER_FACTS = [
    "ГБДОУ детский сад № 64 Невского района Санкт-Петербурга",
    "ПРИКАЗ ",
    "Санкт-Петербург",
    "Об утверждении Положения о системе наставничества",
    "ПРИКАЗЫВАЮ:",
    "1. Утвердить Положение о системе наставничества.",
    "2. Контроль за исполнением настоящего приказа оставляю за собой.",
    "С приказом ознакомлены:",
    "Петрова Мария Ивановна, воспитатель",
    "Иванова Анна Сергеевна, воспитатель",
]


def signed_with_acquaintance(world) -> Order:
    """Order № 94/1 of 12.01.2026 signed by the head named in full, two people acquainted."""
    world.institution.head_name = "Кузнецова Надежда Викторовна"
    world.institution.save()
    return signed(
        world,
        number="94/1",
        on=date(2026, 1, 12),
        acquainted=[world.mentor_person, world.mentee_person],
    )


def test_the_signed_orders_pdf_reads_as_a_local_act(world, as_user, tmp_path):
    order = signed_with_acquaintance(world)
    response = as_user(world.council).get(url("pdf", order))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert download_name(response) == "Приказ № 94-1 от 12.01.2026.pdf"
    text = pdf_text(response.content, tmp_path)
    for fact in SIGNED_ORDER_FACTS:
        assert fact in text, fact
    assert "12.01.2026" in text and "№ 94/1" in text
    assert "Заведующий" in text and "Кузнецова Надежда Викторовна" in text
    assert "ПРОЕКТ" not in text


def test_a_drafts_pdf_is_marked_as_a_project(world, as_user, tmp_path):
    order = draft(world)
    response = as_user(world.curator).get(url("pdf", order))
    assert download_name(response) == f"Проект приказа {order.pk}.pdf"
    text = pdf_text(response.content, tmp_path)
    assert "ПРОЕКТ" in text and "ПРИКАЗЫВАЮ:" in text


def test_the_signed_orders_docx_reads_as_the_pdf(world, as_user):
    """Issue 19: the same order in Word, from the same template: the same words, Word's own
    numbered list, Times New Roman 14 on A4."""
    order = signed_with_acquaintance(world)
    response = as_user(world.council).get(url("pdf", order) + "?format=docx")
    text = docx_download_text(response, "Приказ № 94-1 от 12.01.2026.docx")
    for fact in SIGNED_ORDER_FACTS:
        assert fact in text, fact
    assert "12.01.2026 № 94/1" in text
    assert "Заведующий ____________________ Кузнецова Надежда Викторовна" in text
    assert "ПРОЕКТ" not in text
    document = docx_document(response.content)
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 14
    assert round(document.sections[0].page_width.mm) == 210
    assert document.core_properties.title.startswith("Приказ № 94/1 от 12.01.2026")
    exports = LogEntry.objects.filter(
        object_pk=str(order.pk), additional_data__export__isnull=False
    )
    assert [e.additional_data["export"] for e in exports] == ["приказ (DOCX)"]


def test_a_drafts_docx_is_marked_as_a_project(world, as_user):
    order = draft(world)
    response = as_user(world.curator).get(url("pdf", order) + "?format=docx")
    text = docx_download_text(response, f"Проект приказа {order.pk}.docx")
    assert "ПРОЕКТ" in text and "ПРИКАЗЫВАЮ:" in text


def test_an_unknown_format_is_not_found(world, as_user):
    order = draft(world)
    assert as_user(world.curator).get(url("pdf", order) + "?format=odt").status_code == 404


def groups_order(world) -> Order:
    """A signed order on a pair, with its appendix: the pair, its term and consents."""
    give_consent(world.mentor_person, Consent.Kind.MENTORING, on=date(2026, 1, 5))
    order = Order.objects.create(
        institution=world.institution,
        kind=Order.Kind.GROUPS,
        title=Order.Kind.GROUPS.label,
        items=["Закрепить наставнические пары (группы) согласно приложению к приказу."],
        created_by=world.head,
    )
    order.acquainted.set([world.mentor_person, world.mentee_person])
    order = order_sign(order=order, head=world.head, number="3", signed_on=date(2026, 1, 12))
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
    for person, role in [
        (world.mentor_person, GroupMember.Role.MENTOR),
        (world.mentee_person, GroupMember.Role.MENTEE),
    ]:
        GroupMember.objects.create(group=group, person=person, role=role, joined_on=order.date)
    order.covered_groups.add(group)
    return order


def test_the_groups_orders_pdf_has_the_appendix_table(world, as_user, tmp_path):
    order = groups_order(world)
    response = as_user(world.head).get(url("pdf", order))
    text = pdf_text(response.content, tmp_path)
    assert "Приложение к приказу от 12.01.2026 № 3" in text
    assert "Петрова Мария Ивановна, воспитатель" in text
    assert "Иванова Анна Сергеевна, воспитатель" in text
    assert "15.01.2026 — 15.10.2026" in text
    assert "от 05.01.2026" in text
    # The page shows the same table.
    page = as_user(world.head).get(url("detail", order)).content.decode()
    assert "Приложение к приказу от 12.01.2026 № 3" in page
    assert "от 05.01.2026" in page


def test_the_groups_orders_docx_has_the_appendix_on_a_landscape_page(world, as_user):
    order = groups_order(world)
    response = as_user(world.head).get(url("pdf", order) + "?format=docx")
    text = docx_download_text(response, "Приказ № 3 от 12.01.2026.docx")
    assert "Приложение к приказу от 12.01.2026 № 3" in text
    assert "Состав наставнических пар (групп)" in text
    assert "Петрова Мария Ивановна, воспитатель" in text
    assert "Иванова Анна Сергеевна, воспитатель" in text
    assert "15.01.2026 — 15.10.2026" in text
    assert "от 05.01.2026" in text
    document = docx_document(response.content)
    portrait, landscape = document.sections
    assert portrait.page_width < portrait.page_height
    assert landscape.page_width > landscape.page_height  # @page appendix { size: A4 landscape }
    appendix = document.tables[-1]
    assert appendix.rows[0].cells[1].text == "Наставник (ФИО, должность)"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("head", 200),
        ("curator", 200),
        ("council", 200),
        ("sysadmin", 200),
        ("mentor", 404),
        ("mentee", 404),
        ("teacher", 404),
        ("outsider", 404),
    ],
)
def test_who_downloads_the_pdf(world, as_user, role, status):
    order = draft(world)
    assert as_user(world.user(role)).get(url("pdf", order)).status_code == status
