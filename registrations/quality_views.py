"""The service-quality report for the Director and auditors (DESIGN.md section 10): by month, chart and CSV."""

from datetime import date

from django.shortcuts import render
from django.views.decorators.http import require_GET

from tuson_hcc.accounts.permissions import role_required
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.exports import export_response

from .quality import (
    CSV_HEADER,
    FIGURES,
    NOT_COVERED,
    chart_bars,
    current_month,
    months_quality,
    months_rows_html,
    quality_csv_rows,
)

QUALITY_READERS = (Role.GIAM_DOC, Role.KIEM_TRA)


def _last_month(request) -> date:
    raw = request.GET.get("thang", "")  # "YYYY-MM"
    try:
        year, month = (int(part) for part in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        return current_month()


@require_GET
@role_required(*QUALITY_READERS)
def service_quality(request):
    last = _last_month(request)
    months = months_quality(last=last, count=12)
    if request.GET.get("format") == "csv":
        return export_response(
            "csv", name="chat-luong-phuc-vu", header=CSV_HEADER, rows=quality_csv_rows(months), stamp=f"{last:%Y%m}"
        )
    return render(
        request,
        "registrations/service_quality.html",
        {
            "months": months,
            "current": months[-1],
            "figures": FIGURES,
            "not_covered": NOT_COVERED,
            "chart": chart_bars(months),
            "months_rows": months_rows_html(months),
            "last": last,
        },
    )
