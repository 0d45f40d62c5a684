"""Permission-table rows of the person's rights under 152-ФЗ (tests/permission_helpers.py says
how): «Все мои данные» (ст. 14), anonymization and the acts of destruction (ст. 21), the policy
(ст. 18.1).

The person sees and downloads their own data; the head, the curator and the sysadmin answer a
person's written request, so they open anyone's of their institution; the council reads the
banks but not this (403). A mentor does not open a mentee's full data: 404, like everyone else.
Only the bank's keepers (curator, sysadmin) anonymize. The policy is public.

The register of data subjects' written requests (ст. 14, 20, 21) is the head's and the
curator's: a written request is addressed to the head, the curator prepares the answer; anyone
else gets 404, as does the curator of another kindergarten on this one's request."""

from datetime import date

from registry.models import DestructionAct, SubjectRequest
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


def SUBJECT_REQUEST(world, objects):  # noqa: N802
    if "subject_request" not in objects:
        objects["subject_request"] = SubjectRequest.objects.create(
            institution=world.institution,
            subject_name="Сидорова Нина Павловна",
            kind=SubjectRequest.Kind.ACCESS,
            summary="Какие мои данные обрабатываются?",
            received_on=date(2026, 11, 2),
            deadline=date(2026, 11, 16),
        )
    return {"pk": objects["subject_request"].pk}


KEEPERS = {"head": 200, "curator": 200}

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
    "registry:subject-request-list": Row(no_kwargs, answers(**KEEPERS, outsider=200)),
    "registry:subject-request-create": Row(no_kwargs, answers(**KEEPERS, outsider=200)),
    "registry:subject-request-detail": Row(SUBJECT_REQUEST, answers(**KEEPERS)),
    # An empty form is refused with the message next to the field: the page again, 200.
    "registry:subject-request-extend": Row(SUBJECT_REQUEST, answers(**KEEPERS), method="post"),
    "registry:subject-request-answer": Row(SUBJECT_REQUEST, answers(**KEEPERS), method="post"),
}
