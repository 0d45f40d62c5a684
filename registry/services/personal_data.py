"""The operator's duties to the person (152-ФЗ): what the registry keeps about them (ст. 14)
and the destruction of their data after the processing consent is withdrawn (ст. 21 ч. 5).

Destruction here is anonymization (ст. 3 п. 9): the person's record stays so that the counts of
the monitoring and the final report do not change (п. 7.3, DOMAIN.md §5), but nothing left in it
tells who the person was. What stays is listed in ``KEPT_FOR_STATISTICS``; the signed orders
that name the person are documents of the institution kept under the archival rules and are not
touched (ст. 21 ч. 5: «если иное не предусмотрено федеральным законом»).
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from audit import trail
from audit.history import ACTION_LABELS
from audit.models import LogEntry
from programs.models import Program
from registry.models import (
    Competence,
    Consent,
    DestructionAct,
    Difficulty,
    EmailChange,
    GroupMember,
    InvitationCode,
    MenteeProfile,
    MentoringGroup,
    MentorProfile,
    Person,
    RoleAssignment,
    SelfQuestionnaire,
)
from registry.models import Consent as ConsentModel
from registry.models.personal_data import three_years_after
from registry.services import erasure as erasing
from registry.services import subject_records
from registry.services.accounts import _end_sessions
from registry.services.notifications import notify
from reports.models import GrowthRecord

# ст. 21 ч. 5: thirty days from the withdrawal at the latest. The daily command anonymizes a
# person this many days after the withdrawal (a mistaken withdrawal can still be corrected in
# the first days), well inside the limit even with the backups' retention (docs/operations.md).
GRACE_DAYS = getattr(settings, "PERSONAL_DATA_GRACE_DAYS", 7)
LEGAL_LIMIT_DAYS = 30

SYSTEM_NAME = "Реестр системы (целевой модели) наставничества педагогических работников"
METHOD = (
    "обезличивание записи в базе данных (замена ФИО, удаление контактов и текстов) "
    "и удаление файлов с хранилища"
)
DESTROYED_CATEGORIES = [
    "фамилия, имя, отчество",
    "дата рождения",
    "адрес электронной почты, номер телефона",
    "сведения об образовании (учебное заведение, специальность)",
    "дата аттестации",
    "учётная запись (логин, имя, адрес электронной почты)",
    "затруднения, запросы, сильные стороны, опыт, награды, компетенции (тексты)",
    "ответы анкет участника и комментарии к ним",
    "названия и результаты достижений",
    "комментарии к участию в группах",
    "сканы подписанных согласий",
    "упоминания субъекта (фамилия, имя, отчество в любом падеже, инициалы, телефон, адрес "
    "электронной почты, дата рождения) во всех текстах реестра: программы и их история, "
    "события групп, комментарии, отчёты, уведомления и письма, новости, практики, страницы "
    "публичного раздела, записанные значения журнала изменений",
    "подтверждающие файлы и материалы, загруженные субъектом или называющие его",
    "письма субъекту в очереди почты (адрес и текст)",
]
# What stays in the anonymized record, and why: the indicators of the monitoring need it.
KEPT_FOR_STATISTICS = [
    "должность, категория наставляемого, квалификационная категория, уровень образования",
    "стаж (общий, педагогический, в должности), даты приёма и увольнения",
    "участие в группах и программах (роль, сроки), виды и даты достижений",
    "даты и виды согласий",
]
ANONYMIZED_LAST_NAME = "Обезличенный участник"


class PersonalDataError(ValidationError):
    pass


# ---------------------------------------------------------------- ст. 14: what is kept


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def _fields(instance, names: list[str]) -> list[tuple[str, str]]:
    """(label, shown value) of the named fields, with the choices' Russian labels."""
    rows = []
    for name in names:
        field = instance._meta.get_field(name)
        if field.choices:
            value = getattr(instance, f"get_{name}_display")()
        elif field.many_to_many:
            value = ", ".join(str(item) for item in getattr(instance, name).all())
        else:
            value = getattr(instance, name)
        rows.append((str(field.verbose_name).capitalize(), _value(value)))
    return rows


def _section(title: str, rows: list) -> dict:
    return {"title": title, "rows": rows}


def _last_login(user) -> str:
    if not user.last_login:
        return "—"
    return timezone.localtime(user.last_login).strftime("%d.%m.%Y %H:%M")


def _account_section(person: Person) -> dict | None:
    user = person.user
    if user is None:
        return None
    roles = ", ".join(ra.get_role_display() for ra in RoleAssignment.objects.filter(user=user))
    return _section(
        "Учётная запись",
        [
            ("Логин", user.username),
            ("E-mail", _value(user.email)),
            ("Назначенные роли", roles or "—"),
            ("Последний вход", _last_login(user)),
            ("Учётная запись действует", _value(user.is_active)),
        ],
    )


MENTEE_FIELDS = [
    "category",
    "status",
    "strengths",
    "preferred_forms",
    "preferred_kinds",
    "preferred_mode",
    "support_note",
]


def _mentee_section(person: Person) -> dict | None:
    mentee = (
        MenteeProfile.objects.filter(person=person)
        .select_related("category")
        .prefetch_related("preferred_forms", "preferred_kinds", "difficulties__direction")
        .first()
    )
    if mentee is None:
        return None
    difficulties = [
        (f"{d.get_kind_display().capitalize()} ({d.direction})", d.text)
        for d in mentee.difficulties.all()
    ]
    return _section("Банк наставляемых", _fields(mentee, MENTEE_FIELDS) + difficulties)


def _mentor_section(person: Person) -> dict | None:
    mentor = (
        MentorProfile.objects.filter(person=person)
        .prefetch_related("ready_forms", "ready_kinds", "competences__direction")
        .first()
    )
    if mentor is None:
        return None
    competences = [
        (f"Компетенция ({c.direction})", _value(c.text)) for c in mentor.competences.all()
    ]
    return _section("Банк наставников", _fields(mentor, MentorProfile.DETAILS) + competences)


def _consent_text(consent) -> str:
    return (
        f"дано {consent.given_on:%d.%m.%Y} ({consent.get_method_display()})"
        + (f", отозвано {consent.withdrawn_on:%d.%m.%Y}" if consent.withdrawn_on else "")
        + (", скан хранится" if consent.scan else "")
        + "".join(
            f"; {words}: {'разрешаю' if allowed else 'не разрешаю'}"
            for words, allowed in consent.categories
            if consent.kind == ConsentModel.Kind.DISSEMINATION
        )
        + (f"; условия и запреты: {consent.conditions}" if consent.conditions else "")
        + (f"; сайт: {consent.resource_url}" if consent.resource_url else "")
    )


def _consents_section(person: Person) -> dict:
    return _section(
        "Согласия",
        [(c.get_kind_display().capitalize(), _consent_text(c)) for c in person.consents.all()],
    )


def _questionnaire_row(questionnaire) -> tuple[str, str]:
    q = questionnaire
    title = (
        f"{q.get_kind_display()} от {timezone.localtime(q.submitted_at):%d.%m.%Y}"
        f" ({q.get_status_display()})"
    )
    answers = "; ".join(f"{key}: {_value(val)}" for key, val in q.answers.items())
    return title, answers or "—"


def _questionnaires_section(person: Person) -> dict:
    return _section("Анкеты", [_questionnaire_row(q) for q in person.questionnaires.all()])


def _membership_text(member) -> str:
    m = member
    return (
        f"{m.get_role_display()}; {m.get_response_display()}"
        + (f"; в группе с {m.joined_on:%d.%m.%Y}" if m.joined_on else "")
        + (f" по {m.left_on:%d.%m.%Y}" if m.left_on else "")
        + (f"; комментарий: {m.response_comment}" if m.response_comment else "")
    )


def _memberships_section(person: Person) -> dict:
    memberships = person.memberships.select_related("group__form").order_by("-id")
    return _section(
        "Участие в группах наставничества",
        [(f"Группа № {m.group_id}, {m.group.form}", _membership_text(m)) for m in memberships],
    )


def _programs_section(person: Person) -> dict:
    programs = Program.objects.filter(group__members__person=person).distinct().order_by("-id")
    return _section(
        "Персонализированные программы",
        [(f"Программа № {p.pk}", _value(p)) for p in programs],
    )


def _growth_section(person: Person) -> dict:
    return _section(
        "Профессиональный рост",
        [
            (
                f"{g.get_kind_display().capitalize()}, {g.date:%d.%m.%Y}",
                " — ".join(part for part in (g.title, g.result) if part),
            )
            for g in GrowthRecord.objects.filter(person=person)
        ],
    )


def subject_data(person: Person) -> dict:
    """Everything the registry keeps about the person, in sections, for the page, the PDF and
    the file (ст. 14 ч. 7). A fixed number of queries whatever the person's history."""

    person = Person.objects.select_related("organization", "position", "institution", "user").get(
        pk=person.pk
    )
    sections = [
        _section("Сведения об участнике", _fields(person, Person.DETAILS)),
        _account_section(person),
        _mentee_section(person),
        _mentor_section(person),
        _consents_section(person),
        _questionnaires_section(person),
        _memberships_section(person),
        _programs_section(person),
        _growth_section(person),
        *subject_records.record_sections(person),
    ]
    return {
        "person": person,
        "operator": person.institution,
        "sections": [section for section in sections if section is not None],
        "generated_at": timezone.localtime(),
    }


def subject_data_json(data: dict) -> dict:
    """The same content as plain JSON-ready values (the file of ст. 14)."""
    return {
        "operator": data["operator"].name,
        "generated_at": data["generated_at"].isoformat(timespec="seconds"),
        "legal_basis": (
            "Федеральный закон от 27.07.2006 № 152-ФЗ «О персональных данных», ст. 14; "
            "Трудовой кодекс РФ, ст. 351.8"
        ),
        "sections": [
            {"title": s["title"], "rows": [{"field": k, "value": v} for k, v in s["rows"]]}
            for s in data["sections"]
        ],
    }


# ---------------------------------------------------------------- ст. 21: anonymization


def withdrawal_date(person: Person) -> date | None:
    """The day the person's processing stopped: the latest withdrawal of the processing consent,
    when no processing consent is in force now."""
    consents = [c for c in person.consents.all() if c.kind == Consent.Kind.PROCESSING]
    if not consents or any(c.withdrawn_on is None for c in consents):
        return None
    return max(c.withdrawn_on for c in consents)


def awaiting_anonymization():
    """People whose processing consent is withdrawn (and not given again), not yet anonymized;
    ``withdrawn`` is the day of the latest withdrawal."""
    active = Consent.objects.filter(
        person=OuterRef("pk"), kind=Consent.Kind.PROCESSING, withdrawn_on__isnull=True
    )
    return (
        Person.objects.filter(anonymized_on__isnull=True)
        .annotate(
            withdrawn=Max(
                "consents__withdrawn_on", filter=Q(consents__kind=Consent.Kind.PROCESSING)
            )
        )
        .filter(withdrawn__isnull=False)
        .exclude(Exists(active))
        .order_by("withdrawn", "pk")
    )


def due_for_anonymization(on: date, *, grace_days: int = GRACE_DAYS):
    """Those of them whose withdrawal is at least ``grace_days`` old on ``on``."""
    return awaiting_anonymization().filter(withdrawn__lte=on - timedelta(days=grace_days))


def pending_anonymization(institution):
    """The institution's people waiting for anonymization, for the curator's attention, with
    the last day the law allows."""
    people = awaiting_anonymization().filter(institution=institution)
    return [
        (person, person.withdrawn + timedelta(days=LEGAL_LIMIT_DAYS))
        for person in people.only("pk", "last_name", "first_name", "patronymic", "anonymized_on")
    ]


def _next_act_number(institution) -> int:
    last = (
        DestructionAct.objects.select_for_update()
        .filter(institution=institution)
        .aggregate(n=Max("number"))["n"]
    )
    return (last or 0) + 1


def _leave_open_groups(person: Person, on: date) -> list:
    """With the processing stopped the person can take no further part: they leave the pairs
    and groups still open on ``on`` (left_on, recorded in the audit trail), and each group's
    curator is told to replace them or to end the program (п. 7.1 of the regulation); the
    registry decides neither. Returns the groups left."""

    memberships = GroupMember.objects.filter(
        person=person, left_on__isnull=True, group__status__in=MentoringGroup.OPEN_STATUSES
    )
    groups = list(
        MentoringGroup.objects.filter(members__in=memberships).select_related("curator").distinct()
    )
    trail.update_logged(memberships, left_on=on)
    for group in groups:  # a person is in one or two open groups at most
        notify(
            users=[group.curator],
            text=f"Участник № {person.pk} отозвал согласие на обработку персональных данных; "
            f"его данные обезличены, и он выбыл из группы № {group.pk}. Замените участника "
            "или прекратите программу (п. 7.1 Положения).",
            url=reverse("registry:group-detail", args=[group.pk]),
        )
    return groups


@transaction.atomic
def person_anonymize(*, person: Person, user=None, on: date | None = None) -> DestructionAct:
    """Anonymizes the person after the withdrawal of the processing consent and records the
    act of destruction. ``user`` is who did it (None for the daily command)."""

    on = on or timezone.localdate()
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("institution", "user")
        .get(pk=person.pk)
    )
    if person.anonymized_on is not None:
        raise PersonalDataError(f"Данные участника уже обезличены {person.anonymized_on:%d.%m.%Y}.")
    withdrawn_on = withdrawal_date(person)
    if withdrawn_on is None:
        raise PersonalDataError(
            "Согласие на обработку персональных данных не отозвано: обезличивать нельзя."
        )
    first_entry = LogEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    # Read before the name and the contacts are cleared: every form of them, to find them in
    # the texts others wrote.
    mentions = erasing.erasure_for(person)
    programs = list(Program.objects.filter(group__members__person=person).distinct())
    subject_name = person.full_name
    if person.birth_date:
        subject_name += f", {person.birth_date:%d.%m.%Y} г. р."

    # Files first collected, deleted from storage only after the commit.
    scans = list(person.consents.exclude(scan="").values_list("scan", flat=True))
    person.consents.exclude(scan="").update(scan="")
    # The signed forms of decisions given on paper (issue 16): the decisions stay, not the scans.
    paper_scans = list(person.paper_decisions.exclude(scan="").values_list("scan", flat=True))
    person.paper_decisions.exclude(scan="").update(scan="", scan_destroyed_on=on)
    person.paper_decisions.update(comment="")
    # Processing has stopped: dissemination and mentoring consents stop with it.
    person.consents.filter(withdrawn_on__isnull=True).update(withdrawn_on=on, withdrawn_by=user)

    MenteeProfile.objects.filter(person=person).update(strengths="", support_note="")
    Difficulty.objects.filter(mentee__person=person).update(text="обезличено")
    MentorProfile.objects.filter(person=person).update(experience="", awards="", training_note="")
    Competence.objects.filter(mentor__person=person).update(text="")
    SelfQuestionnaire.objects.filter(person=person).update(answers={}, review_comment="")
    person.memberships.update(response_comment="")
    GrowthRecord.objects.filter(person=person).update(title="обезличено", result="")
    _leave_open_groups(person, on)
    letters = erasing.delete_letters(account=person.user, email=person.email)
    files = erasing.delete_files(mentions, account=person.user, programs=programs)
    documents = erasing.withdraw_documents(mentions, institution=person.institution)

    account = person.user
    person.last_name = ANONYMIZED_LAST_NAME
    person.first_name = f"№ {person.pk}"
    person.patronymic = ""
    person.birth_date = None
    person.email = ""
    person.phone = ""
    person.education = ""
    person.attestation_date = None
    person.user = None
    person.anonymized_on = on
    person.save()

    # A waiting change of the e-mail address keeps neither address; a login's open invitation
    # code is closed (the login itself is closed below).
    EmailChange.objects.filter(person=person).update(old_email="", new_email="")

    if account is not None:
        trail.update_logged(
            InvitationCode.objects.filter(
                user=account, used_at__isnull=True, revoked_at__isnull=True
            ),
            revoked_at=timezone.now(),
        )
        RoleAssignment.objects.filter(user=account).delete()
        account.username = f"anonymized-{account.pk}"
        account.first_name = ""
        account.last_name = ""
        account.email = ""
        account.is_active = False
        account.set_unusable_password()
        account.save()
        _end_sessions(account)

    # The extract reads the fields changed so far before the scrub empties their entries.
    extract = log_extract(since=first_entry, actor=user)
    scrubbed_up_to = LogEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    trail.scrub_person(person)
    if account is not None:
        trail.scrub_user(account)
    rewritten = erasing.rewrite_everywhere(mentions, actor=user)
    if letters:
        rewritten.rows["письма субъекту (удалены)"] = letters

    institution = type(person.institution).objects.get(pk=person.institution_id)  # rewritten
    act = DestructionAct.objects.create(
        institution=institution,
        number=_next_act_number(institution),
        subject_name=subject_name,
        person=person,
        categories=DESTROYED_CATEGORIES,
        system=f"{SYSTEM_NAME} ({institution.short_name})",
        method=METHOD,
        reason=DestructionAct.Reason.CONSENT_WITHDRAWN,
        consent_withdrawn_on=withdrawn_on,
        destroyed_on=on,
        files_deleted=len(scans) + len(paper_scans) + len(files.files) + len(documents.files),
        performed_by=user,
        keep_until=three_years_after(on),
        texts_rewritten=rewritten.rows,
        log_extract=extract + log_extract(since=scrubbed_up_to, actor=user),
    )
    erasing.delete_after_commit(files.storage_files + documents.storage_files)

    if scans or paper_scans:
        storage = ConsentModel._meta.get_field("scan").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in scans + paper_scans])
    return act


def _field_label(model, name: str) -> str:
    if model is None:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a key of a bulk entry («обезличивание») or a gone field
        return name


def log_extract(*, since: int, actor=None) -> list[dict]:
    """The extract from the event log for the act (Приказ Роскомнадзора № 179): the trail's
    entries written by ``actor`` (None: the daily task) after entry ``since``, grouped by kind
    of record, action and fields, with the time, who and how many, never a value. One query."""
    entries = (
        LogEntry.objects.filter(pk__gt=since, actor=actor)
        .select_related("content_type", "actor")
        .order_by("pk")
    )
    groups: dict[tuple, dict] = {}
    for entry in entries:
        model = entry.content_type.model_class()
        what = str(model._meta.verbose_name_plural) if model else entry.content_type.model
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        fields = ", ".join(sorted({_field_label(model, name) for name in changes})) or "—"
        key = (what, entry.action, fields)
        row = groups.setdefault(
            key,
            {
                "time": timezone.localtime(entry.timestamp).strftime("%d.%m.%Y %H:%M:%S"),
                "actor": str(entry.actor) if entry.actor else "ежедневная задача реестра",
                "object": what,
                "action": ACTION_LABELS.get(entry.action, str(entry.action)),
                "fields": fields,
                "count": 0,
            },
        )
        row["count"] += 1
    return list(groups.values())


def anonymize_due(on: date | None = None) -> list[DestructionAct]:
    """The daily duty: anonymizes everyone due. Each person in a transaction of their own, so
    one failure does not hold back the others."""
    on = on or timezone.localdate()
    return [person_anonymize(person=person, on=on) for person in due_for_anonymization(on)]


@transaction.atomic
def purge_expired_acts(on: date | None = None) -> int:
    """Acts are kept three years (Приказ Роскомнадзора № 179, п. 5), then deleted."""
    on = on or timezone.localdate()
    deleted, _ = DestructionAct.objects.filter(keep_until__lt=on).delete()
    return deleted
