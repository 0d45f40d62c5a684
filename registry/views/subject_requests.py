"""The register of data subjects' written requests (152-ФЗ ст. 14, 20, 21): the list, a new
request, one request with its deadline, the extension and the answer. The head and the curator
keep it: a written request is addressed to the head, the curator prepares the answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from registry.forms.subject_requests import AnswerForm, ExtendForm, SubjectRequestForm
from registry.models import SubjectRequest
from registry.roles import require, roles_for
from registry.services import subject_requests as services


def _keeps_register(roles) -> bool:
    return roles.is_head or roles.is_curator


def _crumbs(title: str | None = None) -> list:
    crumbs = [("Главная", reverse("home"))]
    if title is None:
        return [*crumbs, ("Запросы субъектов персональных данных", None)]
    return [
        *crumbs,
        ("Запросы субъектов персональных данных", reverse("registry:subject-request-list")),
        (title, None),
    ]


@login_required
@require(_keeps_register)
def subject_request_list(request):
    roles = roles_for(request)
    status = request.GET.get("status", "")
    if status not in services.STATUS_FILTERS:
        status = ""
    today = timezone.localdate()
    rows = [
        (item, services.status_text(item, today), services.is_overdue(item, today))
        for item in services.requests_of(roles.institution, status, today)
    ]
    return render(
        request,
        "registry/personal_data/subject_request_list.html",
        {
            "rows": rows,
            "status": status,
            "filters": services.STATUS_FILTERS,
            "crumbs": _crumbs(),
        },
    )


@login_required
@require(_keeps_register)
def subject_request_create(request):
    roles = roles_for(request)
    form = SubjectRequestForm(request.POST or None, institution=roles.institution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.subject_request_record(
                institution=roles.institution,
                person=data["person"],
                subject_name=data["subject_name"],
                kind=data["kind"],
                summary=data["summary"],
                received_on=data["received_on"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Запрос внесён в реестр. Срок ответа — {item.deadline:%d.%m.%Y}."
            )
            return redirect("registry:subject-request-detail", pk=item.pk)
    return render(
        request,
        "registry/personal_data/subject_request_form.html",
        {"form": form, "crumbs": _crumbs("Новый запрос")},
    )


def _detail(request, item, *, extend_form=None, answer_form=None, status=200):
    return render(
        request,
        "registry/personal_data/subject_request_detail.html",
        {
            "item": item,
            "status_text": services.status_text(item),
            "overdue": services.is_overdue(item),
            "extendable": services.TERMS[item.kind].extendable
            and item.extended_on is None
            and item.answered_on is None,
            "term": services.TERMS[item.kind],
            "extension_days": services.EXTENSION_WORKING_DAYS,
            "extend_form": extend_form or ExtendForm(),
            "answer_form": answer_form or AnswerForm(),
            "crumbs": _crumbs(f"Запрос от {item.received_on:%d.%m.%Y}"),
        },
        status=status,
    )


def _item(request, pk) -> SubjectRequest:
    roles = roles_for(request)
    return get_object_or_404(
        SubjectRequest.objects.select_related("person"), pk=pk, institution=roles.institution
    )


@login_required
@require(_keeps_register)
def subject_request_detail(request, pk):
    return _detail(request, _item(request, pk))


@login_required
@require(_keeps_register)
@require_POST
def subject_request_extend(request, pk):
    item = _item(request, pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            item = services.subject_request_extend(
                subject_request=item,
                reason=form.cleaned_data["extension_reason"],
                on=timezone.localdate(),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Срок продлён до {item.deadline:%d.%m.%Y}. Отправьте человеку уведомление "
                "с причиной продления.",
            )
            return redirect("registry:subject-request-detail", pk=item.pk)
    return _detail(request, item, extend_form=form)


@login_required
@require(_keeps_register)
@require_POST
def subject_request_answer(request, pk):
    item = _item(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            item = services.subject_request_answer(
                subject_request=item,
                answered_on=form.cleaned_data["answered_on"],
                answer=form.cleaned_data["answer"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Ответ от {item.answered_on:%d.%m.%Y} внесён.")
            return redirect("registry:subject-request-detail", pk=item.pk)
    return _detail(request, item, answer_form=form)
