"""The editable reference lists (DOMAIN.md §7): forms, kinds, directions, mentee categories,
positions and the forms of events. The installation's administrator keeps the entries every
kindergarten shares; a kindergarten's sysadmin adds its own, seen by it alone, and reads the
shared ones (issue 20; ``registry.access.ListScope``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from mentoring_site.lib.forms import posted
from registry.access import list_scope
from registry.forms.references import REFERENCE_LISTS, ReferenceList


def _reference_list(kind: str) -> ReferenceList:
    try:
        return REFERENCE_LISTS[kind]
    except KeyError:
        raise Http404 from None


def _crumbs(*tail):
    index_url = reverse("registry:reference-index")
    return [("Главная", reverse("home")), ("Справочники", index_url), *tail]


@login_required
def index(request):
    scope = list_scope(request)
    lists = []
    for spec in REFERENCE_LISTS.values():
        counts = scope.items(spec.model).aggregate(
            total=Count("pk"),
            hidden=Count("pk", filter=Q(is_active=False)),
            own=Count("pk", filter=Q(institution__isnull=False)),
        )
        lists.append({"spec": spec, **counts})
    return render(
        request,
        "registry/references/index.html",
        {
            "lists": lists,
            "scope": scope,
            "crumbs": [("Главная", reverse("home")), ("Справочники", None)],
        },
    )


@login_required
def item_list(request, kind):
    scope = list_scope(request)
    spec = _reference_list(kind)
    items = scope.items(spec.model).order_by("sort_order", "name")
    return render(
        request,
        "registry/references/item_list.html",
        {
            "spec": spec,
            "scope": scope,
            "rows": [(item, scope.may_edit(item)) for item in items],
            "crumbs": _crumbs((spec.title, None)),
        },
    )


@login_required
def item_create(request, kind):
    scope = list_scope(request)
    spec = _reference_list(kind)
    form = spec.form_class(posted(request), scope=scope)
    if request.method == "POST" and form.is_valid():
        item = form.save()
        messages.success(request, f"Значение «{item.name}» добавлено в список «{spec.title}».")
        return redirect("registry:reference-list", kind=spec.slug)
    return render(
        request,
        "registry/references/item_form.html",
        {
            "spec": spec,
            "form": form,
            "item": None,
            "crumbs": _crumbs(
                (spec.title, reverse("registry:reference-list", args=[spec.slug])),
                ("Новое значение", None),
            ),
        },
    )


@login_required
def item_update(request, kind, pk):
    scope = list_scope(request)
    spec = _reference_list(kind)
    item = get_object_or_404(scope.items(spec.model), pk=pk)
    if not scope.may_edit(item):
        raise PermissionDenied  # a shared entry, read by a kindergarten's sysadmin
    saved_name = item.name  # the form writes the typed values into the instance
    form = spec.form_class(posted(request), instance=item, scope=scope)
    if request.method == "POST" and form.is_valid():
        item = form.save()
        state = "показывается в формах" if item.is_active else "скрыто из форм"
        messages.success(request, f"Значение «{item.name}» сохранено; оно {state}.")
        return redirect("registry:reference-list", kind=spec.slug)
    return render(
        request,
        "registry/references/item_form.html",
        {
            "spec": spec,
            "form": form,
            "item": item,
            "crumbs": _crumbs(
                (spec.title, reverse("registry:reference-list", args=[spec.slug])),
                (saved_name, None),
            ),
        },
    )
