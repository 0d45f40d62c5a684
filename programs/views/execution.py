"""Stub: implemented with issue 4."""

from django.http import Http404


def event_progress(request, pk):
    raise Http404


def evidence_upload(request, pk):
    raise Http404


def evidence_download(request, pk):
    raise Http404


def event_report(request, pk):
    raise Http404


def event_confirm(request, pk):
    raise Http404


def overdue_list(request):
    raise Http404
