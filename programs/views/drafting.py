"""Stub: implemented with issue 4."""

from django.http import Http404


def program_list(request):
    raise Http404


def program_create(request, group_pk):
    raise Http404


def program_detail(request, pk):
    raise Http404


def program_update(request, pk):
    raise Http404


def program_pdf(request, pk):
    raise Http404


def event_create(request, pk):
    raise Http404


def event_update(request, pk):
    raise Http404


def event_delete(request, pk):
    raise Http404


def comment_create(request, pk):
    raise Http404


def program_submit(request, pk):
    raise Http404


def program_approve(request, pk):
    raise Http404


def program_return(request, pk):
    raise Http404


def library_list(request):
    raise Http404


def library_create(request):
    raise Http404


def library_update(request, pk):
    raise Http404
