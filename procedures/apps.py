from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = "Danh mục TTHC"

    def ready(self):
        from tuson_hcc.core import registry

        from .demo import seed_catalogue
        from .demo_history import bench_paths, seed_procedure_history

        registry.register_nav(registry.NavItem(label=_("Danh mục TTHC"), url_name="procedures:list", order=10))
        registry.register_seeder(registry.Seeder(name="Danh mục TTHC", run=seed_catalogue, order=10))
        # After every other part has written its real history, before the access events (order 900).
        registry.register_seeder(
            registry.Seeder(name="Lịch sử danh mục TTHC (mẫu)", run=seed_procedure_history, order=890)
        )
        for name, path in bench_paths():
            registry.register_bench(registry.BenchCase(name=name, username="kiemtra", path=path))
        for name, path in (
            ("procedures: list", "/procedures/"),
            ("procedures: search 'dang ky con dau'", "/procedures/?q=dang+ky+con+dau"),
            ("procedures: list as of 2022-06-01, all statuses", "/procedures/?on=2022-06-01&status=all"),
            ("procedures: decisions", "/procedures/decisions/"),
        ):
            registry.register_bench(registry.BenchCase(name=name, username="vanthu", path=path))
        registry.register_bench(
            registry.BenchCase(name="procedures: detail", username="vanthu", path=_first_procedure_url)
        )
        registry.register_report(
            registry.ReportSeries(
                name="procedures.catalogue_changes",
                title=_("Thay đổi danh mục TTHC theo tháng hiệu lực"),
                rows=_catalogue_changes_per_month,
                group_title=_("Hành động"),
                order=10,
            )
        )


def _catalogue_changes_per_month(start, end):
    from .selectors import catalogue_changes_per_month

    return catalogue_changes_per_month(start=start, end=end)


def _first_procedure_url() -> str:
    from .models import Procedure

    return f"/procedures/{Procedure.objects.order_by('id').values_list('id', flat=True).first()}/"
