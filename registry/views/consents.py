"""Consents of a person: record, withdraw, the signed scan (download and upload) and the
printable form."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from audit.trail import log_export
from mentoring_site.lib.documents import FORMATS, document_response, requested_format
from mentoring_site.lib.downloads import attachment
from registry.access import consent_for_user, person_for_editing, person_for_user
from registry.forms.consents import ConsentForm, ConsentScanForm, ConsentWithdrawForm
from registry.models import Consent
from registry.services import consents as services

# The names of downloads (no person's name in them: a downloads folder is not a registry).
CONSENT_FILE_NAMES = {
    Consent.Kind.PROCESSING: "Согласие на обработку персональных данных",
    Consent.Kind.DISSEMINATION: "Согласие на распространение персональных данных",
    Consent.Kind.MENTORING: "Согласие на участие в наставничестве",
}


def _person_crumbs(person, title: str) -> list:
    return [
        ("Главная", reverse("home")),
        ("Участники", reverse("registry:person-list")),
        (person.full_name, reverse("registry:person-detail", args=[person.pk])),
        (title, None),
    ]


@login_required
def consent_create(request, pk):
    person = person_for_editing(request, pk)
    initial = {}
    if request.GET.get("kind") in Consent.Kind.values:
        initial["kind"] = request.GET["kind"]
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        section_url=services.section_url(person.institution),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = services.consent_record(
                person=person,
                kind=data["kind"],
                given_on=data["given_on"],
                method=data["method"],
                scan=data["scan"] or None,
                note=data["note"],
                user=request.user,
                categories=form.categories,
                conditions=data["conditions"],
                resource_url=data["resource_url"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Согласие {consent.get_kind_display()} от {consent.given_on:%d.%m.%Y} внесено.",
            )
            return redirect("registry:person-detail", pk=person.pk)
    return render(
        request,
        "registry/consents/consent_form.html",
        {"form": form, "person": person, "crumbs": _person_crumbs(person, "Новое согласие")},
    )


@login_required
def consent_form_pdf(request, pk, kind):
    if kind not in Consent.Kind.values:
        raise Http404
    person, _ = person_for_user(request, pk, as_mentor=False)
    fmt = requested_format(request)
    content = services.consent_form_render(person=person, kind=kind, fmt=fmt)
    label = Consent.Kind(kind).label
    log_export(request.user, person, f"бланк согласия {label} ({FORMATS[fmt]})")
    return document_response(content, f"{CONSENT_FILE_NAMES[kind]} {person.pk}.pdf", fmt=fmt)


@login_required
def consent_withdraw(request, pk):
    consent, can_edit = consent_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied
    person = consent.person
    form = ConsentWithdrawForm(request.POST or None, consent=consent)
    if request.method == "POST" and form.is_valid():
        withdrawn_on = form.cleaned_data["withdrawn_on"]
        try:
            services.consent_withdraw(consent=consent, withdrawn_on=withdrawn_on, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Согласие {consent.get_kind_display()} отозвано с {withdrawn_on:%d.%m.%Y}. "
                f"{services.WITHDRAW_EFFECTS[consent.kind]}",
            )
            return redirect("registry:person-detail", pk=person.pk)
    return render(
        request,
        "registry/consents/consent_withdraw.html",
        {
            "form": form,
            "consent": consent,
            "person": person,
            "effect": services.WITHDRAW_EFFECTS[consent.kind],
            "crumbs": _person_crumbs(person, "Отзыв согласия"),
        },
    )


@login_required
def consent_scan(request, pk):
    consent, _ = consent_for_user(request, pk)
    if not consent.scan:
        raise Http404
    try:
        handle = consent.scan.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = consent.scan.name.rsplit(".", 1)[-1].lower()
    content_type = mimetypes.types_map.get(f".{extension}", "application/octet-stream")
    return attachment(
        FileResponse(handle, content_type=content_type),
        f"{CONSENT_FILE_NAMES[consent.kind]}, скан {consent.pk}.{extension}",
    )


@login_required
def consent_scan_upload(request, pk):
    consent, can_edit = consent_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied
    person = consent.person
    replacing = bool(consent.scan)
    # Bound on every POST: a submission without a file must say so.
    form = (
        ConsentScanForm(request.POST, request.FILES, consent=consent)
        if request.method == "POST"
        else ConsentScanForm(consent=consent)
    )
    if form.is_bound and form.is_valid():
        services.consent_attach_scan(
            consent=consent, scan=form.cleaned_data["scan"], user=request.user
        )
        done = "заменён" if replacing else "загружен"
        messages.success(
            request,
            f"Скан согласия {consent.get_kind_display()} от {consent.given_on:%d.%m.%Y} {done}.",
        )
        return redirect("registry:person-detail", pk=person.pk)
    return render(
        request,
        "registry/consents/consent_scan_upload.html",
        {
            "form": form,
            "consent": consent,
            "person": person,
            "replacing": replacing,
            "crumbs": _person_crumbs(person, "Скан согласия"),
        },
    )
