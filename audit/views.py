"""«Журнал изменений»: the audit trail of the institution for the head and the sysadmin
(``audit/trail.py`` says what is recorded). Filters go by dates, ids and choices, never by names
(no personal data in the URL)."""

import django_filters
from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from audit.history import ACTIONS, can_read_journal, entry_rows, model_label
from audit.models import LogEntry
from audit.trail import tracked_content_types
from mentoring_site.lib.pages import list_page
from registry.models import User
from registry.roles import staff_roles

PAGE_SIZE = 50


class JournalFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="timestamp__date",
        lookup_expr="gte",
        label="С даты",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="timestamp__date",
        lookup_expr="lte",
        label="По дату",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    actor = django_filters.ModelChoiceFilter(
        label="Кто", queryset=User.objects.none(), empty_label="все"
    )
    content_type = django_filters.ModelChoiceFilter(
        label="Что", queryset=ContentType.objects.none(), empty_label="всё"
    )
    action = django_filters.ChoiceFilter(label="Действие", choices=ACTIONS, empty_label="все")
    object_id = django_filters.NumberFilter(label="Номер записи", min_value=1)

    class Meta:
        model = LogEntry
        fields = []

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["actor"].queryset = User.objects.filter(institution=institution).order_by(
            "last_name", "first_name", "username"
        )
        types = sorted(tracked_content_types(), key=model_label)
        self.filters["content_type"].queryset = ContentType.objects.filter(
            pk__in=[t.pk for t in types]
        )
        self.filters["content_type"].field.label_from_instance = model_label


@login_required
def journal(request):
    roles = staff_roles(request)  # 404 for everyone but the institution's staff
    if not can_read_journal(roles):
        raise PermissionDenied  # the curator and the council know the page exists: 403
    entries = (
        LogEntry.objects.filter(institution=roles.institution)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
    journal_filter = JournalFilter(
        request.GET or None, queryset=entries, institution=roles.institution
    )
    page = list_page(request, journal_filter.qs, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/journal.html",
        {
            "filter": journal_filter,
            "page_obj": page,
            "rows": entry_rows(page.object_list, links=True),
            "query_without_page": f"{query.urlencode()}&" if query else "",
            "crumbs": [("Главная", reverse("home")), ("Журнал изменений", None)],
        },
    )
