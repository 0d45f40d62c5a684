"""The questionnaires' pages (п. 3.3; Приложение 2, этап 6.1; DOMAIN.md §2, §5).

The curator keeps templates, sends surveys, reminds and reads the results; the council reads
the results; every person answers their own invitations under «Мои анкеты». An anonymous
survey shows only aggregates, and only from three responses on; no page shows one response of
it. One access helper per object type; outsiders get 404, readers without the right 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.trail import log_export
from mentoring_site.lib.downloads import dated_name, xlsx_response
from mentoring_site.lib.forms import add_service_errors, error_text, posted
from mentoring_site.lib.versions import StaleVersion
from registry.models import GroupMember
from registry.roles import roles_for
from reports.access import (
    invitation_for_user,
    question_for_user,
    response_for_user,
    survey_for_user,
    survey_manager,
    survey_reader,
    template_for_user,
)
from reports.forms.surveys import (
    AnswerForm,
    QuestionForm,
    SurveyFilterForm,
    SurveyForm,
    TemplateForm,
)
from reports.models import Question, QuestionnaireTemplate, Response
from reports.services import surveys as services
from reports.services.survey_workbook import survey_workbook


def _person_of_answerer(request):
    roles = roles_for(request)
    if roles.institution is None or roles.person is None:
        raise Http404
    return roles.person


# --- Breadcrumbs -----------------------------------------------------------------------------


def _crumbs(*tail, section: str = "surveys") -> list:
    crumbs = [("Главная", reverse("home"))]
    if section == "templates":
        crumbs.append(("Шаблоны анкет", reverse("reports:template-list") if tail else None))
    elif section == "surveys":
        crumbs.append(("Анкетирование", reverse("reports:survey-list") if tail else None))
    else:
        crumbs.append(("Мои анкеты", reverse("reports:my-surveys") if tail else None))
    return crumbs + list(tail)


def _template_url(template) -> str:
    return reverse("reports:template-detail", args=[template.pk])


def _template_crumbs(template, *tail) -> list:
    if not tail:
        return _crumbs((template.title, None), section="templates")
    return _crumbs((template.title, _template_url(template)), *tail, section="templates")


# --- Templates and questions -----------------------------------------------------------------


@login_required
def template_list(request):
    roles = survey_reader(request)
    templates = list(
        services.templates_for(roles.institution)
        .annotate(question_count=Count("questions"))
        .order_by(F("institution").asc(nulls_first=True), "-is_active", "title")
    )
    return render(
        request,
        "reports/surveys/template_list.html",
        {
            "shared": [t for t in templates if t.institution_id is None],
            "own": [t for t in templates if t.institution_id is not None],
            "can_manage": roles.can_manage_surveys,
            "crumbs": _crumbs(section="templates"),
        },
    )


@login_required
def template_create(request):
    roles = survey_manager(request)
    form = TemplateForm(
        posted(request), instance=QuestionnaireTemplate(institution=roles.institution)
    )
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_save(template=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Анкета «{template.title}» создана. Добавьте вопросы.")
            return redirect(_template_url(template))
    title = "Новая анкета"
    return render(
        request,
        "reports/surveys/template_form.html",
        {"form": form, "title": title, "crumbs": _crumbs((title, None), section="templates")},
    )


@login_required
def template_detail(request, pk):
    template, access = template_for_user(request, pk)
    return render(
        request,
        "reports/surveys/template_detail.html",
        {
            "template": template,
            "access": access,
            "questions": services.questions_of_template(template),
            "crumbs": _template_crumbs(template),
        },
    )


@login_required
def template_update(request, pk):
    template, access = template_for_user(request, pk)
    if not access.can_rename:
        raise PermissionDenied
    form = TemplateForm(posted(request), instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_save(template=form.instance, version=form.version)
        except StaleVersion as error:
            form.refuse_stale(error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Анкета «{template.title}» сохранена.")
            return redirect(_template_url(template))
    title = "Изменение анкеты"
    return render(
        request,
        "reports/surveys/template_form.html",
        {
            "form": form,
            "template": template,
            "title": title,
            "crumbs": _template_crumbs(template, (title, None)),
        },
    )


@require_POST
@login_required
def template_copy(request, pk):
    template, access = template_for_user(request, pk)
    if not access.can_copy:
        raise PermissionDenied
    copy = services.template_copy(template=template, institution=roles_for(request).institution)
    messages.success(
        request, f"Сделана копия «{copy.title}»: измените её вопросы под своё учреждение."
    )
    return redirect(_template_url(copy))


def _set_active(request, pk, active: bool):
    template, access = template_for_user(request, pk)
    if not access.can_rename:
        raise PermissionDenied
    services.template_set_active(template=template, active=active)
    if active:
        messages.success(request, f"Анкета «{template.title}» снова используется.")
    else:
        messages.success(
            request,
            f"Анкета «{template.title}» отключена: её больше нельзя разослать, "
            "прежние ответы сохранены.",
        )
    return redirect(_template_url(template))


@require_POST
@login_required
def template_deactivate(request, pk):
    return _set_active(request, pk, active=False)


@require_POST
@login_required
def template_activate(request, pk):
    return _set_active(request, pk, active=True)


def _editor(request, template, access) -> bool:
    """May the user change the questions now? Readers get 403; a shared or a sent template
    gets a message (the caller redirects)."""
    if not access.is_manager:
        raise PermissionDenied
    if access.can_edit:
        return True
    if not access.is_own:
        messages.error(request, "Общий шаблон не меняется: сделайте копию и измените её.")
    else:
        messages.error(
            request,
            "Анкета уже разослана: её вопросы не меняются, чтобы полученные ответы остались "
            "понятными. Сделайте копию и измените её.",
        )
    return False


def _question_page(request, template, form, title, question=None):
    return render(
        request,
        "reports/surveys/question_form.html",
        {
            "template": template,
            "form": form,
            "question": question,
            "title": title,
            "crumbs": _template_crumbs(template, (title, None)),
        },
    )


@login_required
def question_create(request, pk):
    template, access = template_for_user(request, pk)
    if not _editor(request, template, access):
        return redirect(_template_url(template))
    form = QuestionForm(posted(request), instance=Question(template=template))
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_save(question=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Вопрос «{question.text}» добавлен в анкету.")
            return redirect(_template_url(template))
    return _question_page(request, template, form, "Новый вопрос")


@login_required
def question_update(request, pk):
    question, template, access = question_for_user(request, pk)
    if not _editor(request, template, access):
        return redirect(_template_url(template))
    form = QuestionForm(posted(request), instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_save(question=form.instance, version=form.version)
        except StaleVersion as error:
            form.refuse_stale(error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Вопрос «{question.text}» сохранён.")
            return redirect(_template_url(template))
    return _question_page(request, template, form, "Изменение вопроса", question)


@require_POST
@login_required
def question_delete(request, pk):
    question, template, access = question_for_user(request, pk)
    if _editor(request, template, access):
        services.question_delete(question=question)
        messages.success(request, f"Вопрос «{question.text}» удалён из анкеты.")
    return redirect(_template_url(template))


def _move(request, pk, up: bool):
    question, template, access = question_for_user(request, pk)
    if _editor(request, template, access):
        if services.question_move(question=question, up=up):
            where = "выше" if up else "ниже"
            messages.success(request, f"Вопрос «{question.text}» перемещён {where}.")
        else:
            messages.info(
                request, f"Вопрос «{question.text}» уже {'первый' if up else 'последний'}."
            )
    return redirect(_template_url(template))


@require_POST
@login_required
def question_up(request, pk):
    return _move(request, pk, up=True)


@require_POST
@login_required
def question_down(request, pk):
    return _move(request, pk, up=False)


# --- Surveys: sending, the list, the results -------------------------------------------------


def paper_warning(count: int) -> str:
    """How many of those invited have no login and need the questionnaire on paper."""
    return (
        f"Без входа в систему — {count}: они не увидят анкету. Дайте им заполнить её на бумаге; "
        "в доле ответивших они не учитываются."
    )


@login_required
def survey_list(request):
    roles = survey_reader(request)
    surveys = services.surveys_with_counts(roles.institution)
    return render(
        request,
        "reports/surveys/survey_list.html",
        {
            "surveys": surveys,
            "can_manage": roles.can_manage_surveys,
            "crumbs": _crumbs(),
        },
    )


def _programs(institution, status: str):
    programs = (
        services.sendable_programs(institution)
        .select_related("group")
        .prefetch_related(
            Prefetch(
                "group__members",
                queryset=GroupMember.objects.filter(left_on__isnull=True).select_related("person"),
            )
        )
    )
    return programs.filter(status=status) if status else programs


@login_required
def survey_create(request):
    roles = survey_manager(request)
    data = posted(request)
    # The filter by status is part of the page: GET on the way in, a hidden field when sent.
    filter_form = SurveyFilterForm(data or request.GET or None)
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    templates = services.templates_for(roles.institution).filter(is_active=True)
    initial = {}
    template_pk = request.GET.get("template", "")
    # ASCII digits only: "²".isdigit() is true, but no id can be read from it.
    if (
        template_pk.isascii()
        and template_pk.isdigit()
        and templates.filter(pk=template_pk).exists()
    ):
        initial["template"] = int(template_pk)
    form = SurveyForm(
        data,
        templates=templates,
        programs=_programs(roles.institution, status),
        satisfaction=services.satisfaction_templates(roles.institution),
        initial=initial,
    )
    if data is not None and form.is_valid():
        send = _send_both_satisfaction if form.sends_both_satisfaction else _send_one
        sent = send(request, roles, form)
        if sent is not None:
            return sent
    return _survey_form_page(request, form, filter_form, status)


def _send_one(request, roles, form):
    """Sends the chosen questionnaire; the redirect, or None with the refusal on the form."""
    try:
        survey = services.survey_send(
            institution=roles.institution,
            template=form.cleaned_data["template"],
            title=form.cleaned_data["title"],
            programs=form.cleaned_data["programs"],
            anonymous=form.cleaned_data["anonymous"],
            deadline=form.cleaned_data["deadline"],
            user=request.user,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    rate = services.response_rate(survey)
    messages.success(
        request,
        f"Анкета «{survey.title}» разослана: приглашено участников — {rate.invited}. "
        "Каждый получил уведомление в личном кабинете и по почте.",
    )
    if rate.without_login:
        messages.warning(request, paper_warning(rate.without_login))
    return redirect(services.survey_url(survey))


def _send_both_satisfaction(request, roles, form):
    """Sends the two satisfaction questionnaires, each to its side; the redirect, or None
    with the refusal on the form."""
    try:
        surveys = services.survey_send_satisfaction(
            institution=roles.institution,
            title=form.cleaned_data["title"],
            programs=form.cleaned_data["programs"],
            anonymous=form.cleaned_data["anonymous"],
            deadline=form.cleaned_data["deadline"],
            user=request.user,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    sent = "; ".join(f"«{s.title}» — {s.invitations.count()}" for s in surveys)
    messages.success(
        request,
        f"Анкеты удовлетворённости разосланы, приглашено участников: {sent}. Каждый получил "
        "анкету своей роли и уведомление в личном кабинете и по почте.",
    )
    return redirect("reports:survey-list")


def _survey_form_page(request, form, filter_form, status):
    title = "Разослать анкету"
    return render(
        request,
        "reports/surveys/survey_form.html",
        {
            "form": form,
            "filter_form": filter_form,
            "status": status,
            "title": title,
            "crumbs": _crumbs((title, None)),
        },
    )


@login_required
def survey_detail(request, pk):
    survey, access = survey_for_user(request, pk)
    invitations = list(
        survey.invitations.select_related("person", "program").order_by(
            "person__last_name", "person__first_name", "pk"
        )
    )
    response_ids = {}
    if access.can_open_responses:
        response_ids = dict(
            Response.objects.filter(survey=survey).values_list("invitation_id", "pk")
        )
    for invitation in invitations:
        invitation.response_pk = response_ids.get(invitation.pk)
    rate = services.response_rate(survey)
    return render(
        request,
        "reports/surveys/survey_detail.html",
        {
            "survey": survey,
            "access": access,
            "results": services.survey_results(survey),
            "invitations": invitations,
            "rate": rate,
            "waiting": rate.waiting,
            "crumbs": _crumbs((survey.title, None)),
        },
    )


@login_required
def survey_export(request, pk):
    """«Скачать Excel»: the results as the survey's page shows them, one line per answer."""
    survey, _access = survey_for_user(request, pk)
    content = survey_workbook(survey=survey, results=services.survey_results(survey))
    log_export(request.user, survey, "результаты анкетирования (Excel)", survey.institution)
    name = dated_name(f"Результаты анкетирования {survey.title}", timezone.localdate())
    return xlsx_response(content, name)


@require_POST
@login_required
def survey_remind(request, pk):
    survey, access = survey_for_user(request, pk)
    if not access.can_remind:
        raise PermissionDenied
    try:
        count = services.survey_remind(survey=survey)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Напоминание отправлено не ответившим: {count}.")
    return redirect(services.survey_url(survey))


@login_required
def response_detail(request, pk):
    response, survey = response_for_user(request, pk)
    person = response.invitation.person if response.invitation else None
    # The page title (the browser's tab and history) carries initials, the heading the full name.
    title = f"Ответ: {person.short_name}" if person else "Ответ участника"
    return render(
        request,
        "reports/surveys/response_detail.html",
        {
            "response": response,
            "survey": survey,
            "person": person,
            "answers": services.response_answers(response),
            "title": title,
            "heading": f"Ответ: {person.full_name}" if person else title,
            "crumbs": _crumbs((survey.title, services.survey_url(survey)), (title, None)),
        },
    )


# --- Answering -------------------------------------------------------------------------------


@login_required
def my_surveys(request):
    person = _person_of_answerer(request)
    invitations = list(services.person_invitations(person))
    return render(
        request,
        "reports/surveys/my_surveys.html",
        {
            "waiting": [i for i in invitations if i.answered_at is None],
            "answered": [i for i in invitations if i.answered_at is not None],
            "crumbs": _crumbs(section="mine"),
        },
    )


@login_required
def survey_answer(request, pk):
    invitation = invitation_for_user(request, pk)
    survey = invitation.survey
    if invitation.answered_at is not None:
        messages.info(
            request,
            f"Вы уже ответили на анкету «{survey.title}». Спасибо! Второй раз ответ не "
            "принимается.",
        )
        return redirect("reports:my-surveys")
    questions = services.questions_of(survey)
    form = AnswerForm(posted(request), questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(invitation=invitation, user=request.user, values=form.values())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # answered meanwhile, in another tab
                messages.error(request, error_text(error))
                return redirect("reports:my-surveys")
            add_service_errors(form, error)
        else:
            messages.success(request, f"Спасибо! Ваши ответы на анкету «{survey.title}» сохранены.")
            return redirect("reports:my-surveys")
    return render(
        request,
        "reports/surveys/survey_answer.html",
        {
            "invitation": invitation,
            "survey": survey,
            "form": form,
            "crumbs": _crumbs((survey.title, None), section="mine"),
        },
    )
