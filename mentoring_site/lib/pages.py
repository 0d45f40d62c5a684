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
        return Paginator(rows, PRINT_ROWS).get_page(1)
    return Paginator(rows, per_page).get_page(request.GET.get("page"))
