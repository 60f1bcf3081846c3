"""Thủ tục "Đăng ký mẫu con dấu mới" bước 2–3: receive, check, and the three outcomes with their documents."""

import re

import pytest
import time_machine

from registrations.choices import DocumentKind, DossierStatus, ItemState
from registrations.models import ChecklistItem, Dossier
from registrations.selectors import required_documents_for
from registrations.services import (
    CheckResult,
    dossier_apologise_late,
    dossier_check,
)
from tuson_hcc.core.errors import BusinessRuleError

from .conftest import checklist_missing, complete_checklist, local, pdf_text

pytestmark = pytest.mark.django_db


def test_the_eleven_organisation_types_of_the_procedure_card_are_data_with_history(org_types):
    # Thủ tục mục c: 11 types, a) … l); each has its own documents, plus the person sent's papers.
    assert sorted(org_types) == sorted(["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l"])
    for org_type in org_types.values():
        assert org_type.required_documents.exists()
        assert org_type.history.get().history_change_reason == "nạp danh mục giấy tờ theo Thủ tục mục c"


def test_checklist_differs_by_organisation_type(org_types):
    # Thủ tục mục c: a religious subsidiary (g) brings three documents, an enterprise (h) one.
    names = {code: [d.name for d in required_documents_for(org_types[code])] for code in ("g", "h", "d")}
    assert len(names["g"]) == 2 + 3 and len(names["h"]) == 2 + 1
    assert any("Điều lệ" in n for n in names["d"]) and not any("Điều lệ" in n for n in names["h"])
    assert names["g"][0].startswith("Giấy giới thiệu")  # the person sent's papers come first for every type


@time_machine.travel(local(2026, 2, 13, 9, 5), tick=False)
def test_complete_dossier_is_accepted_with_receipt_across_tet_2026(receive):
    # DESIGN.md §4: received Friday 13/02/2026 in the morning, 3 working days, Tết 16–20/02 → Wed 25/02.
    outcome = receive("h")
    dossier = outcome.dossier
    assert dossier.status == DossierStatus.ACCEPTED
    assert dossier.code == "HCCTS-260213-0001"
    assert dossier.due_at == local(2026, 2, 25, 9, 5)
    receipt = outcome.document
    assert receipt.kind == DocumentKind.RECEIPT
    text = pdf_text(receipt)
    assert "HCCTS-260213-0001" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "09 giờ 05 phút, ngày 13 tháng 02 năm 2026" in text
    assert "09 giờ 05 phút, ngày 25 tháng 02 năm 2026" in text
    assert "Liên 1: Lưu" in text and "Liên 2: Giao khách hàng" in text
    assert "Công ty TNHH Gỗ mỹ nghệ Đồng Kỵ" in text and "Nguyễn Thị Hằng" in text
    assert "Quyển số: 2026, Số thứ tự: 1" in text
    assert dossier.history.first().history_change_reason == "tiếp nhận hồ sơ đủ thành phần, hẹn trả kết quả"
    assert dossier.history.first().history_user.username == "tiepnhan"


@pytest.mark.parametrize(
    ("received", "due", "rule"),
    [
        ((2026, 3, 6, 10, 0), (2026, 3, 11, 10, 0), "weekend skipped: Friday + 3 → Wednesday"),
        ((2026, 3, 10, 16, 30), (2026, 3, 16, 8, 0), "after the 16:00 cut-off: counted from Wednesday"),
        ((2026, 3, 7, 9, 0), (2026, 3, 12, 8, 0), "received on a Saturday: counted from Monday"),
        ((2026, 8, 20, 9, 0), (2026, 8, 24, 9, 0), "announced swap Saturday 22/08 is a working day: Thu + 3 → Mon"),
    ],
)
def test_appointment_counts_working_days(receive, received, due, rule):
    with time_machine.travel(local(*received), tick=False):
        dossier = receive("h").dossier
    assert dossier.due_at == local(*due), rule


def test_admin_calendar_override_moves_the_appointment(receive):
    from datetime import date

    from tuson_hcc.workdays.models import CalendarOverride

    CalendarOverride.objects.create(date=date(2026, 3, 11), kind=CalendarOverride.Kind.DAY_OFF, note="Nghỉ địa phương")
    with time_machine.travel(local(2026, 3, 9, 9, 0), tick=False):
        dossier = receive("h").dossier
    assert dossier.due_at == local(2026, 3, 13, 9, 0)  # Mon + 3 working days skipping Wed 11/03


@time_machine.travel(local(2026, 3, 9, 9, 0), tick=False)
def test_incomplete_dossier_gets_guidance_listing_exactly_what_is_missing(receive, org_types):
    outcome = receive("g", checklist=checklist_missing(org_types["g"], last=2), guidance_note="Mang bản chính.")
    dossier = outcome.dossier
    assert dossier.status == DossierStatus.INCOMPLETE and dossier.due_at is None
    assert outcome.document.kind == DocumentKind.GUIDANCE and outcome.document.key == "lan-1"
    text = pdf_text(outcome.document)
    missing = [d.name for d in required_documents_for(org_types["g"])[-2:]]
    present = required_documents_for(org_types["g"])[2].name
    flat = re.sub(r"\s+", " ", text)
    for name in missing:
        assert name[:60] in flat
    assert present[:60] not in flat
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text


def test_incomplete_dossier_completed_later_is_accepted_and_counted_from_completion(receive, org_types, tiepnhan):
    with time_machine.travel(local(2026, 3, 9, 9, 0), tick=False):
        dossier = receive("h", complete=False).dossier
    with time_machine.travel(local(2026, 3, 12, 14, 0), tick=False):
        outcome = dossier_check(dossier=dossier, checklist=complete_checklist(org_types["h"]), actor=tiepnhan)
    dossier = outcome.dossier
    assert dossier.status == DossierStatus.ACCEPTED
    assert dossier.due_at == local(2026, 3, 17, 14, 0)  # Thursday 12/03 + 3 working days
    assert outcome.document.kind == DocumentKind.RECEIPT
    reasons = list(dossier.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == [
        "nhận hồ sơ",
        "hướng dẫn bổ sung, hoàn thiện hồ sơ",
        "tiếp nhận hồ sơ đủ thành phần, hẹn trả kết quả",
    ]
    item = ChecklistItem.objects.filter(dossier=dossier).last()
    assert item.history.first().history_change_reason == "kiểm tra lại thành phần hồ sơ"


@time_machine.travel(local(2026, 3, 9, 9, 0), tick=False)
def test_ineligible_dossier_is_refused_with_reason_and_notice(receive):
    outcome = receive("l", refusal_reason="Chưa có văn bản cho phép sử dụng con dấu.")
    assert outcome.dossier.status == DossierStatus.REFUSED
    text = pdf_text(outcome.document)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Chưa có văn bản cho phép sử dụng con dấu." in text


def test_a_blank_refusal_reason_refuses_nothing(receive, tiepnhan):
    # A refusal always states its reason (Thủ tục bước 3): blank, the check decides on the checklist.
    dossier = receive("h", complete=False).dossier
    outcome = dossier_check(dossier=dossier, checklist={}, refusal_reason="  ", actor=tiepnhan)
    assert outcome.dossier.status == DossierStatus.INCOMPLETE and not outcome.dossier.refusal_reason


def test_an_incomplete_checklist_is_never_accepted(receive, tiepnhan):
    outcome = dossier_check(dossier=receive("h", complete=False).dossier, checklist={}, actor=tiepnhan)
    assert outcome.dossier.status == DossierStatus.INCOMPLETE and outcome.dossier.due_at is None


def test_a_checked_dossier_is_not_checked_again(receive, tiepnhan, org_types):
    dossier = receive("h", complete=False).dossier
    dossier_check(dossier=dossier, checklist=complete_checklist(org_types["h"]), actor=tiepnhan)
    with pytest.raises(BusinessRuleError, match="đã có kết quả kiểm tra"):
        dossier_check(dossier=dossier, checklist={}, refusal_reason="Không đủ điều kiện", actor=tiepnhan)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.ACCEPTED


def test_mandatory_document_cannot_be_marked_not_applicable(receive, org_types):
    checklist = complete_checklist(org_types["h"])
    first = next(iter(checklist))
    checklist[first] = CheckResult(ItemState.NOT_APPLICABLE)
    with pytest.raises(BusinessRuleError, match="bắt buộc"):
        receive("h", checklist=checklist)
    assert not Dossier.objects.exists()


def test_conditional_licence_may_be_not_applicable(receive, org_types):
    # Thủ tục mục c: "Giấy phép hoạt động … đối với tổ chức phải đăng ký về lĩnh vực hoạt động".
    checklist = complete_checklist(org_types["c"])
    licence = [d for d in required_documents_for(org_types["c"]) if d.conditional][0]
    checklist[licence.pk] = CheckResult(ItemState.NOT_APPLICABLE)
    assert receive("c", checklist=checklist).dossier.status == DossierStatus.ACCEPTED


def test_refused_dossier_cannot_be_checked_again(receive, tiepnhan, org_types):
    dossier = receive("h", refusal_reason="Không đủ điều kiện.").dossier
    with pytest.raises(BusinessRuleError):
        dossier_check(dossier=dossier, checklist=complete_checklist(org_types["h"]), actor=tiepnhan)


def test_late_dossier_gets_an_apology_with_a_new_date(receive, tiepnhan):
    with time_machine.travel(local(2026, 3, 9, 9, 0), tick=False):
        dossier = receive("h").dossier
    with time_machine.travel(local(2026, 3, 11, 15, 0), tick=False):
        outcome = dossier_apologise_late(
            dossier=dossier,
            new_due_at=local(2026, 3, 16, 9, 0),
            reason="Cơ sở khắc dấu chưa giao con dấu.",
            actor=tiepnhan,
        )
    dossier = outcome.dossier
    assert (dossier.original_due_at, dossier.due_at) == (local(2026, 3, 12, 9, 0), local(2026, 3, 16, 9, 0))
    assert outcome.document.kind == DocumentKind.APOLOGY
    text = pdf_text(outcome.document)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "09 giờ 00 phút, ngày 12 tháng 3 năm 2026" in text and "09 giờ 00 phút, ngày 16 tháng 3 năm 2026" in text
    with pytest.raises(BusinessRuleError, match="sau ngày hẹn"):
        dossier_apologise_late(dossier=dossier, new_due_at=local(2026, 3, 13, 9, 0), reason="x", actor=tiepnhan)


def test_wrong_role_is_refused_by_the_service(receive, demo_users):
    with pytest.raises(BusinessRuleError, match="Cán bộ tiếp nhận"):
        receive("h", actor=demo_users["vanthu"])
    assert not Dossier.objects.exists()


def test_double_submitted_intake_creates_one_dossier(receive):
    first = receive("h", idempotency_key="abc123")
    second = receive("h", idempotency_key="abc123")
    assert second.dossier.pk == first.dossier.pk and not second.created
    assert Dossier.objects.count() == 1


@time_machine.travel(local(2026, 3, 9, 9, 0), tick=False)
def test_codes_follow_the_day_sequence_and_restart_next_day(receive):
    codes = [receive("h").dossier.code for _ in range(3)]
    assert codes == ["HCCTS-260309-0001", "HCCTS-260309-0002", "HCCTS-260309-0003"]
    with time_machine.travel(local(2026, 3, 10, 8, 0), tick=False):
        assert receive("h").dossier.code == "HCCTS-260310-0001"


def test_unit_code_comes_from_the_issuing_body(receive):
    from tuson_hcc.core.models import IssuingBody

    body = IssuingBody.current()
    body.unit_code = "HCCBN"
    body.save()
    with time_machine.travel(local(2026, 3, 9, 9, 0), tick=False):
        assert receive("h").dossier.code == "HCCBN-260309-0001"


def test_receipt_is_rendered_once(receive, tiepnhan):
    # Its time budget (DESIGN.md section 7) is measured by `manage.py bench`, not asserted here.
    from registrations.paperwork import dossier_paper_issue

    outcome = receive("h")
    first = outcome.document
    again = dossier_paper_issue(dossier=outcome.dossier, actor=tiepnhan)
    assert again.pk == first.pk and again.sha256 == first.sha256
