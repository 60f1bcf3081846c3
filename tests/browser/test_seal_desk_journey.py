"""The Văn thư's day at the desk, in a real browser (issue 3)."""

import pytest
from playwright.sync_api import expect

from seals.models import StampingEntry
from tests.seals.factories import build_catalogue, build_seal

pytestmark = pytest.mark.browser


def _fill_stamping(page, *, procedure: str, summary: str, signed: bool = True):
    # The procedure field has the focus when the desk opens; the rest is reached with Tab.
    expect(page.locator("#id_procedure")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type(procedure)
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("HCCTS-261125-0001")  # mã hồ sơ
    page.locator("#id_document_number").fill("15/TL")
    page.locator("#id_summary").fill(summary)
    page.locator("#id_signer_name").fill("Lê Thị Lan")
    page.locator("#id_signer_position").fill("Trưởng phòng Tư pháp")
    page.locator("#id_requested_by").fill("Phạm Đức Anh")
    if signed:
        page.locator("#id_is_signed").check()
    page.locator("#id_summary").press("Enter")


def test_van_thu_records_three_stampings_one_refused_and_downloads_the_days_register(sign_in, live_users):
    catalogue = build_catalogue()
    build_seal(catalogue, live_users["vanthu"])
    page = sign_in("vanthu")
    page.get_by_role("link", name="Đóng dấu").first.click()

    _fill_stamping(page, procedure=catalogue["birth"].code, summary="Trích lục khai sinh cho Nguyễn Văn An")
    expect(page.get_by_role("alert").first).to_contain_text("Đã ghi sổ")
    _fill_stamping(page, procedure=catalogue["household"].code, summary="Giấy chứng nhận hộ kinh doanh")
    expect(page.get_by_test_id("stamping-form")).to_contain_text("không phải cơ quan của con dấu")
    _fill_stamping(page, procedure=catalogue["copy"].code, summary="Bản sao giấy khai sinh")
    expect(page.get_by_role("alert").first).to_contain_text("số 2")
    _fill_stamping(page, procedure=catalogue["birth"].code, summary="Trích lục khai sinh cho Trần Bình")
    expect(page.get_by_test_id("stamping-rows")).to_contain_text("Trần Bình")
    assert StampingEntry.objects.count() == 3

    page.get_by_role("link", name="Sổ đóng dấu hôm nay").click()
    expect(page.get_by_test_id("totals")).to_contain_text("3 lần đóng dấu")
    with page.expect_download() as download:
        page.get_by_test_id("register-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
