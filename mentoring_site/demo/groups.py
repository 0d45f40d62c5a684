"""The demo's groups, made through the same services as in the browser, so that the demo shows
every state: approved (with its program), waiting for the head, waiting for the participants."""

from datetime import date
from decimal import Decimal

from mentoring_site.demo.institution import References
from mentoring_site.demo.programs import draft_program
from registry.models import Consent, MentoringGroup, Organization, Person, User
from registry.services import agreements as agreement_services
from registry.services import groups as group_services


def form_groups(
    *,
    institution: Organization,
    people: list[Person],
    users: dict[str, User],
    references: References,
    today: date,
) -> None:
    curator, head = users["curator"], users["head"]
    # Submitting a group needs its mentor's written consent to mentoring (ТК РФ ст. 351.8).
    for index in (5, 2):
        Consent.objects.get_or_create(
            person=people[index],
            kind=Consent.Kind.MENTORING,
            withdrawn_on=None,
            defaults={"given_on": date(2026, 9, 10)},
        )

    def propose(mentor, mentees, direction_names, start, end, extra_forms=()):
        return _propose(
            institution=institution,
            curator=curator,
            references=references,
            mentor=people[mentor],
            mentees=[people[i] for i in mentees],
            direction_names=direction_names,
            planned_start=start,
            planned_end=end,
            extra_forms=list(extra_forms),
        )

    # An approved pair: Смирнова О. Н. — Ёлкина Д. А.
    active = propose(5, [11], ["предметно-профессиональное"], date(2026, 9, 15), date(2027, 5, 31))
    _confirm_all(active, curator=curator)
    group_services.group_submit(group=active, user=curator)
    # ТК РФ ст. 351.8: the mentor's agreement is signed before the head approves the pair.
    _sign_agreement(active, people[5], curator=curator, number="7-н", on=date(2026, 9, 14))
    group_services.group_approve(group=active, head=head, number="101", signed_on=date(2026, 9, 15))
    draft_program(group=active, users=users, today=today)
    # A group waiting for the head: Морозова Н. А. — Жукова П. О., Ежова А. Р.
    # Forms used together (п. 2.3): «педагог – педагог» with the head's part.
    waiting = propose(
        2,
        [13, 16],
        ["методическое"],
        date(2026, 12, 1),
        date(2027, 8, 31),
        extra_forms=references.forms[1:2],
    )
    _confirm_all(waiting, curator=curator)
    group_services.group_submit(group=waiting, user=curator)
    # Its mentor's agreement (ТК РФ ст. 351.8) is signed already: the head may approve it
    # (the demo's head approves it; the deployment walk in .ci/cluster_walk.py does too).
    _sign_agreement(waiting, people[2], curator=curator, number="9-н", on=date(2026, 11, 25))
    # A pair waiting for the demo mentor and mentee to answer, corrected once («Исправить»):
    # a further form added, which keeps the answers (the term and the people are the same).
    pending = propose(4, [10], ["методическое"], date(2026, 12, 1), date(2027, 6, 30))
    proposal = group_services.Proposal(
        mentors=[people[4]],
        mentees=[people[10]],
        form=pending.form,
        kinds=list(pending.kinds.all()),
        directions=list(pending.directions.all()),
        planned_start=pending.planned_start,
        planned_end=pending.planned_end,
        curator=curator,
        rationale=pending.rationale,
        extra_forms=references.forms[1:2],
    )
    group_services.group_correct(
        group=pending,
        proposal=proposal,
        user=curator,
        version=None,
        why="Заведующий проведёт часть встреч сам: добавлена ещё одна форма наставничества.",
    )


def _propose(
    *,
    institution: Organization,
    curator: User,
    references: References,
    mentor: Person,
    mentees: list[Person],
    direction_names: list[str],
    planned_start: date,
    planned_end: date,
    extra_forms: list,
) -> MentoringGroup:
    """The curator proposes a mentor with one mentee («один-на-один») or several («в группе»)."""
    kind = "традиционное («один-на-один»)" if len(mentees) == 1 else "в группе"
    kinds = {k.name: k for k in references.kinds}
    return group_services.group_propose(
        proposal=group_services.Proposal(
            mentors=[mentor],
            mentees=mentees,
            form=references.forms[0],
            kinds=[kinds[kind]],
            directions=[references.directions[n] for n in direction_names],
            planned_start=planned_start,
            planned_end=planned_end,
            curator=curator,
            rationale="Компетенции наставника закрывают запросы наставляемых; "
            "обе стороны выразили интерес на установочной встрече.",
            extra_forms=extra_forms,
        ),
        institution=institution,
        user=curator,
    )


def _draft_agreement(group: MentoringGroup, mentor: Person, *, curator: User):
    return agreement_services.agreement_draft(
        group=group,
        mentor=mentor,
        user=curator,
        content=agreement_services.default_content(group, mentor),
        starts_on=group.planned_start,
        ends_on=group.planned_end,
        pay_amount=Decimal("5000"),
    )


def _sign_agreement(group, mentor, *, curator: User, number: str, on: date) -> None:
    agreement = _draft_agreement(group, mentor, curator=curator)
    agreement_services.agreement_sign(
        agreement=agreement, number=number, signed_on=on, user=curator, today=on
    )


def _confirm_all(group: MentoringGroup, *, curator: User) -> None:
    """Every participant confirms, the curator for those without a login."""
    for member in group.members.select_related("person__user"):
        group_services.group_respond(
            group=group,
            person=member.person,
            confirm=True,
            comment="",
            user=member.person.user or curator,
        )
