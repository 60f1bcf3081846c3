"""The auditor's journey (issue 6): sign in, find a record's change by date, open its timeline, export it.

A procedure stands in for the seal's off-site request until the seals app lands; the pages are
the same generic ones.
"""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from procedures.models import Procedure
from tuson_hcc.accounts.models import Agency
from tuson_hcc.core.history import tracked_save

pytestmark = pytest.mark.browser

DAY = dt.date(2026, 1, 15)


@pytest.fixture
def edited_procedure(live_users):
    agency = Agency.objects.get(short_name="PTP")
    procedure = tracked_save(
        Procedure(name="Đăng ký mẫu con dấu mới", implementing_agency=agency, processing_days=3),
        actor=live_users["admin"],
        reason="nhập danh mục TTHC",
    )
    procedure.processing_days = 5
    tracked_save(procedure, actor=live_users["giamdoc"], reason="sửa thời hạn giải quyết")
    # Both versions were written on DAY (the test's way to pick a date; the app never rewrites history).
    moment = timezone.make_aware(dt.datetime.combine(DAY, dt.time(9)))
    for offset, row in enumerate(procedure.history.order_by("history_id")):
        Procedure.history.filter(pk=row.pk).update(history_date=moment + dt.timedelta(minutes=offset))
    return procedure


def test_auditor_finds_a_change_by_date_opens_the_timeline_and_exports_it(sign_in, page, live_server, edited_procedure):
    sign_in("kiemtra")
    page.get_by_role("link", name="Lịch sử / Kiểm tra").click()
    page.get_by_label("Loại bản ghi").select_option("procedures.procedure")
    page.get_by_label("Từ ngày").fill(DAY.isoformat())
    page.get_by_label("Đến ngày").fill(DAY.isoformat())
    page.get_by_role("button", name="Lọc").click()

    entries = page.get_by_test_id("history-entry")
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text("sửa thời hạn giải quyết")
    expect(entries.first).to_contain_text("Trần Văn Minh")
    expect(entries.first).to_contain_text("thời hạn giải quyết (ngày làm việc)")

    entries.first.get_by_role("link", name="Đăng ký mẫu con dấu mới").click()
    expect(page.get_by_test_id("timeline-title")).to_have_text("Đăng ký mẫu con dấu mới")
    expect(page.get_by_test_id("history-entry")).to_have_count(2)

    with page.expect_download() as download_info:
        page.get_by_test_id("export-csv").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert [r[7] for r in rows[1:]] == ["sửa thời hạn giải quyết", "nhập danh mục TTHC"]
    assert rows[1][0].startswith("15/01/2026")
