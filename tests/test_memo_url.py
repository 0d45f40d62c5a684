"""``{% url %}`` reversing each address once per process (mentoring_site/templatetags/urls.py):
the same addresses as Django's tag, under another script prefix another address."""

import pytest
from django.template import Context, Template
from django.template.defaulttags import URLNode
from django.urls import NoReverseMatch, reverse, set_script_prefix

from mentoring_site.templatetags import urls as memo


def render(text: str, **context) -> str:
    return Template(text).render(Context(context))


def test_the_builtin_url_tag_is_the_memoizing_one():
    assert isinstance(Template("{% url 'home' %}").nodelist[0], memo.MemoURLNode)
    assert issubclass(memo.MemoURLNode, URLNode)


def test_it_gives_djangos_addresses_and_remembers_them():
    memo._addresses.clear()
    for _ in range(2):
        assert render("{% url 'registry:person-detail' pk %}", pk=7) == reverse(
            "registry:person-detail", args=[7]
        )
        assert render("{% url 'home' %}") == reverse("home")
        assert render("{% url 'registry:person-detail' pk=3 %}") == reverse(
            "registry:person-detail", kwargs={"pk": 3}
        )
    assert len(memo._addresses) == 3
    assert render("{% url 'role-home' 'curator' as link %}[{{ link }}]") == (
        f"[{reverse('role-home', args=['curator'])}]"
    )


def test_a_missing_address_fails_as_djangos_tag_and_is_empty_with_as():
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-view' %}")
    assert render("{% url 'no-such-view' as link %}[{{ link }}]") == "[]"


def test_another_script_prefix_gives_another_address():
    memo._addresses.clear()
    plain = render("{% url 'home' %}")
    try:
        set_script_prefix("/mentoring/")
        assert render("{% url 'home' %}") == "/mentoring" + plain
    finally:
        set_script_prefix("/")
    assert render("{% url 'home' %}") == plain


def test_the_memory_is_bounded(monkeypatch):
    memo._addresses.clear()
    monkeypatch.setattr(memo, "LIMIT", 5)
    for pk in range(12):
        render("{% url 'registry:person-detail' pk %}", pk=pk)
    assert len(memo._addresses) <= 5
