from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("<int:pk>/", views.procedure_detail, name="detail"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/scan/", views.decision_scan, name="decision_scan"),
]
