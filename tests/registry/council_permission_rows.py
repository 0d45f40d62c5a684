"""Permission-table rows of the methodical council (п. 3.4; tests/permission_helpers.py says how).

The head, the curator, the council and the sysadmin of the institution read the council's
composition, its meetings and their minutes, as they read the roadmap (``roadmap/access.py``).
Only the curator and the council's members record and change meetings: the head and the
sysadmin get 403 there. Mentors, mentees and teachers have no business with the council: 404,
as does everyone of another kindergarten for our meetings (the outsider, a curator and head
elsewhere, sees their own list and composition and may plan their own meetings)."""

from datetime import timedelta

from django.utils import timezone

from registry.models import CouncilMeeting
from registry.services import council as services
from tests.permission_helpers import STAFF, Row, answers, no_kwargs

RECORDERS_GET = {"curator": 200, "council": 200, "head": 403, "sysadmin": 403}


def MEETING(world, objects):  # noqa: N802  (reads as a constant in the table)
    """A meeting held a week ago with its decisions: its minutes can be printed."""
    if "council_meeting" not in objects:
        objects["council_meeting"] = services.meeting_save(
            meeting=CouncilMeeting(
                institution=world.institution,
                held_on=timezone.localdate() - timedelta(days=7),
                agenda="Об итогах подбора пар",
                decisions="Утвердить предложенные пары",
            ),
            attendees=[world.mentor_person],
            user=world.curator,
        )
    return {"pk": objects["council_meeting"].pk}


ROWS = {
    "registry:council-composition": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:council-meeting-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "registry:council-meeting-create": Row(no_kwargs, answers(**RECORDERS_GET, outsider=200)),
    "registry:council-meeting-detail": Row(MEETING, answers(**STAFF)),
    "registry:council-meeting-update": Row(MEETING, answers(**RECORDERS_GET)),
    "registry:council-meeting-pdf": Row(MEETING, answers(**STAFF)),
}
