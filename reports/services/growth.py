"""Growth records: stage 2 of monitoring, what a participant achieved (п. 3.4, п. 4.2;
Приложение 2, этап 6; DOMAIN.md §5).

The curator keeps them with the sysadmin (п. 3.3), the head and the council read them. A mentor
enters her mentees' contests and other achievements (п. 4.2); such a record waits for the
curator's confirmation and counts in the indicators only once confirmed. An attestation may
also update the person's qualification category in the registry card.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib.academic_year import academic_year_start
from mentoring_site.lib.downloads import dated_name
from mentoring_site.lib.russian import agreed
from mentoring_site.lib.spreadsheets import Column as SheetColumn
from mentoring_site.lib.spreadsheets import table_xlsx
from mentoring_site.lib.versions import check_version
from programs.models import Program
from registry.models import Organization, Person, Role, User
from registry.services.notifications import notify
from reports.models import GrowthRecord

CARD_FIELDS = {"qualification_category", "attestation_date"}
# What the form changes, checked against the version the editor saw (the curator and the
# mentor, or two curators, may open the same record at once).
RECORD_FIELDS = ("kind", "title", "date", "level", "result", "program")
# How many academic years back the list offers as a filter.
YEARS_BACK = 5


def person_programs(person: Person, shared_with: Person | None = None) -> QuerySet[Program]:
    """The programs a person took part in, as a mentor or a mentee: the choices of the link;
    with ``shared_with`` (a mentor entering her mentee's record), only the programs of both."""
    programs = Program.objects.filter(group__members__person=person)
    if shared_with is not None:
        programs = programs.filter(
            group__in=Program.objects.filter(group__members__person=shared_with).values("group")
        )
    return (
        programs.select_related("group")
        .prefetch_related("group__members__person")
        .distinct()
        .order_by("-start", "pk")
    )


def academic_years(today: date) -> list[int]:
    """The start years of the academic years the list filters by, newest first."""
    current = academic_year_start(today).year
    return list(range(current, current - YEARS_BACK - 1, -1))


def growth_records(institution: Organization) -> QuerySet[GrowthRecord]:
    """All records of the institution, with what the list and the export show (fixed queries)."""
    return (
        GrowthRecord.objects.filter(person__institution=institution)
        .select_related("person__position", "program__group")
        .prefetch_related("program__group__members__person")
        .order_by("-date", "-pk")
    )


def filter_records(
    records: QuerySet[GrowthRecord],
    *,
    kind: str = "",
    year: int | None = None,
    level: str = "",
    status: str = "",
) -> QuerySet[GrowthRecord]:
    if status:
        records = records.filter(status=status)
    if kind:
        records = records.filter(kind=kind)
    if level:
        records = records.filter(level=level)
    if year:
        records = records.filter(date__gte=date(year, 9, 1), date__lt=date(year + 1, 9, 1))
    return records


def _check(record: GrowthRecord, mentor: Person | None = None) -> None:
    errors = {}
    if record.date and record.date > timezone.localdate():
        errors["date"] = "Дата не может быть в будущем: внесите достижение, когда оно состоится."
    if record.program_id is not None and not (
        person_programs(record.person, mentor).filter(pk=record.program_id).exists()
    ):
        errors["program"] = "Выберите программу, в которой участвовал этот педагог."
    if errors:
        raise ValidationError(errors)


def _update_card(person: Person, record: GrowthRecord, category: str) -> None:
    """Attestation: the category and its date go to the person's card (п. 3.4), unless the card
    already holds a later attestation."""
    if record.kind != GrowthRecord.Kind.ATTESTATION:
        raise ValidationError(
            {"update_card": "Категорию в карточке обновляет только запись об аттестации."}
        )
    if person.attestation_date and person.attestation_date > record.date:
        raise ValidationError(
            {
                "update_card": "В карточке уже есть более поздняя аттестация — от "
                f"{person.attestation_date:%d.%m.%Y}: карточку не меняем."
            }
        )
    person.qualification_category = category
    person.attestation_date = record.date
    others = [f.name for f in Person._meta.fields if f.name not in CARD_FIELDS]
    person.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    person.save(update_fields=["qualification_category", "attestation_date", "updated_at"])


def _curators(institution_id) -> QuerySet[User]:
    return User.objects.filter(
        institution_id=institution_id, role_assignments__role=Role.CURATOR, is_active=True
    ).distinct()


@transaction.atomic
def growth_record_save(
    *,
    record: GrowthRecord,
    user: User,
    category: str = "",
    mentor: Person | None = None,
    version: str | None = None,
) -> GrowthRecord:
    """Creates or updates a record. With ``category`` (an attestation the curator ticked to
    carry over), the person's qualification category and attestation date follow it. With
    ``mentor`` (a mentor enters her mentee's record, п. 4.2) the record waits for the curator's
    confirmation, links only a program of both, never changes the card, and the curators are
    told. A change is refused (``StaleVersion``) when someone saved the record since
    ``version``."""
    created = record.pk is None
    if not created:
        check_version(
            GrowthRecord.objects.select_for_update().get(pk=record.pk), version, RECORD_FIELDS
        )
    if created:
        record.created_by = user
    if mentor is not None:
        if category:
            raise ValidationError({"update_card": "Категорию в карточке обновляет куратор."})
        record.status = GrowthRecord.Status.PENDING
        record.confirmed_by, record.confirmed_at = None, None
    record.full_clean(exclude=["created_by"])  # kept empty once the author is deleted
    _check(record, mentor)
    record.save()
    if category:
        _update_card(record.person, record, category)
    if mentor is not None and created:
        notify(
            users=_curators(record.person.institution_id),
            text=f"{mentor.short_name} {agreed(mentor.gender, 'внёс', 'внесла')} достижение "
            "наставляемого "
            f"{record.person.short_name} «{record.title}»: подтвердите его.",
            url=reverse("reports:growth-list") + f"?status={GrowthRecord.Status.PENDING}",
        )
    return record


@transaction.atomic
def growth_record_confirm(*, record: GrowthRecord, user: User) -> GrowthRecord:
    """The curator confirms a record a mentor entered: from now on it counts in the
    indicators. The mentor who entered it is told."""
    record = GrowthRecord.objects.select_for_update().select_related("person").get(pk=record.pk)
    if not record.is_pending:
        raise ValidationError(f"Достижение «{record.title}» уже подтверждено.")
    record.status = GrowthRecord.Status.CONFIRMED
    record.confirmed_by = user
    record.confirmed_at = timezone.now()
    record.full_clean(exclude=["created_by"])
    record.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    notify(
        users=[record.created_by] if record.created_by_id else [],
        text=f"Куратор подтвердил достижение {record.person.short_name} «{record.title}».",
        url=reverse("registry:person-detail", args=[record.person_id]) + "#growth-title",
    )
    return record


@transaction.atomic
def growth_record_delete(*, record: GrowthRecord) -> None:
    """The card keeps its category: a mistaken record is removed, the attestation stays."""
    record.delete()


# The Excel export ------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    title: str
    width: int


COLUMNS = [
    Column("Участник", 34),
    Column("Должность", 24),
    Column("Вид", 30),
    Column("Название", 50),
    Column("Дата", 12),
    Column("Уровень", 18),
    Column("Результат", 30),
    Column("В рамках программы", 40),
    Column("Состояние", 28),
]


def _row(record: GrowthRecord) -> list:
    person = record.person
    return [
        person.full_name,
        person.position.name if person.position_id else "",
        record.get_kind_display(),
        record.title,
        record.date,
        record.get_level_display() if record.level else "",
        record.result,
        record.program.group.title if record.program_id else "",
        record.get_status_display(),
    ]


def growth_workbook(records) -> bytes:
    """The XLSX of the list as filtered: a bold Russian header, Excel dates, set widths."""
    return table_xlsx(
        title="Профессиональный рост",
        columns=[SheetColumn(column.title, column.width) for column in COLUMNS],
        rows=(_row(record) for record in records),
    )


def growth_filename(on: date) -> str:
    return dated_name("Профессиональный рост", on)
