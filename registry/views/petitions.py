"""Stub: implemented with issue 3."""

from django.http import Http404


def petition_create(request, pk):
    raise Http404


def petition_approve(request, pk):
    raise Http404


def petition_reject(request, pk):
    raise Http404
