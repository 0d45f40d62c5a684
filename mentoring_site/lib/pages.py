"""One page of a list, or the whole list for printing (issue 19, item 3).

Printing a list from the browser printed only the page on screen. «Распечатать весь список» opens
the same list with ``?print=1``: every row (up to ``PRINT_ROWS``) on one page, the filters named in
a heading, the print dialog opened by static/js/print.js.
"""

from django.core.paginator import Page, Paginator

PRINT_ROWS = 2000


def is_print(request) -> bool:
    return request.GET.get("print") == "1"


def list_page(request, rows, per_page: int) -> Page:
    """The page the request asks for, or, when printing, the first ``PRINT_ROWS`` rows at once."""
    if is_print(request):
        return first_page(rows, PRINT_ROWS)
    number = request.GET.get("page")
    if number in (None, "", "1"):
        return first_page(rows, per_page)
    return Paginator(rows, per_page).get_page(number)


def first_page(rows, per_page: int) -> Page:
    """The first page, read with one row more than it shows (issue 21): a list that fits one page
    — most lists of one kindergarten — knows its count from the rows and asks no ``COUNT(*)``;
    a longer one counts as Django's paginator does, when the page shows the count."""
    paginator = Paginator(rows, per_page)
    shown = list(rows[: per_page + 1])
    if len(shown) <= per_page:
        paginator.count = len(shown)  # a cached_property: the count is known, not queried
    return Page(shown[:per_page], 1, paginator)
