"""Stub: implemented with issue 3."""

from django.http import Http404


def notification_list(request):
    raise Http404


def notification_read_all(request):
    raise Http404
