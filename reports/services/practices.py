"""The bank of best practices, «методическая копилка» (Приложение 2, этап 6–7; п. 3.3
«описание лучшего опыта», п. 3.4).

The curator or the council turns a completed program into a case: title, направление,
summary, materials, tags. Results are described only after the program is completed (п. 8.2),
so a practice links to a completed program or to none. The curator approves a practice for
publication; the public section publishes the approved ones. Only the results of a completed
program are published (п. 8.2): a practice without one stays in the bank. Approval names nobody
without a consent to dissemination (152-ФЗ ст. 10.1, registry.services.name_guard) and, for a
practice with photos, needs the parents' consents to the photos confirmed.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from mentoring_site.lib.collation import normalize_for_search, sort_key
from mentoring_site.lib.versions import check_version
from programs.models import Program
from registry.models import Organization, User
from registry.services.name_guard import publication_errors
from reports.models import Practice, PracticeMaterial

NOT_COMPLETED = (
    "Описать опыт в методической копилке можно только по завершённой программе: результаты "
    "подводятся после завершения (п. 8.2 Положения). Эта программа {status}."
)


NO_PROGRAM = (
    "Опубликовать можно только результаты завершённой программы (п. 8.2 Положения): практика "
    "без программы остаётся в методической копилке, но в открытый раздел не попадает."
)
PHOTO_CONSENTS = (
    "Среди материалов есть фотографии: отметьте в практике, что согласия родителей "
    "(законных представителей) детей на фото получены."
)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
# What the form changes, checked against the version the editor saw (the author and the
# curator may open the same draft at once).
PRACTICE_FIELDS = ("title", "direction", "summary", "tags", "photo_consents_confirmed")


def require_completed(program: Program) -> None:
    if program.status != Program.Status.COMPLETED:
        raise ValidationError(NOT_COMPLETED.format(status=program.get_status_display()))


def practice_initial(program: Program) -> dict:
    """What the form starts with when a practice is made from a program: the pair's title,
    its first направление and the program's problem, goals and final results."""
    group = program.group
    parts = [
        ("Проблема", program.problem),
        ("Цели и задачи", program.goals),
        ("Итоговый результат наставляемого", program.mentee_result),
        ("Итоговый результат наставника", program.mentor_result),
    ]
    summary = "\n\n".join(f"{title}: {text.strip()}" for title, text in parts if text.strip())
    directions = list(group.directions.all())
    return {
        "title": f"Опыт наставничества: {group.title}"[:300],
        "direction": directions[0] if directions else None,
        "summary": summary,
    }


def _sanitize_tags(tags: str) -> str:
    """«ИКТ , молодой педагог,,ИКТ» → «ИКТ, молодой педагог»: trimmed, without repeats."""
    seen = []
    for tag in tags.split(","):
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in {t.casefold() for t in seen}:
            seen.append(tag)
    return ", ".join(seen)


@transaction.atomic
def practice_save(*, practice: Practice, user: User, version: str | None = None) -> Practice:
    """Creates or updates a draft. An approved practice changes only after «Вернуть в
    черновик»: what was approved for publication is what the public section shows. A change
    is refused (``StaleVersion``) when someone saved the practice since ``version``."""
    if practice.pk is not None:
        stored = Practice.objects.select_for_update().get(pk=practice.pk)
        check_version(stored, version, PRACTICE_FIELDS)
        if stored.status != Practice.Status.DRAFT:
            raise ValidationError(
                "Практика одобрена для публикации: чтобы изменить её, сначала верните её "
                "в черновик."
            )
    else:
        practice.created_by = user
    if practice.program_id is not None:
        program = Program.objects.select_related("group").get(pk=practice.program_id)
        if program.group.institution_id != practice.institution_id:
            raise ValidationError({"program": "Программа другого учреждения."})
        require_completed(program)
    practice.tags = _sanitize_tags(practice.tags)
    practice.full_clean(exclude=["created_by"])
    practice.save()
    return practice


def _locked(practice: Practice) -> Practice:
    return (
        Practice.objects.select_for_update(of=("self",))
        .select_related("program")
        .get(pk=practice.pk)
    )


@transaction.atomic
def practice_approve(*, practice: Practice, user: User) -> Practice:
    """The curator approves a practice for publication (п. 3.3): only the results of a
    completed program (п. 8.2), naming nobody without consent (ст. 10.1)."""
    practice = _locked(practice)
    if practice.status == Practice.Status.APPROVED:
        raise ValidationError("Практика уже одобрена для публикации.")
    if practice.program is None:
        raise ValidationError(NO_PROGRAM)
    require_completed(practice.program)
    errors = publication_errors(
        institution=practice.institution,
        texts={"title": practice.title, "summary": practice.summary, "tags": practice.tags},
    )
    photos = [m for m in practice.materials.all() if m.file.name.lower().endswith(IMAGE_SUFFIXES)]
    if photos and not practice.photo_consents_confirmed:
        errors["photo_consents_confirmed"] = PHOTO_CONSENTS
    if errors:
        raise ValidationError(errors)
    practice.status = Practice.Status.APPROVED
    practice.approved_at = timezone.now()
    practice.full_clean(exclude=["created_by"])
    practice.save(update_fields=["status", "approved_at"])
    return practice


@transaction.atomic
def practice_unapprove(*, practice: Practice, user: User) -> Practice:
    practice = _locked(practice)
    if practice.status == Practice.Status.DRAFT:
        raise ValidationError("Практика и так черновик.")
    practice.status = Practice.Status.DRAFT
    practice.approved_at = None
    practice.full_clean(exclude=["created_by"])
    practice.save(update_fields=["status", "approved_at"])
    return practice


def _require_draft(practice: Practice) -> None:
    if practice.status != Practice.Status.DRAFT:
        raise ValidationError(
            "Практика одобрена для публикации: материалы меняются после возврата в черновик."
        )


@transaction.atomic
def material_add(*, practice: Practice, file: UploadedFile, user: User) -> PracticeMaterial:
    """Stores the file under a server-made name (reports.models.material_upload_to); the
    uploaded name is kept only to be shown and offered on download."""
    practice = _locked(practice)
    _require_draft(practice)
    shown = file.name.replace("/", "_").replace("\\", "_")[-200:]
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else "bin"
    file.name = f"file.{extension}"
    material = PracticeMaterial(practice=practice, file=file, name=shown)
    material.full_clean()
    material.save()
    return material


@transaction.atomic
def material_delete(*, material: PracticeMaterial, user: User) -> None:
    _require_draft(_locked(material.practice))
    storage, name = material.file.storage, material.file.name
    material.delete()
    # The file goes once the row is gone for good, not before a rollback could bring it back.
    transaction.on_commit(lambda: storage.delete(name))


def waiting_for_approval(institution: Organization) -> int:
    return Practice.objects.filter(institution=institution, status=Practice.Status.DRAFT).count()


def completed_without_practice(institution: Organization) -> int:
    """Completed programs nobody has described in the bank yet (Приложение 2, этап 6)."""
    return Program.objects.filter(
        group__institution=institution,
        status=Program.Status.COMPLETED,
        practices__isnull=True,
    ).count()


# The list -----------------------------------------------------------------------------------


def all_tags(practices) -> list[str]:
    """The tags used in the bank, once each (as first written), in Russian alphabetical order
    (one query)."""
    found = {}
    for tags in practices.order_by("pk").values_list("tags", flat=True):
        for tag in tags.split(","):
            tag = tag.strip()
            if tag:
                found.setdefault(normalize_for_search(tag), tag)
    return sorted(found.values(), key=sort_key)


def filter_practices(practices, *, direction=None, status: str = "", tag: str = "", search=""):
    """The practices matching the filters. Tags and the title are compared casefolded, «ё» as
    «е», in Python: SQLite's LIKE ignores the case of Latin letters only (one query more)."""
    if direction is not None:
        practices = practices.filter(direction=direction)
    if status:
        practices = practices.filter(status=status)
    if tag or search:
        tag, search = normalize_for_search(tag), normalize_for_search(search)
        ids = [
            pk
            for pk, title, tags in practices.values_list("pk", "title", "tags")
            if (not search or search in normalize_for_search(title))
            and (not tag or tag in {normalize_for_search(t) for t in tags.split(",")})
        ]
        practices = practices.filter(pk__in=ids)
    return practices
