"""The roadmap's workflow: the curator develops it (п. 3.3), the head approves it with an order
(п. 3.2). Created from the standard template (Приложение 2), edited freely while a draft; after
approval every change needs a reason and is recorded, the approved version stays as it was, and
the changed text is approved again by a new order."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from audit.trail import log_created
from mentoring_site.lib.versions import check_version
from registry.models import Order, Person, Role, User
from registry.services.notifications import notify
from registry.services.orders import order_duty_holders, order_preamble, order_sign
from roadmap import template
from roadmap.models import Activity, Roadmap, RoadmapChange, RoadmapVersion, Stage

Status = Roadmap.Status

# What a change record names, in the order it names them.
TRACKED_FIELDS = {
    "title": "мероприятие",
    "content": "содержание",
    "starts_on": "начало",
    "deadline": "срок",
    "responsible": "ответственный",
    "responsible_note": "ответственные (текстом)",
    "expected_result": "предполагаемый результат",
    "measure": "что отслеживает реестр",
}


LINK_RULE = "Ссылка — адрес страницы, начинается с https:// или с «/» (страница реестра)."


# What two editors of one activity may overwrite in each other (the form's fields).
ACTIVITY_FIELDS = (
    "title",
    "content",
    "starts_on",
    "deadline",
    "responsible",
    "responsible_note",
    "expected_result",
    "measure",
)


def is_safe_link(link: str) -> bool:
    """A web address or a page of the registry; never a script or another scheme."""
    if link.startswith(("https://", "http://")):
        return " " not in link
    return link.startswith("/") and not link.startswith(("//", "/\\"))


def roadmap_url(roadmap: Roadmap) -> str:
    return reverse("roadmap:roadmap-detail", args=[roadmap.pk])


def year_label(year_start: int) -> str:
    return f"{year_start}/{year_start + 1}"


def order_title(roadmap: Roadmap) -> str:
    return (
        "Об утверждении дорожной карты (плана мероприятий) по реализации Положения о системе "
        "(целевой модели) наставничества педагогических работников на "
        f"{roadmap.year_label} учебный год"
    )


def _lock(roadmap: Roadmap) -> Roadmap:
    return Roadmap.objects.select_for_update().get(pk=roadmap.pk)


def _refuse(roadmap: Roadmap, action: str):
    raise ValidationError(
        f"Нельзя {action}: дорожная карта сейчас в состоянии «{roadmap.get_status_display()}»."
    )


def _users_with_role(institution_id, role) -> list[User]:
    return list(
        User.objects.filter(
            institution_id=institution_id, role_assignments__role=role, is_active=True
        ).distinct()
    )


def is_changed_since_approval(roadmap: Roadmap) -> bool:
    """An approved roadmap whose text changed after its last approval."""
    if roadmap.approved_at is None:
        return False
    return roadmap.changes.filter(made_at__gt=roadmap.approved_at).exists()


# --- Creation from the template ---------------------------------------------------------


@transaction.atomic
def roadmap_create_from_template(*, institution, year_start: int, user) -> Roadmap:
    """A draft for the academic year with the seven stages of Приложение 2 and their
    activities. A second roadmap for the same year is refused."""
    if Roadmap.objects.filter(institution=institution, year_start=year_start).exists():
        raise ValidationError(f"Дорожная карта на {year_label(year_start)} учебный год уже есть.")
    roadmap = Roadmap(institution=institution, year_start=year_start, created_by=user)
    roadmap.full_clean()
    roadmap.save()
    # Activities the curator answers for name the curator who created the roadmap.
    curator = Person.objects.filter(user=user, institution=institution).first()
    activities = []
    for item in template.STAGES:
        stage = Stage(roadmap=roadmap, number=item.number, title=item.title)
        stage.full_clean()
        stage.save()
        for position, entry in enumerate(item.activities, start=1):
            activity = Activity(
                stage=stage,
                position=position,
                title=entry.title,
                content=entry.content,
                starts_on=template.on_year(year_start, entry.start),
                deadline=template.on_year(year_start, entry.deadline),
                responsible=curator if entry.responsible_note.startswith("куратор") else None,
                responsible_note=entry.responsible_note,
                expected_result=entry.expected_result,
                measure=entry.measure,
            )
            activity.full_clean()
            activities.append(activity)
    Activity.objects.bulk_create(activities)
    log_created(activities)
    return roadmap


# --- Activities -----------------------------------------------------------------------------


def _check_dates(activity: Activity, roadmap: Roadmap) -> None:
    bounds = (
        f"Срок должен быть в пределах {roadmap.year_label} учебного года "
        f"({roadmap.starts_on:%d.%m.%Y} — {roadmap.ends_on:%d.%m.%Y})."
    )
    errors = {}
    if activity.deadline and not roadmap.starts_on <= activity.deadline <= roadmap.ends_on:
        errors["deadline"] = bounds
    if activity.starts_on and not roadmap.starts_on <= activity.starts_on <= roadmap.ends_on:
        errors["starts_on"] = bounds.replace("Срок должен", "Начало должно")
    if errors:
        raise ValidationError(errors)


def _readable(activity: Activity, name: str) -> str:
    value = getattr(activity, name)
    if value in (None, ""):
        return "—"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if name == "responsible":
        return value.short_name
    if name == "measure":
        return Activity.Measure(value).label
    return str(value)


def _where(activity: Activity, stage: Stage) -> str:
    return f"Этап {stage.number}, «{activity.title}»"


def _editable(roadmap: Roadmap, reason: str) -> str:
    """The reason to record, or refuses: a roadmap on the head's desk does not change; an
    approved one changes only with a reason."""
    if roadmap.status == Status.SUBMITTED:
        raise ValidationError(
            "Дорожная карта на утверждении у заведующего: изменить её можно после решения."
        )
    reason = (reason or "").strip()
    if roadmap.order_id is not None and not reason:
        raise ValidationError(
            {"reason": "Дорожная карта утверждена приказом: укажите причину изменения."}
        )
    return reason


def _record(roadmap: Roadmap, user, what: str, reason: str) -> None:
    if roadmap.order_id is None:
        return
    change = RoadmapChange(roadmap=roadmap, made_by=user, what=what, reason=reason)
    change.full_clean()
    change.save()


@transaction.atomic
def activity_save(
    *, activity: Activity, user, reason: str = "", version: str | None = None
) -> Activity:
    """Adds or changes an activity. Dates stay inside the academic year; on an approved
    roadmap the reason is required and the change is recorded with what changed. A change
    is refused (``StaleVersion``) when someone saved the activity since ``version``."""
    stage = Stage.objects.select_related("roadmap").get(pk=activity.stage_id)
    roadmap = _lock(stage.roadmap)
    reason = _editable(roadmap, reason)
    _check_dates(activity, roadmap)
    if activity.pk is None:
        last = stage.activities.aggregate(last=Max("position"))["last"] or 0
        activity.position = last + 1
        activity.full_clean()
        activity.save()
        _record(roadmap, user, f"Добавлено мероприятие: {_where(activity, stage)}", reason)
        return activity
    before = Activity.objects.select_related("responsible").get(pk=activity.pk)
    check_version(before, version, ACTIVITY_FIELDS)
    changed = [
        f"{label}: {_readable(before, name)} → {_readable(activity, name)}"
        for name, label in TRACKED_FIELDS.items()
        if getattr(before, name) != getattr(activity, name)
    ]
    if not changed:
        return before
    activity.full_clean()
    activity.save()
    _record(roadmap, user, f"{_where(before, stage)}: " + "; ".join(changed), reason)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, user, reason: str = "") -> None:
    """Removes an activity; on an approved roadmap only with a reason, which is recorded."""
    stage = Stage.objects.select_related("roadmap").get(pk=activity.stage_id)
    roadmap = _lock(stage.roadmap)
    reason = _editable(roadmap, reason)
    if stage.activities.count() <= 1:
        raise ValidationError(
            f"В этапе {stage.number} должно остаться хотя бы одно мероприятие: измените его "
            "вместо удаления."
        )
    what = f"Удалено мероприятие: {_where(activity, stage)}"
    activity.delete()
    _record(roadmap, user, what, reason)


@transaction.atomic
def activity_mark_done(
    *,
    activity: Activity,
    user,
    done_on: date,
    evidence_order: Order | None = None,
    evidence_file=None,
    evidence_link: str = "",
    evidence_note: str = "",
) -> Activity:
    """The curator marks an activity done with at least one piece of evidence: an order of the
    institution, a file, a link to a page or a note on where the proof is kept."""
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("stage__roadmap")
        .get(pk=activity.pk)
    )
    roadmap = activity.stage.roadmap
    evidence_link = (evidence_link or "").strip()
    evidence_note = (evidence_note or "").strip()
    errors = {}
    if done_on > timezone.localdate():
        errors["done_on"] = "Дата выполнения не может быть в будущем."
    elif done_on < date(roadmap.year_start - 1, 9, 1):
        errors["done_on"] = "Дата выполнения слишком ранняя для этой дорожной карты."
    if evidence_order is not None and (
        evidence_order.institution_id != roadmap.institution_id or not evidence_order.is_signed
    ):
        errors["evidence_order"] = "Выберите подписанный приказ вашего учреждения."
    if evidence_link and not is_safe_link(evidence_link):
        errors["evidence_link"] = LINK_RULE
    evidence = (evidence_order, evidence_file, evidence_link, evidence_note, activity.evidence_file)
    if not any(evidence):
        errors["__all__"] = (
            "Укажите подтверждение: приказ, файл, ссылку или пояснение, где хранится документ."
        )
    if errors:
        raise ValidationError(errors)
    activity.status = Activity.Status.DONE
    activity.done_on = done_on
    activity.done_by = user
    activity.evidence_order = evidence_order
    if evidence_file:
        activity.evidence_file = evidence_file
    activity.evidence_link = evidence_link
    activity.evidence_note = evidence_note
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def activity_reopen(*, activity: Activity, user) -> Activity:
    """Takes back the curator's mark: the activity is in progress again. The evidence stays,
    to be used when it is marked again."""
    activity = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    if activity.status != Activity.Status.DONE:
        raise ValidationError("Мероприятие не отмечено выполненным.")
    activity.status = Activity.Status.IN_PROGRESS
    activity.done_on = None
    activity.done_by = None
    activity.full_clean()
    activity.save()
    return activity


# --- Submission, approval, return -------------------------------------------------------------


@transaction.atomic
def roadmap_submit(*, roadmap: Roadmap, user) -> Roadmap:
    """The curator sends the draft, or the text changed after approval, to the head."""
    roadmap = _lock(roadmap)
    if roadmap.status == Status.SUBMITTED:
        raise ValidationError("Дорожная карта уже на утверждении у заведующего.")
    if roadmap.status == Status.APPROVED and not is_changed_since_approval(roadmap):
        raise ValidationError(
            "Дорожная карта утверждена и с тех пор не менялась: направлять заведующему нечего."
        )
    empty = [
        str(number)
        for number in roadmap.stages.annotate(count=Count("activities"))
        .filter(count=0)
        .values_list("number", flat=True)
    ]
    if empty:
        raise ValidationError(
            f"В этапах {', '.join(empty)} нет мероприятий: добавьте их перед отправкой."
        )
    roadmap.status = Status.SUBMITTED
    roadmap.submitted_at = timezone.now()
    roadmap.return_comment = ""
    roadmap.save(update_fields=["status", "submitted_at", "return_comment"])
    again = " (изменённая после утверждения)" if roadmap.order_id else ""
    notify(
        users=_users_with_role(roadmap.institution_id, Role.HEAD),
        text=f"Дорожная карта на {roadmap.year_label} учебный год{again} ждёт утверждения.",
        url=roadmap_url(roadmap),
    )
    return roadmap


def _snapshot_activity(activity: Activity) -> dict:
    return {
        "title": activity.title,
        "content": activity.content,
        "starts_on": activity.starts_on.isoformat() if activity.starts_on else None,
        "deadline": activity.deadline.isoformat(),
        "responsible": responsible_text(activity),
        "expected_result": activity.expected_result,
    }


def responsible_text(activity: Activity) -> str:
    """«куратор, методический совет (Кузнецова И. П.)»."""
    note = activity.responsible_note
    if activity.responsible_id is None:
        return note
    name = activity.responsible.short_name
    return f"{note} ({name})" if note else name


def roadmap_snapshot(roadmap: Roadmap) -> dict:
    """The text of the roadmap as its PDF prints it (stages, activities, dates as ISO)."""
    stages = Stage.objects.filter(roadmap=roadmap).prefetch_related("activities__responsible")
    return {
        "year_label": roadmap.year_label,
        "stages": [
            {
                "number": stage.number,
                "title": stage.title,
                "activities": [_snapshot_activity(a) for a in stage.activities.all()],
            }
            for stage in stages
        ],
    }


def _approval_items(roadmap: Roadmap, previous: Order | None) -> list[str]:
    items = [
        "Утвердить дорожную карту (план мероприятий) по реализации Положения о системе "
        "(целевой модели) наставничества педагогических работников на "
        f"{roadmap.year_label} учебный год (приложение).",
        "Куратору реализации программ наставничества обеспечить выполнение мероприятий "
        "дорожной карты в установленные сроки и информировать заведующего о ходе их "
        "выполнения (п. 3.3 Положения).",
        "Разместить дорожную карту в разделе «Наставничество» официального сайта (п. 8.1 "
        "Положения).",
    ]
    if previous is not None:
        items.append(
            "Признать утратившей силу дорожную карту, утверждённую приказом от "
            f"{previous.date:%d.%m.%Y} № {previous.number}."
        )
    return items


@transaction.atomic
def roadmap_approve(*, roadmap: Roadmap, head, number: str, signed_on: date) -> Order:
    """The head approves the submitted roadmap: the order «Об утверждении дорожной карты…» is
    created and signed at once, the approved text is kept as a new version, the curators are
    notified (п. 3.2)."""
    roadmap = _lock(roadmap)
    if roadmap.status != Status.SUBMITTED:
        _refuse(roadmap, "утвердить")
    previous = roadmap.order
    order = Order.objects.create(
        institution=roadmap.institution,
        kind=Order.Kind.ROADMAP,
        title=order_title(roadmap),
        basis=order_preamble(institution=roadmap.institution, kind=Order.Kind.ROADMAP),
        items=_approval_items(roadmap, previous),
        is_public=True,
        created_by=roadmap.created_by or head,
    )
    curators = _users_with_role(roadmap.institution_id, Role.CURATOR)
    order.acquainted.set(
        order_duty_holders(institution=roadmap.institution, kind=order.kind, items=order.items)
    )
    order = order_sign(order=order, head=head, number=number, signed_on=signed_on)
    last = roadmap.versions.aggregate(last=Max("number"))["last"] or 0
    version = RoadmapVersion(
        roadmap=roadmap,
        number=last + 1,
        order=order,
        snapshot=roadmap_snapshot(roadmap),
    )
    version.full_clean()
    version.save()
    roadmap.status = Status.APPROVED
    roadmap.order = order
    roadmap.approved_at = version.approved_at
    roadmap.return_comment = ""
    roadmap.full_clean()
    roadmap.save(update_fields=["status", "order", "approved_at", "return_comment"])
    notify(
        users=curators,
        text=f"Дорожная карта на {roadmap.year_label} учебный год утверждена приказом "
        f"№ {order.number} от {order.date:%d.%m.%Y}.",
        url=roadmap_url(roadmap),
    )
    return order


@transaction.atomic
def roadmap_return(*, roadmap: Roadmap, head, comment: str) -> Roadmap:
    """The head returns the roadmap to the curator with a comment. A changed roadmap that was
    approved before stays in force as approved."""
    roadmap = _lock(roadmap)
    if roadmap.status != Status.SUBMITTED:
        _refuse(roadmap, "вернуть")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Напишите, что нужно исправить."})
    roadmap.status = Status.APPROVED if roadmap.order_id else Status.DRAFT
    roadmap.return_comment = comment
    roadmap.save(update_fields=["status", "return_comment"])
    notify(
        users=_users_with_role(roadmap.institution_id, Role.CURATOR),
        text=f"Заведующий вернул дорожную карту на {roadmap.year_label} учебный год: {comment}",
        url=roadmap_url(roadmap),
    )
    return roadmap


# --- The printed document ------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentActivity:
    title: str
    content: str
    starts_on: date | None
    deadline: date
    responsible: str
    expected_result: str


@dataclass(frozen=True)
class DocumentStage:
    number: int
    title: str
    activities: list[DocumentActivity]


def _parse(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def document_stages(snapshot: dict) -> list[DocumentStage]:
    return [
        DocumentStage(
            number=stage["number"],
            title=stage["title"],
            activities=[
                DocumentActivity(
                    title=a["title"],
                    content=a["content"],
                    starts_on=_parse(a["starts_on"]),
                    deadline=_parse(a["deadline"]),
                    responsible=a["responsible"],
                    expected_result=a["expected_result"],
                )
                for a in stage["activities"]
            ],
        )
        for stage in snapshot["stages"]
    ]


def roadmap_document(roadmap: Roadmap, version: RoadmapVersion | None = None) -> dict:
    """The context of ``documents/roadmap.html``: the approved text of ``version``, or the
    current text (a draft, or changed after approval, prints as «Проект»)."""
    if version is not None:
        snapshot, order, draft = version.snapshot, version.order, False
    else:
        snapshot = roadmap_snapshot(roadmap)
        draft = roadmap.status != Status.APPROVED or is_changed_since_approval(roadmap)
        order = None if draft else roadmap.order
    return {
        "roadmap": roadmap,
        "institution": roadmap.institution,
        "stages": document_stages(snapshot),
        "order": order,
        "draft": draft,
        "version": version,
    }


def document_filename(roadmap: Roadmap, version: RoadmapVersion | None = None) -> str:
    name = f"Дорожная карта {roadmap.year_start}-{roadmap.year_start + 1}"
    if version is not None:
        return f"{name}, редакция {version.number}.pdf"
    return f"{name}.pdf"
