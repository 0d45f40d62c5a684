"""The demo's monitoring: a questionnaire the curator sent to the running program (waiting for
the demo mentor's and mentee's answers), growth records of a few people and a best practice
the council described. ``mentoring_site/demo/loader.py`` calls ``load_demo``."""

from datetime import date, timedelta

from programs.models import Program
from registry.models import Direction, Person, User
from reports.models import GrowthRecord, Practice
from reports.services.growth import growth_record_save
from reports.services.practices import practice_save
from reports.services.surveys import survey_send_satisfaction


def load_demo(*, institution, today: date) -> None:
    curator = User.objects.get(institution=institution, username="curator")
    council = User.objects.get(institution=institution, username="council")
    program = Program.objects.filter(
        group__institution=institution, status=Program.Status.ACTIVE
    ).first()
    if program is not None:
        survey_send_satisfaction(
            institution=institution,
            title="Промежуточное анкетирование: как идёт программа",
            programs=[program],
            anonymous=False,
            deadline=today + timedelta(days=10),
            user=curator,
        )

    people = {p.last_name: p for p in Person.objects.filter(institution=institution)}
    records = [
        (
            "Смирнова",
            GrowthRecord.Kind.COURSE,
            "КПК «Наставничество в образовательной организации», 36 ч",
            today - timedelta(days=40),
            GrowthRecord.Level.CITY,
            "удостоверение № 7812-36",
        ),
        (
            "Ёлкина",
            GrowthRecord.Kind.OPEN_EVENT,
            "Открытое занятие «Осенняя прогулка» для педагогов детского сада",
            today - timedelta(days=12),
            GrowthRecord.Level.INSTITUTION,
            "",
        ),
        (
            "Морозова",
            GrowthRecord.Kind.CONTEST,
            "Районный конкурс «Педагогические надежды» — член жюри",
            today - timedelta(days=25),
            GrowthRecord.Level.DISTRICT,
            "благодарность ИМЦ",
        ),
    ]
    for last_name, kind, title, on, level, result in records:
        if last_name in people:
            growth_record_save(
                record=GrowthRecord(
                    person=people[last_name],
                    kind=kind,
                    title=title,
                    date=on,
                    level=level,
                    result=result,
                ),
                user=curator,
            )

    practice_save(
        practice=Practice(
            institution=institution,
            title="Логопедическая пятиминутка: как молодой педагог осваивает речевые игры",
            direction=Direction.objects.get(name="методическое"),
            summary="Наставник показывает на своих занятиях короткие речевые игры, молодой "
            "педагог повторяет их в своей группе и разбирает с наставником, что получилось.",
            tags="речевое развитие, молодой педагог",
        ),
        user=council,
    )
