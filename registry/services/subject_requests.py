"""The register of data subjects' written requests (152-ФЗ ст. 14, 20, 21): recording one with
its deadline in working days, extending it once by five with a reason, answering it; what is
overdue or due soon, for the homes of the curator and the head.

Terms, counted in working days from the day after the request arrived (mentoring_site/lib/
workdays.py):

- information about the processing, access to one's data (ст. 14 ч. 7, ст. 20 ч. 1) and a demand
  to stop the processing (ст. 21 ч. 5.1): 10, extendable by 5 with a motivated notice to the
  person stating the reason;
- correction of incomplete, inaccurate or outdated data, destruction of data obtained unlawfully
  or not needed for the purpose (ст. 20 ч. 3): 7;
- unlawful processing (ст. 21 ч. 1, 3): stopped within 3.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib.counters import Counter
from mentoring_site.lib.russian import plural
from mentoring_site.lib.workdays import add_working_days, working_days_between
from registry.models import Organization, Person, SubjectRequest

Kind = SubjectRequest.Kind


@dataclass(frozen=True)
class Term:
    working_days: int
    extendable: bool


TERMS = {
    Kind.ACCESS: Term(10, extendable=True),
    Kind.STOP: Term(10, extendable=True),
    Kind.CORRECTION: Term(7, extendable=False),
    Kind.DESTRUCTION: Term(7, extendable=False),
    Kind.UNLAWFUL: Term(3, extendable=False),
}
EXTENSION_WORKING_DAYS = 5
# «Срок истекает»: this many working days left, or fewer.
DUE_SOON_WORKING_DAYS = 3


def deadline_for(kind: str, received_on: date, *, extended: bool = False) -> date:
    days = TERMS[kind].working_days + (EXTENSION_WORKING_DAYS if extended else 0)
    return add_working_days(received_on, days)


def _not_in_future(day: date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{what} не может быть в будущем."})


@transaction.atomic
def subject_request_record(
    *,
    institution: Organization,
    person: Person | None,
    subject_name: str,
    kind: str,
    summary: str,
    received_on: date,
    user,
) -> SubjectRequest:
    """Records a written request as it arrived; its deadline follows from its kind."""
    if person is not None and person.institution_id != institution.pk:
        raise ValidationError({"person": "Этот участник не из вашего учреждения."})
    _not_in_future(received_on, "received_on", "Дата получения")
    subject_name = subject_name.strip() or (person.full_name if person else "")
    if not subject_name:
        raise ValidationError(
            {"subject_name": "Укажите, от кого запрос, или выберите участника из реестра."}
        )
    request = SubjectRequest(
        institution=institution,
        person=person,
        subject_name=subject_name,
        kind=kind,
        summary=summary.strip(),
        received_on=received_on,
        deadline=deadline_for(kind, received_on),
        recorded_by=user,
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def subject_request_extend(
    *, subject_request: SubjectRequest, reason: str, on: date, user
) -> SubjectRequest:
    """Extends the term by five working days (ст. 20 ч. 1, ст. 21 ч. 5.1): once, before it
    runs out, with the reason the motivated notice to the person gives."""
    request = SubjectRequest.objects.select_for_update().get(pk=subject_request.pk)
    if not TERMS[request.kind].extendable:
        raise ValidationError(
            {"extension_reason": "Срок ответа на такой запрос закон продлевать не позволяет."}
        )
    if request.answered_on is not None:
        raise ValidationError({"extension_reason": "На запрос уже дан ответ."})
    if request.extended_on is not None:
        raise ValidationError(
            {"extension_reason": f"Срок уже продлён {request.extended_on:%d.%m.%Y}."}
        )
    _not_in_future(on, "extension_reason", "Дата продления")
    if on > request.deadline:
        raise ValidationError(
            {
                "extension_reason": f"Срок истёк {request.deadline:%d.%m.%Y}: продлить можно "
                "только до его окончания, уведомив человека."
            }
        )
    if not reason.strip():
        raise ValidationError(
            {"extension_reason": "Укажите причину: её сообщают человеку в уведомлении."}
        )
    request.extended_on = on
    request.extension_reason = reason.strip()
    request.deadline = deadline_for(request.kind, request.received_on, extended=True)
    request.full_clean()
    request.save(update_fields=["extended_on", "extension_reason", "deadline"])
    return request


@transaction.atomic
def subject_request_answer(
    *, subject_request: SubjectRequest, answered_on: date, answer: str, user
) -> SubjectRequest:
    """Records the answer sent to the person and its date."""
    request = SubjectRequest.objects.select_for_update().get(pk=subject_request.pk)
    if request.answered_on is not None:
        raise ValidationError({"answer": f"Ответ уже внесён {request.answered_on:%d.%m.%Y}."})
    _not_in_future(answered_on, "answered_on", "Дата ответа")
    if answered_on < request.received_on:
        raise ValidationError(
            {
                "answered_on": "Дата ответа не может быть раньше даты получения "
                f"({request.received_on:%d.%m.%Y})."
            }
        )
    if not answer.strip():
        raise ValidationError({"answer": "Напишите, что ответили человеку."})
    request.answered_on = answered_on
    request.answer = answer.strip()
    request.full_clean()
    request.save(update_fields=["answered_on", "answer"])
    return request


def status_text(request: SubjectRequest, today: date | None = None) -> str:
    """«ответ дан 12.03.2026», «осталось 3 рабочих дня», «просрочен на 2 рабочих дня»."""
    if request.answered_on:
        late = " (с опозданием)" if request.answered_on > request.deadline else ""
        return f"ответ дан {request.answered_on:%d.%m.%Y}{late}"
    today = today or timezone.localdate()
    left = working_days_between(today, request.deadline)
    if today > request.deadline:
        late = -left
        return f"просрочен на {late} {plural(late, 'рабочий день', 'рабочих дня', 'рабочих дней')}"
    if left == 0:
        return "срок истекает сегодня"
    return f"осталось {left} {plural(left, 'рабочий день', 'рабочих дня', 'рабочих дней')}"


def is_overdue(request: SubjectRequest, today: date | None = None) -> bool:
    return request.answered_on is None and (today or timezone.localdate()) > request.deadline


STATUS_FILTERS = {
    "open": "ждут ответа",
    "overdue": "просрочены",
    "answered": "с ответом",
}


def requests_of(institution: Organization, status: str = "", today: date | None = None):
    """The institution's register, filtered by ``STATUS_FILTERS``, newest first."""
    today = today or timezone.localdate()
    requests = SubjectRequest.objects.filter(institution=institution).select_related("person")
    if status == "open":
        requests = requests.filter(answered_on__isnull=True)
    elif status == "overdue":
        requests = requests.filter(answered_on__isnull=True, deadline__lt=today)
    elif status == "answered":
        requests = requests.filter(answered_on__isnull=False)
    return requests


def home_counters(institution: Organization, today: date | None = None) -> list[Counter]:
    """What waits on the curator's and the head's homes: requests overdue, and requests whose
    term runs out within ``DUE_SOON_WORKING_DAYS`` working days. One query."""
    today = today or timezone.localdate()
    soon = add_working_days(today, DUE_SOON_WORKING_DAYS)
    counts = SubjectRequest.objects.filter(
        institution=institution, answered_on__isnull=True
    ).aggregate(
        overdue=Count("pk", filter=Q(deadline__lt=today)),
        due_soon=Count("pk", filter=Q(deadline__gte=today, deadline__lte=soon)),
    )
    url = reverse("registry:subject-request-list")
    return [
        Counter(
            (
                "запрос о персональных данных просрочен",
                "запроса о персональных данных просрочены",
                "запросов о персональных данных просрочены",
            ),
            counts["overdue"],
            f"{url}?status=overdue",
            attention=counts["overdue"] > 0,
            action="Ответить на запросы",
            urgency=99,
        ),
        Counter(
            (
                "запрос о персональных данных: срок ответа истекает",
                "запроса о персональных данных: срок ответа истекает",
                "запросов о персональных данных: срок ответа истекает",
            ),
            counts["due_soon"],
            f"{url}?status=open",
            attention=counts["due_soon"] > 0,
            action="Ответить на запросы",
            urgency=90,
        ),
    ]
