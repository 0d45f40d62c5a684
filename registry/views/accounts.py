from django.http import Http404


def user_list(request):
    raise Http404


def user_create(request, person_pk):
    raise Http404


def user_roles(request, pk):
    raise Http404


def user_deactivate(request, pk):
    raise Http404


def institution_settings(request):
    raise Http404


def partner_list(request):
    raise Http404


def partner_create(request):
    raise Http404


def partner_update(request, pk):
    raise Http404
