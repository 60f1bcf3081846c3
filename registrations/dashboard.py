"""The intake's counts on `/`; each links to the dossier list filtered by its filter bar's query."""

from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.dashboard import today_count

from .choices import DossierStatus
from .selectors import dashboard_counts

LIST = "registrations:list"

# One definition per count: (label, the list's query, tone, test id). Panels pick theirs by key.
COUNTS = {
    "today": (_("Nhận hôm nay"), {"view": "today"}, "neutral", ""),
    "waiting": (_("Chờ kiểm tra"), {"view": "all", "status": DossierStatus.RECEIVED}, "attention", ""),
    "due_today": (_("Đến hạn trả hôm nay"), {"view": "due_today"}, "attention", ""),
    "result_ready": (_("Có kết quả, chờ trả"), {"view": "all", "status": DossierStatus.RESULT_READY}, "attention", ""),
    "overdue": (_("Quá hạn trả"), {"view": "overdue"}, "alarm", "dossiers-overdue"),
}


def _counts(user, keys, labels: dict | None = None) -> dict:
    data = dashboard_counts()
    counts = []
    for key in keys:
        label, query, tone, testid = COUNTS[key]
        label = (labels or {}).get(key, label)
        counts.append(
            today_count(user, label=label, value=data[key], url_name=LIST, query=query, tone=tone, testid=testid)
        )
    return {"counts": counts}


def intake_panel(user) -> dict:
    return _counts(user, ["today", "waiting", "due_today", "result_ready", "overdue"])


def late_panel(user) -> dict:
    return _counts(user, ["overdue", "due_today"], labels={"overdue": _("Hồ sơ quá hạn trả")})
