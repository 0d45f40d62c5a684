from django.http import Http404


def fill(request, kind):
    raise Http404


def review_list(request):
    raise Http404


def review_detail(request, pk):
    raise Http404


def accept(request, pk):
    raise Http404


def reject(request, pk):
    raise Http404
