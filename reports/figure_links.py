"""The address of the rows behind a figure (``reports:indicator-rows``): the figure's key, the
academic year, the date asked and a reference entry, as GET parameters — none of them personal
data. The dashboard and the head's home link every countable number here."""

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from reports import indicators


def figure_url(key: str, year: int, on_date: date | None = None, ref="") -> str:
    """The drill-down of ``key`` (a path of ``indicators.compute``'s dict); "" for a figure
    without rows (the averages of the questionnaires)."""
    if key not in indicators.FIGURES:
        return ""
    query = {"key": key, "year": year}
    if on_date is not None:
        query["on_date"] = on_date.isoformat()
    if ref != "":
        query["ref"] = ref
    return f"{reverse('reports:indicator-rows')}?{urlencode(query)}"
