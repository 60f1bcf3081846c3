from django.apps import AppConfig
from django.core.management import call_command
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tuson_hcc.core"
    label = "core"
    verbose_name = "Cấu hình chung"

    def ready(self):
        from . import registry
        from .dbcursor import use_the_c_timestamp_loader

        post_migrate.connect(_cache_table_ensure, sender=self, dispatch_uid="core_cache_table")
        connection_created.connect(use_the_c_timestamp_loader, dispatch_uid="core_c_timestamp_loader")

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


def _cache_table_ensure(sender, using="default", verbosity=1, **kwargs):
    # The database cache (settings.CACHES) needs its table: every `migrate` makes it if missing,
    # so `make run`, `make serve` and the test database all have it without another command.
    call_command("createcachetable", database=using, verbosity=0)
