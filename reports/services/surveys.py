"""Questionnaires: the first stage of monitoring, the quality of the process (п. 3.3;
Приложение 2, этап 6.1; DOMAIN.md §5).

The curator keeps questionnaire templates (the shared satisfaction templates are read-only and
can be copied into an own one), sends a template to the participants of chosen programs, and
reads the results with the council. Completing a program sends the satisfaction questionnaires
by itself. Each person answers once, in their own account; those who have not are reminded.

An anonymous survey keeps no link from a response to the person: the ``Response`` has no
invitation and no program, its time is kept to the day only, and the results are shown only in
aggregate and only once ``reports.anonymity.may_show`` allows it (at least three people).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from audit.trail import bulk_update_logged, log_created
from mentoring_site.lib.versions import check_version
from programs.models import Program
from registry.models import GroupMember, Organization, Person, User
from registry.services.notifications import notify
from reports.anonymity import TOO_FEW_ANSWERS, may_show
from reports.models import (
    Answer,
    Audience,
    Invitation,
    Question,
    QuestionnaireTemplate,
    Response,
    Survey,
)

SCALE = range(1, 11)
# Programs whose participants can be asked: running ones and finished ones.
SENDABLE_STATUSES = (Program.Status.ACTIVE, Program.Status.COMPLETED, Program.Status.TERMINATED)
# Days before the deadline when those who have not answered are reminded; without a deadline,
# days after sending.
REMIND_BEFORE_DEADLINE = 3
REMIND_AFTER_SENDING = 7
# Completion surveys wait this long for the answers.
COMPLETION_DEADLINE_DAYS = 14
CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
# What the forms of a template and of a question change, checked against the version the
# editor saw (the curators and the sysadmin of an institution share its templates).
TEMPLATE_FIELDS = ("title", "description", "audience")
QUESTION_FIELDS = ("text", "kind", "required", "choices")


def _my_surveys_url() -> str:
    return reverse("reports:my-surveys")


def survey_url(survey: Survey) -> str:
    return reverse("reports:survey-detail", args=[survey.pk])


# --- Templates and questions -----------------------------------------------------------------


def templates_for(institution: Organization) -> QuerySet:
    """The templates an institution may use: the shared ones and its own."""
    return QuestionnaireTemplate.objects.filter(
        Q(institution__isnull=True) | Q(institution=institution)
    )


def _require_editable(template: QuestionnaireTemplate) -> None:
    if template.institution_id is None:
        raise ValidationError(
            "Общий шаблон не меняется: сделайте копию и измените её для своего учреждения."
        )
    if template_is_used(template):
        raise ValidationError(
            "Анкета уже разослана: её вопросы не меняются, чтобы полученные ответы остались "
            "понятными. Сделайте копию и измените её."
        )


def template_is_used(template: QuestionnaireTemplate) -> bool:
    return Survey.objects.filter(template=template).exists()


@transaction.atomic
def template_save(
    *, template: QuestionnaireTemplate, version: str | None = None
) -> QuestionnaireTemplate:
    """Creates or changes an own template (title, address to the respondent, audience). A
    change is refused (``StaleVersion``) when someone saved the template since ``version``."""
    if template.institution_id is None:
        raise ValidationError("Общий шаблон не меняется: сделайте копию.")
    if template.pk is not None:
        stored = QuestionnaireTemplate.objects.select_for_update().get(pk=template.pk)
        check_version(stored, version, TEMPLATE_FIELDS)
    template.title = template.title.strip()
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def template_copy(
    *, template: QuestionnaireTemplate, institution: Organization
) -> QuestionnaireTemplate:
    """An own copy of a template with all its questions. The copy is «другая анкета»: only
    the shared satisfaction templates feed the indicator of average satisfaction."""
    copy = QuestionnaireTemplate(
        institution=institution,
        title=f"{template.title} (копия)"[:300],
        description=template.description,
        audience=template.audience,
        purpose=QuestionnaireTemplate.Purpose.OTHER,
    )
    copy.full_clean()
    copy.save()
    questions = Question.objects.bulk_create(
        [
            Question(
                template=copy,
                position=q.position,
                text=q.text,
                kind=q.kind,
                required=q.required,
                choices=list(q.choices),
                key=q.key,
            )
            for q in template.questions.all()
        ]
    )
    log_created(questions)
    return copy


@transaction.atomic
def template_set_active(*, template: QuestionnaireTemplate, active: bool) -> QuestionnaireTemplate:
    """An own template taken out of use (or back): sent surveys keep it, new ones cannot."""
    if template.institution_id is None:
        raise ValidationError("Общий шаблон нельзя отключить.")
    template.is_active = active
    template.save(update_fields=["is_active"])
    return template


def choices_error(kind: str, choices: list[str]) -> str:
    """Why these options do not fit this kind of question, or an empty string."""
    if kind in CHOICE_KINDS:
        if len(choices) < 2:
            return "Впишите не меньше двух вариантов ответа, каждый с новой строки."
        if len({c.casefold() for c in choices}) != len(choices):
            return "Варианты ответа повторяются: оставьте каждый один раз."
        if any(len(c) > 200 for c in choices):
            return "Вариант ответа длиннее 200 знаков: сократите его."
    elif choices:
        return "У шкалы и свободного ответа вариантов нет: очистите поле вариантов."
    return ""


@transaction.atomic
def question_save(*, question: Question, version: str | None = None) -> Question:
    """Adds a question at the end of an own template, or changes one; a change is refused
    (``StaleVersion``) when someone saved the question since ``version``."""
    template = QuestionnaireTemplate.objects.select_for_update().get(pk=question.template_id)
    _require_editable(template)
    if question.pk is not None:
        stored = Question.objects.filter(pk=question.pk).first()
        if stored is None:
            raise ValidationError("Вопрос уже удалили из анкеты.")
        check_version(stored, version, QUESTION_FIELDS)
    question.text = question.text.strip()
    question.choices = [c.strip() for c in question.choices if c.strip()]
    if error := choices_error(question.kind, question.choices):
        raise ValidationError({"choices": error})
    if question.pk is None:
        last = template.questions.aggregate(last=Max("position"))["last"] or 0
        question.position = last + 1
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    template = QuestionnaireTemplate.objects.select_for_update().get(pk=question.template_id)
    _require_editable(template)
    question.delete()


@transaction.atomic
def question_move(*, question: Question, up: bool) -> bool:
    """Swaps the question with its neighbour above or below; False when it is at the edge."""
    template = QuestionnaireTemplate.objects.select_for_update().get(pk=question.template_id)
    _require_editable(template)
    questions = list(template.questions.order_by("position", "id"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if other < 0 or other >= len(questions):
        return False
    questions[index], questions[other] = questions[other], questions[index]
    for position, q in enumerate(questions, start=1):
        q.position = position
    bulk_update_logged(questions, ["position"])
    return True


# --- Sending ---------------------------------------------------------------------------------


def sendable_programs(institution: Organization) -> QuerySet:
    """Programs whose participants can be asked: approved and running, or finished."""
    return Program.objects.filter(
        group__institution=institution, status__in=SENDABLE_STATUSES
    ).order_by("-start", "pk")


def _role(member: GroupMember) -> str:
    return Audience.MENTOR if member.is_mentor else Audience.MENTEE


def _invitations(survey: Survey, programs: list[Program], audience: str) -> list[Invitation]:
    """One invitation per person (the first program they are in), for the template's
    audience: the current members of the programs' groups."""
    members = (
        GroupMember.objects.filter(
            group__program__in=programs,
            left_on__isnull=True,
            person__institution=survey.institution,
        )
        .select_related("group__program")
        .order_by("group__program__start", "group__program__pk", "role", "pk")
    )
    invitations: dict[int, Invitation] = {}
    for member in members:
        role = _role(member)
        if audience and role != audience:
            continue
        invitations.setdefault(
            member.person_id,
            Invitation(
                survey=survey, person_id=member.person_id, program=member.group.program, role=role
            ),
        )
    return list(invitations.values())


def _create(
    *,
    institution: Organization,
    template: QuestionnaireTemplate,
    title: str,
    programs: list[Program],
    anonymous: bool,
    deadline: date | None,
    user: User | None,
    reason: str,
    audience: str,
) -> Survey:
    survey = Survey(
        institution=institution,
        template=template,
        title=title.strip(),
        anonymous=anonymous,
        deadline=deadline,
        reason=reason,
        sent_by=user,
    )
    survey.full_clean(exclude=["sent_by"])  # empty when a completion sent it by itself
    invitations = _invitations(survey, programs, audience)
    if not invitations:
        raise ValidationError(
            {"programs": "В выбранных программах нет участников, которым адресована эта анкета."}
        )
    survey.save()
    survey.programs.set(programs)
    for invitation in invitations:
        invitation.survey = survey
    Invitation.objects.bulk_create(invitations)
    log_created(invitations)
    users = User.objects.filter(person__in=[i.person_id for i in invitations])
    until = f" до {deadline:%d.%m.%Y}" if deadline else ""
    notify(
        users=users,
        text=f"Ответьте, пожалуйста, на анкету «{survey.title}»{until}."
        + (" Анкета анонимная: ответы видны только сводно." if anonymous else ""),
        url=_my_surveys_url(),
    )
    return survey


def _send_errors(institution, templates, title, programs, deadline) -> dict:
    """Why the curator's send is refused, by the form's field names."""
    errors = {}
    for template in templates:
        if not templates_for(institution).filter(pk=template.pk, is_active=True).exists():
            errors["template"] = "Этот шаблон анкеты нельзя разослать: он отключён или чужой."
        elif not template.questions.exists():
            errors["template"] = "В анкете нет вопросов: добавьте их, прежде чем рассылать."
    if not programs:
        errors["programs"] = "Выберите хотя бы одну программу."
    elif sendable_programs(institution).filter(pk__in=[p.pk for p in programs]).count() != len(
        {p.pk for p in programs}
    ):
        errors["programs"] = (
            "Анкету рассылают участникам утверждённых или завершённых программ своего учреждения."
        )
    if deadline is not None and deadline < timezone.localdate():
        errors["deadline"] = "Срок ответа не может быть в прошлом."
    if not title.strip():
        errors["title"] = "Назовите анкетирование: так его увидят участники."
    return errors


@transaction.atomic
def survey_send(
    *,
    institution: Organization,
    template: QuestionnaireTemplate,
    title: str,
    programs,
    anonymous: bool,
    deadline: date | None,
    user: User,
) -> Survey:
    """The curator sends a template to the mentors and mentees of chosen programs (the
    template's audience respected): one invitation per person, each notified."""
    programs = list(programs)
    if errors := _send_errors(institution, [template], title, programs, deadline):
        raise ValidationError(errors)
    return _create(
        institution=institution,
        template=template,
        title=title,
        programs=programs,
        anonymous=anonymous,
        deadline=deadline,
        user=user,
        reason=Survey.Reason.MANUAL,
        audience=template.audience,
    )


# The satisfaction questionnaires, one per side of a program (DOMAIN.md §5): the purpose, the
# side it is addressed to, and how the side is named in a survey's title.
SATISFACTION = (
    (QuestionnaireTemplate.Purpose.SATISFACTION_MENTEE, Audience.MENTEE, "наставляемые"),
    (QuestionnaireTemplate.Purpose.SATISFACTION_MENTOR, Audience.MENTOR, "наставники"),
)


def _purpose_template(institution: Organization, purpose: str) -> QuestionnaireTemplate | None:
    """The institution's own active template of this purpose, else the shared one."""
    return (
        templates_for(institution)
        .filter(purpose=purpose, is_active=True)
        .order_by(F("institution").asc(nulls_last=True), "pk")
        .first()
    )


def satisfaction_templates(institution: Organization) -> list[tuple[QuestionnaireTemplate, str]]:
    """The mentees' and the mentors' satisfaction questionnaires the institution uses, each
    with its side; a side without an active one is left out."""
    pairs = []
    for purpose, audience, _ in SATISFACTION:
        template = _purpose_template(institution, purpose)
        if template is not None:
            pairs.append((template, audience))
    return pairs


def _side_label(audience: str) -> str:
    return next(label for _, side, label in SATISFACTION if side == audience)


@transaction.atomic
def survey_send_satisfaction(
    *,
    institution: Organization,
    title: str,
    programs,
    anonymous: bool,
    deadline: date | None,
    user: User,
) -> list[Survey]:
    """One send, both questionnaires of satisfaction: the mentees of the chosen programs get
    the mentees' one, the mentors the mentors' one (the same choice of templates as when a
    program ends). Two surveys, named «<title> (наставляемые)» and «<title> (наставники)»; a
    side with nobody to ask in these programs is skipped."""
    programs = list(programs)
    pairs = satisfaction_templates(institution)
    errors = _send_errors(institution, [t for t, _ in pairs], title, programs, deadline)
    if len(pairs) < len(SATISFACTION):
        errors["template"] = (
            "Анкеты удовлетворённости наставника и наставляемого должны быть обе в использовании: "
            "включите отключённую или разошлите анкету по отдельности."
        )
    if errors:
        raise ValidationError(errors)
    surveys = []
    for template, audience in pairs:
        try:
            with transaction.atomic():
                surveys.append(
                    _create(
                        institution=institution,
                        template=template,
                        title=f"{title.strip()} ({_side_label(audience)})"[:300],
                        programs=programs,
                        anonymous=anonymous,
                        deadline=deadline,
                        user=user,
                        reason=Survey.Reason.MANUAL,
                        audience=audience,
                    )
                )
        except ValidationError:
            continue  # nobody of this side in the chosen programs
    if not surveys:
        raise ValidationError(
            {"programs": "В выбранных программах нет участников, которым адресованы эти анкеты."}
        )
    return surveys


@transaction.atomic
def survey_send_on_completion(*, program: Program, user: User | None = None) -> list[Survey]:
    """When a program ends (Приложение 2, этап 6.1) its mentees get the mentee satisfaction
    questionnaire and its mentors the mentor one, named after the pair. Not anonymous: in a
    pair, an anonymous answer would not be anonymous anyway, and the curator may need to ask
    back. A program that already has its completion surveys gets no second set."""
    if Survey.objects.filter(programs=program, reason=Survey.Reason.COMPLETION).exists():
        return []
    institution = program.group.institution
    deadline = timezone.localdate() + timedelta(days=COMPLETION_DEADLINE_DAYS)
    pair = program.group.title
    surveys = []
    for template, audience in satisfaction_templates(institution):
        label = QuestionnaireTemplate.Purpose(template.purpose).label
        try:
            with transaction.atomic():
                surveys.append(
                    _create(
                        institution=institution,
                        template=template,
                        title=f"Итоги программы ({label}): {pair}"[:300],
                        programs=[program],
                        anonymous=False,
                        deadline=deadline,
                        user=user,
                        reason=Survey.Reason.COMPLETION,
                        audience=audience,
                    )
                )
        except ValidationError:
            continue  # nobody of this side is left in the group
    return surveys


# --- Answering -------------------------------------------------------------------------------


def questions_of_template(template: QuestionnaireTemplate) -> list[Question]:
    return list(template.questions.order_by("position", "id"))


def questions_of(survey: Survey) -> list[Question]:
    return questions_of_template(survey.template)


def answer_errors(questions: list[Question], values: dict) -> dict[str, str]:
    """Every reason the answers are refused, keyed ``q<question id>``. ``values`` maps a
    question id to an int (scale), a str (single, text) or a list of str (multiple)."""
    errors = {}
    for question in questions:
        value = values.get(question.pk)
        name = f"q{question.pk}"
        empty = value in (None, "", [])
        if empty:
            if question.required:
                errors[name] = "Ответьте на этот вопрос."
            continue
        if question.kind == Question.Kind.SCALE:
            if not isinstance(value, int) or isinstance(value, bool) or value not in SCALE:
                errors[name] = "Оценка — от 1 до 10."
        elif question.kind == Question.Kind.SINGLE:
            if value not in question.choices:
                errors[name] = "Выберите один из предложенных вариантов."
        elif question.kind == Question.Kind.MULTIPLE:
            if not isinstance(value, list | tuple) or any(v not in question.choices for v in value):
                errors[name] = "Выберите варианты из предложенных."
        elif not isinstance(value, str) or len(value) > 5000:
            errors[name] = "Ответ длиннее 5000 знаков: сократите его."
    return errors


def _lock_invitation(invitation: Invitation, user: User) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("survey__template", "person")
        .get(pk=invitation.pk)
    )
    if invitation.person.user_id != user.pk:
        raise ValidationError("Отвечать на анкету может только тот, кому она адресована.")
    if invitation.answered_at is not None:
        raise ValidationError(
            f"Вы уже ответили на эту анкету {timezone.localtime(invitation.answered_at):%d.%m.%Y}: "
            "второй раз ответ не принимается."
        )
    return invitation


@transaction.atomic
def survey_answer(*, invitation: Invitation, user: User, values: dict) -> Response:
    """Saves the person's answers once. The invitation row is locked, so a double submit
    saves one response. An anonymous response is kept without the invitation, the program
    and the time of day; the invitation is marked answered in the same transaction."""
    invitation = _lock_invitation(invitation, user)
    survey = invitation.survey
    questions = questions_of(survey)
    if errors := answer_errors(questions, values):
        raise ValidationError(errors)
    now = timezone.now()
    if survey.anonymous:
        day = timezone.localdate(now)
        submitted_at = timezone.make_aware(datetime.combine(day, time.min))
    else:
        submitted_at = now
    response = Response(
        survey=survey,
        invitation=None if survey.anonymous else invitation,
        program=None if survey.anonymous else invitation.program,
        role=invitation.role,
        submitted_at=submitted_at,
    )
    response.full_clean()
    response.save()
    answers = []
    for question in questions:
        value = values.get(question.pk)
        if value in (None, "", []):
            continue
        answer = Answer(response=response, question=question)
        if question.kind == Question.Kind.SCALE:
            answer.scale = value
        elif question.kind == Question.Kind.SINGLE:
            answer.choices = [value]
        elif question.kind == Question.Kind.MULTIPLE:
            answer.choices = [c for c in question.choices if c in value]
        else:
            answer.text = value.strip()
        answer.full_clean(exclude=["response", "question"], validate_unique=False)
        answers.append(answer)
    Answer.objects.bulk_create(answers)
    log_created(answers)  # nothing for an anonymous survey (audit/trail.py)
    invitation.answered_at = now
    invitation.save(update_fields=["answered_at"])
    return response


# --- Reminders -------------------------------------------------------------------------------


def _remind(invitations: list[Invitation], now: datetime) -> int:
    """One notification batch per survey; every invitation marked reminded."""
    by_survey = defaultdict(list)
    for invitation in invitations:
        by_survey[invitation.survey].append(invitation)
    for survey, rows in by_survey.items():
        until = f" до {survey.deadline:%d.%m.%Y}" if survey.deadline else ""
        notify(
            users=[i.person.user for i in rows if i.person.user_id],
            text=f"Напоминание: ответьте, пожалуйста, на анкету «{survey.title}»{until}.",
            url=_my_surveys_url(),
        )
    for invitation in invitations:
        invitation.reminded_at = now
    Invitation.objects.bulk_update(invitations, ["reminded_at"])
    return len(invitations)


def _waiting() -> QuerySet:
    return Invitation.objects.filter(answered_at__isnull=True).select_related(
        "survey", "person__user"
    )


@transaction.atomic
def survey_send_reminders(*, today: date) -> int:
    """The daily reminder: those who have not answered, once, ``REMIND_BEFORE_DEADLINE``
    days before the deadline (or ``REMIND_AFTER_SENDING`` days after sending when there is
    none). Returns how many people were reminded."""
    sent_before = timezone.make_aware(
        datetime.combine(today - timedelta(days=REMIND_AFTER_SENDING - 1), time.min)
    )
    due = Q(
        survey__deadline__gte=today,
        survey__deadline__lte=today + timedelta(days=REMIND_BEFORE_DEADLINE),
    ) | Q(survey__deadline__isnull=True, survey__sent_at__lt=sent_before)
    invitations = list(
        _waiting().select_for_update(of=("self",)).filter(due, reminded_at__isnull=True)
    )
    return _remind(invitations, timezone.now())


@transaction.atomic
def survey_remind(*, survey: Survey) -> int:
    """The curator's «Напомнить»: everyone who has not answered yet, now."""
    if survey.deadline is not None and survey.deadline < timezone.localdate():
        raise ValidationError(
            f"Срок ответа истёк {survey.deadline:%d.%m.%Y}: напоминать уже поздно."
        )
    invitations = list(_waiting().select_for_update(of=("self",)).filter(survey=survey))
    if not invitations:
        raise ValidationError("Все приглашённые уже ответили: напоминать некому.")
    return _remind(invitations, timezone.now())


# --- Results ---------------------------------------------------------------------------------


def share(answered: int, invited: int) -> int:
    return round(100 * answered / invited) if invited else 0


def _could_answer(prefix: str = "") -> Q:
    """An invitation its person could answer: she has a login (or answered all the same). A
    person without a login never sees the questionnaire (issue 16): she answers on paper or
    not at all, so she is not counted among those who did not answer."""
    return Q(**{f"{prefix}person__user__isnull": False}) | Q(
        **{f"{prefix}answered_at__isnull": False}
    )


def _rate_counts(prefix: str = "") -> dict:
    relation = prefix.rstrip("_") or "pk"
    answered = Q(**{f"{prefix}answered_at__isnull": False})
    return {
        "invited": Count(relation, distinct=True),
        "could_answer": Count(relation, filter=_could_answer(prefix), distinct=True),
        "answered": Count(relation, filter=answered, distinct=True),
    }


@dataclass(frozen=True)
class ResponseRate:
    """The response rate of a survey, one definition wherever it is shown: those who answered
    among those who could (had a login), and how many could not."""

    invited: int
    could_answer: int
    answered: int

    @property
    def without_login(self) -> int:
        return self.invited - self.could_answer

    @property
    def waiting(self) -> int:
        return self.could_answer - self.answered

    @property
    def share(self) -> int:
        return share(self.answered, self.could_answer)


def response_rate(survey: Survey) -> ResponseRate:
    return ResponseRate(**survey.invitations.aggregate(**_rate_counts()))


def surveys_with_counts(institution: Organization) -> list[Survey]:
    """The institution's surveys, each with its ``rate`` (``ResponseRate``)."""
    surveys = list(
        Survey.objects.filter(institution=institution)
        .select_related("template")
        .annotate(**_rate_counts("invitations__"))
    )
    for survey in surveys:
        survey.rate = ResponseRate(
            invited=survey.invited, could_answer=survey.could_answer, answered=survey.answered
        )
    return surveys


@dataclass
class Bar:
    label: str
    count: int
    percent: int


@dataclass
class QuestionResult:
    question: Question
    count: int = 0
    mean: float | None = None
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    # An anonymous survey's scale question answered by too few people (anonymity.may_show):
    # neither its mean nor its distribution is shown.
    withheld: bool = False
    note: str = ""

    @property
    def is_scale(self) -> bool:
        return self.question.kind == Question.Kind.SCALE

    @property
    def is_text(self) -> bool:
        return self.question.kind == Question.Kind.TEXT


@dataclass
class SurveyResults:
    responses: int
    shown: bool  # anonymous surveys hide everything until anonymity.may_show
    questions: list[QuestionResult]

    @property
    def scales(self) -> list[QuestionResult]:
        return [r for r in self.questions if r.is_scale]


def _bars(counts: Counter, labels: list, total: int) -> list[Bar]:
    return [Bar(str(label), counts[label], share(counts[label], total)) for label in labels]


def survey_results(survey: Survey) -> SurveyResults:
    """Per scale question the mean, the count and the distribution 1–10; per choice question
    the counts; the free texts — alphabetically for an anonymous survey, so nothing links
    the answers of one person. Anonymous: nothing until ``anonymity.may_show``."""
    responses = survey.responses.count()
    shown = not survey.anonymous or may_show(answered=responses)
    questions = questions_of(survey)
    if not shown:
        return SurveyResults(responses=responses, shown=False, questions=[])
    by_question = defaultdict(list)
    for answer in Answer.objects.filter(response__survey=survey).order_by(
        "response__submitted_at", "response_id"
    ):
        by_question[answer.question_id].append(answer)
    results = []
    for question in questions:
        answers = by_question[question.pk]
        result = QuestionResult(question=question, count=len(answers))
        if question.kind == Question.Kind.SCALE:
            values = [a.scale for a in answers if a.scale is not None]
            if values and survey.anonymous and not may_show(answered=len(values)):
                result.withheld, result.note = True, TOO_FEW_ANSWERS
            elif values:
                result.mean = round(sum(values) / len(values), 1)
            if not result.withheld:
                result.bars = _bars(Counter(values), list(SCALE), len(values))
        elif question.kind in CHOICE_KINDS:
            counts = Counter(c for a in answers for c in a.choices)
            result.bars = _bars(counts, question.choices, len(answers))
        else:
            result.texts = [a.text for a in answers if a.text]
            if survey.anonymous:
                result.texts.sort(key=str.casefold)
        results.append(result)
    return SurveyResults(responses=responses, shown=True, questions=results)


def response_answers(response: Response) -> list[tuple[Question, Answer | None]]:
    """One person's answers of a non-anonymous survey, in the order of the questions."""
    answers = {a.question_id: a for a in response.answers.all()}
    return [(q, answers.get(q.pk)) for q in questions_of(response.survey)]


def person_invitations(person: Person) -> QuerySet:
    return (
        Invitation.objects.filter(person=person)
        .select_related("survey", "program")
        .order_by(F("answered_at").desc(nulls_first=True), "-survey__sent_at")
    )
