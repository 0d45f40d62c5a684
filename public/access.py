"""Who may edit the section «Наставничество»: the curator and the sysadmin of the institution
(п. 8.1; DOMAIN.md §2). The head and the council get 403, everyone else 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from registry.models import NewsItem, PublicDocument
from registry.roles import roles_for


def public_editor(request):
    """The roles of a user who edits the section: the curator or the sysadmin. The head and
    the council get 403; anyone else 404."""
    roles = roles_for(request)
    if roles.institution is None:
        raise Http404
    if roles.is_curator or roles.is_sysadmin:
        return roles
    if roles.is_head or roles.is_council:
        raise PermissionDenied
    raise Http404


def document_for_editor(request, pk: int) -> tuple[PublicDocument, object]:
    roles = public_editor(request)
    return get_object_or_404(PublicDocument, pk=pk, institution=roles.institution), roles


def news_for_editor(request, pk: int) -> tuple[NewsItem, object]:
    roles = public_editor(request)
    return get_object_or_404(NewsItem, pk=pk, institution=roles.institution), roles
