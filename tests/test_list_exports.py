"""«Скачать Excel» of every list a curator or a head works with (issue 19, item 5): the pairs and
groups, the programs with their progress, the order register, a survey's results per question,
the overdue events and the users.

Each workbook is opened with openpyxl and read as a person would: the header row (the row above
the frozen pane), the rows — the very rows of the page under the same filters, all of them, not
one page —, cells typed as dates and numbers, and the frozen header. The queries of an export do
not grow with its rows.
"""

import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from programs.models import Program
from registry.models import MentoringForm, MentoringGroup, Order, Role
from reports.services import surveys as survey_services
from tests.download_helpers import download_name
from tests.factories import make_person, make_user
from tests.programs.test_execution import make_event, make_group, make_program, other_pair
from tests.reports.test_survey_services import (
    anonymous_survey_with,
    answers_for,
    invitation,
    own_template,
    send,
)

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Sheet:
    """A downloaded list: its heading lines, header, rows and typed cells."""

    def __init__(self, response):
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        self.name = download_name(response)
        self.sheet = load_workbook(io.BytesIO(response.content)).active
        match = re.fullmatch(r"([A-Z]+)(\d+)", self.sheet.freeze_panes or "")
        assert match, f"no frozen pane: {self.sheet.freeze_panes!r}"
        self.first_row = int(match.group(2))  # the first row under the frozen header
        self.header_row = self.first_row - 1
        lines = list(self.sheet.iter_rows(values_only=True))
        self.heading = [line[0] for line in lines[: self.header_row - 1] if line and line[0]]
        self.header = [value for value in lines[self.header_row - 1] if value is not None]
        self.rows = [line[: len(self.header)] for line in lines[self.header_row :]]

    def column(self, title: str) -> list:
        index = self.header.index(title)
        return [row[index] for row in self.rows]

    def cells(self, title: str) -> list:
        """The cells of a column (typed: ``is_date``, ``data_type``)."""
        column = self.header.index(title) + 1
        return [
            self.sheet.cell(row=row, column=column)
            for row in range(self.first_row, self.first_row + len(self.rows))
        ]

    def assert_header_is_frozen_and_bold(self):
        assert self.sheet.cell(row=self.header_row, column=1).font.bold
        assert self.sheet.auto_filter.ref.startswith(f"A{self.header_row}:")


def page_and_sheet(client, list_name: str, export_name: str, query=None, args=()):
    """The list's page and its export, both under ``query``."""
    page = client.get(reverse(list_name, args=args), query or {})
    assert page.status_code == 200
    return page, Sheet(client.get(reverse(export_name, args=args), query or {}))


def export_queries(client, export_name: str, query=None) -> int:
    """The queries of a second export in a row (the first one also touches the session)."""
    client.get(reverse(export_name), query or {})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(export_name), query or {}).status_code == 200
    return len(queries)


def assert_dates(cells):
    assert cells and all(cell.is_date for cell in cells if cell.value is not None)


def assert_numbers(cells):
    assert cells and all(cell.data_type == "n" for cell in cells if cell.value is not None)


def today() -> date:
    return timezone.localdate()


# --- Pairs and groups --------------------------------------------------------------------------


def signed_order(world, number: str, on: date, kind=Order.Kind.GROUPS, **fields) -> Order:
    return Order.objects.create(
        institution=world.institution,
        kind=kind,
        status=Order.Status.SIGNED,
        number=number,
        date=on,
        year=on.year,
        title=fields.pop("title", "О закреплении наставнических пар"),
        signed_at=timezone.now(),
        **fields,
    )


def proposed_group(world):
    mentee = make_person(world.institution, "Новикова", first_name="Дарья")
    group = make_group(world, mentee_person=mentee)
    group.status = MentoringGroup.Status.PROPOSED
    group.save()
    return group


def test_groups_export_is_the_filtered_list(as_user, world):
    active = make_group(world)
    active.order = signed_order(world, "94/1", date(2026, 9, 1))
    active.save()
    proposed_group(world)
    client = as_user(world.curator)

    page, sheet = page_and_sheet(
        client, "registry:group-list", "registry:group-export", {"status": "active"}
    )

    assert sheet.name == f"Пары и группы {today():%d.%m.%Y}.xlsx"
    assert sheet.header[:3] == ["Наставник", "Наставляемые", "Пара или группа"]
    assert sheet.heading == ["Пары и группы", "Состояние: утверждена"]
    assert len(sheet.rows) == page.context["page_obj"].paginator.count == 1
    assert sheet.column("Наставник") == ["Петрова Мария Ивановна"]
    assert sheet.column("Наставляемые") == ["Иванова Анна Сергеевна"]
    assert sheet.column("Номер приказа") == ["94/1"]
    assert sheet.column("Дата приказа")[0].date() == date(2026, 9, 1)
    assert_dates(sheet.cells("Начало") + sheet.cells("Окончание") + sheet.cells("Дата приказа"))
    assert_numbers(sheet.cells("Ходатайства, ждут решения"))
    assert sheet.sheet.freeze_panes == f"B{sheet.first_row}"
    sheet.assert_header_is_frozen_and_bold()

    _page, everything = page_and_sheet(client, "registry:group-list", "registry:group-export")
    assert len(everything.rows) == 2
    assert everything.heading == ["Пары и группы", "Без отбора: все строки"]


def test_groups_export_holds_every_row_not_one_page(as_user, world):
    form = MentoringForm.objects.first()
    MentoringGroup.objects.bulk_create(
        MentoringGroup(
            institution=world.institution,
            status=MentoringGroup.Status.PROPOSED,
            form=form,
            planned_start=date(2026, 9, 1),
            planned_end=date(2027, 5, 31),
            curator=world.curator,
        )
        for _ in range(27)
    )
    page, sheet = page_and_sheet(
        as_user(world.curator), "registry:group-list", "registry:group-export"
    )
    assert len(page.context["groups"]) == 25
    assert len(sheet.rows) == page.context["page_obj"].paginator.count == 27


def test_groups_export_queries_do_not_grow_with_the_rows(as_user, world):
    client = as_user(world.curator)
    make_group(world)
    few = export_queries(client, "registry:group-export")
    for n in range(3):
        other_pair(world, suffix=f"q{n}")
    assert export_queries(client, "registry:group-export") == few


def test_outsiders_export_holds_none_of_our_pairs(as_user, world):
    make_group(world)
    sheet = Sheet(as_user(world.outsider).get(reverse("registry:group-export")))
    assert sheet.rows == []


# --- Programs with their progress --------------------------------------------------------------


def test_programs_export_is_the_filtered_list_with_progress(as_user, world):
    late = make_program(world)
    make_event(late, "Анализ занятия", deadline=today() - timedelta(days=3))
    make_event(late, "Открытое занятие", status="done", deadline=today() - timedelta(days=5))
    group, _mentor, _mentee = other_pair(world)
    on_time = make_program(world, group=group)
    make_event(on_time, "Консультация")
    client = as_user(world.head)

    page, sheet = page_and_sheet(
        client, "programs:program-list", "programs:program-export", {"overdue": "on"}
    )
    assert sheet.name == f"Программы наставничества {today():%d.%m.%Y}.xlsx"
    assert sheet.heading == ["Программы наставничества", "Только с просроченными мероприятиями: да"]
    assert len(sheet.rows) == page.context["page_obj"].paginator.count == 1
    assert sheet.column("Наставляемые") == ["Иванова Анна Сергеевна"]
    assert sheet.column("Мероприятий в плане") == [2]
    assert sheet.column("Выполнено") == [1]
    assert sheet.column("Выполнено, %") == [50]
    assert sheet.column("Просрочено") == [1]
    assert_numbers(sheet.cells("Выполнено, %") + sheet.cells("Просрочено"))
    assert_dates(sheet.cells("Начало") + sheet.cells("Окончание"))
    sheet.assert_header_is_frozen_and_bold()

    # By mentor: named as in the filter's list.
    query = {"mentor": world.mentor_person.pk}
    page, by_mentor = page_and_sheet(
        client, "programs:program-list", "programs:program-export", query
    )
    assert by_mentor.heading[1:] == ["Наставник: Петрова М. И."]
    assert len(by_mentor.rows) == page.context["page_obj"].paginator.count == 1

    # The sort of the page is the sort of the sheet.
    page, both = page_and_sheet(
        client, "programs:program-list", "programs:program-export", {"sort": "-end"}
    )
    shown = [p.group.active_mentees[0].person.full_name for p in page.context["programs"]]
    assert both.column("Наставляемые") == shown and len(shown) == 2


def test_programs_export_queries_do_not_grow_with_the_rows(as_user, world):
    client = as_user(world.curator)
    make_event(make_program(world), "Анализ занятия")
    few = export_queries(client, "programs:program-export")
    for n in range(3):
        group, _mentor, _mentee = other_pair(world, suffix=f"q{n}")
        make_event(make_program(world, group=group), "Анализ занятия")
    assert export_queries(client, "programs:program-export") == few


# --- The order register ------------------------------------------------------------------------


def test_orders_export_is_the_filtered_register(as_user, world):
    signed_order(world, "12", date(2026, 9, 1), kind=Order.Kind.CURATOR, title="О куратора")
    signed_order(world, "13", date(2026, 9, 2), kind=Order.Kind.COUNCIL, title="О совете")
    Order.objects.create(
        institution=world.institution, kind=Order.Kind.CURATOR, title="Проект о кураторе"
    )
    client = as_user(world.head)

    page, sheet = page_and_sheet(
        client, "registry:order-list", "registry:order-export", {"kind": "curator"}
    )
    assert sheet.name == f"Приказы {today():%d.%m.%Y}.xlsx"
    assert sheet.heading == ["Реестр приказов", "Вид приказа: О назначении куратора"]
    assert sheet.header == ["Номер", "Дата", "Вид приказа", "Заголовок", "Состояние", "Подписан"]
    assert len(sheet.rows) == page.context["page_obj"].paginator.count == 2
    assert sheet.column("Заголовок") == [o.title for o in page.context["orders"]]
    assert sheet.column("Номер") == [None, "12"]
    assert sheet.column("Дата")[1].date() == date(2026, 9, 1)
    assert sheet.column("Состояние") == ["проект", "подписан"]
    assert_dates(sheet.cells("Дата") + sheet.cells("Подписан"))
    assert sheet.sheet.freeze_panes == f"A{sheet.first_row}"
    sheet.assert_header_is_frozen_and_bold()

    _page, signed = page_and_sheet(
        client, "registry:order-list", "registry:order-export", {"status": "signed", "year": 2026}
    )
    assert signed.column("Номер") == ["13", "12"]
    assert signed.heading[1:] == ["Год: 2026", "Состояние: подписан"]


def test_an_order_number_like_a_formula_stays_text(as_user, world):
    signed_order(world, "-1", date(2026, 9, 1), title='=HYPERLINK("x")')
    sheet = Sheet(as_user(world.curator).get(reverse("registry:order-export")))
    assert sheet.column("Номер") == ["-1"]
    cell = sheet.cells("Заголовок")[0]
    assert cell.data_type == "s" and cell.quotePrefix


# --- A survey's results per question -----------------------------------------------------------


def test_survey_results_per_question(as_user, world):
    template = own_template(world)
    programs = [make_program(world)]
    group, _mentor, mentee_b = other_pair(world)
    programs.append(make_program(world, group=group))
    survey = send(world, template, programs)
    for user, scale in [(world.mentee, 8), (mentee_b, 6)]:
        survey_services.survey_answer(
            invitation=invitation(survey, user), user=user, values=answers_for(template, scale)
        )
    client = as_user(world.council)
    url = reverse("reports:survey-export", args=[survey.pk])

    page = client.get(reverse("reports:survey-detail", args=[survey.pk]))
    assert url in page.content.decode()
    sheet = Sheet(client.get(url))
    assert sheet.name == f"Результаты анкетирования {survey.title} {today():%d.%m.%Y}.xlsx"
    assert sheet.heading[0] == f"Анкетирование: {survey.title}"
    assert "Ответили: 2" in sheet.heading
    results = page.context["results"].questions
    assert sorted(set(sheet.column("№"))) == list(range(1, len(results) + 1))
    scale = [row for row in sheet.rows if row[1] == "Насколько полезны встречи?"]
    assert [row[5] for row in scale] == list(range(1, 11))  # the marks, as numbers
    assert scale[0][3:5] == (2, 7)  # answered, the mean
    assert [(row[5], row[6], row[7]) for row in scale if row[6]] == [(6, 1, 50), (8, 1, 50)]
    single = [row[5:] for row in sheet.rows if row[1] == "Как часто встречаться?"]
    assert single == [("раз в неделю", 2, 100), ("раз в месяц", 0, 0)]
    texts = [row[5] for row in sheet.rows if row[1] == "Что добавить?"]
    assert texts == ["Больше практики", "Больше практики"]
    assert_numbers(sheet.cells("Ответ")[:10] + sheet.cells("Доля, %") + sheet.cells("№"))
    sheet.assert_header_is_frozen_and_bold()


def test_an_anonymous_survey_below_three_exports_no_answers(as_user, world):
    survey = anonymous_survey_with(world, 2)
    sheet = Sheet(as_user(world.curator).get(reverse("reports:survey-export", args=[survey.pk])))
    assert sheet.rows == []
    assert any("меньше трёх" in line for line in sheet.heading)


def test_survey_export_of_another_kindergarten_is_not_found(as_user, world):
    survey = anonymous_survey_with(world, 3)
    response = as_user(world.outsider).get(reverse("reports:survey-export", args=[survey.pk]))
    assert response.status_code == 404


# --- Overdue events ----------------------------------------------------------------------------


def test_overdue_export_is_the_page_list(as_user, world):
    program = make_program(world)
    make_event(program, "Анализ занятия", deadline=today() - timedelta(days=10))
    make_event(program, "Открытое занятие", deadline=today() - timedelta(days=2))
    make_event(program, "Консультация")  # not yet due
    page, sheet = page_and_sheet(
        as_user(world.curator), "programs:overdue-list", "programs:overdue-export"
    )
    assert sheet.name == f"Просроченные мероприятия {today():%d.%m.%Y}.xlsx"
    assert len(sheet.rows) == page.context["page_obj"].paginator.count == 2
    assert sheet.column("Мероприятие") == [row["event"].title for row in page.context["rows"]]
    assert sheet.column("Просрочено, дней") == [10, 2]
    assert sheet.column("Кто отвечает") == ["Петрова Мария Ивановна\nИванова Анна Сергеевна"] * 2
    assert_dates(sheet.cells("Срок"))
    assert_numbers(sheet.cells("Просрочено, дней"))
    sheet.assert_header_is_frozen_and_bold()


def test_overdue_export_queries_do_not_grow_with_the_rows(as_user, world):
    client = as_user(world.curator)
    make_event(make_program(world), "Анализ", deadline=today() - timedelta(days=1))
    few = export_queries(client, "programs:overdue-export")
    for n in range(3):
        group, _mentor, _mentee = other_pair(world, suffix=f"q{n}")
        make_event(make_program(world, group=group), "Анализ", deadline=today() - timedelta(days=1))
    assert export_queries(client, "programs:overdue-export") == few


# --- Users -------------------------------------------------------------------------------------


def test_users_export_is_the_filtered_list(as_user, world):
    world.curator.last_login = timezone.now()
    world.curator.save()
    client = as_user(world.head)
    page, sheet = page_and_sheet(
        client, "registry:user-list", "registry:user-export", {"role": Role.CURATOR}
    )
    assert sheet.name == f"Пользователи {today():%d.%m.%Y}.xlsx"
    assert sheet.heading == ["Пользователи", f"Роль: {Role.CURATOR.label}"]
    assert len(sheet.rows) == page.context["page_obj"].paginator.count == 1
    assert sheet.column("Логин") == ["curator"]
    assert_dates(sheet.cells("Последний вход"))
    sheet.assert_header_is_frozen_and_bold()


def test_users_export_holds_every_row_in_the_page_order(as_user, world):
    for n in range(30):
        make_user(world.institution, f"user{n:02}", person=make_person(world.institution))
    client = as_user(world.sysadmin)
    query = {"per_page": 25, "sort": "-login"}
    page, sheet = page_and_sheet(client, "registry:user-list", "registry:user-export", query)
    assert len(page.context["rows"]) == 25
    assert len(sheet.rows) == page.context["page_obj"].paginator.count
    shown = [row["user"].username for row in page.context["rows"]]
    assert sheet.column("Логин")[:25] == shown


def test_users_export_queries_do_not_grow_with_the_rows(as_user, world):
    client = as_user(world.sysadmin)
    few = export_queries(client, "registry:user-export")
    for n in range(3):
        person = make_person(world.institution)
        make_user(world.institution, f"more{n}", Role.COUNCIL, person=person)
    assert export_queries(client, "registry:user-export") == few


# --- The links ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("list_name", "export_name", "query"),
    [
        ("registry:group-list", "registry:group-export", "status=active"),
        ("programs:program-list", "programs:program-export", "overdue=on"),
        ("registry:order-list", "registry:order-export", "kind=curator"),
        ("registry:user-list", "registry:user-export", "role=curator"),
    ],
)
def test_each_list_links_its_excel_with_its_filters(as_user, world, list_name, export_name, query):
    make_event(make_program(world), "Анализ", deadline=today() - timedelta(days=1))
    signed_order(world, "12", date(2026, 9, 1), kind=Order.Kind.CURATOR)
    page = as_user(world.curator).get(f"{reverse(list_name)}?{query}&page=1")
    text = page.content.decode()
    links = re.findall(rf'href="{re.escape(reverse(export_name))}([^"]*)"', text)
    assert links == [f"?{query}"]
    assert "Скачать Excel" in text


def test_the_overdue_page_links_its_excel(as_user, world):
    make_event(make_program(world), "Анализ", deadline=today() - timedelta(days=1))
    text = as_user(world.curator).get(reverse("programs:overdue-list")).content.decode()
    assert f'href="{reverse("programs:overdue-export")}"' in text


def test_programs_of_the_export_are_the_institutions(as_user, world):
    make_program(world)
    assert Program.objects.count() == 1
    sheet = Sheet(as_user(world.outsider).get(reverse("programs:program-export")))
    assert sheet.rows == []
