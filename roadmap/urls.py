from django.urls import path

from roadmap import views

app_name = "roadmap"

urlpatterns = [
    # The roadmaps by academic year; a new one from the standard template (Приложение 2)
    path("", views.roadmap_list, name="roadmap-list"),
    path("new/", views.roadmap_create, name="roadmap-create"),
    # A roadmap: its stages with computed progress, the timeline, the PDFs
    path("<int:pk>/", views.roadmap_detail, name="roadmap-detail"),
    path("<int:pk>/timeline/", views.roadmap_timeline, name="roadmap-timeline"),
    path("<int:pk>/pdf/", views.roadmap_pdf, name="roadmap-pdf"),
    path("versions/<int:pk>/pdf/", views.version_pdf, name="version-pdf"),
    # Activities: the curator develops and updates them (п. 3.3)
    path("stages/<int:pk>/activities/new/", views.activity_create, name="activity-create"),
    path("activities/<int:pk>/edit/", views.activity_update, name="activity-update"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("activities/<int:pk>/done/", views.activity_done, name="activity-done"),
    path("activities/<int:pk>/reopen/", views.activity_reopen, name="activity-reopen"),
    path("activities/<int:pk>/file/", views.evidence_download, name="evidence-download"),
    # The head approves with an order or returns it (п. 3.2)
    path("<int:pk>/submit/", views.roadmap_submit, name="roadmap-submit"),
    path("<int:pk>/approve/", views.roadmap_approve, name="roadmap-approve"),
    path("<int:pk>/return/", views.roadmap_return, name="roadmap-return"),
]
