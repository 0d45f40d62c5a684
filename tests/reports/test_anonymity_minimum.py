"""Anonymity holds everywhere (152-ФЗ; issue 17 «Personal data that cannot leak», item A): an
average of the satisfaction answers of one or two people is never shown — not on the survey
page, the dashboard of the head, the curator and the council, the homes, the final report (page
and PDF), the statistics and their files, nor the district summary (page and sheet). In its
place stands «недостаточно ответов (меньше 3)» (a spreadsheet: an empty cell with that note).
With three people the average is shown. One rule decides: ``reports.anonymity.may_show``.
"""

import io
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from registry.models import User
from reports.anonymity import TOO_FEW_ANSWERS, may_show
from reports.models import Answer, Question, QuestionnaireTemplate, Response, Survey
from reports.services import final_report
from reports.services import summary as summary_services
from tests.reports.test_final_report import pdf_text

pytestmark = pytest.mark.django_db

YEAR = 2026
ANSWERED_ON = date(2026, 10, 1)
MSK = ZoneInfo("Europe/Moscow")
# The scores of the first, second and third respondent, and the average of the first n as
# the pages print it: each figure is one no other number of the pages is.
SCORES = [7, 8, 8]
AVERAGE = {1: ("7,0", 7.0), 2: ("7,5", 7.5), 3: ("7,7", 7.7)}


def test_the_rule_is_three_people():
    assert [may_show(answered=n) for n in (0, 1, 2, 3, 4)] == [False, False, False, True, True]
    assert TOO_FEW_ANSWERS == "недостаточно ответов (меньше 3)"


@pytest.fixture(params=[1, 2, 3], ids=["one", "two", "three"])
def answered(request, world) -> int:
    """An anonymous satisfaction survey of the world's kindergarten answered by n mentees."""
    template = QuestionnaireTemplate.objects.create(
        title="Удовлетворённость наставляемого (проверка)",
        purpose=QuestionnaireTemplate.Purpose.SATISFACTION_MENTEE,
    )
    question = template.questions.create(
        position=1, text="Эффективность программы", key="effectiveness", kind=Question.Kind.SCALE
    )
    moment = datetime.combine(ANSWERED_ON, time(12), tzinfo=MSK)
    survey = Survey.objects.create(
        institution=world.institution,
        template=template,
        title=template.title,
        sent_at=moment,
        anonymous=True,
    )
    for score in SCORES[: request.param]:
        response = Response.objects.create(survey=survey, role="mentee", submitted_at=moment)
        Answer.objects.create(response=response, question=question, scale=score)
    world.survey = survey
    return request.param


def _text(response) -> str:
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _assert_withheld_or_shown(text: str, answered: int) -> None:
    shown, _ = AVERAGE[answered]
    if may_show(answered=answered):
        assert shown in text
        assert TOO_FEW_ANSWERS not in text
    else:
        assert shown not in text
        assert TOO_FEW_ANSWERS in text


@pytest.mark.parametrize("role", ["head", "curator", "council"])
def test_the_dashboard_withholds_an_average_of_fewer_than_three(world, as_user, answered, role):
    page = _text(as_user(getattr(world, role)).get(reverse("reports:dashboard"), {"year": YEAR}))
    _assert_withheld_or_shown(page, answered)


@pytest.mark.parametrize("role", ["head", "council"])
def test_the_homes_show_no_average_of_fewer_than_three(world, as_user, answered, role):
    page = _text(as_user(getattr(world, role)).get(reverse("home"), follow=True))
    if not may_show(answered=answered):
        assert AVERAGE[answered][0] not in page


def test_the_survey_page_withholds_results_of_fewer_than_three(world, as_user, answered):
    url = reverse("reports:survey-detail", args=[world.survey.pk])
    page = _text(as_user(world.curator).get(url))
    shown, _ = AVERAGE[answered]
    assert (shown in page) == may_show(answered=answered)
    assert ("Ответов пока меньше трёх" in page) == (not may_show(answered=answered))


def test_a_question_of_an_anonymous_survey_answered_by_two_is_withheld(world, as_user):
    """Three people answered the survey, only two of them the second question: its mean and
    its distribution stay hidden, the first question's are shown."""
    template = QuestionnaireTemplate.objects.create(
        title="Анкета (проверка вопросов)",
        purpose=QuestionnaireTemplate.Purpose.SATISFACTION_MENTEE,
    )
    first = template.questions.create(position=1, text="Польза встреч", kind=Question.Kind.SCALE)
    second = template.questions.create(position=2, text="Ясность целей", kind=Question.Kind.SCALE)
    moment = datetime.combine(ANSWERED_ON, time(12), tzinfo=MSK)
    survey = Survey.objects.create(
        institution=world.institution,
        template=template,
        title=template.title,
        sent_at=moment,
        anonymous=True,
    )
    for index, score in enumerate([7, 8, 8]):
        response = Response.objects.create(survey=survey, role="mentee", submitted_at=moment)
        Answer.objects.create(response=response, question=first, scale=score)
        if index:
            Answer.objects.create(response=response, question=second, scale=2)
    url = reverse("reports:survey-detail", args=[survey.pk])
    page = _text(as_user(world.curator).get(url))
    assert "Средняя оценка: 7,7 из 10, ответов: 3." in page
    assert f"Средняя оценка: {TOO_FEW_ANSWERS}; ответов: 2." in page
    assert "2,0" not in page


def _report(world):
    return final_report.report_get_or_create(institution=world.institution, year_start=YEAR)


def test_the_final_report_page_withholds_it(world, as_user, answered):
    report = _report(world)
    page = _text(as_user(world.head).get(reverse("reports:report-detail", args=[report.pk])))
    _assert_withheld_or_shown(page, answered)


def test_the_final_report_pdf_withholds_it(world, as_user, answered, tmp_path):
    report = _report(world)
    response = as_user(world.curator).get(reverse("reports:report-pdf", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    _assert_withheld_or_shown(pdf_text(response.content, tmp_path), answered)


def test_a_report_handed_in_with_an_average_of_two_shows_the_note(world, as_user):
    """A snapshot made before the rule holds the number; shown, it is withheld all the same."""
    report = _report(world)
    content = final_report.report_content(report)
    content["indicators"]["satisfaction"] = {
        "responses": 2,
        "average": 7.5,
        "mentee_average": 7.5,
        "mentor_average": None,
        "by_question": [{"key": "e", "text": "Эффективность", "average": 7.5, "count": 2}],
    }
    report.snapshot = content
    report.status, report.finalized_at = report.Status.FINAL, timezone.now()
    report.save(update_fields=["snapshot", "status", "finalized_at"])
    page = _text(as_user(world.head).get(reverse("reports:report-detail", args=[report.pk])))
    assert "7,5" not in page
    assert TOO_FEW_ANSWERS in page


def test_statistics_and_their_files_hold_no_average(world, as_user, answered):
    """The statistics «на дату» count people, groups and programs; no average reaches them."""
    client = as_user(world.curator)
    query = {"on_date": "2026-12-01"}
    shown, value = AVERAGE[answered]
    assert shown not in _text(client.get(reverse("reports:statistics"), query))
    csv = client.get(reverse("reports:statistics-export", args=["csv"]), query)
    assert shown not in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("reports:statistics-export", args=["xlsx"]), query)
    cells = [c for row in load_workbook(io.BytesIO(xlsx.content)).active.values for c in row]
    assert value not in cells


def test_the_district_summary_leaves_the_cell_empty_with_the_note(world, client, answered):
    methodologist = User.objects.create_user(username="metodist-anon", password="x-long-pass-1")
    methodologist.user_permissions.add(Permission.objects.get(codename="run_institution_summary"))
    summary, _ = summary_services.request_summary(user=methodologist, year_start=YEAR)
    summary_services.run_pending()
    summary.refresh_from_db()
    with summary.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = list(sheet.values)
    header = next(row for row in rows if row and row[0] == "Учреждение")
    average_at, note_at = header.index("Средний балл (1–10)"), header.index("Примечание")
    name = world.institution.short_name or world.institution.name
    row = next(row for row in rows if row and row[0] == name)
    total = next(row for row in rows if row and row[0] == "Итого")
    _, value = AVERAGE[answered]
    if may_show(answered=answered):
        assert (row[average_at], row[note_at]) == (value, None)
        assert total[average_at] == value
    else:
        assert (row[average_at], row[note_at]) == (None, TOO_FEW_ANSWERS)
        assert (total[average_at], total[note_at]) == (None, TOO_FEW_ANSWERS)
    client.force_login(methodologist)
    _assert_withheld_or_shown(_text(client.get(reverse("reports:summary-list"))), answered)
