"""Reports per month (registered series) and the auditor's dashboard panel (issue 6)."""

import datetime as dt

import pytest

from procedures.models import CatalogueChange, Decision, Procedure
from tuson_hcc.accounts.models import Agency
from tuson_hcc.core import registry
from tuson_hcc.history.reports import series_report
from tuson_hcc.history.services import ledger_verification_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes():
    agency = Agency.objects.get(short_name="PTP")
    decision = Decision.objects.create(number="9/QĐ", signed_on=dt.date(2025, 1, 5), effective_on=dt.date(2025, 1, 10))
    for i, (month, action) in enumerate([(1, "add"), (1, "add"), (1, "abolish"), (3, "amend")]):
        procedure = Procedure.objects.create(name=f"P{i}", implementing_agency=agency)
        CatalogueChange.objects.create(
            decision=decision, procedure=procedure, action=action, effective_on=dt.date(2025, month, 15)
        )


def test_the_procedures_series_counts_changes_per_month_and_action(client_for, demo_users, changes):
    response = client_for("giamdoc").get("/history/reports/", {"date_from": "2025-01-01", "date_to": "2025-04-30"})
    assert response.status_code == 200
    (report,) = [r for r in response.context["reports"] if r.series.name == "procedures.catalogue_changes"]
    assert report.months == [dt.date(2025, m, 1) for m in (1, 2, 3, 4)]
    table = {group: counts for group, counts, _ in report.table}
    assert table == {"Công bố mới": [2, 0, 0, 0], "Bãi bỏ": [1, 0, 0, 0], "Sửa đổi, bổ sung": [0, 0, 1, 0]}
    assert report.totals == [3, 0, 1, 0]
    html = response.content.decode()
    assert "<svg" in html and "<rect" in html and "<script" not in html.split("</footer>")[0].split("<main")[1]
    assert client_for("vanthu").get("/history/reports/").status_code == 403


def test_a_registered_series_appears_with_its_bars_scaled_to_the_busiest_month():
    series = registry.ReportSeries(
        name="test.series",
        title="Thử",
        rows=lambda start, end: [
            (dt.date(2026, 1, 1), "A", 4),
            (dt.date(2026, 2, 1), "A", 2),
            (dt.date(2026, 2, 1), "B", 2),
        ],
    )
    report = series_report(series, start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 28))
    assert report.max_total == 4 and report.totals == [4, 4]
    assert sum(b.height for b in report.bars if b.x == report.bars[0].x) == 180


def test_the_auditor_dashboard_shows_todays_changes_and_the_last_check(client_for, demo_users, procedure):
    ledger_verification_run(actor=demo_users["kiemtra"])
    response = client_for("kiemtra").get("/")
    (panel,) = [p for p in response.context["panels"] if p["title"] == "Lịch sử và kiểm tra sổ"]
    assert panel["context"]["changes_today"] >= 2
    assert panel["context"]["last_verification"].ok
    html = response.content.decode()
    assert "thay đổi hôm nay" in html and "Toàn vẹn" in html and "Lịch sử / Kiểm tra" in html
    vanthu = client_for("vanthu").get("/")
    assert "Lịch sử / Kiểm tra" not in vanthu.content.decode()


def test_a_busy_days_change_count_stops_at_its_cap_and_says_more_than(client_for, procedure, monkeypatch):
    """The count of today's changes reads at most cap + 1 index rows, whatever the day's volume (issue 14)."""
    monkeypatch.setattr("tuson_hcc.history.dashboard.CHANGES_TODAY_CAP", 1)
    response = client_for("kiemtra").get("/")
    (panel,) = [p for p in response.context["panels"] if p["title"] == "Lịch sử và kiểm tra sổ"]
    assert panel["context"]["changes_today"] == 1 and panel["context"]["more_changes_today"]
    assert "hơn <strong>1</strong> thay đổi hôm nay" in response.content.decode()
