"""The intake's counts on `/`; each links to the dossier list filtered by its filter bar's query."""

from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.dashboard import today_count

from .choices import DossierStatus
from .selectors import dashboard_counts

LIST = "registrations:list"


def intake_panel(user) -> dict:
    data = dashboard_counts()
    return {
        "counts": [
            today_count(user, label=_("Nhận hôm nay"), value=data["today"], url_name=LIST, query={"view": "today"}),
            today_count(
                user,
                label=_("Chờ kiểm tra"),
                value=data["waiting"],
                url_name=LIST,
                query={"view": "all", "status": DossierStatus.RECEIVED},
                tone="attention",
            ),
            today_count(
                user,
                label=_("Đến hạn trả hôm nay"),
                value=data["due_today"],
                url_name=LIST,
                query={"view": "due_today"},
                tone="attention",
            ),
            today_count(
                user,
                label=_("Có kết quả, chờ trả"),
                value=data["result_ready"],
                url_name=LIST,
                query={"view": "all", "status": DossierStatus.RESULT_READY},
                tone="attention",
            ),
            today_count(
                user,
                label=_("Quá hạn trả"),
                value=data["overdue"],
                url_name=LIST,
                query={"view": "overdue"},
                tone="alarm",
                testid="dossiers-overdue",
            ),
        ]
    }


def late_panel(user) -> dict:
    data = dashboard_counts()
    return {
        "counts": [
            today_count(
                user,
                label=_("Hồ sơ quá hạn trả"),
                value=data["overdue"],
                url_name=LIST,
                query={"view": "overdue"},
                tone="alarm",
                testid="dossiers-overdue",
            ),
            today_count(
                user,
                label=_("Đến hạn trả hôm nay"),
                value=data["due_today"],
                url_name=LIST,
                query={"view": "due_today"},
                tone="attention",
            ),
        ]
    }
