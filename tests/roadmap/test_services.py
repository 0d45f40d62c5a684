"""The roadmap's workflow (п. 3.2, п. 3.3; Приложение 2): creation from the template, one per
year, dates inside the academic year, submission, approval by a signed order, changes after
approval with a reason and the approved version kept, refusals in the wrong state."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from registry.models import Notification, Order
from roadmap import services, template
from roadmap.models import Activity, Roadmap, RoadmapChange, RoadmapVersion, Stage
from tests.factories import make_person, make_user
from tests.roadmap.conftest import activity, approve, make_roadmap, signed_order

pytestmark = pytest.mark.django_db

Status = Roadmap.Status


def refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Creation -------------------------------------------------------------------------------


def test_template_creates_the_seven_stages_of_appendix_2_with_dates_in_the_year(world):
    curator_person = make_person(world.institution, "Кузнецова", first_name="Ирина")
    curator_person.user = world.curator
    curator_person.save()
    roadmap = make_roadmap(world)
    stages = list(Stage.objects.filter(roadmap=roadmap).prefetch_related("activities"))
    assert [s.number for s in stages] == [1, 2, 3, 4, 5, 6, 7]
    assert stages[1].title == "Формирование банка наставляемых"
    assert stages[6].title == "Информационная поддержка системы (целевой модели) наставничества"
    activities = [a for s in stages for a in s.activities.all()]
    assert len(activities) == sum(len(s.activities) for s in template.STAGES) == 18
    assert all(date(2026, 9, 1) <= a.deadline <= date(2027, 8, 31) for a in activities)
    assert all(a.starts_on <= a.deadline for a in activities)
    first = activity(roadmap, 1, 1)
    assert first.measure == Activity.Measure.REGULATION_ORDER
    assert (first.starts_on, first.deadline) == (date(2026, 9, 1), date(2026, 9, 15))
    assert activity(roadmap, 6, 1).deadline == date(2027, 5, 20)
    # The creating curator answers for the activities whose responsible starts with «куратор».
    assert activity(roadmap, 2, 1).responsible == curator_person
    assert activity(roadmap, 1, 1).responsible is None  # «заведующий, куратор»
    assert activity(roadmap, 4, 1).measure == ""
    assert (roadmap.status, roadmap.created_by) == (Status.DRAFT, world.curator)


def test_a_second_roadmap_for_the_same_year_is_refused(world, roadmap):
    with pytest.raises(ValidationError) as error:
        make_roadmap(world)
    assert refusal(error.value) == "Дорожная карта на 2026/2027 учебный год уже есть."
    assert Roadmap.objects.count() == 1
    make_roadmap(world, 2027)  # the next year is another roadmap
    assert Roadmap.objects.count() == 2


def test_another_kindergarten_has_its_own_roadmap_for_the_year(world, roadmap):
    services.roadmap_create_from_template(
        institution=world.other_institution, year_start=2026, user=world.outsider
    )
    assert Roadmap.objects.filter(year_start=2026).count() == 2


# --- Activities ------------------------------------------------------------------------------


def test_deadline_outside_the_academic_year_is_refused_with_the_years_bounds(world, roadmap):
    item = activity(roadmap, 2, 1)
    item.deadline = date(2027, 9, 1)
    with pytest.raises(ValidationError) as error:
        services.activity_save(activity=item, user=world.curator)
    assert error.value.message_dict == {
        "deadline": [
            "Срок должен быть в пределах 2026/2027 учебного года (01.09.2026 — 31.08.2027)."
        ]
    }
    item = activity(roadmap, 2, 1)
    item.starts_on = date(2026, 8, 31)
    with pytest.raises(ValidationError) as error:
        services.activity_save(activity=item, user=world.curator)
    assert "starts_on" in error.value.message_dict
    assert activity(roadmap, 2, 1).deadline == date(2026, 9, 30)


def test_a_new_activity_goes_last_in_its_stage_and_a_draft_keeps_no_history(world, roadmap):
    stage = Stage.objects.get(roadmap=roadmap, number=4)
    added = services.activity_save(
        activity=Activity(stage=stage, title="Установочная сессия", deadline=date(2026, 12, 1)),
        user=world.curator,
    )
    assert added.position == 3
    item = activity(roadmap, 4, 2)
    item.deadline = date(2026, 12, 20)
    services.activity_save(activity=item, user=world.curator)
    assert activity(roadmap, 4, 2).deadline == date(2026, 12, 20)
    assert not RoadmapChange.objects.exists()


def test_a_deadline_before_the_start_is_refused(world, roadmap):
    item = activity(roadmap, 2, 1)
    item.deadline = date(2026, 8, 1)
    item.starts_on = date(2026, 10, 1)
    with pytest.raises(ValidationError):
        services.activity_save(activity=item, user=world.curator)
    item = activity(roadmap, 2, 1)
    item.starts_on, item.deadline = date(2026, 10, 2), date(2026, 10, 1)
    with pytest.raises(ValidationError) as error:
        services.activity_save(activity=item, user=world.curator)
    assert "Срок не может быть раньше начала." in refusal(error.value)


def test_the_last_activity_of_a_stage_cannot_be_deleted(world, roadmap):
    services.activity_delete(activity=activity(roadmap, 4, 1), user=world.curator)
    with pytest.raises(ValidationError) as error:
        services.activity_delete(activity=activity(roadmap, 4, 2), user=world.curator)
    assert "хотя бы одно мероприятие" in refusal(error.value)


def test_mark_done_needs_evidence_and_keeps_it(world, roadmap):
    item = activity(roadmap, 4, 1)
    with pytest.raises(ValidationError) as error:
        services.activity_mark_done(activity=item, user=world.curator, done_on=date(2026, 10, 20))
    assert "Укажите подтверждение" in refusal(error.value)
    regulation = signed_order(world.institution, Order.Kind.REGULATION, "94/1", date(2022, 8, 31))
    services.activity_mark_done(
        activity=item,
        user=world.curator,
        done_on=date(2026, 10, 20),
        evidence_order=regulation,
        evidence_link="/mentors/",
        evidence_note="Протокол № 2",
    )
    item.refresh_from_db()
    assert (item.status, item.done_on, item.done_by) == (
        Activity.Status.DONE,
        date(2026, 10, 20),
        world.curator,
    )
    assert (item.evidence_order, item.evidence_link, item.evidence_note) == (
        regulation,
        "/mentors/",
        "Протокол № 2",
    )
    services.activity_reopen(activity=item, user=world.curator)
    item.refresh_from_db()
    assert (item.status, item.done_on, item.evidence_order) == (
        Activity.Status.IN_PROGRESS,
        None,
        regulation,
    )


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("evidence_link", "javascript:alert(1)", "evidence_link"),
        ("evidence_link", "//evil.example/", "evidence_link"),
        ("done_on", date(2099, 1, 1), "done_on"),
    ],
)
def test_mark_done_refuses_unsafe_links_and_future_dates(world, roadmap, field, value, expected):
    fields = {"done_on": date(2026, 10, 20), "evidence_note": "Протокол", field: value}
    with pytest.raises(ValidationError) as error:
        services.activity_mark_done(activity=activity(roadmap, 4, 1), user=world.curator, **fields)
    assert expected in error.value.message_dict


def test_mark_done_refuses_another_kindergartens_or_an_unsigned_order(world, roadmap):
    foreign = signed_order(world.other_institution, Order.Kind.REWARD, "1", date(2026, 9, 1))
    draft = Order.objects.create(institution=world.institution, kind=Order.Kind.REWARD, title="x")
    for order in (foreign, draft):
        with pytest.raises(ValidationError) as error:
            services.activity_mark_done(
                activity=activity(roadmap, 4, 1),
                user=world.curator,
                done_on=date(2026, 10, 20),
                evidence_order=order,
            )
        assert error.value.message_dict == {
            "evidence_order": ["Выберите подписанный приказ вашего учреждения."]
        }


def test_a_file_alone_is_evidence(world, roadmap, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = activity(roadmap, 7, 2)
    services.activity_mark_done(
        activity=item,
        user=world.curator,
        done_on=date(2026, 11, 1),
        evidence_file=ContentFile(b"%PDF-1.4 x", name="скан.pdf"),
    )
    item.refresh_from_db()
    assert item.evidence_file.name.startswith(f"roadmap/{world.institution.pk}/")
    assert item.evidence_file.name.endswith(".pdf")


# --- Submission and approval ------------------------------------------------------------------


def test_approval_creates_a_signed_public_order_a_version_and_notifies(world, roadmap):
    regulation = signed_order(world.institution, Order.Kind.REGULATION, "94/1", date(2022, 8, 31))
    services.roadmap_submit(roadmap=roadmap, user=world.curator)
    assert Notification.objects.filter(user=world.head, text__contains="ждёт утверждения").exists()
    order = services.roadmap_approve(
        roadmap=roadmap, head=world.head, number="95/2", signed_on=date(2026, 9, 5)
    )
    roadmap.refresh_from_db()
    assert (order.kind, order.status, order.number, order.date, order.is_public) == (
        Order.Kind.ROADMAP,
        Order.Status.SIGNED,
        "95/2",
        date(2026, 9, 5),
        True,
    )
    assert order.title == (
        "Об утверждении дорожной карты (плана мероприятий) по реализации Положения о системе "
        "(целевой модели) наставничества педагогических работников на 2026/2027 учебный год"
    )
    assert order.signed_by == world.head
    assert order.items[0].startswith("Утвердить дорожную карту")
    assert f"от {regulation.date:%d.%m.%Y} № 94/1" in order.basis
    assert (roadmap.status, roadmap.order) == (Status.APPROVED, order)
    version = RoadmapVersion.objects.get()
    assert (version.number, version.order) == (1, order)
    stages = version.snapshot["stages"]
    assert [s["number"] for s in stages] == [1, 2, 3, 4, 5, 6, 7]
    assert stages[0]["activities"][0]["deadline"] == "2026-09-15"
    assert Notification.objects.filter(user=world.curator, text__contains="№ 95/2").exists()


def test_a_taken_order_number_rolls_everything_back(world, roadmap):
    signed_order(world.institution, Order.Kind.REWARD, "95", date(2026, 9, 1))
    services.roadmap_submit(roadmap=roadmap, user=world.curator)
    with pytest.raises(ValidationError) as error:
        services.roadmap_approve(
            roadmap=roadmap, head=world.head, number="95", signed_on=date(2026, 9, 5)
        )
    assert "number" in error.value.message_dict
    roadmap.refresh_from_db()
    assert roadmap.status == Status.SUBMITTED
    assert not Order.objects.filter(kind=Order.Kind.ROADMAP).exists()
    assert not RoadmapVersion.objects.exists()


def test_change_after_approval_needs_a_reason_is_recorded_and_keeps_the_version(world, roadmap):
    approve(world, roadmap)
    item = activity(roadmap, 4, 2)
    item.deadline = date(2026, 12, 20)
    with pytest.raises(ValidationError) as error:
        services.activity_save(activity=item, user=world.curator)
    assert error.value.message_dict == {
        "reason": ["Дорожная карта утверждена приказом: укажите причину изменения."]
    }
    item = activity(roadmap, 4, 2)
    item.deadline = date(2026, 12, 20)
    services.activity_save(activity=item, user=world.curator, reason="Курсы перенесены")
    change = RoadmapChange.objects.get()
    assert change.reason == "Курсы перенесены"
    assert change.made_by == world.curator
    assert change.what == (
        "Этап 4, «Обучение наставников для работы с наставляемыми»: срок: 30.11.2026 → 20.12.2026"
    )
    assert services.is_changed_since_approval(roadmap)
    version = RoadmapVersion.objects.get()
    assert version.snapshot["stages"][3]["activities"][1]["deadline"] == "2026-11-30"
    roadmap.refresh_from_db()
    assert roadmap.status == Status.APPROVED  # the approved text stays in force

    services.activity_delete(activity=activity(roadmap, 7, 2), user=world.curator, reason="Лишнее")
    assert RoadmapChange.objects.filter(what__startswith="Удалено мероприятие: Этап 7").exists()
    with pytest.raises(ValidationError):
        services.activity_delete(activity=activity(roadmap, 6, 3), user=world.curator)


def test_changed_roadmap_is_approved_again_with_a_new_order_and_version(world, roadmap):
    first = approve(world, roadmap)
    with pytest.raises(ValidationError) as error:
        services.roadmap_submit(roadmap=roadmap, user=world.curator)
    assert "не менялась" in refusal(error.value)
    item = activity(roadmap, 4, 2)
    item.deadline = date(2026, 12, 20)
    services.activity_save(activity=item, user=world.curator, reason="Курсы перенесены")
    second = approve(world, roadmap, number="130", on=date(2026, 11, 2))
    assert second.items[-1] == (
        "Признать утратившей силу дорожную карту, утверждённую приказом от 05.09.2026 № 95/2."
    )
    versions = list(RoadmapVersion.objects.order_by("number"))
    assert [(v.number, v.order) for v in versions] == [(1, first), (2, second)]
    assert versions[0].snapshot["stages"][3]["activities"][1]["deadline"] == "2026-11-30"
    assert versions[1].snapshot["stages"][3]["activities"][1]["deadline"] == "2026-12-20"
    assert roadmap.order == second
    assert not services.is_changed_since_approval(roadmap)


def test_the_head_returns_with_a_comment(world, roadmap):
    services.roadmap_submit(roadmap=roadmap, user=world.curator)
    with pytest.raises(ValidationError):
        services.roadmap_return(roadmap=roadmap, head=world.head, comment="  ")
    services.roadmap_return(roadmap=roadmap, head=world.head, comment="Уточните сроки этапа 5")
    roadmap.refresh_from_db()
    assert (roadmap.status, roadmap.return_comment) == (Status.DRAFT, "Уточните сроки этапа 5")
    assert Notification.objects.filter(user=world.curator, text__contains="этапа 5").exists()
    services.roadmap_submit(roadmap=roadmap, user=world.curator)
    roadmap.refresh_from_db()
    assert roadmap.return_comment == ""


def test_a_returned_change_leaves_the_approved_roadmap_in_force(world, roadmap):
    approve(world, roadmap)
    item = activity(roadmap, 4, 2)
    item.deadline = date(2026, 12, 20)
    services.activity_save(activity=item, user=world.curator, reason="Курсы перенесены")
    services.roadmap_submit(roadmap=roadmap, user=world.curator)
    services.roadmap_return(roadmap=roadmap, head=world.head, comment="Не переносите")
    roadmap.refresh_from_db()
    assert roadmap.status == Status.APPROVED
    assert services.is_changed_since_approval(roadmap)


def test_state_refusals(world, roadmap):
    with pytest.raises(ValidationError) as error:
        services.roadmap_approve(
            roadmap=roadmap, head=world.head, number="1", signed_on=date(2026, 9, 5)
        )
    assert refusal(error.value) == ("Нельзя утвердить: дорожная карта сейчас в состоянии «проект».")
    with pytest.raises(ValidationError):
        services.roadmap_return(roadmap=roadmap, head=world.head, comment="x")
    services.roadmap_submit(roadmap=roadmap, user=world.curator)
    with pytest.raises(ValidationError) as error:
        services.roadmap_submit(roadmap=roadmap, user=world.curator)
    assert refusal(error.value) == "Дорожная карта уже на утверждении у заведующего."
    item = activity(roadmap, 2, 1)
    item.title = "Другое"
    with pytest.raises(ValidationError) as error:
        services.activity_save(activity=item, user=world.curator)
    assert "на утверждении у заведующего" in refusal(error.value)
    with pytest.raises(ValidationError):
        services.activity_delete(activity=activity(roadmap, 2, 1), user=world.curator)
    approve_order = services.roadmap_approve(
        roadmap=roadmap, head=world.head, number="95/2", signed_on=date(2026, 9, 5)
    )
    with pytest.raises(ValidationError):
        services.roadmap_approve(
            roadmap=roadmap, head=world.head, number="96", signed_on=date(2026, 9, 5)
        )
    assert Order.objects.filter(kind=Order.Kind.ROADMAP).get() == approve_order


def test_a_stage_without_activities_cannot_be_submitted(world, roadmap):
    Activity.objects.filter(stage__roadmap=roadmap, stage__number=6).delete()
    with pytest.raises(ValidationError) as error:
        services.roadmap_submit(roadmap=roadmap, user=world.curator)
    assert refusal(error.value) == "В этапах 6 нет мероприятий: добавьте их перед отправкой."


def test_the_document_of_a_changed_roadmap_is_a_draft_and_a_version_is_not(world, roadmap):
    order = approve(world, roadmap)
    current = services.roadmap_document(roadmap)
    assert (current["draft"], current["order"]) == (False, order)
    item = activity(roadmap, 4, 2)
    item.title = "Обучение наставников на курсах ИМЦ"
    services.activity_save(activity=item, user=world.curator, reason="Уточнено")
    current = services.roadmap_document(roadmap)
    assert (current["draft"], current["order"]) == (True, None)
    assert current["stages"][3].activities[1].title == "Обучение наставников на курсах ИМЦ"
    kept = services.roadmap_document(roadmap, RoadmapVersion.objects.get())
    assert kept["order"] == order and not kept["draft"]
    assert (
        kept["stages"][3].activities[1].title == "Обучение наставников для работы с наставляемыми"
    )


def test_responsible_text_names_the_person(world, roadmap):
    person = make_person(world.institution, "Кузнецова", first_name="Ирина", patronymic="Павловна")
    make_user(world.institution, "kuz", person=person)
    item = activity(roadmap, 2, 1)
    item.responsible = person
    assert services.responsible_text(item) == "куратор (Кузнецова И. П.)"
