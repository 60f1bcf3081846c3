"""The online applicant's journey in a real browser (issue 12, "Done means"): submit; the guidance with the
missing documents on /lookup/; upload the completed PDF; the receipt by e-mail with a signed PDF that
pyHanko validates (and a modified copy fails); result ready and told; return at the desk; the rating;
the dossier counts in that month's service-quality report."""

import importlib
import re

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from registrations.choices import ItemState
from registrations.models import Dossier, OrganisationType, Rating, ScanVersion
from registrations.selectors import required_documents_for
from registrations.services import CheckResult, dossier_check
from tests.registrations.conftest import complete_checklist, record_result, tiny_pdf
from tuson_hcc.documents import signing

pytestmark = pytest.mark.browser


@pytest.fixture
def org_types(live_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    if not OrganisationType.objects.exists():  # flushed by an earlier transactional test
        importlib.import_module("registrations.migrations.0002_organisation_types").load(apps, None)
    return {t.code: t for t in OrganisationType.objects.all()}


@pytest.fixture
def demo_signing(settings, tmp_path):
    paths = signing.demo_signing_material_create(tmp_path / "signing", organisation="Công an thành phố Từ Sơn")
    for setting, path in paths.items():
        setattr(settings, setting, str(path))


def _pdf_file(name: str) -> list[dict]:
    return [{"name": name, "mimeType": "application/pdf", "buffer": tiny_pdf()}]


def _lookup(page, live_server, code: str, secret: str):
    page.goto(f"{live_server.url}/lookup/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("Mã tra cứu").fill(secret)
    page.get_by_role("button", name="Tra cứu").click()


def test_online_applicant_journey(page, live_server, org_types, live_users, sign_in, demo_signing):
    mail.outbox.clear()
    tiepnhan = live_users["tiepnhan"]

    # 1. Submit online: one scanned PDF (Thủ tục mục b).
    page.goto(f"{live_server.url}/submit/")
    page.get_by_label("Loại cơ quan, tổ chức").select_option(str(org_types["h"].pk))
    page.get_by_label("Tên cơ quan, tổ chức").fill("Công ty Cổ phần Thép Châu Khê")
    page.get_by_label("Địa chỉ trụ sở").fill("Phường Châu Khê, thành phố Từ Sơn")
    page.get_by_label("Quyết định thành lập / giấy phép").fill("Giấy chứng nhận đăng ký doanh nghiệp số 2300999888")
    page.get_by_label("Họ tên người được cử đến").fill("Phạm Thu Hằng")
    page.get_by_label("Số giấy tờ").fill("027190005555")
    page.get_by_label("Điện thoại").fill("0987654321")
    page.get_by_label("Thư điện tử").fill("hang@chaukhe.example.vn")
    page.get_by_label("Bản scan hồ sơ (01 tệp PDF)").set_input_files(files=_pdf_file("ho-so.pdf"))
    page.get_by_role("button", name=re.compile("Nộp hồ sơ")).click()
    secret = page.get_by_test_id("submitted-secret").inner_text()
    dossier = Dossier.objects.get()
    assert any(secret in m.body for m in mail.outbox if m.to == ["hang@chaukhe.example.vn"])

    # 2. The desk finds a document missing: the guidance and what is missing appear on /lookup/.
    results = complete_checklist(org_types["h"])
    missing = required_documents_for(org_types["h"])[-1]
    results[missing.pk] = CheckResult(ItemState.MISSING, note="cần bản sao chứng thực")
    dossier_check(dossier=dossier, checklist=results, guidance_note="Bổ sung trong 10 ngày.", actor=tiepnhan)
    _lookup(page, live_server, dossier.code, secret)
    expect(page.get_by_test_id("lookup-status")).to_have_text("Chưa đầy đủ, chờ bổ sung")
    expect(page.get_by_test_id("lookup-missing")).to_contain_text(missing.name)

    # 3. Upload the completed PDF against the same mã hồ sơ.
    page.get_by_label("Bản scan hồ sơ đã hoàn thiện (01 tệp PDF)").set_input_files(files=_pdf_file("bo-sung.pdf"))
    page.get_by_test_id("completion-submit").click()
    expect(page.get_by_test_id("completion-received")).to_be_visible()
    assert ScanVersion.objects.get().number == 2

    # 4. The desk accepts: the receipt arrives by e-mail with a signed PDF; pyHanko: intact, a modified copy fails.
    mail.outbox.clear()
    outcome = dossier_check(dossier=dossier, checklist=complete_checklist(org_types["h"]), actor=tiepnhan)
    (receipt,) = [m for m in mail.outbox if m.to == ["hang@chaukhe.example.vn"]]
    ((_name, signed, _mimetype),) = receipt.attachments
    stored = outcome.document.file.open("rb").read()
    check = signing.signature_check(signed, issued_sha256=outcome.document.sha256, issued_size=len(stored))
    assert check.intact and check.valid and check.trusted and check.issued_prefix_matches  # pyHanko's validator
    at = signed.index(b"/MediaBox")
    modified = signed[: at + 12] + b"9" + signed[at + 13 :]
    assert not signing.signature_check(modified).intact

    # 5. The result comes in; the applicant is told.
    mail.outbox.clear()
    record_result(Dossier.objects.get(), tiepnhan, certificate_number="88/GCN")
    assert any("88/GCN" in m.body for m in mail.outbox if m.to == ["hang@chaukhe.example.vn"])

    # 6. Return at the desk, originals checked against the scans; 7. the rating on the counter tablet.
    sign_in("tiepnhan")
    page.goto(f"{live_server.url}/registrations/{dossier.pk}/")
    page.get_by_test_id("return-link").click()
    page.get_by_label("Đã kiểm tra Giấy tiếp nhận hồ sơ và hẹn trả kết quả").check()
    page.get_by_label("Đã kiểm tra Thẻ Căn cước công dân / CMND / Hộ chiếu của người nhận").check()
    page.get_by_label("Đã đối chiếu bản chính với bản scan (hồ sơ nộp trực tuyến)").check()
    page.get_by_label("Người nhận ký sổ: họ tên do người nhận tự ghi").fill("Phạm Thu Hằng")
    page.get_by_label("Người nhận đã ký vào sổ giao nhận con dấu").check()
    page.get_by_test_id("return-submit").click()
    expect(page.get_by_test_id("rating-page")).to_be_visible()
    page.get_by_test_id("rating-hai_long").click()
    page.get_by_test_id("rating-submit").click()
    expect(page.get_by_test_id("rating-thanks")).to_be_visible()
    assert Rating.objects.get().value == "hai_long"

    # 8. The dossier counts in that month's report.
    sign_in("giamdoc")
    page.goto(f"{live_server.url}/registrations/quality/?thang={timezone.localdate():%Y-%m}")
    expect(page.get_by_test_id("figure-online_share")).to_contain_text("(1/1)")
    expect(page.get_by_test_id("figure-satisfied_share")).to_contain_text("100,0 %")
    expect(page.get_by_test_id("quality-chart")).to_be_visible()
