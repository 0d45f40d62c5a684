"""The approved pair's program: drafted from the library, approved, one event done, a meeting
held and one planned."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from programs.models import Meeting
from programs.services import drafting, execution
from registry.models import MentoringGroup, User


def draft_program(*, group: MentoringGroup, users: dict[str, User], today: date) -> None:
    mentor = group.members.get(role="mentor").person.user or users["curator"]
    program = drafting.program_create_from_template(group=group, user=mentor)
    drafting.program_update(
        program=program,
        data={
            "goals": "Освоить организацию режимных моментов в младшей группе; выстроить "
            "взаимодействие с родителями.",
            "content": "Наставник показывает режимные моменты в своей группе и разбирает их "
            "с наставляемой; вместе готовят родительское собрание.",
            "intermediate_results": "К концу первого месяца режимные моменты проходят по плану.",
            "schedule": "Еженедельно по средам, 13:30–14:15, методический кабинет.",
            "conditions": "Методический кабинет; замена в группе на время встреч не нужна.",
        },
        version=program.version,
        user=mentor,
    )
    program.refresh_from_db()
    drafting.program_submit(program=program, user=mentor)
    drafting.program_approve(program=program, user=users["curator"])
    first = program.events.order_by("deadline").first()
    if first is not None:
        execution.event_update_progress(
            event=first,
            status="done",
            actual_result="Проведено, составлен план наблюдений.",
            file=None,
            user=mentor,
        )
    tz = timezone.get_current_timezone()
    held = Meeting.objects.create(
        program=program,
        starts_at=datetime.combine(today - timedelta(days=6), time(13, 30), tzinfo=tz),
        topic="Установочная встреча: цели программы",
        content="Обсудили запросы и план мероприятий.",
        result="Согласован план на первый месяц.",
        task="Подготовить вопросы по режимным моментам.",
        held=True,
    )
    held.attendees.set([m.person for m in group.members.all()])
    Meeting.objects.create(
        program=program,
        starts_at=datetime.combine(today + timedelta(days=1), time(13, 30), tzinfo=tz),
        topic="Разбор режимных моментов в младшей группе",
    )
