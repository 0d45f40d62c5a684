"""The methodical council (п. 3.4): meetings planned ahead and written down after them, the minutes
numbered by the meetings' dates within each academic year, the minutes «Протокол № N заседания
методического совета наставников» as PDF, the composition by the head's order, and the council's
workspace on its home page."""

import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring_site.lib.academic_year import academic_year_start
from programs.models import Program
from registry.models import (
    CouncilMeeting,
    GroupMember,
    MentoringForm,
    MentoringGroup,
    Order,
    Petition,
    Role,
    RoleAssignment,
)
from registry.services import council as services
from registry.services.orders import order_create_draft, order_sign
from tests.docx_helpers import docx_download_text
from tests.download_helpers import download_name
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_YEAR = academic_year_start(TODAY).year
LABEL = f"{THIS_YEAR}/{THIS_YEAR + 1}"


def url(name, *args):
    return reverse(f"registry:{name}", args=args)


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(content)
    # A fixed local tool on a file the test wrote itself (TOOLCHAIN.md: poppler-utils).
    command = [shutil.which("pdftotext"), str(path), "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return " ".join(result.stdout.split())


def meeting(world, held_on, *, decisions="", agenda="О подборе пар", **fields):
    attendees = fields.pop("attendees", [])
    return services.meeting_save(
        meeting=CouncilMeeting(
            institution=world.institution,
            held_on=held_on,
            agenda=agenda,
            decisions=decisions,
            **fields,
        ),
        attendees=attendees,
        user=world.curator,
    )


def held(world, days_ago=7, **fields):
    fields.setdefault("decisions", "Одобрить предложенные пары")
    return meeting(world, TODAY - timedelta(days=days_ago), **fields)


def planned(world, days_ahead=14, **fields):
    return meeting(world, TODAY + timedelta(days=days_ahead), **fields)


def sign_council_order(world, *people, number="12/1", on=TODAY) -> Order:
    draft = order_create_draft(
        institution=world.institution,
        user=world.curator,
        kind=Order.Kind.COUNCIL,
        title=Order.Kind.COUNCIL.label,
        basis="",
        items=[],
        control_clause="Контроль оставляю за собой.",
        appointees=people,
        acquainted=[],
        is_public=False,
    )
    return order_sign(order=draft, head=world.head, number=number, signed_on=on)


def form_data(held_on, **fields) -> dict:
    data = {
        "held_on": held_on.isoformat(),
        "agenda": "1. О подборе наставнических пар\n2. О программах на рассмотрении",
        "chair": "",
        "secretary": "",
        "invited": "",
        "discussion": "",
        "decisions": "",
    }
    data.update(fields)
    return data


# --- Services --------------------------------------------------------------------------------


def test_a_planned_meeting_needs_only_a_date_and_an_agenda(world):
    m = planned(world)
    assert m.number is None  # the minutes are numbered once written
    assert m.year == services.meeting_year(m.held_on)
    assert m.decisions == ""
    assert services.meeting_state(m) == services.State.PLANNED
    assert not services.can_print(m)
    with pytest.raises(ValidationError, match="Протокол печатается после заседания"):
        services.meeting_render(meeting=m)


@pytest.mark.parametrize("days_ago", [0, 3])
def test_decisions_are_required_once_the_date_has_come(world, days_ago):
    with pytest.raises(ValidationError) as caught:
        meeting(world, TODAY - timedelta(days=days_ago))
    assert "уже состоялось: запишите решения совета" in caught.value.message_dict["decisions"][0]
    assert not CouncilMeeting.objects.exists()


def test_a_planned_meeting_whose_date_passed_waits_for_its_decisions(world):
    m = planned(world, days_ahead=2)
    later = TODAY + timedelta(days=5)
    assert services.meeting_state(m, later) == services.State.AWAITING
    assert list(services.awaiting_decisions(world.institution, later)) == [m]
    # Changing it after the date without decisions is refused; with them it is held.
    m.agenda = "Изменённая повестка"
    with pytest.raises(ValidationError) as caught:
        services.meeting_save(meeting=m, attendees=[], user=world.curator, today=later)
    assert "decisions" in caught.value.message_dict
    m.decisions = "1. Одобрить\n2) Рекомендовать"
    services.meeting_save(meeting=m, attendees=[], user=world.curator, today=later)
    assert services.meeting_state(m, later) == services.State.HELD
    assert services.parse_items(m.decisions) == ["Одобрить", "Рекомендовать"]


def numbers(world) -> dict:
    return dict(
        CouncilMeeting.objects.filter(institution=world.institution).values_list(
            "held_on", "number"
        )
    )


def test_minutes_are_numbered_anew_each_academic_year(world):
    august = meeting(world, date(2026, 8, 28), decisions="Итоги года")
    september = meeting(world, date(2026, 9, 3), decisions="План на год")
    october = meeting(world, date(2026, 10, 1), decisions="Пары")
    assert (august.year, august.number) == (2025, 1)
    assert (september.year, september.number) == (2026, 1)
    assert (october.year, october.number) == (2026, 2)


def test_minutes_entered_out_of_order_are_numbered_by_date(world):
    """A secretary's numbering: entered 3rd, 1st, 4th, 2nd by date, numbered 1..4 by date; the
    minutes a late entry moved are named for printing again; a new year starts at 1."""
    days = [date(2026, 9, 10), date(2026, 10, 8), date(2026, 11, 12), date(2026, 12, 3)]
    third = meeting(world, days[2], decisions="Третье")
    assert third.number == 1
    first = meeting(world, days[0], decisions="Первое")
    assert (first.number, first.renumbered[0].meeting.held_on) == (1, days[2])
    assert [(r.old, r.new) for r in first.renumbered] == [(1, 2)]
    fourth = meeting(world, days[3], decisions="Четвёртое")
    assert (fourth.number, fourth.renumbered) == (3, [])
    second = meeting(world, days[1], decisions="Второе")
    assert second.number == 2
    assert [(r.meeting.held_on, r.old, r.new) for r in second.renumbered] == [
        (days[2], 2, 3),
        (days[3], 3, 4),
    ]
    assert numbers(world) == {days[0]: 1, days[1]: 2, days[2]: 3, days[3]: 4}
    # The next academic year starts at 1, whatever the order of entry.
    later, earlier = date(2027, 10, 1), date(2027, 9, 15)
    for day in (later, earlier):
        services.meeting_save(
            meeting=CouncilMeeting(
                institution=world.institution, held_on=day, agenda="Пары", decisions="Решено"
            ),
            attendees=[],
            user=world.curator,
            today=date(2027, 10, 20),
        )
    assert (numbers(world)[earlier], numbers(world)[later]) == (1, 2)
    assert numbers(world)[days[3]] == 4


def test_a_planned_meeting_gets_its_number_when_its_decisions_are_written(world):
    early = held(world, days_ago=30)
    m = planned(world, days_ahead=2)
    assert m.number is None
    later = TODAY + timedelta(days=5)
    m.decisions = "Одобрить"
    services.meeting_save(meeting=m, attendees=[], user=world.curator, today=later)
    assert m.number == 2
    # Moved to the other academic year, a meeting leaves a gapless numbering behind.
    early.held_on = date(THIS_YEAR - 1, 10, 1)
    services.meeting_save(meeting=early, attendees=[], user=world.curator)
    m.refresh_from_db()
    early.refresh_from_db()
    assert (early.year, early.number, m.number) == (THIS_YEAR - 1, 1, 1)


def test_the_page_names_the_renumbered_minutes_and_the_rule(world, as_user):
    client = as_user(world.curator)
    later = held(world, days_ago=3)
    response = client.post(
        url("council-meeting-create"),
        form_data(TODAY - timedelta(days=10), decisions="Раньше"),
        follow=True,
    )
    said = " ".join(messages_of(response))
    assert f"Протокол № 1 от {TODAY - timedelta(days=10):%d.%m.%Y} записан" in said
    assert f"от {later.held_on:%d.%m.%Y} — № 2 (был № 1)" in said
    assert "распечатайте их заново" in said
    page = text_of(client.get(url("council-meeting-list")))
    assert "нумеруются с 1 по датам заседаний" in page
    assert "нумеруются с 1 по датам заседаний" in text_of(client.get(url("council-meeting-create")))


def test_people_of_another_institution_are_refused(world):
    with pytest.raises(ValidationError) as caught:
        held(world, attendees=[world.other_person], chair=world.other_person)
    assert set(caught.value.message_dict) == {"attendees", "chair"}


def test_council_members_are_role_holders_appointees_and_the_curator(world):
    member = make_person(world.institution, "Соболева")
    make_user(world.institution, "soboleva", person=member)
    appointee_without_role = make_person(world.institution, "Котова")
    curator_person = make_person(world.institution, "Кураторова")
    curator_person.user = world.curator
    curator_person.save()
    sign_council_order(world, member)
    order = Order.objects.get(kind=Order.Kind.COUNCIL)
    order.appointees.add(appointee_without_role)  # e.g. the account was switched off later
    members = set(services.council_members_query(world.institution))
    assert members == {member, appointee_without_role, curator_person}
    assert world.teacher_person not in members

    composition = services.council_composition(world.institution)
    assert composition.order == order
    assert composition.appointees == [appointee_without_role, member]
    assert composition.without_role == [appointee_without_role]
    names = [h.name for h in composition.role_holders]
    assert "Соболева Анна Сергеевна" in names
    # п. 3.4: the new composition replaces the previous one; the world's council account,
    # given the role by hand and not named by the order, loses it.
    assert "учётная запись «council»" not in names
    assert [h.name for h in composition.curators] == ["Кураторова Анна Сергеевна"]


def _member(world, last_name="Соболева"):
    person = make_person(world.institution, last_name)
    make_user(world.institution, last_name.lower() + "-login", Role.COUNCIL, person=person)
    return person


def test_a_meeting_ahead_takes_no_attendance_discussion_or_decisions(world):
    """п. 3.4: the council decides at a meeting held; a meeting dated ahead is only planned."""
    member = _member(world)
    sign_council_order(world, member)
    for fields in (
        {"decisions": "Одобрить пары"},
        {"discussion": "Слушали куратора"},
        {"attendees": [member]},
    ):
        with pytest.raises(ValidationError) as caught:
            planned(world, **fields)
        assert "ещё не состоялось" in caught.value.message_dict["decisions"][0]
    assert not CouncilMeeting.objects.exists()


def test_the_chair_and_the_secretary_are_of_the_councils_composition(world):
    member = _member(world)
    sign_council_order(world, member)
    with pytest.raises(ValidationError) as caught:
        held(world, chair=world.teacher_person, secretary=member)
    assert set(caught.value.message_dict) == {"chair"}
    assert "из состава методического совета" in caught.value.message_dict["chair"][0]
    assert held(world, chair=member, secretary=member).chair == member


def test_the_form_offers_only_the_composition_and_nobody_anonymized(world, as_user):
    member = _member(world)
    gone = _member(world, "Ушедшая")
    sign_council_order(world, member, gone)
    type(gone).objects.filter(pk=gone.pk).update(anonymized_on=TODAY)
    response = as_user(world.curator).get(url("council-meeting-create"))
    chairs = set(response.context["form"].fields["chair"].queryset)
    assert member in chairs
    assert world.teacher_person not in chairs and gone not in chairs


# --- Recording a meeting in the browser's forms ---------------------------------------------


def test_curator_plans_a_meeting_then_writes_down_its_decisions(world, as_user, tmp_path):
    client = as_user(world.curator)
    page = text_of(client.get(url("council-meeting-create")))
    assert "Номер протокола присваивается сам, когда записаны решения" in page

    when = TODAY + timedelta(days=10)
    response = client.post(url("council-meeting-create"), form_data(when), follow=True)
    m = CouncilMeeting.objects.get()
    assert response.redirect_chain[-1][0] == url("council-meeting-detail", m.pk)
    assert messages_of(response) == [
        f"Заседание {when:%d.%m.%Y} запланировано. После заседания запишите ход и решения — "
        "протокол получит номер по дате и его можно будет скачать."
    ]
    page = text_of(response)
    assert "запланировано" in page
    assert "Скачать PDF" not in page
    assert m.agenda.startswith("1. О подборе")
    assert services.parse_items(m.agenda) == [
        "О подборе наставнических пар",
        "О программах на рассмотрении",
    ]
    # No minutes before the meeting: a message, not a document.
    response = client.get(url("council-meeting-pdf", m.pk), follow=True)
    assert "Протокол печатается после заседания" in messages_of(response)[0]

    # After the meeting (here: its date moved to the past) the decisions are required.
    member = make_person(world.institution, "Соболева", first_name="Елена")
    make_user(world.institution, "soboleva", Role.COUNCIL, person=member)
    secretary = make_person(world.institution, "Лебедева", first_name="Ирина")
    make_user(world.institution, "lebedeva", Role.COUNCIL, person=secretary)  # п. 3.4: of it
    past = TODAY - timedelta(days=1)
    data = form_data(past, chair=str(member.pk), secretary=str(secretary.pk))
    response = client.post(url("council-meeting-update", m.pk), data)
    assert response.status_code == 200
    assert (
        "уже состоялось: запишите решения совета" in response.context["form"].errors["decisions"][0]
    )
    assert "Проверьте форму" in response.content.decode()
    m.refresh_from_db()
    assert m.held_on == when  # nothing saved

    data.update(
        attendees=[str(member.pk), str(secretary.pk)],
        invited="Сидорова Е. П., педагог-психолог",
        discussion="Слушали куратора о подборе пар.\nВыступила Соболева Е. С.",
        decisions="Одобрить пару Петрова — Иванова\nРекомендовать программу к утверждению",
    )
    response = client.post(url("council-meeting-update", m.pk), data, follow=True)
    assert messages_of(response) == [
        f"Протокол № 1 от {past:%d.%m.%Y} сохранён. Его можно скачать в PDF."
    ]
    m.refresh_from_db()
    assert set(m.attendees.all()) == {member, secretary}
    assert m.year == services.meeting_year(past)
    assert "Скачать PDF" in text_of(response)

    response = client.get(url("council-meeting-pdf", m.pk))
    assert response["Content-Type"] == "application/pdf"
    assert download_name(response) == f"Протокол заседания совета № 1 от {m.held_on:%d.%m.%Y}.pdf"
    text = pdf_text(response.content, tmp_path)
    for fact in [
        world.institution.name,
        "ПРОТОКОЛ № 1",
        "заседания методического совета наставников",
        f"{past:%d.%m.%Y}",
        "Председатель: Соболева Елена Сергеевна",
        "Секретарь: Лебедева Ирина Сергеевна",
        "Присутствовали (2 чел.): Лебедева Ирина Сергеевна — воспитатель; "
        "Соболева Елена Сергеевна — воспитатель.",
        "Приглашённые: Сидорова Е. П., педагог-психолог",
        "ПОВЕСТКА ДНЯ: 1. О подборе наставнических пар 2. О программах на рассмотрении",
        "СЛУШАЛИ, ВЫСТУПИЛИ: Слушали куратора о подборе пар. Выступила Соболева Е. С.",
        "РЕШИЛИ: 1. Одобрить пару Петрова — Иванова 2. Рекомендовать программу к утверждению",
        "Председатель ____________________ Соболева Е. С.",
        "Секретарь ____________________ Лебедева И. С.",
    ]:
        assert fact in text, fact


def test_the_minutes_in_docx_read_as_the_pdf_with_each_list_numbered_from_one(world, as_user):
    """Issue 19: the minutes in Word from the same template; the agenda and the decisions are
    two numbered lists, each from 1."""
    chair = make_person(world.institution, "Соболева", first_name="Елена", patronymic="Сергеевна")
    make_user(world.institution, "soboleva", Role.COUNCIL, person=chair)
    m = held(
        world,
        agenda="1. О подборе наставнических пар\n2. О программах на рассмотрении",
        decisions="Одобрить пару Петрова — Иванова\nРекомендовать программу к утверждению",
        discussion="Слушали куратора о подборе пар.",
        chair=chair,
        attendees=[chair],
    )
    response = as_user(world.council).get(url("council-meeting-pdf", m.pk) + "?format=docx")
    name = f"Протокол заседания совета № {m.number} от {m.held_on:%d.%m.%Y}.docx"
    text = docx_download_text(response, name)
    for fact in [
        world.institution.name,
        f"ПРОТОКОЛ № {m.number}",
        "заседания методического совета наставников",
        f"{m.held_on:%d.%m.%Y}",
        "Председатель: Соболева Елена Сергеевна",
        "Присутствовали (1 чел.): Соболева Елена Сергеевна",
        "ПОВЕСТКА ДНЯ: 1. О подборе наставнических пар 2. О программах на рассмотрении",
        "СЛУШАЛИ, ВЫСТУПИЛИ: Слушали куратора о подборе пар.",
        "РЕШИЛИ: 1. Одобрить пару Петрова — Иванова 2. Рекомендовать программу к утверждению",
        "Председатель ____________________ Соболева Е. С.",
    ]:
        assert fact in text, fact


def test_the_attendance_form_offers_council_members_first(world, as_user):
    member = make_person(world.institution, "Соболева")
    make_user(world.institution, "soboleva", Role.COUNCIL, person=member)
    form = as_user(world.council).get(url("council-meeting-create")).context["form"]
    assert list(form.fields["attendees"].queryset) == [member]
    others = set(form.fields["other_attendees"].queryset)
    assert world.teacher_person in others and member not in others
    assert world.other_person not in others


def test_people_who_left_since_stay_on_the_meetings_they_attended(world, as_user):
    chair = make_person(world.institution, "Уволенная")
    make_user(world.institution, "uvolennaya", Role.COUNCIL, person=chair)
    m = held(world, chair=chair, attendees=[chair])
    chair.dismissed_on = TODAY - timedelta(days=1)
    chair.save()
    client = as_user(world.curator)
    new_form = client.get(url("council-meeting-create")).context["form"]
    assert chair not in new_form.fields["chair"].queryset
    form = client.get(url("council-meeting-update", m.pk)).context["form"]
    assert chair in form.fields["chair"].queryset
    assert form.initial["attendees"] == [chair.pk]  # still of the council's composition


def test_a_council_member_records_a_meeting_and_the_head_only_reads(world, as_user):
    client = as_user(world.council)
    response = client.post(
        url("council-meeting-create"),
        form_data(TODAY - timedelta(days=2), decisions="Одобрить"),
        follow=True,
    )
    m = CouncilMeeting.objects.get()
    assert m.created_by == world.council
    assert messages_of(response)[0].endswith("записан. Его можно скачать в PDF.")

    head = as_user(world.head)
    page = text_of(head.get(url("council-meeting-detail", m.pk)))
    assert "Изменить" not in page and "Скачать PDF" in page
    assert head.post(url("council-meeting-update", m.pk), form_data(TODAY)).status_code == 403
    assert head.post(url("council-meeting-create"), form_data(TODAY)).status_code == 403
    assert CouncilMeeting.objects.count() == 1


def test_another_kindergarten_never_sees_our_meetings(world, as_user):
    m = held(world)
    client = as_user(world.outsider)
    for name in ("council-meeting-detail", "council-meeting-update", "council-meeting-pdf"):
        assert client.get(url(name, m.pk)).status_code == 404
    assert "О подборе пар" not in text_of(client.get(url("council-meeting-list")))


def test_the_list_shows_the_next_meeting_on_top_and_the_years_newest_first(world, as_user):
    old = meeting(world, date(THIS_YEAR - 1, 10, 5), decisions="Старое", agenda="Прошлый год")
    recent = held(world, days_ago=3, agenda="Недавнее")
    nxt = planned(world, agenda="Ближайшее\nВторой вопрос")
    page = text_of(as_user(world.curator).get(url("council-meeting-list")))
    assert page.index("Следующее заседание") < page.index(f"{LABEL} учебный год")
    assert f"{nxt.held_on:%d.%m.%Y} Повестка дня: Ближайшее" in page
    assert page.index(f"{LABEL} учебный год") < page.index(
        f"{THIS_YEAR - 1}/{THIS_YEAR} учебный год"
    )
    assert page.index(f"{nxt.held_on:%d.%m.%Y}") < page.index(f"{recent.held_on:%d.%m.%Y}")
    assert f"{old.held_on:%d.%m.%Y}" in page
    assert "проведено" in page and "запланировано" in page


def test_an_empty_list_says_so_and_offers_the_first_meeting(world, as_user):
    page = text_of(as_user(world.curator).get(url("council-meeting-list")))
    assert "Заседаний совета пока нет. Запланируйте первое" in page
    assert "Следующее заседание не назначено." in page
    page = text_of(as_user(world.head).get(url("council-meeting-list")))
    assert "Их записывают куратор и члены совета." in page
    assert "Запланировать заседание" not in page


def test_the_list_takes_the_same_queries_at_two_sizes(world, as_user):
    client = as_user(world.curator)
    member = _member(world)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("council-meeting-list")).status_code == 200
        return len(queries)

    count_queries()  # the first request of a session warms caches up
    held(world, days_ago=30, chair=member)
    planned(world)
    small = count_queries()
    for days in range(1, 12):
        held(world, days_ago=30 + days, chair=member, attendees=[member])
    large = count_queries()
    # The navigation context comes from the cache, and a list of one page asks no COUNT(*)
    # (issue 21; lib/pages.py::first_page).
    assert small == large == 5


# --- The composition ---------------------------------------------------------------------------


def test_without_an_order_the_curator_is_told_to_draft_it(world, as_user):
    response = as_user(world.curator).get(url("council-composition"))
    page = text_of(response)
    assert "<h1" in response.content.decode() and "Состав методического совета" in page
    assert "Приказ о составе совета ещё не подписан." in page
    assert "«О составе методического совета наставников»" in page
    assert f'href="{url("order-create")}?kind=council"' in response.content.decode()
    # The council reads the same page without the drafting link.
    response = as_user(world.council).get(url("council-composition"))
    assert "?kind=council" not in response.content.decode()
    assert "Его готовит куратор, подписывает заведующий." in text_of(response)


def test_the_composition_names_the_order_and_its_members(world, as_user):
    member = make_person(world.institution, "Соболева", first_name="Елена")
    make_user(world.institution, "soboleva", person=member)
    order = sign_council_order(world, member, number="14/2", on=TODAY - timedelta(days=3))
    response = as_user(world.head).get(url("council-composition"))
    page = text_of(response)
    assert f"Состав утверждён приказом № 14/2 от {order.date:%d.%m.%Y}" in page
    assert f'href="{url("order-detail", order.pk)}"' in response.content.decode()
    assert "Соболева Елена Сергеевна" in page
    assert "член совета" in page  # signing granted the role
    assert RoleAssignment.objects.filter(user=member.user, role=Role.COUNCIL).exists()
    # The order's composition replaces the previous one: nobody holds the role outside it.
    assert "не в приказе" not in page
    assert not RoleAssignment.objects.filter(user=world.council, role=Role.COUNCIL).exists()


# --- The workspace -----------------------------------------------------------------------------


def _proposed_group(world):
    group = MentoringGroup.objects.create(
        institution=world.institution,
        status=MentoringGroup.Status.PROPOSED,
        form=MentoringForm.objects.first(),
        planned_start=date(2026, 9, 1),
        planned_end=date(2027, 5, 31),
        curator=world.curator,
    )
    for person, role in [
        (world.mentor_person, GroupMember.Role.MENTOR),
        (world.mentee_person, GroupMember.Role.MENTEE),
    ]:
        GroupMember.objects.create(group=group, person=person, role=role)
    return group


def test_the_council_home_shows_what_waits_and_the_next_meeting(world, as_user):
    client = as_user(world.council)
    page = text_of(client.get(reverse("role-home", args=["council"])))
    assert "Следующее заседание не назначено." in page
    assert "Запланировать заседание" in page
    assert "Протоколов пока нет" in page

    group = _proposed_group(world)
    program = Program.objects.create(
        group=group, status=Program.Status.ON_REVIEW, start=date(2026, 9, 1), end=date(2027, 5, 31)
    )
    Petition.objects.create(
        group=group,
        kind=Petition.Kind.REPLACE_MENTOR,
        author=world.mentee_person,
        text="Прошу заменить наставника",
    )
    minutes = held(world, agenda="Итоги", decisions="Одобрить")
    nxt = planned(world, agenda="Медиация по ходатайству\nПрограммы на рассмотрении")
    response = client.get(reverse("role-home", args=["council"]))
    counters = {c.label: c.value for c in response.context["counters"]}
    assert counters["пара на согласовании у участников"] == 1
    assert counters["ходатайство — возможна медиация"] == 1
    assert counters["программа на рассмотрении"] == 1
    html = response.content.decode()
    assert f"{reverse('programs:program-list')}?status=on_review" in html
    assert reverse("programs:program-detail", args=[program.pk]) in html
    assert reverse("registry:group-detail", args=[group.pk]) in html
    page = text_of(response)
    assert "Петрова М. И. — Иванова А. С." in page
    assert "о замене наставника от Иванова А. С." in page
    assert f"{nxt.held_on:%d.%m.%Y}" in page
    assert "Медиация по ходатайству" in page
    assert f"Протокол № {minutes.number} от {minutes.held_on:%d.%m.%Y}" in page
    assert url("council-meeting-pdf", minutes.pk) in html


def test_the_council_home_takes_the_same_queries_at_two_sizes(world, as_user):
    client = as_user(world.council)
    home = reverse("role-home", args=["council"])

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(home).status_code == 200
        return len(queries)

    def add_waiting_work():
        group = _proposed_group(world)
        Program.objects.create(
            group=group,
            status=Program.Status.ON_REVIEW,
            start=date(2026, 9, 1),
            end=date(2027, 5, 31),
        )
        Petition.objects.create(
            group=group, kind=Petition.Kind.REPLACE_MENTOR, author=world.mentee_person, text="x"
        )

    count_queries()  # the first request of a session warms caches up
    add_waiting_work()
    planned(world)
    held(world)
    small = count_queries()
    for _ in range(4):
        add_waiting_work()
    large = count_queries()
    assert small == large
