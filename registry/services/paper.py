"""Decisions given on paper by participants without a login (issue 16, part 3).

The curator prints the form filled with the person's and the pair's data, the person signs it,
and the curator records the decision on her behalf: the date on the form and the signed scan or
the note «оригинал хранится у куратора». The decision then has the same effect as the person's
own click (``group_respond``): the pair leaves «ждём ответа» and, once everyone agreed, goes
to the head. The group's history and the audit trail name the curator who recorded it and the
person it was recorded for.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from mentoring_site.lib.documents import PDF, render_document
from registry.models import GroupMember, MentoringGroup, Order, PaperDecision, Person
from registry.services.groups import group_respond


def paper_decision_errors(
    *, person: Person | None, decided_on: date | None, scan, original_with_curator: bool
) -> dict[str, str]:
    """The field errors of a paper decision in Russian ({field: message}); empty when valid.
    Shared by the form and the service, so the rule has one home. A ``None`` (a field the form
    already refused) is not checked again."""
    errors = {}
    if person is not None and person.user_id is not None:
        errors["person"] = (
            "У этого участника есть вход в систему: он отвечает сам в личном кабинете."
        )
    if decided_on is not None and decided_on > timezone.localdate():
        errors["decided_on"] = "Дата на бланке не может быть в будущем."
    if not scan and not original_with_curator:
        errors["scan"] = (
            "Загрузите скан подписанного бланка или отметьте «Оригинал хранится у куратора»."
        )
    return errors


def paper_group_candidates(group: MentoringGroup):
    """The group's current members who have no login and have not answered yet: the people
    whose answer the curator may record from paper."""
    return Person.objects.filter(
        memberships__group=group,
        memberships__left_on__isnull=True,
        memberships__response=GroupMember.Response.PENDING,
        user__isnull=True,
    ).order_by("last_name", "first_name", "patronymic")


def paper_note(*, decided_on: date, user) -> str:
    """« (решение на бумаге от 01.12.2026, внесено куратором: Петрова М. И.)» for a history."""
    person = getattr(user, "person", None)
    curator = person.short_name if person is not None else user.get_username()
    return f" (решение на бумаге от {decided_on:%d.%m.%Y}, внесено куратором: {curator})"


def paper_decision_check(
    *, person: Person, decided_on: date, scan, original_with_curator: bool
) -> None:
    """Raises the field errors of ``paper_decision_errors``: before anything is written."""
    errors = paper_decision_errors(
        person=person,
        decided_on=decided_on,
        scan=scan,
        original_with_curator=original_with_curator,
    )
    if errors:
        raise ValidationError(errors)


def paper_decision_create(
    *,
    person: Person,
    kind: str,
    group: MentoringGroup | None,
    agreed: bool,
    comment: str,
    decided_on: date,
    scan: UploadedFile | None,
    original_with_curator: bool,
    user,
    order: Order | None = None,
    program=None,
) -> PaperDecision:
    """The paper record of a decision; the caller's transaction applies its effect."""
    paper_decision_check(
        person=person,
        decided_on=decided_on,
        scan=scan,
        original_with_curator=original_with_curator,
    )
    decision = PaperDecision(
        person=person,
        kind=kind,
        group=group,
        order=order,
        program=program,
        agreed=agreed,
        comment=comment.strip(),
        decided_on=decided_on,
        original_with_curator=original_with_curator,
        recorded_by=user,
    )
    if scan:
        decision.scan = scan
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def paper_group_response(
    *,
    group: MentoringGroup,
    person: Person,
    confirm: bool,
    comment: str,
    decided_on: date,
    scan: UploadedFile | None,
    original_with_curator: bool,
    user,
) -> PaperDecision:
    """The curator (``user``) records the answer ``person`` gave on paper to the proposal of
    ``group`` (п. 6.2). All or nothing: the answer, its paper record and the history."""
    paper_decision_check(
        person=person,
        decided_on=decided_on,
        scan=scan,
        original_with_curator=original_with_curator,
    )
    group_respond(
        group=group,
        person=person,
        confirm=confirm,
        comment=comment,
        user=user,
        paper_note=paper_note(decided_on=decided_on, user=user),
    )
    return paper_decision_create(
        person=person,
        kind=PaperDecision.Kind.GROUP_RESPONSE,
        group=group,
        agreed=confirm,
        comment=comment,
        decided_on=decided_on,
        scan=scan,
        original_with_curator=original_with_curator,
        user=user,
    )


@transaction.atomic
def paper_order_acquaintance(
    *,
    order: Order,
    person: Person,
    decided_on: date,
    scan: UploadedFile | None,
    original_with_curator: bool,
    user,
) -> PaperDecision:
    """The curator (``user``) records that ``person``, named under «С приказом ознакомлены»,
    signed the printed order on ``decided_on``."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if not order.is_signed:
        raise ValidationError("Ознакомление вносится после подписания приказа.")
    errors = {}
    if not order.acquainted.filter(pk=person.pk).exists():
        errors["person"] = "Этого участника нет в списке «С приказом ознакомлены»."
    elif order.paper_decisions.filter(
        person=person, kind=PaperDecision.Kind.ORDER_ACQUAINTANCE
    ).exists():
        errors["person"] = "Ознакомление этого участника уже внесено."
    if decided_on < order.date:
        errors["decided_on"] = (
            f"Ознакомиться с приказом можно не раньше его даты ({order.date:%d.%m.%Y})."
        )
    if errors:
        raise ValidationError(errors)
    return paper_decision_create(
        person=person,
        kind=PaperDecision.Kind.ORDER_ACQUAINTANCE,
        group=None,
        order=order,
        agreed=True,
        comment="",
        decided_on=decided_on,
        scan=scan,
        original_with_curator=original_with_curator,
        user=user,
    )


def order_acquaintance(order: Order) -> list[tuple[Person, PaperDecision | None]]:
    """Who is to sign «С приказом ознакомлены» and, for each, the paper record if any."""
    recorded = {
        d.person_id: d
        for d in order.paper_decisions.filter(kind=PaperDecision.Kind.ORDER_ACQUAINTANCE)
    }
    people = order.acquainted.order_by("last_name", "first_name", "patronymic")
    return [(person, recorded.get(person.pk)) for person in people]


def paper_group_form_context(member: GroupMember) -> dict:
    group = member.group
    members = list(group.members.filter(left_on__isnull=True).select_related("person__position"))
    return {
        "institution": group.institution,
        "person": member.person,
        "position": member.person.position.name if member.person.position_id else "",
        "member": member,
        "group": group,
        "mentors": [m for m in members if m.is_mentor],
        "mentees": [m for m in members if not m.is_mentor],
        "kinds": list(group.kinds.all()),
        "directions": list(group.directions.all()),
    }


def paper_group_form_render(*, member: GroupMember, fmt: str = PDF) -> bytes:
    """The printable form of the answer to a pair's proposal, filled with the person's and the
    pair's data, for the person to sign (п. 6.2)."""
    context = paper_group_form_context(member)
    return render_document("documents/paper_group_response.html", context, fmt=fmt)
