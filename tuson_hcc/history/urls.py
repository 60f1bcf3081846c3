from django.urls import path, register_converter

from . import views, views_audit


class ModelLabelConverter:
    """`app_label.modelname`, e.g. procedures.procedure (unknown labels are a 404 in the view)."""

    regex = r"[\w.]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ModelLabelConverter, "modellabel")

app_name = "history"

urlpatterns = [
    path("", views.history_list, name="list"),
    path("export.<str:fmt>", views.history_export, name="export"),
    path("access/", views_audit.access_log, name="access"),
    path("access/export.<str:fmt>", views_audit.access_export, name="access_export"),
    path("ledgers/", views_audit.ledgers, name="ledgers"),
    path("ledgers/verify/", views_audit.ledger_verify, name="ledger_verify"),
    path("ledgers/export.<str:fmt>", views_audit.ledger_export, name="ledger_export"),
    path("reports/", views_audit.reports, name="reports"),
    path("<modellabel:label>/<str:pk>/", views.timeline, name="timeline"),
    path("<modellabel:label>/<str:pk>/export.<str:fmt>", views.timeline_export, name="timeline_export"),
]
