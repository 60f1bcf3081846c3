"""Public routes of the documents app, included at the root: `documents:verify` → /verify/<token>/."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("verify/<str:token>/", views.verify, name="verify"),
]
