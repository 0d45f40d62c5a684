"""django-filter sets of the bank lists. Filters go by ids and choices in the query string;
the name search goes by POST and lives in the session (no personal data in URLs)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from mentoring_site.academic_year import academic_year_start
from registry.models import (
    Competence,
    Difficulty,
    Direction,
    MenteeCategory,
    MenteeProfile,
    Organization,
    Position,
)

YES_NO = [("yes", "да"), ("no", "нет")]


class PersonFilter(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        label="Организация", queryset=Organization.objects.none(), empty_label="все"
    )
    position = django_filters.ModelChoiceFilter(
        label="Должность", queryset=Position.objects.all(), empty_label="все"
    )
    bank = django_filters.ChoiceFilter(
        label="Банк",
        choices=[
            ("mentors", "наставники"),
            ("mentees", "наставляемые"),
            ("none", "не в банке"),
        ],
        method="filter_bank",
        empty_label="все",
    )
    consent = django_filters.ChoiceFilter(
        label="Согласие на обработку ПДн",
        choices=YES_NO,
        method="filter_consent",
        empty_label="все",
    )
    reviewed = django_filters.ChoiceFilter(
        label="Актуализирован в этом учебном году",
        choices=YES_NO,
        method="filter_reviewed",
        empty_label="все",
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organization"].queryset = Organization.objects.filter(
            Q(pk=institution.pk) | Q(partner_of=institution)
        )

    def filter_bank(self, queryset, name, value):
        if value == "mentors":
            return queryset.filter(mentor_profile__isnull=False)
        if value == "mentees":
            return queryset.filter(mentee_profile__isnull=False)
        return queryset.filter(mentor_profile__isnull=True, mentee_profile__isnull=True)

    def filter_consent(self, queryset, name, value):
        return queryset.filter(has_processing_consent=(value == "yes"))

    def filter_reviewed(self, queryset, name, value):
        start = academic_year_start(timezone.localdate())
        reviewed = Q(last_reviewed_on__gte=start)
        return queryset.filter(reviewed) if value == "yes" else queryset.exclude(reviewed)


class MenteeFilter(PersonFilter):
    category = django_filters.ModelChoiceFilter(
        label="Категория",
        field_name="mentee_profile__category",
        queryset=MenteeCategory.objects.all(),
        empty_label="все",
    )
    status = django_filters.ChoiceFilter(
        label="Статус",
        field_name="mentee_profile__status",
        choices=MenteeProfile.Status.choices,
        empty_label="все",
    )
    direction = django_filters.ModelChoiceFilter(
        label="Направление затруднений",
        queryset=Direction.objects.all(),
        method="filter_direction",
        empty_label="все",
    )

    def filter_direction(self, queryset, name, value):
        return queryset.filter(
            Exists(Difficulty.objects.filter(mentee__person=OuterRef("pk"), direction=value))
        )


class MentorFilter(PersonFilter):
    direction = django_filters.ModelChoiceFilter(
        label="Направление компетенций",
        queryset=Direction.objects.all(),
        method="filter_direction",
        empty_label="все",
    )
    trained = django_filters.ChoiceFilter(
        label="Обучение наставников пройдено",
        choices=YES_NO,
        method="filter_trained",
        empty_label="все",
    )

    def filter_direction(self, queryset, name, value):
        return queryset.filter(
            Exists(Competence.objects.filter(mentor__person=OuterRef("pk"), direction=value))
        )

    def filter_trained(self, queryset, name, value):
        return queryset.filter(mentor_profile__training_completed_on__isnull=(value == "no"))
