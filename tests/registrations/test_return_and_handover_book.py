"""Thủ tục bước 4: return the seal and certificate after the checks; the handover book (DESIGN.md §5)."""

import datetime as dt

import pytest
import time_machine

from registrations.choices import Channel, DocumentKind, DossierStatus, IdKind
from registrations.handover import ReturnData, dossier_return, handover_book_issue
from registrations.models import HandoverEntry
from registrations.paperwork import control_sheet_issue, register_issue
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.ledgers.models import LedgerImmutableError
from tuson_hcc.ledgers.verify import verify_ledger

from .conftest import local, pdf_text, record_result

pytestmark = pytest.mark.django_db


def _checked(dossier, **overrides) -> ReturnData:
    values = dict(
        recipient_name=dossier.applicant_name,
        recipient_id_kind=IdKind.CCCD,
        recipient_id_number=dossier.applicant_id_number,
        receipt_checked=True,
        identity_checked=True,
        recipient_signed=True,
        signature_name=dossier.applicant_name,
    )
    values.update(overrides)
    return ReturnData(**values)


@pytest.fixture
def accepted(receive, tiepnhan):
    """Received on 09/03/2026 (due 12/03); its result came in on 10/03: ready to return."""
    with time_machine.travel(local(2026, 3, 9, 9, 0), tick=False):
        dossier = receive("h").dossier
    with time_machine.travel(local(2026, 3, 10, 14, 0), tick=False):
        return record_result(dossier, tiepnhan)


def test_return_writes_the_handover_book_and_closes_the_dossier(accepted, tiepnhan):
    with time_machine.travel(local(2026, 3, 12, 10, 0), tick=False):
        entry = dossier_return(dossier=accepted, data=_checked(accepted), actor=tiepnhan)
    accepted.refresh_from_db()
    assert accepted.status == DossierStatus.RETURNED and accepted.returned_at == local(2026, 3, 12, 10, 0)
    assert (entry.chain_key, entry.sequence) == ("HCCTS:2026", 1)
    assert entry.dossier_code == accepted.code and entry.recipient_signed
    assert "Giấy tiếp nhận hồ sơ" in entry.checks and "giấy tờ tùy thân" in entry.checks
    assert accepted.history.first().history_change_reason.startswith("trả kết quả")
    assert verify_ledger(HandoverEntry)[0].ok


def test_handover_book_is_append_only(accepted, tiepnhan):
    entry = dossier_return(dossier=accepted, data=_checked(accepted), actor=tiepnhan)
    entry.note = "sửa"
    with pytest.raises(LedgerImmutableError):
        entry.save()
    with pytest.raises(LedgerImmutableError):
        HandoverEntry.objects.filter(pk=entry.pk).delete()


def test_return_without_identity_check_is_refused(accepted, tiepnhan):
    with pytest.raises(BusinessRuleError, match="Căn cước") as error:
        dossier_return(dossier=accepted, data=_checked(accepted, identity_checked=False), actor=tiepnhan)
    assert error.value.field == "identity_checked"
    accepted.refresh_from_db()
    assert accepted.status == DossierStatus.RESULT_READY and not HandoverEntry.objects.exists()


def test_return_without_receipt_check_or_signature_is_refused(accepted, tiepnhan):
    with pytest.raises(BusinessRuleError, match="Giấy tiếp nhận"):
        dossier_return(dossier=accepted, data=_checked(accepted, receipt_checked=False), actor=tiepnhan)
    with pytest.raises(BusinessRuleError, match="ký"):
        dossier_return(dossier=accepted, data=_checked(accepted, recipient_signed=False), actor=tiepnhan)
    with pytest.raises(BusinessRuleError, match="ký"):
        dossier_return(dossier=accepted, data=_checked(accepted, signature_name="Người khác"), actor=tiepnhan)
    assert not HandoverEntry.objects.exists()


def test_someone_else_needs_a_checked_letter_of_introduction(accepted, tiepnhan):
    other = _checked(
        accepted, recipient_name="Lê Văn Tâm", signature_name="le van tam", recipient_id_number="027099998888"
    )
    with pytest.raises(BusinessRuleError, match="giấy giới thiệu"):
        dossier_return(dossier=accepted, data=other, actor=tiepnhan)
    entry = dossier_return(
        dossier=accepted, data=ReturnData(**{**other.__dict__, "authorisation_checked": True}), actor=tiepnhan
    )
    assert "giấy giới thiệu" in entry.checks


def test_online_dossier_needs_originals_checked_against_the_scans(receive, tiepnhan):
    dossier = record_result(receive("h", channel=Channel.ONLINE).dossier, tiepnhan)
    with pytest.raises(BusinessRuleError, match="bản chính"):
        dossier_return(dossier=dossier, data=_checked(dossier), actor=tiepnhan)
    entry = dossier_return(dossier=dossier, data=_checked(dossier, originals_checked=True), actor=tiepnhan)
    assert "bản scan" in entry.checks


def test_refused_dossier_cannot_be_returned(receive, tiepnhan):
    dossier = receive("h", refusal_reason="Không đủ điều kiện sử dụng con dấu.").dossier
    with pytest.raises(BusinessRuleError, match="từ chối"):
        dossier_return(dossier=dossier, data=_checked(dossier), actor=tiepnhan)
    assert not HandoverEntry.objects.exists()


def test_incomplete_dossier_cannot_be_returned_and_nothing_is_returned_twice(receive, accepted, tiepnhan):
    incomplete = receive("h", complete=False).dossier
    with pytest.raises(BusinessRuleError, match="chưa thể trả"):
        dossier_return(dossier=incomplete, data=_checked(incomplete), actor=tiepnhan)
    dossier_return(dossier=accepted, data=_checked(accepted), actor=tiepnhan)
    with pytest.raises(BusinessRuleError):
        dossier_return(dossier=accepted, data=_checked(accepted), actor=tiepnhan)


def test_wrong_role_cannot_return(accepted, demo_users):
    with pytest.raises(BusinessRuleError, match="Cán bộ tiếp nhận"):
        dossier_return(dossier=accepted, data=_checked(accepted), actor=demo_users["vanthu"])


def test_handover_book_pdf_for_a_period(accepted, tiepnhan):
    with time_machine.travel(local(2026, 3, 12, 10, 0), tick=False):
        dossier_return(dossier=accepted, data=_checked(accepted), actor=tiepnhan)
        book = handover_book_issue(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), actor=tiepnhan)
        again = handover_book_issue(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), actor=tiepnhan)
    assert again.pk == book.pk  # same lines: the stored book is served again, not re-rendered
    text = pdf_text(book)
    assert "SỔ GIAO NHẬN CON DẤU" in text and accepted.code in text and "Nguyễn Thị Hằng" in text
    assert "Đã ký" in text


def test_control_sheet_and_register_come_from_the_dossiers_history(accepted, tiepnhan):
    with time_machine.travel(local(2026, 3, 11, 10, 0), tick=False):
        dossier_return(dossier=accepted, data=_checked(accepted), actor=tiepnhan)
        accepted.refresh_from_db()
        sheet = control_sheet_issue(dossier=accepted, actor=tiepnhan)
        register = register_issue(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), actor=tiepnhan)
    sheet_text = pdf_text(sheet)
    assert sheet.kind == DocumentKind.CONTROL_SHEET
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in sheet_text
    assert "Nhận hồ sơ" in sheet_text and "Trước hạn" in sheet_text and "Đỗ Quang Huy" in sheet_text
    register_text = pdf_text(register)
    assert "SỔ THEO DÕI HỒ SƠ" in register_text and accepted.code in register_text
    with pytest.raises(BusinessRuleError, match="31 ngày"):
        register_issue(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), actor=tiepnhan)
