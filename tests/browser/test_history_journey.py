"""The auditor's journey (issue 6): find a seal's off-site request by date, open its timeline, export it."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from seals.models import OffsiteRequest
from seals.services.offsite import offsite_decide, offsite_request_create, offsite_request_submit
from tests.seals.factories import build_catalogue, build_seal

pytestmark = pytest.mark.browser

DAY = dt.date(2026, 1, 15)


@pytest.fixture
def offsite_request(live_users):
    catalogue = build_catalogue()
    seal = build_seal(catalogue, live_users["vanthu"])
    now = timezone.now()
    request = offsite_request_create(
        seal=seal,
        requested_by=live_users["congchuc"],
        purpose="Đóng dấu tại nhà người cao tuổi",
        procedures=[catalogue["birth"]],
        documents="01 trích lục",
        destination="Phường Đình Bảng",
        carrier=live_users["congchuc"],
        starts_at=now + dt.timedelta(hours=1),
        due_back_at=now + dt.timedelta(hours=4),
        urgency="urgent",
        actor=live_users["congchuc"],
    )
    offsite_request_submit(request=request, actor=live_users["congchuc"])
    offsite_decide(
        request=request,
        step="director_opinion",
        approved=True,
        version=1,
        comment="Đồng ý",
        actor=live_users["giamdoc"],
    )
    # The versions (creation, its procedures, submission, opinion, the mails they sent) were written on DAY:
    # the test's way to pick a date; the app never rewrites history.
    moment = timezone.make_aware(dt.datetime.combine(DAY, dt.time(9)))
    for offset, row in enumerate(request.history.order_by("history_id")):
        OffsiteRequest.history.filter(pk=row.pk).update(history_date=moment + dt.timedelta(minutes=offset))
    return request


def test_auditor_finds_an_offsite_request_by_date_opens_the_timeline_and_exports_it(sign_in, page, offsite_request):
    sign_in("kiemtra")
    page.get_by_role("link", name="Lịch sử / Kiểm tra").click()
    page.get_by_label("Loại bản ghi").select_option("seals.offsiterequest")
    page.get_by_label("Từ ngày").fill(DAY.strftime("%d/%m/%Y"))
    page.get_by_label("Đến ngày").fill(DAY.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Lọc").click()

    entries = page.get_by_test_id("history-entry")
    expect(entries).to_have_count(6)
    opinion = entries.nth(1)  # the newest is the mail to the Head that the opinion triggered
    expect(entries.first).to_contain_text("gửi thư nhắc người cần quyết định")
    expect(opinion).to_contain_text("Ý kiến của Giám đốc Trung tâm: đồng ý")
    expect(opinion).to_contain_text("Trần Văn Minh")
    expect(opinion).to_contain_text("Chờ Thủ trưởng quyết định")

    entries.first.get_by_role("link", name=str(offsite_request)).click()
    expect(page.get_by_test_id("history-entry")).to_have_count(6)

    with page.expect_download() as download_info:
        page.get_by_test_id("export-csv").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert [r[7] for r in rows[1:]] == [
        "gửi thư nhắc người cần quyết định",
        "Ý kiến của Giám đốc Trung tâm: đồng ý",
        "gửi thư nhắc người cần quyết định",
        "gửi đề nghị tới Giám đốc",
        "lập đề nghị mang con dấu ra ngoài",  # its procedures (m2m), recorded with the same action
        "lập đề nghị mang con dấu ra ngoài",
    ]
    assert rows[1][0].startswith("15/01/2026")
