"""Who may see and change a roadmap (DOMAIN.md §2: the head approves, the curator develops and
updates it; п. 3.2, п. 3.3).

The head, the curator, the council and the sysadmin of the institution read it; mentors,
mentees, teachers and everyone of another institution get 404. The curator edits it and marks
activities done; the head approves or returns it. Templates branch on the flags returned here.
"""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from registry.roles import staff_roles
from roadmap.models import Activity, Roadmap, Stage
from roadmap.services import is_changed_since_approval


@dataclass(frozen=True)
class RoadmapAccess:
    status: str
    is_curator: bool = False  # develops and updates the roadmap (п. 3.3)
    is_head: bool = False  # approves it with an order (п. 3.2)
    is_approved_once: bool = False  # has an approving order: changes need a reason
    changed_since_approval: bool = False

    @property
    def can_edit(self) -> bool:
        """Add, change and delete activities: not while the head is deciding."""
        return self.is_curator and self.status != Roadmap.Status.SUBMITTED

    @property
    def can_mark(self) -> bool:
        """Mark activities done with evidence, or take the mark back."""
        return self.is_curator

    @property
    def can_submit(self) -> bool:
        return self.is_curator and (
            self.status == Roadmap.Status.DRAFT
            or (self.status == Roadmap.Status.APPROVED and self.changed_since_approval)
        )

    @property
    def can_decide(self) -> bool:
        return self.is_head and self.status == Roadmap.Status.SUBMITTED

    @property
    def needs_reason(self) -> bool:
        return self.is_approved_once


def roadmaps_viewer(request):
    """The roles of a user who may read roadmaps; 404 for everyone else."""
    return staff_roles(request)


def roadmap_for_user(request, pk: int) -> tuple[Roadmap, RoadmapAccess]:
    roles = roadmaps_viewer(request)
    roadmap = get_object_or_404(
        Roadmap.objects.select_related("order", "institution", "created_by__person"),
        pk=pk,
        institution=roles.institution,
    )
    return roadmap, RoadmapAccess(
        status=roadmap.status,
        is_curator=roles.can_edit_roadmap,
        is_head=roles.is_head,
        is_approved_once=roadmap.order_id is not None,
        changed_since_approval=is_changed_since_approval(roadmap),
    )


def stage_for_user(request, pk: int) -> tuple[Stage, Roadmap, RoadmapAccess]:
    roles = roadmaps_viewer(request)
    stage = get_object_or_404(Stage, pk=pk, roadmap__institution=roles.institution)
    roadmap, access = roadmap_for_user(request, stage.roadmap_id)
    stage.roadmap = roadmap
    return stage, roadmap, access


def activity_for_user(request, pk: int) -> tuple[Activity, Roadmap, RoadmapAccess]:
    roles = roadmaps_viewer(request)
    activity = get_object_or_404(
        Activity.objects.select_related("stage", "responsible", "evidence_order"),
        pk=pk,
        stage__roadmap__institution=roles.institution,
    )
    roadmap, access = roadmap_for_user(request, activity.stage.roadmap_id)
    activity.stage.roadmap = roadmap
    return activity, roadmap, access
