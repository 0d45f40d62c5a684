"""No technical words on screens (issue 19, UX.md «Plain Russian»). Every GET page of the
permission table, as every role the table lets in, is checked on the table's own answer
(tests/page_checks.py, called by tests/test_permissions.py::test_permission_table); here, the
two helpers it uses."""

import pytest
from django.http import HttpResponse

from mentoring_site.lib.downloads import attachment
from tests.page_checks import check_answer, technical_words, visible_text


def test_visible_text_leaves_out_tags_scripts_and_styles():
    html = (
        "<html><head><title>Т</title><script>var x = None;</script></head><body>"
        '<p title="Подсказка">Текст <b>жирный</b></p><style>p{}</style>'
        "<input type=submit value=Сохранить></body></html>"
    )
    assert visible_text(html) == "Подсказка Текст жирный Сохранить"


def test_the_words_are_found_as_words():
    assert technical_words("Лента Atom раздела") != []
    assert technical_words("согласие на обработку ПДн") != []
    assert technical_words("Значение: None") != []
    assert technical_words("---------") != []
    assert technical_words("Anatomy, Nonetheless, Falsetto, атомный") == []


def test_the_tables_check_refuses_a_technical_word_and_a_latin_download_name(client):
    """The check the permission table runs on each answer fails on each kind of fault."""
    page = client.get("/login/")
    check_answer(page, url="/login/", where="login")
    page.content = page.content.replace(b"</main>", b"<p>None</p></main>")
    with pytest.raises(AssertionError, match="«None»"):
        check_answer(page, url="/login/", where="login")
    latin = attachment(HttpResponse(b"%PDF"), "order-2026-12-06.pdf")
    for header in ("Content-Security-Policy", "X-Frame-Options"):
        latin[header] = page[header]
    for header in ("X-Content-Type-Options", "Referrer-Policy"):
        latin[header] = page[header]
    with pytest.raises(AssertionError, match="order"):
        check_answer(latin, url="/x/", where="download")
    del page["Content-Security-Policy"]
    with pytest.raises(KeyError):
        check_answer(page, url="/login/", where="login")
