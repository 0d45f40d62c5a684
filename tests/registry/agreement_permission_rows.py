"""Permission-table rows of the mentor's supplementary agreement (ТК РФ ст. 351.8;
tests/permission_helpers.py says how): the register and its Excel, an agreement's page, its
document, the draft's edit and signing, the early end, and an amendment's document.

The pay is the employer's business: the head, the curator and the sysadmin read the register and
every agreement; the council gets 403; the mentor reads her own agreement (the world's mentor is
the mentor of pairs C and D below) but changes nothing (403); everyone else gets 404. The rows
build their own pairs so that group A's mentor keeps no agreement (its «подготовить» page opens).
"""

from datetime import date
from decimal import Decimal

from registry.models import (
    AgreementAmendment,
    Direction,
    GroupMember,
    MentoringAgreement,
    MentoringForm,
    MentoringGroup,
)
from tests.factories import make_person
from tests.permission_helpers import Row, answers, no_kwargs

READERS = {"head": 200, "curator": 200, "sysadmin": 200, "council": 403}
KEEPERS = {"head": 403, "council": 403, "mentor": 403}


def _pair(world, last_name: str) -> MentoringGroup:
    group = MentoringGroup.objects.create(
        institution=world.institution,
        status=MentoringGroup.Status.ACTIVE,
        form=MentoringForm.objects.first(),
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 5, 31),
        curator=world.curator,
    )
    group.directions.set([Direction.objects.get(name="методическое")])
    mentee = make_person(world.institution, last_name)
    for person, role in [
        (world.mentor_person, GroupMember.Role.MENTOR),
        (mentee, GroupMember.Role.MENTEE),
    ]:
        GroupMember.objects.create(
            group=group, person=person, role=role, response=GroupMember.Response.CONFIRMED
        )
    return group


def _agreement(world, group, **fields) -> MentoringAgreement:
    return MentoringAgreement.objects.create(
        institution=world.institution,
        group=group,
        mentor=world.mentor_person,
        content="Наставничество",
        starts_on=group.planned_start,
        ends_on=group.planned_end,
        form=group.form,
        pay_amount=Decimal("5000"),
        created_by=world.curator,
        **fields,
    )


def DRAFT(world, objects):  # noqa: N802  (reads as a constant in the table)
    if "draft_agreement" not in objects:
        objects["draft_agreement"] = _agreement(world, _pair(world, "Проектная"))
    return {"pk": objects["draft_agreement"].pk}


def AMENDMENT(world, objects):  # noqa: N802
    if "amendment" not in objects:
        agreement = _agreement(
            world,
            _pair(world, "Подписанная"),
            status=MentoringAgreement.Status.SIGNED,
            number="5-н",
            date=date(2026, 8, 30),
        )
        objects["amendment"] = AgreementAmendment.objects.create(
            agreement=agreement,
            previous_end=date(2027, 5, 31),
            new_end=date(2027, 8, 31),
            reason="Продление программы",
            made_on=date(2027, 5, 20),
        )
    return {"pk": objects["amendment"].pk}


ROWS = {
    "registry:agreement-list": Row(no_kwargs, answers(**READERS, outsider=200)),
    "registry:agreement-export": Row(no_kwargs, answers(**READERS, outsider=200)),
    "registry:agreement-detail": Row(DRAFT, answers(**READERS, mentor=200)),
    "registry:agreement-document": Row(DRAFT, answers(**READERS, mentor=200)),
    "registry:agreement-update": Row(DRAFT, answers(**KEEPERS, curator=200, sysadmin=200)),
    "registry:agreement-sign": Row(DRAFT, answers(**KEEPERS, curator=200, sysadmin=200)),
    # A draft is not ended: the keepers are sent back to it with a message.
    "registry:agreement-end": Row(DRAFT, answers(**KEEPERS, curator=302, sysadmin=302)),
    "registry:agreement-amendment-document": Row(AMENDMENT, answers(**READERS, mentor=200)),
}
