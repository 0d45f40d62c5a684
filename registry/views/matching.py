"""Stub: implemented with issue 3."""

from django.http import Http404


def matching(request, pk):
    raise Http404
