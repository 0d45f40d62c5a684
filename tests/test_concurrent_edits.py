"""Two people editing the same row at once (mentoring_site/lib/versions.py): the first save
wins, the second is refused with «Запись изменил другой пользователь …», nothing of it is
saved, what was typed stays in the form, and a second save, made knowingly, goes through.
One journey per form that two people can open on the same row."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Meeting, ProgramEvent, TypicalEvent
from registry.models import MentoringAgreement, Order
from reports.models import FinalReport, GrowthRecord, Practice, Question, QuestionnaireTemplate
from roadmap.models import Activity
from tests.factories import make_user
from tests.programs.test_lifecycle import active_program, add_second_mentee, make_event
from tests.programs.test_program_pages import own_typical_event
from tests.public.test_pages import document, news, open_section
from tests.registry.test_agreements import draft as agreement_draft
from tests.registry.test_agreements import submitted
from tests.registry.test_council import held
from tests.registry.test_orders import draft as order_draft
from tests.reports.test_final_report import report_of
from tests.reports.test_practices import make_practice
from tests.roadmap.conftest import activity, make_roadmap
from tests.roadmap.test_views import THIS_YEAR

pytestmark = pytest.mark.django_db

STALE = "Запись изменил другой пользователь"


def second_curator(world):
    """The roadmap and the final report are the curators' alone: two of them at once."""
    return make_user(world.institution, "curator2", "curator")


def form_data(response, **changes) -> dict:
    """What a browser posts back from the page's form (and its formset of rows, if any),
    with ``changes`` typed in."""
    forms = [response.context["form"]]
    formset = response.context.get("formset")
    if formset is not None:
        forms += [formset.management_form, *formset.forms]
    data = {}
    for form in forms:
        data |= _bound_values(form)
    data.update(changes)
    return data


def _bound_values(form) -> dict:
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        if value is True:
            data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        elif isinstance(value, datetime):
            aware = timezone.is_aware(value)
            value = timezone.localtime(value) if aware else value
            data[field.html_name] = value.strftime("%Y-%m-%dT%H:%M")
        elif hasattr(value, "isoformat"):
            data[field.html_name] = value.isoformat()
        else:
            data[field.html_name] = str(value)
    return data


def two_editors(first, second, url, first_changes: dict, second_changes: dict):
    """Both open the form; the first saves; the second's save is refused and keeps her input.
    Returns the second's refused response."""
    opened = first.get(url)
    assert 'name="version"' in opened.content.decode()  # the page itself carries it back
    data_first = form_data(opened, **first_changes)
    data_second = form_data(second.get(url), **second_changes)
    saved = first.post(url, data_first)
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    refused = second.post(url, data_second)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert STALE in html
    for value in second_changes.values():
        assert str(value) in html  # the typed input is kept
    return refused


def save_again(client, url, refused):
    """The second editor, having seen the current version, saves again: it goes through."""
    response = client.post(url, refused.context["form"].data)
    assert response.status_code == 302
    return response


def test_two_editors_of_one_plan_event(world, as_user):
    program = active_program(world)
    event = make_event(program)
    url = reverse("programs:event-update", args=[event.pk])
    mentor, curator = as_user(world.mentor), as_user(world.curator)
    refused = two_editors(
        mentor,
        curator,
        url,
        {"title": "Открытое занятие наставника", "why": "Уточнили тему"},
        {"expected_result": "Конспект с замечаниями куратора", "why": "Уточнили результат"},
    )
    event.refresh_from_db()
    assert event.title == "Открытое занятие наставника"
    assert event.expected_result != "Конспект с замечаниями куратора"
    # «вот текущая версия»: the saved title is shown beside the refusal.
    assert "Открытое занятие наставника" in refused.content.decode()
    save_again(curator, url, refused)
    event = ProgramEvent.objects.get(pk=event.pk)
    assert event.expected_result == "Конспект с замечаниями куратора"


def test_one_editor_saves_as_before(world, as_user):
    program = active_program(world)
    event = make_event(program)
    url = reverse("programs:event-update", args=[event.pk])
    client = as_user(world.mentor)
    data = form_data(client.get(url), title="Новое название", why="Так точнее")
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.title == "Новое название"


def test_two_editors_of_one_roadmap_activity(world, as_user):
    roadmap = make_roadmap(world, THIS_YEAR)
    item = activity(roadmap, 2, 1)
    url = reverse("roadmap:activity-update", args=[item.pk])
    first, second = as_user(world.curator), as_user(second_curator(world))
    refused = two_editors(
        first,
        second,
        url,
        {"content": "Собеседования с молодыми педагогами"},
        {"expected_result": "Список наставляемых на год"},
    )
    item.refresh_from_db()
    assert item.content == "Собеседования с молодыми педагогами"
    assert item.expected_result != "Список наставляемых на год"
    save_again(second, url, refused)
    assert Activity.objects.get(pk=item.pk).expected_result == "Список наставляемых на год"


def test_two_editors_of_the_final_reports_text(world, as_user):
    report = report_of(world, year_start=THIS_YEAR - 1)
    url = reverse("reports:report-edit", args=[report.pk])
    first, second = as_user(world.curator), as_user(second_curator(world))
    refused = two_editors(
        first,
        second,
        url,
        {"problems": "Не все анкеты собраны"},
        {"risks": "Наставники уходят в отпуск"},
    )
    report.refresh_from_db()
    assert report.problems == "Не все анкеты собраны" and report.risks == ""
    save_again(second, url, refused)
    report = FinalReport.objects.get(pk=report.pk)
    assert report.risks == "Наставники уходят в отпуск"


def test_two_editors_of_one_council_meeting(world, as_user):
    meeting = held(world)
    url = reverse("registry:council-meeting-update", args=[meeting.pk])
    first, second = as_user(world.curator), as_user(world.council)
    refused = two_editors(
        first,
        second,
        url,
        {"decisions": "Утвердить пары наставников"},
        {"discussion": "Выступила старший воспитатель"},
    )
    meeting.refresh_from_db()
    assert meeting.decisions == "Утвердить пары наставников"
    assert meeting.discussion != "Выступила старший воспитатель"
    save_again(second, url, refused)
    meeting.refresh_from_db()
    assert meeting.discussion == "Выступила старший воспитатель"


def test_a_stale_version_is_refused_by_the_service_itself(world):
    """The rule lives in the service: a caller naming an old version saves nothing."""
    from mentoring_site.lib.versions import StaleVersion, fingerprint
    from programs.services.drafting import EVENT_VERSION_FIELDS, event_update

    program = active_program(world)
    event = make_event(program, deadline=timezone.localdate() + timedelta(days=20))
    seen = fingerprint(event, EVENT_VERSION_FIELDS)
    ProgramEvent.objects.filter(pk=event.pk).update(title="Изменил другой")
    data = {name: getattr(event, name) for name in ("direction", "form", "deadline")}
    data |= {"title": "Моё", "expected_result": "", "responsible": event.responsible}
    with pytest.raises(StaleVersion):
        event_update(
            event=event,
            data=data,
            difficulties=[],
            user=world.mentor,
            why="Причина",
            version=seen,
        )
    event.refresh_from_db()
    assert event.title == "Изменил другой"


def test_two_editors_of_a_page_of_the_public_section(world, as_user):
    open_section(world, about="Наставничество в детском саду")
    url = reverse("public:manage-page", args=["about"])
    first, second = as_user(world.curator), as_user(world.sysadmin)
    refused = two_editors(
        first, second, url, {"about": "Текст куратора"}, {"about": "Текст администратора"}
    )
    world.institution.public_section.refresh_from_db()
    assert world.institution.public_section.about == "Текст куратора"
    save_again(second, url, refused)
    world.institution.public_section.refresh_from_db()
    assert world.institution.public_section.about == "Текст администратора"


def test_two_editors_of_one_news_item(world, as_user):
    open_section(world)
    item = news(world, "День наставника")
    url = reverse("public:manage-news-update", args=[item.pk])
    first, second = as_user(world.curator), as_user(world.sysadmin)
    refused = two_editors(
        first, second, url, {"title": "День наставника — итоги"}, {"text": "Фотоотчёт встречи"}
    )
    item.refresh_from_db()
    assert item.title == "День наставника — итоги" and item.text != "Фотоотчёт встречи"
    save_again(second, url, refused)
    item.refresh_from_db()
    assert item.text == "Фотоотчёт встречи"


def test_two_editors_of_one_public_document(world, as_user):
    open_section(world)
    item = document(world, "Положение о наставничестве")
    url = reverse("public:manage-document-update", args=[item.pk])
    first, second = as_user(world.curator), as_user(world.sysadmin)
    refused = two_editors(
        first, second, url, {"title": "Положение (новая редакция)"}, {"note": "приказ № 94/1"}
    )
    item.refresh_from_db()
    assert item.title == "Положение (новая редакция)" and item.note != "приказ № 94/1"
    save_again(second, url, refused)
    item.refresh_from_db()
    assert item.note == "приказ № 94/1"


def test_two_editors_of_a_persons_card(world, as_user):
    person = world.mentee_person
    url = reverse("registry:person-update", args=[person.pk])
    first, second = as_user(world.curator), as_user(world.sysadmin)
    refused = two_editors(
        first, second, url, {"patronymic": "Сергеевна-Новая"}, {"email": "anna@example.ru"}
    )
    person.refresh_from_db()
    assert person.patronymic == "Сергеевна-Новая" and person.email != "anna@example.ru"
    save_again(second, url, refused)
    person.refresh_from_db()
    assert person.email == "anna@example.ru"


def test_two_editors_of_a_mentee_bank_entry_and_its_difficulties(world, as_user):
    person = world.mentee_person
    url = reverse("registry:mentee-profile", args=[person.pk])
    first, second = as_user(world.curator), as_user(world.sysadmin)
    refused = two_editors(
        first,
        second,
        url,
        {"difficulties-0-text": "Планирование НОД по ФОП"},
        {"strengths": "Хорошо ладит с родителями"},
    )
    profile = person.mentee_profile
    profile.refresh_from_db()
    assert profile.difficulties.first().text == "Планирование НОД по ФОП"
    assert profile.strengths != "Хорошо ладит с родителями"
    save_again(second, url, refused)
    profile.refresh_from_db()
    assert profile.strengths == "Хорошо ладит с родителями"


# --- Issue 18, item 7: the rest of the forms two people can open on one row ----------------


def test_two_editors_mark_one_events_progress(world, as_user):
    event = make_event(active_program(world))
    url = reverse("programs:event-progress", args=[event.pk])
    mentor, curator = as_user(world.mentor), as_user(world.curator)
    refused = two_editors(
        mentor,
        curator,
        url,
        {"status": ProgramEvent.Status.IN_PROGRESS},
        {"actual_result": "Конспект занятия с анализом куратора"},
    )
    event.refresh_from_db()
    assert event.status == ProgramEvent.Status.IN_PROGRESS and event.actual_result == ""
    assert "Сейчас сохранено" in refused.content.decode()
    save_again(curator, url, refused)
    event = ProgramEvent.objects.get(pk=event.pk)
    assert event.actual_result == "Конспект занятия с анализом куратора"


def test_two_mentees_report_on_one_shared_task(world, as_user):
    program = active_program(world)
    _, second_mentee = add_second_mentee(world, program)
    event = make_event(program, responsible=ProgramEvent.Responsible.BOTH)
    url = reverse("programs:event-report", args=[event.pk])
    first, second = as_user(world.mentee), as_user(second_mentee)
    refused = two_editors(
        first,
        second,
        url,
        {"report": "Провела занятие, конспект у наставника"},
        {"report": "Подготовила картотеку игр"},
    )
    event.refresh_from_db()
    assert event.mentee_report == "Провела занятие, конспект у наставника"
    save_again(second, url, refused)
    assert ProgramEvent.objects.get(pk=event.pk).mentee_report == "Подготовила картотеку игр"


def test_two_editors_of_one_program_meeting(world, as_user):
    program = active_program(world)
    meeting = Meeting.objects.create(
        program=program,
        starts_at=timezone.now() + timedelta(days=3),
        topic="Планирование НОД",
        place="Методический кабинет",
    )
    url = reverse("programs:meeting-update", args=[meeting.pk])
    mentor, curator = as_user(world.mentor), as_user(world.curator)
    refused = two_editors(
        mentor, curator, url, {"topic": "Планирование НОД на март"}, {"place": "Группа «Ромашка»"}
    )
    meeting.refresh_from_db()
    assert meeting.topic == "Планирование НОД на март"
    assert meeting.place == "Методический кабинет"
    save_again(curator, url, refused)
    assert Meeting.objects.get(pk=meeting.pk).place == "Группа «Ромашка»"


def test_two_editors_of_one_growth_record(world, as_user):
    item = GrowthRecord.objects.create(
        person=world.mentee_person,
        kind=GrowthRecord.Kind.COURSE,
        date=timezone.localdate() - timedelta(days=10),
        title="Курсы «ФОП ДО», 72 часа",
    )
    url = reverse("reports:growth-update", args=[item.pk])
    first, second = as_user(world.curator), as_user(second_curator(world))
    refused = two_editors(
        first,
        second,
        url,
        {"title": "Курсы «ИКТ в ДОУ», 36 часов"},
        {"result": "Удостоверение о повышении квалификации"},
    )
    item.refresh_from_db()
    assert item.title == "Курсы «ИКТ в ДОУ», 36 часов" and item.result == ""
    save_again(second, url, refused)
    item = GrowthRecord.objects.get(pk=item.pk)
    assert item.result == "Удостоверение о повышении квалификации"


def test_two_editors_of_one_practice(world, as_user):
    practice = make_practice(world)
    url = reverse("reports:practice-update", args=[practice.pk])
    first, second = as_user(world.curator), as_user(second_curator(world))
    refused = two_editors(
        first,
        second,
        url,
        {"title": "Интерактивная доска в работе с родителями"},
        {"tags": "ИКТ, молодой педагог"},
    )
    practice.refresh_from_db()
    assert practice.title == "Интерактивная доска в работе с родителями" and practice.tags == ""
    save_again(second, url, refused)
    assert Practice.objects.get(pk=practice.pk).tags == "ИКТ, молодой педагог"


def test_two_editors_of_one_questionnaire_template(world, as_user):
    template = QuestionnaireTemplate.objects.create(
        institution=world.institution, title="Анкета о методических днях"
    )
    url = reverse("reports:template-update", args=[template.pk])
    first, second = as_user(world.curator), as_user(second_curator(world))
    refused = two_editors(
        first,
        second,
        url,
        {"title": "Анкета о методических днях 2026"},
        {"description": "Ответьте, пожалуйста, до пятницы"},
    )
    template.refresh_from_db()
    assert template.title == "Анкета о методических днях 2026" and template.description == ""
    save_again(second, url, refused)
    template = QuestionnaireTemplate.objects.get(pk=template.pk)
    assert template.description == "Ответьте, пожалуйста, до пятницы"


def test_two_editors_of_one_question(world, as_user):
    template = QuestionnaireTemplate.objects.create(
        institution=world.institution, title="Анкета о методических днях"
    )
    question = Question.objects.create(
        template=template,
        position=1,
        text="Какие темы интересны?",
        kind="multiple",
        choices=["ИКТ", "Игры"],
    )
    url = reverse("reports:question-update", args=[question.pk])
    first, second = as_user(world.curator), as_user(second_curator(world))
    refused = two_editors(
        first,
        second,
        url,
        {"text": "Какие темы вам интересны?"},
        {"choices": "ИКТ\nИгры\nРабота с родителями"},
    )
    question.refresh_from_db()
    assert question.text == "Какие темы вам интересны?" and question.choices == ["ИКТ", "Игры"]
    save_again(second, url, refused)
    question = Question.objects.get(pk=question.pk)
    assert question.choices == ["ИКТ", "Игры", "Работа с родителями"]


def test_two_editors_of_one_agreement_draft(world, as_user):
    agreement = agreement_draft(world, submitted(world))
    url = reverse("registry:agreement-update", args=[agreement.pk])
    first, second = as_user(world.curator), as_user(world.sysadmin)
    refused = two_editors(
        first,
        second,
        url,
        {"content": "Наставничество в освоении ИКТ"},
        {"pay_amount": "6500"},
    )
    agreement.refresh_from_db()
    assert agreement.content == "Наставничество в освоении ИКТ"
    assert agreement.pay_amount == 5000
    save_again(second, url, refused)
    assert MentoringAgreement.objects.get(pk=agreement.pk).pay_amount == 6500


def test_two_editors_of_one_order_draft(world, as_user):
    order = order_draft(world)
    url = reverse("registry:order-update", args=[order.pk])
    first, second = as_user(world.curator), as_user(world.head)
    refused = two_editors(
        first,
        second,
        url,
        {"title": "Об утверждении Положения (новая редакция)"},
        {"control_clause": "Контроль возложить на старшего воспитателя"},
    )
    order.refresh_from_db()
    assert order.title == "Об утверждении Положения (новая редакция)"
    assert order.control_clause != "Контроль возложить на старшего воспитателя"
    save_again(second, url, refused)
    order = Order.objects.get(pk=order.pk)
    assert order.control_clause == "Контроль возложить на старшего воспитателя"


def test_two_editors_of_one_typical_event_of_the_library(world, as_user):
    item = own_typical_event(world)
    url = reverse("programs:library-update", args=[item.pk])
    first, second = as_user(world.curator), as_user(second_curator(world))
    refused = two_editors(
        first,
        second,
        url,
        {"title": "Картотека игр по ФОП"},
        {"expected_result": "Картотека из 20 игр"},
    )
    item.refresh_from_db()
    assert item.title == "Картотека игр по ФОП" and item.expected_result != "Картотека из 20 игр"
    save_again(second, url, refused)
    assert TypicalEvent.objects.get(pk=item.pk).expected_result == "Картотека из 20 игр"
