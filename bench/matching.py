"""Benchmark of the matching page's service: a mentee's suggestions among 1,000 mentors.

Run from the project folder (see bench/README.md):

    .venv/bin/python bench/matching.py [--mentors 1000] [--runs 20] [--seed 2026]

It builds a throwaway SQLite database in a temporary folder (never the project's own
database), fills it with bulk_create, times ``rank_mentors`` and ``similar_mentees`` and
prints the median, the 95th percentile and the SQL queries per call. The data is seeded,
so every run builds the same institution. The issue's target: under 200 ms.
"""

import argparse
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 200


def setup_django(folder: Path) -> None:
    """Django on a fresh database file in ``folder``, with the tests' settings (they carry a
    development secret key). DATABASE_URL is overwritten on purpose: never a real database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    # Imported here: the settings are chosen above, before Django loads.
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(*, mentors: int, rng: random.Random):
    """One institution with a partner, ``mentors`` mentors and a mentee with 3 difficulties.
    Returns (institution, mentee)."""
    # Imported here: models and services load only after setup_django().
    from mentoring_site.lib.collation import normalize_for_search
    from registry.models import (
        Competence,
        Consent,
        Difficulty,
        Direction,
        GroupMember,
        MenteeCategory,
        MenteeProfile,
        MentoringForm,
        MentoringGroup,
        MentorProfile,
        Organization,
        Person,
        Position,
        User,
    )

    institution = Organization.objects.create(
        name="ГБДОУ детский сад № 1 (замер)", short_name="Детский сад № 1"
    )
    partner = Organization.objects.create(
        name="Педагогический колледж (замер)",
        short_name="Колледж",
        kind=Organization.Kind.COLLEGE,
        partner_of=institution,
    )
    curator = User.objects.create_user(username="bench-curator", institution=institution)
    directions = list(Direction.objects.all())
    positions = list(Position.objects.all()[:6])
    category = MenteeCategory.objects.first()
    form = MentoringForm.objects.first()

    def people(prefix: str, count: int) -> list:
        rows = []
        for n in range(count):
            person = Person(
                institution=institution,
                organization=partner if rng.random() < 0.15 else institution,
                last_name=f"{prefix}{n:04d}",
                first_name="Анна",
                patronymic="Сергеевна",
                position=rng.choice(positions),
            )
            person.search_name = normalize_for_search(person.full_name)
            rows.append(person)
        return Person.objects.bulk_create(rows)

    mentor_people = people("Наставница", mentors)
    # A few mentors have no processing consent: they are counted, never ranked.
    Consent.objects.bulk_create(
        Consent(person=p, kind=Consent.Kind.PROCESSING, given_on=date(2026, 9, 1))
        for p in mentor_people
        if rng.random() < 0.95
    )
    profiles = MentorProfile.objects.bulk_create(
        MentorProfile(
            person=p,
            capacity=rng.randint(1, 3),
            training_completed_on=date(2026, 5, 15) if rng.random() < 0.4 else None,
        )
        for p in mentor_people
    )
    Competence.objects.bulk_create(
        Competence(mentor=profile, direction=d)
        for profile in profiles
        for d in rng.sample(directions, rng.randint(1, 3))
    )

    mentee = people("Наставляемая", 1)[0]
    Consent.objects.create(person=mentee, kind=Consent.Kind.PROCESSING, given_on=date(2026, 9, 1))
    mentee_profile = MenteeProfile.objects.create(person=mentee, category=category)
    Difficulty.objects.bulk_create(
        Difficulty(mentee=mentee_profile, direction=d, text="Затруднение")
        for d in rng.sample(directions, 3)
    )

    # Other mentees: half wait in the bank (similar_mentees), half sit in the groups below.
    others = people("Коллега", mentors // 2)
    Consent.objects.bulk_create(
        Consent(person=p, kind=Consent.Kind.PROCESSING, given_on=date(2026, 9, 1)) for p in others
    )
    other_profiles = MenteeProfile.objects.bulk_create(
        MenteeProfile(person=p, category=category) for p in others
    )
    Difficulty.objects.bulk_create(
        Difficulty(mentee=profile, direction=d, text="Запрос")
        for profile in other_profiles
        for d in rng.sample(directions, rng.randint(1, 3))
    )

    # A third of the mentors have an open group, a fifth a completed one.
    groups, members = [], []
    in_groups = iter(others[len(others) // 2 :])
    for person in mentor_people:
        for status, share in (
            (MentoringGroup.Status.ACTIVE, 1 / 3),
            (MentoringGroup.Status.COMPLETED, 1 / 5),
        ):
            if rng.random() >= share:
                continue
            group = MentoringGroup(
                institution=institution,
                status=status,
                form=form,
                planned_start=date(2025, 9, 1),
                planned_end=date(2026, 5, 31),
                curator=curator,
            )
            groups.append(group)
            members.append((group, person, GroupMember.Role.MENTOR))
            member = next(in_groups, None)
            if member is not None:
                members.append((group, member, GroupMember.Role.MENTEE))
    MentoringGroup.objects.bulk_create(groups)
    GroupMember.objects.bulk_create(
        GroupMember(group=g, person=p, role=role) for g, p, role in members
    )
    return institution, mentee


def measure(call, runs: int) -> tuple[float, float, int]:
    """(median ms, p95 ms, SQL queries per call) over ``runs`` calls after a warm-up."""
    # Imported here: models and services load only after setup_django().
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    with CaptureQueriesContext(connection) as captured:
        call()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[math.ceil(0.95 * len(timings)) - 1]
    return statistics.median(timings), p95, len(captured)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="mentoring-bench-"))
    try:
        setup_django(folder)
        # Imported here: models and services load only after setup_django().
        from registry.matching import rank_mentors, similar_mentees
        from registry.models import Person

        started = time.perf_counter()
        institution, mentee = build(mentors=args.mentors, rng=random.Random(args.seed))
        mentee = Person.objects.select_related("position").get(pk=mentee.pk)
        print(f"Данные: {args.mentors} наставников за {time.perf_counter() - started:.1f} с")

        ranked = rank_mentors(mentee=mentee, institution=institution).ranked
        print(f"В списке: {len(ranked)}, лучшая оценка {ranked[0].score}")
        failed = False
        for name, call in (
            ("rank_mentors", lambda: rank_mentors(mentee=mentee, institution=institution)),
            ("similar_mentees", lambda: similar_mentees(mentee=mentee, institution=institution)),
        ):
            median, p95, queries = measure(call, args.runs)
            print(
                f"{name}: медиана {median:.1f} мс, p95 {p95:.1f} мс, "
                f"SQL-запросов за вызов: {queries} ({args.runs} замеров)"
            )
            failed = failed or (name == "rank_mentors" and p95 >= TARGET_MS)
        print(f"Цель — до {TARGET_MS} мс: {'не достигнута' if failed else 'достигнута'}")
        return 1 if failed else 0
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
