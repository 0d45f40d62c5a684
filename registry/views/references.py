"""The editable reference lists (DOMAIN.md §7): forms, kinds, directions, mentee categories
and positions. The sysadmin keeps them; they are shared by the whole deployment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from mentoring_site.lib.forms import posted
from registry.forms.references import REFERENCE_LISTS, ReferenceList
from registry.roles import require

sysadmin_required = require(lambda roles: roles.is_sysadmin)


def _reference_list(kind: str) -> ReferenceList:
    try:
        return REFERENCE_LISTS[kind]
    except KeyError:
        raise Http404 from None


def _crumbs(*tail):
    index_url = reverse("registry:reference-index")
    return [("Главная", reverse("home")), ("Справочники", index_url), *tail]


@login_required
@sysadmin_required
def index(request):
    lists = []
    for spec in REFERENCE_LISTS.values():
        counts = spec.model.objects.aggregate(
            total=Count("pk"), hidden=Count("pk", filter=Q(is_active=False))
        )
        lists.append({"spec": spec, **counts})
    return render(
        request,
        "registry/references/index.html",
        {"lists": lists, "crumbs": [("Главная", reverse("home")), ("Справочники", None)]},
    )


@login_required
@sysadmin_required
def item_list(request, kind):
    spec = _reference_list(kind)
    return render(
        request,
        "registry/references/item_list.html",
        {
            "spec": spec,
            "items": spec.model.objects.order_by("sort_order", "name"),
            "crumbs": _crumbs((spec.title, None)),
        },
    )


@login_required
@sysadmin_required
def item_create(request, kind):
    spec = _reference_list(kind)
    form = spec.form_class(posted(request))
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
@sysadmin_required
def item_update(request, kind, pk):
    spec = _reference_list(kind)
    item = get_object_or_404(spec.model, pk=pk)
    saved_name = item.name  # the form writes the typed values into the instance
    form = spec.form_class(posted(request), instance=item)
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
