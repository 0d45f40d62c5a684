"""The banks of mentors and of mentees of every institution, with their consents, the mentors'
competences and the mentees' difficulties."""

from datetime import date

from mentoring_site.dataset.batch import Batch
from mentoring_site.dataset.data import MENTEES, MENTORS
from registry.models import (
    Competence,
    Consent,
    Difficulty,
    MenteeProfile,
    MentorProfile,
    Person,
)


def fill_banks(
    batch: Batch, people_of: dict[int, list[Person]]
) -> tuple[list[MentorProfile], list[MenteeProfile]]:
    """The people of ``MENTORS`` and ``MENTEES`` join the banks on the first day of the first
    year, with the consents that needs."""
    rng, reference = batch.rng, batch.reference
    first_day = date(batch.years[0], 9, 2)
    consents, mentor_profiles, mentee_profiles = [], [], []
    for number in batch.numbers:
        people = people_of[number]
        for index in [*MENTORS, *MENTEES]:
            consents.append(
                Consent(person=people[index], kind=Consent.Kind.PROCESSING, given_on=first_day)
            )
        for index in MENTORS:
            consents.append(
                Consent(person=people[index], kind=Consent.Kind.MENTORING, given_on=first_day)
            )
            mentor_profiles.append(
                MentorProfile(
                    person=people[index],
                    experience="Наставник молодых педагогов",
                    capacity=rng.randint(2, 3),
                    training_completed_on=date(batch.years[0], 10, 15)
                    if rng.random() < 0.6
                    else None,
                )
            )
        for index in MENTEES:
            mentee_profiles.append(
                MenteeProfile(
                    person=people[index],
                    category=rng.choice(reference.categories),
                    status=MenteeProfile.Status.IN_BANK,
                )
            )
    batch.counts.add("Consent", Consent.objects.bulk_create(consents))
    batch.counts.add("MentorProfile", MentorProfile.objects.bulk_create(mentor_profiles))
    batch.counts.add("MenteeProfile", MenteeProfile.objects.bulk_create(mentee_profiles))
    return mentor_profiles, mentee_profiles


def describe_banks(
    batch: Batch, mentor_profiles: list[MentorProfile], mentee_profiles: list[MenteeProfile]
) -> dict[int, list[Difficulty]]:
    """One to three competences of each mentor and difficulties of each mentee, drawn from the
    directions. Returns the difficulties by the mentee's person id."""
    rng, directions = batch.rng, batch.reference.directions
    competences, difficulties = [], []
    for profile in mentor_profiles:
        for direction in rng.sample(directions, rng.randint(1, 3)):
            competences.append(Competence(mentor=profile, direction=direction))
    for profile in mentee_profiles:
        for direction in rng.sample(directions, rng.randint(1, 3)):
            difficulties.append(
                Difficulty(mentee=profile, direction=direction, text=f"Затруднение: {direction}")
            )
    batch.counts.add("Competence", Competence.objects.bulk_create(competences))
    batch.counts.add("Difficulty", Difficulty.objects.bulk_create(difficulties))
    difficulties_of: dict = {}
    for difficulty in difficulties:
        difficulties_of.setdefault(difficulty.mentee.person_id, []).append(difficulty)
    return difficulties_of
