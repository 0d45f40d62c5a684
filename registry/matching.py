"""Matching mentors to a mentee (п. 6.1) and mentees to one another (п. 2.4, «в группе»).

The score only advises: the regulation also asks for mutual interest and sympathy (п. 6.1),
and a pair is formed voluntarily, with the curator, the mentor and the mentee taking part
(п. 6.2). So every score comes with its parts, each explained in plain Russian.

Parts of the score (100 points in all):

* ``Затруднения`` — 45: the share of the mentee's directions (their ``Difficulty`` rows,
  counted once per direction) that the mentor's competences cover. The biggest part:
  п. 6.1 puts the mentor's profile against the mentee's requests first.
* ``Свободные места`` — 15: the share of the mentor's capacity still free, counting the
  mentees of their open groups (``registry.services.groups.mentee_load``). A mentor with
  no free place is never ranked: she is listed apart («Нет свободных мест»).

Coverage comes first (п. 6.1): a mentor who covers none of the mentee's difficulties ranks
below every mentor who covers some, whatever her other points, and says so.
* ``Должность`` — 10: the same position as the mentee. The issue also names the age group
  of the children; the registry does not keep it, so the position stands for both.
* ``Организация`` — 10 for the institution's own staff, 5 for a partner organization's.
* ``Обучение`` — 10 when the mentor training is done (Приложение 2, этап 4).
* ``Опыт`` — 5 for each completed pair or group as a mentor or co-mentor, at most 10.

Only mentors with a processing consent in force (152-ФЗ, ст. 9) are ranked; the others are
counted (``mentors_hidden_without_consent``), never shown. A person never matches themselves.
Everything runs in a fixed number of queries, whatever the number of mentors.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef

from mentoring_site.lib.collation import sort_key
from mentoring_site.lib.russian import plural
from registry.models import (
    Competence,
    Consent,
    Difficulty,
    Direction,
    GroupMember,
    MenteeProfile,
    MentoringGroup,
    Person,
)
from registry.services.groups import mentee_load

WEIGHTS = {
    "coverage": 45,
    "capacity": 15,
    "position": 10,
    "organization": 10,
    "training": 10,
    "experience": 10,
}
PARTNER_POINTS = 5
POINTS_PER_COMPLETED_GROUP = 5

# How the score is made, for the page's «Как считается оценка».
SCORE_RULES = (
    (
        "Затруднения",
        WEIGHTS["coverage"],
        "доля направлений наставляемого, по которым у наставника есть компетенции; "
        "кто не закрывает ни одного затруднения, стоит ниже всех, кто закрывает",
    ),
    (
        "Свободные места",
        WEIGHTS["capacity"],
        "доля свободных мест наставника; наставники без свободных мест показаны отдельно",
    ),
    ("Должность", WEIGHTS["position"], "та же должность, что у наставляемого"),
    (
        "Организация",
        WEIGHTS["organization"],
        f"своё учреждение; организация-партнёр — {PARTNER_POINTS}",
    ),
    ("Обучение", WEIGHTS["training"], "обучение наставников пройдено"),
    (
        "Опыт",
        WEIGHTS["experience"],
        f"по {POINTS_PER_COMPLETED_GROUP} за каждую завершённую пару или группу",
    ),
)

# What the page shows of a mentor: the rest of the row is left in the database.
MENTOR_FIELDS = (
    "institution_id",
    "organization_id",
    "position_id",
    "last_name",
    "first_name",
    "patronymic",
    "search_name",
    "anonymized_on",  # short_name reads it
    "position__name",
    "organization__short_name",
    "mentor_profile__capacity",
    "mentor_profile__training_completed_on",
)

# Mentees who still look for a group (Приложение 2, этап 5.3).
WAITING_STATUSES = (MenteeProfile.Status.IN_BANK, MenteeProfile.Status.WITHOUT_PAIR)


@dataclass(frozen=True)
class ScorePart:
    label: str
    points: int
    max_points: int
    explanation: str


@dataclass(frozen=True)
class Suggestion:
    mentor: Person
    score: int
    parts: tuple[ScorePart, ...]
    capacity: int
    free_places: int

    covers_any: bool = True  # covers one of the mentee's difficulties (or she has none)

    @property
    def has_free_place(self) -> bool:
        return self.free_places > 0


@dataclass(frozen=True)
class MentorRanking:
    """The mentors with a free place, best first (those covering some of the mentee's
    difficulties before those covering none), and apart the mentors with no free place."""

    ranked: list[Suggestion]
    without_places: list[Suggestion]


@dataclass(frozen=True)
class MentorFilters:
    """Narrows the ranked list; every field empty means «all mentors»."""

    direction: Direction | None = None  # has a competence on this direction
    free_only: bool = False
    trained_only: bool = False
    organization: str = ""  # "", "own" or "partner"


@dataclass(frozen=True)
class SimilarMentee:
    person: Person
    shared: tuple[Direction, ...]  # directions both mentees asked for
    other: tuple[str, ...]  # names of this mentee's other directions
    similarity: float  # Jaccard: shared ÷ the directions of the two together

    @property
    def explanation(self) -> str:
        text = f"Общие направления: {_names(self.shared)}"
        if self.other:
            text += f"; другие запросы: {', '.join(self.other)}"
        return text


def _share(part: int, whole: int, weight: int) -> int:
    """``weight × part / whole`` rounded half up, in whole points."""
    return (2 * part * weight + whole) // (2 * whole) if whole else 0


def _names(directions) -> str:
    return ", ".join(d.name for d in directions)


def _coverage(needed: list[Direction], offered: set[int]) -> ScorePart:
    weight = WEIGHTS["coverage"]
    label = "Затруднения"
    if not needed:
        return ScorePart(label, 0, weight, "У наставляемого не указаны затруднения и запросы.")
    covered = [d for d in needed if d.pk in offered]
    missing = [d for d in needed if d.pk not in offered]
    total = len(needed)
    of_total = f"{total} {plural(total, 'направления', 'направлений', 'направлений')}"
    if not covered:
        text = f"Не закрывает ни одного из {of_total}: {_names(missing)}"
    else:
        text = f"Закрывает {len(covered)} из {of_total}: {_names(covered)}"
        if missing:
            text += f"; не закрывает: {_names(missing)}"
    return ScorePart(label, _share(len(covered), total, weight), weight, text)


def _capacity(capacity: int, load: int) -> ScorePart:
    weight = WEIGHTS["capacity"]
    free = max(capacity - load, 0)
    if not free:
        text = f"Свободных мест нет: занято {load} из {capacity}"
    else:
        text = f"Свободно {free} {plural(free, 'место', 'места', 'мест')} из {capacity}"
    return ScorePart("Свободные места", _share(free, capacity, weight), weight, text)


def _position(mentee: Person, mentor: Person) -> ScorePart:
    weight = WEIGHTS["position"]
    label = "Должность"
    if mentor.position_id is None or mentee.position_id is None:
        return ScorePart(label, 0, weight, "Должность не указана")
    if mentor.position_id == mentee.position_id:
        return ScorePart(label, weight, weight, f"Та же должность: {mentor.position.name}")
    return ScorePart(label, 0, weight, f"Другая должность: {mentor.position.name}")


def _organization(mentor: Person, institution) -> ScorePart:
    weight = WEIGHTS["organization"]
    if mentor.organization_id == institution.pk:
        return ScorePart("Организация", weight, weight, "Сотрудник своего учреждения")
    return ScorePart(
        "Организация",
        PARTNER_POINTS,
        weight,
        f"Организация-партнёр: {mentor.organization.short_name}",
    )


def _training(completed_on: date | None) -> ScorePart:
    weight = WEIGHTS["training"]
    if completed_on is None:
        return ScorePart("Обучение", 0, weight, "Обучение наставников не пройдено")
    text = f"Обучение наставников пройдено {completed_on:%d.%m.%Y}"
    return ScorePart("Обучение", weight, weight, text)


def _experience(completed: int) -> ScorePart:
    weight = WEIGHTS["experience"]
    if not completed:
        text = "Завершённых пар и групп в роли наставника пока нет"
    else:
        text = f"Завершённых пар и групп в роли наставника: {completed}"
    points = min(completed * POINTS_PER_COMPLETED_GROUP, weight)
    return ScorePart("Опыт", points, weight, text)


def mentee_directions(mentee: Person) -> list[Direction]:
    """The directions of the mentee's difficulties and requests, each once, in list order."""
    directions = {}
    for difficulty in Difficulty.objects.filter(mentee__person=mentee).select_related("direction"):
        directions.setdefault(difficulty.direction_id, difficulty.direction)
    return sorted(directions.values(), key=lambda d: (d.sort_order, sort_key(d.name)))


def _mentor_bank(*, mentee: Person, institution):
    """Mentors of the institution other than the mentee, with the consent flag."""
    return (
        Person.objects.filter(institution=institution, mentor_profile__isnull=False)
        .exclude(pk=mentee.pk)
        .annotate(
            has_processing_consent=Exists(
                Consent.objects.active().filter(person=OuterRef("pk"), kind=Consent.Kind.PROCESSING)
            )
        )
        .order_by()
    )


def mentors_hidden_without_consent(*, mentee: Person, institution) -> int:
    """Mentors of the bank not ranked because they have no processing consent in force."""
    return (
        _mentor_bank(mentee=mentee, institution=institution)
        .filter(has_processing_consent=False)
        .count()
    )


def _competences(profile_ids) -> dict[int, set[int]]:
    """The directions of each mentor's competences: {mentor profile id: direction ids}."""
    offered: dict[int, set[int]] = {}
    rows = Competence.objects.filter(mentor_id__in=profile_ids).order_by()
    for profile_id, direction_id in rows.values_list("mentor_id", "direction_id"):
        offered.setdefault(profile_id, set()).add(direction_id)
    return offered


def completed_groups(mentor_ids) -> dict[int, int]:
    """Completed pairs and groups each person led as a mentor or co-mentor. One query."""
    rows = (
        GroupMember.objects.filter(
            person_id__in=mentor_ids,
            role__in=[GroupMember.Role.MENTOR, GroupMember.Role.CO_MENTOR],
            group__status=MentoringGroup.Status.COMPLETED,
        )
        .values("person_id")
        .annotate(groups=Count("group", distinct=True))
        .order_by()
    )
    return {row["person_id"]: row["groups"] for row in rows}


def rank_mentors(
    *, mentee: Person, institution, filters: MentorFilters | None = None
) -> MentorRanking:
    """The institution's mentors for the mentee: ranked (free places only, best first) and
    apart those with no free place (п. 6.1).

    Five queries whatever the number of mentors: the mentee's directions, the mentors, their
    competences, their current load and their completed groups.
    """
    filters = filters or MentorFilters()
    needed = mentee_directions(mentee)
    mentors = (
        _mentor_bank(mentee=mentee, institution=institution)
        .filter(has_processing_consent=True)
        .select_related("position", "organization", "mentor_profile")
        .only(*MENTOR_FIELDS)
    )
    if filters.direction is not None:
        mentors = mentors.filter(mentor_profile__competences__direction=filters.direction)
    if filters.trained_only:
        mentors = mentors.filter(mentor_profile__training_completed_on__isnull=False)
    if filters.organization == "own":
        mentors = mentors.filter(organization=institution)
    elif filters.organization == "partner":
        mentors = mentors.exclude(organization=institution)
    mentors = list(mentors)
    if not mentors:
        return MentorRanking(ranked=[], without_places=[])
    ids = [m.pk for m in mentors]
    offered = _competences([m.mentor_profile.pk for m in mentors])
    load = mentee_load(ids)
    history = completed_groups(ids)
    needed_ids = {d.pk for d in needed}
    coverage = {}  # the same covered directions give the same part: build it once
    suggestions = []
    for mentor in mentors:
        profile = mentor.mentor_profile
        current = load.get(mentor.pk, 0)
        free = max(profile.capacity - current, 0)
        if filters.free_only and not free:
            continue  # the full ones are listed apart; the filter hides them too
        covered = frozenset(offered.get(profile.pk, set()) & needed_ids)
        if covered not in coverage:
            coverage[covered] = _coverage(needed, covered)
        parts = (
            coverage[covered],
            _capacity(profile.capacity, current),
            _position(mentee, mentor),
            _organization(mentor, institution),
            _training(profile.training_completed_on),
            _experience(history.get(mentor.pk, 0)),
        )
        suggestions.append(
            Suggestion(
                mentor=mentor,
                score=sum(p.points for p in parts),
                parts=parts,
                capacity=profile.capacity,
                free_places=free,
                covers_any=bool(covered) or not needed,
            )
        )
    # Coverage first, then the score; search_name is the casefolded full name with «ё» as «е»:
    # plain string order is the alphabetical one, without the Python collation (a tenth of the
    # time for 1,000 mentors).
    suggestions.sort(key=lambda s: (not s.covers_any, -s.score, s.mentor.search_name, s.mentor.pk))
    return MentorRanking(
        ranked=[s for s in suggestions if s.has_free_place],
        without_places=[s for s in suggestions if not s.has_free_place],
    )


def similar_mentees(*, mentee: Person, institution, limit: int = 10) -> list[SimilarMentee]:
    """Mentees still looking for a group whose directions overlap the mentee's: they could
    work together with one mentor («наставничество в группе», п. 2.4). Most shared directions
    first, then the closest by Jaccard similarity (shared ÷ all directions of the two).
    Only mentees with a processing consent in force. Three queries."""
    needed = {d.pk: d for d in mentee_directions(mentee)}
    if not needed:
        return []
    candidates = (
        MenteeProfile.objects.filter(
            person__institution=institution,
            status__in=WAITING_STATUSES,
            difficulties__direction__in=list(needed),
        )
        .exclude(person=mentee)
        .filter(
            Exists(
                Consent.objects.active().filter(
                    person=OuterRef("person"), kind=Consent.Kind.PROCESSING
                )
            )
        )
    )
    rows = (
        Difficulty.objects.filter(mentee__in=candidates.values("pk"))
        .values_list("mentee__person_id", "direction_id", "direction__name")
        .order_by("direction__sort_order", "direction__name")
    )
    theirs: dict[int, dict[int, str]] = {}
    for person_id, direction_id, name in rows:
        theirs.setdefault(person_id, {})[direction_id] = name
    people = Person.objects.select_related("position", "mentee_profile__category").in_bulk(
        list(theirs)
    )
    result = []
    for person_id, directions in theirs.items():
        shared = tuple(d for d in needed.values() if d.pk in directions)
        result.append(
            SimilarMentee(
                person=people[person_id],
                shared=shared,
                other=tuple(name for pk, name in directions.items() if pk not in needed),
                similarity=len(shared) / len(directions.keys() | needed.keys()),
            )
        )
    result.sort(
        key=lambda s: (
            -len(s.shared),
            -s.similarity,
            s.person.search_name,
            s.person.pk,
        )
    )
    return result[:limit]
