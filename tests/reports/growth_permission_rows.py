"""Permission-table rows of the growth records and the best-practice bank
(tests/permission_helpers.py says how).

Growth records (п. 3.3, п. 3.4): the head, the curator, the council and the sysadmin read; the
curator and the sysadmin (who keep the bank, п. 3.3) add, change and delete; the head and the
council get 403. Practices (Приложение 2, этап 6–7): the same four read; the curator and the
council describe them; only the curator approves for publication; the head and the sysadmin get
403 on changes. The mentor of group A adds her mentee's records (п. 4.2), which wait for the
curator's confirmation; a record she did not enter she reads on the mentee's page and may not
change (403). Mentees, teachers and another kindergarten's staff get 404: they see their own
growth records on their page in the registry."""

from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone

from programs.models import Program
from registry.models import Direction
from reports.models import GrowthRecord, Practice, PracticeMaterial
from tests.permission_helpers import STAFF, Row, answers, no_kwargs

BANK_EDITORS_GET = {"curator": 200, "sysadmin": 200, "head": 403, "council": 403}
BANK_EDITORS_POST = {"curator": 302, "sysadmin": 302, "head": 403, "council": 403}
DESCRIBERS_GET = {"curator": 200, "council": 200, "head": 403, "sysadmin": 403}
CURATOR_POST = {"curator": 302, "council": 403, "head": 403, "sysadmin": 403}


def RECORD(world, objects):  # noqa: N802  (reads as a constant in the table)
    record = GrowthRecord.objects.create(
        person=world.mentee_person,
        kind=GrowthRecord.Kind.COURSE,
        title="Курсы «ФОП ДО»",
        date=date(2026, 10, 1),
        created_by=world.curator,
    )
    return {"pk": record.pk}


def PENDING(world, objects):  # noqa: N802
    """A record the mentor entered, waiting for the curator's confirmation (issue 22, item 12)."""
    record = GrowthRecord.objects.create(
        person=world.mentee_person,
        kind=GrowthRecord.Kind.CONTEST,
        title="Конкурс «Педагог года»",
        date=date(2026, 10, 1),
        created_by=world.mentor,
        status=GrowthRecord.Status.PENDING,
    )
    return {"pk": record.pk}


def PERSON(world, objects):  # noqa: N802
    return {"pk": world.mentee_person.pk}


def _practice(world, status=Practice.Status.DRAFT) -> Practice:
    return Practice.objects.create(
        institution=world.institution,
        title="Интерактивная доска в работе молодого воспитателя",
        direction=Direction.objects.get(name="методическое"),
        summary="Как пара освоила интерактивную доску.",
        tags="ИКТ",
        status=status,
        approved_at=timezone.now() if status == Practice.Status.APPROVED else None,
    )


def PRACTICE(world, objects):  # noqa: N802
    return {"pk": _practice(world).pk}


def APPROVED(world, objects):  # noqa: N802
    return {"pk": _practice(world, Practice.Status.APPROVED).pk}


def MATERIAL(world, objects):  # noqa: N802
    material = PracticeMaterial(practice=_practice(world), name="конспект.pdf")
    material.file.save("file.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    return {"pk": material.pk}


def COMPLETED_PROGRAM(world, objects):  # noqa: N802
    program = objects["program"]
    program.status = Program.Status.COMPLETED
    program.finished_on = date(2026, 11, 30)
    program.reason = Program.Reason.PLAN_DONE
    program.save()
    return {"pk": program.pk}


ROWS = {
    # Growth records. The outsider reads their own institution's list.
    "reports:growth-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "reports:growth-export": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "reports:growth-create": Row(PERSON, answers(**BANK_EDITORS_GET, mentor=200)),
    "reports:growth-update": Row(RECORD, answers(**BANK_EDITORS_GET, mentor=403)),
    "reports:growth-delete": Row(RECORD, answers(**BANK_EDITORS_POST, mentor=403), method="post"),
    "reports:growth-confirm": Row(
        PENDING,
        answers(head=403, council=403, curator=302, sysadmin=302, mentor=403),
        method="post",
    ),
    # The bank of best practices.
    "reports:practice-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "reports:practice-search": Row(
        no_kwargs,
        answers(**{k: 302 for k in STAFF}, outsider=302),
        method="post",
        data={"q": "ИКТ"},
    ),
    "reports:practice-create": Row(no_kwargs, answers(**DESCRIBERS_GET, outsider=200)),
    "reports:practice-create-from-program": Row(COMPLETED_PROGRAM, answers(**DESCRIBERS_GET)),
    "reports:practice-detail": Row(PRACTICE, answers(**STAFF)),
    "reports:practice-update": Row(PRACTICE, answers(**DESCRIBERS_GET)),
    "reports:practice-approve": Row(PRACTICE, answers(**CURATOR_POST), method="post"),
    "reports:practice-unapprove": Row(APPROVED, answers(**CURATOR_POST), method="post"),
    "reports:material-upload": Row(PRACTICE, answers(**DESCRIBERS_GET)),
    "reports:material-download": Row(MATERIAL, answers(**STAFF)),
    "reports:material-delete": Row(MATERIAL, answers(**DESCRIBERS_GET)),
}
