"""The counters of the growth records and the best-practice bank on the curator's home page
(UX.md «Home page per role»). ``mentoring_site.homes`` wires them in."""

from django.urls import reverse

from mentoring_site.lib.counters import Counter
from reports.models import GrowthRecord, Practice
from reports.services.practices import completed_without_practice, waiting_for_approval


def curator_counters(institution) -> list:
    """Practices waiting for the curator's approval for publication, completed programs
    nobody has described in the bank yet (Приложение 2, этап 6–7), and the growth records
    mentors entered that wait for the curator's confirmation (п. 4.2)."""
    waiting = waiting_for_approval(institution)
    undescribed = completed_without_practice(institution)
    growth = GrowthRecord.objects.filter(
        person__institution=institution, status=GrowthRecord.Status.PENDING
    ).count()
    return [
        Counter(
            (
                "практика ждёт одобрения для публикации",
                "практики ждут одобрения для публикации",
                "практик ждут одобрения для публикации",
            ),
            waiting,
            reverse("reports:practice-list") + f"?status={Practice.Status.DRAFT}",
            attention=waiting > 0,
            action="Рассмотреть практики",
            urgency=30,
        ),
        Counter(
            (
                "завершённая программа не описана в методической копилке",
                "завершённые программы не описаны в методической копилке",
                "завершённых программ не описаны в методической копилке",
            ),
            undescribed,
            reverse("programs:program-list") + "?status=completed",
        ),
        Counter(
            (
                "достижение, внесённое наставниками, ждёт подтверждения",
                "достижения, внесённые наставниками, ждут подтверждения",
                "достижений, внесённых наставниками, ждут подтверждения",
            ),
            growth,
            reverse("reports:growth-list") + f"?status={GrowthRecord.Status.PENDING}",
            attention=growth > 0,
            action="Подтвердить достижения",
            urgency=40,
        ),
    ]
