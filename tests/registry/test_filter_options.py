"""The options of the lists' filters are read once and kept in the cache under the institution's
token (issue 21, item 3; registry/filters.py::cache_options): a list page reads none of them
again, and whatever changes an option — a new position of the kindergarten or of the whole
installation, a new partner organization, a renamed direction — shows on the next page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import Direction, Position
from tests.factories import make_institution, make_partner

pytestmark = pytest.mark.django_db


def _options(response, field: str) -> list[str]:
    form = response.context["filter"].form
    return [str(label) for _value, label in form.fields[field].choices]


def _page(client, name="registry:mentee-list"):
    return client.get(reverse(name))


def test_a_second_page_reads_no_option(world, as_user):
    client = as_user(world.curator)
    _page(client)
    with CaptureQueriesContext(connection) as captured:
        _page(client)
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    for table in ("registry_position", "registry_direction", "registry_menteecategory"):
        assert f'FROM "{table}"' not in tables


def test_the_options_are_kept_in_the_process_until_a_change_or_their_time(world, monkeypatch):
    """reports/indicators.py ``in_process``: the second read asks the shared cache for the
    tokens only, not the data; a change (a new token) or the end of ``CACHE_SECONDS`` reads the
    data again."""
    from django.core.cache import cache

    from reports import indicators

    reads = []
    real = cache.get

    def get(key, *args, **kwargs):
        if ":options:test:" in key:
            reads.append(key)
        return real(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", get)
    pk = world.institution.pk

    def options():
        return indicators.cached_for_institution(
            institution_id=pk, name="options:test", build=lambda: ["a"], in_process=True
        )

    assert options() == ["a"] and len(reads) == 1
    assert options() == ["a"] and len(reads) == 1  # kept in the process
    indicators.forget(pk)
    assert options() == ["a"] and len(reads) == 2  # a new token: a new key
    later = indicators.monotonic() + indicators.CACHE_SECONDS + 1
    monkeypatch.setattr(indicators, "monotonic", lambda: later)
    assert options() == ["a"] and len(reads) == 3  # its time is over


def test_a_new_position_of_the_kindergarten_shows_on_the_next_page(world, as_user):
    client = as_user(world.curator)
    assert "Инструктор по плаванию" not in _options(_page(client), "position")
    Position.objects.create(institution=world.institution, name="Инструктор по плаванию")
    assert "Инструктор по плаванию" in _options(_page(client), "position")


def test_a_position_of_the_installation_shows_everywhere_one_of_another_kindergarten_not(
    world, as_user
):
    client = as_user(world.curator)
    _page(client)
    Position.objects.create(institution=None, name="Тьютор")
    Position.objects.create(institution=make_institution("ДС № 9"), name="Чужая должность")
    options = _options(_page(client), "position")
    assert "Тьютор" in options
    assert "Чужая должность" not in options


def test_a_new_partner_organization_shows_on_the_next_page(world, as_user):
    client = as_user(world.curator)
    assert "Колледж № 8" not in _options(_page(client, "registry:person-list"), "organization")
    make_partner(world.institution, "Колледж № 8")
    assert "Колледж № 8" in _options(_page(client, "registry:person-list"), "organization")


def test_a_renamed_direction_shows_on_the_next_page(world, as_user):
    client = as_user(world.curator)
    _page(client)
    direction = Direction.objects.get(name="методическое")
    direction.name = "методическое (работа с документацией)"
    direction.save()
    assert "методическое (работа с документацией)" in _options(_page(client), "direction")


def test_a_chosen_option_is_still_checked_against_the_institution(world, as_user):
    """The cached options only show; what is submitted is checked by the queryset."""
    foreign = make_partner(make_institution("ДС № 10"), "Чужой колледж")
    client = as_user(world.curator)
    response = client.get(reverse("registry:person-list"), {"organization": foreign.pk})
    assert "organization" in response.context["filter"].form.errors


def test_the_tokens_are_read_once_per_request_and_afresh_after_a_forget(world, monkeypatch):
    """reports/indicators.py: a request reads the two tokens once; a write in the request
    (``forget``) drops them; outside a request (the worker) they are read every time. The
    handlers are called as the signals call them: sending ``request_finished`` here would close
    the test's connection on PostgreSQL."""
    from django.core.cache import cache
    from django.core.signals import request_finished, request_started

    from reports import indicators

    connected = {key[0] for key, *_rest in request_started.receivers + request_finished.receivers}
    assert {"indicators-request-started", "indicators-request-finished"} <= connected

    reads = []
    real = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(keys) or real(keys))
    pk = world.institution.pk
    indicators._tokens(pk)
    indicators._tokens(pk)
    assert len(reads) == 2  # no request: read every time

    indicators._request_started()
    try:
        first = indicators._tokens(pk)
        assert indicators._tokens(pk) == first
        assert len(reads) == 3
        indicators.forget(pk)
        second = indicators._tokens(pk)
        assert second[0] != first[0] and len(reads) == 4
    finally:
        indicators._request_finished()
    indicators._tokens(pk)
    assert len(reads) == 5


@pytest.mark.parametrize("data", [{"overdue": "on", "sort": "-end"}, {"sort": "end"}, None])
def test_the_flat_checkbox_is_the_crispy_markup(data):
    """``{% checkbox_field %}`` (mentoring_site/templatetags/fields.py) writes what crispy does."""
    from django import forms
    from django.template import engines
    from django.test.html import parse_html

    from programs.forms.drafting import ProgramFilterForm

    class Filters(forms.Form):
        overdue = ProgramFilterForm.base_fields["overdue"]

    form = Filters(data)
    form.is_valid()
    engine = engines["django"]
    crispy = engine.from_string("{% load crispy_forms_tags %}{{ f.overdue|as_crispy_field }}")
    flat = engine.from_string("{% load fields %}{% checkbox_field f.overdue %}")
    assert parse_html(flat.render({"f": form})) == parse_html(crispy.render({"f": form}))
    assert ("checked" in flat.render({"f": form})) == bool(data and data.get("overdue"))
