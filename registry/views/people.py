from django.http import Http404


def person_list(request):
    raise Http404


def mentor_list(request):
    raise Http404


def mentee_list(request):
    raise Http404


def search(request):
    raise Http404


def person_create(request):
    raise Http404


def person_detail(request, pk):
    raise Http404


def person_update(request, pk):
    raise Http404


def person_review(request, pk):
    raise Http404


def mentee_profile_edit(request, pk):
    raise Http404


def mentor_profile_edit(request, pk):
    raise Http404


def my_data(request):
    raise Http404
