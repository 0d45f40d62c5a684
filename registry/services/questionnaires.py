"""Questionnaires teachers fill in themselves (Приложение 2, этапы 2.1 и 3.1) and their review.

A teacher sends a questionnaire; the curator accepts it into the bank of mentees or mentors
or rejects it with a comment. Only a questionnaire waiting for review can be decided, and
nobody enters a bank without a processing consent in force (152-ФЗ, ст. 9).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.trail import log_created
from registry.models import (
    Competence,
    Consent,
    Difficulty,
    Direction,
    MenteeCategory,
    MenteeProfile,
    MentoringForm,
    MentoringKind,
    MentorProfile,
    Person,
    SelfQuestionnaire,
)
from registry.services.people import person_review

ALREADY_REVIEWED = "Анкета уже рассмотрена: принять или отклонить её ещё раз нельзя."
NO_CONSENT = (
    "Нет действующего согласия на обработку персональных данных (152-ФЗ, ст. 9): "
    "включить в банк нельзя. Внесите согласие на странице участника."
)


def _has_processing_consent(person: Person) -> bool:
    return Consent.objects.active().filter(person=person, kind=Consent.Kind.PROCESSING).exists()


@transaction.atomic
def questionnaire_submit(*, person: Person, kind: str, answers: dict, user) -> SelfQuestionnaire:
    """Creates the questionnaire waiting for review, or updates the one already waiting.
    The consent ticked in the questionnaire is recorded when the person has none in force."""
    questionnaire = (
        SelfQuestionnaire.objects.select_for_update()
        .filter(person=person, kind=kind, status=SelfQuestionnaire.Status.SUBMITTED)
        .first()
    ) or SelfQuestionnaire(person=person, kind=kind)
    questionnaire.answers = answers
    questionnaire.submitted_at = timezone.now()
    questionnaire.full_clean()
    questionnaire.save()
    # A consent not yet withdrawn but dated in the future blocks a second one (one per kind).
    pending_or_active = Consent.objects.filter(
        person=person, kind=Consent.Kind.PROCESSING, withdrawn_on__isnull=True
    ).exists()
    if not pending_or_active and not _has_processing_consent(person):
        consent = Consent(
            person=person,
            kind=Consent.Kind.PROCESSING,
            method=Consent.Method.ONLINE,
            given_on=timezone.localdate(),
            note="Дано в анкете в личном кабинете",
            recorded_by=user,
        )
        consent.full_clean()
        consent.save()
    return questionnaire


def _locked_waiting(questionnaire: SelfQuestionnaire) -> SelfQuestionnaire:
    """The questionnaire re-read under a row lock; refuses one already decided."""
    locked = SelfQuestionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.status != SelfQuestionnaire.Status.SUBMITTED:
        raise ValidationError(ALREADY_REVIEWED)
    return locked


def _mark_reviewed(questionnaire: SelfQuestionnaire, *, status: str, user, comment: str = ""):
    questionnaire.status = status
    questionnaire.reviewed_at = timezone.now()
    questionnaire.reviewed_by = user
    questionnaire.review_comment = comment
    questionnaire.full_clean()
    questionnaire.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_comment"])


def _existing(model, entries) -> list:
    """Reference items the answers name, by id; items deleted since are skipped."""
    ids = [entry["id"] for entry in entries or []]
    return list(model.objects.filter(pk__in=ids)) if ids else []


def _directions(rows) -> dict[int, Direction]:
    ids = [row["direction_id"] for row in rows or []]
    return Direction.objects.in_bulk(ids) if ids else {}


def _accept_mentee_request(person: Person, answers: dict) -> MenteeProfile:
    """Этап 2.2: the request enters the mentee bank. An empty answer keeps what the bank
    already holds; requests are added next to the ones the curator recorded."""
    category_id = (answers.get("category") or {}).get("id")
    category = MenteeCategory.objects.filter(pk=category_id).first()
    profile = MenteeProfile.objects.filter(person=person).first()
    if profile is None:
        if category is None:
            raise ValidationError(
                "Категории из анкеты больше нет в справочнике: включите участника в банк "
                "вручную на его странице."
            )
        profile = MenteeProfile(person=person)
    if category is not None:
        profile.category = category
    if answers.get("strengths"):
        profile.strengths = answers["strengths"]
    if answers.get("preferred_mode"):
        profile.preferred_mode = answers["preferred_mode"]["value"]
    profile.full_clean()
    profile.save()
    forms = _existing(MentoringForm, answers.get("preferred_forms"))
    if forms:
        profile.preferred_forms.set(forms)
    kinds = _existing(MentoringKind, answers.get("preferred_kinds"))
    if kinds:
        profile.preferred_kinds.set(kinds)
    rows = answers.get("difficulties") or []
    directions = _directions(rows)
    known = set(profile.difficulties.values_list("direction_id", "text"))
    new = []
    for row in rows:
        direction = directions.get(row["direction_id"])
        if direction is None or (direction.pk, row["text"]) in known:
            continue
        difficulty = Difficulty(
            mentee=profile, kind=Difficulty.Kind.REQUEST, direction=direction, text=row["text"]
        )
        difficulty.full_clean()
        new.append(difficulty)
    Difficulty.objects.bulk_create(new)
    log_created(new)
    return profile


def _accept_mentor(person: Person, answers: dict) -> MentorProfile:
    """Этап 3.2: the potential mentor enters the mentor bank. An empty answer keeps what
    the bank already holds; one competence per direction is updated or added."""
    profile = MentorProfile.objects.filter(person=person).first() or MentorProfile(person=person)
    for field in ("experience", "awards", "training_note"):
        if answers.get(field):
            setattr(profile, field, answers[field])
    if answers.get("capacity"):
        profile.capacity = answers["capacity"]
    if answers.get("training_completed_on"):
        profile.training_completed_on = answers["training_completed_on"]
    profile.full_clean()
    profile.save()
    forms = _existing(MentoringForm, answers.get("ready_forms"))
    if forms:
        profile.ready_forms.set(forms)
    kinds = _existing(MentoringKind, answers.get("ready_kinds"))
    if kinds:
        profile.ready_kinds.set(kinds)
    rows = answers.get("competences") or []
    directions = _directions(rows)
    for row in rows:
        direction = directions.get(row["direction_id"])
        if direction is None:
            continue
        competence, created = Competence.objects.get_or_create(
            mentor=profile, direction=direction, defaults={"text": row["text"]}
        )
        if not created and row["text"] and competence.text != row["text"]:
            competence.text = row["text"]
            competence.full_clean()
            competence.save(update_fields=["text"])
    return profile


@transaction.atomic
def questionnaire_accept(*, questionnaire: SelfQuestionnaire, user) -> SelfQuestionnaire:
    """The curator accepts a questionnaire into the bank (этапы 2.2, 3.2) and thereby brings
    the person's entry up to date (п. 3.3). Raises ValidationError when it cannot be accepted;
    then nothing changes."""
    questionnaire = _locked_waiting(questionnaire)
    person = Person.objects.select_for_update().get(pk=questionnaire.person_id)
    if not _has_processing_consent(person):
        raise ValidationError(NO_CONSENT)
    if questionnaire.kind == SelfQuestionnaire.Kind.MENTEE_REQUEST:
        _accept_mentee_request(person, questionnaire.answers)
    else:
        _accept_mentor(person, questionnaire.answers)
    _mark_reviewed(questionnaire, status=SelfQuestionnaire.Status.ACCEPTED, user=user)
    person_review(person=person, user=user)
    questionnaire.person = person
    return questionnaire


@transaction.atomic
def questionnaire_reject(
    *, questionnaire: SelfQuestionnaire, user, comment: str
) -> SelfQuestionnaire:
    """The curator turns a questionnaire down with a comment the teacher will read."""
    if not comment.strip():
        raise ValidationError({"comment": "Напишите, почему анкета отклонена."})
    questionnaire = _locked_waiting(questionnaire)
    _mark_reviewed(
        questionnaire, status=SelfQuestionnaire.Status.REJECTED, user=user, comment=comment
    )
    return questionnaire
