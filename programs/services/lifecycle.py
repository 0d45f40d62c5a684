"""Changes of the term (п. 7.2) and completion (п. 7.1) of an approved program.

A term change is proposed by the curator with the mentor (either starts it, the other agrees);
every mentee then agrees in their own account; the change is then drafted as the head's order
«О продлении (корректировке) программы», and only her signature applies the new end and amends
the mentor's supplementary agreement (ТК РФ ст. 351.8) — longer than a year only this way
(п. 1.2). One refusal stops it. Completion records the reason, the date and the
final results, closes the group and returns the mentees to the bank: «завершил» after a plan
done in full, «без пары» after an early end so the search goes on (Приложение 2, этап 5.3).

Each step is one transaction that locks the program, so two people acting at once cannot
apply a change twice or complete a program that was just changed.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from audit.trail import update_logged
from mentoring_site.lib.documents import PDF, render_document
from mentoring_site.lib.russian import agreed
from mentoring_site.lib.workdays import add_working_days
from programs.models import (
    MAX_TERM,
    Program,
    ProgramChange,
    ProgramEvent,
    TermAgreement,
    TermChange,
)
from registry.models import (
    GroupEvent,
    GroupMember,
    MenteeProfile,
    MentoringAgreement,
    MentoringGroup,
    Order,
    PaperDecision,
    Role,
    User,
)
from registry.services.agreements import agreement_amend, agreements_end_with_program
from registry.services.notifications import notify
from registry.services.paper import (
    paper_decision_check,
    paper_decision_create,
    paper_decision_errors,
    paper_note,
)
from reports.services.surveys import survey_send_on_completion

# Each agreement is a TermAgreement row; the history also says it in these words.
AGREED = "Согласие на изменение срока"
NOTICE_TEXT = (
    "Досрочное прекращение наставничества по инициативе наставника или работодателя (куратора) "
    "— с письменным предупреждением не менее чем за три рабочих дня (ТК РФ, ст. 351.8)"
)
OPEN_EVENTS = (
    ProgramEvent.Status.PLANNED,
    ProgramEvent.Status.IN_PROGRESS,
    ProgramEvent.Status.OVERDUE,
)


def _lock(program: Program) -> Program:
    return Program.objects.select_for_update().select_related("group__curator").get(pk=program.pk)


def _require_active(program: Program, action: str) -> None:
    if program.status != Program.Status.ACTIVE:
        raise ValidationError(
            f"{action} можно только в утверждённой, выполняемой программе: сейчас она "
            f"«{program.get_status_display()}»."
        )


def _members(program: Program) -> list[GroupMember]:
    return list(
        GroupMember.objects.filter(group_id=program.group_id, left_on__isnull=True)
        .select_related("person__user")
        .order_by("role", "id")
    )


def _member_of(members: list[GroupMember], user: User) -> GroupMember | None:
    return next((m for m in members if m.person.user_id == user.pk), None)


def _everyone(program: Program, members: list[GroupMember]) -> list[User]:
    users = [m.person.user for m in members if m.person.user_id]
    return [*users, program.group.curator]


def _others(program: Program, members: list[GroupMember], user: User) -> list[User]:
    return [u for u in _everyone(program, members) if u.pk != user.pk]


def _log(program: Program, user: User | None, what: str, why: str = "") -> ProgramChange:
    return ProgramChange.objects.create(program=program, actor=user, what=what, why=why)


def _url(program: Program) -> str:
    return reverse("programs:program-detail", args=[program.pk])


def _span(old: date, new: date) -> str:
    return f"{old:%d.%m.%Y} → {new:%d.%m.%Y}"


# --- Term changes (п. 7.2) ------------------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    member: GroupMember
    agreed_at: datetime | None


@dataclass(frozen=True)
class TermProgress:
    """Who has agreed to a pending term change and who still must: the curator with the
    mentor, and every mentee."""

    agreements: list[Agreement]
    curator_agreed: bool = True

    @property
    def waiting(self) -> list[GroupMember]:
        return [a.member for a in self.agreements if a.agreed_at is None]

    @property
    def complete(self) -> bool:
        mentor_side = [a for a in self.agreements if a.member.is_mentor]
        mentees = [a for a in self.agreements if not a.member.is_mentor]
        return (
            self.curator_agreed
            and any(a.agreed_at for a in mentor_side)
            and bool(mentees)
            and all(a.agreed_at for a in mentees)
        )

    def must_agree(self, user: User) -> bool:
        return any(m.person.user_id == user.pk for m in self.waiting)


def term_change_progress(
    term: TermChange, members: list[GroupMember] | None = None
) -> TermProgress:
    """The mentor side agrees once (mentor_agreed_at), every mentee on their own."""
    members = _members(term.program) if members is None else members
    given = dict(term.agreements.values_list("person_id", "agreed_at"))
    agreements = []
    for member in sorted(members, key=lambda m: not m.is_mentor):
        agreed_at = given.get(member.person_id)
        if member.is_mentor and agreed_at is None:
            agreed_at = term.mentor_agreed_at
        agreements.append(Agreement(member=member, agreed_at=agreed_at))
    return TermProgress(agreements=agreements, curator_agreed=term.curator_agreed_at is not None)


def term_error(program: Program, new_end: date) -> str:
    """Why a new end does not fit, or an empty string."""
    if new_end == program.end:
        return "Новая дата совпадает с нынешним окончанием программы."
    if new_end <= timezone.localdate():
        return "Новая дата окончания должна быть позже сегодняшнего дня."
    if new_end <= program.start:
        return (
            f"Новая дата окончания должна быть позже начала программы ({program.start:%d.%m.%Y})."
        )
    later = program.events.filter(status__in=OPEN_EVENTS, deadline__gt=new_end)
    titles = [f"«{e.title}» ({e.deadline:%d.%m.%Y})" for e in later[:5]]
    if titles:
        return (
            "После новой даты окончания остаются мероприятия: "
            + ", ".join(titles)
            + ". Перенесите их сроки или отмените их."
        )
    return ""


@transaction.atomic
def term_change_request(*, program: Program, new_end: date, reason: str, user: User) -> TermChange:
    """The mentor or the curator proposes a new end; the mentor's own proposal is also their
    agreement. The others are asked to agree in their accounts."""
    program = _lock(program)
    _require_active(program, "Изменить срок")
    reason = reason.strip()
    errors = {}
    if error := term_error(program, new_end):
        errors["new_end"] = error
    if not reason:
        errors["reason"] = "Напишите, почему меняется срок."
    if errors:
        raise ValidationError(errors)
    if program.term_changes.filter(status__in=TermChange.OPEN_STATUSES).exists():
        raise ValidationError(
            "Изменение срока уже ждёт согласия участников или приказа заведующего: "
            "дождитесь решения по нему."
        )
    members = _members(program)
    me = _member_of(members, user)
    now = timezone.now()
    term = TermChange(
        program=program,
        new_end=new_end,
        reason=reason,
        requested_by=user,
        requested_at=now,
        mentor_agreed_at=now if me is not None and me.is_mentor else None,
        # Not a member: the curator (or the sysadmin keeping the banks) proposes it.
        curator_agreed_at=now if me is None else None,
        curator_agreed_by=user if me is None else None,
    )
    term.full_clean()
    term.save()
    if term.mentor_agreed_at is not None:
        TermAgreement.objects.create(term_change=term, person=me.person, agreed_at=now)
    _log(program, user, f"Предложено изменить срок: {_span(program.end, new_end)}", reason)
    notify(
        users=_others(program, members, user),
        text=f"Предложено изменить срок программы: {_span(program.end, new_end)}. "
        f"Причина: {reason}. Наставник и наставляемый подтверждают согласие в личном кабинете.",
        url=_url(program),
    )
    return term


def _lock_term(term: TermChange) -> tuple[TermChange, Program]:
    program = _lock(term.program)
    term = TermChange.objects.select_for_update().get(pk=term.pk)
    if term.status != TermChange.Status.PENDING:
        raise ValidationError(
            f"По этому изменению срока уже принято решение: «{term.get_status_display()}»."
        )
    _require_active(program, "Изменить срок")
    return term, program


@transaction.atomic
def term_change_agree(*, term: TermChange, user: User) -> TermChange:
    """A member agrees in their own account; when the mentor and every mentee have agreed
    the new end applies."""
    term, program = _lock_term(term)
    members = _members(program)
    me = _member_of(members, user)
    if me is None:
        raise ValidationError("Согласие дают только наставник и наставляемые этой программы.")
    progress = term_change_progress(term, members)
    if not progress.must_agree(user):
        raise ValidationError("Вы уже согласились с этим изменением срока.")
    _agree(term, program, members, me, actor=user)
    return term


@transaction.atomic
def term_change_curator_agree(*, term: TermChange, user: User) -> TermChange:
    """The curator agrees with a change the mentor proposed (п. 7.2: the curator proposes it
    with the mentor); when every participant has agreed too, the order is drafted."""
    term, program = _lock_term(term)
    if term.curator_agreed_at is not None:
        raise ValidationError("Куратор уже согласовал это изменение срока.")
    members = _members(program)
    if _member_of(members, user) is not None:
        raise ValidationError("Согласует куратор, а не участник программы.")
    term.curator_agreed_at = timezone.now()
    term.curator_agreed_by = user
    _log(program, user, f"Куратор согласовал изменение срока: {_span(program.end, term.new_end)}")
    if term_change_progress(term, members).complete:
        _draft_order(term, program, members, user)
    term.save()
    return term


def _agree(term, program, members, me, *, actor, paper=None, note: str = "") -> None:
    """Records ``me``'s agreement (given by ``actor`` or, on ``paper``, recorded by the curator
    ``actor``); the last one applies the new end."""
    now = timezone.now()
    if me.is_mentor:
        term.mentor_agreed_at = now
    TermAgreement.objects.create(term_change=term, person=me.person, agreed_at=now, paper=paper)
    span = _span(program.end, term.new_end)
    _log(program, actor, f"{AGREED}: {span} — {me.person.short_name}{note}")
    progress = term_change_progress(term, members)
    if all(a.agreed_at for a in progress.agreements if not a.member.is_mentor):
        term.mentee_agreed_at = term.mentee_agreed_at or now
    if progress.complete:
        _draft_order(term, program, members, actor)
    term.save()


@transaction.atomic
def term_change_agree_on_paper(
    *,
    term: TermChange,
    person,
    decided_on: date,
    scan,
    original_with_curator: bool,
    user: User,
) -> TermChange:
    """The curator (``user``) records the agreement ``person`` (no login) signed on paper
    (п. 7.2); it counts as if she had agreed in her own account."""
    paper_decision_check(
        person=person,
        decided_on=decided_on,
        scan=scan,
        original_with_curator=original_with_curator,
    )
    term, program = _lock_term(term)
    members = _members(program)
    me = next((m for m in members if m.person_id == person.pk), None)
    if me is None:
        raise ValidationError({"person": "Этот человек не участник программы."})
    if term.agreements.filter(person=person).exists() or (
        me.is_mentor and term.mentor_agreed_at is not None
    ):
        raise ValidationError({"person": "Согласие этого участника уже учтено."})
    decision = paper_decision_create(
        person=person,
        kind=PaperDecision.Kind.TERM_AGREEMENT,
        group=program.group,
        agreed=True,
        comment="",
        decided_on=decided_on,
        scan=scan,
        original_with_curator=original_with_curator,
        user=user,
    )
    _agree(
        term,
        program,
        members,
        me,
        actor=user,
        paper=decision,
        note=paper_note(decided_on=decided_on, user=user),
    )
    return term


def term_change_form_render(*, term: TermChange, fmt: str = PDF) -> bytes:
    """The printable agreement to a term change (п. 7.2), filled with the program's and the
    pair's data, with a signature line for the mentor and every mentee."""
    program = term.program
    members = _members(program)
    context = {
        "institution": program.group.institution,
        "term": term,
        "program": program,
        "group": program.group,
        "members": members,
    }
    return render_document("documents/paper_term_agreement.html", context, fmt=fmt)


# The staff who withdraw a term change (п. 7.2): the curator, and the sysadmin who stands in
# for her; the mentor withdraws only her own proposal.
WITHDRAWING_ROLES = (Role.CURATOR, Role.SYSADMIN)
WITHDRAWN = "Изменение срока отозвано"


def term_withdraw_allowed(term: TermChange, program: Program, user: User) -> bool:
    """The curator (or the sysadmin), not a member of the program, or the mentor who proposed
    the change."""
    me = _member_of(_members(program), user)
    if me is not None:
        return me.is_mentor and term.requested_by_id == user.pk
    return (
        user.institution_id == program.group.institution_id
        and user.role_assignments.filter(role__in=WITHDRAWING_ROLES).exists()
    )


def _drop_draft_order(term: TermChange) -> Order | None:
    """Detaches and deletes the unsigned order drafted for the term change; returns it (its
    title stays readable) or ``None``. A signed order is refused: the change has applied."""
    if term.order_id is None:
        return None
    order = Order.objects.select_for_update().get(pk=term.order_id)
    if order.is_signed:
        raise ValidationError(
            f"Приказ № {order.number} от {order.date:%d.%m.%Y} «{order.title}» уже подписан: "
            "изменение срока применено, отозвать его нельзя. Чтобы вернуть прежний срок, "
            "предложите новое изменение срока (п. 7.2)."
        )
    term.order = None
    term.save(update_fields=["order"])
    try:
        order.delete()
    except ProtectedError:
        raise ValidationError(
            f"Проект приказа «{order.title}» уже связан с другими документами: удалите эти "
            "связи в проекте приказа, затем отзовите изменение срока."
        ) from None
    return order


@transaction.atomic
def term_change_withdraw(*, term: TermChange, user: User, reason: str) -> TermChange:
    """The curator, or the mentor who proposed it, withdraws a term change while it waits for
    the participants' agreement or for the head's order (п. 7.2): the draft order «О продлении
    (корректировке) программы» is deleted, the program's end stays, the history records it and
    the participants (and the head, when an order was drafted) are told. Once the order is
    signed the change has applied and cannot be withdrawn.

    Locks the order, then the change, then the program — the order of the signing
    (``term_change_apply_by_order``), so a withdrawal and a signature never both happen."""
    if term.order_id is not None:
        Order.objects.select_for_update().filter(pk=term.order_id).first()
    term = TermChange.objects.select_for_update().get(pk=term.pk)
    program = _lock(term.program)
    if term.status == TermChange.Status.APPLIED:
        raise ValidationError(
            "Приказ о продлении (корректировке) программы уже подписан: изменение срока "
            "применено, отозвать его нельзя. Чтобы вернуть прежний срок, предложите новое "
            "изменение срока (п. 7.2)."
        )
    if term.status not in TermChange.OPEN_STATUSES:
        raise ValidationError(
            f"По этому изменению срока уже принято решение: «{term.get_status_display()}»."
        )
    if not term_withdraw_allowed(term, program, user):
        raise ValidationError(
            "Отозвать изменение срока может куратор или наставник, который его предложил."
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Напишите, почему изменение срока отзывается."})
    order = _drop_draft_order(term)
    term.status = TermChange.Status.DECLINED
    term.decline_comment = f"{TermChange.WITHDRAWN_PREFIX}{reason}"
    term.save(update_fields=["status", "decline_comment"])
    span = _span(program.end, term.new_end)
    dropped = f"; проект приказа «{order.title}» удалён" if order is not None else ""
    _log(program, user, f"{WITHDRAWN} ({span}){dropped}. Срок программы не изменился", reason)
    users = _others(program, _members(program), user)
    if order is not None:  # the head was waiting to sign it
        heads = User.objects.filter(
            institution=program.group.institution, role_assignments__role=Role.HEAD
        ).exclude(pk=user.pk)
        users += list(heads)
    notify(
        users=users,
        text=f"{WITHDRAWN} «{program.group.title}» ({span}){dropped}: {reason}. "
        f"Программа идёт до {program.end:%d.%m.%Y}.",
        url=_url(program),
    )
    return term


# --- Acquaintance with the program on paper (issue 16, part 3) ------------------------------

ACQUAINTED = "Ознакомление с программой наставничества"


def program_approved_on(program: Program) -> date | None:
    """The day the curator approved the program (local time); ``None`` for an old program
    approved before the date was kept."""
    return timezone.localdate(program.approved_at) if program.approved_at else None


def acquaintance_date_error(program: Program, decided_on: date) -> str:
    """The date on the sheet is not before the approval (shared by the form and the service);
    empty when it is not."""
    approved_on = program_approved_on(program)
    if approved_on is not None and decided_on < approved_on:
        return f"Ознакомиться с программой можно не раньше её утверждения ({approved_on:%d.%m.%Y})."
    return ""


def program_acquaintance(program: Program) -> list[PaperDecision]:
    """Who acquainted with the program on paper, by name."""
    return list(
        program.paper_decisions.filter(kind=PaperDecision.Kind.PROGRAM_ACQUAINTANCE)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person__patronymic")
    )


def program_acquaintance_waiting(program: Program) -> list[GroupMember]:
    """The program's current participants without a login whose acquaintance on paper is not
    recorded yet."""
    recorded = program.paper_decisions.filter(kind=PaperDecision.Kind.PROGRAM_ACQUAINTANCE).values(
        "person_id"
    )
    return list(
        GroupMember.objects.filter(
            group_id=program.group_id, left_on__isnull=True, person__user__isnull=True
        )
        .exclude(person_id__in=recorded)
        .select_related("person")
        .order_by("role", "person__last_name", "person__first_name")
    )


@transaction.atomic
def program_acquaintance_on_paper(
    *,
    program: Program,
    person,
    decided_on: date,
    scan,
    original_with_curator: bool,
    user: User,
) -> PaperDecision:
    """The curator (``user``) records that ``person``, the mentor or a mentee of the program
    without a login, signed the sheet of acquaintance with the approved program on
    ``decided_on``. The program's history names the curator and the person."""
    program = _lock(program)
    if not program.was_approved:
        raise ValidationError(
            "Ознакомление с программой вносится после её утверждения куратором: сейчас она "
            f"в состоянии «{program.get_status_display()}»."
        )
    errors = paper_decision_errors(
        person=person,
        decided_on=decided_on,
        scan=scan,
        original_with_curator=original_with_curator,
    )
    if not any(m.person_id == person.pk for m in _members(program)):
        errors["person"] = "Этот человек не участник программы."
    elif program.paper_decisions.filter(
        person=person, kind=PaperDecision.Kind.PROGRAM_ACQUAINTANCE
    ).exists():
        errors["person"] = "Ознакомление этого участника с программой уже внесено."
    if "decided_on" not in errors and (error := acquaintance_date_error(program, decided_on)):
        errors["decided_on"] = error
    if errors:
        raise ValidationError(errors)
    decision = paper_decision_create(
        person=person,
        kind=PaperDecision.Kind.PROGRAM_ACQUAINTANCE,
        group=program.group,
        program=program,
        agreed=True,
        comment="",
        decided_on=decided_on,
        scan=scan,
        original_with_curator=original_with_curator,
        user=user,
    )
    note = paper_note(decided_on=decided_on, user=user)
    _log(program, user, f"{ACQUAINTED}: {person.short_name}{note}")
    return decision


def program_acquaintance_form_render(*, program: Program, fmt: str = PDF) -> bytes:
    """The printable «Лист ознакомления с программой наставничества», filled with the
    program's pair and period, with a line for the date and signature of every participant."""
    members = sorted(
        GroupMember.objects.filter(group_id=program.group_id, left_on__isnull=True)
        .select_related("person__position")
        .order_by("person__last_name", "person__first_name"),
        key=lambda m: not m.is_mentor,
    )
    context = {
        "institution": program.group.institution,
        "program": program,
        "group": program.group,
        "approved_on": program_approved_on(program),
        "members": members,
    }
    return render_document("documents/paper_program_acquaintance.html", context, fmt=fmt)


def _order_items(term: TermChange, program: Program, members: list[GroupMember]) -> list[str]:
    """The items of «О продлении (корректировке) программы» (п. 7.2; ТК РФ ст. 351.8)."""
    group = program.group
    mentors = ", ".join(m.person.full_name for m in members if m.is_mentor)
    mentees = ", ".join(m.person.full_name for m in members if not m.is_mentor)
    verb = "Продлить" if term.new_end > program.end else "Изменить"
    curator = getattr(group.curator, "person", None)
    curator_name = f" ({curator.full_name})" if curator is not None else ""
    return [
        f"{verb} срок реализации персонализированной программы наставничества (наставник — "
        f"{mentors}; наставляемые — {mentees}): окончание — {term.new_end:%d.%m.%Y} вместо "
        f"{program.end:%d.%m.%Y} (п. 7.2 Положения о системе наставничества). "
        f"Основание: {term.reason}",
        f"Внести изменения в дополнительное соглашение с наставником ({mentors}): срок "
        f"выполнения работы по наставничеству — по {term.new_end:%d.%m.%Y} "
        "(ТК РФ, ст. 351.8).",
        f"Куратору{curator_name} обеспечить корректировку плана мероприятий программы "
        "в соответствии с новым сроком.",
    ]


def _draft_order(term: TermChange, program: Program, members: list[GroupMember], user) -> None:
    """Everyone agreed: the change is drafted as the head's order (п. 7.2); the term applies
    and the mentor's agreement is amended when she signs it."""
    group = program.group
    order = Order.objects.create(
        institution=group.institution,
        kind=Order.Kind.PROGRAM_CHANGE,
        title=Order.Kind.PROGRAM_CHANGE.label,
        basis="Положение о системе (целевой модели) наставничества педагогических работников, "
        "п. 7.2; согласие наставника и наставляемых на изменение срока программы.",
        items=_order_items(term, program, members),
        created_by=group.curator,
    )
    curator = getattr(group.curator, "person", None)
    order.acquainted.set([m.person for m in members] + ([curator] if curator else []))
    order.covered_groups.add(group)
    term.status = TermChange.Status.ORDERED
    term.order = order
    _log(
        program,
        user,
        f"Все согласны: проект приказа о продлении ({_span(program.end, term.new_end)}) "
        "направлен заведующему",
    )
    heads = User.objects.filter(
        institution=group.institution, role_assignments__role=Role.HEAD, is_active=True
    )
    notify(
        users=[*heads, group.curator],
        text=f"Проект приказа «{order.title}» ждёт подписи: срок программы "
        f"«{group.title}» — {_span(program.end, term.new_end)}.",
        url=reverse("registry:order-detail", args=[order.pk]),
    )


def term_change_apply_by_order(*, order: Order, head: User) -> None:
    """The head signed the order drafted for a term change: the new end applies and each
    current mentor's signed agreement is amended (п. 7.2; ТК РФ ст. 351.8). Runs inside the
    signing transaction (registry.services.orders.order_sign)."""
    term = TermChange.objects.select_for_update().filter(order=order).first()
    if term is None or term.status != TermChange.Status.ORDERED:
        return
    program = _lock(term.program)
    _require_active(program, "Изменить срок")
    members = _members(program)
    _apply(term, program, members, head)
    term.save(update_fields=["status"])
    mentors = [m.person_id for m in members if m.is_mentor]
    signed = MentoringAgreement.objects.filter(
        group_id=program.group_id,
        mentor_id__in=mentors,
        status=MentoringAgreement.Status.SIGNED,
    )
    for agreement in signed:
        if agreement.ends_on != term.new_end:
            agreement_amend(
                agreement=agreement,
                new_end=term.new_end,
                reason=term.reason,
                made_on=order.date,
                order=order,
            )


def _apply(term: TermChange, program: Program, members: list[GroupMember], user: User) -> None:
    if error := term_error(program, term.new_end):
        raise ValidationError(f"Изменение срока не применено: {error}")
    old_end = program.end
    program.end = term.new_end
    program.extended = program.extended or (term.new_end - program.start > MAX_TERM)
    program.version += 1
    program.full_clean()
    program.save(update_fields=["end", "extended", "version"])
    term.status = TermChange.Status.APPLIED
    _log(program, user, f"Срок изменён: {_span(old_end, program.end)}", term.reason)
    notify(
        users=_everyone(program, members),
        text=f"Приказ подписан: срок программы изменён — {_span(old_end, program.end)}.",
        url=_url(program),
    )


@transaction.atomic
def term_change_decline(*, term: TermChange, user: User, comment: str) -> TermChange:
    """The mentor or a mentee does not agree: the change stops, the term stays."""
    term, program = _lock_term(term)
    members = _members(program)
    me = _member_of(members, user)
    if me is None:
        raise ValidationError("Отклонить изменение могут только наставник и наставляемые.")
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": "Напишите, почему вы не согласны с изменением срока."})
    term.status = TermChange.Status.DECLINED
    term.decline_comment = comment
    term.save(update_fields=["status", "decline_comment"])
    span = _span(program.end, term.new_end)
    _log(program, user, f"Изменение срока отклонено ({span}): {me.person.short_name}", comment)
    notify(
        users=_others(program, members, user),
        text=f"{me.person.short_name} не {agreed(me.person.gender, 'согласен', 'согласна')} "
        f"с изменением срока программы «{program.group.title}» ({span}): {comment}",
        url=_url(program),
    )
    return term


# --- Completion (п. 7.1) ---------------------------------------------------------------------


# The staff who end a program as the curator (п. 7.1): the curator, the head as the employer,
# and the sysadmin who stands in for the curator everywhere else.
CURATOR_ROLES = (Role.CURATOR, Role.HEAD, Role.SYSADMIN)


@dataclass(frozen=True)
class Completion:
    reason: str
    finished_on: date
    reason_note: str = ""
    mentee_result: str = ""
    mentor_result: str = ""
    notice_on: date | None = None  # ТК РФ ст. 351.8, for Program.NOTICE_REASONS


def completion_parties(program: Program, user: User) -> set[str]:
    """Who the user is when ending this program: its mentor, its mentee, the curator."""
    parties = set()
    member = (
        GroupMember.objects.filter(
            group_id=program.group_id, person__user=user, left_on__isnull=True
        )
        .only("role")
        .first()
    )
    if member is not None:
        parties.add(Program.Party.MENTOR if member.is_mentor else Program.Party.MENTEE)
    if (
        user.institution_id == program.group.institution_id
        and user.role_assignments.filter(role__in=CURATOR_ROLES).exists()
    ):
        parties.add(Program.Party.CURATOR)
    return parties


def completion_reasons(parties: set[str]) -> list[tuple[str, str]]:
    """The reasons of п. 7.1 these parties may choose, in the order of the regulation."""
    allowed = {r for party in parties for r in Program.REASONS_BY_PARTY[party]}
    return [(r.value, r.label) for r in Program.Reason if r in allowed]


def notice_deadline(notice_on: date) -> date:
    """The earliest end after a written notice given on ``notice_on`` (ТК РФ ст. 351.8)."""
    return add_working_days(notice_on, Program.NOTICE_WORKING_DAYS)


def completion_errors(
    program: Program, completion: Completion, parties: set[str] | None = None
) -> dict[str, str]:
    """Every reason the completion is refused, by field."""
    errors = {}
    today = timezone.localdate()
    if parties is not None and completion.reason not in dict(completion_reasons(parties)):
        mine = "; ".join(f"«{label}»" for _, label in completion_reasons(parties))
        errors["reason"] = (
            "Это основание выбирает другой участник (п. 7.1). Вам доступны: " + mine + "."
            if mine
            else "Вы не можете завершить эту программу (п. 7.1)."
        )
    if completion.finished_on < program.start:
        errors["finished_on"] = (
            f"Дата завершения не может быть раньше начала программы ({program.start:%d.%m.%Y})."
        )
    elif completion.finished_on > today:
        errors["finished_on"] = "Дата завершения не может быть в будущем."
    plan_done = completion.reason == Program.Reason.PLAN_DONE
    if not plan_done and not completion.reason_note.strip():
        errors["reason_note"] = "Опишите уважительную причину или обстоятельства завершения."
    if plan_done and not completion.mentee_result.strip():
        errors["mentee_result"] = "Опишите итоговый результат наставляемого."
    if plan_done and not completion.mentor_result.strip():
        errors["mentor_result"] = "Опишите итоговый результат наставника."
    if completion.reason in Program.NOTICE_REASONS:
        notice_on = completion.notice_on
        if notice_on is None:
            errors["notice_on"] = (
                "Укажите дату письменного предупреждения: досрочное прекращение по инициативе "
                "наставника или работодателя — не ранее чем через три рабочих дня после "
                "него (ТК РФ, ст. 351.8)."
            )
        elif notice_on > today:
            errors["notice_on"] = "Дата предупреждения не может быть в будущем."
        elif "finished_on" not in errors and completion.finished_on < notice_deadline(notice_on):
            errors["finished_on"] = (
                f"После предупреждения {notice_on:%d.%m.%Y} программу можно прекратить не "
                f"ранее {notice_deadline(notice_on):%d.%m.%Y} — через три рабочих дня "
                "(ТК РФ, ст. 351.8)."
            )
    if plan_done:
        open_events = list(program.events.filter(status__in=OPEN_EVENTS)[:6])
        if open_events:
            titles = ", ".join(f"«{e.title}»" for e in open_events[:5])
            more = " и другие" if len(open_events) > 5 else ""
            errors["reason"] = (
                f"План ещё не выполнен. Сначала отметьте выполнение или отмените: {titles}{more}."
            )
    return errors


@transaction.atomic
def program_complete(*, program: Program, completion: Completion, user: User) -> Program:
    """Completes the program with a reason of п. 7.1: «завершена» when the plan is done in
    full, «прекращена» otherwise; closes the group and returns the mentees to the bank."""
    program = _lock(program)
    if program.status in (Program.Status.COMPLETED, Program.Status.TERMINATED):
        raise ValidationError(
            f"Программа уже {program.get_status_display()} {program.finished_on:%d.%m.%Y}: "
            "её нельзя завершить ещё раз."
        )
    _require_active(program, "Завершить программу")
    parties = completion_parties(program, user)
    if errors := completion_errors(program, completion, parties):
        raise ValidationError(errors)
    plan_done = completion.reason == Program.Reason.PLAN_DONE
    program.status = Program.Status.COMPLETED if plan_done else Program.Status.TERMINATED
    program.reason = completion.reason
    program.finished_on = completion.finished_on
    program.reason_note = completion.reason_note.strip()
    program.mentee_result = completion.mentee_result.strip()
    program.mentor_result = completion.mentor_result.strip()
    needs_notice = completion.reason in Program.NOTICE_REASONS
    program.notice_on = completion.notice_on if needs_notice else None
    program.version += 1
    program.full_clean()
    program.save()
    # A term change still open has nothing left to change; an order drafted for it goes.
    for term in program.term_changes.select_for_update().filter(status=TermChange.Status.ORDERED):
        _drop_draft_order(term)
    update_logged(
        program.term_changes.filter(status__in=TermChange.OPEN_STATUSES),
        status=TermChange.Status.DECLINED,
        decline_comment="Программа завершена.",
    )

    reason_label = Program.Reason(completion.reason).label
    verb = "Программа завершена" if plan_done else "Программа прекращена досрочно"
    what = f"{verb} {completion.finished_on:%d.%m.%Y}: {reason_label}"
    why = program.reason_note
    if needs_notice:
        notice = (
            f"Письменное предупреждение о досрочном прекращении наставничества вручено "
            f"{completion.notice_on:%d.%m.%Y} (ТК РФ, ст. 351.8)."
        )
        why = f"{why}\n{notice}".strip()
    _log(program, user, what, why)

    group = MentoringGroup.objects.select_for_update().get(pk=program.group_id)
    group.status = (
        MentoringGroup.Status.COMPLETED if plan_done else MentoringGroup.Status.TERMINATED
    )
    group.save(update_fields=["status"])
    GroupEvent.objects.create(group=group, actor=user, text=what[:500], comment=why)
    # ТК РФ ст. 351.8: the mentoring work ends with the program, and so does each mentor's
    # supplementary agreement, on the program's end date.
    agreements_end_with_program(
        group=group,
        ended_on=completion.finished_on,
        note=what,
        user=user,
    )

    members = _members(program)
    mentees = [m.person_id for m in members if not m.is_mentor]
    update_logged(
        MenteeProfile.objects.filter(person_id__in=mentees),
        status=MenteeProfile.Status.COMPLETED if plan_done else MenteeProfile.Status.WITHOUT_PAIR,
    )
    notify(users=_others(program, members, user), text=what, url=_url(program))
    # Monitoring of quality (Приложение 2, этап 6.1): the satisfaction questionnaires go to
    # the participants of a completed and of an early-ended program alike.

    survey_send_on_completion(program=program, user=user)
    return program
