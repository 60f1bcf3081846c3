from django.urls import path

from . import public_views

app_name = "registrations_public"

urlpatterns = [
    path("submit/", public_views.submit, name="submit"),
    path("lookup/", public_views.lookup, name="lookup"),
    path("lookup/complete/", public_views.lookup_complete, name="lookup_complete"),
    path("lookup/rate/", public_views.lookup_rate, name="lookup_rate"),
]
