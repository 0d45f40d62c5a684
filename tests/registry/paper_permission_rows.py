"""Permission-table rows of decisions given on paper (issue 16, part 3; tests/permission_helpers.py
says how): the curator's «Решение на бумаге» of a pair, the printable form and the signed scan;
the agreement to a term change signed on paper (п. 7.2) and its printable form; the acquaintance
with a signed order recorded from paper (the register is the staff's: others get 404); the
acquaintance with the approved program signed on paper and the printable sheet.

The curator and the sysadmin keep the banks, so they record and print; group A is approved, so
the recording page sends them back with a message (302). The head and the council read the group
but do not record (403), nor do its members (403). The scan is read by the staff who read the
banks; a member of the group gets 404 like everyone else."""

from django.core.files.base import ContentFile
from django.utils import timezone

from registry.models import GroupMember, PaperDecision
from tests.permission_helpers import Row, answers

KEEPERS = {"head": 403, "council": 403, "mentor": 403, "mentee": 403}
STAFF = {"head": 200, "curator": 200, "council": 200, "sysadmin": 200}


def GROUP(world, objects):  # noqa: N802  (reads as a constant in the table)
    return {"pk": objects["group"].pk}


def MEMBER(world, objects):  # noqa: N802
    member = objects["group"].members.get(role=GroupMember.Role.MENTEE)
    return {"pk": member.pk}


def TERM(world, objects):  # noqa: N802
    return {"pk": objects["term_change"].pk}


def PROGRAM(world, objects):  # noqa: N802
    return {"pk": objects["program"].pk}


def DECISION(world, objects):  # noqa: N802
    if "paper_decision" not in objects:
        decision = PaperDecision(
            person=objects["person"],
            kind=PaperDecision.Kind.GROUP_RESPONSE,
            group=objects["group"],
            agreed=True,
            decided_on=timezone.localdate(),
            recorded_by=world.curator,
        )
        decision.scan.save("paper.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
        objects["paper_decision"] = decision
    return {"pk": objects["paper_decision"].pk}


ROWS = {
    "registry:group-paper-response": Row(GROUP, answers(**KEEPERS, curator=302, sysadmin=302)),
    "registry:group-paper-form": Row(MEMBER, answers(**KEEPERS, curator=200, sysadmin=200)),
    "registry:paper-decision-scan": Row(DECISION, answers(**STAFF)),
    # The term change of group A's program waits for agreement: the curator's page opens.
    # The table's order is a draft: the keepers of the banks are sent back with a message.
    "registry:order-paper-acquaintance": Row(
        lambda w, o: {"pk": o["order"].pk},
        answers(head=403, council=403, curator=302, sysadmin=302),
    ),
    "programs:term-change-paper": Row(TERM, answers(**KEEPERS, curator=200, sysadmin=200)),
    "programs:term-change-paper-form": Row(TERM, answers(**KEEPERS, curator=200, sysadmin=200)),
    # Group A's program is active: the curator's page and the sheet open.
    "programs:program-paper-acquaintance": Row(
        PROGRAM, answers(**KEEPERS, curator=200, sysadmin=200)
    ),
    "programs:program-paper-acquaintance-form": Row(
        PROGRAM, answers(**KEEPERS, curator=200, sysadmin=200)
    ),
}
