from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "tuson_hcc.history"
    label = "history"
    verbose_name = "Lịch sử và kiểm tra"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from tuson_hcc.accounts.roles import Role
        from tuson_hcc.core import registry

        from .dashboard import auditor_panel_context
        from .demo import bench_paths, seed_history
        from .diffs import on_version_created
        from .schema import on_post_migrate

        post_migrate.connect(on_post_migrate, dispatch_uid="history_post_migrate")
        post_create_historical_record.connect(on_version_created, dispatch_uid="history_stored_diff")
        auditors = (Role.KIEM_TRA, Role.GIAM_DOC)
        registry.register_nav(
            registry.NavItem(label=_("Lịch sử / Kiểm tra"), url_name="history:list", roles=auditors, order=80)
        )
        registry.register_panel(
            registry.DashboardPanel(
                title=_("Lịch sử và kiểm tra sổ"),
                template="history/panel.html",
                context=auditor_panel_context,
                roles=auditors,
                order=80,
            )
        )
        registry.register_seeder(registry.Seeder(name="Lịch sử (kiểm tra)", run=seed_history, order=900))
        for name, path in bench_paths():
            registry.register_bench(registry.BenchCase(name=name, username="kiemtra", path=path))
