"""The public section «Наставничество» (п. 8.1) at /nastavnichestvo/: the visitors' pages,
without login, and the curator's and sysadmin's editing pages under ``manage/``."""

from django.urls import path

from registry.views import public, public_editing

app_name = "public"

urlpatterns = [
    path("", public.index, name="index"),
    path("low-vision/", public.low_vision, name="low-vision"),
    # --- Editing (the curator and the sysadmin of the institution) ---
    path("manage/", public_editing.manage_home, name="manage"),
    path("manage/settings/", public_editing.settings_edit, name="manage-settings"),
    path("manage/pages/<slug:page>/", public_editing.page_edit, name="manage-page"),
    path("manage/documents/new/", public_editing.document_create, name="manage-document-create"),
    path(
        "manage/documents/<int:pk>/edit/",
        public_editing.document_update,
        name="manage-document-update",
    ),
    path(
        "manage/documents/<int:pk>/delete/",
        public_editing.document_delete,
        name="manage-document-delete",
    ),
    path("manage/news/new/", public_editing.news_create, name="manage-news-create"),
    path("manage/news/<int:pk>/edit/", public_editing.news_update, name="manage-news-update"),
    path("manage/news/<int:pk>/delete/", public_editing.news_delete, name="manage-news-delete"),
    # --- Visitors' pages of one institution's section ---
    path("<slug:slug>/", public.section, name="section"),
    path("<slug:slug>/documents/", public.documents, name="documents"),
    path("<slug:slug>/documents/<int:pk>/file/", public.document_file, name="document-file"),
    path("<slug:slug>/roadmap/<int:year>/", public.roadmap, name="roadmap"),
    path("<slug:slug>/curator/", public.curator, name="curator"),
    path("<slug:slug>/programs/", public.programs, name="programs"),
    path("<slug:slug>/results/", public.results, name="results"),
    path("<slug:slug>/results/materials/<int:pk>/", public.case_material, name="case-material"),
    path("<slug:slug>/recommendations/", public.recommendations, name="recommendations"),
    path("<slug:slug>/news/", public.news_list, name="news"),
    path("<slug:slug>/news/feed/", public.news_feed, name="news-feed"),
    path("<slug:slug>/news/<int:pk>/", public.news_detail, name="news-detail"),
    path("<slug:slug>/news/<int:pk>/image/", public.news_image, name="news-image"),
    # Anything else under /nastavnichestvo/ gets the section's Russian 404.
    path("<path:rest>", public.not_found, name="not-found"),
]
