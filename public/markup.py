"""Formatted text of the public section (п. 8.1): Markdown typed by the curator or the sysadmin,
turned into HTML and cleaned by nh3 (the Rust ``ammonia`` sanitizer) against a small allow-list.

Raw HTML typed into the text is escaped before Markdown sees it, and whatever Markdown makes is
cleaned again, so nothing typed runs as script: no ``<script>``, no event attributes, no
``javascript:`` links, no inline styles (the CSP forbids them anyway). Images from typed text are
not allowed: a picture on the public site goes through an upload that is checked (news images),
and a remote ``<img>`` would leak visitors' addresses to another site.
"""

import html

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str) -> SafeString:
    """Markdown → clean HTML. Links get ``rel="nofollow noopener"``; headings start at ``<h2>``
    (the page has its own ``<h1>``)."""
    if not text:
        return mark_safe("")  # noqa: S308  (an empty string)
    # Typed HTML stays text: «<» never opens a tag (a «>» still quotes a paragraph).
    escaped = text.replace("<", "&lt;")
    rendered = markdown.markdown(escaped, extensions=["tables", "sane_lists"], output_format="html")
    # A «# Заголовок» typed by the curator is a section of the page, never its title.
    rendered = rendered.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        rendered,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308  (cleaned by nh3 against the allow-list above)


def plain_text(text: str, limit: int = 200) -> str:
    """The first words of a Markdown text without its markup, for Open Graph descriptions."""
    cleaned = nh3.clean(markdown.markdown((text or "").replace("<", "&lt;")), tags=set())
    flat = " ".join(html.unescape(cleaned).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"
