"""The life of a mentoring pair or group (п. 6.1, п. 6.2; DOMAIN.md §3).

proposed → (every participant confirms) confirmed → submitted → active (approved by the
head's order) or returned; a participant who declines stops it (declined). Every step is
one transaction that locks the group, so a step cannot run twice or out of order.

A mentor of an approved group is replaced through the same path: the new mentor and the
mentees confirm, the head approves by the order «О замене наставника»; a refusal leaves the
group as it was (п. 4.1, п. 5.1).
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Func,
    IntegerField,
    OuterRef,
    Subquery,
    prefetch_related_objects,
)
from django.urls import reverse
from django.utils import timezone

from audit.trail import log_created, update_logged
from mentoring_site.lib.russian import agreed, decline_person
from mentoring_site.lib.versions import StaleVersion, fingerprint, fingerprint_of
from registry.models import (
    Consent,
    CouncilMeeting,
    GroupEvent,
    GroupMember,
    GroupSize,
    MenteeProfile,
    MentoringGroup,
    Order,
    PaperDecision,
    Person,
    Petition,
    Role,
    User,
)
from registry.services.agreements import agreements_end_by_order
from registry.services.agreements import approval_errors as agreement_errors
from registry.services.notifications import notify
from registry.services.orders import order_duty_holders, order_preamble, order_sign

Status = MentoringGroup.Status

# п. 1.2: a personalised program lasts from 3 months to 1 year.
TERM_MIN_MONTHS = 3
TERM_MAX_MONTHS = 12


@dataclass(frozen=True)
class Proposal:
    """What the curator or a council member proposes."""

    mentors: list  # Person, the first is the mentor, the rest co-mentors
    mentees: list  # Person
    form: object
    kinds: list
    directions: list
    planned_start: date
    planned_end: date
    curator: object  # User
    rationale: str = ""
    extra_forms: list = ()  # further forms used together with ``form`` (п. 2.3)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def term_error(planned_start: date, planned_end: date) -> str | None:
    """Why the planned term breaks п. 1.2 (3 months to 1 year), or ``None``."""
    if planned_end <= planned_start:
        return "Окончание должно быть позже начала."
    earliest = add_months(planned_start, TERM_MIN_MONTHS)
    latest = add_months(planned_start, TERM_MAX_MONTHS)
    if planned_end < earliest:
        return (
            "Срок наставничества — от 3 месяцев до 1 года (п. 1.2 Положения): "
            f"окончание не раньше {earliest:%d.%m.%Y}."
        )
    if planned_end > latest:
        return (
            "Срок наставничества — от 3 месяцев до 1 года (п. 1.2 Положения): "
            f"окончание не позже {latest:%d.%m.%Y}."
        )
    return None


def _lock(group: MentoringGroup) -> MentoringGroup:
    return MentoringGroup.objects.select_for_update().get(pk=group.pk)


def _require(group: MentoringGroup, *statuses, action: str):
    if group.status not in statuses:
        raise ValidationError(
            f"Нельзя {action}: группа сейчас в состоянии «{group.get_status_display()}»."
        )


def _log(group, actor, text, comment=""):
    GroupEvent.objects.create(group=group, actor=actor, text=text, comment=comment.strip())


def _url(group) -> str:
    return reverse("registry:group-detail", args=[group.pk])


def _active_members(group) -> list[GroupMember]:
    """The group's current members with their people, in one query."""
    return list(
        group.members.filter(left_on__isnull=True).select_related(
            "person__user", "person__organization"
        )
    )


def mentee_load_of() -> Subquery:
    """The one definition of a mentor's load: the mentees (not left) of the open groups where the
    outer row's person is a mentor or co-mentor (not left), as a subquery, so that a list reads
    it with its rows (the mentor bank, issue 21)."""
    mentees = (
        GroupMember.objects.filter(
            role=GroupMember.Role.MENTEE,
            left_on__isnull=True,
            group__status__in=MentoringGroup.OPEN_STATUSES,
            group__members__person=OuterRef("pk"),
            group__members__role__in=[GroupMember.Role.MENTOR, GroupMember.Role.CO_MENTOR],
            group__members__left_on__isnull=True,
        )
        .order_by()
        .annotate(mentees=Func("pk", function="COUNT"))
        .values("mentees")
    )
    return Subquery(mentees, output_field=IntegerField())


def mentee_load(mentor_ids) -> dict[int, int]:
    """Mentees each of ``mentor_ids`` has now in open groups: {person id: count, 0 included}.
    One query."""
    rows = (
        Person.objects.filter(pk__in=mentor_ids)
        .annotate(mentees=mentee_load_of())
        .order_by()
        .values_list("pk", "mentees")
    )
    return dict(rows)


def with_mentee_load(people):
    """The mentors ``people`` (a queryset) with ``mentee_load``: the places taken of their
    capacity, read with the rows (the mentor bank's list and export)."""
    return people.annotate(mentee_load=mentee_load_of())


def member_names(group_ids) -> dict[int, tuple[list[str], list[str]]]:
    """{group id: (the active mentors' short names, the active mentees')} in one query of values
    (the lists, issue 21): what ``active_mentors`` and ``active_mentees`` would name."""
    names = {group_id: ([], []) for group_id in group_ids}
    members = (
        GroupMember.objects.filter(group__in=names, left_on__isnull=True)
        .order_by("role", "id")
        .values_list(
            "group_id",
            "role",
            "person__last_name",
            "person__first_name",
            "person__patronymic",
            "person__anonymized_on",
        )
    )
    for group_id, role, *name, anonymized in members:
        mentors, mentees = names[group_id]
        (mentees if role == GroupMember.Role.MENTEE else mentors).append(
            Person.short_name_of(*name, anonymized=anonymized)
        )
    return names


def with_list_columns(groups) -> list[MentoringGroup]:
    """The groups of a list's page with what its rows show set as plain values (issue 21): the
    active members' short names (``mentor_names``, ``mentee_names``, ``is_group``), the forms
    (``forms_line``, as ``forms_display``), ``direction_names`` and ``open_petitions``. Four
    queries of values for the page, not model instances read through ``prefetch_related``."""
    groups = list(groups)
    by_pk = {group.pk: group for group in groups}
    names = member_names(by_pk)
    for group in groups:
        group.mentor_names, group.mentee_names = names[group.pk]
        group.is_group = len(group.mentee_names) != 1
        group.direction_names, group.extra_form_names, group.open_petitions = [], [], []
    directions = (
        MentoringGroup.directions.through.objects.filter(mentoringgroup__in=by_pk)
        .order_by("direction__sort_order", "direction__name")
        .values_list("mentoringgroup_id", "direction__name")
    )
    for group_id, name in directions:
        by_pk[group_id].direction_names.append(name)
    extra_forms = MentoringGroup.extra_forms.through.objects.filter(
        mentoringgroup__in=by_pk
    ).values_list("mentoringgroup_id", "mentoringform__sort_order", "mentoringform__name")
    for group_id, _order, name in sorted(extra_forms, key=lambda row: row[1:]):  # as all_forms
        by_pk[group_id].extra_form_names.append(name)
    petitions = Petition.objects.filter(group__in=by_pk, status=Petition.Status.SUBMITTED)
    for petition in petitions.only("group_id", "kind", "created_at"):
        by_pk[petition.group_id].open_petitions.append(petition)
    for group in groups:
        forms = [group.form.name, *group.extra_form_names] if group.form_id else []
        group.forms_line = "; ".join(forms)
    return groups


def _composition_errors(proposal: Proposal) -> list[str]:
    errors = []
    if not proposal.mentors:
        errors.append("Выберите наставника.")
    if not proposal.mentees:
        errors.append("В группе должен быть хотя бы один наставляемый.")
    people = list(proposal.mentors) + list(proposal.mentees)
    if len({p.pk for p in people}) != len(people):
        errors.append("Один человек не может быть в группе дважды: наставник не наставляет себя.")
    return errors


def _outsider_errors(people: list[Person], institution) -> list[str]:
    return [
        f"«{person.short_name}» — не из реестра вашего учреждения."
        for person in people
        if person.institution_id != institution.pk
    ]


def _consent_errors(people: list[Person]) -> list[str]:
    """152-ФЗ ст. 9: nobody is placed without a processing consent in force. One query."""
    with_consent = set(
        Consent.objects.active()
        .filter(person__in=people, kind=Consent.Kind.PROCESSING)
        .values_list("person_id", flat=True)
    )
    return [
        f"У «{person.short_name}» нет действующего согласия на обработку "
        "персональных данных (152-ФЗ, ст. 9)."
        for person in people
        if person.pk not in with_consent
    ]


def _mentors_load(mentor_ids, exclude_group) -> dict[int, int]:
    """Mentees each mentor has now, less those of ``exclude_group`` (its own places)."""
    load = mentee_load(mentor_ids)
    if exclude_group is not None:
        own_mentees = len(exclude_group.active_mentees)
        for member in exclude_group.active_mentors:
            if member.person_id in load:
                load[member.person_id] -= own_mentees
    return load


def _mentor_errors(proposal: Proposal, exclude_group) -> list[str]:
    """Each mentor is in the mentor bank and has room for the proposal's mentees. Two queries."""
    mentor_ids = {p.pk for p in proposal.mentors}
    capacity = dict(
        Person.objects.filter(pk__in=mentor_ids)
        .exclude(mentor_profile__isnull=True)
        .values_list("pk", "mentor_profile__capacity")
    )
    load = _mentors_load(mentor_ids, exclude_group)
    errors = []
    for person in proposal.mentors:
        if person.pk not in capacity:
            errors.append(f"«{person.short_name}» нет в банке наставников.")
            continue
        free = capacity[person.pk] - load.get(person.pk, 0)
        if len(proposal.mentees) > free:
            errors.append(
                f"У наставника «{person.short_name}» нет столько свободных мест: "
                f"можно ещё {max(free, 0)} из {capacity[person.pk]}."
            )
    return errors


def _mentee_bank_errors(proposal: Proposal) -> list[str]:
    mentee_ids = [p.pk for p in proposal.mentees]
    in_bank = set(
        MenteeProfile.objects.filter(person_id__in=mentee_ids).values_list("person_id", flat=True)
    )
    return [
        f"«{person.short_name}» нет в банке наставляемых."
        for person in proposal.mentees
        if person.pk not in in_bank
    ]


def _busy_directions(proposal: Proposal, exclude_group) -> dict[int, set[str]]:
    """{mentee id: names of the proposal's directions they already have a pair in}. One query."""
    busy = GroupMember.objects.filter(
        person_id__in=[p.pk for p in proposal.mentees],
        role=GroupMember.Role.MENTEE,
        left_on__isnull=True,
        group__status__in=MentoringGroup.OPEN_STATUSES,
        group__directions__in=[d.pk for d in proposal.directions],
    )
    if exclude_group is not None:
        busy = busy.exclude(group=exclude_group)
    directions = {}
    for person_id, direction in busy.values_list("person_id", "group__directions__name"):
        directions.setdefault(person_id, set()).add(direction)
    return directions


def _busy_mentee_errors(proposal: Proposal, exclude_group) -> list[str]:
    busy = _busy_directions(proposal, exclude_group)
    return [
        f"«{person.short_name}» уже в паре (группе) по направлению "
        + ", ".join(f"«{name}»" for name in sorted(busy[person.pk]))
        + ": второй наставник по тому же направлению не назначается."
        for person in proposal.mentees
        if person.pk in busy
    ]


def _detail_errors(proposal: Proposal, institution) -> list[str]:
    errors = []
    if not proposal.directions:
        errors.append("Укажите хотя бы одно направление.")
    if not proposal.kinds:
        errors.append("Укажите хотя бы один вид наставничества.")
    curator = proposal.curator
    if curator is None or curator.institution_id != institution.pk:
        errors.append("Выберите куратора из сотрудников вашего учреждения.")
    return errors


def _size_errors(proposal: Proposal) -> list[str]:
    """п. 2.4: «один-на-один» is one mentee, «в группе» two or more — as each form and kind
    of the reference says (``group_size``), whatever the region named it."""
    count = len(proposal.mentees)
    errors = []
    if proposal.form is not None and proposal.form in proposal.extra_forms:
        errors.append("Основная форма уже выбрана: не отмечайте её среди дополнительных.")
    if not count:
        return errors
    chosen = [
        *(("Форма", "выберите другую форму", f) for f in [proposal.form, *proposal.extra_forms]),
        *(("Вид", "снимите этот вид", k) for k in proposal.kinds),
    ]
    for word, remedy, item in chosen:
        size = getattr(item, "group_size", GroupSize.ANY)
        if size == GroupSize.SINGLE and count != 1:
            errors.append(
                f"{word} наставничества «{item.name}» — для одного наставляемого, а выбрано "
                f"{count} (п. 2.4 Положения): оставьте одного наставляемого или {remedy}."
            )
        elif size == GroupSize.GROUP and count < 2:
            errors.append(
                f"{word} наставничества «{item.name}» — для группы из двух и более "
                f"наставляемых, а выбран один (п. 2.4 Положения): добавьте наставляемых "
                f"или {remedy}."
            )
    return errors


def check_proposal(proposal: Proposal, *, institution, exclude_group=None) -> list[str]:
    """Every reason the proposal cannot be made, in Russian; empty when it can.

    ``exclude_group``: the group being changed (a mentor replacement), whose own places and
    directions do not count against its people."""
    people = list({p.pk: p for p in [*proposal.mentors, *proposal.mentees]}.values())
    return [
        *_composition_errors(proposal),
        *_outsider_errors(people, institution),
        *_consent_errors(people),
        *_mentor_errors(proposal, exclude_group),
        *_mentee_bank_errors(proposal),
        *_busy_mentee_errors(proposal, exclude_group),
        *_detail_errors(proposal, institution),
        *_size_errors(proposal),
    ]


@transaction.atomic
def group_propose(*, proposal: Proposal, institution, user) -> MentoringGroup:
    errors = check_proposal(proposal, institution=institution)
    term = term_error(proposal.planned_start, proposal.planned_end)
    if term:
        errors.append(term)
    if errors:
        raise ValidationError(errors)
    group = MentoringGroup(
        institution=institution,
        form=proposal.form,
        planned_start=proposal.planned_start,
        planned_end=proposal.planned_end,
        curator=proposal.curator,
        rationale=proposal.rationale.strip(),
        proposed_by=user,
    )
    group.full_clean()
    group.save()
    group.kinds.set(proposal.kinds)
    group.directions.set(proposal.directions)
    group.extra_forms.set(proposal.extra_forms)
    mentors, mentees = list(proposal.mentors), list(proposal.mentees)
    roles = [GroupMember.Role.MENTOR] + [GroupMember.Role.CO_MENTOR] * (len(mentors) - 1)
    members = [
        GroupMember(group=group, person=p, role=r) for p, r in zip(mentors, roles, strict=True)
    ]
    members += [GroupMember(group=group, person=p, role=GroupMember.Role.MENTEE) for p in mentees]
    for member in members:
        member.full_clean(exclude=["group"])
    GroupMember.objects.bulk_create(members)
    log_created(members)
    _log(
        group,
        user,
        "Пара предложена" if len(mentees) == 1 else "Группа предложена",
        proposal.rationale,
    )
    notify(
        users=[p.user for p in mentors + mentees],
        text=f"Вам предложено участие в наставнической паре (группе) «{group.title}»: "
        "подтвердите согласие или откажитесь.",
        url=_url(group),
    )
    return group


@transaction.atomic
def group_respond(
    *, group, person, confirm: bool, comment: str, user, paper_note: str = ""
) -> MentoringGroup:
    """A participant confirms or declines (voluntary, п. 6.2). The last confirmation makes
    the group «согласована»; one refusal stops it, or, when a mentor was being replaced,
    cancels the replacement and leaves the approved group as it was. ``paper_note`` says, in
    the history, that the curator (``user``) recorded a decision given on paper
    (registry/services/paper.py)."""
    group = _lock(group)
    _require(group, Status.PROPOSED, action="ответить на предложение")
    member = group.members.filter(person=person, left_on__isnull=True).first()
    if member is None:
        raise ValidationError("Вы не участник этой группы.")
    if member.response != GroupMember.Response.PENDING:
        raise ValidationError("Вы уже ответили на это предложение.")
    comment = comment.strip()
    if not confirm and not comment:
        raise ValidationError({"comment": "Напишите, почему вы отказываетесь."})
    member.response = GroupMember.Response.CONFIRMED if confirm else GroupMember.Response.DECLINED
    member.response_comment = comment
    member.responded_at = timezone.now()
    member.save(update_fields=["response", "response_comment", "responded_at"])
    verb = (
        f"{agreed(person.gender, 'подтвердил', 'подтвердила')} участие"
        if confirm
        else f"{agreed(person.gender, 'отказался', 'отказалась')} от участия"
    )
    _log(group, user, f"{person.short_name} {verb}{paper_note}", comment)
    if not confirm and group.order_id is not None:
        _cancel_replacement(group, person=person, comment=comment)
    elif not confirm:
        group.status = Status.DECLINED
        group.save(update_fields=["status"])
        notify(
            users=[group.curator],
            text=f"{person.short_name} {agreed(person.gender, 'отказался', 'отказалась')} "
            f"от участия: «{group.title}». Причина: {comment}",
            url=_url(group),
        )
    elif not group.members.filter(
        left_on__isnull=True, response=GroupMember.Response.PENDING
    ).exists():
        group.status = Status.CONFIRMED
        group.save(update_fields=["status"])
        _log(group, None, "Все участники согласны")
        notify(
            users=[group.curator],
            text=f"Все участники «{group.title}» согласились: пару (группу) можно направить "
            "заведующему на утверждение.",
            url=_url(group),
        )
    return group


def _cancel_replacement(group, *, person, comment):
    """A refusal during a replacement: the proposed mentor does not join, the approved group
    keeps working under its order as before."""
    today = timezone.localdate()
    update_logged(group.members.filter(left_on__isnull=True, joined_on__isnull=True), left_on=today)
    update_logged(
        group.members.filter(left_on__isnull=True).exclude(response=GroupMember.Response.CONFIRMED),
        response=GroupMember.Response.CONFIRMED,
        response_comment="",
        responded_at=None,
    )
    group.status = Status.ACTIVE
    group.save(update_fields=["status"])
    _log(group, None, "Замена наставника не состоялась: группа работает в прежнем составе")
    notify(
        users=[group.curator],
        text=f"Замена наставника в «{group.title}» не состоялась: {person.short_name} "
        f"{agreed(person.gender, 'отказался', 'отказалась')}. {comment}",
        url=_url(group),
    )


def mentors_without_written_consent(group) -> list[Person]:
    """ТК РФ ст. 351.8: a mentor needs a written consent to mentoring. A mentor who is
    leaving by a replacement needs none."""
    active = group.active_members
    leaving = {m.replaces_id for m in active if m.replaces_id and m.joined_on is None}
    mentors = [m.person for m in active if m.is_mentor and m.pk not in leaving]
    with_consent = set(
        Consent.objects.active()
        .filter(person__in=mentors, kind=Consent.Kind.MENTORING)
        .values_list("person_id", flat=True)
    )
    return [p for p in mentors if p.pk not in with_consent]


# --- Corrections before the head's decision (п. 2.3, 2.4, 6.2) -----------------------------

# What a correction may change, checked against the version the editor saw.
CORRECTION_FIELDS = (
    "form",
    "extra_forms",
    "kinds",
    "directions",
    "planned_start",
    "planned_end",
    "curator",
    "rationale",
)


def correction_version(group: MentoringGroup) -> str:
    """The fingerprint of what a correction changes, members included."""
    members = sorted(group.members.filter(left_on__isnull=True).values_list("person_id", "role"))
    return f"{fingerprint(group, CORRECTION_FIELDS)}:{fingerprint_of(members)}"


def _names(items) -> str:
    return ", ".join(str(item) for item in items) or "—"


def _correction_parts(group, proposal: Proposal, members: list[GroupMember]) -> tuple:
    """(what changed in words, whether the participants' consent is asked again)."""
    parts, again = [], False
    if proposal.form != group.form or set(proposal.extra_forms) != set(group.extra_forms.all()):
        old = _names([group.form, *group.extra_forms.all()])
        parts.append(f"формы: {old} → {_names([proposal.form, *proposal.extra_forms])}")
    if set(proposal.kinds) != set(group.kinds.all()):
        parts.append(f"виды: {_names(group.kinds.all())} → {_names(proposal.kinds)}")
    if set(proposal.directions) != set(group.directions.all()):
        parts.append(
            f"направления: {_names(group.directions.all())} → {_names(proposal.directions)}"
        )
    if (proposal.planned_start, proposal.planned_end) != (group.planned_start, group.planned_end):
        parts.append(
            f"срок: {group.planned_start:%d.%m.%Y}–{group.planned_end:%d.%m.%Y} → "
            f"{proposal.planned_start:%d.%m.%Y}–{proposal.planned_end:%d.%m.%Y}"
        )
        again = True
    old_people = [(m.person_id, m.role) for m in members]
    roles = [GroupMember.Role.MENTOR] + [GroupMember.Role.CO_MENTOR] * (len(proposal.mentors) - 1)
    new_people = [(p.pk, r) for p, r in zip(proposal.mentors, roles, strict=True)] + [
        (p.pk, GroupMember.Role.MENTEE) for p in proposal.mentees
    ]
    if sorted(old_people) != sorted(new_people):
        old_names = _names(m.person.short_name for m in members)
        new_names = _names(p.short_name for p in [*proposal.mentors, *proposal.mentees])
        parts.append(f"участники: {old_names} → {new_names}")
        again = True
    if proposal.curator != group.curator:
        parts.append("куратор")
    if proposal.rationale.strip() != group.rationale:
        parts.append("обоснование подбора")
    return parts, again


@transaction.atomic
def group_correct(
    *, group: MentoringGroup, proposal: Proposal, user, version: str | None, why: str = ""
) -> MentoringGroup:
    """Corrects a proposed, agreed or returned group before it goes to the head: its forms,
    kinds, directions, participants and term. Each correction is written in the history;
    a change of participants or term asks every participant's consent again (п. 6.2)."""
    group = _lock(group)
    if not group.is_correctable:
        raise ValidationError(
            "Исправить можно пару (группу), пока она на согласовании у участников, "
            "согласована ими или возвращена заведующим; сейчас она в состоянии "
            f"«{group.get_status_display()}»."
        )
    if version is not None and correction_version(group) != version:
        raise StaleVersion(group)
    errors = check_proposal(proposal, institution=group.institution, exclude_group=group)
    if term := term_error(proposal.planned_start, proposal.planned_end):
        errors.append(term)
    if errors:
        raise ValidationError(errors)
    members = _active_members(group)
    parts, again = _correction_parts(group, proposal, members)
    if not parts:
        raise ValidationError("Ничего не изменилось: исправлять нечего.")

    group.form = proposal.form
    group.planned_start, group.planned_end = proposal.planned_start, proposal.planned_end
    group.curator = proposal.curator
    group.rationale = proposal.rationale.strip()
    group.full_clean()
    group.extra_forms.set(proposal.extra_forms)
    group.kinds.set(proposal.kinds)
    group.directions.set(proposal.directions)
    if again:
        _recompose(group, proposal, members)
        group.status = Status.PROPOSED
        group.return_comment = ""
    group.save()
    _log(group, user, ("Исправлено: " + "; ".join(parts))[:500], why)
    people = [*proposal.mentors, *proposal.mentees]
    if again:
        text = (
            f"Предложение пары (группы) исправлено ({'; '.join(parts)}): подтвердите "
            "согласие ещё раз или откажитесь."
        )
    else:
        text = f"В паре (группе) исправлено: {'; '.join(parts)}."
    notify(users=[p.user for p in people], text=text[:500], url=_url(group))
    return group


def _recompose(group, proposal: Proposal, members: list[GroupMember]) -> None:
    """The participants of the corrected proposal, every answer back to «ждёт ответа» and
    the answers given on paper marked as no longer in force."""
    today = timezone.localdate()
    roles = [GroupMember.Role.MENTOR] + [GroupMember.Role.CO_MENTOR] * (len(proposal.mentors) - 1)
    wanted = {p.pk: r for p, r in zip(proposal.mentors, roles, strict=True)}
    wanted.update({p.pk: GroupMember.Role.MENTEE for p in proposal.mentees})
    leaving = [m.pk for m in members if wanted.get(m.person_id) != m.role]
    update_logged(GroupMember.objects.filter(pk__in=leaving), left_on=today)
    staying = [m.pk for m in members if m.pk not in leaving]
    update_logged(
        GroupMember.objects.filter(pk__in=staying),
        response=GroupMember.Response.PENDING,
        response_comment="",
        responded_at=None,
    )
    kept = {m.person_id for m in members if m.pk in staying}
    new = [
        GroupMember(group=group, person_id=pk, role=role)
        for pk, role in wanted.items()
        if pk not in kept
    ]
    GroupMember.objects.bulk_create(new)
    log_created(new)
    update_logged(
        PaperDecision.objects.filter(
            group=group, kind=PaperDecision.Kind.GROUP_RESPONSE, superseded_on__isnull=True
        ),
        superseded_on=today,
    )


@transaction.atomic
def group_submit(*, group, user) -> MentoringGroup:
    group = _lock(group)
    _require(group, Status.CONFIRMED, Status.RETURNED, action="направить на утверждение")
    prefetch_related_objects([group], "members__person")
    if any(m.response != GroupMember.Response.CONFIRMED for m in group.active_members):
        raise ValidationError("Не все участники подтвердили согласие.")
    missing = mentors_without_written_consent(group)
    if missing:
        names = ", ".join(p.short_name for p in missing)
        raise ValidationError(
            f"Нет письменного согласия на наставничество (ТК РФ, ст. 351.8): {names}. "
            "Внесите его на странице участника."
        )
    group.status = Status.SUBMITTED
    group.submitted_at = timezone.now()
    group.return_comment = ""
    group.save(update_fields=["status", "submitted_at", "return_comment"])
    _log(group, user, "Направлена на утверждение заведующему")
    heads = User.objects.filter(
        institution=group.institution, role_assignments__role=Role.HEAD, is_active=True
    )
    notify(
        users=heads,
        text=f"Наставническая пара (группа) «{group.title}» ждёт утверждения.",
        url=_url(group),
    )
    return group


def order_items_for_groups(groups) -> list[str]:
    return [
        "Закрепить наставнические пары (группы) в составе согласно приложению к приказу "
        "(п. 6.2 Положения о системе наставничества).",
        "Наставникам и наставляемым разработать персонализированные программы наставничества "
        "в течение месяца со дня издания приказа.",
        "Куратору обеспечить сопровождение реализации программ наставничества.",
    ]


def _person_with_position(person, case: str) -> str:
    """«Козлову Екатерину Александровну (воспитатель)»: the name in the sentence's case."""
    name = decline_person(person, case)
    return f"{name} ({person.position})" if person.position_id else name


def order_items_for_replacement(*, leaving, newcomers, mentees) -> list[str]:
    """The items of «О замене наставника»: who leaves, who comes, for whom (п. 4.1, п. 5.1),
    the names declined as the sentence asks («Освободить … Козлову Екатерину …»)."""
    mentee_names = ", ".join(decline_person(p, "gent") for p in mentees)
    items = [
        f"Освободить от обязанностей наставника {_person_with_position(p, 'accs')}."
        for p in leaving
    ]
    items += [
        f"Назначить наставником {_person_with_position(p, 'accs')} "
        f"для {'наставляемого' if len(mentees) == 1 else 'наставляемых'} {mentee_names}."
        for p in newcomers
    ]
    items.append(
        "Наставнику и наставляемым скорректировать персонализированную программу "
        "наставничества в течение месяца со дня издания приказа."
    )
    return items


@transaction.atomic
def group_approve(*, group, head, number: str, signed_on: date) -> Order:
    """The head approves: the order «О закреплении…» (or «О замене наставника» when the
    group already had one) is created and signed in the same transaction (п. 3.2, п. 6.2).

    ``group.order`` becomes the new order, the group's current one; every order about the
    group stays in ``group.orders`` (its annex lists the group as of its date, and a signed
    order never changes)."""
    group = _lock(group)
    _require(group, Status.SUBMITTED, action="утвердить")
    members = _active_members(group)
    replacing = group.order_id is not None
    newcomers = [m for m in members if m.joined_on is None]
    leaving_ids = {m.replaces_id for m in newcomers if m.replaces_id}
    mentees = [m.person for m in members if m.role == GroupMember.Role.MENTEE]
    # ТК РФ ст. 351.8: each mentor the order assigns has a signed supplementary agreement
    # (a partner's staff member: the partner's cooperation agreement).
    missing = agreement_errors(group, [m.person for m in newcomers if m.is_mentor])
    if missing:
        raise ValidationError(" ".join(["Утвердить нельзя.", *missing]))
    if replacing:
        kind = Order.Kind.REPLACEMENT
        items = order_items_for_replacement(
            leaving=[m.person for m in members if m.pk in leaving_ids],
            newcomers=[m.person for m in newcomers],
            mentees=mentees,
        )
    else:
        kind = Order.Kind.GROUPS
        items = order_items_for_groups([group])
    order = Order.objects.create(
        institution=group.institution,
        kind=kind,
        title=Order.Kind(kind).label,
        basis=order_preamble(institution=group.institution, kind=kind),
        items=items,
        created_by=head,
    )
    # Everyone the order obliges: the members (the leaving mentor too) and the curator.
    order.acquainted.set(
        order_duty_holders(institution=group.institution, kind=kind, items=items, groups=[group])
    )
    order.covered_groups.add(group)
    order = order_sign(order=order, head=head, number=number, signed_on=signed_on)
    # The pair's current order is the latest signed one about it (п. 5.1: after a replacement
    # it names the new mentor); the founding order stays among ``group.orders``.
    group.order = order
    group.status = Status.ACTIVE
    group.decided_at = timezone.now()
    group.save(update_fields=["order", "status", "decided_at"])
    update_logged(group.members.filter(pk__in=[m.pk for m in newcomers]), joined_on=signed_on)
    # A replaced mentor leaves with the order that brings the new one, and her agreement ends.
    update_logged(group.members.filter(pk__in=leaving_ids), left_on=signed_on)
    agreements_end_by_order(
        group=group, mentors=[m.person for m in members if m.pk in leaving_ids], order=order
    )
    update_logged(
        MenteeProfile.objects.filter(person__in=mentees), status=MenteeProfile.Status.IN_PAIR
    )
    _log(
        group,
        head,
        f"Утверждена приказом «{order.title}» № {order.number} от {signed_on:%d.%m.%Y}",
    )
    notify(
        users=[m.person.user for m in members] + [group.curator],
        text=f"Наставническая пара (группа) утверждена приказом № {order.number} "
        f"от {signed_on:%d.%m.%Y}.",
        url=_url(group),
    )
    return order


@transaction.atomic
def group_return(*, group, head, comment: str) -> MentoringGroup:
    group = _lock(group)
    _require(group, Status.SUBMITTED, action="вернуть")
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": "Напишите, что нужно исправить."})
    group.status = Status.RETURNED
    group.return_comment = comment
    group.decided_at = timezone.now()
    group.save(update_fields=["status", "return_comment", "decided_at"])
    _log(group, head, "Возвращена заведующим", comment)
    notify(
        users=[group.curator],
        text=f"Заведующий вернул наставническую пару (группу) «{group.title}»: {comment}",
        url=_url(group),
    )
    return group


@transaction.atomic
def group_replace_mentor(
    *, group, leaving: GroupMember, new_mentor: Person, user
) -> MentoringGroup:
    """Starts replacing a mentor of an approved group: the new mentor and the mentees confirm
    again, the head approves by a new order «О замене наставника» (п. 5.1, п. 4.1)."""
    group = _lock(group)
    _require(group, Status.ACTIVE, action="заменить наставника")
    prefetch_related_objects([group], "members__person")
    current = {m.pk: m for m in group.active_members}
    leaving = current.get(leaving.pk)
    if leaving is None or not leaving.is_mentor:
        raise ValidationError("Заменить можно только действующего наставника этой группы.")
    proposal = Proposal(
        mentors=[new_mentor],
        mentees=[m.person for m in group.active_mentees],
        form=group.form,
        kinds=list(group.kinds.all()),
        directions=list(group.directions.all()),
        planned_start=group.planned_start,
        planned_end=group.planned_end,
        curator=group.curator,
    )
    if any(m.person_id == new_mentor.pk for m in current.values()):
        errors = [f"«{new_mentor.short_name}» уже в этой группе."]
    else:
        errors = check_proposal(proposal, institution=group.institution, exclude_group=group)
    if errors:
        raise ValidationError(errors)
    newcomer = GroupMember(group=group, person=new_mentor, role=leaving.role, replaces=leaving)
    newcomer.full_clean()
    newcomer.save()
    update_logged(
        group.members.filter(left_on__isnull=True, role=GroupMember.Role.MENTEE),
        response=GroupMember.Response.PENDING,
        responded_at=None,
        response_comment="",
    )
    group.status = Status.PROPOSED
    group.save(update_fields=["status"])
    _log(
        group,
        user,
        f"Предложена замена наставника: {leaving.person.short_name} → {new_mentor.short_name}",
    )
    notify(
        users=[new_mentor.user] + [m.person.user for m in group.active_mentees],
        text=f"Предложена замена наставника в «{group.title}»: {leaving.person.short_name} → "
        f"{new_mentor.short_name}. Подтвердите согласие или откажитесь.",
        url=_url(group),
    )
    return group


@transaction.atomic
def petition_submit(*, group, author: Person, kind: str, text: str, user) -> Petition:
    """п. 5.1: a mentee asks to replace the mentor; п. 4.1: a mentor asks to be relieved."""
    group = _lock(group)
    _require(group, Status.ACTIVE, action="подать ходатайство")
    member = group.members.filter(person=author, left_on__isnull=True).first()
    if member is None:
        raise ValidationError("Ходатайство подаёт участник группы.")
    if kind == Petition.Kind.REPLACE_MENTOR and member.role != GroupMember.Role.MENTEE:
        raise ValidationError("О замене наставника просит наставляемый.")
    if kind == Petition.Kind.RELIEVE_MENTOR and not member.is_mentor:
        raise ValidationError("О сложении обязанностей просит наставник.")
    petition = Petition(group=group, kind=kind, author=author, text=text.strip())
    petition.full_clean()
    petition.save()
    _log(group, user, f"Подано ходатайство {petition.get_kind_display()}", text)
    deciders = User.objects.filter(
        institution=group.institution,
        role_assignments__role__in=[Role.HEAD, Role.CURATOR],
        is_active=True,
    ).distinct()
    notify(
        users=deciders,
        text=f"Новое ходатайство {petition.get_kind_display()}: «{group.title}».",
        url=_url(group),
    )
    return petition


@transaction.atomic
def petition_decide(*, petition: Petition, approve: bool, comment: str, user) -> Petition:
    """The curator or the head decides. An approved petition is followed by a replacement
    (group_replace_mentor) or by the end of the group (programs)."""
    petition = (
        # Lock the petition row only: the author's account is an outer join.
        Petition.objects.select_for_update(of=("self",))
        .select_related("group", "author__user")
        .get(pk=petition.pk)
    )
    if petition.status != Petition.Status.SUBMITTED:
        raise ValidationError("По этому ходатайству уже принято решение.")
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": "Напишите, почему ходатайство отклонено."})
    petition.status = Petition.Status.APPROVED if approve else Petition.Status.REJECTED
    petition.decided_by = user
    petition.decided_at = timezone.now()
    petition.decision_comment = comment
    petition.full_clean()
    petition.save()
    verdict = "удовлетворено" if approve else "отклонено"
    _log(petition.group, user, f"Ходатайство {petition.get_kind_display()} {verdict}", comment)
    notify(
        users=[petition.author.user],
        text=f"Ваше ходатайство {petition.get_kind_display()} («{petition.group.title}») "
        f"{verdict}. {comment}".strip(),
        url=_url(petition.group),
    )
    return petition


# --- The council's mediation (п. 3.4) ----------------------------------------------------------


def mediation_meetings(petition: Petition, today: date | None = None):
    """The council's meetings a mediation may be linked to: held since the petition was filed."""
    today = today or timezone.localdate()
    return CouncilMeeting.objects.filter(
        institution_id=petition.group.institution_id,
        held_on__gte=timezone.localtime(petition.created_at).date(),
        held_on__lte=today,
    ).order_by("-held_on", "-pk")


@transaction.atomic
def petition_mediate(
    *,
    petition: Petition,
    outcome: str,
    text: str,
    meeting: CouncilMeeting | None,
    user,
    today: date | None = None,
) -> Petition:
    """п. 3.4: the council, «открытая площадка для … функций медиации», hears the parties of a
    petition and records the outcome: settled, or not settled and passed to the head. Only
    while the petition waits for a decision; recording again corrects the outcome (the audit
    trail keeps the earlier one). The author, the group's participants and those who decide
    are told."""
    petition = (
        Petition.objects.select_for_update(of=("self",))
        .select_related("group__institution", "author__user")
        .get(pk=petition.pk)
    )
    if petition.status != Petition.Status.SUBMITTED:
        raise ValidationError(
            "По ходатайству уже принято решение: итог медиации записывают, пока оно "
            "на рассмотрении."
        )
    errors = {}
    if outcome not in Petition.Mediation.values:
        errors["outcome"] = "Выберите итог медиации."
    text = text.strip()
    if not text:
        errors["text"] = (
            "Напишите решение совета: о чём договорились стороны или почему не удалось."
        )
    if (
        meeting is not None
        and not mediation_meetings(petition, today).filter(pk=meeting.pk).exists()
    ):
        errors["meeting"] = (
            "Выберите заседание совета, которое прошло после подачи ходатайства, или оставьте "
            "поле пустым."
        )
    if errors:
        raise ValidationError(errors)
    corrected = petition.is_mediated
    petition.mediation = outcome
    petition.mediation_text = text
    petition.mediation_meeting = meeting
    petition.mediated_by = user
    petition.mediated_at = timezone.now()
    petition.full_clean()
    petition.save()
    outcome_label = petition.get_mediation_display()
    verb = "Исправлен итог медиации" if corrected else "Итог медиации совета"
    _log(
        petition.group,
        user,
        f"{verb} по ходатайству {petition.get_kind_display()}: {outcome_label}",
        text,
    )
    group = petition.group
    parties = [m.person.user for m in _active_members(group) if m.person.user_id]
    if petition.author.user_id:
        parties.append(petition.author.user)
    deciders = User.objects.filter(
        institution=group.institution,
        role_assignments__role__in=[Role.HEAD, Role.CURATOR],
        is_active=True,
    ).distinct()
    users = {u.pk: u for u in [*parties, *deciders] if u.pk != getattr(user, "pk", None)}
    notify(
        users=list(users.values()),
        text=f"Методический совет по ходатайству {petition.get_kind_display()} "
        f"(«{group.title}»): {outcome_label}.",
        url=_url(group),
    )
    return petition
