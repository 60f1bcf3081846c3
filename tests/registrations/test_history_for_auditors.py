"""An intake appears in the auditors' history with the intake officer and the action (issue 6)."""

import pytest

pytestmark = pytest.mark.django_db


def test_auditor_sees_an_intake_with_the_officer_and_the_action(receive, client_for, tiepnhan):
    outcome = receive("h", complete=True)
    dossier = outcome.dossier if hasattr(outcome, "dossier") else outcome[0]
    page = client_for("kiemtra").get("/history/", {"model": "registrations.dossier", "user": tiepnhan.pk})
    entries = [e for e in page.context["page"].entries if e.object_id == dossier.pk]
    assert entries, "the intake is in the history"
    assert all(e.row.history_user == tiepnhan for e in entries)
    assert "tiếp nhận hồ sơ đủ thành phần, hẹn trả kết quả" in [e.reason for e in entries]
    assert client_for("kiemtra").get(f"/history/registrations.dossier/{dossier.pk}/").status_code == 200


def test_reports_count_dossiers_by_month(receive, client_for):
    from django.utils import timezone

    from registrations.selectors import dossiers_per_month

    receive("h", complete=True)
    receive("h", complete=False)
    today = timezone.localdate()
    month = today.replace(day=1)
    assert (month, "nhận", 2) in dossiers_per_month(start=month, end=today)
    page = client_for("giamdoc").get("/history/reports/")
    assert page.status_code == 200
    assert "Hồ sơ đăng ký mẫu con dấu theo tháng nhận" in page.content.decode()
