"""Who may see and change which records of the banks.

One helper per object type, used by every view of that object (STYLE.md «Views and URLs»).
Outsiders get 404; people who may see but not change get 403 from the view.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from mentoring_site.access import roles_for
from registry.models import Consent, Person, SelfQuestionnaire


def person_for_user(request, pk: int) -> tuple[Person, bool]:
    """(person, can_edit). The staff roles see everyone of their institution; a person sees
    their own record read-only. Mentors will see their own mentees' files with the pairs
    issue (п. 4.1)."""
    roles = roles_for(request)
    if roles.institution is None:
        raise Http404
    person = get_object_or_404(
        Person.objects.select_related("organization", "position", "user"),
        pk=pk,
        institution=roles.institution,
    )
    if roles.can_view_banks:
        return person, roles.can_edit_banks
    if roles.person is not None and roles.person.pk == person.pk:
        return person, False
    raise Http404


def person_for_editing(request, pk: int) -> Person:
    person, can_edit = person_for_user(request, pk)
    if not can_edit:
        raise PermissionDenied
    return person


def consent_for_user(request, pk: int) -> tuple[Consent, bool]:
    """(consent, can_edit): the same rule as the person it belongs to."""
    roles = roles_for(request)
    if roles.institution is None:
        raise Http404
    consent = get_object_or_404(
        Consent.objects.select_related("person"), pk=pk, person__institution=roles.institution
    )
    _, can_edit = person_for_user(request, consent.person_id)
    return consent, can_edit


def questionnaire_for_user(request, pk: int) -> tuple[SelfQuestionnaire, bool]:
    """(questionnaire, can_review). Staff roles read them; curator and sysadmin decide."""
    roles = roles_for(request)
    if roles.institution is None or not roles.can_view_banks:
        raise Http404
    questionnaire = get_object_or_404(
        SelfQuestionnaire.objects.select_related("person", "reviewed_by"),
        pk=pk,
        person__institution=roles.institution,
    )
    return questionnaire, roles.can_edit_banks


def bank_editor_required(view):
    """Curator and sysadmin change the banks; other staff roles get 403, the rest 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        roles = roles_for(request)
        if roles.institution is None or not roles.can_view_banks:
            raise Http404
        if not roles.can_edit_banks:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def bank_viewer_required(view):
    """Head, curator, council and sysadmin read the banks; everyone else gets 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        roles = roles_for(request)
        if roles.institution is None or not roles.can_view_banks:
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)
