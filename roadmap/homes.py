"""The roadmap's counters on the home pages (UX.md «Home page per role»): the curator sees what
is due this month and what is overdue, the head sees the roadmap waiting for a decision.
``mentoring_site.homes`` wires them in."""

from datetime import date

from django.urls import reverse

from mentoring_site.lib.academic_year import academic_year_start
from mentoring_site.lib.counters import Counter
from roadmap.models import Roadmap
from roadmap.progress import roadmap_progress


def curator_counters(institution, today: date) -> list:
    """Activities due this month and overdue on the current year's roadmap, the roadmap
    waiting for the head, or a reminder that there is none for the current year."""
    year = academic_year_start(today).year
    label = f"{year}/{year + 1}"
    roadmap = (
        Roadmap.objects.filter(institution=institution, year_start=year)
        .select_related("order")
        .first()
    )
    if roadmap is None:
        return [
            Counter(
                f"дорожных карт на {label} учебный год — создайте по типовой форме",
                0,
                reverse("roadmap:roadmap-list"),
                attention=True,
            )
        ]
    url = reverse("roadmap:roadmap-detail", args=[roadmap.pk])
    progress = roadmap_progress(roadmap, today, can_edit_banks=True)
    overdue = len(progress.overdue)
    counters = [
        Counter(
            (
                "мероприятие дорожной карты со сроком в этом месяце",
                "мероприятия дорожной карты со сроком в этом месяце",
                "мероприятий дорожной карты со сроком в этом месяце",
            ),
            len(progress.due_this_month),
            url,
        ),
        Counter(
            (
                "просроченное мероприятие дорожной карты",
                "просроченных мероприятия дорожной карты",
                "просроченных мероприятий дорожной карты",
            ),
            overdue,
            reverse("roadmap:roadmap-timeline", args=[roadmap.pk]),
            attention=overdue > 0,
        ),
    ]
    if roadmap.status == Roadmap.Status.SUBMITTED:
        counters.append(Counter("дорожная карта на утверждении у заведующего", 1, url))
    return counters


def head_decisions(institution) -> list:
    """Roadmaps waiting for the head's approval (п. 3.2)."""
    waiting = list(
        Roadmap.objects.filter(
            institution=institution, status=Roadmap.Status.SUBMITTED
        ).values_list("pk", flat=True)
    )
    if len(waiting) == 1:
        url = reverse("roadmap:roadmap-approve", args=[waiting[0]])
    else:
        url = reverse("roadmap:roadmap-list")
    return [
        Counter(
            (
                "дорожная карта ждёт утверждения",
                "дорожные карты ждут утверждения",
                "дорожных карт ждут утверждения",
            ),
            len(waiting),
            url,
            attention=bool(waiting),
        )
    ]
