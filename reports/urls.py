from django.urls import path

from reports.views import dashboard, final_report, growth, practices, summary, surveys

app_name = "reports"

urlpatterns = [
    # --- Questionnaires: templates, surveys, answering (monitoring, stage 1) ---
    path("questionnaires/", surveys.template_list, name="template-list"),
    path("questionnaires/new/", surveys.template_create, name="template-create"),
    path("questionnaires/<int:pk>/", surveys.template_detail, name="template-detail"),
    path("questionnaires/<int:pk>/edit/", surveys.template_update, name="template-update"),
    path("questionnaires/<int:pk>/copy/", surveys.template_copy, name="template-copy"),
    path(
        "questionnaires/<int:pk>/deactivate/",
        surveys.template_deactivate,
        name="template-deactivate",
    ),
    path("questionnaires/<int:pk>/activate/", surveys.template_activate, name="template-activate"),
    path("questionnaires/<int:pk>/questions/new/", surveys.question_create, name="question-create"),
    path("questions/<int:pk>/edit/", surveys.question_update, name="question-update"),
    path("questions/<int:pk>/delete/", surveys.question_delete, name="question-delete"),
    path("questions/<int:pk>/up/", surveys.question_up, name="question-up"),
    path("questions/<int:pk>/down/", surveys.question_down, name="question-down"),
    path("surveys/", surveys.survey_list, name="survey-list"),
    path("surveys/new/", surveys.survey_create, name="survey-create"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/export.xlsx", surveys.survey_export, name="survey-export"),
    path("surveys/<int:pk>/remind/", surveys.survey_remind, name="survey-remind"),
    path("responses/<int:pk>/", surveys.response_detail, name="response-detail"),
    path("my-surveys/", surveys.my_surveys, name="my-surveys"),
    path("my-surveys/<int:pk>/", surveys.survey_answer, name="survey-answer"),
    # --- Growth records, the best-practice bank, statistics (monitoring, stage 2) ---
    path("growth/", growth.growth_list, name="growth-list"),
    path("growth/export.xlsx", growth.growth_export, name="growth-export"),
    path("people/<int:pk>/growth/new/", growth.growth_create, name="growth-create"),
    path("growth/<int:pk>/edit/", growth.growth_update, name="growth-update"),
    path("growth/<int:pk>/confirm/", growth.growth_confirm, name="growth-confirm"),
    path("growth/<int:pk>/delete/", growth.growth_delete, name="growth-delete"),
    path("practices/", practices.practice_list, name="practice-list"),
    path("practices/search/", practices.practice_search, name="practice-search"),
    path("practices/new/", practices.practice_create, name="practice-create"),
    path(
        "programs/<int:pk>/practice/new/",
        practices.practice_create_from_program,
        name="practice-create-from-program",
    ),
    path("practices/<int:pk>/", practices.practice_detail, name="practice-detail"),
    path("practices/<int:pk>/edit/", practices.practice_update, name="practice-update"),
    path("practices/<int:pk>/approve/", practices.practice_approve, name="practice-approve"),
    path("practices/<int:pk>/unapprove/", practices.practice_unapprove, name="practice-unapprove"),
    path("practices/<int:pk>/materials/new/", practices.material_upload, name="material-upload"),
    path("materials/<int:pk>/", practices.material_download, name="material-download"),
    path("materials/<int:pk>/delete/", practices.material_delete, name="material-delete"),
    # --- The summary of every institution, built in the background (issue 9) ---
    path("summaries/", summary.summary_list, name="summary-list"),
    path("summaries/new/", summary.summary_create, name="summary-create"),
    path("summaries/<int:pk>/download/", summary.summary_download, name="summary-download"),
    # --- Indicators dashboard and the final analytical report ---
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/rows/", dashboard.indicator_rows, name="indicator-rows"),
    path("statistics/", dashboard.statistics_page, name="statistics"),
    path("statistics/export.<slug:fmt>", dashboard.statistics_export, name="statistics-export"),
    path("final/", final_report.report_list, name="report-list"),
    path("final/create/", final_report.report_create, name="report-create"),
    path("final/<int:pk>/", final_report.report_detail, name="report-detail"),
    path("final/<int:pk>/edit/", final_report.report_edit, name="report-edit"),
    path("final/<int:pk>/finalize/", final_report.report_finalize, name="report-finalize"),
    path("final/<int:pk>/pdf/", final_report.report_pdf, name="report-pdf"),
    path("final/<int:pk>/reopen/", final_report.report_reopen, name="report-reopen"),
    path("final/<int:pk>/approve/", final_report.report_approve, name="report-approve"),
]
