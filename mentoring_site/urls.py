from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mentoring_site import views
from registry.forms.accounts import PasswordChangeForm, SetPasswordForm
from registry.views import second_factor

# A database that does not answer gets 503 «База данных недоступна», other errors the plain 500.
handler500 = "mentoring_site.security.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("home/<slug:role>/", views.role_home, name="role-home"),
    path("healthz", views.healthz, name="healthz"),
    path("session/status/", views.session_status, name="session-status"),
    path("session/extend/", views.session_extend, name="session-extend"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The optional second factor (mentoring_site/second_factor.py, docs/security.md §7).
    path("account/second-factor/", second_factor.second_factor, name="second-factor"),
    path(
        "account/second-factor/start/",
        second_factor.second_factor_start,
        name="second-factor-start",
    ),
    path(
        "account/second-factor/confirm/",
        second_factor.second_factor_confirm,
        name="second-factor-confirm",
    ),
    path(
        "account/second-factor/backup-codes/",
        second_factor.second_factor_backup_codes,
        name="second-factor-backup-codes",
    ),
    path(
        "account/second-factor/disable/",
        second_factor.second_factor_disable,
        name="second-factor-disable",
    ),
    path(
        "account/second-factor/code/",
        second_factor.second_factor_verify,
        name="second-factor-verify",
    ),
    path(
        "account/second-factor/users/<int:pk>/reset/",
        second_factor.second_factor_reset,
        name="second-factor-reset",
    ),
    path("", include("registry.urls")),
    path("programs/", include("programs.urls")),
    path("roadmap/", include("roadmap.urls")),
    path("reports/", include("reports.urls")),
    path("nastavnichestvo/", include("registry.public_urls")),
    path("admin/", admin.site.urls),
]
