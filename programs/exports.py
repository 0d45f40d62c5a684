"""The programs' lists as Excel workbooks (issue 19, item 5): the curator's overview with the
progress of each plan, and the overdue events. The view passes the very queryset its page shows
(one definition of the list's query), so the rows are the page's rows, all of them; the
querysets come with the group's members loaded, so the queries do not grow with the rows.
"""

from datetime import date

from mentoring_site.lib.spreadsheets import Column, table_xlsx
from programs.models import Program, ProgramEvent
from programs.services.execution import responsible_people
from registry.exports import member_names

PROGRAM_COLUMNS = [
    Column("Наставник", 34),
    Column("Наставляемые", 34),
    Column("Состояние", 16),
    Column("Начало", 12),
    Column("Окончание", 12),
    Column("Мероприятий в плане", 12),
    Column("Выполнено", 12),
    Column("Выполнено, %", 12),
    Column("Просрочено", 12),
]


def _program_row(program: Program) -> list:
    group = program.group
    total, done = program.events_total, program.events_done
    return [
        member_names(group.active_mentors),
        member_names(group.active_mentees),
        program.get_status_display(),
        program.start,
        program.end,
        total,
        done,
        round(100 * done / total) if total else None,
        program.overdue_count,
    ]


def program_workbook(*, programs, filters: list[str]) -> bytes:
    """The programs as the overview lists them: ``programs`` is its queryset, annotated with
    ``events_total``, ``events_done`` and ``overdue_count``."""
    return table_xlsx(
        title="Программы",
        heading=["Программы наставничества", *filters],
        columns=PROGRAM_COLUMNS,
        rows=(_program_row(program) for program in programs),
    )


OVERDUE_COLUMNS = [
    Column("Пара (группа)", 40),
    Column("Мероприятие", 50),
    Column("Направление", 24),
    Column("Срок", 12),
    Column("Просрочено, дней", 12),
    Column("Ответственный", 22),
    Column("Кто отвечает", 34),
]


def _overdue_row(event: ProgramEvent, today: date) -> list:
    return [
        event.program.group.title,
        event.title,
        event.direction.name if event.direction_id else "",
        event.deadline,
        (today - event.deadline).days,
        event.get_responsible_display(),
        member_names(responsible_people(event)),
    ]


def overdue_workbook(*, events, today: date) -> bytes:
    """The overdue events as their page lists them, the oldest first."""
    return table_xlsx(
        title="Просроченные мероприятия",
        heading=["Просроченные мероприятия", f"На {today:%d.%m.%Y}"],
        columns=OVERDUE_COLUMNS,
        rows=(_overdue_row(event, today) for event in events),
    )
