"""Stub: implemented with issue 4."""

from django.http import Http404


def term_change_create(request, pk):
    raise Http404


def term_change_agree(request, pk):
    raise Http404


def term_change_decline(request, pk):
    raise Http404


def program_complete(request, pk):
    raise Http404
