"""The bank of best practices, «методическая копилка» (Приложение 2, этап 6–7; п. 3.3, п. 3.4):
the list with filters and a title search, a practice with its materials, creation from a
completed program or without one, changes, materials, the curator's approval for publication.

Who: the curator and the council describe practices; the curator approves them; the head and the
sysadmin read (the sysadmin will publish the approved ones in the public section). Mentors,
mentees, teachers and another institution's staff get 404."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from mentoring_site.lib.downloads import attachment
from mentoring_site.lib.forms import add_service_errors, error_text, limit_to_institution, posted
from mentoring_site.lib.pages import list_page
from mentoring_site.lib.versions import StaleVersion
from programs.models import Program
from registry.roles import roles_for
from reports.access import material_for_user, practice_for_user, practices_viewer
from reports.forms.practices import (
    DeleteForm,
    MaterialForm,
    PracticeFilterForm,
    PracticeForm,
    PracticeSearchForm,
)
from reports.models import Practice
from reports.services import practices as services

PAGE_SIZE = 25
SEARCH_KEY = "practice_search"


def _list_url() -> str:
    return reverse("reports:practice-list")


def _detail_url(practice: Practice, anchor: str = "") -> str:
    return reverse("reports:practice-detail", args=[practice.pk]) + (f"#{anchor}" if anchor else "")


def _crumbs(*tail) -> list:
    crumbs = [("Главная", reverse("home"))]
    if not tail:
        return crumbs + [("Методическая копилка", None)]
    return crumbs + [("Методическая копилка", _list_url()), *tail]


def _practice_crumbs(practice: Practice, title: str) -> list:
    return _crumbs((practice.title, _detail_url(practice)), (title, None))


def _editor(request, practice, access) -> bool:
    """Readers get 403; an editor of an approved practice is told to return it first."""
    if not access.is_editor:
        raise PermissionDenied
    if access.can_edit:
        return True
    messages.error(
        request,
        "Практика одобрена для публикации: чтобы изменить её, куратор возвращает её в черновик.",
    )
    return False


# --- The list --------------------------------------------------------------------------------


@login_required
def practice_list(request):
    roles = practices_viewer(request)
    practices = Practice.objects.filter(institution=roles.institution)
    form = PracticeFilterForm(request.GET or None, tags=services.all_tags(practices))
    limit_to_institution(form, roles.institution)
    search = request.session.get(SEARCH_KEY, "")
    found = services.filter_practices(
        practices.select_related("direction", "program__group").prefetch_related(
            "program__group__members__person"
        ),
        search=search,
        **form.values,
    ).order_by("-created_at", "-pk")
    page_obj = list_page(request, found, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/practices/practice_list.html",
        {
            "filter_form": form,
            "search_form": PracticeSearchForm(initial={"q": search}),
            "search": search,
            "filtered": form.is_filtered or bool(search),
            "page_obj": page_obj,
            "practices": page_obj.object_list,
            "can_create": roles.can_edit_practices,
            "query_without_page": query.urlencode() + "&" if query else "",
            "crumbs": _crumbs(),
        },
    )


@require_POST
@login_required
def practice_search(request):
    """Keeps the title search in the session and returns to the list (no names in URLs)."""
    practices_viewer(request)
    form = PracticeSearchForm(request.POST)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if text:
        request.session[SEARCH_KEY] = text
    else:
        request.session.pop(SEARCH_KEY, None)
    return redirect(_list_url())


# --- Creation and changes -----------------------------------------------------------------


def _form_page(request, form, *, practice=None, program=None):
    title = "Изменение практики" if practice else "Новая практика в методической копилке"
    crumbs = _practice_crumbs(practice, title) if practice else _crumbs((title, None))
    return render(
        request,
        "reports/practices/practice_form.html",
        {
            "form": form,
            "practice": practice,
            "program": program,
            "title": title,
            "crumbs": crumbs,
        },
    )


def _create(request, roles, *, program=None):
    practice = Practice(institution=roles.institution, program=program)
    initial = services.practice_initial(program) if program else None
    form = PracticeForm(posted(request), instance=practice, initial=initial)
    limit_to_institution(form, roles.institution)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.practice_save(practice=form.instance, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Практика «{practice.title}» добавлена в методическую копилку как черновик. "
                "Добавьте материалы; куратор одобрит её для публикации.",
            )
            return redirect(_detail_url(practice))
    return _form_page(request, form, program=program)


def _creator(request):
    roles = practices_viewer(request)
    if not roles.can_edit_practices:
        raise PermissionDenied
    return roles


@login_required
def practice_create(request):
    """A practice described without a program (an experience of the institution)."""
    return _create(request, _creator(request))


@login_required
def practice_create_from_program(request, pk):
    """«Добавить в методическую копилку» on a completed program's page (п. 8.2: results only
    after completion)."""
    roles = _creator(request)
    program = get_object_or_404(
        Program.objects.select_related("group").prefetch_related(
            "group__members__person", "group__directions"
        ),
        pk=pk,
        group__institution=roles.institution,
    )
    try:
        services.require_completed(program)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("programs:program-detail", pk=program.pk)
    return _create(request, roles, program=program)


@login_required
def practice_update(request, pk):
    practice, access = practice_for_user(request, pk)
    if not _editor(request, practice, access):
        return redirect(_detail_url(practice))
    form = PracticeForm(posted(request), instance=practice)
    limit_to_institution(form, practice.institution)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.practice_save(
                practice=form.instance, user=request.user, version=form.version
            )
        except StaleVersion as error:
            form.refuse_stale(error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Практика «{practice.title}» сохранена.")
            return redirect(_detail_url(practice))
    return _form_page(request, form, practice=practice, program=practice.program)


# --- A practice -----------------------------------------------------------------------------


@login_required
def practice_detail(request, pk):
    practice, access = practice_for_user(request, pk)
    program = practice.program
    if program is not None:
        prefetch_related_objects([program.group], "members__person")  # the pair's title
    roles = roles_for(request)
    return render(
        request,
        "reports/practices/practice_detail.html",
        {
            "practice": practice,
            "access": access,
            "program": program,
            "program_title": program.group.title if program else "",
            "materials": list(practice.materials.all()),
            "material_form": MaterialForm() if access.can_edit else None,
            "can_open_programs": roles.can_view_banks,
            "crumbs": _crumbs((practice.title, None)),
        },
    )


def _curator(request, pk) -> Practice:
    practice, access = practice_for_user(request, pk)
    if not access.is_curator:
        raise PermissionDenied
    return practice


def _refusal(error: ValidationError) -> str:
    """The approval's refusal as one message, each field's reason after the field's name
    (the approval is a button on the practice's page, not a form of its fields)."""
    if not hasattr(error, "error_dict"):
        return error_text(error)
    return " ".join(
        f"«{Practice._meta.get_field(field).verbose_name.capitalize()}»: {' '.join(texts)}"
        for field, texts in error.message_dict.items()
    )


@require_POST
@login_required
def practice_approve(request, pk):
    practice = _curator(request, pk)
    try:
        services.practice_approve(practice=practice, user=request.user)
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(
            request,
            f"Практика «{practice.title}» одобрена для публикации в открытом разделе сайта.",
        )
    return redirect(_detail_url(practice))


@require_POST
@login_required
def practice_unapprove(request, pk):
    practice = _curator(request, pk)
    try:
        services.practice_unapprove(practice=practice, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, f"Практика «{practice.title}» возвращена в черновик: её можно изменить."
        )
    return redirect(_detail_url(practice))


# --- Materials --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def material_upload(request, pk):
    practice, access = practice_for_user(request, pk)
    if not _editor(request, practice, access):
        return redirect(_detail_url(practice))
    form = MaterialForm(request.POST, request.FILES) if request.method == "POST" else MaterialForm()
    if form.is_bound and form.is_valid():
        try:
            material = services.material_add(
                practice=practice, file=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Файл «{material.name}» добавлен к практике.")
            return redirect(_detail_url(practice, "materials-title"))
    return render(
        request,
        "reports/practices/material_upload.html",
        {
            "practice": practice,
            "form": form,
            "crumbs": _practice_crumbs(practice, "Материал к практике"),
        },
    )


@login_required
def material_download(request, pk):
    material, _, _ = material_for_user(request, pk)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = material.file.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        handle,
        content_type=mimetypes.types_map.get(f".{extension}", "application/octet-stream"),
    )
    return attachment(response, material.name)


@require_http_methods(["GET", "POST"])
@login_required
def material_delete(request, pk):
    """GET asks, naming the file (the page works without JavaScript); POST deletes it."""
    material, practice, access = material_for_user(request, pk)
    if not _editor(request, practice, access):
        return redirect(_detail_url(practice))
    if request.method == "POST":
        try:
            services.material_delete(material=material, user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, f"Файл «{material.name}» удалён из материалов практики.")
        return redirect(_detail_url(practice, "materials-title"))
    return render(
        request,
        "reports/practices/material_delete.html",
        {
            "practice": practice,
            "material": material,
            "form": DeleteForm(),
            "crumbs": _practice_crumbs(practice, "Удаление материала"),
        },
    )
