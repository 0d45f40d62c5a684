"""The results of a survey as an Excel workbook (issue 19, item 5): one line per answer of each
question — a mark of the scale, a variant, a free text — with the counts and shares as numbers.

It is made from the very ``survey_results`` the survey's page shows, so it withholds what the
page withholds: nothing of an anonymous survey before three people answered, no distribution of
a scale question too few answered (reports/anonymity.py), free texts of an anonymous survey in
alphabetical order.
"""

from mentoring_site.lib.spreadsheets import Column, table_xlsx
from reports.models import Survey
from reports.services.surveys import QuestionResult, SurveyResults

COLUMNS = [
    Column("№", 6),
    Column("Вопрос", 50),
    Column("Вид вопроса", 18),
    Column("Ответили на вопрос", 12),
    Column("Средняя оценка", 12),
    Column("Ответ", 40),
    Column("Выбрали", 10),
    Column("Доля, %", 10),
]
NOT_SHOWN = (
    "Ответов пока меньше трёх: результаты анонимной анкеты появятся, когда ответят не меньше "
    "трёх человек."
)


def _answer(bar_label: str, result: QuestionResult):
    """A mark of the scale is a number in Excel, a variant a text."""
    return int(bar_label) if result.is_scale else bar_label


def question_lines(number: int, result: QuestionResult) -> list[list]:
    """The lines of one question: the first carries the question, the rest only the answer."""
    question = result.question
    head = [number, question.text, question.get_kind_display(), result.count, result.mean]
    if result.withheld:
        return [[*head, result.note, None, None]]
    answers = [[_answer(bar.label, result), bar.count, bar.percent] for bar in result.bars]
    answers += [[text, None, None] for text in result.texts]
    if not answers:
        return [[*head, "", None, None]]
    rest = [number, question.text, "", None, None]
    return [[*head, *answers[0]]] + [[*rest, *answer] for answer in answers[1:]]


def survey_workbook(*, survey: Survey, results: SurveyResults) -> bytes:
    heading = [
        f"Анкетирование: {survey.title}",
        f"Анкета «{survey.template.title}», {'анонимно' if survey.anonymous else 'не анонимно'}",
        f"Ответили: {results.responses}",
    ]
    if not results.shown:
        heading.append(NOT_SHOWN)
    return table_xlsx(
        title="Результаты",
        heading=heading,
        columns=COLUMNS,
        rows=(
            line
            for number, result in enumerate(results.questions, start=1)
            for line in question_lines(number, result)
        ),
        freeze_first_column=False,
    )
