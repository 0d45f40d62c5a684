"""The roadmap of the current year of every institution, from the template, approved by the
roadmap order with its first version; the activities past their deadline done."""

from datetime import date

from mentoring_site.dataset.batch import Batch, aware
from registry.models import Order, Organization, Person
from roadmap import template
from roadmap.models import Activity, Roadmap, RoadmapVersion, Stage
from roadmap.services import order_title, roadmap_snapshot


def approve_roadmaps(
    batch: Batch,
    institutions: list[Organization],
    people_of: dict[int, list[Person]],
    order_of: dict[tuple, Order],
) -> None:
    current = batch.current
    roadmaps = [
        Roadmap(
            institution=institution,
            year_start=current,
            status=Roadmap.Status.APPROVED,
            order=order_of[number, "roadmap"],
            created_by=people_of[number][1].user,
            created_at=aware(date(current, 9, 1)),
            submitted_at=aware(date(current, 9, 5)),
            approved_at=order_of[number, "roadmap"].signed_at,
        )
        for number, institution in zip(batch.numbers, institutions, strict=True)
    ]
    batch.counts.add("Roadmap", Roadmap.objects.bulk_create(roadmaps))
    curators = [people_of[number][1] for number in batch.numbers]
    _fill_from_template(batch, roadmaps, curators)
    orders = [order_of[number, "roadmap"] for number in batch.numbers]
    _record_versions(batch, roadmaps, orders)


def _fill_from_template(batch: Batch, roadmaps: list[Roadmap], curators: list[Person]) -> None:
    """The template's stages and activities; the curator answers for those the template gives
    to the curator and has marked done those past their deadline."""
    stages, activities = [], []
    for roadmap, curator in zip(roadmaps, curators, strict=True):
        for item in template.STAGES:
            stage = Stage(roadmap=roadmap, number=item.number, title=item.title)
            stages.append(stage)
            for position, entry in enumerate(item.activities, start=1):
                deadline = template.on_year(roadmap.year_start, entry.deadline)
                done = deadline < batch.today
                activities.append(
                    Activity(
                        stage=stage,
                        position=position,
                        title=entry.title,
                        content=entry.content,
                        starts_on=template.on_year(roadmap.year_start, entry.start),
                        deadline=deadline,
                        responsible=curator
                        if entry.responsible_note.startswith("куратор")
                        else None,
                        responsible_note=entry.responsible_note,
                        expected_result=entry.expected_result,
                        measure=entry.measure,
                        status=Activity.Status.DONE if done else Activity.Status.PLANNED,
                        done_on=deadline if done else None,
                        done_by=curator.user if done else None,
                    )
                )
    batch.counts.add("Stage", Stage.objects.bulk_create(stages))
    batch.counts.add("Activity", Activity.objects.bulk_create(activities, batch_size=5000))


def _record_versions(batch: Batch, roadmaps: list[Roadmap], orders: list[Order]) -> None:
    """Version 1 of each roadmap, approved by its order; the order titled as the roadmap's."""
    versions = []
    for roadmap, order in zip(roadmaps, orders, strict=True):
        order.title = order_title(roadmap)
        versions.append(
            RoadmapVersion(
                roadmap=roadmap,
                number=1,
                order=order,
                approved_at=order.signed_at,
                snapshot=roadmap_snapshot(roadmap),
            )
        )
    Order.objects.bulk_update(orders, ["title"])
    batch.counts.add("RoadmapVersion", RoadmapVersion.objects.bulk_create(versions))
