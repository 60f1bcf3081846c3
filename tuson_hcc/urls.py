from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from tuson_hcc.accounts import views as account_views
from tuson_hcc.core import views as core_views

urlpatterns = [
    path("", core_views.dashboard, name="dashboard"),
    path("healthz/", core_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The login page offers the language switch, so it must work before signing in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("tuson_hcc.documents.urls")),
    path("procedures/", include("procedures.urls")),
    path("seals/", include("seals.urls")),
    path("registrations/", include("registrations.urls")),
    path("history/", include("tuson_hcc.history.urls")),
    path("jobs/", include("tuson_hcc.jobs.urls")),
    # public, no login (DESIGN.md section 6): /submit/ and /lookup/
    path("", include("registrations.public_urls")),
]
