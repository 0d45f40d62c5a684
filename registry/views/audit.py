"""«Журнал изменений»: the audit trail of the institution for the head and the sysadmin
(mentoring_site/audit.py says what is recorded). Filters go by dates, ids and choices."""

import django_filters
from auditlog.models import LogEntry
from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from mentoring_site.access import require, roles_for
from mentoring_site.audit import tracked_content_types
from registry.models import User

PAGE_SIZE = 50
ACTIONS = [
    (LogEntry.Action.CREATE, "создание"),
    (LogEntry.Action.UPDATE, "изменение"),
    (LogEntry.Action.DELETE, "удаление"),
    (LogEntry.Action.ACCESS, "выгрузка"),
]
ACTION_LABELS = dict(ACTIONS)


def can_read_journal(roles) -> bool:
    return roles.is_head or roles.is_sysadmin


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
    object_id = django_filters.NumberFilter(label="Номер записи")

    class Meta:
        model = LogEntry
        fields = []

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["actor"].queryset = User.objects.filter(institution=institution).order_by(
            "last_name", "first_name", "username"
        )
        types = tracked_content_types()
        self.filters["content_type"].queryset = ContentType.objects.filter(
            pk__in=[t.pk for t in types]
        )
        self.filters["content_type"].field.label_from_instance = lambda ct: str(
            ct.model_class()._meta.verbose_name
        ).capitalize()


def entry_rows(entries):
    """(entry, action label, model label, [(field, old, new)]) for the templates."""
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        changes = []
        for name, values in (entry.changes_dict or {}).items():
            try:
                label = str(model._meta.get_field(name).verbose_name) if model else name
            except Exception:  # noqa: BLE001  (a field since removed, or «выгрузка»)
                label = name
            old, new = (
                (list(values) + [None, None])[:2]
                if isinstance(values, list)
                else (
                    None,
                    values,
                )
            )
            changes.append((label, old, new))
        rows.append(
            {
                "entry": entry,
                "action": ACTION_LABELS.get(entry.action, entry.action),
                "model": str(model._meta.verbose_name).capitalize() if model else "—",
                "changes": changes,
            }
        )
    return rows


def history_for(obj, limit: int = 20):
    """The latest entries of one object, for its own page (three queries)."""
    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_pk=str(obj.pk)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:limit]
    )
    return entry_rows(entries)


@login_required
@require(can_read_journal)
def journal(request):
    roles = roles_for(request)
    entries = (
        LogEntry.objects.filter(actor__institution=roles.institution)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
    journal_filter = JournalFilter(
        request.GET or None, queryset=entries, institution=roles.institution
    )
    page = Paginator(journal_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/audit/journal.html",
        {
            "filter": journal_filter,
            "page_obj": page,
            "rows": entry_rows(page.object_list),
            "query_without_page": f"{query.urlencode()}&" if query else "",
            "crumbs": [("Главная", reverse("home")), ("Журнал изменений", None)],
        },
    )
