from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SealsConfig(AppConfig):
    name = "seals"
    verbose_name = "Con dấu"

    def ready(self):
        from tuson_hcc.accounts.roles import Role
        from tuson_hcc.core import registry

        from . import bench, checks, dashboard, doc_samples  # noqa: F401 - checks registers the system check
        from .demo import seed_seals
        from .demo_offsite import seed_offsite
        from .views.common import READERS, REGISTER_READERS

        registry.register_nav(
            registry.NavItem(label=_("Đóng dấu"), url_name="seals:desk", roles=(Role.VAN_THU,), order=5)
        )
        seals_menu = pgettext_lazy("nav", "Con dấu")
        registry.register_nav(
            registry.NavItem(
                label=_("Danh sách con dấu"), url_name="seals:list", roles=READERS, order=20, group=seals_menu
            )
        )
        registry.register_nav(
            registry.NavItem(label=_("Sổ đóng dấu"), url_name="seals:register", roles=REGISTER_READERS, order=21)
        )
        registry.register_nav(
            registry.NavItem(
                label=_("Mang dấu ra ngoài"),
                url_name="seals:offsite_list",
                roles=READERS,
                order=22,
                group=seals_menu,
            )
        )
        dashboard.register()
        # Quy chế 157, Điều 5.2, 7.2, 8.4: deciders and overdue seals are reminded with nobody running a command.
        registry.register_schedule(
            registry.ScheduledJob(
                name="seals: nhắc quyết định và con dấu quá hạn",
                func="seals.services.reminders.reminders_send",
                minutes=settings.REMINDERS_EVERY_MINUTES,
            )
        )
        registry.register_seeder(registry.Seeder(name="Con dấu và sổ đóng dấu", run=seed_seals, order=20))
        registry.register_seeder(registry.Seeder(name="Mang con dấu ra ngoài", run=seed_offsite, order=21))
        bench.register()
        for sample in doc_samples.samples():
            registry.register_document_sample(sample)
        from .selectors import offsite_per_month, stampings_per_month

        registry.register_report(
            registry.ReportSeries(
                name="seals.stampings",
                title=_("Số lần đóng dấu theo tháng, theo cơ quan có con dấu"),
                rows=lambda start, end: stampings_per_month(start=start, end=end),
                group_title=_("Cơ quan"),
                order=20,
            )
        )
        registry.register_report(
            registry.ReportSeries(
                name="seals.offsite",
                title=_("Đề nghị mang con dấu ra ngoài theo tháng: kết quả và quá hạn"),
                rows=lambda start, end: offsite_per_month(start=start, end=end),
                group_title=_("Kết quả"),
                order=21,
            )
        )
