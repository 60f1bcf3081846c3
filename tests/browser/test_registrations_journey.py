"""Intake staff's journey in a real browser (STYLE.md §7): receive a complete dossier with the checklist and
download its receipt (Mẫu 01), an incomplete one and its guidance sheet (Mẫu 02), then return the first one
with the recipient's signature in the handover book (Thủ tục bước 2–4)."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from registrations.models import Dossier, HandoverEntry, OrganisationType
from tests.registrations.conftest import tiny_pdf

pytestmark = pytest.mark.browser


@pytest.fixture
def org_types(live_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    if not OrganisationType.objects.exists():  # flushed by an earlier transactional test
        importlib.import_module("registrations.migrations.0002_organisation_types").load(apps, None)
    return {t.code: t for t in OrganisationType.objects.all()}


def _fill_intake(page, org_type, name: str, applicant: str, id_number: str):
    page.wait_for_load_state("load")  # htmx (deferred) must be listening before the type changes
    page.get_by_label("Loại cơ quan, tổ chức").select_option(str(org_type.pk))
    expect(page.get_by_test_id("checklist")).to_be_visible()
    page.get_by_label("Tên cơ quan, tổ chức").fill(name)
    page.get_by_label("Địa chỉ trụ sở").fill("Phường Đồng Kỵ, thành phố Từ Sơn")
    page.get_by_label("Quyết định thành lập / giấy phép").fill("Giấy chứng nhận đăng ký doanh nghiệp số 2300123456")
    page.get_by_label("Họ tên người được cử đến").fill(applicant)
    page.get_by_label("Số giấy tờ").fill(id_number)


def test_intake_receipt_guidance_and_return_with_signature(sign_in, page, live_server, org_types):
    sign_in("tiepnhan")
    page.get_by_role("link", name="+ Nhận hồ sơ mới").click()

    # 1. A complete dossier of an enterprise (type h): the checklist appears, one click marks it all present.
    _fill_intake(page, org_types["h"], "Công ty TNHH Gỗ mỹ nghệ Đồng Kỵ", "Nguyễn Thị Hằng", "027190001234")
    expect(page.get_by_test_id("checklist").locator("tbody tr")).to_have_count(3)
    page.get_by_role("button", name="Tất cả có – bản chính").click()
    page.get_by_test_id("intake-submit").click()
    # The lookup secret is printed on its own slip from this page, never stored (issue 11 point 9).
    expect(page.get_by_test_id("slip-secret")).to_have_text(re.compile(r"^[A-Z2-9]{10}$"))
    page.get_by_test_id("slip-continue").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã tiếp nhận, hẹn trả kết quả")
    code = page.get_by_test_id("dossier-code").inner_text()
    assert code.startswith("HCCTS-")
    with page.expect_download() as receipt:
        page.get_by_test_id("download-mau_01").click()
    assert open(receipt.value.path(), "rb").read(5) == b"%PDF-"
    accepted_url = page.url

    # 2. An incomplete dossier of a religious subsidiary (type g): five documents, the last one missing.
    page.get_by_role("link", name="+ Nhận hồ sơ").first.click()
    _fill_intake(page, org_types["g"], "Giáo họ Phù Lưu", "Trần Văn Bình", "027080002222")
    states = page.locator("select[data-checklist-state]")
    expect(states).to_have_count(5)
    page.get_by_role("button", name="Tất cả có – bản chính").click()
    states.last.select_option("thieu")
    page.locator("select[data-checklist-form]").last.select_option("")
    page.get_by_test_id("intake-submit").click()
    page.get_by_test_id("slip-continue").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Chưa đầy đủ, chờ bổ sung")
    with page.expect_download() as guidance:
        page.get_by_test_id("download-mau_02").click()
    assert open(guidance.value.path(), "rb").read(5) == b"%PDF-"

    # 3. The result comes in (the seal and the Giấy chứng nhận), then the first dossier is returned:
    # receipt and identity checked, the recipient signs the book.
    page.goto(accepted_url)
    expect(page.get_by_test_id("return-link")).to_have_count(0)
    page.get_by_label("Số Giấy chứng nhận đăng ký mẫu con dấu").fill("27/GCN")
    page.get_by_label("Ngày cấp").fill(datetime.date.today().isoformat())
    page.get_by_label("Bản scan mẫu con dấu (PDF hoặc ảnh PNG/JPEG)").set_input_files(
        files=[{"name": "mau-dau.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()}]
    )
    page.get_by_test_id("result-submit").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã có kết quả, chờ trả")
    page.get_by_test_id("return-link").click()
    page.get_by_label("Người nhận ký sổ: họ tên do người nhận tự ghi").fill("Nguyễn Thị Hằng")
    page.get_by_label("Người nhận đã ký vào sổ giao nhận con dấu").check()
    page.get_by_test_id("return-submit").click()  # the documents were not checked: refused with a message
    expect(page.get_by_test_id("return-form")).to_contain_text("Phải kiểm tra Giấy tiếp nhận hồ sơ")
    page.get_by_label("Đã kiểm tra Giấy tiếp nhận hồ sơ và hẹn trả kết quả").check()
    page.get_by_label("Đã kiểm tra Thẻ Căn cước công dân / CMND / Hộ chiếu của người nhận").check()
    page.get_by_test_id("return-submit").click()
    expect(page.get_by_test_id("rating-page")).to_be_visible()  # the counter tablet asks for the rating
    page.get_by_role("link", name="Về trang hồ sơ").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã trả kết quả")
    expect(page.get_by_test_id("handover-entries")).to_contain_text("Nguyễn Thị Hằng ký nhận")

    page.get_by_role("link", name="Sổ giao nhận con dấu").click()
    expect(page.get_by_test_id("handover-book")).to_contain_text(code)
    with page.expect_response(lambda r: "/registrations/books/" in r.url) as book:
        page.get_by_test_id("book-pdf").click()
    assert book.value.headers["content-type"] == "application/pdf"
    assert Dossier.objects.get(code=code).status == "returned"
    assert HandoverEntry.objects.get().signature_name == "Nguyễn Thị Hằng"
