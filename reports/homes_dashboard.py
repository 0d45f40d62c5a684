"""The indicators of the current academic year in one row on the head's home page (UX.md «Home
page per role»: «the indicators of the year in one row»). ``mentoring_site.homes`` wires them in;
each counter links to the list behind it, the last one to the whole dashboard."""

from datetime import date

from django.urls import NoReverseMatch, reverse

from mentoring_site.lib.academic_year import academic_year_start
from mentoring_site.lib.counters import Counter
from reports import indicators


def _url(name: str, query: str = "") -> str:
    try:
        url = reverse(name)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


def head_indicators(institution, today: date) -> list:
    """Mentors, mentees, groups, programs completed, the share of staff involved and of events
    done on time in the academic year up to ``today`` (a fixed number of queries)."""
    year = academic_year_start(today).year
    data = indicators.cached_compute(
        institution=institution, year_start=year, on_date=today, today=today
    )
    people, programs, events = data["people"], data["programs"], data["events"]
    dashboard = _url("reports:dashboard")
    return [
        Counter(
            (
                "наставник в этом учебном году",
                "наставника в этом учебном году",
                "наставников в этом учебном году",
            ),
            people["mentors"],
            _url("registry:mentor-list"),
        ),
        Counter(
            (
                "наставляемый в этом учебном году",
                "наставляемых в этом учебном году",
                "наставляемых в этом учебном году",
            ),
            people["mentees"],
            _url("registry:mentee-list"),
        ),
        Counter(
            (
                "утверждённая пара или группа",
                "утверждённые пары и группы",
                "утверждённых пар и групп",
            ),
            people["groups"],
            _url("registry:group-list", "status=active"),
        ),
        Counter(
            ("программа завершена", "программы завершены", "программ завершено"),
            programs["completed"],
            _url("programs:program-list", "status=completed"),
        ),
        Counter(
            "педагогов вовлечено в наставничество",
            indicators.share_text(people["staff_involved_share"]),
            dashboard,
        ),
        Counter(
            "мероприятий выполнено в срок",
            indicators.share_text(events["share_on_time"]),
            dashboard,
            attention=events["share_on_time"] is not None and events["share_on_time"] < 50,
        ),
    ]
