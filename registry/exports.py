"""The banks as Excel workbooks: what the curator keeps (п. 3.3) and hands on.

One workbook per bank: all participants, the mentor bank (Приложение 2, этап 3) with each
mentor's load and written consent (ТК РФ ст. 351.8), and the mentee bank (этап 2). The queries do
not grow with the number of rows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from mentoring_site.lib.spreadsheets import Column, table_xlsx
from registry.models import (
    Organization,
    Person,
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


def _people(institution: Organization, bank: str):
    queryset = (
        Person.objects.filter(institution=institution)
        .bank(bank)
        .with_processing_consent()
        .order_by("last_name", "first_name", "patronymic", "pk")
    )
    if bank == "mentors":
        return with_mentee_load(
            queryset.with_mentoring_consent().prefetch_related(
                "mentor_profile__ready_forms", "mentor_profile__ready_kinds"
            )
        )
    return queryset


def bank_columns(bank: str) -> list[ExportColumn]:
    extra = {"people": [], "mentors": MENTOR_COLUMNS, "mentees": MENTEE_COLUMNS}[bank]
    return PERSON_COLUMNS + extra


def bank_workbook(*, institution: Organization, bank: str) -> bytes:
    """The XLSX of one bank: a bold Russian header row, real Excel dates, set widths; typed
    texts stay texts (mentoring_site/lib/spreadsheets.py)."""
    columns = bank_columns(bank)
    return table_xlsx(
        title=BANK_TITLES[bank],
        columns=[Column(column.title, column.width) for column in columns],
        rows=(
            [column.value(person) for column in columns] for person in _people(institution, bank)
        ),
    )


def bank_filename(bank: str, on: date) -> str:
    """«Банк наставников 24.11.2026.xlsx» (the header: mentoring_site/lib/downloads.py)."""
    return f"{BANK_TITLES[bank]} {on:%d.%m.%Y}.xlsx"
