"""The rest of «всё обо мне» (152-ФЗ ст. 14 ч. 7): every record that names the person beyond
their own cards — petitions, comments, task reports, uploaded files, meetings, agreements and
decisions on paper, survey invitations, notifications, their written requests about their data.
Sections for ``registry.services.personal_data.subject_data``, one query each."""

from django.utils import timezone

from programs.models import Evidence, Meeting, ProgramComment, ProgramEvent, TermAgreement
from registry.models import GroupMember, Notification, PaperDecision, Person, Petition
from reports.models import Invitation


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y %H:%M}" if moment else "—"


def _section(title: str, rows: list) -> dict:
    return {"title": title, "rows": rows}


def _petitions(person: Person) -> dict:
    rows = []
    for p in Petition.objects.filter(author=person).order_by("-created_at"):
        text = f"{p.text} — {p.get_status_display()}"
        if p.decision_comment:
            text += f"; решение: {p.decision_comment}"
        rows.append((f"Ходатайство {p.get_kind_display()}, {_when(p.created_at)}", text))
    return _section("Ходатайства", rows)


def _comments(person: Person) -> dict:
    comments = (
        ProgramComment.objects.filter(author_id=person.user_id).order_by("created_at")
        if person.user_id
        else []
    )
    return _section(
        "Комментарии к программам",
        [(f"Программа № {c.program_id}, {_when(c.created_at)}", c.text) for c in comments],
    )


def _task_reports(person: Person) -> dict:
    """The mentee's reports on the events of their programs (п. 5.1)."""
    events = (
        ProgramEvent.objects.filter(
            program__group__members__person=person,
            program__group__members__role=GroupMember.Role.MENTEE,
        )
        .exclude(mentee_report="")
        .distinct()
        .order_by("program_id", "deadline", "id")
    )
    return _section(
        "Отчёты о выполнении мероприятий",
        [
            (
                f"Программа № {e.program_id}: {e.title} (срок {e.deadline:%d.%m.%Y})",
                f"{e.mentee_report} — отчёт {_when(e.reported_at)}"
                + (f", подтверждён {_when(e.confirmed_at)}" if e.confirmed_at else ""),
            )
            for e in events
        ],
    )


def _files(person: Person) -> dict:
    files = (
        Evidence.objects.filter(uploaded_by_id=person.user_id)
        .select_related("event")
        .order_by("uploaded_at")
        if person.user_id
        else []
    )
    return _section(
        "Загруженные подтверждающие файлы",
        [(f"{f.name}, {_when(f.uploaded_at)}", f"к мероприятию «{f.event.title}»") for f in files],
    )


def _meetings(person: Person) -> dict:
    meetings = Meeting.objects.filter(attendees=person).order_by("starts_at")
    return _section(
        "Встречи",
        [
            (
                f"{_when(m.starts_at)}: {m.topic}",
                ("состоялась" if m.held else "запланирована")
                + (f"; задание: {m.task}" if m.task else ""),
            )
            for m in meetings
        ],
    )


def _agreements(person: Person) -> dict:
    agreements = TermAgreement.objects.filter(person=person).select_related("term_change")
    papers = PaperDecision.objects.filter(person=person).order_by("id")
    return _section(
        "Согласия и решения в программах",
        [
            (
                f"Согласие на изменение срока программы № {a.term_change.program_id}",
                _when(a.agreed_at) + (" (на бумаге)" if a.paper_id else ""),
            )
            for a in agreements
        ]
        + [(f"Решение на бумаге от {d.decided_on:%d.%m.%Y}", d.get_kind_display()) for d in papers],
    )


def _invitations(person: Person) -> dict:
    invitations = Invitation.objects.filter(person=person).select_related("survey")
    return _section(
        "Приглашения к анкетированию",
        [
            (
                i.survey.title,
                f"ответ дан {_when(i.answered_at)}" if i.answered_at else "ответа нет",
            )
            for i in invitations
        ],
    )


def _notifications(person: Person) -> dict:
    notifications = Notification.objects.filter(user_id=person.user_id) if person.user_id else []
    return _section("Уведомления", [(_when(n.created_at), n.text) for n in notifications])


def _requests(person: Person) -> dict:
    return _section(
        "Запросы о персональных данных",
        [
            (
                f"Запрос от {r.received_on:%d.%m.%Y}",
                f"{r.get_kind_display()}: {r.summary}"
                + (
                    f" — ответ {r.answered_on:%d.%m.%Y}: {r.answer}"
                    if r.answered_on
                    else f" — срок ответа {r.deadline:%d.%m.%Y}"
                ),
            )
            for r in person.subject_requests.order_by("received_on", "id")
        ],
    )


def record_sections(person: Person) -> list[dict]:
    """The sections of the records naming the person, the empty ones too (ст. 14: the person
    learns there are none)."""
    return [
        _petitions(person),
        _comments(person),
        _task_reports(person),
        _files(person),
        _meetings(person),
        _agreements(person),
        _invitations(person),
        _notifications(person),
        _requests(person),
    ]
