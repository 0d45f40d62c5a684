from django.http import Http404


def consent_create(request, pk):
    raise Http404


def consent_form_pdf(request, pk, kind):
    raise Http404


def consent_withdraw(request, pk):
    raise Http404


def consent_scan(request, pk):
    raise Http404
