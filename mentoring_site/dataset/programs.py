"""A program of ``EVENTS_PER_PROGRAM`` events for every group, drawn from the library of typical
events by its mentees' difficulties: the current year's active, the earlier completed."""

from datetime import timedelta

from mentoring_site.dataset.batch import Batch, aware
from mentoring_site.dataset.data import EVENTS_PER_PROGRAM
from mentoring_site.dataset.groups import GroupPlan
from programs.models import Program, ProgramEvent


def create_programs(batch: Batch, plans: list[GroupPlan]) -> dict[int, Program]:
    """Returns the programs by their group's id."""
    programs, events = [], []
    for plan in plans:
        program = _program(plan)
        programs.append(program)
        events += _events(batch, program, plan)
    batch.counts.add("Program", Program.objects.bulk_create(programs))
    batch.counts.add("ProgramEvent", ProgramEvent.objects.bulk_create(events, batch_size=5000))
    return {program.group_id: program for program in programs}


def _program(plan: GroupPlan) -> Program:
    group, is_current = plan.group, plan.is_current
    start, end = group.planned_start, group.planned_end
    return Program(
        group=group,
        status=Program.Status.ACTIVE if is_current else Program.Status.COMPLETED,
        problem="Недостаточный опыт организации образовательной деятельности.",
        goals="Развитие профессиональных компетенций наставляемого.",
        content="Консультации, взаимопосещения, совместная разработка занятий.",
        start=start,
        end=end,
        intermediate_results="Наставляемый составляет конспекты занятий с наставником.",
        planned_results="Наставляемый самостоятельно планирует и проводит занятия.",
        schedule="Вторник, 15:00",
        conditions="Методический кабинет.",
        created_by=group.curator,
        created_at=aware(start - timedelta(days=5)),
        submitted_at=aware(start - timedelta(days=3)),
        approved_at=aware(start - timedelta(days=1)),
        approved_by=group.curator,
        finished_on=None if is_current else end,
        reason="" if is_current else Program.Reason.PLAN_DONE,
        mentee_result="" if is_current else "План выполнен, наставляемый аттестован.",
    )


def _events(batch: Batch, program: Program, plan: GroupPlan) -> list[ProgramEvent]:
    """Every two weeks from the start, by the mentees' difficulties in turn: a finished program
    did them all; in a running one most of those a week past are done, the rest overdue."""
    directions = [d.direction for d in plan.difficulties]
    events = []
    for position in range(EVENTS_PER_PROGRAM):
        direction = directions[position % len(directions)]
        typical = batch.reference.library.get(direction.pk) or [None]
        pick = typical[position % len(typical)]
        deadline = program.start + timedelta(days=14 * (position + 1))
        if not plan.is_current:
            status, done_on = ProgramEvent.Status.DONE, deadline
        elif deadline < batch.today - timedelta(days=7):
            done = batch.rng.random() < 0.85
            status = ProgramEvent.Status.DONE if done else ProgramEvent.Status.OVERDUE
            done_on = deadline if done else None
        else:
            status, done_on = ProgramEvent.Status.PLANNED, None
        events.append(
            ProgramEvent(
                program=program,
                direction=direction,
                title=pick.title if pick else f"Консультация: {direction}",
                form=pick.form if pick else batch.reference.event_forms[0],
                deadline=min(deadline, program.end),
                expected_result=pick.expected_result if pick else "",
                status=status,
                done_on=done_on,
                actual_result="Проведено" if done_on else "",
                position=position,
            )
        )
    return events
