from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tuson_hcc.core import views as core_views

urlpatterns = [
    path("", core_views.dashboard, name="dashboard"),
    path("healthz/", core_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("tuson_hcc.documents.urls")),
    path("procedures/", include("procedures.urls")),
    path("seals/", include("seals.urls")),
    path("registrations/", include("registrations.urls")),
    # public, no login (DESIGN.md section 6): /submit/ and /lookup/
    path("", include("registrations.public_urls")),
]
