"""Anonymization leaves nothing (152-ФЗ ст. 21 ч. 5; issue 17, item 3).

``person_anonymize`` (personal_data.py) clears the person's own records field by field; this
module then finds the person wherever someone else wrote about them: programs' texts and change
logs, group events, comments, reports, notifications and letters, news, practices, the public
section, the audit trail's recorded values, the queue's task arguments. Every text column of
every model is either listed in ``FREE_TEXT`` (rewritten) or in ``EXEMPT`` with the reason; a test
fails when a new column is neither (tests/registry/test_anonymization_scan.py).

What is replaced, in every grammatical case and with «е» for «ё» (the forms of
``name_guard.person_name_forms``, pymorphy3):

- the surname (capitalized), with the first name, the patronymic or the initials next to it in
  any order («Ёлкина Дарья Андреевна», «Д. А. Ёлкиной», «Ёлкину Д.А.»); someone else's initials
  next to it are someone else, left alone. When another person of the registry bears the same
  surname, it counts only with her first name or initials next to it (unlike the publication
  guard, a surname that is also a common noun, «Орлов», counts alone: here a miss is worse than
  a capitalized «Орлов» of eagles rewritten);
- the first name with the patronymic («Дарье Андреевне»); the first name alone, or the
  patronymic alone, in her institution's rows (the trail's paths to the institution) when
  nobody else of her institution has it;
- her e-mail address, phone number (any separators), birth date (``dd.mm.yyyy``, ``yyyy-mm-dd``)
  anywhere.

Each is replaced by «Обезличенный участник № N» (a name) or «[обезличено]» (a contact). The rows
are found by one query per model (``contains`` on the stems of the forms, on the JSON-escaped
stems too, since SQLite keeps JSON with \\u escapes), rewritten in Python and written back with
one ``bulk_update`` per model, each rewrite recorded in the trail without the values.

Files: the evidence she uploaded, and evidence and practice materials whose name or text names
her, are deleted (their rows and, after the commit, their files); the institution's stored
documents whose text names her are withdrawn (``STORED_DOCUMENTS``); the mail queue's letters to
her are deleted. Only PDF (``pdftotext``) and plain-text files are read. Signed orders are archival
documents of the institution and are not touched (ст. 21 ч. 5 «если иное не предусмотрено
федеральным законом»); the act says so.
"""

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db import models, transaction
from django.db.models import F, Q, TextField
from django.db.models.functions import Cast

from audit import trail
from audit.institutions import SELF, path_of
from registry.services.name_guard import person_name_forms

PLACEHOLDER = "Обезличенный участник № {pk}"
REDACTED = "[обезличено]"

# Every free-text column of the registry, rewritten by anonymization. A column with ``choices``
# holds a code, never typed text, and needs no entry.
FREE_TEXT: dict[str, tuple[str, ...]] = {
    "admin.LogEntry": ("object_repr", "change_message"),
    "axes.AccessAttempt": ("username", "get_data", "post_data"),
    "axes.AccessFailureLog": ("username",),
    "axes.AccessLog": ("username",),
    "otp_totp.TOTPDevice": ("name",),
    "otp_static.StaticDevice": ("name",),
    "django_tasks_database.DBTaskResult": ("args_kwargs", "return_value", "traceback"),
    "registry.Organization": (
        "name",
        "name_gent",
        "name_datv",
        "name_accs",
        "name_ablt",
        "name_loct",
        "short_name",
        "address",
        "head_name",
        "cooperation_agreement_number",
    ),
    "registry.MentoringAgreement": ("number", "content", "end_note"),
    "registry.AgreementAmendment": ("reason",),
    "registry.Person": ("education",),
    "registry.MenteeProfile": ("strengths", "support_note"),
    "registry.Difficulty": ("text",),
    "registry.MentorProfile": ("experience", "awards", "training_note"),
    "registry.Competence": ("text",),
    "registry.Consent": ("note", "conditions", "resource_url"),
    "registry.SelfQuestionnaire": ("answers", "review_comment"),
    "registry.StaffImport": ("filename", "rows", "sheets", "columns", "counts"),
    "registry.StaffImportColumnChoice": ("header",),
    "registry.CouncilMeeting": ("agenda", "invited", "discussion", "decisions"),
    "registry.MentoringGroup": ("rationale", "return_comment"),
    "registry.GroupMember": ("response_comment", "agreement_number"),
    "registry.GroupEvent": ("text", "comment"),
    "registry.Petition": ("text", "decision_comment", "mediation_text"),
    "registry.EmailChange": ("old_email", "new_email"),
    "registry.Notification": ("text", "url"),
    "registry.Letter": ("to", "subject", "body", "last_error"),
    "registry.Order": ("number", "title", "basis", "items", "control_clause"),
    "registry.PaperDecision": ("comment",),
    "registry.PublicSection": (
        "about",
        "recommendations",
        "contacts",
        "contact_position",
        "contact_email",
        "contact_phone",
    ),
    "registry.PublicDocument": ("title", "note", "link", "text"),
    "registry.NewsItem": ("title", "text", "image_alt"),
    "programs.TypicalEvent": ("title", "expected_result"),
    "programs.Program": (
        "problem",
        "goals",
        "content",
        "intermediate_results",
        "planned_results",
        "schedule",
        "conditions",
        "return_comment",
        "reason_note",
        "mentee_result",
        "mentor_result",
    ),
    "programs.ProgramEvent": ("title", "expected_result", "actual_result", "mentee_report"),
    "programs.Evidence": ("name",),
    "programs.ProgramComment": ("text",),
    "programs.ProgramChange": ("what", "why"),
    "programs.TermChange": ("reason", "decline_comment"),
    "programs.Meeting": ("place", "topic", "content", "result", "task"),
    "roadmap.Roadmap": ("return_comment",),
    "roadmap.Stage": ("title",),
    "roadmap.Activity": (
        "title",
        "content",
        "responsible_note",
        "expected_result",
        "evidence_link",
        "evidence_note",
    ),
    "roadmap.RoadmapVersion": ("snapshot",),
    "roadmap.RoadmapChange": ("what", "reason"),
    "reports.QuestionnaireTemplate": ("title", "description", "purpose", "audience"),
    "reports.Question": ("text", "choices"),
    "reports.Survey": ("title",),
    "reports.Answer": ("choices", "text"),
    "reports.GrowthRecord": ("title", "result"),
    "reports.Practice": ("title", "summary", "tags"),
    "reports.PracticeMaterial": ("name",),
    "reports.FinalReport": ("problems", "risks", "proposals", "snapshot"),
    "reports.FinalReportEvent": ("reason",),
    "reports.InstitutionSummary": ("error", "totals"),
    # The trail keeps who changed what and when; the values recorded lose the person like
    # every other text (issue 17, item 5).
    "audit.LogEntry": (
        "object_repr",
        "changes_text",
        "changes",
        "serialized_data",
        "additional_data",
        "actor_email",
    ),
}

# Text columns not rewritten, each with the reason («model» for all of a model's columns).
EXEMPT: dict[str, str] = {
    "auth.Permission": "the framework's names of permissions, typed by nobody",
    "registry.Organization.inn": "the institution's tax number, digits",
    "registry.Organization.ogrn": "the institution's registration number, digits",
    "registry.SubjectRequest": (
        "the register of the data subjects' requests is the operator's record of how it answered "
        "them (152-ФЗ ст. 14, 20, 21), kept with the name as the act of destruction keeps it"
    ),
    "auth.Group": "the framework's groups, unused (roles are RoleAssignment)",
    "contenttypes.ContentType": "the names of the models",
    "sessions.Session": "unused (the sessions are mentoring_site.UserSession)",
    "mentoring_site.UserSession": (
        "signed and encoded session data; the person's own sessions are ended by anonymization, "
        "the others' expire with SESSION_COOKIE_AGE"
    ),
    "axes.AccessAttempt.user_agent": "the browser's self-description",
    "axes.AccessAttempt.http_accept": "the browser's self-description",
    "axes.AccessAttempt.path_info": "the address asked for, no typed text",
    "axes.AccessFailureLog.user_agent": "the browser's self-description",
    "axes.AccessFailureLog.http_accept": "the browser's self-description",
    "axes.AccessFailureLog.path_info": "the address asked for, no typed text",
    "axes.AccessLog.user_agent": "the browser's self-description",
    "axes.AccessLog.http_accept": "the browser's self-description",
    "axes.AccessLog.path_info": "the address asked for, no typed text",
    "axes.AccessLog.session_hash": "a hash",
    "otp_totp.TOTPDevice.key": "a secret, no text",
    "otp_static.StaticToken": "one-time codes, no text",
    "django_tasks_database.DBTaskResult.status": "the queue's own words",
    "django_tasks_database.DBTaskResult.task_path": "the queue's own words",
    "django_tasks_database.DBTaskResult.worker_ids": "the queue's own words",
    "django_tasks_database.DBTaskResult.queue_name": "the queue's own words",
    "django_tasks_database.DBTaskResult.backend_name": "the queue's own words",
    "django_tasks_database.DBTaskResult.exception_class_path": "the queue's own words",
    "registry.RoleAssignment.founder_issuer": "the founder that appointed the head: an "
    "authority's name («Администрация … района»), never a person's",
    "registry.RoleAssignment.founder_order_number": "the founder's order number, digits",
    "registry.Organization.public_slug": "the address of the public section, chosen by the head",
    "registry.User.password": "a hash",
    "registry.User.username": "another login's own name; the person's login is renamed",
    "registry.User.first_name": "another login's own name; the person's login is emptied",
    "registry.User.last_name": "another login's own name; the person's login is emptied",
    "registry.User.email": "another login's own address; the person's login is emptied",
    "registry.Person.last_name": "another person's own name (a namesake is someone else); "
    "the person's own record is anonymized field by field",
    "registry.Person.first_name": "another person's own name; the person's own is replaced",
    "registry.Person.patronymic": "another person's own name; the person's own is emptied",
    "registry.Person.email": "another person's own address; the person's own is emptied",
    "registry.Person.phone": "another person's own number; the person's own is emptied",
    "registry.Person.search_name": "derived from the name on every save",
    "registry.MentoringForm": "a shared reference list",
    "registry.MentoringKind": "a shared reference list",
    "registry.Direction": "a shared reference list",
    "registry.MenteeCategory": "a shared reference list",
    "registry.Position": "a shared reference list",
    "programs.EventForm": "a shared reference list",
    "registry.InvitationCode.code_hash": "a hash",
    "programs.CalendarFeed.token": "a secret, no text",
    "registry.DestructionAct": (
        "the act must name whose data was destroyed (Приказ Роскомнадзора № 179); its other "
        "columns are the registry's own words and the extract from the trail, without values"
    ),
    "reports.Question.key": "a code of the question",
    "reports.FinalReportEvent.action": "a choice of the history's actions",
    "audit.LogEntry.object_pk": "a record number",
    "admin.LogEntry.object_id": "a record number",
    "registry.StaffImportColumnChoice.field": "the code of a column of the person's record",
    "audit.LogEntry.cid": "a request's correlation id",
}

# Rows that are not rewritten: signed orders are archival documents of the institution.
ROWS_KEPT: dict[str, Callable[[], Q]] = {
    "registry.Order": lambda: Q(status="signed"),
}


def text_columns(model) -> list[models.Field]:
    """The model's columns that may hold text: character, text and JSON columns with no
    choices (a choice is a code)."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
    ]


def unlisted_columns() -> list[str]:
    """«app.Model.field» of every text column neither rewritten nor exempt: the test's list."""
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        listed = set(FREE_TEXT.get(label, ()))
        for f in text_columns(model):
            if f.name in listed or label in EXEMPT or f"{label}.{f.name}" in EXEMPT:
                continue
            missing.append(f"{label}.{f.name}")
    return missing


# ---------------------------------------------------------------- matching


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


_TOKEN = re.compile(
    r"(?P<initial>(?<![^\W\d_])[А-ЯЁA-Z]\.)|(?P<word>[^\W\d_]+(?:['’\-][^\W\d_]+)*)"
)


@dataclass
class _Token:
    start: int
    end: int
    text: str
    norm: str
    is_initial: bool

    @property
    def is_capitalized(self) -> bool:
        return self.text[:1].isupper()


def _tokens(text: str) -> list[_Token]:
    return [
        _Token(
            m.start(),
            m.end(),
            m.group(0),
            _norm(m.group(0).rstrip(".")),
            m.group("initial") is not None,
        )
        for m in _TOKEN.finditer(text)
    ]


def _stem(forms) -> str:
    """The longest beginning all the forms share (at least three letters where they have)."""
    forms = sorted(forms)
    if not forms:
        return ""
    first, last = forms[0], forms[-1]
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[: max(n, min(3, len(first)))]


def _spellings(stem: str) -> set[str]:
    """The stem as a name is written: capitalized and upper case, «е» and «ё»."""
    variants = {stem}
    if "е" in stem:
        variants.add(stem.replace("е", "ё"))
    return {spelled for v in variants for spelled in (v.capitalize(), v.upper()) if spelled}


def _phone_pattern(phone: str) -> re.Pattern | None:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 7:
        return None
    national = digits[-10:] if len(digits) >= 10 else digits
    body = r"[\s\-().]*".join(re.escape(d) for d in national)
    prefix = r"(?:(?:\+?7|8)[\s\-().]*)?" if len(national) == 10 else ""
    return re.compile(rf"(?<!\d){prefix}{body}(?!\d)")


def _date_pattern(day: date | None) -> re.Pattern | None:
    if day is None:
        return None
    d, m, y = day.day, day.month, day.year
    return re.compile(
        rf"(?<!\d)(?:0?{d}[./]0?{m}[./](?:{y}|{y % 100:02d})|{y}-{m:02d}-{d:02d})(?!\d)"
    )


@dataclass
class Erasure:
    """The forms of one person's name and contacts, and the rewriting of a text."""

    pk: int
    institution_id: int
    surnames: frozenset[str]
    first_names: frozenset[str]
    patronymics: frozenset[str]
    first_initial: str
    second_initial: str
    surname_needs_company: bool
    first_name_alone: bool
    patronymic_alone: bool
    literals: list[str] = field(default_factory=list)
    patterns: list[re.Pattern] = field(default_factory=list)
    pattern_needles: set[str] = field(default_factory=set)

    @property
    def placeholder(self) -> str:
        return PLACEHOLDER.format(pk=self.pk)

    def needles(self) -> set[str]:
        """Substrings one of which every text naming the person contains: the prefilter."""
        stems = {_stem(self.surnames)}
        if self.first_names:
            stems.add(_stem(self.first_names))
        if self.patronymic_alone and self.patronymics:
            stems.add(_stem(self.patronymics))
        found = set().union(*(_spellings(stem) for stem in stems if stem))
        found.update(literal for literal in self.literals if literal)
        found.update(literal.lower() for literal in self.literals if literal)
        found.update(self.pattern_needles)
        return found

    # -- names

    def _initials_agree(self, initials: list[_Token]) -> bool:
        expected = [self.first_initial, self.second_initial][: len(initials)]
        return [t.norm for t in initials] == expected

    def _is(self, token: _Token | None, forms) -> bool:
        return (
            token is not None
            and token.is_capitalized
            and not token.is_initial
            and token.norm in forms
        )

    def _name_spans(self, tokens: list[_Token], own: bool) -> list[tuple[int, int]]:
        spans = []
        at = lambda j: tokens[j] if 0 <= j < len(tokens) else None  # noqa: E731
        for i, token in enumerate(tokens):
            if self._is(token, self.surnames):
                lo, hi = i, i
                before = []
                j = i - 1
                while at(j) and at(j).is_initial and len(before) < 2:
                    before.insert(0, at(j))
                    j -= 1
                after = []
                j = i + 1
                while at(j) and at(j).is_initial and len(after) < 2:
                    after.append(at(j))
                    j += 1
                if before or after:
                    # «Смирнова О. Н. — Ёлкина Д. А.»: the initials before may be another's.
                    if after and self._initials_agree(after):
                        spans.append((i, i + len(after)))
                    elif before and self._initials_agree(before):
                        spans.append((i - len(before), i))
                    continue  # otherwise someone else's initials: someone else
                # A first name (and patronymic) after or before the surname.
                if self._is(at(i + 1), self.first_names):
                    hi = i + 2 if self._is(at(i + 2), self.patronymics) else i + 1
                elif self._is(at(i - 1), self.patronymics) and self._is(
                    at(i - 2), self.first_names
                ):
                    lo = i - 2
                elif self._is(at(i - 1), self.first_names):
                    lo = i - 1
                elif self.surname_needs_company:
                    continue
                spans.append((lo, hi))
            elif self._is(token, self.first_names):
                if self._is(at(i + 1), self.patronymics):
                    spans.append((i, i + 1))
                elif own and self.first_name_alone:
                    spans.append((i, i))
            elif own and self.patronymic_alone and self._is(token, self.patronymics):
                spans.append((i, i))
        return spans

    def _replace_names(self, text: str, own: bool) -> str:
        tokens = _tokens(text)
        spans = self._name_spans(tokens, own)
        if not spans:
            return text
        merged: list[list[int]] = []
        for lo, hi in sorted(spans):
            if merged and lo <= merged[-1][1] + 1 and lo >= merged[-1][0]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        out, last = [], 0
        for lo, hi in merged:
            out.append(text[last : tokens[lo].start])
            out.append(self.placeholder)
            last = tokens[hi].end
        out.append(text[last:])
        return "".join(out)

    # -- everything

    def rewrite(self, text: str, *, own: bool = True) -> str:
        """``text`` without the person: names replaced, contacts redacted. ``own``: the text
        belongs to the person's institution, where her first name or patronymic alone is hers
        (another kindergarten's «Дарья» is someone else)."""
        if not text:
            return text
        for pattern in self.patterns:
            text = pattern.sub(REDACTED, text)
        return self._replace_names(text, own)

    def rewrite_value(self, value, *, own: bool = True):
        """A JSON value with every string (keys too) rewritten."""
        if isinstance(value, str):
            return self.rewrite(value, own=own)
        if isinstance(value, list):
            return [self.rewrite_value(item, own=own) for item in value]
        if isinstance(value, dict):
            return {
                self.rewrite(str(k), own=own): self.rewrite_value(v, own=own)
                for k, v in value.items()
            }
        return value

    def names(self, text: str) -> bool:
        return bool(text) and self.rewrite(text) != text


def erasure_for(person, *, others=None) -> Erasure:
    """The forms of ``person``'s name and contacts, read before they are cleared. ``others``:
    the other people of the registry (their names decide what counts alone)."""
    Person = type(person)  # noqa: N806
    surnames, first_names, patronymics = person_name_forms(
        last_name=person.last_name, first_name=person.first_name, patronymic=person.patronymic
    )
    if others is None:
        others = Person.objects.exclude(pk=person.pk).filter(anonymized_on__isnull=True)
    namesake = others.filter(
        Q(last_name__in=_cased(surnames)) | Q(last_name__in=_cased(surnames, "ё"))
    ).exists()
    same_institution = others.filter(institution_id=person.institution_id)
    first_name_shared = same_institution.filter(
        first_name__in=_cased(first_names) | _cased(first_names, "ё")
    ).exists()
    patronymic_shared = bool(patronymics) and (
        same_institution.filter(
            patronymic__in=_cased(patronymics) | _cased(patronymics, "ё")
        ).exists()
    )
    erasure = Erasure(
        pk=person.pk,
        institution_id=person.institution_id,
        surnames=surnames,
        first_names=first_names,
        patronymics=patronymics,
        first_initial=_norm(person.first_name[:1]),
        second_initial=_norm(person.patronymic[:1]),
        surname_needs_company=namesake,
        first_name_alone=bool(first_names) and not first_name_shared,
        patronymic_alone=bool(patronymics) and not patronymic_shared,
    )
    literal_patterns = []
    if person.email:
        erasure.literals.append(person.email)
        literal_patterns.append(re.compile(re.escape(person.email), re.IGNORECASE))
    phone = _phone_pattern(person.phone)
    if phone is not None:
        erasure.patterns.append(phone)
        digits = re.sub(r"\D", "", person.phone)
        tail = digits[-4:]
        erasure.pattern_needles.update({tail, f"{tail[:2]}-{tail[2:]}", f"{tail[:2]} {tail[2:]}"})
    birth = _date_pattern(person.birth_date)
    if birth is not None:
        erasure.patterns.append(birth)
        b = person.birth_date
        erasure.pattern_needles.update(
            {f"{b.month:02d}.{b.year}", f"{b.month}.{b.year}", f"{b:%Y-%m-%d}", f"{b:%m.%y}"}
        )
    erasure.patterns[:0] = literal_patterns
    return erasure


def _cased(forms, yo: str = "") -> set[str]:
    """Capitalized forms as a name is stored, «е» written as «ё» when ``yo``."""
    return {(f.replace("е", "ё") if yo else f).capitalize() for f in forms}


# ---------------------------------------------------------------- the rewrite


def _filter(model, columns: list[str], needles: set[str]):
    """The rows of ``model`` whose listed columns contain any needle: one query."""
    queryset = model._default_manager.all()
    condition = Q()
    for name in columns:
        f = model._meta.get_field(name)
        if isinstance(f, models.JSONField):
            alias = f"_erasure_{name}"
            queryset = queryset.alias(**{alias: Cast(name, TextField())})
            # SQLite keeps JSON with \u escapes, PostgreSQL as text: both spellings.
            for needle in needles:
                condition |= Q(**{f"{alias}__contains": needle})
                escaped = json.dumps(needle)[1:-1]
                if escaped != needle:
                    condition |= Q(**{f"{alias}__contains": escaped})
        else:
            for needle in needles:
                condition |= Q(**{f"{name}__contains": needle})
    return queryset.filter(condition)


# How the rows of the models the trail does not follow reach their institution.
UNTRACKED_PATHS = {
    "audit.LogEntry": "institution",
    "admin.LogEntry": "user__institution",
    "otp_totp.TOTPDevice": "user__institution",
    "otp_static.StaticDevice": "user__institution",
    "registry.StaffImport": "institution",
    "registry.StaffImportColumnChoice": "institution",
    "registry.GroupEvent": "group__institution",
    "registry.Notification": "user__institution",
    "registry.Letter": "institution",
    "programs.TypicalEvent": "institution",
    "reports.InstitutionSummary": "requested_by__institution",
    "reports.FinalReportEvent": "report__institution",
}


def _institution_path(model) -> str | None:
    """How a row reaches its institution (the trail's paths); None for rows of none (the
    login attempts, the queue: a first name alone there is not taken for hers)."""
    label = model._meta.label
    if label in UNTRACKED_PATHS:
        return UNTRACKED_PATHS[label]
    path = path_of(model)
    return "pk" if path == SELF else path


def _rewrite_model(model, columns: list[str], erasure: Erasure, needles) -> list:
    """Rewrites the rows of one model that name the person; returns them."""
    label = model._meta.label
    queryset = _filter(model, columns, needles)
    if label in ROWS_KEPT:
        queryset = queryset.exclude(ROWS_KEPT[label]())
    path = _institution_path(model)
    queryset = queryset.only("pk", *columns)
    if path is not None:
        queryset = queryset.annotate(_erasure_institution=F(path))
    rows = list(queryset)
    changed, fields_changed = [], set()
    for row in rows:
        own = getattr(row, "_erasure_institution", None) == erasure.institution_id
        touched = False
        for name in columns:
            value = getattr(row, name)
            if value is None:
                continue
            new = (
                erasure.rewrite_value(value, own=own)
                if isinstance(model._meta.get_field(name), models.JSONField)
                else erasure.rewrite(value, own=own)
            )
            if new != value:
                setattr(row, name, new)
                fields_changed.add(name)
                touched = True
        if touched:
            changed.append(row)
    if changed:
        model._default_manager.bulk_update(changed, sorted(fields_changed), batch_size=500)
    return changed


@dataclass
class Destroyed:
    """What the rewrite destroyed, for the act: rows rewritten per kind, files deleted."""

    rows: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    storage_files: list[tuple] = field(default_factory=list)


def rewrite_everywhere(erasure: Erasure, *, actor=None) -> Destroyed:
    """Replaces the person in every listed column of every row that names them; the changes are
    recorded in the trail (which column, when, by whom), never the values. The trail itself is
    rewritten last."""
    needles = erasure.needles()
    destroyed = Destroyed()
    LogEntry = apps.get_model("audit", "LogEntry")  # noqa: N806
    tracked = set(trail.tracked_models())
    for label, columns in FREE_TEXT.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if model is LogEntry:
            continue
        changed = _rewrite_model(model, list(columns), erasure, needles)
        if not changed:
            continue
        destroyed.rows[str(model._meta.verbose_name_plural)] = len(changed)
        if model in tracked:
            trail.log_bulk(
                model,
                [row.pk for row in changed],
                action=trail.UPDATE,
                changes={"обезличивание": [None, "упоминания участника заменены"]},
                actor=actor,
            )
    changed = _rewrite_model(LogEntry, list(FREE_TEXT["audit.LogEntry"]), erasure, needles)
    if changed:
        destroyed.rows[str(LogEntry._meta.verbose_name_plural)] = len(changed)
    return destroyed


def delete_letters(*, account, email: str) -> int:
    """The mail queue's letters to the person (sent or waiting): their address and text are
    hers alone, and nobody is to write to her any more. One query."""
    Letter = apps.get_model("registry", "Letter")  # noqa: N806
    addressed = Q(pk__in=[])
    if account is not None:
        addressed |= Q(user=account)
    if email:
        addressed |= Q(to__iexact=email)
    deleted, _ = Letter.objects.filter(addressed).delete()
    return deleted


# ---------------------------------------------------------------- files


def _file_text(file) -> str:
    """The text of a stored PDF (pdftotext, when installed) or plain-text file; empty for
    others and for what cannot be read."""
    try:
        with file.open("rb") as handle:
            content = handle.read(10 * 1024 * 1024)
    except (OSError, ValueError):
        return ""
    if content.startswith(b"%PDF"):
        tool = shutil.which("pdftotext")
        if tool is None:
            return content.decode("latin-1", "ignore")
        result = subprocess.run(  # noqa: S603 the installed tool, no shell, bytes on stdin
            [tool, "-q", "-", "-"], input=content, capture_output=True, timeout=30, check=False
        )
        return result.stdout.decode("utf-8", "ignore")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return ""


def delete_files(erasure: Erasure, *, account=None, programs=()) -> Destroyed:
    """Evidence the person uploaded, and evidence of their programs and practice materials whose
    name or text names them: rows deleted now (recorded in the trail), files after the commit."""
    Evidence = apps.get_model("programs", "Evidence")  # noqa: N806
    PracticeMaterial = apps.get_model("reports", "PracticeMaterial")  # noqa: N806
    destroyed = Destroyed()
    needles = erasure.needles()
    by_name = Q()
    for needle in needles:
        by_name |= Q(name__contains=needle)
    evidence = Evidence.objects.filter(
        (Q(uploaded_by=account) if account is not None else Q(pk__in=[]))
        | by_name
        | Q(event__program__in=programs)
    )
    doomed = [
        e
        for e in evidence
        if (account is not None and e.uploaded_by_id == account.pk)
        or erasure.names(e.name)
        or erasure.names(_file_text(e.file))
    ]
    materials = [
        m
        for m in PracticeMaterial.objects.filter(by_name | Q(practice__program__in=programs))
        if erasure.names(m.name) or erasure.names(_file_text(m.file))
    ]
    for rows in (doomed, materials):
        if not rows:
            continue
        model = type(rows[0])
        storage = model._meta.get_field("file").storage
        destroyed.storage_files += [(storage, r.file.name) for r in rows]
        destroyed.files += [r.file.name for r in rows]
        # Deleted one by one through the ORM: the trail records each deletion (its values are
        # rewritten with the rest of the trail afterwards).
        for row in rows:
            row.delete()
    return destroyed


WITHDRAWN = (
    "Документ отозван: в его файле был назван участник, чьи персональные данные обезличены "
    "(152-ФЗ, ст. 21)."
)

# Stored documents of the institution (label, file column, path to the institution, what the
# row becomes once its file is deleted, and the text a row left with nothing else gets):
# withdrawn when their text names the person.
STORED_DOCUMENTS = [
    (
        "registry.PublicDocument",
        "file",
        "institution",
        {"is_published": False},
        ("text", Q(text="", link="")),
    ),
    ("roadmap.Activity", "evidence_file", "stage__roadmap__institution", {}, None),
]


def withdraw_documents(erasure: Erasure, *, institution) -> Destroyed:
    """The institution's stored documents whose text (PDF or plain text) names the person:
    the file is deleted after the commit and the document withdrawn from publication. Images
    and office files are not read (the act says so). One query per kind of document."""
    destroyed = Destroyed()
    for label, column, path, becomes, emptied in STORED_DOCUMENTS:
        model = apps.get_model(label)
        rows = model._default_manager.filter(**{path: institution}).exclude(**{column: ""})
        named = [row for row in rows if erasure.names(_file_text(getattr(row, column)))]
        if not named:
            continue
        storage = model._meta.get_field(column).storage
        destroyed.storage_files += [(storage, getattr(row, column).name) for row in named]
        destroyed.files += [getattr(row, column).name for row in named]
        withdrawn = model._default_manager.filter(pk__in=[row.pk for row in named])
        if emptied is not None:
            text_column, nothing_else = emptied
            trail.update_logged(withdrawn.filter(nothing_else), **{text_column: WITHDRAWN})
        trail.update_logged(withdrawn, **{column: ""}, **becomes)
    return destroyed


def delete_after_commit(pairs: list[tuple]) -> None:
    """Deletes stored files once the transaction has committed (a rollback keeps them)."""
    if pairs:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in pairs])
