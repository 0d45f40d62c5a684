from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mentoring_site import views
from registry.forms.accounts import PasswordChangeForm, SetPasswordForm
from registry.views import accounts, invitations

# A database that does not answer gets 503 «База данных недоступна», other errors the plain 500.
handler500 = "mentoring_site.lib.security.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("home/<slug:role>/", views.role_home, name="role-home"),
    path("healthz", views.healthz, name="healthz"),
    path("session/status/", views.session_status, name="session-status"),
    path("session/extend/", views.session_extend, name="session-extend"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # «Вход по коду приглашения»: the first sign-in of imported staff (issue 16).
    path("login/code/", invitations.invitation_code, name="invitation-code"),
    path("login/code/password/", invitations.invitation_password, name="invitation-password"),
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
    path("password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
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
    # The optional second factor (registry/second_factor/, docs/security.md §7).
    path("account/second-factor/", include("registry.second_factor.urls")),
    path("", include("registry.urls")),
    path("audit/", include("audit.urls")),
    path("programs/", include("programs.urls")),
    path("roadmap/", include("roadmap.urls")),
    path("reports/", include("reports.urls")),
    path("nastavnichestvo/", include("public.urls")),
    path("admin/", admin.site.urls),
]
