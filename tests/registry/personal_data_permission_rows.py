"""Permission-table rows of the person's rights under 152-ФЗ (tests/permission_helpers.py says
how): «Все мои данные» (ст. 14), anonymization and the acts of destruction (ст. 21), the policy
(ст. 18.1).

The person sees and downloads their own data; the head, the curator and the sysadmin answer a
person's written request, so they open anyone's of their institution; the council reads the
banks but not this (403). A mentor does not open a mentee's full data: 404, like everyone else.
Only the bank's keepers (curator, sysadmin) anonymize. The policy is public."""

from datetime import date

from registry.models import DestructionAct
from tests.permission_helpers import ROLES, Row, answers, no_kwargs

SUBJECT_GET = {"head": 200, "curator": 200, "sysadmin": 200, "council": 403, "mentee": 200}


def PERSON(world, objects):  # noqa: N802  (reads as a constant in the table)
    return {"pk": objects["person"].pk}


def ACT(world, objects):  # noqa: N802
    if "destruction_act" not in objects:
        objects["destruction_act"] = DestructionAct.objects.create(
            institution=world.institution,
            number=1,
            subject_name="Сидорова Нина Павловна",
            categories=["фамилия, имя, отчество"],
            system="Реестр наставничества",
            method="обезличивание",
            reason=DestructionAct.Reason.CONSENT_WITHDRAWN,
            destroyed_on=date(2026, 11, 1),
            keep_until=date(2029, 11, 1),
        )
    return {"pk": objects["destruction_act"].pk}


ROWS = {
    "registry:my-personal-data": Row(no_kwargs, answers(mentor=302, mentee=302, teacher=302)),
    "registry:person-data": Row(PERSON, answers(**SUBJECT_GET)),
    "registry:person-data-pdf": Row(PERSON, answers(**SUBJECT_GET)),
    "registry:person-data-json": Row(PERSON, answers(**SUBJECT_GET)),
    # Without a withdrawn consent the curator is sent back with the refusal: 302 all the same.
    "registry:person-anonymize": Row(
        PERSON,
        answers(curator=302, sysadmin=302, head=403, council=403, mentee=403),
        method="post",
    ),
    "registry:destruction-act-list": Row(
        no_kwargs, answers(head=200, curator=200, sysadmin=200, council=403, outsider=200)
    ),
    "registry:destruction-act-pdf": Row(
        ACT, answers(head=200, curator=200, sysadmin=200, council=403)
    ),
    "registry:personal-data-policy": Row(no_kwargs, {role: 200 for role in ROLES}),
}
