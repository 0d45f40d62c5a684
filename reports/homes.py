"""The questionnaires on the personal home pages (UX.md «Home page per role»: the mentee sees the
questionnaires to answer). The lead wires ``own_invitations`` into the mentor, mentee and teacher
homes with ``templates/reports/_my_surveys.html``."""

from django.db.models import F
from django.urls import reverse

from reports.models import Invitation


def own_invitations(person) -> dict:
    """The person's invitations still waiting for an answer, with their surveys (one query),
    and the link to «Мои анкеты»."""
    waiting = []
    if person is not None:
        waiting = list(
            Invitation.objects.filter(person=person, answered_at__isnull=True)
            .select_related("survey")
            .order_by(F("survey__deadline").asc(nulls_last=True), "-survey__sent_at")
        )
    return {"waiting": waiting, "count": len(waiting), "url": reverse("reports:my-surveys")}
