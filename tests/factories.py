"""Plain helpers that build the named people of the tests (STYLE.md «Tests»)."""

import importlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import count

from django.apps import apps
from django.utils import timezone

from registry.models import (
    DISSEMINATION_CATEGORIES,
    Consent,
    Direction,
    MenteeCategory,
    MenteeProfile,
    MentorProfile,
    Organization,
    Person,
    Position,
    Role,
    RoleAssignment,
    User,
)
from registry.services import agreements

_seq = count(1)


def seed_reference_lists() -> None:
    """The reference lists and the shared questionnaires, as the migrations seed them. A
    transactional test flushes every table at its end, these too, so the next transactional
    test of the worker seeds them again (the seeds only add what is missing)."""
    importlib.import_module("registry.migrations.0002_seed_reference_lists").seed(apps, None)
    importlib.import_module("reports.migrations.0002_seed_questionnaires").seed_questionnaires(
        apps, None
    )


def make_institution(name: str = "ГБДОУ детский сад № 64", **fields) -> Organization:
    return Organization.objects.create(
        name=fields.pop("full_name", f"{name} Невского района Санкт-Петербурга"),
        short_name=name,
        kind=Organization.Kind.KINDERGARTEN,
        **fields,
    )


def make_partner(institution: Organization, name: str = "Педагогический колледж № 4"):
    return Organization.objects.create(
        name=name, short_name=name, kind=Organization.Kind.COLLEGE, partner_of=institution
    )


def make_person(institution: Organization, last_name: str | None = None, **fields) -> Person:
    n = next(_seq)
    fields.setdefault("organization", institution)
    fields.setdefault("first_name", "Анна")
    fields.setdefault("patronymic", "Сергеевна")
    fields.setdefault("birth_date", date(1990, 1, 1 + n % 28))
    fields.setdefault("position", Position.objects.get(name="воспитатель"))
    return Person.objects.create(
        institution=institution, last_name=last_name or f"Тестова{n}", **fields
    )


def make_user(institution: Organization, username: str, *roles: str, person=None) -> User:
    user = User.objects.create_user(
        username=username, password="correct horse battery staple", institution=institution
    )
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role)
    if person is not None:
        person.user = user
        person.save()
    return user


# A consent to dissemination allowing every category (152-ФЗ ст. 10.1), unless a test says which.
ALL_ALLOWED = {f"allows_{code}": True for code in DISSEMINATION_CATEGORIES}


def give_consent(
    person: Person,
    kind: str = Consent.Kind.PROCESSING,
    on=date(2026, 9, 1),
    *,
    refused: tuple[str, ...] = (),
):
    """A consent; one to dissemination allows every category but the ``refused`` ones."""
    terms = {}
    if kind == Consent.Kind.DISSEMINATION:
        terms = {**ALL_ALLOWED, **{f"allows_{code}": False for code in refused}}
        terms["resource_url"] = "https://ds.example/nastavnichestvo/"
    return Consent.objects.create(person=person, kind=kind, given_on=on, **terms)


def sign_agreement(group, person, *, by, number: str = "", on: date | None = None):
    """The mentor's supplementary agreement (ТК РФ ст. 351.8) drafted and signed through the
    services, as the curator ``by`` does before the head approves the pair."""
    on = on or timezone.localdate()
    agreement = agreements.agreement_draft(
        group=group,
        mentor=person,
        user=by,
        content="Наставничество по программе пары.",
        starts_on=group.planned_start,
        ends_on=group.planned_end,
        pay_amount=Decimal("5000"),
    )
    return agreements.agreement_sign(
        agreement=agreement, number=number or f"ДС-{person.pk}", signed_on=on, user=by, today=on
    )


def make_mentee(person: Person, category: str = "молодой специалист со стажем до 3 лет"):
    give_consent(person)
    profile = MenteeProfile.objects.create(
        person=person, category=MenteeCategory.objects.get(name=category)
    )
    profile.difficulties.create(
        direction=Direction.objects.get(name="методическое"), text="Планирование НОД"
    )
    return profile


def make_mentor(person: Person):
    give_consent(person)
    profile = MentorProfile.objects.create(person=person, experience="15 лет воспитателем")
    profile.competences.create(direction=Direction.objects.get(name="методическое"))
    return profile


@dataclass
class World:
    """A kindergarten with a person in every role, and an outsider from another one."""

    institution: Organization
    partner: Organization
    head: User
    curator: User
    council: User
    sysadmin: User
    mentor: User
    mentee: User
    teacher: User
    outsider: User
    mentor_person: Person
    mentee_person: Person
    teacher_person: Person
    other_institution: Organization
    other_person: Person

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def build_world() -> World:
    institution = make_institution()
    partner = make_partner(institution)
    mentor_person = make_person(institution, "Петрова", first_name="Мария", patronymic="Ивановна")
    mentee_person = make_person(institution, "Иванова", first_name="Анна", patronymic="Сергеевна")
    teacher_person = make_person(institution, "Смирнова", first_name="Ольга")
    make_mentor(mentor_person)
    make_mentee(mentee_person)
    other = make_institution("ГБДОУ детский сад № 65")
    other_person = make_person(other, "Чужая")
    return World(
        institution=institution,
        partner=partner,
        head=make_user(institution, "head", Role.HEAD),
        curator=make_user(institution, "curator", Role.CURATOR),
        council=make_user(institution, "council", Role.COUNCIL),
        sysadmin=make_user(institution, "sysadmin", Role.SYSADMIN),
        mentor=make_user(institution, "mentor", person=mentor_person),
        mentee=make_user(institution, "mentee", person=mentee_person),
        teacher=make_user(institution, "teacher", person=teacher_person),
        outsider=make_user(other, "outsider", Role.CURATOR, Role.HEAD, Role.SYSADMIN),
        mentor_person=mentor_person,
        mentee_person=mentee_person,
        teacher_person=teacher_person,
        other_institution=other,
        other_person=other_person,
    )
