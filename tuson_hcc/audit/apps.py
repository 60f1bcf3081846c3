from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tuson_hcc.audit"
    label = "audit"
    verbose_name = "Nhật ký truy cập"

    def ready(self):
        from . import signals  # noqa: F401
