"""The head's orders: drafting, signing and the printed act (п. 3.1, п. 3.2; DOMAIN.md §3–§4).

Signing is the only way an order becomes valid, it happens once, and it carries the
order's effects: an appointed curator or council member gets the role, a relieved curator loses
it, and a new composition of the council replaces the previous one (п. 3.2, 3.3, 3.4). Each role
so given records the order it rests on (``RoleAssignment.order``).
A signed order never changes: a mistake is mended by a new order.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from mentoring_site.lib.documents import PDF, render_document
from mentoring_site.lib.russian import decline_person
from mentoring_site.lib.versions import check_version
from registry.models import (
    Consent,
    GroupMember,
    MentoringAgreement,
    MentoringGroup,
    Order,
    Organization,
    Person,
    Role,
    RoleAssignment,
)

# Work another app does when the head signs an order of a kind, inside the signing
# transaction (a refusal undoes the signing): the programs app applies a program's extension
# (п. 7.2) and amends the mentor's agreement. {kind: [step(order=, head=)]}; filled by the apps'
# ``ready()`` through ``on_signing``.
SIGNING_STEPS: dict[str, list[Callable[..., None]]] = {}


def on_signing(kind: str, step: Callable[..., None]) -> None:
    steps = SIGNING_STEPS.setdefault(kind, [])
    if step not in steps:
        steps.append(step)


NUMBER_PATTERN = re.compile(r"^[0-9]{1,6}([/\-][0-9A-Za-zА-Яа-я]{1,6})?$")

ROLE_GRANTED_BY = {Order.Kind.CURATOR: Role.CURATOR, Order.Kind.COUNCIL: Role.COUNCIL}
# Orders whose signing takes a role away from the people they name.
ROLE_REMOVED_BY = {Order.Kind.CURATOR_RELIEF: Role.CURATOR}
# Orders whose «назначаемые» (or, for a relief, those relieved) are people of the order.
PEOPLE_KINDS = (*ROLE_GRANTED_BY, *ROLE_REMOVED_BY)

# Only the head's approval of a group creates these (registry.services.groups.group_approve).
GROUP_KINDS = (Order.Kind.GROUPS, Order.Kind.REPLACEMENT)
# Only the head's approval of a roadmap creates this one (roadmap.services.roadmap_approve).
WORKFLOW_KINDS = (*GROUP_KINDS, Order.Kind.ROADMAP)
DRAFT_KINDS = [kind for kind in Order.Kind if kind not in WORKFLOW_KINDS]
_BY_GROUP = "Такой приказ создаётся при утверждении пары (группы) заведующим."
WORKFLOW_ONLY = {
    Order.Kind.GROUPS: _BY_GROUP,
    Order.Kind.REPLACEMENT: _BY_GROUP,
    Order.Kind.ROADMAP: "Такой приказ создаётся при утверждении дорожной карты заведующим.",
}

CITY = "Санкт-Петербург"
DEFAULT_BASIS = (
    "В соответствии с Положением о системе (целевой модели) наставничества педагогических "
    "работников"
)

# The preamble «В соответствии с …» of each kind (issue 18, item 10): the regulation's clauses
# the order carries out, and the law where the order touches a mentor's work (ТК РФ ст. 351.8:
# mentoring is given with the employee's written consent and an agreement). A kind not listed
# cites the regulation alone.
REGULATION_TITLE = "Положением о системе (целевой модели) наставничества педагогических работников"
LABOUR_CODE = "статьёй 351.8 Трудового кодекса Российской Федерации"
PREAMBLE_CLAUSES = {
    Order.Kind.CURATOR: "п. 3.2, п. 3.3",
    Order.Kind.COUNCIL: "п. 3.2, п. 3.4",
    Order.Kind.ROADMAP: "п. 3.2, Приложение 2",
    Order.Kind.GROUPS: "п. 3.1, п. 6.2",
    Order.Kind.REPLACEMENT: "п. 3.1, п. 6.2",
    Order.Kind.RELIEF: "п. 3.1, п. 7.1",
    Order.Kind.PROGRAM_CHANGE: "п. 7.2",
    Order.Kind.TERMINATION: "п. 7.1",
    Order.Kind.RELEASE: "п. 1.4",
    Order.Kind.FINAL_EVENT: "Приложение 2, этап 6",
    Order.Kind.REWARD: "п. 3.2, п. 3.4",
}
PREAMBLE_LAW = {
    Order.Kind.GROUPS: f"{LABOUR_CODE}, на основании письменных согласий наставников",
    Order.Kind.REPLACEMENT: f"{LABOUR_CODE}, на основании письменного согласия наставника",
    Order.Kind.RELIEF: LABOUR_CODE,
    Order.Kind.PROGRAM_CHANGE: LABOUR_CODE,
    Order.Kind.TERMINATION: LABOUR_CODE,
}

# What a draft's editor changes, in the form's order: checked against the version the editor
# saw (the curator and the head both draft orders).
ORDER_VERSION_FIELDS = (
    "kind",
    "title",
    "basis",
    "items",
    "control_clause",
    "appointees",
    "acquainted",
    "is_public",
)
DRAFT_FIELDS = frozenset(ORDER_VERSION_FIELDS)


def order_next_number(*, institution: Organization, year: int) -> str:
    """A suggestion: one more than the largest leading number signed this year
    («94/1», «95» → «96»)."""
    numbers = Order.objects.filter(
        institution=institution, year=year, status=Order.Status.SIGNED
    ).values_list("number", flat=True)
    leading = [int(m.group()) for n in numbers if (m := re.match(r"\d+", n))]
    return str(max(leading, default=0) + 1)


def validate_order_number(number: str) -> str:
    number = (number or "").strip().replace(" ", "")
    if not NUMBER_PATTERN.match(number):
        raise ValidationError(
            {"number": "Номер приказа — цифры, можно с дробью или дефисом: «94», «94/1», «12-о»."}
        )
    return number


def _describe(person: Person, case: str = "nomn") -> str:
    """«Петрова Мария Ивановна, воспитатель»; in ``case`` inside a sentence: «Назначить …
    Петрову Марию Ивановну, воспитателя» keeps the position as a label: «(воспитатель)»."""
    if case != "nomn":
        name = decline_person(person, case)
        return f"{name} ({person.position.name})" if person.position_id else name
    if person.position_id:
        return f"{person.full_name}, {person.position.name}"
    return person.full_name


def order_default_title(kind: str) -> str:
    return Order.Kind(kind).label


def regulation_order(institution_id: int) -> Order | None:
    """The signed order «Об утверждении Положения о системе наставничества» in force: the
    latest one."""
    return (
        Order.objects.filter(
            institution_id=institution_id,
            kind=Order.Kind.REGULATION,
            status=Order.Status.SIGNED,
        )
        .order_by("-date", "-signed_at")
        .first()
    )


def order_preamble(*, institution: Organization, kind: str) -> str:
    """«В соответствии с Положением …, утверждённым приказом от 01.09.2026 № 12 (п. 6.2), и
    статьёй 351.8 Трудового кодекса …»: what the order carries out. The order approving the
    regulation cites the law alone."""
    if kind == Order.Kind.REGULATION:
        return (
            f"В соответствии со {LABOUR_CODE}, в целях создания системы (целевой модели) "
            "наставничества педагогических работников в "
            f"{institution.name_in('loct')}"
        )
    regulation = regulation_order(institution.pk)
    text = f"В соответствии с {REGULATION_TITLE}"
    if regulation is not None:
        text += f", утверждённым приказом от {regulation.date:%d.%m.%Y} № {regulation.number}"
    if clauses := PREAMBLE_CLAUSES.get(kind):
        text += f" ({clauses})"
    if law := PREAMBLE_LAW.get(kind):
        text += f", и {law}"
    return text


def _is_a_preamble(basis: str, institution: Organization) -> bool:
    """Whether ``basis`` is no one's own words: empty, the form's placeholder or the preamble
    of some kind (the drafter switched the kind)."""
    basis = (basis or "").strip()
    return (
        not basis
        or basis == DEFAULT_BASIS
        or any(basis == order_preamble(institution=institution, kind=k) for k in Order.Kind)
    )


# Who an order's items give a duty, by the addressee an item opens with (issue 18, item 10):
# everyone the order obliges signs «С приказом ознакомлены».
CURATOR_ADDRESSEE = re.compile(r"\bкуратор", re.IGNORECASE)
COUNCIL_ADDRESSEE = re.compile(r"\bметодическ\w* (совет|объединени)", re.IGNORECASE)


def _people_with_role(institution_id: int, role: str) -> list[Person]:
    return list(
        Person.objects.filter(
            institution_id=institution_id,
            user__is_active=True,
            user__role_assignments__role=role,
        ).distinct()
    )


def order_duty_holders(
    *, institution: Organization, kind: str, items, appointees=(), groups=()
) -> list[Person]:
    """Everyone the order gives a duty, per kind: the appointees (curator, council); the
    members of the pairs and groups it covers and their curators («Куратору обеспечить
    сопровождение…»); the institution's curators or council when an item addresses them."""
    people = {p.pk: p for p in appointees}
    for group in groups:
        for member in _members_on(group, None):
            people.setdefault(member.person_id, member.person)
        curator = getattr(group.curator, "person", None) if group.curator_id else None
        if curator is not None:
            people.setdefault(curator.pk, curator)
    text = " ".join(items or [])
    # The curator of each covered group is already there; other orders address the role.
    if CURATOR_ADDRESSEE.search(text) and not groups and kind != Order.Kind.CURATOR:
        for person in _people_with_role(institution.pk, Role.CURATOR):
            people.setdefault(person.pk, person)
    if COUNCIL_ADDRESSEE.search(text) and kind != Order.Kind.COUNCIL:
        for person in _people_with_role(institution.pk, Role.COUNCIL):
            people.setdefault(person.pk, person)
    return list(people.values())


def order_default_items(*, kind: str, appointees) -> list[str]:
    """The items of an appointment order when the drafter wrote none (п. 3.2, п. 3.3)."""
    people = sorted(appointees, key=lambda p: (p.last_name, p.first_name, p.patronymic))
    if kind == Order.Kind.CURATOR and people:
        return [
            "Назначить куратором реализации программ наставничества педагогических работников "
            f"{_describe(people[0], 'accs')}.",
            "Куратору реализации программ наставничества руководствоваться в работе "
            "Положением о системе (целевой модели) наставничества педагогических работников "
            "(п. 3.3).",
        ]
    if kind == Order.Kind.CURATOR_RELIEF and people:
        names = "; ".join(_describe(p) for p in people)
        return [
            f"Освободить от обязанностей куратора реализации программ наставничества: {names}.",
        ]
    if kind == Order.Kind.COUNCIL and people:
        members = "; ".join(f"{n}) {_describe(p)}" for n, p in enumerate(people, start=1))
        return [
            f"Утвердить состав методического совета наставников: {members}.",
            "Методическому совету наставников руководствоваться в работе Положением о системе "
            "(целевой модели) наставничества педагогических работников.",
        ]
    if kind == Order.Kind.REGULATION:
        return [
            "Утвердить Положение о системе (целевой модели) наставничества педагогических "
            "работников (приложение).",
            "Куратору реализации программ наставничества ознакомить педагогических работников "
            "с Положением под подпись.",
            "Разместить Положение в разделе «Наставничество» официального сайта (п. 8.1).",
        ]
    return []


def _check_people(*, institution, kind: str, appointees, acquainted):
    errors = {}
    foreign = "Можно указать только участников из реестра вашего учреждения."
    if any(p.institution_id != institution.pk for p in acquainted):
        errors["acquainted"] = foreign
    if any(p.institution_id != institution.pk for p in appointees):
        errors["appointees"] = foreign
    elif kind == Order.Kind.CURATOR and len(appointees) != 1:
        errors["appointees"] = "В приказе о назначении куратора укажите одного человека."
    elif kind == Order.Kind.COUNCIL and not appointees:
        errors["appointees"] = "Укажите членов методического совета наставников."
    elif kind == Order.Kind.CURATOR_RELIEF and not appointees:
        errors["appointees"] = "Укажите, кого освободить от обязанностей куратора."
    elif kind not in PEOPLE_KINDS and appointees:
        errors["appointees"] = (
            "Назначаемых указывают только в приказах о назначении куратора, "
            "об освобождении от его обязанностей и о составе методического совета."
        )
    if errors:
        raise ValidationError(errors)


def _fill_draft(order: Order, *, appointees, acquainted) -> None:
    """The defaults and rules every draft keeps: a title, the preamble of its kind, the
    items of an appointment order, everyone the order gives a duty among those who sign
    «ознакомлен(а)»."""
    order.title = (order.title or "").strip() or order_default_title(order.kind)
    if _is_a_preamble(order.basis, order.institution):
        order.basis = order_preamble(institution=order.institution, kind=order.kind)
    order.items = [item.strip() for item in order.items or [] if item and item.strip()]
    if not order.items:
        order.items = order_default_items(kind=order.kind, appointees=appointees)
    if not order.items:
        raise ValidationError({"items": "Впишите хотя бы один пункт «ПРИКАЗЫВАЮ»."})
    order.full_clean()
    order.save()
    order.appointees.set(appointees)
    duty = order_duty_holders(
        institution=order.institution, kind=order.kind, items=order.items, appointees=appointees
    )
    order.acquainted.set({p.pk: p for p in [*acquainted, *duty]}.values())


@transaction.atomic
def order_create_draft(
    *,
    institution: Organization,
    user,
    kind: str,
    title: str,
    basis: str,
    items: list[str],
    control_clause: str,
    appointees,
    acquainted,
    is_public: bool,
) -> Order:
    """A new draft (the curator or the head prepares it, the head signs it). Orders on
    groups come only from the head's approval of a group."""
    if kind in WORKFLOW_KINDS:
        raise ValidationError({"kind": WORKFLOW_ONLY[kind]})
    appointees, acquainted = list(appointees), list(acquainted)
    _check_people(institution=institution, kind=kind, appointees=appointees, acquainted=acquainted)
    order = Order(
        institution=institution,
        kind=kind,
        title=title,
        basis=basis.strip(),
        items=list(items),
        control_clause=control_clause.strip(),
        is_public=is_public,
        created_by=user,
    )
    _fill_draft(order, appointees=appointees, acquainted=acquainted)
    return order


@transaction.atomic
def order_update_draft(*, order: Order, version: str | None = None, **fields) -> Order:
    """Changes a draft; a signed order is immutable (a mistake is mended by a new order).
    The row is locked, so an edit and a signature never interleave; a change is refused
    (``StaleVersion``) when someone saved the draft since ``version``."""
    unknown = set(fields) - DRAFT_FIELDS
    if unknown:
        raise TypeError(f"order_update_draft() got unexpected fields: {sorted(unknown)}")
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.is_signed:
        raise ValidationError("Подписанный приказ изменить нельзя: издайте новый приказ.")
    check_version(order, version, ORDER_VERSION_FIELDS)
    appointees = list(fields.pop("appointees", order.appointees.all()))
    acquainted = list(fields.pop("acquainted", order.acquainted.all()))
    kind = fields.get("kind", order.kind)
    if kind != order.kind and kind in WORKFLOW_KINDS:
        raise ValidationError({"kind": WORKFLOW_ONLY[kind]})
    for name, value in fields.items():
        setattr(order, name, value.strip() if isinstance(value, str) else value)
    _check_people(
        institution=order.institution,
        kind=order.kind,
        appointees=appointees,
        acquainted=acquainted,
    )
    _fill_draft(order, appointees=appointees, acquainted=acquainted)
    return order


def appointees_without_account(order: Order) -> list[Person]:
    """Appointees who cannot get the role when the order is signed: they have no login."""
    if order.kind not in PEOPLE_KINDS:
        return []
    return [p for p in order.appointees.all() if p.user_id is None]


@transaction.atomic
def order_sign(*, order: Order, head, number: str, signed_on: date) -> Order:
    """Signs a draft. The row is locked, so a double click or two tabs sign it once; a
    number already used this year is refused; a signed order is never signed again."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.is_signed:
        raise ValidationError(f"Приказ уже подписан: № {order.number} от {order.date:%d.%m.%Y}.")
    errors = {}
    if signed_on > timezone.localdate():
        errors["date"] = "Дата приказа не может быть в будущем."
    try:
        number = validate_order_number(number)
    except ValidationError as error:
        errors.update(error.message_dict)
    else:
        taken = Order.objects.filter(
            institution=order.institution,
            year=signed_on.year,
            number=number,
            status=Order.Status.SIGNED,
        ).exists()
        if taken:
            errors["number"] = f"Приказ № {number} в {signed_on.year} году уже есть."
    if errors:
        raise ValidationError(errors)
    if not order.items:
        raise ValidationError("В приказе нет пунктов «ПРИКАЗЫВАЮ»: допишите их в проекте.")
    role = ROLE_GRANTED_BY.get(order.kind)
    removed = ROLE_REMOVED_BY.get(order.kind)
    appointees = list(order.appointees.select_related("user")) if role or removed else []
    if (role or removed) and not appointees:
        raise ValidationError("В приказе не указаны назначаемые: допишите их в проекте.")
    for person in appointees:
        if person.user_id is None and role:
            raise ValidationError(
                f"У «{person.full_name}» нет учётной записи: роль выдать некому. "
                "Попросите системного администратора создать учётную запись, затем подпишите."
            )
    if removed:
        holders = set(
            RoleAssignment.objects.filter(
                role=removed, user__in=[p.user_id for p in appointees if p.user_id]
            ).values_list("user_id", flat=True)
        )
        for person in appointees:
            if person.user_id not in holders:
                raise ValidationError(
                    f"«{person.full_name}» не является куратором: освобождать не от чего. "
                    "Исправьте проект приказа."
                )
    order.number = number
    order.date = signed_on
    order.year = signed_on.year
    order.status = Order.Status.SIGNED
    order.signed_by = head
    order.signed_at = timezone.now()
    order.full_clean()
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError:
        # Another order took the number between the check and the save.
        raise ValidationError(
            {"number": f"Приказ № {number} в {signed_on.year} году уже есть."}
        ) from None
    _apply_roles(order=order, appointees=appointees, head=head)
    for step in SIGNING_STEPS.get(order.kind, ()):
        step(order=order, head=head)
    return order


def _apply_roles(*, order: Order, appointees: list[Person], head) -> None:
    """The order's effect on roles (п. 3.2–3.4): the appointees hold the role by this order;
    a new council's composition replaces the previous one; a relief takes the role away."""
    users = [p.user for p in appointees if p.user_id]
    removed = ROLE_REMOVED_BY.get(order.kind)
    if removed:
        RoleAssignment.objects.filter(role=removed, user__in=users).delete()
        return
    role = ROLE_GRANTED_BY.get(order.kind)
    if role is None:
        return
    if role == Role.COUNCIL:
        leaving = RoleAssignment.objects.filter(
            role=Role.COUNCIL, user__institution_id=order.institution_id
        ).exclude(user__in=users)
        leaving.delete()  # the navigation signals forget each one's cached roles
    for user in users:
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, defaults={"assigned_by": head, "order": order}
        )
        if not created:
            assignment.order = order
            assignment.save(update_fields=["order"])


# The printed order ---------------------------------------------------------------------


@dataclass(frozen=True)
class AppendixRow:
    """One pair or group of the appendix to «О закреплении…» / «О замене наставника»."""

    mentors: list[str]  # «Петрова Мария Ивановна, воспитатель»
    mentees: list[str]
    form: str
    kinds: str
    term: str  # «01.10.2026 — 31.05.2027»
    curator: str
    mentor_consents: list[str]  # «согласие от …; доп. соглашение № … от …», one per mentor


def _members_on(group: MentoringGroup, on: date | None) -> list[GroupMember]:
    """The members named by an order of date ``on``: for a signed order, those in the group
    that day (a replaced mentor left and the new one joined that day); for a draft, today's."""
    if on is None:
        return group.active_members
    return [
        m
        for m in group.members.all()
        if m.joined_on is not None and m.joined_on <= on and (m.left_on is None or m.left_on > on)
    ]


def _consent_and_agreement(consent_date, member: GroupMember, agreement) -> str:
    """«согласие от 10.09.2026; доп. соглашение № 12 от 15.09.2026» (ТК РФ ст. 351.8); for a
    partner's staff member, the partner's cooperation agreement instead."""
    consent = f"согласие от {consent_date:%d.%m.%Y}" if consent_date else "согласия нет"
    partner = member.person.organization
    if member.person.organization_id != member.person.institution_id:
        if partner.cooperation_agreement_number:
            agreement_text = (
                f"договор о сотрудничестве с «{partner.short_name}» "
                f"№ {partner.cooperation_agreement_number} "
                f"от {partner.cooperation_agreement_date:%d.%m.%Y}"
            )
        else:
            agreement_text = "договор о сотрудничестве не указан"
        return f"{consent}; {agreement_text}"
    if agreement is not None:
        return f"{consent}; доп. соглашение № {agreement.number} от {agreement.date:%d.%m.%Y}"
    if member.agreement_number:
        agreement = (
            f"доп. соглашение № {member.agreement_number} от {member.agreement_date:%d.%m.%Y}"
        )
    else:
        agreement = "доп. соглашение не указано"
    return f"{consent}; {agreement}"


def _agreements_in_force(groups, on: date | None) -> dict:
    """{(group id, mentor id): the supplementary agreement signed by ``on``} (ТК РФ ст. 351.8).
    One query."""
    rows = MentoringAgreement.objects.filter(
        group__in=groups, status__in=MentoringAgreement.SIGNED_STATUSES
    )
    if on is not None:
        rows = rows.filter(date__lte=on)
    return {(a.group_id, a.mentor_id): a for a in rows.order_by("date", "pk")}


def _user_name(user) -> str:
    person = getattr(user, "person", None)
    return person.full_name if person is not None else str(user)


def order_appendix(order: Order) -> list[AppendixRow]:
    """The table of pairs and groups of the order, in a fixed number of queries."""
    if order.kind not in GROUP_KINDS:
        return []
    groups = list(
        order.covered_groups.select_related("form", "curator__person")
        .prefetch_related(
            "kinds",
            "extra_forms",
            Prefetch(
                "members",
                queryset=GroupMember.objects.select_related(
                    "person__position", "person__organization"
                ),
            ),
        )
        .order_by("pk")
    )
    members = {g.pk: _members_on(g, order.date) for g in groups}
    mentor_ids = [m.person_id for ms in members.values() for m in ms if m.is_mentor]
    consents = dict(
        Consent.objects.active(order.date)
        .filter(person_id__in=mentor_ids, kind=Consent.Kind.MENTORING)
        .values_list("person_id", "given_on")
    )
    agreements = _agreements_in_force(groups, order.date)
    rows = []
    for group in groups:
        mentors = [m.person for m in members[group.pk] if m.is_mentor]
        rows.append(
            AppendixRow(
                mentors=[_describe(p) for p in mentors],
                mentees=[_describe(m.person) for m in members[group.pk] if not m.is_mentor],
                form=group.forms_display,
                kinds=", ".join(k.name for k in group.kinds.all()),
                term=f"{group.planned_start:%d.%m.%Y} — {group.planned_end:%d.%m.%Y}",
                curator=_user_name(group.curator),
                mentor_consents=[
                    _consent_and_agreement(
                        consents.get(m.person_id), m, agreements.get((group.pk, m.person_id))
                    )
                    for m in members[group.pk]
                    if m.is_mentor
                ],
            )
        )
    return rows


def order_document(order: Order) -> dict:
    """Everything the order shows, on its page and in its PDF."""
    institution = order.institution
    if institution.head_name:
        signer = institution.head_name
    elif order.signed_by_id:
        signer = _user_name(order.signed_by)
    else:
        signer = ""
    return {
        "order": order,
        "institution": institution,
        "city": CITY,
        "appendix": order_appendix(order),
        "acquainted": sorted(
            order.acquainted.select_related("position"),
            key=lambda p: (p.last_name, p.first_name, p.patronymic),
        ),
        "appointees": list(order.appointees.select_related("position")),
        "signer": signer,
    }


def order_filename(order: Order) -> str:
    """«Приказ № 94-1 от 24.11.2026.pdf», or «Проект приказа 12.pdf» for a draft."""
    if not order.is_signed:
        return f"Проект приказа {order.pk}.pdf"
    number = re.sub(r"[^0-9A-Za-zА-Яа-яЁё]+", "-", order.number).strip("-") or str(order.pk)
    return f"Приказ № {number} от {order.date:%d.%m.%Y}.pdf"


def order_render(*, order: Order, fmt: str = PDF) -> bytes:
    """The order as a PDF or, with ``fmt`` DOCX, in Word."""
    return render_document("documents/order.html", order_document(order), fmt=fmt)
