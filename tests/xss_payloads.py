"""XSS payloads for the sweep of every free-text field (issue 8 «Bad input, broadly»;
``tests/browser/test_xss_sweep.py``).

Each payload is a template: ``{hit}`` becomes a call of the marker the browser test installs,
``__xss_hit(<id>)`` (the id says which field and payload ran), ``{id}`` the bare id (for
``alert``/``confirm``, which open a dialog the test listens for). The id is a number, so a
payload needs no quotes around it and works in any quoting context. A few payloads carry no
marker at all because they must fit the short fields (telephone, agreement number): the test
finds them by their markup instead (the typed text must come back as the same text).

Payloads with a NUL character (``NUL_PAYLOADS``) are kept out of the stored rounds: PostgreSQL
refuses NUL in text, so they go through the forms only, where a clean error is expected.
"""

HIT = "__xss_hit({id})"

PAYLOADS = [
    # Classic script elements, mixed case, nested to fool naive filters.
    "<script>{hit}</script>",
    "<ScRiPt>{hit}</sCrIpT>",
    "<script src=data:,{hit}></script>",
    "<scr<script>ipt>{hit}</scr</script>ipt>",
    "<script>confirm({id})</script>",
    # Event handlers on elements that fire by themselves.
    "<img src=x onerror={hit}>",
    "<IMG SRC=x OnErRoR={hit}>",
    "<img src=x onerror=alert({id})>",
    "<img src=x:x onerror={hit}//",
    "<img src=`x`onerror={hit}>",
    '<img src=x onerror="&#95;&#95;xss_hit({id})">',
    "<svg onload={hit}>",
    "<svg/onload={hit}>",
    "<body onload={hit}>",
    "<details open ontoggle={hit}>",
    "<input autofocus onfocus={hit}>",
    "<select autofocus onfocus={hit}>",
    "<textarea autofocus onfocus={hit}>",
    "<video><source onerror={hit}>",
    "<audio src=x onerror={hit}>",
    "<marquee onstart={hit}>",
    "<xss id=x tabindex=1 onfocusin={hit}></xss>",
    # Breaking out of attributes and of elements whose text is raw.
    '"><img src=x onerror={hit}>',
    "'><img src=x onerror={hit}>",
    '"><script>{hit}</script>',
    '" onmouseover="{hit}" x="',
    "' onfocus='{hit}' autofocus x='",
    '" autofocus onfocus="{hit}',
    "</textarea><script>{hit}</script>",
    "</title><script>{hit}</script>",
    "</script><script>{hit}</script>",
    "</style><script>{hit}</script>",
    '<img """><script>{hit}</script>">',
    '<!--<img src="--><img src=x onerror={hit}//">',
    '<noscript><p title="</noscript><img src=x onerror={hit}>">',
    # SVG and MathML.
    "<svg><script>{hit}</script></svg>",
    "<svg><animate onbegin={hit} attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:{hit}"><text y=20>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror={hit}>",
    '<math href="javascript:{hit}">x</math>',
    # Frames, objects, forms and other ways to reach javascript: or data: URLs.
    '<iframe srcdoc="<script>parent.{hit}</script>">',
    "<iframe src=javascript:{hit}>",
    '<object data="javascript:{hit}">',
    '<embed src="javascript:{hit}">',
    "<form><button formaction=javascript:{hit}>x</button></form>",
    '<a href="data:text/html,<script>{hit}</script>">x</a>',
    '<meta http-equiv=refresh content="0;url=javascript:{hit}">',
    "<base href=javascript:{hit}//>",
    "<link rel=stylesheet href=javascript:{hit}>",
    '<table background="javascript:{hit}">',
    # javascript: URLs as plain text, as links, entity-encoded and padded.
    "javascript:{hit}",
    "JaVaScRiPt:{hit}",
    "<a href=javascript:{hit}>x</a>",
    '<a href="jav&#x09;ascript:{hit}">x</a>',
    '<a href="  javascript:{hit}">x</a>',
    # Markdown links and images (the public section's texts are Markdown).
    "[нажми](javascript:{hit})",
    "![картинка](javascript:{hit})",
    "[x](&#106;avascript:{hit})",
    "[x](data:text/html,<script>{hit}</script>)",
    "<javascript:{hit}>",
    # CSS.
    '<div style="width:expression({hit})">x</div>',
    "<style>*{{x:expression({hit})}}</style>",
    # Template injection: Django's and the client frameworks' syntax must stay text.
    "{{{{ request.user.password }}}}{{% debug %}}",
    "{{% load static %}}{{{{ 7|add:7 }}}}",
    "{{{{constructor.constructor('{hit}')()}}}}",
    "${{{hit}}}",
    # Encoded forms that must come back as the same text, never decoded into markup.
    "&lt;script&gt;{hit}&lt;/script&gt;",
    "&#60;img src=x onerror={hit}&#62;",
    "%3Cscript%3E{hit}%3C/script%3E",
    "\\u003cscript\\u003e{hit}\\u003c/script\\u003e",
    "＜script＞{hit}＜/script＞",
    "<scr\u200bipt>{hit}</scr\u200bipt>",
    # Very long: a screen of text, then a script; many handlers in a row.
    "А" * 3000 + "<script>{hit}</script>",
    "<img src=x onerror={hit}>" * 120,
    # Short ones that fit a telephone or an agreement number (found by their markup).
    '"><s>x</s>',
    "'><u>x</u>",
    "<b>x</b><i>",
    "<!--x-->",
]

NUL_PAYLOADS = [
    "<img src=x onerror=\x00{hit}>",
    "<scr\x00ipt>{hit}</scr\x00ipt>",
    '"\x00><img src=x onerror={hit}>',
]


def render(template: str, marker_id: int) -> str:
    """The payload with its marker: ``{hit}`` → ``__xss_hit(<id>)``, ``{id}`` → the id."""
    return template.format(hit=HIT.format(id=marker_id), id=marker_id)
