"""Import of a staff list and export of the banks to Excel (п. 3.3; Приложение 2, этапы 2–3)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit import trail
from mentoring_site.lib.downloads import xlsx_response
from mentoring_site.lib.russian import plural
from mentoring_site.lib.spreadsheets import filter_lines
from registry import exports
from registry.access import bank_editor_required, import_for_user
from registry.forms.imports import ColumnMappingForm, StaffImportForm
from registry.models import Organization, Position
from registry.roles import roles_for
from registry.services import imports as services
from registry.views.people import filtered_bank


def _upload_crumbs(title: str | None = None) -> list:
    crumbs = [("Главная", reverse("home")), ("Участники", reverse("registry:person-list"))]
    upload = "Загрузка списка сотрудников"
    if title is None:
        return [*crumbs, (upload, None)]
    return [*crumbs, (upload, reverse("registry:import-upload")), (title, None)]


@login_required
def bank_export(request, bank):
    roles = roles_for(request)
    if roles.institution is None or not roles.can_view_banks:
        raise Http404
    if not roles.can_export_banks:
        raise PermissionDenied
    if bank not in exports.BANK_TITLES:
        raise Http404
    filterset, people, searches = filtered_bank(request, bank, roles.institution)
    content = exports.bank_workbook(
        bank=bank,
        people=people,
        filters=filter_lines(filterset.form, search="; ".join(searches)),
    )
    trail.log_export(
        request.user,
        None,
        f"выгрузка банка «{exports.BANK_TITLES[bank]}» (XLSX)",
        roles.institution,
    )
    return xlsx_response(content, exports.bank_filename(bank, timezone.localdate()))


@bank_editor_required
def import_upload(request):
    roles = roles_for(request)
    # Bound on every POST: a submission without a file must say so.
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = StaffImportForm(*data, institution=roles.institution)
    if request.method == "POST" and form.is_valid():
        staff_import = services.staff_import_create(
            institution=roles.institution, user=request.user, upload=form.cleaned_data["file"]
        )
        summary = services.import_summary(staff_import.rows)
        sheets = len(staff_import.sheets)
        other_sheets = (
            f" В книге {sheets} {plural(sheets, 'лист', 'листа', 'листов')} с данными: "
            f"прочитан «{staff_import.sheet_name}», другой можно выбрать ниже."
            if sheets > 1
            else ""
        )
        messages.success(
            request,
            f"Файл «{staff_import.filename}» проверен: строк — {summary['total']}. "
            f"Посмотрите результат и подтвердите загрузку.{other_sheets}",
        )
        return redirect("registry:import-preview", pk=staff_import.pk)
    partners = Organization.objects.filter(partner_of=roles.institution).order_by("short_name")
    return render(
        request,
        "registry/imports/upload.html",
        {
            "form": form,
            "columns": services.COLUMNS,
            "positions": Position.objects.visible_to(roles.institution).filter(is_active=True),
            "partners": partners,
            "crumbs": _upload_crumbs(),
        },
    )


@bank_editor_required
def import_template(request):
    return xlsx_response(services.staff_import_template(), "Шаблон списка сотрудников.xlsx")


def _render_preview(request, staff_import, mapping_form=None):
    summary = services.import_counts(staff_import)
    to_create = summary["to_create"]
    records = plural(to_create, "запись", "записи", "записей")
    if mapping_form is None and staff_import.is_preview and staff_import.sheets:
        mapping_form = ColumnMappingForm(staff_import=staff_import)
    return render(
        request,
        "registry/imports/preview.html",
        {
            "staff_import": staff_import,
            "rows": staff_import.rows,
            "summary": summary,
            "mapping_form": mapping_form,
            "can_confirm": (
                staff_import.is_preview and not summary["errors"] and summary["to_create"] > 0
            ),
            "confirm_label": f"Загрузить {to_create} {records}",
            "crumbs": _upload_crumbs(f"Проверка файла «{staff_import.filename}»"),
        },
    )


@bank_editor_required
def import_preview(request, pk):
    return _render_preview(request, import_for_user(request, pk))


@bank_editor_required
@require_POST
def import_remap(request, pk):
    """The mapping step: another sheet, or another meaning of the columns; the rows are
    checked again and the choice is remembered for the institution's next list."""
    staff_import = import_for_user(request, pk)
    form = ColumnMappingForm(request.POST, staff_import=staff_import)
    if not staff_import.is_preview:
        messages.error(request, services.NOT_IN_PREVIEW)
        return redirect("registry:import-preview", pk=staff_import.pk)
    if form.is_valid():
        try:
            staff_import = services.staff_import_remap(
                staff_import=staff_import,
                user=request.user,
                sheet_index=form.cleaned_data["sheet"],
                mapping=form.cleaned_data["mapping"],
            )
        except ValidationError as error:
            form.add_error("sheet" if form.other_sheet() else None, error.messages)
    if form.errors:
        return _render_preview(request, staff_import, form)
    summary = services.import_summary(staff_import.rows)
    messages.success(
        request,
        f"Строки проверены заново (лист «{staff_import.sheet_name}»): строк — "
        f"{summary['total']}, с ошибками — {summary['errors']}.",
    )
    return redirect("registry:import-preview", pk=staff_import.pk)


@bank_editor_required
@require_POST
def import_confirm(request, pk):
    staff_import = import_for_user(request, pk)
    try:
        created, skipped = services.staff_import_confirm(
            staff_import=staff_import, user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:import-preview", pk=staff_import.pk)
    staff = plural(created, "сотрудник", "сотрудника", "сотрудников")
    messages.success(request, f"Загружено {created} {staff}. Пропущено дубликатов: {skipped}.")
    return redirect("registry:person-list")


@bank_editor_required
@require_POST
def import_discard(request, pk):
    staff_import = import_for_user(request, pk)
    try:
        services.staff_import_discard(staff_import=staff_import, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:import-preview", pk=staff_import.pk)
    messages.success(
        request,
        f"Загрузка файла «{staff_import.filename}» отменена, в реестр ничего не записано.",
    )
    return redirect("registry:import-upload")
