"""Logins for the whole staff at once and the first sign-in with an invitation code (issue 16).

The curator or the sysadmin selects people of the bank without a login; each gets a login made
from the surname and the initials, no usable password, and a one-time code. Those with an e-mail
address get the invitation letter; for everyone the registry prints an invitation sheet. With the
login and the code a person opens «Вход по коду приглашения», sets a password and is signed in.

A code is 12 digits (easy to type on a phone), valid ``INVITATION_CODE_DAYS`` days, used once,
kept only as a hash, and blocked after ``MAX_FAILED_ATTEMPTS`` wrong tries for its login; wrong
codes from one client are limited too (``INVITATION_CODE_FAILURES_PER_CLIENT`` an hour, in the
cache every server shares). A login that does not exist gets the same answer as a wrong code, in
the same time, so logins cannot be guessed. Who has no login yet and was anonymized (152-ФЗ
ст. 21) never gets one.
"""

import secrets
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib import throttle
from mentoring_site.lib.documents import PDF, render_document
from mentoring_site.lib.russian import agreed
from mentoring_site.lib.security import client_address, log_event
from mentoring_site.lib.transliteration import transliterate
from registry.models import InvitationCode, Letter, Person, Role, User
from registry.models.logins import MAX_FAILED_ATTEMPTS
from registry.services.mail import letters_queue

CODE_DIGITS = 12
# The latest codes of a login compared with a typed one: an old code gets its own message
# («уже использован», «заменён новым»). Always this many hashes, so an answer takes as long
# for a login without codes, or without the login at all.
CODES_COMPARED = 3
# Between the code and the new password: the checked code is remembered this long.
PASSWORD_STEP_SECONDS = 30 * 60

SESSION_ISSUED = "logins_issued"  # the clear codes of the last creation, for its result page
SESSION_CODE = "invitation_code_checked"  # the code accepted at the first step of the sign-in


class InvitationCodeHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2 with fewer rounds than for passwords: a code is 40 random bits (not a
    word a person chose), expires in days and is blocked after five tries, and creating the
    logins of a whole staff must stay within a request (a password's million rounds take
    0.45 s each here; these about 10 ms)."""

    iterations = 20_000


HASHER = InvitationCodeHasher()
# Compared when a login has fewer codes than CODES_COMPARED (see there).
_PADDING_HASH = HASHER.encode("0" * CODE_DIGITS, HASHER.salt())


# Codes and logins --------------------------------------------------------------------------


def code_generate() -> str:
    digits = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    return "-".join(digits[i : i + 4] for i in range(0, CODE_DIGITS, 4))


def code_normalize(text: str) -> str:
    """The digits of a typed code: «4821 0937-5512» and «482109375512» are the same code."""
    return "".join(char for char in (text or "") if char.isdigit())


def _code_hash(code: str) -> str:
    return HASHER.encode(code_normalize(code), HASHER.salt())


def login_base(person: Person) -> str:
    """«Иванова Анна Сергеевна» → ``ivanova.as``: the surname and the initials in Latin."""
    surname = transliterate(person.last_name)[:30] or "user"
    initials = "".join(transliterate(name)[:1] for name in (person.first_name, person.patronymic))
    return f"{surname}.{initials}" if initials else surname


def login_for(person: Person, taken: set[str]) -> str:
    """A free login for the person: the base, or the base with 2, 3… when it is taken
    (``taken`` holds lower-case logins; the new one is added to it)."""
    base = login_base(person)
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    taken.add(candidate)
    return candidate


def _taken_logins(people: list[Person]) -> set[str]:
    """The existing logins that could clash with the bases of these people: one query."""
    taken: set[str] = set()
    for base in {login_base(person) for person in people}:
        taken |= {
            name.lower()
            for name in User.objects.filter(username__istartswith=base).values_list(
                "username", flat=True
            )
        }
    return taken


@dataclass
class Issued:
    """What the result page and the invitation sheet show of one login, kept in the session
    between the creation and the download (the clear code is nowhere else)."""

    user_id: int
    username: str
    full_name: str
    email: str
    code: str
    valid_until: str  # ISO date: the last day the code works

    @property
    def valid_until_date(self) -> date:
        return date.fromisoformat(self.valid_until)

    def as_session(self) -> dict:
        return asdict(self)


def code_expiry(now) -> datetime:
    """A code works to the end of the ``INVITATION_CODE_DAYS``-th day after today (Moscow
    time), so the sheet's «действует до 20.12.2026 включительно» holds the whole day."""
    last_day = timezone.localdate(now) + timedelta(days=settings.INVITATION_CODE_DAYS)
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))


def _new_code(*, user: User, by: User, now) -> tuple[InvitationCode, str]:
    code = code_generate()
    invitation = InvitationCode(
        user=user,
        code_hash=_code_hash(code),
        created_at=now,
        created_by=by,
        expires_at=code_expiry(now),
    )
    invitation.full_clean()
    invitation.save()
    return invitation, code


def _issued(*, user: User, person: Person | None, invitation: InvitationCode, code: str):
    last_day = timezone.localtime(invitation.expires_at - timedelta(seconds=1)).date()
    return Issued(
        user_id=user.pk,
        username=user.username,
        full_name=person.full_name if person is not None else str(user),
        email=user.email,
        code=code,
        valid_until=last_day.isoformat(),
    )


def _invitation_letters(issued: list[Issued], *, institution, site_url: str) -> list[Letter]:
    letters = []
    for entry in issued:
        if not entry.email:
            continue
        body = render_to_string(
            "registry/logins/email_invitation.txt",
            {
                "entry": entry,
                "institution": institution,
                "site_url": site_url,
                "code_url": site_url + reverse("invitation-code"),
                "attempts": MAX_FAILED_ATTEMPTS,
            },
        )
        letters.append(
            Letter(
                to=entry.email,
                subject="Приглашение в реестр наставничества",
                body=body,
                user_id=entry.user_id,
                institution=institution,
            )
        )
    return letters


# Creating logins ---------------------------------------------------------------------------


def refusal_for_person(person: Person) -> str | None:
    """Why this person cannot get a login now, or None."""
    if person.anonymized_on is not None:
        return f"Данные участника «{person.short_name}» обезличены: учётную запись создать нельзя."
    if person.user_id is not None:
        return f"У участника «{person.short_name}» уже есть учётная запись."
    if person.dismissed_on is not None and person.dismissed_on <= timezone.localdate():
        return (
            f"Участник «{person.short_name}» {agreed(person.gender, 'уволен', 'уволена')} "
            f"{person.dismissed_on:%d.%m.%Y}: "
            "учётная запись не нужна."
        )
    return None


@transaction.atomic
def logins_create(*, people: list[Person], by: User, site_url: str) -> list[Issued]:
    """Creates a login with an invitation code for each of ``people`` (of one institution):
    all of them or, if one cannot have a login, none. Queues the invitation letters of those
    with an e-mail address. ``site_url`` is the registry's address for the letters."""
    if not people:
        raise ValidationError("Отметьте хотя бы одного сотрудника.")
    people = list(
        Person.objects.select_for_update(of=("self",))
        .filter(pk__in=[person.pk for person in people])
        .select_related("institution")
        .order_by("last_name", "first_name", "patronymic", "pk")
    )
    refusals = [text for person in people if (text := refusal_for_person(person))]
    if refusals:
        raise ValidationError(refusals)
    institution = people[0].institution
    if any(person.institution_id != institution.pk for person in people):
        raise ValidationError("Сотрудники разных учреждений.")
    taken = _taken_logins(people)
    now = timezone.now()
    issued = []
    for person in people:
        user = User(
            username=login_for(person, taken),
            email=person.email,
            first_name=" ".join(p for p in (person.first_name, person.patronymic) if p),
            last_name=person.last_name,
            institution=institution,
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        invitation, code = _new_code(user=user, by=by, now=now)
        issued.append(_issued(user=user, person=person, invitation=invitation, code=code))
    letters_queue(_invitation_letters(issued, institution=institution, site_url=site_url))
    return issued


# New codes ---------------------------------------------------------------------------------


def refusal_for_code(*, user: User, by: User, by_is_sysadmin: bool) -> str | None:
    """Why ``by`` may not issue a new code for ``user``, or None. A code sets a new password, so
    the curator issues codes only for logins without assigned roles: the head's, the council's
    or the sysadmin's login is the sysadmin's business."""
    person = getattr(user, "person", None)
    name = person.short_name if person is not None else user.username
    if user.pk == by.pk:
        return "Себе код выдать нельзя: пароль меняется на странице «Сменить пароль»."
    if person is not None and person.anonymized_on is not None:
        return f"Данные участника «{name}» обезличены: код выдать нельзя."
    if not user.is_active:
        return f"Учётная запись «{name}» отключена: сначала включите её."
    assigned = [a.get_role_display() for a in user.role_assignments.all()]
    if assigned and not by_is_sysadmin:
        return (
            f"Код для «{name}» выдаёт системный администратор: у учётной записи есть роль "
            f"«{assigned[0]}»."
        )
    return None


@transaction.atomic
def codes_reissue(*, users: list[User], by: User, site_url: str) -> list[Issued]:
    """New invitation codes for ``users`` (of one institution): each replaces the login's open
    code; all of them or none. Letters to those with an e-mail address."""
    if not users:
        raise ValidationError("Отметьте хотя бы одну учётную запись.")
    users = list(
        User.objects.select_for_update(of=("self",))
        .filter(pk__in=[user.pk for user in users])
        .select_related("institution", "person")
        .prefetch_related("role_assignments")
        .order_by("last_name", "first_name", "pk")
    )
    by_is_sysadmin = by.role_assignments.filter(role=Role.SYSADMIN).exists()
    refusals = [
        text
        for user in users
        if (text := refusal_for_code(user=user, by=by, by_is_sysadmin=by_is_sysadmin))
    ]
    if refusals:
        raise ValidationError(refusals)
    institution = users[0].institution
    if any(user.institution_id != institution.pk for user in users):
        raise ValidationError("Учётные записи разных учреждений.")
    now = timezone.now()
    # Saved one by one (not QuerySet.update), so that the audit trail records each closed code.
    for old in InvitationCode.objects.filter(
        user__in=users, used_at__isnull=True, revoked_at__isnull=True
    ):
        old.revoked_at = now
        old.save(update_fields=["revoked_at"])
    issued = []
    for user in users:
        invitation, code = _new_code(user=user, by=by, now=now)
        person = getattr(user, "person", None)
        issued.append(_issued(user=user, person=person, invitation=invitation, code=code))
    letters_queue(_invitation_letters(issued, institution=institution, site_url=site_url))
    return issued


# Invitation sheets -------------------------------------------------------------------------


def sheets_render(*, issued: list[Issued], institution, site_url: str, fmt: str = PDF) -> bytes:
    """One A4 page per person: whom, where, the login, the code, until when, and how (PDF, or
    DOCX with ``fmt``)."""
    return render_document(
        "documents/invitation_sheets.html",
        {
            "issued": issued,
            "institution": institution,
            "site_url": site_url,
            "code_url": site_url + reverse("invitation-code"),
            "attempts": MAX_FAILED_ATTEMPTS,
        },
        fmt=fmt,
    )


# Signing in with a code --------------------------------------------------------------------

WRONG = (
    "Логин или код приглашения неверны. Проверьте их по листу приглашения или письму: "
    f"код — {CODE_DIGITS} цифр."
)
USED = (
    "Этот код уже использован: по нему задан пароль. Войдите с логином и паролем или "
    "попросите новый код у куратора."
)
REPLACED = (
    "Этот код больше не действует: вам выдан новый. Введите код с последнего листа "
    "приглашения или из последнего письма."
)
EXPIRED = "Срок действия кода истёк {date}. Попросите новый код у куратора наставничества."
BLOCKED = (
    f"Код заблокирован: его ввели неверно {MAX_FAILED_ATTEMPTS} раз. Попросите новый код у "
    "куратора наставничества."
)
CLIENT_LIMIT = (
    "Слишком много неверных кодов с этого компьютера. Попробуйте через час или обратитесь "
    "к куратору наставничества."
)


@dataclass
class CodeCheck:
    """The answer to a login and a code: the accepted code, or the message why not."""

    invitation: InvitationCode | None = None
    message: str = ""
    throttled: bool = False

    @property
    def ok(self) -> bool:
        return self.invitation is not None


def _client_key(request) -> str:
    return f"invitation-code:client:{client_address(request)}"


def _latest_codes(username: str) -> list[InvitationCode]:
    user = (
        User.objects.filter(username__iexact=username.strip(), is_active=True)
        .exclude(person__anonymized_on__isnull=False)
        .first()
    )
    if user is None:
        return []
    return list(
        InvitationCode.objects.select_for_update()
        .filter(user=user)
        .select_related("user")
        .order_by("-created_at", "-id")[:CODES_COMPARED]
    )


def code_check(*, request, username: str, code: str) -> CodeCheck:
    """The first step of «Вход по коду приглашения». A wrong code counts against the login's
    open code (blocked after five) and against the client; the right code of a used, replaced,
    expired or blocked invitation gets its own message (only who knows it learns that)."""
    client_key = _client_key(request)
    limit = settings.INVITATION_CODE_FAILURES_PER_CLIENT
    if throttle.reached(client_key, limit=limit):
        log_event("invitation_code_throttled", request, username=username[:150])
        return CodeCheck(message=CLIENT_LIMIT, throttled=True)
    typed = code_normalize(code)
    with transaction.atomic():
        codes = _latest_codes(username)
        hashes = [c.code_hash for c in codes] + [_PADDING_HASH] * (CODES_COMPARED - len(codes))
        # Every hash is compared (no early exit): the answer takes as long for any login.
        matches = [HASHER.verify(typed, encoded) for encoded in hashes]
        matched = next((c for c, ok in zip(codes, matches, strict=False) if ok), None)
        if matched is None:
            open_code = next((c for c in codes if c.is_open), None)
            if open_code is not None and not open_code.is_blocked:
                InvitationCode.objects.filter(pk=open_code.pk).update(
                    failed_attempts=F("failed_attempts") + 1
                )
    if matched is None:
        throttle.allow(client_key, limit=limit, window_seconds=3600)
        log_event("invitation_code_failed", request, username=username[:150])
        return CodeCheck(message=WRONG)
    if matched.used_at is not None:
        return CodeCheck(message=USED)
    if matched.revoked_at is not None:
        return CodeCheck(message=REPLACED)
    if matched.is_blocked:
        return CodeCheck(message=BLOCKED)
    if matched.is_expired:
        last_day = timezone.localtime(matched.expires_at - timedelta(seconds=1))
        return CodeCheck(message=EXPIRED.format(date=f"{last_day:%d.%m.%Y}"))
    return CodeCheck(invitation=matched)


def code_remember(request, invitation: InvitationCode) -> None:
    request.session[SESSION_CODE] = {
        "code": invitation.pk,
        "user": invitation.user_id,
        "at": timezone.now().timestamp(),
    }


def code_remembered(request) -> InvitationCode | None:
    """The code accepted at the first step, while it is fresh and still usable."""
    kept = request.session.get(SESSION_CODE)
    if not kept or timezone.now().timestamp() - kept.get("at", 0) > PASSWORD_STEP_SECONDS:
        return None
    invitation = (
        InvitationCode.objects.filter(pk=kept.get("code"), user_id=kept.get("user"))
        .select_related("user")
        .first()
    )
    if invitation is None or not invitation.is_usable or not invitation.user.is_active:
        return None
    return invitation


@transaction.atomic
def code_redeem(*, invitation: InvitationCode, password: str) -> User:
    """Sets the password (already checked by Django's validators) and spends the code. Two
    requests with one code: the second finds it used and is refused."""
    invitation = (
        InvitationCode.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    )
    if not invitation.is_usable or not invitation.user.is_active:
        raise ValidationError("Код приглашения больше не действует. Введите логин и код заново.")
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return user
