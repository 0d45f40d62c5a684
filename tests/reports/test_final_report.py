"""The final analytical report (п. 3.3: the curator «формирует итоговый аналитический отчет о
реализации системы (целевой модели) наставничества»): what it gathers from the registry for a
year, the curator's texts, handing it in as a snapshot that later edits do not change, the
empty year, the page and the PDF with its charts, and a fixed number of queries.

The numbers are checked against a hand-built year (2025/2026, which has ended): two pairs,
one program completed on time, one terminated at the mentee's initiative (п. 7.1), four events
of which three were done on time.
"""

import re
import shutil
import subprocess
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import EventForm, Program, ProgramChange, ProgramEvent, TermChange
from registry.models import (
    Direction,
    GroupMember,
    MentoringForm,
    MentoringGroup,
    Order,
    Role,
)
from reports.charts import pairs_chart
from reports.models import FinalReport, GrowthRecord, Practice
from reports.services import final_report as services
from roadmap.models import Roadmap
from tests.docx_helpers import docx_document, docx_download_text
from tests.download_helpers import download_name
from tests.factories import make_mentee, make_mentor, make_person, make_user

pytestmark = pytest.mark.django_db

YEAR = 2025  # 01.09.2025 — 31.08.2026: a year that has ended
MSK = ZoneInfo("Europe/Moscow")


def at(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=MSK)


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    # A fixed local tool on a file the test wrote itself (TOOLCHAIN.md: poppler-utils).
    command = [shutil.which("pdftotext"), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return " ".join(result.stdout.split())


def signed(institution, kind, number: str, on: date, title: str = "", appointees=()) -> Order:
    order = Order.objects.create(
        institution=institution,
        kind=kind,
        title=title or Order.Kind(kind).label,
        items=["Пункт."],
        status=Order.Status.SIGNED,
        number=number,
        date=on,
        year=on.year,
    )
    order.appointees.set(appointees)
    return order


def pair(world, mentor, mentee, *, start=date(2025, 9, 15), end=date(2026, 5, 31)):
    group = MentoringGroup.objects.create(
        institution=world.institution,
        status=MentoringGroup.Status.ACTIVE,
        form=MentoringForm.objects.order_by("sort_order", "name").first(),
        planned_start=start,
        planned_end=end,
        curator=world.curator,
        decided_at=at(date(2025, 9, 10)),
    )
    for person, role in [(mentor, GroupMember.Role.MENTOR), (mentee, GroupMember.Role.MENTEE)]:
        GroupMember.objects.create(
            group=group,
            person=person,
            role=role,
            response=GroupMember.Response.CONFIRMED,
            joined_on=start,
        )
    return group


def program(group, **fields) -> Program:
    fields.setdefault("status", Program.Status.ACTIVE)
    return Program.objects.create(
        group=group,
        start=group.planned_start,
        end=group.planned_end,
        approved_at=at(group.planned_start),
        **fields,
    )


def event(prog, deadline: date, done_on: date | None = None) -> ProgramEvent:
    return ProgramEvent.objects.create(
        program=prog,
        direction=Direction.objects.get(name="методическое"),
        form=EventForm.objects.first(),
        title="Анализ занятия",
        deadline=deadline,
        status=ProgramEvent.Status.DONE if done_on else ProgramEvent.Status.PLANNED,
        done_on=done_on,
    )


def build_year(world, extra_pairs: int = 0) -> dict:
    """The hand-built 2025/2026 of the module's docstring; ``extra_pairs`` more active pairs
    with a program and an event each (for the query counts)."""
    institution = world.institution
    institution.head_name = "Кузнецова Елена Викторовна"
    institution.save()
    curator_person = make_person(institution, "Кураторова", first_name="Ирина")
    world.curator.person = curator_person
    curator_person.user = world.curator
    curator_person.save()
    council_a = make_person(institution, "Советова", first_name="Галина")
    council_b = make_person(institution, "Методистова", first_name="Нина")

    # Orders: the regulation in force (signed the year before, replacing an older one), the
    # year's own orders, a draft and another kindergarten's order that must not appear.
    signed(institution, Order.Kind.REGULATION, "12", date(2023, 8, 30), "Старое положение")
    signed(institution, Order.Kind.REGULATION, "40/1", date(2024, 8, 29))
    signed(institution, Order.Kind.CURATOR, "41", date(2025, 9, 2), appointees=[curator_person])
    signed(
        institution,
        Order.Kind.COUNCIL,
        "42/2",
        date(2025, 9, 3),
        appointees=[council_a, council_b],
    )
    groups_order = signed(institution, Order.Kind.GROUPS, "94/1", date(2025, 9, 10))
    signed(institution, Order.Kind.FINAL_EVENT, "55", date(2026, 5, 20))
    signed(institution, Order.Kind.REWARD, "7", date(2025, 5, 20), "Поощрение прошлого года")
    Order.objects.create(institution=institution, kind=Order.Kind.REWARD, title="Проект поощрения")
    signed(world.other_institution, Order.Kind.GROUPS, "99", date(2025, 9, 10), "Чужой приказ")

    roadmap_order = signed(institution, Order.Kind.ROADMAP, "43", date(2025, 9, 4))
    Roadmap.objects.create(
        institution=institution,
        year_start=YEAR,
        status=Roadmap.Status.APPROVED,
        order=roadmap_order,
    )

    # Two pairs: one completed on time, one terminated by the mentee (п. 7.1).
    mentee_b = make_person(institution, "Сидорова", first_name="Вера")
    make_mentee(mentee_b)
    mentor_b = make_person(institution, "Орлова", first_name="Татьяна")
    make_mentor(mentor_b)
    done = program(
        pair(world, world.mentor_person, world.mentee_person),
        status=Program.Status.COMPLETED,
        finished_on=date(2026, 5, 30),
        reason=Program.Reason.PLAN_DONE,
    )
    stopped = program(
        pair(world, mentor_b, mentee_b),
        status=Program.Status.TERMINATED,
        finished_on=date(2026, 2, 1),
        reason=Program.Reason.MENTEE,
    )
    groups_order.covered_groups.set(MentoringGroup.objects.all())
    event(done, date(2025, 10, 1), done_on=date(2025, 9, 30))
    event(done, date(2025, 12, 1), done_on=date(2025, 12, 1))
    event(done, date(2026, 3, 1), done_on=date(2026, 3, 10))  # late
    event(stopped, date(2025, 11, 1), done_on=date(2025, 10, 20))
    for i in range(extra_pairs):
        mentee = make_person(institution, f"Новая{i}")
        make_mentee(mentee)
        extra = program(pair(world, world.mentor_person, mentee))
        event(extra, date(2025, 10, 15), done_on=date(2025, 10, 1))
        ProgramChange.objects.create(program=extra, at=at(date(2025, 11, 1)), what="План")

    # Changes of programs: two history entries in the year, one the year before; one applied
    # term change in the year and one declined.
    ProgramChange.objects.create(program=done, at=at(date(2025, 10, 5)), what="Добавлено")
    ProgramChange.objects.create(program=stopped, at=at(date(2026, 1, 20)), what="Изменено")
    ProgramChange.objects.create(program=done, at=at(date(2025, 8, 1)), what="Прошлый год")
    TermChange.objects.create(
        program=done,
        new_end=date(2026, 5, 31),
        reason="Больничный",
        status=TermChange.Status.APPLIED,
        requested_at=at(date(2026, 1, 10)),
    )
    TermChange.objects.create(
        program=stopped,
        new_end=date(2026, 6, 30),
        reason="Отпуск",
        status=TermChange.Status.DECLINED,
        requested_at=at(date(2026, 1, 11)),
    )

    # Growth and best practices.
    GrowthRecord.objects.create(
        person=world.mentee_person,
        kind=GrowthRecord.Kind.COURSE,
        title="КПК «ИКТ в ДОУ»",
        date=date(2026, 3, 1),
    )
    direction = Direction.objects.get(name="методическое")
    Practice.objects.create(
        institution=institution,
        program=done,
        title="Квест для молодого педагога",
        direction=direction,
        summary="Описание",
        created_at=at(date(2026, 6, 1)),
    )
    Practice.objects.create(
        institution=institution,
        title="Практика прошлого года",
        direction=direction,
        summary="Описание",
        created_at=at(date(2025, 6, 1)),
    )
    return {"done": done, "stopped": stopped}


def report_of(world, year_start: int = YEAR, **texts) -> FinalReport:
    report = services.report_get_or_create(institution=world.institution, year_start=year_start)
    if texts:
        report = services.report_update_text(
            report=report,
            problems=texts.get("problems", ""),
            risks=texts.get("risks", ""),
            proposals=texts.get("proposals", ""),
            user=world.curator,
        )
    return report


TEXTS = {
    "problems": "Не все наставляемые ответили на анкеты.",
    "risks": "Уход наставников в отпуск.",
    "proposals": "Провести установочную сессию.",
}


# --- What the report gathers ------------------------------------------------------------------


def test_report_data_lists_the_acts_in_force_and_of_the_year(world):
    build_year(world)
    data = services.report_data(institution=world.institution, year_start=YEAR)

    acts = [(a["number"], a["date"], a["title"], a["in_year"]) for a in data["local_acts"]]
    assert acts == [
        ("40/1", "29.08.2024", "Об утверждении Положения о системе наставничества", False),
        ("41", "02.09.2025", "О назначении куратора", True),
        ("42/2", "03.09.2025", "О составе методического совета наставников", True),
        ("43", "04.09.2025", "Об утверждении дорожной карты (плана мероприятий)", True),
        ("94/1", "10.09.2025", "О закреплении наставнических пар/групп", True),
        ("55", "20.05.2026", "О проведении итогового мероприятия", True),
    ]
    assert data["roadmap"] == {
        "status": "approved",
        "status_label": "утверждена",
        "order_number": "43",
        "order_date": "04.09.2025",
    }
    assert (
        "Федеральный закон от 27.07.2006 № 152-ФЗ «О персональных данных»"
        in (data["normative_base"])
    )
    assert data["period"] == "01.09.2025 — 31.08.2026"
    assert data["is_partial"] is False
    assert data["is_empty"] is False


def test_report_data_names_the_head_the_curator_and_the_council(world):
    build_year(world)
    organization = services.report_data(institution=world.institution, year_start=YEAR)[
        "organization"
    ]
    assert organization["head"] == "Кузнецова Елена Викторовна"
    assert organization["curator"] == {
        "people": [{"name": "Кураторова Ирина Сергеевна", "position": "воспитатель"}],
        "order": "№ 41 от 02.09.2025",
    }
    assert [p["name"] for p in organization["council"]["people"]] == [
        "Методистова Нина Сергеевна",
        "Советова Галина Сергеевна",
    ]
    assert organization["council"]["order"] == "№ 42/2 от 03.09.2025"


def test_without_orders_the_role_holders_stand_in(world):
    world.council.first_name, world.council.last_name = "Нина", "Советова"
    world.council.save()
    head_person = make_person(world.institution, "Заведующая", first_name="Ольга")
    head_person.user = world.head
    head_person.save()
    organization = services.report_data(institution=world.institution, year_start=YEAR)[
        "organization"
    ]
    assert organization["head"] == "Заведующая Ольга Сергеевна"
    assert organization["curator"] == {
        "people": [{"name": "curator", "position": ""}],
        "order": "",
    }
    assert organization["council"]["people"] == [{"name": "Нина Советова", "position": ""}]


def test_report_data_counts_changes_practices_and_takes_the_indicators(world):
    build_year(world)
    data = services.report_data(institution=world.institution, year_start=YEAR)

    assert data["changes"] == {"history": 2, "term_changes": 1}
    assert data["practices_list"] == [
        {
            "title": "Квест для молодого педагога",
            "direction": "методическое",
            "status": "draft",
            "status_label": "черновик",
        }
    ]
    numbers = data["indicators"]
    assert numbers["people"]["groups"] == 2
    assert numbers["people"]["pairs"] == 2
    assert numbers["programs"]["completed"] == 1
    assert numbers["programs"]["terminated"] == 1
    by_reason = {r["reason"]: r["count"] for r in numbers["programs"]["terminated_by_reason"]}
    assert by_reason["по инициативе наставляемого (уважительная причина)"] == 1
    assert numbers["events"] == {"due": 4, "done_on_time": 3, "share_on_time": 75.0}
    assert numbers["growth"]["course"] == 1
    assert numbers["practices"]["added"] == 1


def test_report_data_is_plain_json(world):
    import json

    build_year(world)
    data = services.report_data(institution=world.institution, year_start=YEAR)
    assert json.loads(json.dumps(data)) == data


def test_report_data_queries_do_not_grow_with_the_programs(world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            services.report_data(institution=world.institution, year_start=YEAR)
        return len(queries)

    build_year(world)
    small = count()
    for i in range(4):
        mentee = make_person(world.institution, f"Ещё{i}")
        make_mentee(mentee)
        extra = program(pair(world, world.mentor_person, mentee))
        event(extra, date(2025, 10, 15), done_on=date(2025, 10, 1))
        ProgramChange.objects.create(program=extra, at=at(date(2025, 11, 1)), what="План")
        Practice.objects.create(
            institution=world.institution,
            title=f"Практика {i}",
            direction=Direction.objects.first(),
            summary="Описание",
            created_at=at(date(2026, 2, 1)),
        )
    assert count() == small


# --- The workflow -------------------------------------------------------------------------


def test_a_year_that_has_not_begun_has_no_report(world):
    next_year = services.current_year_start() + 1
    with pytest.raises(ValidationError) as error:
        services.report_get_or_create(institution=world.institution, year_start=next_year)
    assert error.value.message_dict == {
        "year_start": [f"{next_year}/{next_year + 1} учебный год ещё не начался."]
    }


def test_get_or_create_returns_the_existing_report(world):
    first = report_of(world)
    assert report_of(world) == first
    assert FinalReport.objects.count() == 1


def test_finalize_keeps_a_snapshot_that_later_edits_do_not_change(world, as_user):
    objects = build_year(world)
    report = report_of(world, **TEXTS)
    report = services.report_finalize(report=report, user=world.curator)

    assert report.status == FinalReport.Status.FINAL
    assert report.finalized_by == world.curator
    assert report.snapshot["texts"] == TEXTS
    assert report.snapshot["finalized"]["by"] == "Кураторова Ирина Сергеевна"
    assert report.snapshot["indicators"]["programs"]["completed"] == 1

    # The registry changes after the report was handed in.
    objects["stopped"].status = Program.Status.COMPLETED
    objects["stopped"].reason = Program.Reason.PLAN_DONE
    objects["stopped"].save()
    signed(world.institution, Order.Kind.REWARD, "60", date(2026, 6, 1))
    Practice.objects.update(title="Переименована")
    world.institution.head_name = "Новая Заведующая"
    world.institution.save()

    page = text_of(as_user(world.head).get(url("report-detail", report.pk)))
    finalized_at = timezone.localtime(report.finalized_at)
    assert f"Отчёт сдан {finalized_at:%d.%m.%Y %H:%M}" in page
    assert "данные на момент сдачи" in page
    assert "Квест для молодого педагога" in page
    assert "Переименована" not in page
    assert "Кузнецова Елена Викторовна" in page
    assert "О поощрении наставников" not in page
    assert "Не все наставляемые ответили на анкеты." in page
    live = services.report_data(institution=world.institution, year_start=YEAR)
    assert live["indicators"]["programs"]["completed"] == 2
    assert services.report_content(report)["indicators"]["programs"]["completed"] == 1


def test_a_handed_in_report_is_never_changed_again(world):
    build_year(world)
    report = services.report_finalize(report=report_of(world, **TEXTS), user=world.curator)
    with pytest.raises(ValidationError, match="уже сдан"):
        services.report_finalize(report=report, user=world.curator)
    with pytest.raises(ValidationError, match="изменить его нельзя"):
        services.report_update_text(
            report=report, problems="Иначе", risks="", proposals="", user=world.curator
        )
    report.refresh_from_db()
    assert report.problems == TEXTS["problems"]


def test_finalize_needs_the_curators_texts(world):
    build_year(world)
    report = report_of(world, problems="Есть проблемы")
    with pytest.raises(ValidationError) as error:
        services.report_finalize(report=report, user=world.curator)
    assert set(error.value.message_dict) == {"risks", "proposals"}
    report.refresh_from_db()
    assert report.status == FinalReport.Status.DRAFT
    assert report.snapshot is None


def test_an_empty_year_is_shown_as_empty_and_cannot_be_handed_in(world, as_user, tmp_path):
    report = report_of(world, year_start=2020, **TEXTS)
    data = services.report_data(institution=world.institution, year_start=2020)
    assert data["is_empty"] is True

    with pytest.raises(ValidationError) as error:
        services.report_finalize(report=report, user=world.curator)
    assert error.value.messages == [
        "За 2020/2021 учебный год в реестре нет данных: ни пар, ни программ, ни приказов. "
        "Сдавать пустой отчёт нельзя."
    ]

    client = as_user(world.curator)
    page = text_of(client.get(url("report-detail", report.pk)))
    assert "За 2020/2021 учебный год в реестре нет данных" in page
    response = client.get(url("report-pdf", report.pk))
    assert response.status_code == 200
    assert "в реестре нет данных" in pdf_text(response.content, tmp_path)
    confirm = text_of(client.get(url("report-finalize", report.pk)))
    assert "такой отчёт сдать нельзя" in confirm
    response = client.post(url("report-finalize", report.pk))
    assert response.status_code == 200
    assert "Сдавать пустой отчёт нельзя." in text_of(response)
    report.refresh_from_db()
    assert report.status == FinalReport.Status.DRAFT


# --- The pages ------------------------------------------------------------------------------


def test_curator_creates_writes_and_hands_in_the_report(world, as_user):
    build_year(world)
    client = as_user(world.curator)
    this_year = services.current_year_start()
    page = text_of(client.get(url("report-list")))
    assert f"Создать отчёт за {this_year}/{this_year + 1} учебный год" in page
    assert "Создать отчёт за 2025/2026 учебный год" in page  # a past year with data
    assert "Отчётов пока нет" in page

    response = client.post(url("report-create"), {"year_start": YEAR}, follow=True)
    report = FinalReport.objects.get()
    assert response.redirect_chain[-1][0] == url("report-detail", report.pk)
    assert messages_of(response) == [
        "Черновик отчёта за 2025/2026 учебный год создан: цифры собраны из реестра. "
        "Допишите проблемы, риски и предложения, затем сдайте отчёт."
    ]
    assert "Дописать проблемы, риски и предложения" in text_of(response)

    # A second create of the same year is refused: the year is no longer offered.
    response = client.post(url("report-create"), {"year_start": YEAR}, follow=True)
    assert FinalReport.objects.count() == 1
    assert "Отчёт создают за текущий учебный год" in messages_of(response)[0]

    response = client.post(
        url("report-edit", report.pk),
        {"problems": "  Проблема\nвторая  ", "risks": "Риск", "proposals": "Предложение"},
        follow=True,
    )
    assert messages_of(response) == ["Проблемы, риски и предложения сохранены в черновике отчёта."]
    report.refresh_from_db()
    assert report.problems == "Проблема\nвторая"
    assert "Проблема<br>вторая" in response.content.decode()

    confirm = text_of(client.get(url("report-finalize", report.pk)))
    assert "Что произойдёт" in confirm
    assert "последующие изменения в реестре отчёт не изменят" in confirm
    response = client.post(url("report-finalize", report.pk), follow=True)
    report.refresh_from_db()
    assert report.status == FinalReport.Status.FINAL
    stamp = f"{timezone.localtime(report.finalized_at):%d.%m.%Y %H:%M}"
    assert messages_of(response) == [
        f"Отчёт за 2025/2026 учебный год сдан {stamp}. Его данные сохранены: дальнейшие "
        "изменения в реестре отчёт не изменят."
    ]
    page = text_of(response)
    assert f"Отчёт сдан {stamp} (Кураторова Ирина Сергеевна), данные на момент сдачи" in page
    assert "Сдать отчёт" not in page

    # Once handed in, the curator is sent back with a message.
    response = client.get(url("report-edit", report.pk), follow=True)
    assert "уже сдан: изменить его нельзя" in messages_of(response)[0]
    list_page = text_of(client.get(url("report-list")))
    assert f"Отчёт за 2025/2026 учебный год сдан {stamp}" in list_page


def test_finalize_without_texts_says_what_is_missing(world, as_user):
    build_year(world)
    report = report_of(world, problems="Проблема")
    client = as_user(world.curator)
    page = text_of(client.get(url("report-finalize", report.pk)))
    assert "Не заполнено: Риски, Предложения по совершенствованию" in page
    response = client.post(url("report-finalize", report.pk))
    assert "Заполните этот раздел: без него отчёт не сдать." in text_of(response)
    report.refresh_from_db()
    assert report.status == FinalReport.Status.DRAFT


def test_the_page_shows_the_numbers_of_the_year(world, as_user):
    build_year(world)
    report = report_of(world, **TEXTS)
    response = as_user(world.council).get(url("report-detail", report.pk))
    page = text_of(response)
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Итоговый аналитический отчёт за 2025/2026 учебный год" in page
    assert "10.09.2025 № 94/1 «О закреплении наставнических пар/групп»" in page
    assert "приказ № 43 от 04.09.2025" in page
    assert "Утверждено пар и групп: 2, из них пар: 2." in page
    assert "выполнено в срок: 3 (75,0 %)" in page
    assert "изменений срока по согласию наставника и наставляемого (п. 7.2): 1" in page
    assert "по инициативе наставляемого (уважительная причина) 1" in page
    assert "курсы повышения квалификации 1" in page
    assert "«Квест для молодого педагога» — методическое (черновик)" in page
    # Charts are inline SVG with the numbers; the council only reads.
    assert html.count('class="chart-svg"') >= 3
    assert "Дописать проблемы" not in page
    assert "Черновик: куратор дописывает отчёт" in page


# What the handed-in report of build_year says, in the PDF and in the DOCX alike.
REPORT_FACTS = [
    "ГБДОУ детский сад № 64 Невского района Санкт-Петербурга",
    "Итоговый аналитический отчёт о реализации системы (целевой модели) наставничества "
    "за 2025/2026 учебный год",
    "1. Нормативная база и локальные акты",
    "№ 94/1",
    "выполнено в срок: 3 (75,0 %)",
    "Утверждено пар и групп: 2, из них пар: 2.",
    "Квест для молодого педагога",
    "Не все наставляемые ответили на анкеты.",
    "Куратор реализации программ наставничества",
    "Кураторова Ирина Сергеевна",
]


def test_the_pdf_holds_the_key_facts(world, as_user, tmp_path):
    build_year(world)
    report = services.report_finalize(report=report_of(world, **TEXTS), user=world.curator)
    response = as_user(world.head).get(url("report-pdf", report.pk))
    assert response["Content-Type"] == "application/pdf"
    assert download_name(response) == "Итоговый отчёт 2025-2026.pdf"
    text = pdf_text(response.content, tmp_path)
    for fact in REPORT_FACTS:
        assert fact in text, fact
    assert "ЧЕРНОВИК" not in text


def test_the_docx_holds_the_same_key_facts(world, as_user):
    """Issue 19: the report in Word from the same template: the title page, the sections as
    Word's headings, the tables; the charts stay in the PDF (their figures are the tables')."""
    build_year(world)
    report = services.report_finalize(report=report_of(world, **TEXTS), user=world.curator)
    response = as_user(world.head).get(url("report-pdf", report.pk) + "?format=docx")
    text = docx_download_text(response, "Итоговый отчёт 2025-2026.docx")
    for fact in REPORT_FACTS:
        assert fact in text, fact
    assert "ЧЕРНОВИК" not in text
    assert "Приказы, действовавшие в учебном году" not in text  # captions hidden on paper
    document = docx_document(response.content)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[0] == "1. Нормативная база и локальные акты"
    assert "9. Проблемы, риски, предложения" in headings


def test_a_draft_pdf_says_it_is_a_draft(world, as_user, tmp_path):
    build_year(world)
    report = report_of(world)
    response = as_user(world.curator).get(url("report-pdf", report.pk))
    assert "ЧЕРНОВИК" in pdf_text(response.content, tmp_path)


def test_detail_page_queries_do_not_grow_with_the_programs(world, as_user):
    build_year(world)
    report = report_of(world, **TEXTS)
    client = as_user(world.curator)

    def count():
        client.get(url("report-detail", report.pk))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("report-detail", report.pk))
        assert response.status_code == 200
        return len(queries)

    small = count()
    for i in range(4):
        mentee = make_person(world.institution, f"Ещё{i}")
        make_mentee(mentee)
        extra = program(pair(world, world.mentor_person, mentee))
        event(extra, date(2025, 10, 15), done_on=date(2025, 10, 1))
        ProgramChange.objects.create(program=extra, at=at(date(2025, 11, 1)), what="План")
    assert count() == small


# --- The previous year and the empty tables (issue 22) ------------------------------------------


def build_previous_year(world) -> None:
    """2024/2025: one pair whose program was completed, one course."""
    mentee = make_person(world.institution, "Прошлогодняя", first_name="Ольга")
    make_mentee(mentee)
    group = pair(world, world.mentor_person, mentee, start=date(2024, 9, 15), end=date(2025, 5, 31))
    MentoringGroup.objects.filter(pk=group.pk).update(decided_at=at(date(2024, 9, 10)))
    program(
        group,
        status=Program.Status.COMPLETED,
        finished_on=date(2025, 5, 30),
        reason=Program.Reason.PLAN_DONE,
    )
    GrowthRecord.objects.create(
        person=mentee, kind=GrowthRecord.Kind.COURSE, title="КПК", date=date(2025, 3, 1)
    )


def test_the_report_compares_each_figure_with_the_previous_year(world, as_user, tmp_path):
    build_year(world)
    build_previous_year(world)
    data = services.report_data(institution=world.institution, year_start=YEAR)
    assert data["previous"]["year_label"] == "2024/2025"
    assert data["previous"]["indicators"]["people"]["groups"] == 1

    report = report_of(world, **TEXTS)
    client = as_user(world.head)
    response = client.get(url("report-detail", report.pk))
    page = text_of(response)
    assert "те же показатели за прошлый, 2024/2025 учебный год, и изменение" in page
    assert response.content.decode().count(">Прошлый год</th>") >= 4
    assert "Утверждено пар и групп: 2, из них пар: 2. В прошлом году: 1, из них пар: 1." in page
    # programs: completed 1 this year and 1 the last, terminated 1 against 0
    assert "завершены 1 1 0" in page
    assert "прекращены досрочно 1 0 +1" in page
    assert "курсы повышения квалификации 1 1 0" in page

    pdf = pdf_text(client.get(url("report-pdf", report.pk)).content, tmp_path)
    assert "Прошлый год" in pdf and "Изменение" in pdf
    assert "В прошлом году: 1, из них пар: 1." in pdf


def test_a_first_year_has_no_comparison(world, as_user):
    build_year(world)
    assert services.report_data(institution=world.institution, year_start=YEAR)["previous"] is None
    page = as_user(world.curator).get(url("report-detail", report_of(world).pk))
    assert "Прошлый год" not in page.content.decode()


def test_tables_of_zeros_collapse_to_one_line(world, as_user, tmp_path):
    build_year(world)  # no satisfaction questionnaires, no young specialists who came
    report = report_of(world, **TEXTS)
    client = as_user(world.curator)
    response = client.get(url("report-detail", report.pk))
    page = text_of(response)
    assert "Анкеты удовлетворённости: нет данных за год." in page
    assert "Пары и группы по видам наставничества: нет данных за год." in page
    html = response.content.decode()
    assert "Анкет удовлетворённости</th>" not in html  # no table of zeros
    pdf = pdf_text(client.get(url("report-pdf", report.pk)).content, tmp_path)
    assert "Анкеты удовлетворённости: нет данных за год." in pdf


def test_a_report_handed_in_before_the_comparison_still_shows(world, as_user):
    """A snapshot of schema 1 has no previous year: it is shown without the column."""
    build_year(world)
    build_previous_year(world)
    report = services.report_finalize(report=report_of(world, **TEXTS), user=world.curator)
    snapshot = dict(report.snapshot, schema=1)
    snapshot.pop("previous")
    FinalReport.objects.filter(pk=report.pk).update(snapshot=snapshot)
    response = as_user(world.curator).get(url("report-detail", report.pk))
    assert response.status_code == 200
    assert "Прошлый год" not in response.content.decode()


def test_another_kindergartens_report_is_not_found(world, as_user):
    other = FinalReport.objects.create(institution=world.other_institution, year_start=YEAR)
    for name in ("report-detail", "report-pdf", "report-edit", "report-finalize"):
        assert as_user(world.curator).get(url(name, other.pk)).status_code == 404


# --- Charts ---------------------------------------------------------------------------------


def test_chart_escapes_typed_labels_and_scales_bars():
    chart = pairs_chart(
        "c", "Т & Д", [("<script>alert(1)</script>", 3), ("Вторая", 6), ("Ноль", 0)]
    )
    svg = render_to_string("reports/_bar_chart.html", {"chart": chart})
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "Т &amp; Д" in svg
    assert [b.label for b in chart.bars] == ["<script>alert(1)</script>", "Вторая"]
    assert chart.bars[0].width * 2 == chart.bars[1].width  # 3 of 6 is half the bar
    assert pairs_chart("e", "Пусто", [("Ноль", 0)]).is_empty
    assert pairs_chart("o", "Оценки", [("Оценка", 8.5)], maximum=10).bars[0].text == "8,5"


def test_a_form_name_is_escaped_in_the_report(world, as_user):
    build_year(world)
    MentoringForm.objects.filter(pk=MentoringGroup.objects.values("form")[:1]).update(
        name="<b>педагог</b> – педагог"
    )
    report = report_of(world)
    html = as_user(world.curator).get(url("report-detail", report.pk)).content.decode()
    assert "<b>педагог</b>" not in html
    assert "&lt;b&gt;педагог&lt;/b&gt; – педагог" in html


# --- Who may do what (the permission table has every role; these are the flows) ------------


def test_head_and_council_read_but_do_not_write(world, as_user):
    report = report_of(world)
    for user in (world.head, world.council):
        client = as_user(user)
        assert client.get(url("report-detail", report.pk)).status_code == 200
        assert client.get(url("report-edit", report.pk)).status_code == 403
        assert client.post(url("report-finalize", report.pk)).status_code == 403
    report.refresh_from_db()
    assert report.status == FinalReport.Status.DRAFT


def test_a_second_curator_sees_the_same_report(world, as_user):
    second = make_user(world.institution, "curator2", Role.CURATOR)
    report = report_of(world)
    response = as_user(second).get(url("report-detail", report.pk))
    assert "Дописать проблемы, риски и предложения" in text_of(response)


def test_the_current_year_reads_up_to_today(world, as_user):
    this_year = services.current_year_start()
    today = timezone.localdate()
    data = services.report_data(institution=world.institution, year_start=this_year)
    assert data["period"] == f"01.09.{this_year} — {today:%d.%m.%Y}"
    assert data["is_partial"] is (today != date(this_year + 1, 8, 31))
    report = report_of(world, year_start=this_year)
    page = text_of(as_user(world.curator).get(url("report-detail", report.pk)))
    if data["is_partial"]:
        assert "(учебный год ещё идёт)" in page


def test_text_typed_while_the_report_was_handed_in_elsewhere_is_kept(world, as_user, monkeypatch):
    build_year(world)
    report = report_of(world, **TEXTS)
    real_update = services.report_update_text

    def handed_in_meanwhile(**kwargs):
        services.report_finalize(report=report, user=world.curator)
        return real_update(**kwargs)

    monkeypatch.setattr(services, "report_update_text", handed_in_meanwhile)
    response = as_user(world.curator).post(
        url("report-edit", report.pk),
        {"problems": "Новый длинный текст", "risks": "Р", "proposals": "П"},
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "уже сдан" in page
    assert "Новый длинный текст" in page
    report.refresh_from_db()
    assert report.problems == TEXTS["problems"]


# --- Issue 18: the head reopens a handed-in report with a reason, or approves it ---------------


def test_the_head_reopens_a_handed_in_report_with_a_reason_and_it_can_be_handed_in_again(
    world, as_user
):
    build_year(world)
    report = services.report_finalize(report=report_of(world, **TEXTS), user=world.curator)
    with pytest.raises(ValidationError, match="почему"):
        services.report_reopen(report=report, reason="  ", user=world.head)
    client = as_user(world.head)
    client.post(url("report-reopen", report.pk), {"reason": "Сдан в середине года"})
    report.refresh_from_db()
    assert report.status == FinalReport.Status.DRAFT
    assert report.snapshot is None
    # The curator edits and hands it in again (the year-end report is not blocked).
    services.report_update_text(
        report=report, problems="Иначе", risks="Р", proposals="П", user=world.curator
    )
    report = services.report_finalize(report=report, user=world.curator)
    assert report.status == FinalReport.Status.FINAL
    assert [(e.action, e.reason) for e in report.events.all()] == [
        ("finalized", ""),
        ("reopened", "Сдан в середине года"),
        ("finalized", ""),
    ]
    page = text_of(client.get(url("report-detail", report.pk)))
    assert "возвращён заведующим на доработку" in page
    assert "Сдан в середине года" in page


def test_the_head_approves_and_an_approved_report_cannot_be_reopened(world, as_user, tmp_path):
    build_year(world)
    report = services.report_finalize(report=report_of(world, **TEXTS), user=world.curator)
    # The curator and the council may not decide.
    assert as_user(world.curator).post(url("report-approve", report.pk)).status_code == 403
    assert (
        as_user(world.council).post(url("report-reopen", report.pk), {"reason": "x"}).status_code
        == 403
    )
    as_user(world.head).post(url("report-approve", report.pk))
    report.refresh_from_db()
    assert report.status == FinalReport.Status.APPROVED
    approved_on = f"{timezone.localtime(report.approved_at):%d.%m.%Y}"
    assert report.snapshot["approved"]["at"] == approved_on
    with pytest.raises(ValidationError, match="только сданный"):
        services.report_reopen(report=report, reason="Поздно", user=world.head)
    with pytest.raises(ValidationError, match="утверждён"):
        services.report_update_text(
            report=report, problems="x", risks="x", proposals="x", user=world.curator
        )
    text = pdf_text(as_user(world.head).get(url("report-pdf", report.pk)).content, tmp_path)
    assert "УТВЕРЖДАЮ" in text
    assert approved_on in text
    assert [e.action for e in report.events.all()] == ["finalized", "approved"]


def test_a_draft_is_neither_approved_nor_reopened(world):
    build_year(world)
    report = report_of(world, **TEXTS)
    with pytest.raises(ValidationError, match="только сданный"):
        services.report_approve(report=report, user=world.head)
    with pytest.raises(ValidationError, match="только сданный"):
        services.report_reopen(report=report, reason="x", user=world.head)
