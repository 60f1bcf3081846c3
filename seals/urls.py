from django.urls import path

from .views import desk, oversight, register, seals
from .views.offsite import offsite_urls

app_name = "seals"

urlpatterns = [
    path("", seals.seal_index, name="list"),
    path("<int:pk>/", seals.seal_detail, name="detail"),
    path("<int:pk>/procedures/", desk.seal_procedures, name="procedures"),
    path("<int:pk>/specimen/", seals.seal_specimen, name="specimen"),
    path("<int:pk>/hand-over/", seals.seal_hand_over_view, name="hand_over"),
    path("<int:pk>/take-back/", seals.seal_take_back_view, name="take_back"),
    path("<int:pk>/consent/", seals.seal_consent_view, name="consent"),
    path("<int:pk>/incident/", seals.incident_report_view, name="incident_report"),
    path("incidents/<int:pk>/close/", seals.incident_close_view, name="incident_close"),
    path("custody/<int:pk>/minute/", seals.custody_minute, name="custody_minute"),
    path("stamp/", desk.stamping_desk, name="desk"),
    path("stampings/<int:pk>/", desk.stamping_detail, name="stamping_detail"),
    path("stampings/<int:pk>/correct/", desk.stamping_correct_view, name="stamping_correct"),
    path("register/", register.register, name="register"),
    path("register/pdf/", register.register_pdf, name="register_pdf"),
    path("exceptions/", oversight.exception_list, name="exception_list"),
    path("exceptions/new/", oversight.exception_create, name="exception_create"),
    path("exceptions/<int:pk>/scan/", oversight.exception_scan, name="exception_scan"),
    path("inspections/", oversight.inspection_list, name="inspection_list"),
    path("inspections/new/", oversight.inspection_create, name="inspection_create"),
    *offsite_urls(),
]
