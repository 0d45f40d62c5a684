"""Questionnaires teachers fill in themselves (Приложение 2, этапы 2.1 и 3.1) and the
curator's review of them."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mentoring_site.lib.forms import limit_to_institution
from mentoring_site.lib.pages import list_page
from registry.access import bank_viewer_required, questionnaire_for_review, questionnaire_for_user
from registry.forms.questionnaires import FORMS, QuestionnaireFilterForm, RejectForm
from registry.models import Consent, MenteeProfile, MentorProfile, Mode, SelfQuestionnaire
from registry.roles import roles_for
from registry.services import questionnaires as services

KINDS = {
    "mentee-request": SelfQuestionnaire.Kind.MENTEE_REQUEST,
    "mentor": SelfQuestionnaire.Kind.MENTOR,
}
BANK_NAMES = {
    SelfQuestionnaire.Kind.MENTEE_REQUEST: "банк наставляемых",
    SelfQuestionnaire.Kind.MENTOR: "банк наставников",
}
PAGE_SIZE = 25


@login_required
def fill(request, kind):
    questionnaire_kind = KINDS.get(kind)
    person = roles_for(request).person
    if questionnaire_kind is None or person is None:
        raise Http404
    own = person.questionnaires.filter(kind=questionnaire_kind)
    pending = own.filter(status=SelfQuestionnaire.Status.SUBMITTED).first()
    # A new questionnaire after an accepted or rejected one starts from the last answers.
    previous = pending or own.order_by("-submitted_at").first()
    saved = previous.answers if previous else {}
    form_class = FORMS[questionnaire_kind]
    form = form_class(
        request.POST or None,
        initial=form_class.initial_from_answers(saved) if saved else None,
        saved_answers=saved,
        institution=person.institution,
    )
    limit_to_institution(form, person.institution)
    if request.method == "POST" and form.is_valid():
        services.questionnaire_submit(
            person=person, kind=questionnaire_kind, answers=form.answers(), user=request.user
        )
        messages.success(
            request,
            "Анкета отправлена куратору. После рассмотрения она попадёт "
            f"в {BANK_NAMES[questionnaire_kind]}; решение появится на главной странице.",
        )
        return redirect("home")
    return render(
        request,
        "registry/questionnaires/fill.html",
        {
            "form": form,
            "kind": questionnaire_kind,
            "title": SelfQuestionnaire.Kind(questionnaire_kind).label,
            "pending": pending,
            "previous": previous,
            "institution": roles_for(request).institution,
        },
    )


@bank_viewer_required
def review_list(request):
    roles = roles_for(request)
    filter_form = QuestionnaireFilterForm(request.GET or None)
    earlier_accepted = SelfQuestionnaire.objects.filter(
        person=OuterRef("person"),
        kind=OuterRef("kind"),
        status=SelfQuestionnaire.Status.ACCEPTED,
    ).exclude(pk=OuterRef("pk"))
    queryset = (
        SelfQuestionnaire.objects.filter(person__institution=roles.institution)
        .select_related("person")
        .annotate(
            waiting_rank=Case(
                When(status=SelfQuestionnaire.Status.SUBMITTED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            is_update=Exists(earlier_accepted),
        )
        .order_by("waiting_rank", "-submitted_at", "-pk")
    )
    page_obj = list_page(request, filter_form.filter(queryset), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/questionnaires/review_list.html",
        {
            "filter_form": filter_form,
            "page_obj": page_obj,
            "questionnaires": page_obj.object_list,
            "filtered": any(request.GET.get(name) for name in ("status", "kind")),
            "query_without_page": query.urlencode() + "&" if query else "",
            "crumbs": [("Главная", reverse("home")), ("Анкеты педагогов", None)],
        },
    )


def _render_detail(request, questionnaire, can_review, reject_form=None):
    person = questionnaire.person
    answers = questionnaire.answers
    is_mentee_request = questionnaire.kind == SelfQuestionnaire.Kind.MENTEE_REQUEST
    profile_model = MenteeProfile if is_mentee_request else MentorProfile
    consent = (
        Consent.objects.active()
        .filter(person=person, kind=Consent.Kind.PROCESSING)
        .select_related("recorded_by")
        .first()
    )
    mode = (answers.get("preferred_mode") or {}).get("value")
    training = answers.get("training_completed_on")
    return render(
        request,
        "registry/questionnaires/review_detail.html",
        {
            "questionnaire": questionnaire,
            "person": person,
            "answers": answers,
            "is_mentee_request": is_mentee_request,
            "mode_label": Mode(mode).label if mode in Mode.values else "",
            "training_completed_on": date.fromisoformat(training) if training else None,
            "in_bank": profile_model.objects.filter(person=person).exists(),
            "bank_name": BANK_NAMES[questionnaire.kind],
            "consent": consent,
            "can_review": can_review and questionnaire.is_submitted,
            "reject_form": reject_form or RejectForm(),
            "crumbs": [
                ("Главная", reverse("home")),
                ("Анкеты педагогов", reverse("registry:questionnaire-list")),
                (person.short_name, None),
            ],
        },
    )


@login_required
def review_detail(request, pk):
    questionnaire, can_review = questionnaire_for_user(request, pk)
    return _render_detail(request, questionnaire, can_review)


@require_POST
@login_required
def accept(request, pk):
    questionnaire = questionnaire_for_review(request, pk)
    try:
        questionnaire = services.questionnaire_accept(
            questionnaire=questionnaire, user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:questionnaire-detail", pk=questionnaire.pk)
    messages.success(
        request,
        f"Анкета принята и включена в {BANK_NAMES[questionnaire.kind]}: "
        f"{questionnaire.person.full_name}. Данные участника отмечены как актуальные.",
    )
    return redirect("registry:person-detail", pk=questionnaire.person_id)


@require_POST
@login_required
def reject(request, pk):
    questionnaire = questionnaire_for_review(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, questionnaire, True, reject_form=form)
    try:
        services.questionnaire_reject(
            questionnaire=questionnaire, user=request.user, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:questionnaire-detail", pk=questionnaire.pk)
    messages.success(
        request,
        f"Анкета отклонена. {questionnaire.person.full_name} увидит ваш комментарий "
        "в личном кабинете.",
    )
    return redirect("registry:questionnaire-list")
