from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tuson_hcc.audit"
    label = "audit"
    verbose_name = "Nhật ký truy cập"

    def ready(self):
        from tuson_hcc.core import registry

        from . import bench, signals  # noqa: F401

        for case in bench.cases():
            registry.register_bench(case)
