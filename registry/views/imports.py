from django.http import Http404


def bank_export(request, bank):
    raise Http404


def import_upload(request):
    raise Http404


def import_template(request):
    raise Http404


def import_preview(request, pk):
    raise Http404


def import_confirm(request, pk):
    raise Http404
