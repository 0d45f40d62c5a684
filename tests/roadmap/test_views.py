"""The roadmap's pages: the list and creation from the template, the roadmap's page with its
facts and overdue marks, the activity and «done» forms, the head's approval and return, the
evidence download and the PDFs of the current text and of an approved version."""

import html
import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib.academic_year import academic_year_start
from registry.models import GroupMember, MentoringForm, MentoringGroup, Order
from roadmap import services
from roadmap.homes import curator_counters, head_decisions
from roadmap.models import Activity, Roadmap, RoadmapChange, RoadmapVersion
from tests.docx_helpers import docx_document, docx_download_text
from tests.download_helpers import download_name
from tests.factories import make_mentee, make_person
from tests.roadmap.conftest import activity, approve, make_roadmap, signed_order

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_YEAR = academic_year_start(TODAY).year


def url(name, *args):
    return reverse(f"roadmap:{name}", args=args)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "roadmap.pdf"
    path.write_bytes(content)
    # A fixed local tool on a file the test wrote itself (TOOLCHAIN.md: poppler-utils).
    command = [shutil.which("pdftotext"), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return " ".join(result.stdout.split())


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def current(world) -> Roadmap:
    return make_roadmap(world, THIS_YEAR)


# --- The list and creation ------------------------------------------------------------------


def test_curator_creates_the_roadmap_of_the_year_from_the_template(world, as_user):
    client = as_user(world.curator)
    page = text_of(client.get(url("roadmap-list")))
    label = f"{THIS_YEAR}/{THIS_YEAR + 1}"
    assert f"Создать по типовой форме на {label} учебный год" in page
    assert f"Создать по типовой форме на {THIS_YEAR + 1}/{THIS_YEAR + 2} учебный год" in page
    assert "Дорожных карт пока нет" in page

    response = client.post(url("roadmap-create"), {"year_start": THIS_YEAR}, follow=True)
    roadmap = Roadmap.objects.get()
    assert response.redirect_chain[-1][0] == url("roadmap-detail", roadmap.pk)
    assert messages_of(response) == [
        f"Дорожная карта на {label} учебный год создана по типовой форме (Приложение 2). "
        "Проверьте сроки и ответственных, затем направьте её заведующему."
    ]
    page = text_of(response)
    assert f"Дорожная карта на {label} учебный год" in page
    assert "Этап 5. Организация и осуществление работы наставнических пар/групп" in page
    assert page.count("Отметить выполненным") + page.count("Добавить подтверждение") == 18

    # The year now has its roadmap: only the next year is offered; a forged POST is refused.
    page = text_of(client.get(url("roadmap-list")))
    assert f"Создать по типовой форме на {label} учебный год" not in page
    response = client.post(url("roadmap-create"), {"year_start": THIS_YEAR}, follow=True)
    assert messages_of(response) == [f"Дорожная карта на {label} учебный год уже есть."]
    response = client.post(url("roadmap-create"), {"year_start": THIS_YEAR - 3}, follow=True)
    assert messages_of(response) == ["Дорожную карту создают на текущий или следующий учебный год."]
    assert Roadmap.objects.count() == 1


def test_head_sees_the_roadmap_without_the_curators_buttons(world, as_user, current):
    client = as_user(world.head)
    page = text_of(client.get(url("roadmap-list")))
    assert "Создать по типовой форме" not in page
    assert "выполнено" in page
    page = text_of(client.get(url("roadmap-detail", current.pk)))
    assert "Отметить выполненным" not in page and "Добавить мероприятие" not in page
    assert "куратор разрабатывает дорожную карту" in page


# --- The roadmap's page ---------------------------------------------------------------------


def test_page_shows_facts_with_links_and_highlights_overdue(world, as_user):
    roadmap = make_roadmap(world, 2026)
    response = as_user(world.curator).get(url("roadmap-detail", roadmap.pk))
    html = response.content.decode()
    # The world's one mentee has a request and a consent; its mentor has not been trained.
    consents = activity(roadmap, 2, 2)
    row = re.search(rf'<tr id="activity-{consents.pk}"[^>]*>.*?</tr>', html, re.S).group()
    assert "1 из 1" in row
    assert f'href="{reverse("registry:mentee-list")}">Банк наставляемых</a>' in row
    assert "внесены в банк наставляемых с согласием на обработку персональных данных" in row
    assert "по данным реестра" in row
    trained = activity(roadmap, 4, 2)
    row = re.search(rf'<tr id="activity-{trained.pk}"[^>]*>.*?</tr>', html, re.S).group()
    assert f'href="{reverse("registry:mentor-list")}?trained=no">Наставники без обучения</a>' in row
    # The roadmap of 2026/2027 is not approved, its deadline 30.09.2026 has passed.
    roadmap_row = activity(roadmap, 1, 2)
    assert f'<tr id="activity-{roadmap_row.pk}" class="roadmap-overdue">' in html
    assert "просрочено" in html


def test_no_link_is_a_bare_yes_or_count(world, as_user):
    roadmap = make_roadmap(world, 2026)
    signed_order(world.institution, Order.Kind.REGULATION, "94/1", date(2026, 8, 31))

    html = as_user(world.curator).get(url("roadmap-detail", roadmap.pk)).content.decode()

    links = re.findall(r"<a [^>]*>([^<]*)</a>", html)
    assert "Приказы об утверждении Положения" in links
    assert not [text for text in links if text.strip() in ("да", "нет")]
    assert not [text for text in links if re.fullmatch(r"\s*\d+ из \d+\s*", text)]


def test_a_stage_says_how_its_percent_is_made(world, as_user):
    roadmap = make_roadmap(world, 2026)
    # A second mentee with a request but no consent: the consents are 1 of 2, the requests 2 of 2.
    second = make_person(world.institution, "Сидорова")
    make_mentee(second)
    second.consents.all().delete()
    consents = activity(roadmap, 2, 2)

    page = html.unescape(text_of(as_user(world.curator).get(url("roadmap-detail", roadmap.pk))))

    assert (
        "Выполнено 75\xa0%. Полностью — 1 из 2 мероприятий, частично — "
        f"«{consents.title}» (50\xa0%); процент этапа — среднее по его мероприятиям." in page
    )
    assert "Процент дорожной карты — среднее по этапам" in page
    # A stage of whole activities keeps the plain sentence.
    assert "Выполнено 0\xa0%. Полностью — 0 из 3 мероприятий." in page


def test_the_timeline_table_counts_partial_activities(world, as_user):
    roadmap = make_roadmap(world, 2026)
    second = make_person(world.institution, "Сидорова")
    make_mentee(second)
    second.consents.all().delete()

    page = text_of(as_user(world.curator).get(url("roadmap-timeline", roadmap.pk)))

    assert "75 % (полностью 1 из 2, частично 1)" in page


def test_detail_page_queries_do_not_grow_with_the_registry(world, as_user, current):
    client = as_user(world.curator)

    def count():
        client.get(url("roadmap-detail", current.pk))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("roadmap-detail", current.pk))
        assert response.status_code == 200
        return len(queries)

    approve(world, current, on=TODAY)
    item = activity(current, 4, 2)
    item.deadline = current.starts_on + timedelta(days=99)
    services.activity_save(activity=item, user=world.curator, reason="Причина")
    small = count()
    for i in range(5):
        person = make_person(world.institution, f"Новая{i}")
        make_mentee(person)
        group = MentoringGroup.objects.create(
            institution=world.institution,
            status=MentoringGroup.Status.ACTIVE,
            form=MentoringForm.objects.first(),
            planned_start=current.starts_on,
            planned_end=current.starts_on + timedelta(days=200),
            curator=world.curator,
        )
        GroupMember.objects.create(group=group, person=person, role=GroupMember.Role.MENTEE)
    for index in range(5):
        item = activity(current, 5, 2)
        item.deadline = current.starts_on + timedelta(days=150 + index)
        services.activity_save(activity=item, user=world.curator, reason=f"Ещё {index}")
    assert count() == small


# --- Activities ---------------------------------------------------------------------------------


def activity_data(item: Activity, **changes) -> dict:
    data = {
        "title": item.title,
        "content": item.content,
        "starts_on": item.starts_on.isoformat() if item.starts_on else "",
        "deadline": item.deadline.isoformat(),
        "responsible": item.responsible_id or "",
        "responsible_note": item.responsible_note,
        "expected_result": item.expected_result,
        "measure": item.measure,
    }
    data.update(changes)
    return data


def test_deadline_outside_the_year_is_shown_next_to_the_field(world, as_user, current):
    item = activity(current, 2, 1)
    response = as_user(world.curator).post(
        url("activity-update", item.pk),
        activity_data(item, deadline=date(THIS_YEAR + 1, 9, 10).isoformat()),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["deadline"] == [
        f"Срок должен быть в пределах {THIS_YEAR}/{THIS_YEAR + 1} учебного года "
        f"(01.09.{THIS_YEAR} — 31.08.{THIS_YEAR + 1})."
    ]
    assert activity(current, 2, 1).deadline == item.deadline


def test_curator_adds_an_activity_and_changes_one_after_approval_with_a_reason(
    world, as_user, current
):
    client = as_user(world.curator)
    stage = current.stages.get(number=4)
    response = client.post(
        url("activity-create", stage.pk),
        {
            "title": "Установочная сессия наставников",
            "deadline": date(THIS_YEAR, 12, 10).isoformat(),
            "responsible_note": "куратор",
            "measure": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("roadmap-detail", current.pk) + "#stage-4"
    added = Activity.objects.get(title="Установочная сессия наставников")
    assert (added.stage, added.position) == (stage, 3)

    approve(world, current, on=TODAY)
    item = activity(current, 4, 2)
    page = client.get(url("activity-update", item.pk))
    assert "Причина изменения" in page.content.decode()
    new_deadline = date(THIS_YEAR, 12, 20)
    response = client.post(
        url("activity-update", item.pk), activity_data(item, deadline=new_deadline.isoformat())
    )
    assert response.context["form"].errors["reason"] == [
        "Дорожная карта утверждена приказом: укажите причину изменения."
    ]
    response = client.post(
        url("activity-update", item.pk),
        activity_data(item, deadline=new_deadline.isoformat(), reason="Курсы перенесены"),
        follow=True,
    )
    change = RoadmapChange.objects.get()
    assert change.reason == "Курсы перенесены"
    page = text_of(response)
    assert "изменена после утверждения" in page
    assert "Изменена после утверждения" in page
    assert "Курсы перенесены" in page
    assert f"срок: {item.deadline:%d.%m.%Y} → {new_deadline:%d.%m.%Y}" in page
    assert "Направить изменения на утверждение" in page

    # Deleting after approval asks for a reason too.
    response = client.post(url("activity-delete", added.pk))
    assert response.status_code == 200
    assert response.context["delete_form"].errors["reason"] == [
        "Дорожная карта утверждена приказом: укажите причину изменения."
    ]
    response = client.post(url("activity-delete", added.pk), {"reason": "Провели в составе курсов"})
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=added.pk).exists()


def test_curator_cannot_edit_while_the_head_decides(world, as_user, current):
    services.roadmap_submit(roadmap=current, user=world.curator)
    item = activity(current, 2, 1)
    response = as_user(world.curator).get(url("activity-update", item.pk), follow=True)
    assert messages_of(response) == [
        "Дорожная карта на утверждении у заведующего: изменить её можно после решения."
    ]


# --- Marking done with evidence -------------------------------------------------------------------


def test_mark_done_with_a_file_and_download_it(world, as_user, current, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = as_user(world.curator)
    item = activity(current, 4, 1)
    response = client.post(url("activity-done", item.pk), {"done_on": TODAY.isoformat()})
    assert response.status_code == 200
    assert "Укажите подтверждение" in text_of(response)

    fake = SimpleUploadedFile("протокол.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        url("activity-done", item.pk), {"done_on": TODAY.isoformat(), "evidence_file": fake}
    )
    assert response.context["form"].errors["evidence_file"] == [
        "Загрузите файл в формате PDF, DOCX, XLSX, JPEG или PNG: этот файл не похож на такой."
    ]
    response = client.post(
        url("activity-done", item.pk),
        {"done_on": TODAY.isoformat(), "evidence_link": "javascript:alert(1)"},
    )
    assert "evidence_link" in response.context["form"].errors

    table = SimpleUploadedFile("протокол.xlsx", b"PK\x03\x04 sheet")
    response = client.post(
        url("activity-done", item.pk),
        {"done_on": TODAY.isoformat(), "evidence_file": table, "evidence_note": "Протокол № 2"},
        follow=True,
    )
    assert messages_of(response) == [f"Мероприятие «{item.title}» отмечено выполненным."]
    item.refresh_from_db()
    assert item.status == Activity.Status.DONE
    assert "Файл подтверждения" in text_of(response)

    response = client.post(url("activity-reopen", item.pk), follow=True)
    assert messages_of(response) == [f"Отметка о выполнении снята: «{item.title}» снова в работе."]
    outsider = as_user(world.outsider).get(url("evidence-download", item.pk))
    assert outsider.status_code == 404

    # The evidence stays after the mark is taken back.
    download = as_user(world.council).get(url("evidence-download", item.pk))
    assert download.status_code == 200
    assert download_name(download) == f"Подтверждение выполнения {item.pk}.xlsx"
    assert b"".join(download.streaming_content) == b"PK\x03\x04 sheet"  # read: file closed


def test_mark_done_with_an_order_offers_only_signed_orders_of_the_institution(
    world, as_user, current
):
    ours = signed_order(world.institution, Order.Kind.REGULATION, "94/1", date(2022, 8, 31))
    Order.objects.create(institution=world.institution, kind=Order.Kind.REWARD, title="Проект")
    signed_order(world.other_institution, Order.Kind.REWARD, "7", date(2026, 9, 1))
    item = activity(current, 4, 1)
    client = as_user(world.curator)
    form = client.get(url("activity-done", item.pk)).context["form"]
    assert list(form.fields["evidence_order"].queryset) == [ours]
    client.post(
        url("activity-done", item.pk),
        {"done_on": TODAY.isoformat(), "evidence_order": ours.pk},
    )
    item.refresh_from_db()
    assert item.evidence_order == ours
    page = text_of(client.get(url("roadmap-detail", current.pk)))
    assert "Приказ № 94/1 от 31.08.2022" in page


# --- Approval and return ------------------------------------------------------------------------


def test_head_approves_with_a_signed_order(world, as_user, current):
    as_user(world.curator).post(url("roadmap-submit", current.pk))
    current.refresh_from_db()
    assert current.status == Roadmap.Status.SUBMITTED
    client = as_user(world.head)
    page = client.get(url("roadmap-approve", current.pk))
    assert page.context["form"].initial["number"] == "1"
    assert "Утвердить и подписать приказ" in page.content.decode()
    response = client.post(
        url("roadmap-approve", current.pk),
        {"number": "95/2", "date": TODAY.isoformat()},
        follow=True,
    )
    day = f"{TODAY:%d.%m.%Y}"
    assert messages_of(response) == [f"Дорожная карта утверждена приказом № 95/2 от {day}."]
    order = Order.objects.get(kind=Order.Kind.ROADMAP)
    assert (order.status, order.number, order.date) == (Order.Status.SIGNED, "95/2", TODAY)
    page = text_of(response)
    assert f"утверждена приказом от {day} № 95/2" in page
    assert "Редакция 1: приказ № 95/2" in page
    # A second approval of the same text is refused with a message.
    response = client.get(url("roadmap-approve", current.pk), follow=True)
    assert messages_of(response) == [
        "Утвердить нельзя: дорожная карта сейчас в состоянии «утверждена»."
    ]


def test_a_future_date_is_refused_next_to_the_field(world, as_user, current):
    services.roadmap_submit(roadmap=current, user=world.curator)
    response = as_user(world.head).post(
        url("roadmap-approve", current.pk),
        {"number": "95/2", "date": (TODAY + timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["Дата приказа не может быть в будущем."]
    assert not Order.objects.filter(kind=Order.Kind.ROADMAP).exists()


def test_head_returns_with_a_comment_shown_to_the_curator(world, as_user, current):
    services.roadmap_submit(roadmap=current, user=world.curator)
    client = as_user(world.head)
    response = client.post(url("roadmap-return", current.pk), {"comment": ""})
    assert response.status_code == 200
    assert response.context["return_form"].errors["comment"] == ["Напишите, что нужно исправить."]
    client.post(url("roadmap-return", current.pk), {"comment": "Уточните сроки этапа 5"})
    page = text_of(as_user(world.curator).get(url("roadmap-detail", current.pk)))
    assert "Заведующий вернул дорожную карту: Уточните сроки этапа 5" in page
    assert "Направить на утверждение заведующему" in page


# --- Documents -----------------------------------------------------------------------------


def test_pdf_of_the_approved_roadmap_is_the_appendix_to_the_order(world, as_user, tmp_path):
    roadmap = make_roadmap(world, 2026)
    approve(world, roadmap, number="95/2", on=date(2026, 9, 5))
    response = as_user(world.council).get(url("roadmap-pdf", roadmap.pk))
    assert download_name(response) == "Дорожная карта 2026-2027.pdf"
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "Приложение к приказу ГБДОУ детского сада № 64",
        # The institution's name in the prepositional case (issue 18, item 10).
        "наставничества педагогических работников в ГБДОУ детском саду № 64 Невского района",
        "от 05.09.2026 № 95/2",
        "Дорожная карта (план мероприятий)",
        "на 2026/2027 учебный год",
        "Наименование этапа",
        "Содержание деятельности",
        "Сроки",
        "Ответственные",
        "Предполагаемый результат",
        "Формирование банка наставляемых",
        "Информационная поддержка системы (целевой модели) наставничества",
        "01.09.2026 — 15.09.2026",
        "куратор, методический совет",
    ):
        assert expected in text
    assert "ПРОЕКТ" not in text


def test_changed_text_prints_as_a_draft_and_the_version_as_approved(world, as_user, tmp_path):
    roadmap = make_roadmap(world, 2026)
    approve(world, roadmap, number="95/2", on=date(2026, 9, 5))
    item = activity(roadmap, 4, 2)
    item.title = "Курсы ИМЦ Невского района для наставников"
    services.activity_save(activity=item, user=world.curator, reason="Уточнено")
    client = as_user(world.head)
    current = pdf_text(client.get(url("roadmap-pdf", roadmap.pk)).content, tmp_path)
    assert "ПРОЕКТ" in current
    assert "Курсы ИМЦ Невского района для наставников" in current
    assert "№ 95/2" not in current
    version = RoadmapVersion.objects.get()
    kept = pdf_text(client.get(url("version-pdf", version.pk)).content, tmp_path)
    assert "от 05.09.2026 № 95/2" in kept and "(редакция 1)" in kept
    assert "Обучение наставников для работы с наставляемыми" in kept
    assert "Курсы ИМЦ" not in kept


def test_the_roadmap_and_its_version_in_docx_read_as_the_pdf(world, as_user):
    """Issue 19: the roadmap in Word from the same template: landscape, the stage's number and
    title merged down its activities (rowspan), the header row repeated on every page."""
    roadmap = make_roadmap(world, 2026)
    approve(world, roadmap, number="95/2", on=date(2026, 9, 5))
    client = as_user(world.council)
    response = client.get(url("roadmap-pdf", roadmap.pk) + "?format=docx")
    text = docx_download_text(response, "Дорожная карта 2026-2027.docx")
    for expected in (
        "Приложение к приказу ГБДОУ детского сада № 64",
        "от 05.09.2026 № 95/2",
        "Дорожная карта (план мероприятий)",
        "на 2026/2027 учебный год",
        "№ Наименование этапа Содержание деятельности Сроки Ответственные Предполагаемый результат",
        "Формирование банка наставляемых",
        "Информационная поддержка системы (целевой модели) наставничества",
        "01.09.2026 — 15.09.2026",
        "куратор, методический совет",
    ):
        assert expected in text, expected
    assert "ПРОЕКТ" not in text
    document = docx_document(response.content)
    [section] = document.sections
    assert section.page_width > section.page_height  # @page { size: A4 landscape }
    table = document.tables[0]
    stage = activity(roadmap, 1, 1).stage
    rows = [row for row in table.rows if row.cells[1].text == stage.title]
    assert len(rows) == stage.activities.count() > 1  # one merged cell down the stage's rows
    assert table.rows[0]._tr.trPr is not None  # the header repeats on each page
    version = RoadmapVersion.objects.get()
    kept = docx_download_text(
        client.get(url("version-pdf", version.pk) + "?format=docx"),
        "Дорожная карта 2026-2027, редакция 1.docx",
    )
    assert "от 05.09.2026 № 95/2" in kept and "(редакция 1)" in kept


# --- Homes ---------------------------------------------------------------------------------


def test_curator_counters_remind_of_a_missing_roadmap_then_count_deadlines(world):
    [missing] = curator_counters(world.institution, TODAY)
    assert missing.attention and missing.url == url("roadmap-list")
    assert f"на {THIS_YEAR}/{THIS_YEAR + 1} учебный год" in missing.label
    roadmap = make_roadmap(world, 2026)
    counters = curator_counters(world.institution, date(2026, 11, 24))
    assert [(c.label, c.value, c.attention) for c in counters] == [
        ("мероприятия дорожной карты со сроком в этом месяце", 3, False),
        # 1.1 (no regulation order yet), 1.2 (not approved), 3.1 (no questionnaire), 4.1
        ("просроченных мероприятия дорожной карты", 4, True),
    ]
    assert counters[0].url == url("roadmap-detail", roadmap.pk)


def test_head_decisions_point_at_the_waiting_roadmap(world, current):
    [counter] = head_decisions(world.institution)
    assert (counter.value, counter.attention) == (0, False)
    services.roadmap_submit(roadmap=current, user=world.curator)
    [counter] = head_decisions(world.institution)
    assert (counter.label, counter.value, counter.attention) == (
        "дорожная карта ждёт утверждения",
        1,
        True,
    )
    assert counter.url == url("roadmap-approve", current.pk)


def test_the_head_gets_no_link_to_the_questionnaires_he_may_not_open(world, as_user):
    roadmap = make_roadmap(world)
    survey_list = reverse("reports:survey-list")
    curator_page = as_user(world.curator).get(reverse("roadmap:roadmap-detail", args=[roadmap.pk]))
    assert f'href="{survey_list}"' in curator_page.content.decode()
    head_page = as_user(world.head).get(reverse("roadmap:roadmap-detail", args=[roadmap.pk]))
    assert head_page.status_code == 200
    assert f'href="{survey_list}"' not in head_page.content.decode()
    assert as_user(world.head).get(survey_list).status_code == 404
