"""The seal leaves only inside its permitted window and comes back with its off-site stampings recorded as they
were made (Quy chế 157, Điều 7.2, 8.4; NĐ 30/2020, Điều 32–33)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from seals.models import OffsiteRequest, Seal, SealCheckout, StampingEntry
from seals.services.offsite import offsite_check_out, offsite_return
from tuson_hcc.core.errors import BusinessRuleError

from .test_offsite import PASSWORD, _approve_all

pytestmark = pytest.mark.django_db
Status = OffsiteRequest.Status


def _document(**overrides):
    document = {
        "document_type": "Trích lục",
        "document_number": "5/TL",
        "document_date": timezone.localdate(),
        "summary": "Trích lục khai tử",
        "signer_name": "Lê Thị Lan",
        "signer_position": "Trưởng phòng",
        "is_signed": True,
        "copies": 1,
        "impressions": 1,
        "kind": "signature",
        "sheets": None,
    }
    document.update(overrides)
    return document


def test_check_out_hours_before_the_permitted_time_is_refused_dieu_7_2_8_4(make_request, users, seal, settings):
    settings.OFFSITE_EARLY_CHECKOUT_MINUTES = 15
    request = _approve_all(make_request(starts_in=timedelta(hours=3)), users)
    with pytest.raises(BusinessRuleError, match=r"Chưa đến thời gian được phép.*Điều 7.2, 8.4"):
        offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    seal.refresh_from_db()
    assert seal.status == Seal.Status.IN_CUSTODY and not SealCheckout.objects.exists()


def test_check_out_within_the_early_margin_is_allowed_dieu_8_4(make_request, users, settings):
    settings.OFFSITE_EARLY_CHECKOUT_MINUTES = 15
    request = _approve_all(make_request(starts_in=timedelta(minutes=14)), users)
    offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    request.refresh_from_db()
    assert request.status == Status.CHECKED_OUT


def test_the_early_margin_is_a_setting(make_request, users, settings):
    settings.OFFSITE_EARLY_CHECKOUT_MINUTES = 0
    request = _approve_all(make_request(starts_in=timedelta(minutes=5)), users)
    with pytest.raises(BusinessRuleError, match="Chưa đến thời gian"):
        offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])


def test_check_out_after_the_due_back_time_is_refused_dieu_8_4(make_request, users, time_machine):
    request = _approve_all(make_request(), users)
    time_machine.move_to(request.due_back_at + timedelta(minutes=1))
    with pytest.raises(BusinessRuleError, match="quá hạn trả|hết hạn"):
        offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    assert not SealCheckout.objects.exists()


def test_a_second_check_out_click_names_what_happened_not_a_missing_permission(make_request, users):
    request = _approve_all(make_request(), users)
    offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    with pytest.raises(BusinessRuleError, match="đã được giao cho") as refused:
        offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    assert "Điều 8.4" not in refused.value.message
    assert SealCheckout.objects.count() == 1


def test_a_second_check_out_click_shows_the_real_message_on_the_page(make_request, users, client_for):
    request = _approve_all(make_request(), users)
    client = client_for("vanthu")
    url = f"/seals/offsite/{request.pk}/check-out/"
    assert client.post(url, {"carrier_password": PASSWORD}).status_code == 302
    page = client.post(url, {"carrier_password": PASSWORD}).content.decode()
    assert "đã được giao cho" in page and "Chỉ giao con dấu khi đã có đủ" not in page


def test_off_site_stampings_are_dated_between_check_out_and_return_dieu_8_4(make_request, users, catalogue):
    request = _approve_all(make_request(), users)
    checkout = offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    for stamped_at in (checkout.checked_out_at - timedelta(hours=1), timezone.now() + timedelta(hours=1)):
        with pytest.raises(BusinessRuleError, match="Lần đóng dấu thứ 1: Thời gian đóng dấu ngoài Trung tâm"):
            offsite_return(
                request=request,
                condition="Nguyên vẹn",
                actor=users["vanthu"],
                stampings=[{"procedure": catalogue["birth"], "stamped_at": stamped_at, "document": _document()}],
            )
    assert not StampingEntry.objects.exists()


def test_an_overlap_stamp_made_off_site_is_recorded_as_made_nd30_dieu_33(make_request, users, catalogue):
    request = _approve_all(make_request(), users)
    offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    document = _document(kind="overlap", copies=1, impressions=2, sheets=10)
    offsite_return(
        request=request,
        condition="Nguyên vẹn",
        actor=users["vanthu"],
        stampings=[{"procedure": catalogue["birth"], "stamped_at": timezone.now(), "document": document}],
    )
    entry = StampingEntry.objects.get()
    assert (entry.kind, entry.copies, entry.impressions, entry.sheets) == ("overlap", 1, 2, 10)


def _return_post(catalogue, **row):
    data = {
        "condition": "Nguyên vẹn",
        "st-TOTAL_FORMS": "1",
        "st-INITIAL_FORMS": "0",
        "st-MIN_NUM_FORMS": "0",
        "st-MAX_NUM_FORMS": "50",
        "st-0-procedure": catalogue["birth"].code,
        "st-0-stamped_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "st-0-document_type": "Trích lục",
        "st-0-document_date": timezone.localdate().isoformat(),
        "st-0-summary": "Trích lục khai sinh",
        "st-0-signer_name": "Lê Thị Lan",
        "st-0-signer_position": "Trưởng phòng Tư pháp",
        "st-0-is_signed": "on",
        "st-0-copies": "1",
        "st-0-impressions": "1",
        "st-0-kind": "signature",
    }
    data.update({f"st-0-{k}": v for k, v in row.items()})
    return data


def test_the_return_form_takes_kind_impressions_and_sheets_like_the_desk_nd30_dieu_33(
    make_request, users, catalogue, client_for
):
    request = _approve_all(make_request(), users)
    offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    client = client_for("vanthu")
    url = f"/seals/offsite/{request.pk}/return/"
    # 11 sheets need 3 overlap impressions: refused with the article, nothing written, the seal still out.
    page = client.post(url, _return_post(catalogue, kind="overlap", copies="1", impressions="2", sheets="11"))
    assert page.status_code == 400 and "Điều 33" in page.content.decode()
    assert not StampingEntry.objects.exists()
    response = client.post(url, _return_post(catalogue, kind="hanging", copies="3", impressions="6"))
    assert response.status_code == 302
    entry = StampingEntry.objects.get()
    assert (entry.kind, entry.copies, entry.impressions) == ("hanging", 3, 6)


def test_the_return_form_summarises_its_errors_at_the_top(make_request, users, catalogue, client_for):
    request = _approve_all(make_request(), users)
    offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    page = client_for("vanthu").post(f"/seals/offsite/{request.pk}/return/", _return_post(catalogue, summary=""))
    html = page.content.decode()
    assert page.status_code == 400
    summary = html[html.index('data-testid="return-errors"') :]
    assert "Lần đóng dấu 1" in summary and "Hãy ghi trích yếu." in summary
    assert "Bắt buộc." not in html
