"""The page of a list (mentoring_site/lib/pages.py): a first page that holds the whole list is
read with one query and asks no COUNT(*) (issue 21); a longer list, another page and the print
view count as Django's paginator does, and every page shows the same rows and figures."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from mentoring_site.lib.pages import PRINT_ROWS, list_page
from registry.models import Person
from tests.factories import make_institution, make_person

pytestmark = pytest.mark.django_db


def _people(count: int):
    institution = make_institution()
    for _ in range(count):
        make_person(institution)
    return Person.objects.filter(institution=institution).order_by("pk")


def _page(query: str, rows, per_page: int):
    """The page and the SQL it took, everything the list template reads included."""
    request = RequestFactory().get(f"/list/{query}")
    with CaptureQueriesContext(connection) as queries:
        page = list_page(request, rows, per_page)
        shown = [person.pk for person in page.object_list]
        figures = (
            page.paginator.count,
            page.paginator.num_pages,
            page.number,
            page.has_next(),
            page.has_previous(),
        )
    return shown, figures, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("query", ["", "?page=1", "?page="])
def test_a_list_of_one_page_is_read_once_and_counted_from_its_rows(query):
    rows = _people(4)
    shown, figures, sql = _page(query, rows, per_page=5)
    assert shown == list(rows.values_list("pk", flat=True))
    assert figures == (4, 1, 1, False, False)
    assert len(sql) == 1
    assert "COUNT(" not in sql[0]


def test_a_list_exactly_one_page_long_is_still_one_query():
    rows = _people(5)
    shown, figures, sql = _page("", rows, per_page=5)
    assert len(shown) == 5
    assert figures == (5, 1, 1, False, False)
    assert len(sql) == 1


def test_a_longer_list_shows_its_first_page_and_counts_everything():
    rows = _people(7)
    shown, figures, sql = _page("", rows, per_page=5)
    assert shown == list(rows.values_list("pk", flat=True)[:5])
    assert figures == (7, 2, 1, True, False)
    assert len(sql) == 2  # the rows (one more than the page) and the COUNT(*)
    assert sum("COUNT(" in text for text in sql) == 1


def test_other_pages_are_django_s_pages():
    rows = _people(7)
    shown, figures, _sql = _page("?page=2", rows, per_page=5)
    assert shown == list(rows.values_list("pk", flat=True)[5:])
    assert figures == (7, 2, 2, False, True)
    # A page number out of range or not a number: the last page and the first, as before.
    assert _page("?page=9", rows, per_page=5)[1] == (7, 2, 2, False, True)
    assert _page("?page=x", rows, per_page=5)[1] == (7, 2, 1, True, False)


def test_an_empty_list_is_one_empty_page():
    shown, figures, sql = _page("", _people(0), per_page=5)
    assert shown == []
    assert figures == (0, 1, 1, False, False)
    assert len(sql) == 1


def test_printing_shows_every_row_at_once():
    rows = _people(7)
    shown, figures, sql = _page("?print=1&page=2", rows, per_page=5)
    assert len(shown) == 7
    assert figures == (7, 1, 1, False, False)
    assert len(sql) == 1
    assert PRINT_ROWS > 7
