"""The groups of every institution: three a year, each a mentor with one or two mentees,
approved by the year's groups order; the current year's are active, the earlier completed."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from mentoring_site.dataset.batch import Batch, aware
from mentoring_site.dataset.data import GROUPS_PER_YEAR, MENTEES, MENTORS
from registry.models import (
    Difficulty,
    GroupEvent,
    GroupMember,
    MenteeProfile,
    MentoringAgreement,
    MentoringGroup,
    Order,
    Organization,
    Person,
    User,
)


@dataclass
class GroupPlan:
    """A group and what its program and its survey need."""

    group: MentoringGroup
    mentees: list[Person]
    difficulties: list[Difficulty]  # the mentees' difficulties, in their order

    @property
    def is_current(self) -> bool:
        return self.group.status == MentoringGroup.Status.ACTIVE


def form_groups(
    batch: Batch,
    institutions: list[Organization],
    people_of: dict[int, list[Person]],
    order_of: dict[tuple, Order],
    difficulties_of: dict[int, list[Difficulty]],
) -> list[GroupPlan]:
    plans, members, group_events, agreements = [], [], [], []
    for number, institution in zip(batch.numbers, institutions, strict=True):
        people = people_of[number]
        for k, year in enumerate(batch.years):
            order = order_of[number, year]
            for g in range(GROUPS_PER_YEAR):
                mentor = people[MENTORS[(k * GROUPS_PER_YEAR + g) % len(MENTORS)]]
                mentees = _mentees(people, k, g)
                plan = GroupPlan(
                    group=_group(batch, institution, people[1].user, order, year, g),
                    mentees=mentees,
                    difficulties=[d for m in mentees for d in difficulties_of[m.pk]],
                )
                plans.append(plan)
                members += _members(plan, mentor, year, g)
                agreements.append(_agreement(plan, mentor, year, g))
                group_events.append(
                    GroupEvent(
                        group=plan.group,
                        at=order.signed_at,
                        actor=people[0].user,
                        text=f"Утверждена приказом № {order.number}",
                    )
                )
    groups = [plan.group for plan in plans]
    batch.counts.add("MentoringGroup", MentoringGroup.objects.bulk_create(groups))
    batch.counts.add("GroupMember", GroupMember.objects.bulk_create(members))
    batch.counts.add("GroupEvent", GroupEvent.objects.bulk_create(group_events))
    batch.counts.add("MentoringAgreement", MentoringAgreement.objects.bulk_create(agreements))
    return plans


def _agreement(plan: GroupPlan, mentor: Person, year: int, g: int) -> MentoringAgreement:
    """The mentor's supplementary agreement (ТК РФ ст. 351.8), signed before the order; a past
    year's ended with its program."""
    group = plan.group
    ended = not plan.is_current
    return MentoringAgreement(
        institution=group.institution,
        group=group,
        mentor=mentor,
        status=MentoringAgreement.Status.ENDED if ended else MentoringAgreement.Status.SIGNED,
        number=f"ДС-{year}-{g + 1}",
        date=date(year, 9, 28),
        content="Наставничество по персонализированной программе пары (группы).",
        starts_on=group.planned_start,
        ends_on=group.planned_end,
        form=group.form,
        pay_amount=Decimal(4000 + 500 * g),
        created_at=aware(date(year, 9, 26)),
        ended_by=MentoringAgreement.EndedBy.PROGRAM if ended else "",
        ended_on=group.planned_end if ended else None,
    )


def _mentees(people: list[Person], k: int, g: int) -> list[Person]:
    """The mentees of the ``g``-th group of the ``k``-th year: the next one of the bank; the
    year's first group takes a second one from the bank's other half."""
    first_mentee = MENTEES[0] + k * GROUPS_PER_YEAR + g
    mentees = [people[first_mentee]]
    if g == 0 and first_mentee + len(MENTEES) // 2 < MENTEES[-1] + 1:
        mentees.append(people[first_mentee + len(MENTEES) // 2])
    return mentees


def _group(
    batch: Batch, institution, curator: User, order: Order, year: int, g: int
) -> MentoringGroup:
    is_current = year == batch.current
    return MentoringGroup(
        institution=institution,
        status=MentoringGroup.Status.ACTIVE if is_current else MentoringGroup.Status.COMPLETED,
        form=batch.reference.forms[g % len(batch.reference.forms)],
        planned_start=date(year, 10, 1),
        planned_end=date(year + 1, 5, 31),
        curator=curator,
        rationale="Запросы наставляемого совпадают с компетенциями наставника.",
        proposed_by=curator,
        proposed_at=aware(date(year, 9, 20)),
        submitted_at=aware(date(year, 9, 25)),
        decided_at=order.signed_at,
        order=order,
    )


def _members(plan: GroupPlan, mentor: Person, year: int, g: int) -> list[GroupMember]:
    """The mentor, then the mentees; all confirmed."""
    members = [
        GroupMember(
            group=plan.group,
            person=mentor,
            role=GroupMember.Role.MENTOR,
            response=GroupMember.Response.CONFIRMED,
            responded_at=aware(date(year, 9, 22)),
            joined_on=plan.group.planned_start,
        )
    ]
    for mentee in plan.mentees:
        members.append(
            GroupMember(
                group=plan.group,
                person=mentee,
                role=GroupMember.Role.MENTEE,
                response=GroupMember.Response.CONFIRMED,
                responded_at=aware(date(year, 9, 22)),
                joined_on=plan.group.planned_start,
            )
        )
    return members


def link_groups(batch: Batch, plans: list[GroupPlan]) -> None:
    """Each group's directions (its mentees' difficulties), its kind and its order."""
    DirectionThrough = MentoringGroup.directions.through
    KindThrough = MentoringGroup.kinds.through
    CoveredThrough = Order.covered_groups.through
    group_directions, group_kinds, covered = [], [], []
    for plan in plans:
        group = plan.group
        group_directions += [
            DirectionThrough(mentoringgroup_id=group.pk, direction_id=d)
            for d in sorted({d.direction_id for d in plan.difficulties})
        ]
        group_kinds.append(
            KindThrough(mentoringgroup_id=group.pk, mentoringkind_id=batch.reference.kinds[0].pk)
        )
        covered.append(CoveredThrough(order_id=group.order_id, mentoringgroup_id=group.pk))
    DirectionThrough.objects.bulk_create(group_directions)
    KindThrough.objects.bulk_create(group_kinds)
    CoveredThrough.objects.bulk_create(covered)


def update_mentee_status(plans: list[GroupPlan], mentee_profiles: list[MenteeProfile]) -> None:
    """Mentee status follows their latest group: in a pair now, or completed."""
    current_mentees, past_mentees = set(), set()
    for plan in plans:
        (current_mentees if plan.is_current else past_mentees).update(m.pk for m in plan.mentees)
    for profile in mentee_profiles:
        if profile.person_id in current_mentees:
            profile.status = MenteeProfile.Status.IN_PAIR
        elif profile.person_id in past_mentees:
            profile.status = MenteeProfile.Status.COMPLETED
    MenteeProfile.objects.bulk_update(mentee_profiles, ["status"], batch_size=2000)
