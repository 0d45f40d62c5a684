"""The indicators of the current academic year in one row on the head's home page (UX.md «Home
page per role»: «the indicators of the year in one row»). ``mentoring_site.homes`` wires them in;
each counter links to exactly the rows it counts (``reports:indicator-rows``, the academic
year up to today)."""

from datetime import date

from mentoring_site.lib.academic_year import academic_year_start
from mentoring_site.lib.counters import Counter
from reports import indicators
from reports.figure_links import figure_url


def head_indicators(institution, today: date) -> list:
    """Mentors, mentees, groups, programs completed, the share of staff involved and of events
    done on time in the academic year up to ``today`` (a fixed number of queries)."""
    year = academic_year_start(today).year
    data = indicators.cached_compute(
        institution=institution, year_start=year, on_date=today, today=today
    )
    people, programs, events = data["people"], data["programs"], data["events"]

    def rows(key: str) -> str:
        return figure_url(key, year, today)

    return [
        Counter(
            (
                "наставник в этом учебном году",
                "наставника в этом учебном году",
                "наставников в этом учебном году",
            ),
            people["mentors"],
            rows("people.mentors"),
        ),
        Counter(
            (
                "наставляемый в этом учебном году",
                "наставляемых в этом учебном году",
                "наставляемых в этом учебном году",
            ),
            people["mentees"],
            rows("people.mentees"),
        ),
        Counter(
            (
                "утверждённая пара или группа",
                "утверждённые пары и группы",
                "утверждённых пар и групп",
            ),
            people["groups"],
            rows("people.groups"),
        ),
        Counter(
            ("программа завершена", "программы завершены", "программ завершено"),
            programs["completed"],
            rows("programs.completed"),
        ),
        Counter(
            "педагогов вовлечено в наставничество",
            indicators.share_text(people["staff_involved_share"]),
            rows("people.staff_involved_share"),
        ),
        Counter(
            "мероприятий выполнено в срок",
            indicators.share_text(events["share_on_time"]),
            rows("events.share_on_time"),
            attention=events["share_on_time"] is not None and events["share_on_time"] < 50,
        ),
    ]
