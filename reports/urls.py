from django.urls import path  # noqa: F401  (each section below adds its paths)

app_name = "reports"

urlpatterns = [
    # --- Questionnaires: templates, surveys, answering (monitoring, stage 1) ---
    # --- Growth records, the best-practice bank, statistics (monitoring, stage 2) ---
    # --- Indicators dashboard and the final analytical report ---
]
