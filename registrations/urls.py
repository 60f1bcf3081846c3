from django.urls import path

from . import quality_views, views

app_name = "registrations"

urlpatterns = [
    path("", views.dossier_list_view, name="list"),
    path("new/", views.dossier_intake, name="intake"),
    path("new/checklist/", views.checklist_partial, name="checklist"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/check/", views.dossier_check_view, name="check"),
    path("<int:pk>/apology/", views.dossier_apology_view, name="apology"),
    path("<int:pk>/result/", views.dossier_result_view, name="result"),
    path("<int:pk>/secret/", views.dossier_secret_renew_view, name="secret_renew"),
    path("<int:pk>/rate/", views.dossier_rate_view, name="rate"),
    path("<int:pk>/messages/<int:message_pk>/resend/", views.dossier_message_resend_view, name="message_resend"),
    path("<int:pk>/specimen/", views.dossier_specimen, name="specimen"),
    path("<int:pk>/paper/", views.dossier_paper_view, name="paper"),
    path("<int:pk>/return/", views.dossier_return_view, name="return"),
    path("<int:pk>/scan/", views.dossier_scan, name="scan"),
    path("<int:pk>/scan/v<int:number>/", views.dossier_scan_version, name="scan_version"),
    path("<int:pk>/documents/<int:document_pk>/", views.dossier_document, name="document"),
    path("handover-book/", views.handover_book, name="handover_book"),
    path("register/", views.register_view, name="register"),
    path("quality/", quality_views.service_quality, name="quality"),
    path("books/<int:document_pk>/", views.book_document, name="book_document"),
]
