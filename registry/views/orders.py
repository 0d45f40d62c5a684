"""The register of the head's orders (приказы): drafts by the curator or the head, the
head's signature, the printed act (п. 3.1, п. 3.2; DOMAIN.md §4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Case, Q, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from audit.trail import log_export
from mentoring_site.lib.documents import FORMATS, document_response, requested_format
from mentoring_site.lib.downloads import dated_name, xlsx_response
from mentoring_site.lib.forms import add_service_errors
from mentoring_site.lib.pages import list_page
from mentoring_site.lib.spreadsheets import filter_lines
from mentoring_site.lib.versions import StaleVersion
from registry import exports
from registry.access import order_for_user, register_access
from registry.forms.orders import OrderFilterForm, OrderForm, OrderSignForm
from registry.models import Order
from registry.roles import roles_for
from registry.services import orders as services
from registry.services.paper import order_acquaintance
from registry.views._approval import order_initial

PER_PAGE = 50


def _crumbs(*tail) -> list:
    return [("Главная", reverse("home")), ("Приказы", reverse("registry:order-list")), *tail]


def _page_title(order: Order) -> str:
    if order.is_signed:
        return f"Приказ № {order.number} от {order.date:%d.%m.%Y}"
    return f"Проект приказа «{order.title}»"


def _filtered_orders(request, institution) -> tuple[OrderFilterForm, object, bool]:
    """The register as filtered: the page and its Excel copy read the same rows (one
    definition). Returns the form, the orders and whether any filter is set."""
    orders = Order.objects.filter(institution=institution)
    this_year = timezone.localdate().year
    years = set(orders.exclude(year=None).order_by().values_list("year", flat=True).distinct())
    years.add(this_year)
    form = OrderFilterForm(request.GET or None, years=sorted(years, reverse=True))
    filtered = False
    if form.is_valid():
        data = form.cleaned_data
        if data["year"]:
            # A draft has no year yet: it belongs to the year it was prepared in.
            orders = orders.filter(
                Q(year=data["year"]) | Q(year=None, created_at__year=data["year"])
            )
        if data["kind"]:
            orders = orders.filter(kind=data["kind"])
        if data["status"]:
            orders = orders.filter(status=data["status"])
        filtered = any(data.values())
    orders = orders.annotate(
        is_draft=Case(
            When(status=Order.Status.DRAFT, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    ).order_by("-is_draft", "-date", "-signed_at", "-created_at", "-pk")
    return form, orders, filtered


@login_required
def order_list(request):
    access = register_access(request)
    form, orders, filtered = _filtered_orders(request, roles_for(request).institution)
    page_obj = list_page(request, orders, PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/orders/order_list.html",
        {
            "access": access,
            "form": form,
            "orders": page_obj.object_list,
            "page_obj": page_obj,
            "export_query": query.urlencode(),
            "query_without_page": query.urlencode() + "&" if query else "",
            "filtered": filtered,
            "crumbs": [("Главная", reverse("home")), ("Приказы", None)],
        },
    )


@login_required
def order_export(request):
    """«Скачать Excel»: every order of the register as filtered, not one page."""
    register_access(request)
    institution = roles_for(request).institution
    form, orders, _filtered = _filtered_orders(request, institution)
    content = exports.order_workbook(orders=orders, filters=filter_lines(form))
    log_export(request.user, None, "реестр приказов (Excel)", institution)
    return xlsx_response(content, dated_name("Приказы", timezone.localdate()))


def _draft_form(request, *, order=None):
    access = register_access(request)
    if not access.can_draft:
        raise PermissionDenied
    institution = roles_for(request).institution
    initial = {}
    if order is None and request.GET.get("kind") in services.DRAFT_KINDS:
        initial = {
            "kind": request.GET["kind"],
            "title": services.order_default_title(request.GET["kind"]),
        }
    return OrderForm(request.POST or None, instance=order, initial=initial, institution=institution)


def _draft_arguments(form) -> dict:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "title": data["title"],
        "basis": data["basis"],
        "items": data["items"],
        "control_clause": data["control_clause"],
        "appointees": list(data["appointees"]),
        "acquainted": list(data["acquainted"]),
        "is_public": data["is_public"],
    }


@login_required
def order_create(request):
    form = _draft_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_create_draft(
                institution=roles_for(request).institution,
                user=request.user,
                **_draft_arguments(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Проект приказа «{order.title}» сохранён. Его подпишет заведующий."
            )
            return redirect("registry:order-detail", pk=order.pk)
    return render(
        request,
        "registry/orders/order_form.html",
        {"form": form, "order": None, "crumbs": _crumbs(("Новый приказ", None))},
    )


@login_required
def order_detail(request, pk):
    order, access = order_for_user(request, pk)
    document = services.order_document(order)
    acquaintance = order_acquaintance(order) if order.is_signed else []
    return render(
        request,
        "registry/orders/order_detail.html",
        {
            **document,
            "access": access,
            "page_title": _page_title(order),
            "without_account": services.appointees_without_account(order),
            "acquaintance": acquaintance,
            # Issue 16: how many of those to acquaint can do it only on paper, still waiting.
            "paper_needed": sum(1 for p, d in acquaintance if p.user_id is None and d is None),
            "can_record_paper": roles_for(request).can_edit_banks,
            "crumbs": _crumbs((_page_title(order), None)),
        },
    )


@login_required
def order_update(request, pk):
    order, access = order_for_user(request, pk)
    if not access.can_draft:
        raise PermissionDenied
    if order.is_signed:
        messages.error(request, "Подписанный приказ изменить нельзя: издайте новый приказ.")
        return redirect("registry:order-detail", pk=order.pk)
    page_title = _page_title(order)
    form = _draft_form(request, order=order)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_update_draft(
                order=order, version=form.version, **_draft_arguments(form)
            )
        except StaleVersion as error:
            form.refuse_stale(error)
        except ValidationError as error:
            order.refresh_from_db()
            if order.is_signed:
                messages.error(request, "Приказ уже подписан: изменить его нельзя.")
                return redirect("registry:order-detail", pk=order.pk)
            add_service_errors(form, error)
        else:
            messages.success(request, f"Проект приказа «{order.title}» сохранён.")
            return redirect("registry:order-detail", pk=order.pk)
    return render(
        request,
        "registry/orders/order_form.html",
        {
            "form": form,
            "order": order,
            "crumbs": _crumbs(
                (page_title, reverse("registry:order-detail", args=[order.pk])),
                ("Изменение", None),
            ),
        },
    )


@login_required
def order_sign(request, pk):
    order, access = order_for_user(request, pk)
    if not access.can_sign:
        raise PermissionDenied
    if order.is_signed:
        messages.error(request, f"Приказ уже подписан: № {order.number} от {order.date:%d.%m.%Y}.")
        return redirect("registry:order-detail", pk=order.pk)
    form = OrderSignForm(request.POST or None, initial=order_initial(order.institution))
    if request.method == "POST" and form.is_valid():
        try:
            signed = services.order_sign(
                order=order,
                head=request.user,
                number=form.cleaned_data["number"],
                signed_on=form.cleaned_data["date"],
            )
        except ValidationError as error:
            order.refresh_from_db()
            if order.is_signed:
                messages.error(request, " ".join(error.messages))
                return redirect("registry:order-detail", pk=order.pk)
            add_service_errors(form, error)
        else:
            text = f"Приказ № {signed.number} от {signed.date:%d.%m.%Y} подписан."
            role = services.ROLE_GRANTED_BY.get(signed.kind)
            removed = services.ROLE_REMOVED_BY.get(signed.kind)
            names = ", ".join(p.short_name for p in signed.appointees.all())
            if role:
                text += f" Роль «{role.label}» выдана: {names}".rstrip(".") + "."
            elif removed:
                text += f" Роль «{removed.label}» снята: {names}".rstrip(".") + "."
            messages.success(request, text)
            return redirect("registry:order-detail", pk=signed.pk)
    return render(
        request,
        "registry/orders/order_sign.html",
        {
            "form": form,
            "order": order,
            "without_account": services.appointees_without_account(order),
            "crumbs": _crumbs(
                (_page_title(order), reverse("registry:order-detail", args=[order.pk])),
                ("Подписание", None),
            ),
        },
    )


@login_required
def order_pdf(request, pk):
    order, _ = order_for_user(request, pk)
    fmt = requested_format(request)
    content = services.order_render(order=order, fmt=fmt)
    log_export(request.user, order, f"приказ ({FORMATS[fmt]})")
    return document_response(content, services.order_filename(order), fmt=fmt)
