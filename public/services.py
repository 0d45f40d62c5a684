"""The public section «Наставничество» (п. 8.1, п. 8.2): what a visitor may see, gathered from
the registry when the page is opened, and the editing of the section's own texts, documents
and news by the curator and the sysadmin.

The rules of what appears, in one place:

- a section is visible only when it is published and has an address (``public_slug``);
- what a consent to dissemination (152-ФЗ ст. 10.1) allows, category by category: a participant
  of a program or a case is named only when their current consent allows the name and the
  participation in the program; a case's materials (photos among them) only when everyone's
  allows the photo too; the curator's position only when the curator's allows the position;
- best cases are practices the curator approved for publication, made from a completed program
  (п. 8.2; one described without a program stays in the bank, unpublished); a case names its
  participants only when every one of them has an active consent to dissemination, otherwise it
  is shown anonymized («наставник», «наставляемый педагог») and the names typed in its text are
  replaced by «наставник» / «наставница», «наставляемый» / «наставляемая» in the name's case, so
  the text stays grammatical;
- documents and news appear only when published (news: once its publication time has come); a
  document is a file, a link or its own text (the local acts, the Положение first);
- programs being carried out are the institution's ACTIVE programs, the unnamed participants
  counted without names;
- the curator is named only when their consent allows the name; the contacts are those typed on
  the section's contact page, never the bank's.

Consents are read on every request, so a withdrawn consent removes the name at once.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from mentoring_site.lib import morphology
from mentoring_site.lib.versions import check_version
from programs.models import Program
from registry.models import (
    Consent,
    GroupMember,
    NewsItem,
    Order,
    Organization,
    Person,
    PublicDocument,
    PublicSection,
    Role,
)
from registry.services.name_guard import publication_errors
from reports.models import Practice, PracticeMaterial
from roadmap.models import RoadmapVersion

# Paths of /nastavnichestvo/ that are not institutions.
RESERVED_SLUGS = {"low-vision", "manage", "static", "media", "admin"}

MENTOR_LABEL = "наставник"
MENTEE_LABEL = "наставляемый педагог"

NORMATIVE_LEVELS = [
    PublicDocument.Level.FEDERAL,
    PublicDocument.Level.REGIONAL,
    PublicDocument.Level.LOCAL,
]


# What naming a participant discloses: who they are and that they take part (152-ФЗ ст. 10.1).
PARTICIPANT_CATEGORIES = ("name", "participation")


# What two editors of one document or news item may overwrite in each other (the forms' fields).
DOCUMENT_FIELDS = ("level", "title", "note", "file", "link", "text", "is_published", "position")
NEWS_FIELDS = (
    "kind",
    "title",
    "text",
    "image",
    "image_alt",
    "photo_consents_confirmed",
    "status",
    "published_at",
)


def _consented(
    person_ref: str = "person", categories=PARTICIPANT_CATEGORIES, on: date | None = None
) -> Exists:
    """Whether the person's current consent to dissemination (152-ФЗ ст. 10.1) allows every one
    of ``categories``."""
    return Exists(
        Consent.objects.disseminating(*categories, on=on).filter(person=OuterRef(person_ref))
    )


# --- Sections ---------------------------------------------------------------------------------


def published_institutions():
    """Institutions whose section is switched on, by name (the index of /nastavnichestvo/)."""
    return Organization.objects.filter(
        partner_of__isnull=True,
        public_slug__isnull=False,
        public_section__is_published=True,
    ).order_by("short_name")


def published_institution(slug: str) -> Organization | None:
    """The institution behind a published section's address, or None."""
    return (
        published_institutions().select_related("public_section").filter(public_slug=slug).first()
    )


def section_for(institution: Organization) -> PublicSection:
    """The section of an institution, created empty (and unpublished) on first use."""
    section, _ = PublicSection.objects.get_or_create(institution=institution)
    return section


# --- Programs being carried out ---------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    role: str  # «наставник» / «наставляемый педагог»
    name: str | None  # None when the person has not consented to dissemination


@dataclass
class ProgramCard:
    directions: list[str]
    form: str
    kinds: list[str]
    start: date
    end: date
    named: list[Participant] = field(default_factory=list)
    unnamed_count: int = 0


def _members_queryset(*, current_only: bool = True):
    """Members with ``consented`` (152-ФЗ ст. 10.1). A case counts everyone who took part,
    a mentor replaced on the way too: their name may be in its text."""
    members = (
        GroupMember.objects.filter(left_on__isnull=True) if current_only else GroupMember.objects
    )
    return (
        members.select_related("person")
        .annotate(
            consented=_consented("person"),
            photo_allowed=_consented("person", ("photo",)),
        )
        # Mentors first («mentor», «co_mentor» after «mentee» alphabetically): see _participants.
        .order_by("id")
    )


def _label(member) -> str:
    return MENTEE_LABEL if member.role == GroupMember.Role.MENTEE else MENTOR_LABEL


def _participants(group) -> list[Participant]:
    """Mentors first, then mentees, each in the order they joined."""
    result = []
    members = sorted(group.members.all(), key=lambda m: m.role == GroupMember.Role.MENTEE)
    for member in members:
        result.append(
            Participant(_label(member), member.person.full_name if member.consented else None)
        )
    return result


def current_programs(institution: Organization) -> list[ProgramCard]:
    """Programs being carried out (п. 8.1), in a fixed number of queries."""
    programs = (
        Program.objects.filter(group__institution=institution, status=Program.Status.ACTIVE)
        .select_related("group__form")
        .prefetch_related(
            "group__directions",
            "group__kinds",
            Prefetch("group__members", queryset=_members_queryset()),
        )
        .order_by("start", "id")
    )
    cards = []
    for program in programs:
        group = program.group
        people = _participants(group)
        cards.append(
            ProgramCard(
                directions=[d.name for d in group.directions.all()],
                form=group.form.name,
                kinds=[k.name for k in group.kinds.all()],
                start=program.start,
                end=program.end,
                named=[p for p in people if p.name],
                unnamed_count=sum(1 for p in people if not p.name),
            )
        )
    return cards


# --- Results of completed programs, best cases ------------------------------------------------


@dataclass
class CaseCard:
    pk: int
    title: str
    summary: str
    direction: str
    approved_at: object
    tags: list[str]
    program_start: date | None
    program_end: date | None
    participants: list[Participant]
    named: bool
    materials: list = field(default_factory=list)

    @property
    def has_photos(self) -> bool:
        """Photos among the shown materials: published with the parents' consents, which
        approval required (reports.services.practices.practice_approve)."""
        return any(m.file.name.lower().endswith((".jpg", ".jpeg", ".png")) for m in self.materials)


ENDING = re.compile(r"[аяйоеиыуюь]+$", re.IGNORECASE)
# Initials are capitals even where a name is matched in any case («Ивановым.» is no «Иванов М.»).
INITIALS = r"(?-i:(?:[А-ЯЁA-Z]\.\s?){1,2})"


def _word(word: str, min_stem: int) -> str:
    """A name in any of its case forms: «Иванова» also as «Ивановой», «Иванову»."""
    stem = ENDING.sub("", word)
    return re.escape(stem) + r"\w{0,3}" if len(stem) >= min_stem else re.escape(word)


def _name_patterns(person: Person) -> list[str]:
    """Ways a name is written in a text, longest first: «Иванова Анна Сергеевна», «Анна
    Сергеевна Иванова», «Иванова А. С.», «А. С. Иванова», «Анна Сергеевна», «Ивановой»."""
    last = _word(person.last_name, 4)
    first = _word(person.first_name, 3) if person.first_name else ""
    patronymic = _word(person.patronymic, 3) if person.patronymic else ""
    space = r"\s+"
    patterns = []
    if first and patronymic:
        patterns += [
            space.join([last, first, patronymic]),
            space.join([first, patronymic, last]),
        ]
    if first:
        patterns += [space.join([last, first]), space.join([first, last])]
    patterns += [rf"{last}\s*{INITIALS}", rf"{INITIALS}\s*{last}"]
    if first and patronymic:
        patterns.append(space.join([first, patronymic]))
    patterns.append(last)
    return patterns


# The word that stands for a person in an anonymized text, by role and grammatical gender. It is
# put in the case of the name it replaces (mentoring_site/lib/morphology.py), so the sentence
# stays grammatical: «Ивановой понравилось» → «наставляемой понравилось», «Практика Петровой
# М. И.» → «Практика наставницы», «Иванов провёл» → «Наставляемый провёл».
MENTOR, MENTEE = "mentor", "mentee"
STAND_INS = {
    (MENTOR, "masc"): "наставник",
    (MENTOR, "femn"): "наставница",
    (MENTEE, "masc"): "наставляемый",
    (MENTEE, "femn"): "наставляемая",
}
# The cases a preposition right before a name allows.
_GENITIVE = ("без", "для", "до", "из", "от", "у", "около", "после", "кроме", "среди", "возле")
PREPOSITION_CASES = {
    **{word: {"gent"} for word in _GENITIVE},
    **{word: {"datv"} for word in ("к", "ко", "по", "благодаря")},
    **{word: {"loct"} for word in ("о", "об", "обо", "при")},
    **{word: {"ablt", "gent"} for word in ("с", "со")},
    **{word: {"accs", "loct"} for word in ("в", "во", "на")},
    **{word: {"accs", "ablt"} for word in ("за", "под", "подо")},
    **{word: {"ablt"} for word in ("над", "перед", "между")},
    **{word: {"accs"} for word in ("про", "через", "сквозь")},
}
# Without a preposition the prepositional case is impossible; the rest in the order of how often
# a name stands in them in a case's text.
CASE_ORDER = ("nomn", "datv", "accs", "gent", "ablt", "loct")
DROPPED = "\x00"  # a name dropped after its stand-in («с наставником Петровым»)
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+|\n\s*)$")


def grammatical_gender(person: Person) -> str:
    """«femn» or «masc», read from the patronymic, the first name or the surname."""
    for word in (person.patronymic, person.first_name, person.last_name):
        genders = {
            r.gender
            for r in morphology.readings(word or "-")
            if r.is_name and r.case == "nomn" and r.gender in ("masc", "femn")
        }
        if len(genders) == 1:
            return genders.pop()
    return "masc"


def _name_cases(name: str, gender: str) -> set[str]:
    """The cases every word of a written name (initials aside) may be in, for this gender."""
    cases = None
    for word in (w for w in morphology.words(name) if len(w) > 1):
        found = {r.case for r in morphology.readings(word) if r.is_name and r.gender == gender}
        found = found or {r.case for r in morphology.readings(word) if r.case}
        cases = found if cases is None else (cases & found or cases)
    return cases or {"nomn"}


def name_case(name: str, before: str, gender: str) -> str:
    """The case of ``name`` written after ``before``: the preposition right before it decides,
    a noun before it makes it agree (apposition) or a genitive («практика Ивановой»)."""
    cases = _name_cases(name, gender)
    previous = _WORD_BEFORE.search(before)
    if previous:
        word = previous.group(1).lower()
        if word in PREPOSITION_CASES:
            cases = cases & PREPOSITION_CASES[word] or cases
        else:
            noun_cases = {r.case for r in morphology.readings(word) if r.pos == "NOUN"}
            if cases & noun_cases:
                cases = cases & noun_cases
            elif noun_cases and "gent" in cases:
                cases = {"gent"}
            cases = cases - {"loct"} or cases
    else:
        cases = cases - {"loct"} or cases
    return next(case for case in CASE_ORDER if case in cases)


def anonymize(text: str, replacements: list[tuple[Person, str]]) -> str:
    """The text with every way of writing these people's names, in any case form, replaced by
    their role (``MENTOR`` or ``MENTEE``) in the name's case (a case is shown anonymized without
    consent to dissemination, 152-ФЗ ст. 10.1)."""
    for person, role in replacements:
        gender = grammatical_gender(person)
        stand_in = STAND_INS[(role, gender)]
        for pattern in _name_patterns(person):
            text = re.sub(
                rf"(?<!\w){pattern}(?!\w)",
                lambda match, stand_in=stand_in, gender=gender: _stand_in_for(
                    match, stand_in, gender
                ),
                text,
                flags=re.IGNORECASE,
            )
    # A name dropped after the same word takes its space with it; «об Ивановой» → «о
    # наставляемой»: every stand-in begins with a consonant.
    text = re.sub(rf"\s*{DROPPED}", "", text)
    return re.sub(r"(?<!\w)([Оо])бо?(\s+настав[лн])", r"\1\2", text)


def _stand_in_for(match, stand_in: str, gender: str) -> str:
    """The stand-in for one written name, in its case; nothing after the same word («с
    наставником Петровым» → «с наставником»); the sentence's full stop kept when the name's
    initials ended it."""
    before, after = match.string[: match.start()], match.string[match.end() :]
    previous = _WORD_BEFORE.search(before)
    ends_sentence = match.group(0).endswith(".") and (
        not after.strip() or re.match(r"\s+[А-ЯЁA-Z]", after)
    )
    if previous and morphology.normal_forms(previous.group(1)) & set(STAND_INS.values()):
        return DROPPED + ("." if ends_sentence else "")
    word = morphology.inflect(stand_in, name_case(match.group(0), before, gender))
    if _SENTENCE_START.search(before):
        word = word.capitalize()
    return word + ("." if ends_sentence else "")


def visible_cases():
    """Approved practices of a completed program (п. 8.2)."""
    return Practice.objects.filter(
        status=Practice.Status.APPROVED, program__status=Program.Status.COMPLETED
    )


def published_cases(institution: Organization) -> list[CaseCard]:
    """The best cases (п. 8.1, п. 8.2), in a fixed number of queries."""
    practices = (
        visible_cases()
        .filter(institution=institution)
        .select_related("direction", "program__group")
        .prefetch_related(
            Prefetch("program__group__members", queryset=_members_queryset(current_only=False)),
            Prefetch("materials", queryset=PracticeMaterial.objects.order_by("id")),
        )
        .order_by("-approved_at", "-id")
    )
    cards = []
    for practice in practices:
        program = practice.program
        members = list(program.group.members.all()) if program else []
        named = bool(members) and all(m.consented for m in members)
        hidden = [
            (m.person, MENTEE if m.role == GroupMember.Role.MENTEE else MENTOR)
            for m in members
            if not m.consented
        ]
        people = _participants(program.group) if program else []
        # Named only when everyone consented; otherwise nobody is (a case of two people with
        # one name shown tells who the other one is).
        participants = people if named else [Participant(p.role, None) for p in people]
        cards.append(
            CaseCard(
                pk=practice.pk,
                title=anonymize(practice.title, hidden),
                summary=anonymize(practice.summary, hidden),
                direction=practice.direction.name,
                approved_at=practice.approved_at,
                tags=[anonymize(tag, hidden) for tag in practice.tag_list],
                program_start=program.start if program else None,
                program_end=(program.finished_on or program.end) if program else None,
                participants=participants,
                named=named,
                # Materials may show people (photos, names in a summary): they are published
                # only with the case's names and everyone's photos allowed — or with no program.
                materials=(
                    list(practice.materials.all())
                    if not program or (named and all(m.photo_allowed for m in members))
                    else []
                ),
            )
        )
    return cards


def published_material(institution: Organization, pk: int) -> PracticeMaterial | None:
    """A material of a published case that the case page links to, or None."""
    material = (
        PracticeMaterial.objects.filter(
            pk=pk, practice__in=visible_cases().filter(institution=institution)
        )
        .select_related("practice__program")
        .first()
    )
    if material is None:
        return None
    program = material.practice.program
    if program is None:
        return material
    members = GroupMember.objects.filter(group_id=program.group_id)
    unconsented = members.exclude(
        person__in=Consent.objects.disseminating(*PARTICIPANT_CATEGORIES, "photo").values("person")
    )
    return material if members.exists() and not unconsented.exists() else None


# --- The curator ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CuratorContact:
    name: str | None
    position: str
    email: str
    phone: str
    text: str


def curator_contact(section: PublicSection) -> CuratorContact:
    """The curator of the system (п. 3.3) and how to reach them: the name only when the curator's
    consent to dissemination allows it; the position typed on the contact page is the named
    curator's, so it is shown only when their consent allows the position too (with nobody named
    it is the institution's contact, as typed); contacts only as typed on the contact page."""
    people = list(
        Person.objects.filter(
            institution=section.institution_id,
            user__is_active=True,
            user__role_assignments__role=Role.CURATOR,
        )
        .filter(_consented("pk", ("name",)))
        .annotate(position_allowed=_consented("pk", ("position",)))
        .order_by("last_name", "first_name")
    )
    names = [p.full_name for p in people]
    position_shown = all(p.position_allowed for p in people)
    return CuratorContact(
        name=", ".join(names) or None,
        position=position_without_role(section.contact_position) if position_shown else "",
        email=section.contact_email,
        phone=section.contact_phone,
        text=section.contacts,
    )


def position_without_role(position: str) -> str:
    """The curator's position without the role the page already names: «старший воспитатель,
    куратор наставничества» → «старший воспитатель»."""
    kept = [part for part in position.split(",") if not part.strip().lower().startswith("куратор")]
    return ",".join(kept).strip(" ,")  # the rest stays as typed


# --- Documents and local acts -----------------------------------------------------------------


def published_documents(institution: Organization, levels) -> dict[str, list[PublicDocument]]:
    """Published documents of these levels, grouped by level in the order given."""
    grouped = {level: [] for level in levels}
    for document in PublicDocument.objects.filter(
        institution=institution, is_published=True, level__in=levels
    ):
        grouped[document.level].append(document)
    return grouped


def public_orders(institution: Organization):
    """Signed orders the head marked for publication (п. 8.1: the local normative base)."""
    return Order.objects.filter(
        institution=institution, status=Order.Status.SIGNED, is_public=True
    ).order_by("-date", "-id")


def approved_roadmaps(institution: Organization) -> list[RoadmapVersion]:
    """The latest approved version of each year's roadmap (п. 3.2): the text the head approved
    by order, which the order itself tells to publish in the section (п. 8.1)."""
    latest = {}
    for version in (
        RoadmapVersion.objects.filter(roadmap__institution=institution)
        .select_related("roadmap", "order")
        .order_by("-roadmap__year_start", "-number")
    ):
        latest.setdefault(version.roadmap_id, version)
    return list(latest.values())


@dataclass(frozen=True)
class RoadmapActivity:
    title: str
    starts_on: date | None
    deadline: date
    expected_result: str


def public_roadmap(institution: Organization, year_start: int):
    """(version, stages) of the roadmap approved for that academic year, or None. Stages are
    (number, title, activities) without the responsible people: the approved text names them,
    and they have not all consented to dissemination."""
    version = (
        RoadmapVersion.objects.filter(
            roadmap__institution=institution, roadmap__year_start=year_start
        )
        .select_related("roadmap", "order")
        .order_by("-number")
        .first()
    )
    if version is None:
        return None
    stages = [
        (
            stage["number"],
            stage["title"],
            [
                RoadmapActivity(
                    title=a["title"],
                    starts_on=date.fromisoformat(a["starts_on"]) if a.get("starts_on") else None,
                    deadline=date.fromisoformat(a["deadline"]),
                    expected_result=a.get("expected_result", ""),
                )
                for a in stage["activities"]
            ],
        )
        for stage in version.snapshot.get("stages", [])
    ]
    return version, stages


def published_document(institution: Organization, pk: int) -> PublicDocument | None:
    """A published document with a file (served by the section), or None."""
    return (
        PublicDocument.objects.filter(institution=institution, pk=pk, is_published=True)
        .exclude(file="")
        .first()
    )


def published_text(institution: Organization, pk: int) -> PublicDocument | None:
    """A published document that carries its own text (a local act such as the Положение), or
    None."""
    return (
        PublicDocument.objects.filter(institution=institution, pk=pk, is_published=True)
        .exclude(text="")
        .filter(file="", link="")
        .first()
    )


# --- News -------------------------------------------------------------------------------------


def visible_news(institution: Organization, now=None):
    """Published news whose publication time has come, newest first."""
    return NewsItem.objects.filter(
        institution=institution,
        status=NewsItem.Status.PUBLISHED,
        published_at__lte=now or timezone.now(),
    ).order_by("-published_at", "-id")


# --- Editing ----------------------------------------------------------------------------------


@transaction.atomic
def section_settings_save(
    *, section: PublicSection, institution: Organization, slug: str | None
) -> PublicSection:
    """The address and the switch of the section, and the curator's public contacts."""
    institution.public_slug = slug or None
    if section.is_published and not institution.public_slug:
        raise ValidationError(
            {"is_published": "Чтобы опубликовать раздел, задайте его адрес латинскими буквами."}
        )
    if section.is_published:
        pages = {page: getattr(section, page) for page in ("about", "recommendations", "contacts")}
        named = publication_errors(institution=institution, texts=pages)
        if named:
            labels = ", ".join(
                f"«{PublicSection._meta.get_field(page).verbose_name}»" for page in named
            )
            raise ValidationError(
                {
                    "is_published": f"Раздел не опубликован: на страницах {labels} — "
                    + " ".join(named.values())
                }
            )
    institution.full_clean()
    institution.save(update_fields=["public_slug"])
    section.full_clean()
    section.save()
    return section


PHOTO_CONSENTS = (
    "Отметьте, что согласия родителей (законных представителей) детей на фото получены: "
    "без них изображение не публикуется."
)


def _refuse_unconsented_names(institution: Organization, texts: dict[str, str], **more) -> None:
    """The guard of every published text (registry.services.name_guard), with the caller's
    other refusals (``more``: field → message), all at once next to their fields."""
    errors = {**publication_errors(institution=institution, texts=texts), **more}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def section_text_save(
    *, section: PublicSection, page: str, text: str, version: str | None = None
) -> PublicSection:
    """A page's text is what visitors read: it names nobody without consent (ст. 10.1).
    Refused (``StaleVersion``) when someone saved the page since ``version``."""
    current = PublicSection.objects.select_for_update().get(pk=section.pk)
    check_version(current, version, (page,))
    _refuse_unconsented_names(section.institution, {page: text})
    setattr(section, page, text)
    section.full_clean()
    section.save(update_fields=[page, "updated_at"])
    return section


@transaction.atomic
def document_save(
    *, document: PublicDocument, institution: Organization, version: str | None = None
) -> PublicDocument:
    if document.pk is not None:
        current = PublicDocument.objects.select_for_update().get(pk=document.pk)
        check_version(current, version, DOCUMENT_FIELDS)
    document.institution = institution
    if document.file and document.link:
        raise ValidationError({"link": "Укажите либо файл, либо ссылку: не то и другое сразу."})
    if document.text.strip() and (document.file or document.link):
        raise ValidationError(
            {"text": "Документ — это файл, ссылка или текст: оставьте что-то одно."}
        )
    if document.is_published:
        _refuse_unconsented_names(
            institution,
            {"title": document.title, "note": document.note, "text": document.text},
        )
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_delete(*, document: PublicDocument) -> None:
    stored = document.file.name if document.file else ""
    storage = document.file.storage
    document.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def news_save(
    *, news: NewsItem, institution: Organization, user, version: str | None = None
) -> NewsItem:
    if news.pk is not None:
        current = NewsItem.objects.select_for_update().get(pk=news.pk)
        check_version(current, version, NEWS_FIELDS)
    news.institution = institution
    if news.created_by_id is None:
        news.created_by = user
    if not news.image:
        news.image_alt = ""
        news.photo_consents_confirmed = False
    elif not news.image_alt.strip():
        raise ValidationError(
            {"image_alt": "Опишите, что на изображении: это прочтут те, кто его не видит."}
        )
    if news.status == NewsItem.Status.PUBLISHED:
        photo = bool(news.image) and not news.photo_consents_confirmed
        _refuse_unconsented_names(
            institution,
            {"title": news.title, "text": news.text, "image_alt": news.image_alt},
            **({"photo_consents_confirmed": PHOTO_CONSENTS} if photo else {}),
        )
    news.full_clean()
    news.save()
    return news


@transaction.atomic
def news_delete(*, news: NewsItem) -> None:
    stored = news.image.name if news.image else ""
    storage = news.image.storage
    news.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
