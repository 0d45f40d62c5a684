"""The head's approval by order, one body for everything she approves that way (a pair or a
group, a roadmap): the order's form with the next number, the signing service, its messages
and the redirect. The view of each object fetches it, checks the access and shows its page;
this module has no URL of its own."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from mentoring_site.lib.forms import add_service_errors, error_text
from registry.forms.groups import ApproveForm
from registry.models import Order
from registry.services.orders import order_next_number


def order_initial(institution) -> dict:
    """The institution's next order number this year and today's date, for the head to keep."""
    today = timezone.localdate()
    return {
        "number": order_next_number(institution=institution, year=today.year),
        "date": today,
    }


def approval_form(data, *, institution) -> ApproveForm:
    return ApproveForm(data, initial=order_initial(institution))


def approve_by_order(
    request,
    form: ApproveForm,
    *,
    sign: Callable[..., Order],
    done: Callable[[Order], tuple[str, str]],
    back_url: str,
) -> HttpResponse | None:
    """Signs the order when ``form`` is posted and valid: ``sign(number=, signed_on=)`` runs the
    service, ``done(order)`` gives the message and the address to go to after it. A refusal of
    the whole goes back to ``back_url`` as a message; a refusal of a field stays on the form.
    None when the page is to be shown (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        order = sign(number=form.cleaned_data["number"], signed_on=form.cleaned_data["date"])
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            messages.error(request, error_text(error))
            return redirect(back_url)
        add_service_errors(form, error)
        return None
    message, url = done(order)
    messages.success(request, message)
    return redirect(url)
