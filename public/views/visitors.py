"""The public section «Наставничество» (п. 8.1, п. 8.2): pages for every visitor, no login.

Every page is read from the registry when it is opened (``public.services``), so a
withdrawn consent removes a name at once. Pages are cacheable: no session or CSRF cookie for an
anonymous visitor, ``Cache-Control: public, no-cache`` with an ETag, so a cache asks again
every time and gets «304 Not Modified» while nothing changed. The «Версия для слабовидящих» is
a cookie set by a plain link (``Vary: Cookie``), so it works without JavaScript. The pages may
be framed by the sites named in ``settings.PUBLIC_FRAME_ANCESTORS`` (docs/public-section.md).
"""

from functools import wraps

from csp.constants import SELF
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from mentoring_site.lib import vision
from mentoring_site.lib.downloads import attachment
from public import services
from public.markup import plain_text, render_markdown
from registry.models import NewsItem, PublicDocument
from registry.roles import roles_for
from registry.services.policy import policy_context

NEWS_PER_PAGE = 10
CASES_PER_PAGE = 20

# The pages of a section, in the order of its menu.
PAGES = [
    ("about", "О системе наставничества", "public:section"),
    ("documents", "Нормативная база и локальные акты", "public:documents"),
    ("curator", "Куратор", "public:curator"),
    ("programs", "Реализуемые программы", "public:programs"),
    ("results", "Результаты и лучшие практики", "public:results"),
    ("recommendations", "Методические рекомендации", "public:recommendations"),
    ("news", "Новости и анонсы", "public:news"),
]
TITLES = {key: title for key, title, _ in PAGES}
POLICY_TITLE = "Политика обработки персональных данных"


def allow_framing(response):
    """Let the sites of ``PUBLIC_FRAME_ANCESTORS`` embed the page; nobody else may."""
    origins = list(settings.PUBLIC_FRAME_ANCESTORS)
    if origins:
        response._csp_replace = {"frame-ancestors": [SELF, *origins]}
        response.xframe_options_exempt = True
    return response


def cacheable(request, response):
    """Public, revalidated every time: an ETag of the content answers «304» while it holds."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    if response.status_code == 200 and not response.streaming:
        set_response_etag(response)
        conditional = get_conditional_response(request, etag=response["ETag"], response=response)
        if conditional is not response:
            return allow_framing(conditional)
    return allow_framing(response)


def public_view(view):
    """A page of the public section: unknown addresses get the section's Russian 404. The
    pages only read (GET and HEAD: ``require_safe``)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = render(
                request,
                "public/404.html",
                {"page_title": "Страница не найдена"},
                status=404,
            )
            patch_vary_headers(response, ["Cookie"])
            return allow_framing(response)
        return response

    return wrapped


def _institution(request, slug: str):
    """The institution of a published section. Its curator and sysadmin also see it before it
    is published (a preview, never cached publicly); everyone else gets 404."""
    institution = services.published_institution(slug)
    if institution is not None:
        return institution
    if request.user.is_authenticated:
        roles = roles_for(request)
        own = roles.institution
        if own is not None and own.public_slug == slug and (roles.is_curator or roles.is_sysadmin):
            own.public_section = services.section_for(own)
            request.public_preview = True
            return own
    raise Http404


def _page(request, template, *, institution, key, context, title=None, description="", image=""):
    title = title or TITLES[key]
    section = institution.public_section
    context = {
        "institution": institution,
        "section": section,
        "pages": [(k, t, reverse(name, args=[institution.public_slug])) for k, t, name in PAGES],
        "current": key,
        "page_title": title,
        "og": {
            "title": f"{title} — {institution.short_name}",
            "description": description
            or f"Система наставничества педагогических работников: {institution.name}.",
            "url": request.build_absolute_uri(),
            "image": image,
            "site_name": institution.short_name,
        },
        "feed_url": reverse("public:news-feed", args=[institution.public_slug]),
        "preview": getattr(request, "public_preview", False),
        **context,
    }
    return cacheable(request, render(request, template, context))


@require_safe
@public_view
def index(request):
    """The institutions whose section is published; straight to the section when only one."""
    institutions = list(services.published_institutions())
    if len(institutions) == 1:
        return cacheable(
            request, redirect("public:section", institutions[0].public_slug, permanent=False)
        )
    response = render(
        request,
        "public/index.html",
        {
            "institutions": institutions,
            "page_title": "Наставничество педагогических работников",
            "og": {
                "title": "Наставничество педагогических работников",
                "description": "Разделы «Наставничество» образовательных организаций.",
                "url": request.build_absolute_uri(),
            },
        },
    )
    return cacheable(request, response)


@require_safe
def low_vision(request):
    """The version for the visually impaired (ГОСТ Р 52872-2019): ``mode=on`` or ``off``, and any
    of ``size``, ``scheme``, ``images``, ``spacing`` (mentoring_site/lib/vision.py), kept in a
    cookie for a year; the reader returns to the page they came from (``next``, this site only).
    The registry's pages use the same switch."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/"):
        target = reverse("public:index")
    response = redirect(target)
    response.status_code = 303  # «See Other»: the page itself, now in the chosen version
    if request.GET.get("mode") == "off":
        response.delete_cookie(vision.COOKIE, samesite="Lax")
    else:
        chosen = vision.changed(vision.from_request(request), request.GET)
        response.set_cookie(
            vision.COOKIE,
            chosen.cookie,
            max_age=vision.MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
        )
    patch_cache_control(response, no_store=True)
    return response


@require_safe
@public_view
def section(request, slug):
    institution = _institution(request, slug)
    about = institution.public_section.about
    return _page(
        request,
        "public/about.html",
        institution=institution,
        key="about",
        context={"about": render_markdown(about), "news": services.visible_news(institution)[:3]},
        description=plain_text(about),
    )


@require_safe
@public_view
def documents(request, slug):
    institution = _institution(request, slug)
    levels = [*services.NORMATIVE_LEVELS, PublicDocument.Level.LOCAL_ACT]
    grouped = services.published_documents(institution, levels)
    return _page(
        request,
        "public/documents.html",
        institution=institution,
        key="documents",
        context={
            "normative": [
                (PublicDocument.Level(level).label, grouped[level])
                for level in services.NORMATIVE_LEVELS
            ],
            "local_acts": grouped[PublicDocument.Level.LOCAL_ACT],
            "orders": services.public_orders(institution),
            "roadmaps": services.approved_roadmaps(institution),
        },
    )


@require_safe
@public_view
def document(request, slug, pk):
    """A document published as its text: a local act such as the Положение (п. 8.1)."""
    institution = _institution(request, slug)
    item = services.published_text(institution, pk)
    if item is None:
        raise Http404
    return _page(
        request,
        "public/document.html",
        institution=institution,
        key="documents",
        title=item.title,
        context={"document": item, "text": render_markdown(item.text)},
        description=plain_text(item.text),
    )


@require_safe
@public_view
def document_file(request, slug, pk):
    institution = _institution(request, slug)
    document = services.published_document(institution, pk)
    if document is None:
        raise Http404
    response = attachment(
        FileResponse(document.file.open("rb")),
        f"{document.title[:80]}.{document.file_kind.lower()}",
        inline=True,
    )
    return cacheable(request, response)


@require_safe
@public_view
def roadmap(request, slug, year):
    institution = _institution(request, slug)
    found = services.public_roadmap(institution, year)
    if found is None:
        raise Http404
    version, stages = found
    title = f"Дорожная карта на {version.roadmap.year_label} учебный год"
    return _page(
        request,
        "public/roadmap.html",
        institution=institution,
        key="documents",
        title=title,
        context={"version": version, "stages": stages},
    )


@require_safe
@public_view
def curator(request, slug):
    institution = _institution(request, slug)
    contact = services.curator_contact(institution.public_section)
    return _page(
        request,
        "public/curator.html",
        institution=institution,
        key="curator",
        context={"contact": contact, "contact_text": render_markdown(contact.text)},
    )


@require_safe
@public_view
def policy(request, slug):
    """The operator's personal-data policy (152-ФЗ ст. 18.1 ч. 2), the institution named; every
    page of the section links to it from its footer."""
    institution = _institution(request, slug)
    return _page(
        request,
        "public/policy.html",
        institution=institution,
        key="policy",
        title=POLICY_TITLE,
        context=policy_context(institution),
    )


@require_safe
@public_view
def programs(request, slug):
    institution = _institution(request, slug)
    return _page(
        request,
        "public/programs.html",
        institution=institution,
        key="programs",
        context={"programs": services.current_programs(institution)},
    )


@require_safe
@public_view
def results(request, slug):
    institution = _institution(request, slug)
    page = Paginator(services.published_cases(institution), CASES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return _page(
        request,
        "public/results.html",
        institution=institution,
        key="results",
        context={"page_obj": page, "cases": page.object_list},
    )


@require_safe
@public_view
def case_material(request, slug, pk):
    institution = _institution(request, slug)
    material = services.published_material(institution, pk)
    if material is None:
        raise Http404
    response = attachment(FileResponse(material.file.open("rb")), material.name)
    return cacheable(request, response)


@require_safe
@public_view
def recommendations(request, slug):
    institution = _institution(request, slug)
    text = institution.public_section.recommendations
    grouped = services.published_documents(institution, [PublicDocument.Level.RECOMMENDATION])
    return _page(
        request,
        "public/recommendations.html",
        institution=institution,
        key="recommendations",
        context={
            "text": render_markdown(text),
            "documents": grouped[PublicDocument.Level.RECOMMENDATION],
        },
        description=plain_text(text),
    )


@require_safe
@public_view
def news_list(request, slug):
    institution = _institution(request, slug)
    page = Paginator(services.visible_news(institution), NEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return _page(
        request,
        "public/news_list.html",
        institution=institution,
        key="news",
        context={"page_obj": page, "news": page.object_list},
    )


def _visible_news_item(institution, pk) -> NewsItem:
    item = services.visible_news(institution).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


@require_safe
@public_view
def news_detail(request, slug, pk):
    institution = _institution(request, slug)
    item = _visible_news_item(institution, pk)
    image = (
        request.build_absolute_uri(reverse("public:news-image", args=[slug, item.pk]))
        if item.image
        else ""
    )
    return _page(
        request,
        "public/news_detail.html",
        institution=institution,
        key="news",
        title=item.title,
        context={"item": item, "text": render_markdown(item.text)},
        description=plain_text(item.text),
        image=image,
    )


@require_safe
@public_view
def news_image(request, slug, pk):
    institution = _institution(request, slug)
    item = _visible_news_item(institution, pk)
    if not item.image:
        raise Http404
    return cacheable(request, FileResponse(item.image.open("rb")))


class NewsFeed(Feed):
    """Atom feed of the published news of one section."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return _institution(request, slug)

    def title(self, institution):
        return f"Наставничество: новости и анонсы — {institution.short_name}"

    def subtitle(self, institution):
        return f"Новости и анонсы системы наставничества: {institution.name}"

    def link(self, institution):
        return reverse("public:news", args=[institution.public_slug])

    def author_name(self, institution):
        """The feed's author (RFC 4287 §4.1.1: an Atom feed names one): the kindergarten."""
        return institution.name

    def items(self, institution):
        return services.visible_news(institution).select_related("institution")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return render_markdown(item.text)

    def item_link(self, item):
        return reverse("public:news-detail", args=[item.institution.public_slug, item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


_feed = NewsFeed()


@require_safe
@public_view
def news_feed(request, slug):
    return cacheable(request, _feed(request, slug=slug))


@require_safe
@public_view
def not_found(request, rest=""):
    raise Http404
