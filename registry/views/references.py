from django.http import Http404


def index(request):
    raise Http404


def item_list(request, kind):
    raise Http404


def item_create(request, kind):
    raise Http404


def item_update(request, kind, pk):
    raise Http404
