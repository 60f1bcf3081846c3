from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = "Tiếp nhận hồ sơ đăng ký mẫu con dấu"

    def ready(self):
        from tuson_hcc.accounts.roles import Role
        from tuson_hcc.core import registry
        from tuson_hcc.notifications.services import resend_role_register

        from . import bench, dashboard, demo, doc_samples

        registry.register_nav(
            registry.NavItem(
                label=_("Hồ sơ con dấu"),
                url_name="registrations:list",
                roles=(Role.TIEP_NHAN, Role.KIEM_TRA, Role.GIAM_DOC),
                order=30,
                group=_("Đăng ký mẫu dấu"),
            )
        )
        registry.register_panel(
            registry.DashboardPanel(
                title=_("Tiếp nhận hồ sơ đăng ký mẫu con dấu"),
                template="registrations/panels/tiep_nhan.html",
                context=dashboard.intake_panel,
                roles=(Role.TIEP_NHAN,),
                order=30,
            )
        )
        registry.register_panel(
            registry.DashboardPanel(
                title=_("Hồ sơ đăng ký mẫu con dấu: trễ hạn"),
                template="registrations/panels/late.html",
                context=dashboard.late_panel,
                roles=(Role.GIAM_DOC, Role.KIEM_TRA),
                order=31,
            )
        )
        registry.register_nav(
            registry.NavItem(
                label=_("Chất lượng phục vụ"),
                url_name="registrations:quality",
                roles=(Role.GIAM_DOC, Role.KIEM_TRA),
                order=70,
                group=_("Đăng ký mẫu dấu"),
            )
        )
        registry.register_report(
            registry.ReportSeries(
                name="registrations.quality",
                title=_("Chất lượng phục vụ hồ sơ con dấu (QĐ 766/QĐ-TTg, không phải điểm chính thức của Cổng DVC)"),
                rows=_quality_per_month,
                group_title=_("Chỉ số"),
                roles=(Role.GIAM_DOC, Role.KIEM_TRA),
                order=35,
            )
        )
        # The intake desk sends again a failed message to the applicant of a dossier ("Gửi lại").
        resend_role_register("registrations.dossier", Role.TIEP_NHAN)
        registry.register_seeder(registry.Seeder(name="Hồ sơ đăng ký mẫu con dấu", run=demo.seed_dossiers, order=40))
        for case in bench.cases():
            registry.register_bench(case)
        for sample in doc_samples.samples():
            registry.register_document_sample(sample)
        # The months of dossiers that no longer change by themselves keep their report rows (issue 14).
        registry.register_schedule(
            registry.ScheduledJob(
                name="registrations: giữ số liệu báo cáo của các tháng đã xong",
                func="registrations.report_months.report_months_keep",
                minutes=60,
            )
        )
        registry.register_report(
            registry.ReportSeries(
                name="registrations.dossiers",
                title=_("Hồ sơ đăng ký mẫu con dấu theo tháng nhận: từ chối, trả đúng hạn, trả muộn, quá hạn"),
                rows=_dossiers_per_month,
                group_title=_("Hồ sơ"),
                order=30,
            )
        )


def _dossiers_per_month(start, end):
    from .report_months import dossiers_per_month

    return dossiers_per_month(start=start, end=end)


def _quality_per_month(start, end):
    from .report_months import quality_report_rows

    return quality_report_rows(start, end)
