"""«Письма»: the outbox of the institution for the sysadmin (issue 20; registry/services/mail.py).
Letters that could not be sent after every retry wait here; the sysadmin sends them again, one
or all, once the address or the mail server is fixed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mentoring_site.lib.pages import list_page
from registry.models import Letter
from registry.roles import require, roles_for
from registry.services import mail

PER_PAGE = 50
STATES = [("failed", "не отправлены"), ("queued", "ждут отправки"), ("all", "все")]


def _may_read_letters(roles) -> bool:
    return roles.is_sysadmin


def _letters(request):
    return Letter.objects.filter(institution=roles_for(request).institution)


@login_required
@require(_may_read_letters)
def letter_list(request):
    state = request.GET.get("state", "failed")
    if state not in dict(STATES):
        state = "failed"
    letters = _letters(request).select_related("user")
    if state == "failed":
        letters = letters.filter(status=Letter.Status.FAILED)
    elif state == "queued":
        letters = letters.filter(status__in=[Letter.Status.QUEUED, Letter.Status.SENDING])
    page = list_page(request, letters, PER_PAGE)
    return render(
        request,
        "registry/letters/letter_list.html",
        {
            "page_obj": page,
            "rows": [(letter, mail.may_resend(letter)) for letter in page.object_list],
            "state": state,
            "states": STATES,
            "failed_count": _letters(request).filter(status=Letter.Status.FAILED).count(),
            "query_without_page": f"state={state}&",
            "crumbs": [("Главная", reverse("home")), ("Письма", None)],
        },
    )


@require_POST
@login_required
@require(_may_read_letters)
def letter_resend(request, pk):
    letter = get_object_or_404(_letters(request), pk=pk)
    if mail.letters_resend(letters=[letter]):
        messages.success(request, f"Письмо на {letter.to} поставлено в очередь на отправку.")
    else:
        messages.info(request, "Это письмо уже отправлено или ждёт отправки.")
    return redirect(f"{reverse('registry:letter-list')}?state=failed")


@require_POST
@login_required
@require(_may_read_letters)
def letters_resend_failed(request):
    count = mail.letters_resend(letters=_letters(request).filter(status=Letter.Status.FAILED))
    if count:
        messages.success(request, f"Писем поставлено в очередь на отправку: {count}.")
    else:
        messages.info(request, "Неотправленных писем нет.")
    return redirect(f"{reverse('registry:letter-list')}?state=failed")
