"""An auditor finds a stamping by its number typed without diacritics, in a real browser (issues 13, 14)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from seals.services.stamping import stamping_record
from tests.seals.factories import build_catalogue, build_seal

pytestmark = pytest.mark.browser


def test_auditor_finds_a_stamping_by_its_number_typed_without_diacritics(sign_in, live_users, live_server):
    catalogue = build_catalogue()
    seal = build_seal(catalogue, live_users["vanthu"])
    for number, summary in (("15/QĐ-UBND", "Trích lục khai sinh cho Đỗ Thị Hường"), ("16/GCN-PTP", "Bản sao")):
        stamping_record(
            seal=seal,
            procedure=catalogue["birth"],
            document={
                "document_type": "Quyết định",
                "document_number": number,
                "document_date": timezone.localdate(),
                "summary": summary,
                "signer_name": "Lê Thị Lan",
                "signer_position": "Trưởng phòng Tư pháp",
                "is_signed": True,
                "copies": 1,
                "impressions": 1,
                "kind": "signature",
                "requested_by": "Phạm Đức Anh",
            },
            actor=live_users["vanthu"],
        )
    page = sign_in("kiemtra")
    page.goto(f"{live_server.url}/seals/register/")
    page.get_by_label("Tìm (số ký hiệu, trích yếu, người đề nghị)").fill("15/qd-ubnd")
    page.get_by_label("Tìm (số ký hiệu, trích yếu, người đề nghị)").press("Enter")
    rows = page.get_by_test_id("stamping-rows")
    expect(rows).to_contain_text("15/QĐ-UBND")
    expect(rows).not_to_contain_text("16/GCN-PTP")
    expect(page.get_by_test_id("match-count")).to_contain_text("1 kết quả")
