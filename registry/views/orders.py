"""Stub: implemented with issue 3."""

from django.http import Http404


def order_list(request):
    raise Http404


def order_create(request):
    raise Http404


def order_detail(request, pk):
    raise Http404


def order_update(request, pk):
    raise Http404


def order_sign(request, pk):
    raise Http404


def order_pdf(request, pk):
    raise Http404
