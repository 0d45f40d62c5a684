"""Stub: implemented with issue 3."""

from django.http import Http404


def group_list(request):
    raise Http404


def group_create(request):
    raise Http404


def group_detail(request, pk):
    raise Http404


def group_confirm(request, pk):
    raise Http404


def group_decline(request, pk):
    raise Http404


def group_submit(request, pk):
    raise Http404


def group_approve(request, pk):
    raise Http404


def group_return(request, pk):
    raise Http404


def group_replace_mentor(request, pk):
    raise Http404
