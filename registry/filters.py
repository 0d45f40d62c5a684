"""django-filter sets of the bank lists. Filters go by ids and choices in the query string;
the name search and the free-text search go by POST and live in the session (no personal data
in URLs)."""

import django_filters
from django import forms
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Exists, Func, OuterRef, Q, TextField
from django.utils import timezone

from mentoring_site.lib import morphology
from mentoring_site.lib.academic_year import academic_year_start
from mentoring_site.lib.collation import normalize_for_search
from mentoring_site.lib.forms import offer_options, options_of
from programs.models import Program
from registry.models import (
    Competence,
    Difficulty,
    Direction,
    MenteeCategory,
    MenteeProfile,
    Organization,
    Position,
    Role,
)
from reports.indicators import cached_for_institution

YES_NO = [("yes", "да"), ("no", "нет")]


def cache_options(form, institution, *, scope: str) -> None:
    """The model selects of a list's filters offer the options kept in the cache under the
    institution's token (issue 21): read again after a change of the institution's rows or of
    the shared reference lists, not on every page of the list. ``scope`` tells the forms apart."""
    selects = {
        name: field
        for name, field in form.fields.items()
        if isinstance(field, forms.ModelChoiceField)
    }
    options = cached_for_institution(
        institution_id=institution.pk,
        name=f"options:{scope}",
        build=lambda: {name: options_of(field) for name, field in selects.items()},
        in_process=True,
    )
    for name, field in selects.items():
        offer_options(field, options[name])


class CachedOptionsFilterSet(django_filters.FilterSet):
    """A filter set of one institution's list whose selects offer cached options."""

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.limit_to(institution)
        cache_options(self.form, institution, scope=type(self).__name__)

    def limit_to(self, institution) -> None:
        """The querysets of the selects, this institution's (before the options are read)."""


class PersonFilter(CachedOptionsFilterSet):
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
        label="Согласие на обработку персональных данных",
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

    def limit_to(self, institution) -> None:
        self.filters["organization"].queryset = Organization.objects.filter(
            Q(pk=institution.pk) | Q(partner_of=institution)
        )
        # Reference lists: the installation's entries and this kindergarten's own (issue 20).
        for reference_filter in self.filters.values():
            queryset = getattr(reference_filter, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                reference_filter.queryset = queryset.visible_to(institution)

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


# --- «Пользователи» (issue 16): the logins and the people still without one -----------------

NO_ROLE = "none"


class AccountFilter(django_filters.FilterSet):
    """The logins of the institution."""

    role = django_filters.ChoiceFilter(
        label="Роль",
        choices=[*Role.choices, (NO_ROLE, "без назначенных ролей")],
        method="filter_role",
        empty_label="все",
    )
    state = django_filters.ChoiceFilter(
        label="Учётная запись",
        choices=[("active", "действует"), ("inactive", "отключена")],
        method="filter_state",
        empty_label="все",
    )
    password = django_filters.ChoiceFilter(
        label="Пароль",
        choices=[("set", "задан"), ("unset", "не задан — вход по коду приглашения")],
        method="filter_password",
        empty_label="все",
    )
    logged_in = django_filters.ChoiceFilter(
        label="Вход в реестр",
        choices=[("yes", "да"), ("never", "ни разу")],
        method="filter_logged_in",
        empty_label="все",
    )

    def filter_role(self, queryset, name, value):
        if value == NO_ROLE:
            return queryset.filter(role_assignments__isnull=True)
        return queryset.filter(role_assignments__role=value)

    def filter_state(self, queryset, name, value):
        return queryset.filter(is_active=(value == "active"))

    def filter_password(self, queryset, name, value):
        # Django marks a login without a usable password by this prefix of the hash column.
        unusable = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        return queryset.filter(unusable) if value == "unset" else queryset.exclude(unusable)

    def filter_logged_in(self, queryset, name, value):
        return queryset.filter(last_login__isnull=(value == "never"))


class LoginPeopleFilter(CachedOptionsFilterSet):
    """The people of the bank without a login, to give them one."""

    position = django_filters.ModelChoiceFilter(
        label="Должность", queryset=Position.objects.all(), empty_label="все"
    )
    organization = django_filters.ModelChoiceFilter(
        label="Организация", queryset=Organization.objects.none(), empty_label="все"
    )
    has_email = django_filters.ChoiceFilter(
        label="Есть e-mail",
        choices=YES_NO,
        method="filter_has_email",
        empty_label="все",
    )

    def limit_to(self, institution) -> None:
        self.filters["organization"].queryset = Organization.objects.filter(
            Q(pk=institution.pk) | Q(partner_of=institution)
        )
        self.filters["position"].queryset = Position.objects.visible_to(institution)

    def filter_has_email(self, queryset, name, value):
        return queryset.exclude(email="") if value == "yes" else queryset.filter(email="")


# --- Free-text search (issue 9 «Russian text at scale», issue 22) ------------------------------
#
# Where a person searches free text — a mentee's requests and difficulties on the mentee bank,
# the descriptions of programs on the program list — every word typed must be found, in any of its
# forms, on both databases: «родительских собраний» finds «родительские собрания» and back.
# PostgreSQL matches with its full-text search and the ``russian`` configuration, each word widened
# to every form of it the dictionary knows (mentoring_site/lib/morphology.py: «дети» finds
# «ребёнка», which no stemmer does). SQLite compares the normal forms of the typed words with those
# of the text (an SQLite function), and keeps finding a piece of a word in the casefolded text
# (its LIKE folds only ASCII letters). The rows are always one institution's, filtered by the
# institution before the text is looked at: at one kindergarten's size (a few dozen rows) no
# full-text index is needed (docs/benchmarks.md).

TEXT_SEARCH_CONFIG = "russian"
FOLD_FUNCTION = "mentoring_fold"
LEMMAS_FUNCTION = "mentoring_lemmas"


class TextSearchForm(forms.Form):
    """The free text of a list's search (POST; kept in the session)."""

    text = forms.CharField(label="Поиск по тексту", max_length=200, required=False)


class _Folded(Func):
    """SQLite: the column casefolded with «ё» as «е» (``normalize_for_search``)."""

    function = FOLD_FUNCTION
    output_field = TextField()


class _Lemmas(Func):
    """SQLite: the normal forms of the column's words, folded, each between spaces."""

    function = LEMMAS_FUNCTION
    output_field = TextField()


def _fold(value):
    return normalize_for_search(value) if value is not None else None


def _folded_lemmas(word: str) -> set[str]:
    return {normalize_for_search(form) for form in morphology.normal_forms(word)}


def _lemma_line(value):
    """« родительский собрание »: the folded normal forms of a text, found by « form »."""
    if value is None:
        return None
    forms = {form for word in morphology.words(value) for form in _folded_lemmas(word)}
    return f" {' '.join(sorted(forms))} "


def _words(text: str) -> list[str]:
    return normalize_for_search(text).split()


def _forms_query(text: str) -> SearchQuery:
    """PostgreSQL: every word of ``text`` in any of its forms, each form stemmed by the russian
    configuration: ``(собрания | собраний | …) & (…)`` as one ``to_tsquery``."""
    alternatives = []
    for word in morphology.words(text):
        forms = sorted(morphology.word_forms(word))
        quoted = (form.replace("'", "''") for form in forms)
        alternatives.append("(" + " | ".join(f"'{form}'" for form in quoted) + ")")
    return SearchQuery(" & ".join(alternatives), config=TEXT_SEARCH_CONFIG, search_type="raw")


def _sqlite_functions(connection) -> None:
    connection.ensure_connection()
    connection.connection.create_function(FOLD_FUNCTION, 1, _fold, deterministic=True)
    connection.connection.create_function(LEMMAS_FUNCTION, 1, _lemma_line, deterministic=True)


def matching_text(queryset, text: str, fields: list[str]):
    """The rows of ``queryset`` whose ``fields`` (text columns, paths allowed) hold every word of
    ``text`` in any of its forms: on PostgreSQL by full-text search (russian configuration,
    each word widened to its forms), on SQLite by the words' normal forms or a casefolded piece
    of a word. An empty text keeps every row."""
    if not morphology.words(text):
        return queryset
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        return queryset.annotate(_text=SearchVector(*fields, config=TEXT_SEARCH_CONFIG)).filter(
            _text=_forms_query(text)
        )
    if connection.vendor == "sqlite":
        _sqlite_functions(connection)
        folded = {f"_folded_{i}": _Folded(field) for i, field in enumerate(fields)}
        lemma_lines = {f"_lemmas_{i}": _Lemmas(field) for i, field in enumerate(fields)}
        queryset = queryset.annotate(**folded, **lemma_lines)
        for word in morphology.words(text):
            any_field = Q()
            for name in folded:
                any_field |= Q(**{f"{name}__contains": normalize_for_search(word)})
            for lemma in _folded_lemmas(word):
                for name in lemma_lines:
                    any_field |= Q(**{f"{name}__contains": f" {lemma} "})
            queryset = queryset.filter(any_field)
        return queryset
    query = Q()
    for word in _words(text):
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        query &= any_field
    return queryset.filter(query)


def mentees_by_text(queryset, institution, text: str):
    """People of ``queryset`` with a request or difficulty of their mentee profile matching
    ``text`` (the institution's difficulties first, then the text)."""
    if not morphology.words(text):
        return queryset
    found = matching_text(
        Difficulty.objects.filter(mentee__person__institution=institution), text, ["text"]
    )
    return queryset.filter(pk__in=found.values("mentee__person"))


PROGRAM_TEXT_FIELDS = ["problem", "goals", "content", "intermediate_results", "planned_results"]
PROGRAM_SEARCH_KEY = "search:programs:text"


def programs_by_text(queryset, institution, text: str):
    """Programs of ``queryset`` whose description (problem, goals and tasks, content, results)
    matches ``text`` (the institution's programs first, then the text)."""

    if not morphology.words(text):
        return queryset
    found = matching_text(
        Program.objects.filter(group__institution=institution), text, PROGRAM_TEXT_FIELDS
    )
    return queryset.filter(pk__in=found.values("pk"))
