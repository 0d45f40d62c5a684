"""The figures of the indicators as every screen and document shows them
(``reports.indicators.share_text``)."""

from django import template

from reports import indicators

register = template.Library()


@register.filter
def share(value) -> str:
    """«57,1 %», «нет данных»."""
    return indicators.share_text(value)
