"""What every step of a batch reads: the seeded draw, the day, the reference lists and the
counts of what was created."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from mentoring_site.dataset.data import DATASET_PASSWORD, YEARS
from mentoring_site.lib.academic_year import academic_year_start
from programs.models import EventForm, TypicalEvent
from registry.models import Direction, MenteeCategory, MentoringForm, MentoringKind, Position
from reports.models import Question, QuestionnaireTemplate


@dataclass
class Counts:
    """What was created, by model name (the command prints it, the test compares it)."""

    rows: dict = field(default_factory=dict)

    def add(self, name: str, created: list) -> list:
        self.rows[name] = self.rows.get(name, 0) + len(created)
        return created


@dataclass
class Reference:
    """The shared reference lists the dataset draws from (seeded by the migrations)."""

    positions: list
    directions: list
    categories: list
    forms: list
    kinds: list
    event_forms: list
    library: dict  # direction id -> [TypicalEvent]
    survey_template: object
    questions: list
    password: str


def load_reference() -> Reference:
    library: dict = {}
    for typical in TypicalEvent.objects.filter(is_active=True).order_by("id"):
        library.setdefault(typical.direction_id, []).append(typical)
    template = (
        QuestionnaireTemplate.objects.filter(
            institution=None, purpose=QuestionnaireTemplate.Purpose.SATISFACTION_MENTEE
        )
        .order_by("id")
        .first()
    )
    return Reference(
        positions=list(Position.objects.order_by("sort_order", "id")),
        directions=list(Direction.objects.order_by("sort_order", "id")),
        categories=list(MenteeCategory.objects.order_by("sort_order", "id")),
        forms=list(MentoringForm.objects.order_by("sort_order", "id")),
        kinds=list(MentoringKind.objects.order_by("sort_order", "id")),
        event_forms=list(EventForm.objects.order_by("sort_order", "id")),
        library=library,
        survey_template=template,
        questions=list(Question.objects.filter(template=template).order_by("position", "id"))
        if template
        else [],
        password=make_password(DATASET_PASSWORD),
    )


@dataclass
class Batch:
    """The institutions numbered ``numbers``, built in one transaction."""

    numbers: range
    rng: random.Random
    today: date
    reference: Reference
    counts: Counts

    @property
    def current(self) -> int:
        """The current academic year, by the year it starts."""
        return academic_year_start(self.today).year

    @property
    def years(self) -> list[int]:
        """The academic years the city has lived, the current one last."""
        return [self.current - YEARS + 1 + k for k in range(YEARS)]


def aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))
