"""Complete registers (TT 01/2018/TT-VPCP): Mẫu 05 lists each hand-off with who gave, who received, when,
early / on time / late and signature columns; Mẫu 06 carries the form's columns, including address and
phone, the recipient's signature at return and the result early / on time / late."""

import datetime as dt

import pytest
import time_machine

from registrations.paperwork import control_sheet_issue, register_issue

from .conftest import local, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(received_and_returned):
    # due 12/03: late
    return received_and_returned(result_at=local(2026, 3, 13, 9, 0), returned_at=local(2026, 3, 13, 10, 0)).dossier


def test_control_sheet_lists_each_hand_off_with_verdict_and_signature_columns(returned, tiepnhan):
    with time_machine.travel(local(2026, 3, 13, 11, 0), tick=False):
        text = pdf_text(control_sheet_issue(dossier=returned, actor=tiepnhan))
    columns = ("Tên cơ quan, người giao", "Kết quả (trước hạn / đúng hạn / quá hạn)", "Người giao ký", "Người nhận ký")
    assert all(column in text for column in columns)
    assert "Nhận hồ sơ" in text and "Ghi nhận kết quả" in text and "Trả kết quả" in text
    assert "Nguyễn Thị Hằng (người nhận kết quả)" in text
    assert "Trước hạn" in text and "Quá hạn" in text  # intake on 09/03, result and return on 13/03
    assert "Kết quả giải quyết: Quá hạn" in text


def test_register_carries_tt01_columns_address_phone_signature_and_verdict(returned, receive, tiepnhan):
    with time_machine.travel(local(2026, 3, 16, 9, 0), tick=False):
        receive("h", applicant_phone="0988777666")
        text = pdf_text(register_issue(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), actor=tiepnhan))
    for column in ("Tên người nộp hồ sơ", "Địa chỉ, số điện thoại", "Ký nhận (người nhận kết quả)", "Ghi chú"):
        assert column in text
    assert all(word in text for word in ("Trước", "Đúng", "Quá"))  # the three result columns (narrow: wrapped)
    assert "0912345678" in text and "0988777666" in text and "Phường Đồng Kỵ" in text
    assert "Nguyễn Thị Hằng (đã ký sổ giao nhận số 1)" in text
    assert "13/03/2026" in text
