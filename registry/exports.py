"""The banks and the registry's lists as Excel workbooks: what the curator keeps (п. 3.3) and
hands on.

One workbook per bank: all participants, the mentor bank (Приложение 2, этап 3) with each
mentor's load and written consent (ТК РФ ст. 351.8), and the mentee bank (этап 2). One per list
(issue 19, item 5): the pairs and groups, the order register and the users, each as filtered on
its page — the view passes the very queryset the page shows (one definition of the list's
query), so the rows are the page's rows, all of them. The queries do not grow with the number
of rows: the querysets come with their relations loaded.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from mentoring_site.lib.downloads import dated_name
from mentoring_site.lib.spreadsheets import Column, table_xlsx
from registry.models import (
    MentoringGroup,
    Person,
    Role,
    User,
)
from registry.services.groups import with_mentee_load

BANK_TITLES = {
    "people": "Участники",
    "mentors": "Банк наставников",
    "mentees": "Банк наставляемых",
}


@dataclass(frozen=True)
class ExportColumn:
    title: str
    value: Callable[[Person], object]
    width: int = 16


def _education(person: Person) -> str:
    parts = [person.get_education_level_display(), person.education]
    return ", ".join(part for part in parts if part)


def _lines(items) -> str:
    return "\n".join(items)


PERSON_COLUMNS = [
    ExportColumn("ФИО", lambda p: p.full_name, 34),
    ExportColumn("Дата рождения", lambda p: p.birth_date, 14),
    ExportColumn("Должность", lambda p: p.position.name if p.position else "", 26),
    ExportColumn("Организация", lambda p: p.organization.short_name, 28),
    ExportColumn("Дата приёма", lambda p: p.hired_on, 14),
    ExportColumn("Стаж общий, лет", lambda p: p.experience_total, 12),
    ExportColumn("Стаж педагогический, лет", lambda p: p.experience_pedagogical, 14),
    ExportColumn("Стаж в должности, лет", lambda p: p.experience_in_position, 12),
    ExportColumn("Образование", _education, 40),
    ExportColumn("Квалификационная категория", lambda p: p.get_qualification_category_display()),
    ExportColumn("Дата аттестации", lambda p: p.attestation_date, 14),
    ExportColumn("E-mail", lambda p: p.email, 28),
    ExportColumn("Телефон", lambda p: p.phone, 18),
    ExportColumn(
        "Согласие на обработку персональных данных",
        lambda p: "есть" if p.has_processing_consent else "нет",
        14,
    ),
    ExportColumn("Дата актуализации", lambda p: p.last_reviewed_on, 14),
]

MENTOR_COLUMNS = [
    ExportColumn(
        "Компетенции по направлениям",
        lambda p: _lines(
            f"{c.direction.name}: {c.text}" if c.text else c.direction.name
            for c in p.mentor_profile.competences.all()
        ),
        50,
    ),
    ExportColumn("Наставляемых одновременно", lambda p: p.mentor_profile.capacity, 14),
    ExportColumn("Занято мест (наставляемых сейчас)", lambda p: p.mentee_load, 14),
    ExportColumn(
        "Согласие на наставничество (ТК РФ, ст. 351.8)",
        lambda p: "есть" if p.mentoring_consent_on else "нет",
        16,
    ),
    ExportColumn("Дата согласия на наставничество", lambda p: p.mentoring_consent_on, 14),
    ExportColumn("Обучение наставников", lambda p: p.mentor_profile.training_completed_on, 14),
    ExportColumn(
        "Готов к формам",
        lambda p: _lines(f.name for f in p.mentor_profile.ready_forms.all()),
        40,
    ),
    ExportColumn(
        "Готов к видам",
        lambda p: _lines(k.name for k in p.mentor_profile.ready_kinds.all()),
        30,
    ),
]

MENTEE_COLUMNS = [
    ExportColumn("Категория наставляемого", lambda p: p.mentee_profile.category.name, 30),
    ExportColumn("Статус", lambda p: p.mentee_profile.get_status_display(), 14),
    ExportColumn(
        "Затруднения и запросы",
        lambda p: _lines(f"{d.direction}: {d.text}" for d in p.mentee_profile.difficulties.all()),
        60,
    ),
    ExportColumn("Сильные стороны", lambda p: p.mentee_profile.strengths, 40),
]


def _with_bank_details(people, bank: str):
    """The rows of a bank with what its columns read, in a fixed number of queries."""
    if bank == "mentors":
        return with_mentee_load(
            people.prefetch_related("mentor_profile__ready_forms", "mentor_profile__ready_kinds")
        )
    if bank == "mentees":
        return people.prefetch_related("mentee_profile__difficulties__direction")
    return people


def bank_columns(bank: str) -> list[ExportColumn]:
    extra = {"people": [], "mentors": MENTOR_COLUMNS, "mentees": MENTEE_COLUMNS}[bank]
    return PERSON_COLUMNS + extra


def bank_workbook(*, bank: str, people, filters: list[str]) -> bytes:
    """The XLSX of one bank as its list shows it (``people``: the list's rows under its filters,
    in its order; ``filters``: the heading lines naming them): a bold Russian header row, real
    Excel dates, set widths; typed texts stay texts (mentoring_site/lib/spreadsheets.py)."""
    columns = bank_columns(bank)
    return table_xlsx(
        title=BANK_TITLES[bank],
        heading=[BANK_TITLES[bank], *filters],
        columns=[Column(column.title, column.width) for column in columns],
        rows=(
            [column.value(person) for column in columns]
            for person in _with_bank_details(people, bank)
        ),
    )


def bank_filename(bank: str, on: date) -> str:
    """«Банк наставников 24.11.2026.xlsx» (the header: mentoring_site/lib/downloads.py)."""
    return dated_name(BANK_TITLES[bank], on)


# --- The lists (issue 19, item 5) ---------------------------------------------------------------


def member_names(members) -> str:
    """The full names of group members, one a line."""
    return "\n".join(member.person.full_name for member in members)


GROUP_COLUMNS = [
    Column("Наставник", 34),
    Column("Наставляемые", 34),
    Column("Пара или группа", 12),
    Column("Форма", 24),
    Column("Направления", 30),
    Column("Начало", 12),
    Column("Окончание", 12),
    Column("Состояние", 22),
    Column("Номер приказа", 12),
    Column("Дата приказа", 12),
    Column("Ходатайства, ждут решения", 14),
]


def _group_row(group: MentoringGroup) -> list:
    order = group.order
    return [
        member_names(group.active_mentors),
        member_names(group.active_mentees),
        "пара" if group.is_pair else "группа",
        group.forms_display if group.form_id else "",
        ", ".join(direction.name for direction in group.directions.all()),
        group.planned_start,
        group.planned_end,
        group.get_status_display(),
        order.number if order else "",
        order.date if order else None,
        len(group.open_petitions),
    ]


def group_workbook(*, groups, filters: list[str]) -> bytes:
    """The pairs and groups as the page lists them: ``groups`` is the page's queryset (members,
    directions, form, order and the open petitions loaded)."""
    return table_xlsx(
        title="Пары и группы",
        heading=["Пары и группы", *filters],
        columns=GROUP_COLUMNS,
        rows=(_group_row(group) for group in groups),
    )


ORDER_COLUMNS = [
    Column("Номер", 12),
    Column("Дата", 12),
    Column("Вид приказа", 44),
    Column("Заголовок", 60),
    Column("Состояние", 12),
    Column("Подписан", 17),
]


def order_workbook(*, orders, filters: list[str]) -> bytes:
    """The order register as filtered on its page; a draft has no number and no date yet."""
    return table_xlsx(
        title="Приказы",
        heading=["Реестр приказов", *filters],
        columns=ORDER_COLUMNS,
        rows=(
            [
                order.number if order.is_signed else "",
                order.date if order.is_signed else None,
                order.get_kind_display(),
                order.title,
                order.get_status_display(),
                order.signed_at,
            ]
            for order in orders
        ),
        freeze_first_column=False,
    )


USER_COLUMNS = [
    Column("ФИО", 34),
    Column("Логин", 20),
    Column("Роли", 34),
    Column("Учётная запись", 14),
    Column("Пароль", 14),
    Column("Последний вход", 17),
]
ROLE_ORDER = {role.value: index for index, role in enumerate(Role)}


def role_labels(user: User) -> list[str]:
    """The user's roles in the order of ``Role`` (the assignments loaded with the user)."""
    assignments = sorted(user.role_assignments.all(), key=lambda a: ROLE_ORDER[a.role])
    return [assignment.get_role_display() for assignment in assignments]


def _user_row(user: User) -> list:
    person = getattr(user, "person", None)
    return [
        person.full_name if person else str(user),
        user.username,
        "\n".join(role_labels(user)),
        "действует" if user.is_active else "отключена",
        "задан" if user.has_usable_password() else "не задан",
        user.last_login,
    ]


def user_workbook(*, users, filters: list[str]) -> bytes:
    """The logins as filtered and sorted on «Пользователи» (person and roles loaded)."""
    return table_xlsx(
        title="Пользователи",
        heading=["Пользователи", *filters],
        columns=USER_COLUMNS,
        rows=(_user_row(user) for user in users),
    )


AGREEMENT_COLUMNS = [
    Column("Наставник", 34),
    Column("Должность", 22),
    Column("Наставляемые", 40),
    Column("Номер", 10),
    Column("Дата", 12),
    Column("Начало", 12),
    Column("Окончание", 12),
    Column("Форма", 24),
    Column("Доплата, руб. в месяц", 14),
    Column("Доплата, % оклада", 12),
    Column("Состояние", 12),
    Column("Прекращено с", 12),
    Column("Основание прекращения", 30),
]


def _agreement_row(agreement) -> list:
    mentees = [
        m.person.full_name
        for m in agreement.group.members.all()
        if m.left_on is None and not m.is_mentor
    ]
    mentor = agreement.mentor
    return [
        mentor.full_name,
        mentor.position.name if mentor.position_id else "",
        ", ".join(mentees),
        agreement.number,
        agreement.date,
        agreement.starts_on,
        agreement.ends_on,
        agreement.form.name,
        agreement.pay_amount,
        agreement.pay_percent,
        agreement.get_status_display(),
        agreement.ended_on,
        agreement.get_ended_by_display() if agreement.ended_by else "",
    ]


def agreement_workbook(*, agreements, filters: list[str]) -> bytes:
    """The register of supplementary agreements (ТК РФ ст. 351.8) with the mentor's pay, for the
    accounting office; ``agreements`` is the register's queryset (mentors, forms and members
    loaded)."""
    return table_xlsx(
        title="Соглашения",
        heading=["Реестр дополнительных соглашений о наставничестве", *filters],
        columns=AGREEMENT_COLUMNS,
        rows=(_agreement_row(agreement) for agreement in agreements),
    )
