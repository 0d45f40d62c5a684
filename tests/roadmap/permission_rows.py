"""Permission-table rows of the roadmap (tests/permission_helpers.py says how).

The head, the curator, the council and the sysadmin of the institution read a roadmap; only the
curator changes it (п. 3.3) and only the head approves or returns it (п. 3.2); the other staff
get 403. Mentors, mentees, teachers and another kindergarten's staff get 404."""

from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone

from mentoring_site.lib.academic_year import academic_year_start
from roadmap import services
from roadmap.models import Activity, Roadmap
from tests.permission_helpers import STAFF, Row, answers, no_kwargs

CURATOR_ONLY_GET = {"curator": 200, "head": 403, "council": 403, "sysadmin": 403}
CURATOR_ONLY_POST = {"curator": 302, "head": 403, "council": 403, "sysadmin": 403}
HEAD_ONLY_POST = {"head": 302, "curator": 403, "council": 403, "sysadmin": 403}


def _roadmap(world, objects) -> Roadmap:
    if "roadmap" not in objects:
        objects["roadmap"] = services.roadmap_create_from_template(
            institution=world.institution, year_start=2026, user=world.curator
        )
    return objects["roadmap"]


def _submitted(world, objects) -> Roadmap:
    roadmap = _roadmap(world, objects)
    return services.roadmap_submit(roadmap=roadmap, user=world.curator)


def _activity(world, objects) -> Activity:
    return Activity.objects.filter(stage__roadmap=_roadmap(world, objects)).order_by("pk").first()


def ROADMAP(world, objects):  # noqa: N802  (reads as a constant in the table)
    return {"pk": _roadmap(world, objects).pk}


def SUBMITTED(world, objects):  # noqa: N802
    return {"pk": _submitted(world, objects).pk}


def STAGE(world, objects):  # noqa: N802
    return {"pk": _roadmap(world, objects).stages.get(number=4).pk}


def ACTIVITY(world, objects):  # noqa: N802
    return {"pk": _activity(world, objects).pk}


def VERSION(world, objects):
    roadmap = _submitted(world, objects)
    services.roadmap_approve(
        roadmap=roadmap, head=world.head, number="95/2", signed_on=date(2026, 9, 5)
    )
    return {"pk": roadmap.versions.get().pk}


def WITH_FILE(world, objects):  # noqa: N802
    activity = _activity(world, objects)
    activity.evidence_file.save("scan.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    return {"pk": activity.pk}


def _this_year() -> int:
    return academic_year_start(timezone.localdate()).year


ROWS = {
    # The outsider is the staff of another kindergarten: their own list, their own roadmap.
    "roadmap:roadmap-list": Row(no_kwargs, answers(**STAFF, outsider=200)),
    "roadmap:roadmap-create": Row(
        no_kwargs,
        answers(**CURATOR_ONLY_POST, outsider=302),
        method="post",
        data={"year_start": _this_year()},
    ),
    "roadmap:roadmap-detail": Row(ROADMAP, answers(**STAFF)),
    "roadmap:roadmap-timeline": Row(ROADMAP, answers(**STAFF)),
    "roadmap:roadmap-pdf": Row(ROADMAP, answers(**STAFF)),
    "roadmap:version-pdf": Row(VERSION, answers(**STAFF)),
    "roadmap:activity-create": Row(STAGE, answers(**CURATOR_ONLY_GET)),
    "roadmap:activity-update": Row(ACTIVITY, answers(**CURATOR_ONLY_GET)),
    "roadmap:activity-delete": Row(ACTIVITY, answers(**CURATOR_ONLY_POST), method="post"),
    "roadmap:activity-done": Row(ACTIVITY, answers(**CURATOR_ONLY_GET)),
    # Not marked done yet: the curator is refused with a message.
    "roadmap:activity-reopen": Row(ACTIVITY, answers(**CURATOR_ONLY_POST), method="post"),
    "roadmap:evidence-download": Row(WITH_FILE, answers(**STAFF)),
    "roadmap:roadmap-submit": Row(ROADMAP, answers(**CURATOR_ONLY_POST), method="post"),
    "roadmap:roadmap-approve": Row(
        SUBMITTED, answers(head=200, curator=403, council=403, sysadmin=403)
    ),
    "roadmap:roadmap-return": Row(
        SUBMITTED,
        answers(**HEAD_ONLY_POST),
        method="post",
        data={"comment": "Уточните сроки этапа 5"},
    ),
}
