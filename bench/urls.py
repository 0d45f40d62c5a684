"""The benchmark's URLconf: every URL of the project, plus the two references the issue asks
for on the same stack — a bare view that answers «ok» (the ceiling: no database, no
template) and the Django admin changelist of ``Person`` with the bank list's page size and
the same rows (one institution). Selected only by ``bench.settings``; never in production."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

from mentoring_site.urls import urlpatterns as project_urlpatterns
from registry.models import Person
from registry.views.people import PAGE_SIZES


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


class BenchPersonAdmin(admin.ModelAdmin):
    """The admin's changelist of the bank of people: 25 a page like «Участники», the
    logged-in user's institution only, the same columns as the project's PersonAdmin."""

    list_display = ["last_name", "first_name", "patronymic", "position", "organization"]
    list_select_related = ["position", "organization"]
    list_per_page = PAGE_SIZES[0]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(institution_id=request.user.institution_id)


bench_admin = admin.AdminSite(name="bench-admin")
bench_admin.register(Person, BenchPersonAdmin)

urlpatterns = [
    path("bench-ok/", ok, name="bench-ok"),
    path("bench-admin/", bench_admin.urls),
    *project_urlpatterns,
]
