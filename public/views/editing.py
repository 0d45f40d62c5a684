"""Editing the public section «Наставничество» (п. 8.1): the curator and the sysadmin of the
institution write its pages, documents and news in the application. The head and the council
read the section like any visitor (403 here); everyone else gets 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mentoring_site.lib.forms import add_service_errors, posted
from mentoring_site.lib.versions import StaleVersion
from public import services
from public.access import document_for_editor, news_for_editor, public_editor
from public.forms import (
    PAGE_FIELDS,
    DocumentForm,
    NewsForm,
    SectionSettingsForm,
    SlugForm,
    section_text_form,
)
from public.markup import render_markdown
from registry.models import NewsItem, PublicDocument


def _manage_url(anchor: str = "") -> str:
    return reverse("public:manage") + (f"#{anchor}" if anchor else "")


def _crumbs(*tail) -> list:
    return [("Главная", reverse("home")), ("Раздел «Наставничество»", _manage_url()), *tail]


@login_required
def manage_home(request):
    roles = public_editor(request)
    institution = roles.institution
    section = services.section_for(institution)
    return render(
        request,
        "public/editing/manage.html",
        {
            "section": section,
            "institution": institution,
            "pages": PAGE_FIELDS,
            "documents": PublicDocument.objects.filter(institution=institution),
            "news": NewsItem.objects.filter(institution=institution),
            "now": timezone.now(),
            "crumbs": [("Главная", reverse("home")), ("Раздел «Наставничество»", None)],
        },
    )


@login_required
def settings_edit(request):
    roles = public_editor(request)
    institution = roles.institution
    section = services.section_for(institution)
    data = posted(request)
    slug_form = SlugForm(data, instance=institution, prefix="address")
    form = SectionSettingsForm(data, instance=section)
    if data is not None and slug_form.is_valid() and form.is_valid():
        try:
            services.section_settings_save(
                section=form.save(commit=False),
                institution=institution,
                slug=slug_form.cleaned_data["public_slug"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            state = "опубликован" if section.is_published else "не опубликован"
            messages.success(request, f"Настройки раздела сохранены: раздел {state}.")
            return redirect(_manage_url())
    return render(
        request,
        "public/editing/settings.html",
        {"form": form, "slug_form": slug_form, "crumbs": _crumbs(("Настройки раздела", None))},
    )


@login_required
def page_edit(request, page):
    roles = public_editor(request)
    if page not in PAGE_FIELDS:
        raise Http404
    section = services.section_for(roles.institution)
    form = section_text_form(page)(posted(request), instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_text_save(
                section=section, page=page, text=form.cleaned_data[page], version=form.version
            )
        except StaleVersion as error:
            form.refuse_stale(error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Страница «{PAGE_FIELDS[page]}» сохранена.")
            return redirect(_manage_url("pages"))
    return _page_form_page(request, form, page=page, text=getattr(section, page))


def _page_form_page(request, form, *, page: str, text: str, previewing: bool = False):
    """The form of a page of the section with its text as visitors see it: the saved text, or
    the typed one after «Предпросмотр» (``previewing``)."""
    return render(
        request,
        "public/editing/page_form.html",
        {
            "form": form,
            "page": page,
            "title": PAGE_FIELDS[page],
            "preview": render_markdown(text),
            "previewing": previewing,
            "crumbs": _crumbs((PAGE_FIELDS[page], None)),
        },
    )


def typed_values(request, form_class, **kwargs) -> dict:
    """What was typed into ``form_class``'s fields, to show the form again unsaved: an unticked
    box is off, a file is not sent back (the browser cannot be given it)."""
    fields = form_class(**kwargs).fields
    return {
        name: request.POST.get(name, "")
        for name, field in fields.items()
        if not isinstance(field, forms.FileField)
    }


@require_POST
@login_required
def page_preview(request, page):
    """«Предпросмотр»: the form again with what was typed, and the typed text rendered as
    visitors would see it (the same cleaner as the site). Nothing is saved."""
    roles = public_editor(request)
    if page not in PAGE_FIELDS:
        raise Http404
    section = services.section_for(roles.institution)
    form_class = section_text_form(page)
    form = form_class(instance=section, initial=typed_values(request, form_class))
    text = request.POST.get(page, "")
    return _page_form_page(request, form, page=page, text=text, previewing=True)


def _saved_or_none(request, form, *, save, message, anchor: str):
    """Saves a posted valid ``form`` through ``save(unsaved row) -> row``: the redirect to its
    list with ``message(row)``; None when the form is to be shown (again), a refusal of the
    service next to the field it names."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.save(commit=False))
    except StaleVersion as error:
        form.refuse_stale(error)
        return None
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, message(saved))
    return redirect(_manage_url(anchor))


def _confirm_delete(request, *, delete, message: str, anchor: str, texts: dict, crumb: str):
    """GET asks first (works without JavaScript); POST runs ``delete()`` and goes back to the
    list with ``message``. ``texts``: the page's ``title``, ``what`` and ``button``."""
    if request.method == "POST":
        delete()
        messages.success(request, message)
        return redirect(_manage_url(anchor))
    return render(
        request,
        "public/editing/confirm_delete.html",
        {**texts, "crumbs": _crumbs((crumb, None))},
    )


# --- Documents ---------------------------------------------------------------------------------


def _document_page(request, form, document=None):
    title = f"Документ: {document.title}" if document else "Новый документ"
    return render(
        request,
        "public/editing/document_form.html",
        {"form": form, "document": document, "title": title, "crumbs": _crumbs((title, None))},
    )


def _document_message(document, verb: str) -> str:
    state = "опубликован" if document.is_published else "не опубликован"
    return f"Документ «{document.title}» {verb}: {state}."


def _document_edit(request, roles, document=None):
    """Adds a document (``document`` None) or changes one."""
    form = DocumentForm(posted(request), request.FILES or None, instance=document)
    verb = "добавлен" if document is None else "сохранён"
    saved = _saved_or_none(
        request,
        form,
        save=lambda unsaved: services.document_save(
            document=unsaved, institution=roles.institution, version=form.version
        ),
        message=lambda saved: _document_message(saved, verb),
        anchor="documents",
    )
    return saved or _document_page(request, form, document)


@login_required
def document_create(request):
    return _document_edit(request, public_editor(request))


@login_required
def document_update(request, pk):
    document, roles = document_for_editor(request, pk)
    return _document_edit(request, roles, document)


@login_required
def document_delete(request, pk):
    document, _ = document_for_editor(request, pk)
    return _confirm_delete(
        request,
        delete=lambda: services.document_delete(document=document),
        message=f"Документ «{document.title}» удалён из раздела.",
        anchor="documents",
        texts={
            "title": f"Удалить документ «{document.title}»?",
            "what": "Документ исчезнет из раздела «Наставничество», файл будет удалён.",
            "button": "Удалить документ",
        },
        crumb="Удаление документа",
    )


# --- News --------------------------------------------------------------------------------------


def _news_page(request, form, item=None, *, typed: str | None = None):
    """The news form with its text as visitors see it: the saved text, or the ``typed`` one
    after «Предпросмотр»."""
    title = f"Новость: {item.title}" if item else "Новая новость или анонс"
    text = typed if typed is not None else (item.text if item else "")
    preview_url = (
        reverse("public:manage-news-preview", args=[item.pk])
        if item
        else reverse("public:manage-news-preview-new")
    )
    return render(
        request,
        "public/editing/news_form.html",
        {
            "form": form,
            "item": item,
            "title": title,
            "preview": render_markdown(text),
            "previewing": typed is not None,
            "preview_url": preview_url,
            "crumbs": _crumbs((title, None)),
        },
    )


def _news_preview(request, item=None):
    """«Предпросмотр» of a news item: the form again with what was typed; nothing is saved."""
    form = NewsForm(instance=item, initial=typed_values(request, NewsForm, instance=item))
    return _news_page(request, form, item, typed=request.POST.get("text", ""))


def _news_message(item, verb: str) -> str:
    if item.is_draft:
        state = "черновик, на сайте не видна"
    elif item.is_scheduled:
        state = f"появится на сайте {timezone.localtime(item.published_at):%d.%m.%Y %H:%M}"
    else:
        state = "опубликована"
    return f"Новость «{item.title}» {verb}: {state}."


def _news_edit(request, roles, item=None):
    """Adds a news item (``item`` None) or changes one."""
    form = NewsForm(posted(request), request.FILES or None, instance=item)
    verb = "добавлена" if item is None else "сохранена"
    saved = _saved_or_none(
        request,
        form,
        save=lambda unsaved: services.news_save(
            news=unsaved, institution=roles.institution, user=request.user, version=form.version
        ),
        message=lambda saved: _news_message(saved, verb),
        anchor="news",
    )
    return saved or _news_page(request, form, item)


@login_required
def news_create(request):
    return _news_edit(request, public_editor(request))


@login_required
def news_update(request, pk):
    item, roles = news_for_editor(request, pk)
    return _news_edit(request, roles, item)


@require_POST
@login_required
def news_preview_new(request):
    public_editor(request)
    return _news_preview(request)


@require_POST
@login_required
def news_preview(request, pk):
    item, _ = news_for_editor(request, pk)
    return _news_preview(request, item)


@login_required
def news_delete(request, pk):
    item, _ = news_for_editor(request, pk)
    return _confirm_delete(
        request,
        delete=lambda: services.news_delete(news=item),
        message=f"Новость «{item.title}» удалена.",
        anchor="news",
        texts={
            "title": f"Удалить новость «{item.title}»?",
            "what": "Новость исчезнет из раздела и из ленты новостей, картинка будет удалена.",
            "button": "Удалить новость",
        },
        crumb="Удаление новости",
    )
