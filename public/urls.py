"""The public section «Наставничество» (п. 8.1) at /nastavnichestvo/: the visitors' pages,
without login, and the curator's and sysadmin's editing pages under ``manage/``."""

from django.urls import path

from public.views import editing, visitors

app_name = "public"

urlpatterns = [
    path("", visitors.index, name="index"),
    path("low-vision/", visitors.low_vision, name="low-vision"),
    # --- Editing (the curator and the sysadmin of the institution) ---
    path("manage/", editing.manage_home, name="manage"),
    path("manage/settings/", editing.settings_edit, name="manage-settings"),
    path("manage/pages/<slug:page>/", editing.page_edit, name="manage-page"),
    path("manage/pages/<slug:page>/preview/", editing.page_preview, name="manage-page-preview"),
    path("manage/documents/new/", editing.document_create, name="manage-document-create"),
    path(
        "manage/documents/<int:pk>/edit/",
        editing.document_update,
        name="manage-document-update",
    ),
    path(
        "manage/documents/<int:pk>/delete/",
        editing.document_delete,
        name="manage-document-delete",
    ),
    path("manage/news/new/", editing.news_create, name="manage-news-create"),
    path("manage/news/new/preview/", editing.news_preview_new, name="manage-news-preview-new"),
    path("manage/news/<int:pk>/edit/", editing.news_update, name="manage-news-update"),
    path("manage/news/<int:pk>/preview/", editing.news_preview, name="manage-news-preview"),
    path("manage/news/<int:pk>/delete/", editing.news_delete, name="manage-news-delete"),
    # --- Visitors' pages of one institution's section ---
    path("<slug:slug>/", visitors.section, name="section"),
    path("<slug:slug>/documents/", visitors.documents, name="documents"),
    path("<slug:slug>/documents/<int:pk>/", visitors.document, name="document"),
    path("<slug:slug>/documents/<int:pk>/file/", visitors.document_file, name="document-file"),
    path("<slug:slug>/roadmap/<int:year>/", visitors.roadmap, name="roadmap"),
    path("<slug:slug>/curator/", visitors.curator, name="curator"),
    path("<slug:slug>/programs/", visitors.programs, name="programs"),
    path("<slug:slug>/results/", visitors.results, name="results"),
    path("<slug:slug>/results/materials/<int:pk>/", visitors.case_material, name="case-material"),
    path("<slug:slug>/recommendations/", visitors.recommendations, name="recommendations"),
    path("<slug:slug>/news/", visitors.news_list, name="news"),
    path("<slug:slug>/news/feed/", visitors.news_feed, name="news-feed"),
    path("<slug:slug>/news/<int:pk>/", visitors.news_detail, name="news-detail"),
    path("<slug:slug>/news/<int:pk>/image/", visitors.news_image, name="news-image"),
    path("<slug:slug>/policy/", visitors.policy, name="policy"),
    # Anything else under /nastavnichestvo/ gets the section's Russian 404.
    path("<path:rest>", visitors.not_found, name="not-found"),
]
