"""Stub: implemented with issue 4."""

from django.http import Http404


def meeting_create(request, pk):
    raise Http404


def meeting_update(request, pk):
    raise Http404


def my_calendar(request):
    raise Http404


def calendar_feed(request, token):
    raise Http404


def calendar_reset(request):
    raise Http404
