"""The person's rights under 152-ФЗ: «Все мои данные» (ст. 14) as a page, a PDF and a JSON file;
anonymization after the withdrawal of the processing consent (ст. 21 ч. 5) and the acts of
destruction; the personal-data policy (ст. 18.1 ч. 2), open to everyone."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit import trail
from mentoring_site.lib.documents import (
    FORMATS,
    document_response,
    render_document,
    requested_format,
)
from mentoring_site.lib.downloads import attachment
from registry.access import person_for_user, subject_for
from registry.models import DestructionAct
from registry.roles import require, roles_for
from registry.services import personal_data as services
from registry.services.policy import policy_context


def _log_export(request, person, what: str) -> None:
    trail.log_export(request.user, person, what, person.institution)


@login_required
def my_personal_data(request):
    roles = roles_for(request)
    if roles.person is None:
        raise Http404
    return redirect("registry:person-data", pk=roles.person.pk)


@login_required
def person_data(request, pk):
    person, is_own = subject_for(request, pk)
    data = services.subject_data(person)
    roles = roles_for(request)
    withdrawn_on = services.withdrawal_date(person)
    return render(
        request,
        "registry/personal_data/person_data.html",
        {
            **data,
            "is_own": is_own,
            "destroyed": services.DESTROYED_CATEGORIES,
            "kept": services.KEPT_FOR_STATISTICS,
            "can_anonymize": roles.can_edit_banks
            and withdrawn_on is not None
            and person.anonymized_on is None,
            "withdrawn_on": withdrawn_on,
            "grace_days": services.GRACE_DAYS,
            "crumbs": [
                ("Главная", reverse("home")),
                (person.full_name, reverse("registry:person-detail", args=[person.pk])),
                ("Все данные об участнике" if not is_own else "Все мои данные", None),
            ],
        },
    )


@login_required
def person_data_pdf(request, pk):
    person, is_own = subject_for(request, pk)
    data = services.subject_data(person)
    fmt = requested_format(request)
    content = render_document("documents/person_data.html", {**data, "is_own": is_own}, fmt=fmt)
    _log_export(request, person, f"сведения об участнике ({FORMATS[fmt]}, 152-ФЗ ст. 14)")
    return document_response(content, f"Сведения об участнике {person.pk}.pdf", fmt=fmt)


@login_required
def person_data_json(request, pk):
    person, _ = subject_for(request, pk)
    payload = services.subject_data_json(services.subject_data(person))
    _log_export(request, person, "сведения об участнике (JSON, 152-ФЗ ст. 14)")
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    return attachment(
        response, f"Сведения об участнике {person.pk} {timezone.localdate():%d.%m.%Y}.json"
    )


@require_POST
@login_required
def person_anonymize(request, pk):
    person, _ = person_for_user(request, pk, as_mentor=False)
    if not roles_for(request).can_edit_banks:
        raise PermissionDenied
    try:
        act = services.person_anonymize(person=person, user=request.user)
    except services.PersonalDataError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:person-detail", pk=person.pk)
    messages.success(
        request,
        f"Данные участника обезличены. Составлен акт об уничтожении № {act.number} "
        f"от {act.destroyed_on:%d.%m.%Y}.",
    )
    return redirect("registry:destruction-act-list")


def _can_read_acts(roles) -> bool:
    return roles.can_export_banks


@login_required
@require(lambda roles: roles.can_view_banks)
def destruction_act_list(request):
    roles = roles_for(request)
    if not _can_read_acts(roles):
        raise PermissionDenied
    return render(
        request,
        "registry/personal_data/act_list.html",
        {
            "acts": DestructionAct.objects.filter(institution=roles.institution).select_related(
                "performed_by"
            ),
            "pending": services.pending_anonymization(roles.institution),
            "grace_days": services.GRACE_DAYS,
            "can_anonymize": roles.can_edit_banks,
            "crumbs": [("Главная", reverse("home")), ("Акты об уничтожении", None)],
        },
    )


@login_required
@require(lambda roles: roles.can_view_banks)
def destruction_act_pdf(request, pk):
    roles = roles_for(request)
    act = get_object_or_404(
        DestructionAct.objects.select_related("institution", "performed_by"),
        pk=pk,
        institution=roles.institution,
    )
    if not _can_read_acts(roles):
        raise PermissionDenied
    fmt = requested_format(request)
    content = render_document("documents/destruction_act.html", {"act": act}, fmt=fmt)
    name = f"Акт об уничтожении персональных данных № {act.number}.pdf"
    return document_response(content, name, fmt=fmt)


def policy(request):
    """The policy of the operator (ст. 18.1 ч. 2): open to anyone, linked from every form that
    collects personal data. A signed-in person reads it with their institution named."""
    institution = None
    if request.user.is_authenticated:
        institution = roles_for(request).institution
    return render(request, "registry/personal_data/policy.html", policy_context(institution))
