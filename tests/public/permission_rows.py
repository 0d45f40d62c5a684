"""Permission-table rows of the public section «Наставничество» (п. 8.1; tests/permission_helpers.py
says how).

Its pages are for every visitor, without login: everyone gets 200 once the section is published
(a published document, a case whose participants all consented, a published news item). The
editing pages under ``manage/`` are the curator's and the sysadmin's; the head and the council
get 403, mentors, mentees and teachers 404, and another kindergarten's staff 404 for our
documents and news (the outsider edits their own section)."""

from registry.models import PublicDocument
from tests.permission_helpers import ROLES, Row, answers, no_kwargs
from tests.public.test_pages import (
    SLUG,
    approved_roadmap,
    dissemination,
    document,
    material,
    news,
    open_section,
    pair,
    practice,
)

EVERYONE = {role: 200 for role in ROLES}
EDITORS = {"curator": 200, "sysadmin": 200, "head": 403, "council": 403}


def SECTION(world, objects):  # noqa: N802  (reads as a constant in the table)
    if "public_section" not in objects:
        objects["public_section"] = open_section(world)
    return {"slug": SLUG}


def DOCUMENT(world, objects):  # noqa: N802
    SECTION(world, objects)
    return {"slug": SLUG, "pk": document(world, level=PublicDocument.Level.FEDERAL).pk}


def TEXT_DOCUMENT(world, objects):  # noqa: N802
    """A published local act carrying its text (the Положение), shown on a page of its own."""
    SECTION(world, objects)
    item = PublicDocument.objects.create(
        institution=world.institution,
        title="Положение о системе наставничества",
        level=PublicDocument.Level.LOCAL_ACT,
        is_published=True,
        text="## 1. Общие положения",
    )
    return {"slug": SLUG, "pk": item.pk}


def NEWS(world, objects):  # noqa: N802
    SECTION(world, objects)
    return {"slug": SLUG, "pk": news(world, image=True).pk}


def MATERIAL(world, objects):  # noqa: N802
    """A material of a case whose participants all consented to dissemination."""
    from programs.models import Program

    SECTION(world, objects)
    program = pair(world, status=Program.Status.COMPLETED)
    for member in program.group.members.all():
        dissemination(member.person)
    return {"slug": SLUG, "pk": material(practice(world, program)).pk}


def ROADMAP(world, objects):  # noqa: N802
    SECTION(world, objects)
    approved_roadmap(world)
    return {"slug": SLUG, "year": 2026}


def OUR_DOCUMENT(world, objects):  # noqa: N802
    return {"pk": document(world).pk}


def OUR_NEWS(world, objects):  # noqa: N802
    return {"pk": news(world, published=False).pk}


PAGES = ["section", "documents", "curator", "programs", "results", "recommendations", "news"]

ROWS = {
    "public:index": Row(no_kwargs, EVERYONE),
    "public:low-vision": Row(no_kwargs, {role: 303 for role in ROLES}),
    **{f"public:{name}": Row(SECTION, EVERYONE) for name in PAGES},
    "public:news-feed": Row(SECTION, EVERYONE),
    "public:policy": Row(SECTION, EVERYONE),
    "public:roadmap": Row(ROADMAP, EVERYONE),
    "public:document-file": Row(DOCUMENT, EVERYONE),
    "public:document": Row(TEXT_DOCUMENT, EVERYONE),
    "public:case-material": Row(MATERIAL, EVERYONE),
    "public:news-detail": Row(NEWS, EVERYONE),
    "public:news-image": Row(NEWS, EVERYONE),
    "public:not-found": Row(lambda w, o: {"rest": "no/such/page/"}, {r: 404 for r in ROLES}),
    "public:manage": Row(no_kwargs, answers(**EDITORS, outsider=200)),
    "public:manage-settings": Row(no_kwargs, answers(**EDITORS, outsider=200)),
    "public:manage-page": Row(lambda w, o: {"page": "about"}, answers(**EDITORS, outsider=200)),
    "public:manage-document-create": Row(no_kwargs, answers(**EDITORS, outsider=200)),
    "public:manage-document-update": Row(OUR_DOCUMENT, answers(**EDITORS)),
    "public:manage-document-delete": Row(OUR_DOCUMENT, answers(**EDITORS)),
    "public:manage-news-create": Row(no_kwargs, answers(**EDITORS, outsider=200)),
    "public:manage-news-update": Row(OUR_NEWS, answers(**EDITORS)),
    "public:manage-news-delete": Row(OUR_NEWS, answers(**EDITORS)),
    # «Предпросмотр» (POST, nothing saved): the form page again with the typed text rendered.
    "public:manage-page-preview": Row(
        lambda w, o: {"page": "about"},
        answers(**EDITORS, outsider=200),
        method="post",
        data={"about": "**Наставничество**"},
    ),
    "public:manage-news-preview-new": Row(
        no_kwargs, answers(**EDITORS, outsider=200), method="post", data={"text": "*Анонс*"}
    ),
    "public:manage-news-preview": Row(
        OUR_NEWS, answers(**EDITORS), method="post", data={"text": "*Анонс*"}
    ),
}
