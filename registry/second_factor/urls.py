"""The pages of the second factor, under /account/second-factor/ (names without a namespace, as
Django's own account pages)."""

from django.urls import path

from registry.second_factor import views

urlpatterns = [
    path("", views.second_factor, name="second-factor"),
    path("start/", views.second_factor_start, name="second-factor-start"),
    path("confirm/", views.second_factor_confirm, name="second-factor-confirm"),
    path("backup-codes/", views.second_factor_backup_codes, name="second-factor-backup-codes"),
    path("disable/", views.second_factor_disable, name="second-factor-disable"),
    path("code/", views.second_factor_verify, name="second-factor-verify"),
    path("users/<int:pk>/reset/", views.second_factor_reset, name="second-factor-reset"),
]
