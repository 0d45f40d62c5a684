"""The reports of every institution: the curator's final report of last year, a draft, and a
satisfaction survey of last year's mentees with its answers."""

import random
from datetime import date, timedelta

from mentoring_site.dataset.batch import Batch, aware
from mentoring_site.dataset.data import ANSWERS_PER_INSTITUTION
from mentoring_site.dataset.groups import GroupPlan
from programs.models import Program
from registry.models import Organization, Person
from reports.models import Answer, FinalReport, Invitation, Question, Response, Survey


def create_final_reports(batch: Batch, institutions: list[Organization]) -> None:
    """A draft: its figures are computed from the data when it is opened."""
    batch.counts.add(
        "FinalReport",
        FinalReport.objects.bulk_create(
            FinalReport(institution=institution, year_start=batch.current - 1)
            for institution in institutions
        ),
    )


def survey_mentees(
    batch: Batch,
    institutions: list[Organization],
    people_of: dict[int, list[Person]],
    plans: list[GroupPlan],
    program_of_group: dict[int, Program],
) -> None:
    """The survey sent on the last 1 June, answered by about ``ANSWERS_PER_INSTITUTION``
    answers of mentees of completed groups."""
    reference = batch.reference
    if reference.survey_template is None or not reference.questions:
        return
    responses_each = max(1, -(-ANSWERS_PER_INSTITUTION // len(reference.questions)))
    sent = date(batch.current, 6, 1)
    sent = sent if sent < batch.today else date(batch.current - 1, 6, 1)
    past_of: dict = {}
    for plan in plans:
        if not plan.is_current:
            past_of.setdefault(plan.group.institution_id, []).append(plan)
    surveys, invitations, responses, answers = [], [], [], []
    for number, institution in zip(batch.numbers, institutions, strict=True):
        survey = Survey(
            institution=institution,
            template=reference.survey_template,
            title=f"{reference.survey_template.title} ({sent.year})",
            reason=Survey.Reason.COMPLETION,
            deadline=sent + timedelta(days=14),
            sent_at=aware(sent),
            sent_by=people_of[number][1].user,
        )
        surveys.append(survey)
        mentees = [(m, p.group) for p in past_of.get(institution.pk, []) for m in p.mentees]
        unique = list({m.pk: (m, g) for m, g in mentees}.values())
        for mentee, group in unique[:responses_each]:
            response = _response(survey, mentee, program_of_group[group.pk], sent)
            invitations.append(response.invitation)
            responses.append(response)
            answers += [_answer(response, q, batch.rng) for q in reference.questions]
    batch.counts.add("Survey", Survey.objects.bulk_create(surveys))
    batch.counts.add("Invitation", Invitation.objects.bulk_create(invitations))
    batch.counts.add("Response", Response.objects.bulk_create(responses))
    batch.counts.add("Answer", Answer.objects.bulk_create(answers, batch_size=5000))
    SurveyPrograms = Survey.programs.through
    pairs = dict.fromkeys((r.survey.pk, r.program.pk) for r in responses)
    SurveyPrograms.objects.bulk_create(
        SurveyPrograms(survey_id=survey_id, program_id=program_id)
        for survey_id, program_id in pairs
    )


def _response(survey: Survey, mentee: Person, program: Program, sent: date) -> Response:
    """The mentee's invitation, answered three days after the survey was sent."""
    invitation = Invitation(
        survey=survey,
        person=mentee,
        role="mentee",
        answered_at=aware(sent + timedelta(days=3)),
        program=program,
    )
    return Response(
        survey=survey,
        invitation=invitation,
        program=program,
        role="mentee",
        submitted_at=invitation.answered_at,
    )


def _answer(response: Response, question: Question, rng: random.Random) -> Answer:
    if question.kind == Question.Kind.SCALE:
        return Answer(response=response, question=question, scale=rng.randint(6, 10))
    options = [c["text"] if isinstance(c, dict) else str(c) for c in question.choices or []]
    if question.kind == Question.Kind.SINGLE and options:
        return Answer(response=response, question=question, choices=[rng.choice(options)])
    if question.kind == Question.Kind.MULTIPLE and options:
        return Answer(
            response=response,
            question=question,
            choices=rng.sample(options, rng.randint(1, min(2, len(options)))),
        )
    return Answer(response=response, question=question, text="Всё понравилось.")
