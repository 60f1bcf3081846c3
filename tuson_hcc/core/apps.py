from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tuson_hcc.core"
    label = "core"
    verbose_name = "Cấu hình chung"

    def ready(self):
        from . import registry

        registry.register_panel(
            registry.DashboardPanel(
                title=_("Quản trị hệ thống"),
                template="core/panels/admin.html",
                context=lambda user: {} if user.is_superuser else None,
                order=900,
            )
        )
        for username in ("vanthu", "giamdoc", "tiepnhan"):
            registry.register_bench(registry.BenchCase(name=f"dashboard ({username})", username=username, path="/"))
