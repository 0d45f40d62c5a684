"""Growth records of the participants (п. 3.4, п. 4.2; Приложение 2, этап 6): the list of the
institution with filters and its Excel copy, a record added from a person's page, changed and
deleted. The curator keeps them with the sysadmin (п. 3.3); the head and the council read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from mentoring_site.lib.downloads import xlsx_response
from mentoring_site.lib.forms import add_service_errors, error_text, posted
from mentoring_site.lib.pages import list_page
from mentoring_site.lib.versions import StaleVersion
from registry.models import Person
from registry.roles import roles_for
from reports.access import growth_adder, growth_for_user, growth_viewer
from reports.forms.growth import DeleteForm, GrowthFilterForm, GrowthRecordForm
from reports.models import GrowthRecord
from reports.services import growth as services

PAGE_SIZE = 25


def _person_url(person_id: int) -> str:
    return reverse("registry:person-detail", args=[person_id]) + "#growth-title"


def _crumbs(request, person: Person, title: str) -> list:
    """Главная → Участники (for the staff, who have the list) → the person → …"""
    crumbs = [("Главная", reverse("home"))]
    if roles_for(request).can_view_banks:
        crumbs.append(("Участники", reverse("registry:person-list")))
    return [*crumbs, (person.short_name, _person_url(person.pk)), (title, None)]


# --- The list --------------------------------------------------------------------------------


def _filtered(request, roles):
    form = GrowthFilterForm(request.GET or None)
    records = services.filter_records(services.growth_records(roles.institution), **form.values)
    return form, records


@login_required
def growth_list(request):
    roles = growth_viewer(request)
    form, records = _filtered(request, roles)
    page_obj = list_page(request, records, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/growth/growth_list.html",
        {
            "filter_form": form,
            "filtered": form.is_filtered,
            "page_obj": page_obj,
            "records": page_obj.object_list,
            "can_edit": roles.can_edit_banks,
            "export_query": query.urlencode(),
            "query_without_page": query.urlencode() + "&" if query else "",
            "crumbs": [("Главная", reverse("home")), ("Профессиональный рост", None)],
        },
    )


@login_required
def growth_export(request):
    roles = growth_viewer(request)
    _, records = _filtered(request, roles)
    filename = services.growth_filename(timezone.localdate())
    return xlsx_response(services.growth_workbook(records), filename)


# --- A record ----------------------------------------------------------------------------


def _form_page(request, person, form, *, record=None, mentor=None):
    title = "Изменение достижения" if record else "Новое достижение"
    return render(
        request,
        "reports/growth/growth_form.html",
        {
            "person": person,
            "record": record,
            "mentor_entry": mentor is not None,
            "form": form,
            "title": title,
            "crumbs": _crumbs(request, person, title),
        },
    )


@login_required
def growth_create(request, pk):
    person, mentor = growth_adder(request, pk)
    form = GrowthRecordForm(
        posted(request), instance=GrowthRecord(person=person), person=person, mentor=mentor
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.growth_record_save(
                record=form.instance, user=request.user, category=form.card_category, mentor=mentor
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            text = f"{person.short_name}: достижение «{record.title}» добавлено."
            if record.is_pending:
                text += " Оно войдёт в показатели, когда куратор его подтвердит."
            if form.card_category:
                person.refresh_from_db()
                text += (
                    f" В карточке — категория «{person.get_qualification_category_display()}», "
                    f"аттестация {person.attestation_date:%d.%m.%Y}."
                )
            messages.success(request, text)
            return redirect(_person_url(person.pk))
    return _form_page(request, person, form, mentor=mentor)


def _editor_record(request, pk) -> GrowthRecord:
    record, can_edit = growth_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied
    return record


def _mentor_editing(request) -> Person | None:
    """The mentor changing her own waiting record (the staff keep every record)."""
    roles = roles_for(request)
    return None if roles.can_edit_banks else roles.person


@login_required
def growth_update(request, pk):
    record = _editor_record(request, pk)
    person = record.person
    mentor = _mentor_editing(request)
    form = GrowthRecordForm(posted(request), instance=record, person=person, mentor=mentor)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.growth_record_save(
                record=form.instance, user=request.user, mentor=mentor, version=form.version
            )
        except StaleVersion as error:
            form.refuse_stale(error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Достижение «{record.title}» сохранено.")
            return redirect(_person_url(person.pk))
    return _form_page(request, person, form, record=record, mentor=mentor)


@require_POST
@login_required
def growth_confirm(request, pk):
    """The curator confirms a record a mentor entered (п. 4.2): it counts from now on."""
    record, _ = growth_for_user(request, pk)
    if not roles_for(request).can_edit_banks:
        raise PermissionDenied
    try:
        record = services.growth_record_confirm(record=record, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            f"{record.person.short_name}: достижение «{record.title}» подтверждено и входит в "
            "показатели.",
        )
    if request.POST.get("back") == "list":
        return redirect(reverse("reports:growth-list") + f"?status={GrowthRecord.Status.PENDING}")
    return redirect(_person_url(record.person_id))


@require_http_methods(["GET", "POST"])
@login_required
def growth_delete(request, pk):
    """GET asks, naming the record (the page works without JavaScript); POST deletes it."""
    record = _editor_record(request, pk)
    if request.method == "POST":
        person_id, title = record.person_id, record.title
        services.growth_record_delete(record=record)
        messages.success(
            request,
            f"Достижение «{title}» удалено. Квалификационная категория в карточке не изменилась.",
        )
        return redirect(_person_url(person_id))
    return render(
        request,
        "reports/growth/growth_delete.html",
        {
            "record": record,
            "form": DeleteForm(),
            "crumbs": _crumbs(request, record.person, "Удаление достижения"),
        },
    )
