"""The matching page: mentors ranked for a mentee, mentees to join in a group (п. 6.1)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from mentoring_site.lib.forms import limit_to_institution
from mentoring_site.lib.pages import list_page
from registry.access import can_propose_groups
from registry.forms.matching import MentorFilterForm
from registry.matching import (
    SCORE_RULES,
    mentors_hidden_without_consent,
    rank_mentors,
    similar_mentees,
)
from registry.models import Difficulty, Person
from registry.roles import roles_for

PER_PAGE = 25


@login_required
def matching(request, pk):
    """Curator, council and sysadmin pick a mentor; the head reads the banks but does not
    propose pairs (403); everyone else, and any person not a mentee here, gets 404."""
    roles = roles_for(request)
    if roles.institution is None or not roles.can_view_banks:
        raise Http404
    if not can_propose_groups(roles):
        raise PermissionDenied
    mentee = get_object_or_404(
        Person.objects.select_related("position", "organization", "mentee_profile__category"),
        pk=pk,
        institution=roles.institution,
        mentee_profile__isnull=False,
    )
    difficulties = (
        Difficulty.objects.filter(mentee=mentee.mentee_profile)
        .select_related("direction")
        .order_by("direction__sort_order", "direction__name", "id")
    )
    form = MentorFilterForm(request.GET or None)
    limit_to_institution(form, roles.institution)
    ranking = rank_mentors(mentee=mentee, institution=roles.institution, filters=form.filters())
    page_obj = list_page(request, ranking.ranked, PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/matching/matching.html",
        {
            "mentee": mentee,
            "difficulties": difficulties,
            "form": form,
            "page_obj": page_obj,
            "suggestions": page_obj.object_list,
            "without_places": ranking.without_places,
            "query_without_page": query.urlencode() + "&" if query else "",
            "hidden_without_consent": mentors_hidden_without_consent(
                mentee=mentee, institution=roles.institution
            ),
            "similar": similar_mentees(mentee=mentee, institution=roles.institution),
            "score_rules": SCORE_RULES,
            "crumbs": [
                ("Главная", reverse("home")),
                ("Банк наставляемых", reverse("registry:mentee-list")),
                (mentee.short_name, reverse("registry:person-detail", args=[mentee.pk])),
                ("Подбор наставника", None),
            ],
        },
    )
