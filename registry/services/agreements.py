"""The mentor's supplementary agreement (ТК РФ ст. 351.8) and the partner's cooperation agreement.

The curator drafts the agreement from the group (content, term, form) with the pay, prints it,
the mentor and the head sign it on paper, and the curator enters its number and date. The head
approves a pair or a group only when each of its mentors has a signed agreement — or, for a
partner organization's staff member, when the partner has a cooperation agreement
(``approval_errors``). Either side ends it early with three working days' written notice
(``agreement_end``); an extension of the program amends it (``agreement_amend``); the order
that replaces a mentor ends the leaving mentor's one (``agreements_end_by_order``), and the
program's end (п. 7.1) ends each mentor's one of the group (``agreements_end_with_program``).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch

from audit.trail import update_logged
from mentoring_site.lib.documents import PDF, render_document
from mentoring_site.lib.versions import check_version
from mentoring_site.lib.workdays import add_working_days
from registry.models import (
    AgreementAmendment,
    GroupEvent,
    GroupMember,
    MentoringAgreement,
    MentoringGroup,
    Order,
    Person,
)

Status = MentoringAgreement.Status
EndedBy = MentoringAgreement.EndedBy

# ТК РФ ст. 351.8: «… предупредив об этом другую сторону в письменной форме не менее чем за три
# рабочих дня».
NOTICE_WORKING_DAYS = 3
# The groups an agreement can be drafted for: not declined, completed or terminated.
DRAFTABLE_GROUP_STATUSES = MentoringGroup.OPEN_STATUSES


def _log(group, actor, text, comment=""):
    GroupEvent.objects.create(group=group, actor=actor, text=text, comment=comment.strip())


def is_partner_staff(person: Person) -> bool:
    """A partner organization's staff member: not the institution's employee."""
    return person.organization_id != person.institution_id


def default_content(group: MentoringGroup, mentor: Person) -> str:
    """The content of the mentoring work drafted from the group: kinds, directions, mentees."""
    kinds = ", ".join(k.name for k in group.kinds.all()) or "—"
    directions = ", ".join(d.name for d in group.directions.all()) or "—"
    mentees = [m.person for m in group.active_mentees]
    lines = [
        "Работник выполняет обязанности наставника педагогических работников в соответствии "
        "с Положением о системе наставничества педагогических работников учреждения: "
        "разрабатывает совместно с наставляемым персонализированную программу наставничества, "
        "организует и проводит предусмотренные ею мероприятия, оказывает наставляемому "
        "методическую и практическую помощь, участвует в мониторинге результатов.",
        f"Виды наставничества: {kinds}. Направления: {directions}.",
        "Наставляемые: " + ", ".join(_described(p) for p in mentees) + ".",
    ]
    return "\n".join(lines)


def _described(person: Person) -> str:
    position = person.position.name if person.position_id else ""
    return f"{person.full_name}, {position}" if position else person.full_name


def _mentor_member(group: MentoringGroup, mentor: Person) -> GroupMember:
    member = group.members.filter(person=mentor, left_on__isnull=True).first()
    if member is None or not member.is_mentor:
        raise ValidationError("Соглашение заключается с наставником этой пары (группы).")
    return member


def _pay(pay_amount, pay_percent) -> tuple[Decimal | None, Decimal | None]:
    if (pay_amount is None) == (pay_percent is None):
        raise ValidationError(
            {
                "pay_amount": "Укажите доплату либо суммой в рублях, либо процентом оклада — "
                "одно из двух."
            }
        )
    return pay_amount, pay_percent


@transaction.atomic
def agreement_draft(
    *,
    group: MentoringGroup,
    mentor: Person,
    user,
    content: str,
    starts_on: date,
    ends_on: date,
    pay_amount: Decimal | None = None,
    pay_percent: Decimal | None = None,
) -> MentoringAgreement:
    """The curator drafts the agreement, ready to print and sign."""
    group = MentoringGroup.objects.select_for_update().get(pk=group.pk)
    if group.status not in DRAFTABLE_GROUP_STATUSES:
        raise ValidationError(
            "Соглашение готовится для действующей или предлагаемой пары (группы): сейчас она "
            f"в состоянии «{group.get_status_display()}»."
        )
    _mentor_member(group, mentor)
    if is_partner_staff(mentor):
        raise ValidationError(
            f"«{mentor.short_name}» — работник организации-партнёра: с ней заключается не "
            "дополнительное соглашение, а договор о сотрудничестве с организацией."
        )
    pay_amount, pay_percent = _pay(pay_amount, pay_percent)
    agreement = MentoringAgreement(
        institution=group.institution,
        group=group,
        mentor=mentor,
        content=content.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        form=group.form,
        pay_amount=pay_amount,
        pay_percent=pay_percent,
        created_by=user,
    )
    agreement.full_clean()
    agreement.save()
    _log(group, user, f"Подготовлен проект дополнительного соглашения с {mentor.short_name}")
    return agreement


# What the draft's form changes, checked against the version the editor saw.
DRAFT_FIELDS = ("content", "starts_on", "ends_on", "pay_amount", "pay_percent")


def _lock(agreement: MentoringAgreement) -> MentoringAgreement:
    return (
        MentoringAgreement.objects.select_for_update(of=("self",))
        .select_related("group", "mentor")
        .get(pk=agreement.pk)
    )


@transaction.atomic
def agreement_update_draft(
    *,
    agreement: MentoringAgreement,
    content: str,
    starts_on: date,
    ends_on: date,
    pay_amount: Decimal | None = None,
    pay_percent: Decimal | None = None,
    version: str | None = None,
) -> MentoringAgreement:
    """A draft changes until it is signed; a signed one only by an amendment. A change is
    refused (``StaleVersion``) when someone saved the draft since ``version``."""
    agreement = _lock(agreement)
    check_version(agreement, version, DRAFT_FIELDS)
    if not agreement.is_draft:
        raise ValidationError("Подписанное соглашение не меняется: изменения вносятся приказом.")
    agreement.pay_amount, agreement.pay_percent = _pay(pay_amount, pay_percent)
    agreement.content = content.strip()
    agreement.starts_on, agreement.ends_on = starts_on, ends_on
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def agreement_sign(
    *, agreement: MentoringAgreement, number: str, signed_on: date, user, today: date
) -> MentoringAgreement:
    """The number and the date of the agreement signed on paper by both parties."""
    agreement = _lock(agreement)
    if not agreement.is_draft:
        raise ValidationError("Сведения о подписании уже внесены.")
    number = number.strip()
    if not number:
        raise ValidationError({"number": "Укажите номер соглашения."})
    if signed_on > today:
        raise ValidationError({"date": "Дата подписания не может быть в будущем."})
    agreement.number, agreement.date = number, signed_on
    agreement.status = Status.SIGNED
    agreement.signed_recorded_by = user
    agreement.full_clean()
    agreement.save()
    _log(
        agreement.group,
        user,
        f"Подписано дополнительное соглашение с {agreement.mentor.short_name}: "
        f"№ {number} от {signed_on:%d.%m.%Y}",
    )
    return agreement


def earliest_end(notice_on: date) -> date:
    """ТК РФ ст. 351.8: not earlier than three working days after the written notice."""
    return add_working_days(notice_on, NOTICE_WORKING_DAYS)


@transaction.atomic
def agreement_end(
    *,
    agreement: MentoringAgreement,
    ended_by: str,
    notice_on: date,
    ended_on: date,
    note: str,
    user,
) -> MentoringAgreement:
    """Early cancellation by the employer or the mentor, with three working days' notice."""
    agreement = _lock(agreement)
    if not agreement.is_signed:
        raise ValidationError("Прекратить можно только подписанное соглашение.")
    if ended_by not in (EndedBy.EMPLOYER, EndedBy.MENTOR):
        raise ValidationError({"ended_by": "Выберите, по чьей инициативе прекращается."})
    if notice_on < agreement.date:
        raise ValidationError(
            {"notice_on": "Уведомление не может быть раньше подписания соглашения."}
        )
    earliest = earliest_end(notice_on)
    if ended_on < earliest:
        raise ValidationError(
            {
                "ended_on": "Соглашение прекращается не ранее чем через три рабочих дня после "
                f"письменного уведомления (ТК РФ, ст. 351.8): не раньше {earliest:%d.%m.%Y}."
            }
        )
    agreement.status = Status.ENDED
    agreement.ended_by = ended_by
    agreement.notice_on, agreement.ended_on = notice_on, ended_on
    agreement.end_note = note.strip()
    agreement.ended_recorded_by = user
    agreement.full_clean()
    agreement.save()
    _log(
        agreement.group,
        user,
        f"Дополнительное соглашение с {agreement.mentor.short_name} прекращается "
        f"{agreement.get_ended_by_display()} с {ended_on:%d.%m.%Y}",
        note,
    )
    return agreement


def agreements_end_by_order(*, group: MentoringGroup, mentors: list[Person], order: Order) -> int:
    """The order that replaces a mentor ends the leaving mentor's agreement on its date."""
    return update_logged(
        MentoringAgreement.objects.filter(group=group, mentor__in=mentors, status=Status.SIGNED),
        status=Status.ENDED,
        ended_by=EndedBy.ORDER,
        ended_on=order.date,
        end_note=f"Приказ № {order.number} от {order.date:%d.%m.%Y} «{order.title}»",
    )


def agreements_end_with_program(*, group: MentoringGroup, ended_on: date, note: str, user) -> int:
    """п. 7.1: the program ended (completed or terminated early), so the mentoring work ends,
    and each mentor's signed agreement of the group ends on the program's end date. Runs inside
    the transaction that ends the program (programs.services.lifecycle.program_complete)."""
    signed = list(
        MentoringAgreement.objects.select_for_update(of=("self",))
        .filter(group=group, status=Status.SIGNED)
        .select_related("mentor")
        .order_by("pk")
    )
    if not signed:
        return 0
    update_logged(
        MentoringAgreement.objects.filter(pk__in=[a.pk for a in signed]),
        status=Status.ENDED,
        ended_by=EndedBy.PROGRAM,
        ended_on=ended_on,
        end_note=note.strip(),
        ended_recorded_by_id=getattr(user, "pk", None),
    )
    names = ", ".join(a.mentor.short_name for a in signed)
    one = len(signed) == 1
    what = "Дополнительное соглашение" if one else "Дополнительные соглашения"
    verb = "прекращено" if one else "прекращены"
    text = (
        f"{what} с наставником ({names}) {verb} {EndedBy.PROGRAM.label} "
        f"с {ended_on:%d.%m.%Y} (ТК РФ, ст. 351.8)"
    )
    _log(group, user, text[:500])
    return len(signed)


def agreement_amend(
    *, agreement: MentoringAgreement, new_end: date, reason: str, made_on: date, order=None
) -> AgreementAmendment:
    """An extension of the program (п. 7.2) moves the end of the mentoring work. Runs inside
    the transaction of the order that decides it."""
    agreement = _lock(agreement)
    if not agreement.is_signed:
        raise ValidationError("Изменить можно только подписанное соглашение.")
    if new_end <= agreement.starts_on:
        raise ValidationError("Новое окончание должно быть позже начала наставничества.")
    amendment = AgreementAmendment(
        agreement=agreement,
        previous_end=agreement.ends_on,
        new_end=new_end,
        reason=reason.strip(),
        made_on=made_on,
        order=order,
    )
    amendment.full_clean()
    amendment.save()
    agreement.ends_on = new_end
    agreement.save(update_fields=["ends_on"])
    _log(
        agreement.group,
        None,
        f"Изменено дополнительное соглашение с {agreement.mentor.short_name}: окончание "
        f"{new_end:%d.%m.%Y} вместо {amendment.previous_end:%d.%m.%Y}",
    )
    return amendment


def signed_agreements(group_ids) -> dict[tuple[int, int], MentoringAgreement]:
    """{(group id, mentor id): the signed agreement} of the groups. One query."""
    rows = MentoringAgreement.objects.filter(group_id__in=group_ids, status=Status.SIGNED)
    return {(a.group_id, a.mentor_id): a for a in rows}


def approval_errors(group: MentoringGroup, mentors: list[Person]) -> list[str]:
    """Why the head cannot approve ``mentors`` of the group yet (ТК РФ ст. 351.8): each
    employee needs a signed agreement, each partner's staff member a cooperation agreement of
    the partner. ``mentors`` carry their ``organization``. One query."""
    signed = signed_agreements([group.pk])
    errors = []
    for mentor in mentors:
        if is_partner_staff(mentor):
            partner = mentor.organization
            if not partner.cooperation_agreement_number:
                errors.append(
                    f"Наставник «{mentor.short_name}» — работник организации "
                    f"«{partner.short_name}»: внесите договор о сотрудничестве с этой организацией "
                    "(номер и дату) на "
                    "странице организации-партнёра."
                )
        elif (group.pk, mentor.pk) not in signed:
            errors.append(
                f"Нет подписанного дополнительного соглашения с наставником «{mentor.short_name}» "
                "(ТК РФ, ст. 351.8): подготовьте его на странице пары, подпишите и внесите "
                "номер и дату."
            )
    return errors


def register(institution, *, status: str = ""):
    """The register of agreements: the institution's agreements with mentors, groups and
    amendments loaded (four queries whatever their number)."""
    rows = (
        MentoringAgreement.objects.filter(institution=institution)
        .select_related("mentor__position", "form", "group")
        .prefetch_related(
            "amendments",
            Prefetch(
                "group__members",
                queryset=GroupMember.objects.select_related("person"),
            ),
        )
        .order_by("mentor__last_name", "mentor__first_name", "-created_at")
    )
    if status:
        rows = rows.filter(status=status)
    return rows


def agreement_document(agreement: MentoringAgreement) -> dict:
    institution = agreement.institution
    return {
        "agreement": agreement,
        "institution": institution,
        "mentor": agreement.mentor,
        "mentees": [m.person for m in agreement.group.active_mentees],
        "amendments": list(agreement.amendments.all()),
        "head_name": institution.head_name,
        "notice_days": NOTICE_WORKING_DAYS,
    }


def agreement_render(*, agreement: MentoringAgreement, fmt: str = PDF) -> bytes:
    """The agreement as a PDF or, with ``fmt`` DOCX, in Word, ready to sign."""
    return render_document(
        "documents/mentoring_agreement.html", agreement_document(agreement), fmt=fmt
    )


def amendment_render(*, amendment: AgreementAmendment, fmt: str = PDF) -> bytes:
    context = agreement_document(amendment.agreement)
    context["amendment"] = amendment
    return render_document("documents/agreement_amendment.html", context, fmt=fmt)


def agreement_filename(agreement: MentoringAgreement) -> str:
    if agreement.is_draft:
        return f"Проект доп. соглашения {agreement.pk}.pdf"
    return f"Доп. соглашение {agreement.pk} от {agreement.date:%d.%m.%Y}.pdf"
