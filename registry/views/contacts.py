"""«Мои контакты»: a person with a login keeps their own phone and e-mail (issue 16); the rules
are in ``registry/services/contacts.py``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mentoring_site.lib.forms import add_service_errors, error_text, posted
from mentoring_site.lib.site import site_url
from registry.forms.contacts import OwnContactsForm
from registry.models import EmailChange
from registry.roles import roles_for
from registry.services import contacts as services


def _own_person(request):
    person = roles_for(request).person
    if person is None:
        raise Http404
    return person


def _crumbs(person, title):
    return [
        ("Главная", reverse("home")),
        (person.short_name, reverse("registry:my-data")),
        (title, None),
    ]


@login_required
def my_contacts(request):
    person = _own_person(request)
    form = OwnContactsForm(posted(request), person=person)
    if request.method == "POST" and form.is_valid():
        done = []
        try:
            with transaction.atomic():  # the phone and the e-mail, or neither
                if form.phone_changed:
                    services.phone_update(person=person, phone=form.cleaned_data["phone"])
                    done.append(f"Телефон сохранён: {form.cleaned_data['phone'] or 'не указан'}.")
                if form.email_changed:
                    services.email_change_request(
                        person=person, email=form.cleaned_data["email"], site_url=site_url(request)
                    )
                    done.append(
                        f"На адрес {form.cleaned_data['email']} отправлено письмо со ссылкой: "
                        "адрес сменится, когда вы её откроете."
                    )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, " ".join(done) or "Изменений нет.")
            return redirect("registry:my-data")
    pending = (
        EmailChange.objects.filter(person=person, confirmed_at__isnull=True)
        .order_by("-requested_at", "-id")
        .first()
    )
    return render(
        request,
        "registry/people/my_contacts.html",
        {
            "form": form,
            "person": person,
            "pending": pending if pending and pending.old_email == person.email else None,
            "crumbs": _crumbs(person, "Мои контакты"),
        },
    )


def _change_or_404(request, token):
    change = services.change_for_token(token=token, user=request.user)
    if change is None:
        person = roles_for(request).person
        response = render(
            request,
            "registry/people/email_confirm_invalid.html",
            {"message": services.LINK_INVALID, "person": person},
            status=404,
        )
        return None, response
    return change, None


@never_cache
@login_required
def my_email_confirm(request, token):
    """The link of the letter: a page with one button (opening a link changes nothing, so a
    mail program that opens links ahead of the person does no harm)."""
    change, refused = _change_or_404(request, token)
    if refused is not None:
        return refused
    return render(
        request,
        "registry/people/email_confirm.html",
        {
            "change": change,
            "token": token,
            "crumbs": _crumbs(change.person, "Подтверждение e-mail"),
        },
    )


@require_POST
@login_required
def my_email_confirm_post(request, token):
    change, refused = _change_or_404(request, token)
    if refused is not None:
        return refused
    try:
        services.email_change_confirm(change=change, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("registry:my-contacts")
    messages.success(request, f"Адрес подтверждён: теперь ваш e-mail — {change.new_email}.")
    return redirect("registry:my-data")
