"""A seal's trip off-site across four logins, in a real browser (issue 4)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from seals.models import OffsiteRequest, Seal, StampingEntry
from tests.browser.conftest import PASSWORD
from tests.seals.factories import build_catalogue, build_seal

pytestmark = pytest.mark.browser


def _decide(page, url, *, approve=True):
    page.goto(url)
    form = page.get_by_test_id("decision-form")
    form.get_by_label("Đồng ý", exact=True).check()
    form.locator("#id_comment").fill("Đồng ý, đề nghị trả dấu đúng hạn.")
    form.get_by_role("button", name="Ghi quyết định").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã ghi quyết định")


def test_official_director_head_and_van_thu_take_a_seal_out_and_back(sign_in, live_server, live_users):
    catalogue = build_catalogue()
    seal = build_seal(catalogue, live_users["vanthu"])
    start = timezone.localtime() + timedelta(minutes=5)  # the seal may leave from 15 minutes before

    page = sign_in("congchuc")
    page.goto(f"{live_server.url}/seals/offsite/new/")
    page.locator("#id_seal").select_option(str(seal.pk))
    page.locator("#id_purpose").fill("Đóng dấu trích lục cho người bệnh tại nhà (cấp bách)")
    # The procedures are the chosen seal's, ticked in a list that a filter box narrows (no Ctrl+click).
    procedures = page.get_by_test_id("procedure-list")
    expect(procedures).to_contain_text(catalogue["copy"].name)
    expect(procedures).not_to_contain_text(catalogue["household"].name)
    page.locator("[data-procedure-filter]").fill("khai sinh")
    expect(procedures.get_by_label(catalogue["copy"].name, exact=False)).to_be_hidden()
    procedures.get_by_label(f"{catalogue['birth'].code} — {catalogue['birth'].name}").check()
    page.locator("#id_documents").fill("01 trích lục khai sinh đã ký")
    page.locator("#id_destination").fill("Phường Đình Bảng")
    page.locator("#id_starts_at").fill(start.strftime("%d/%m/%Y %H:%M"))
    page.locator("#id_due_back_at").fill((start + timedelta(hours=2)).strftime("%d/%m/%Y %H:%M"))
    page.get_by_role("button", name="Lập và gửi Giám đốc").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lập đề nghị")
    url = page.url
    request = OffsiteRequest.objects.get()

    sign_in("giamdoc")
    _decide(page, url)
    sign_in("truongphong")
    _decide(page, url)
    sign_in("giamdoc")
    _decide(page, url)
    expect(page.get_by_test_id("decisions")).to_contain_text("Cho phép của Giám đốc Trung tâm: đồng ý")

    sign_in("vanthu")
    page.goto(url)
    form = page.get_by_test_id("checkout-form")
    form.locator("#id_carrier_password").fill(PASSWORD)  # the carrier types it at the desk
    form.get_by_role("button", name="Giao con dấu").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã giao con dấu")
    seal.refresh_from_db()
    assert seal.status == Seal.Status.OFF_SITE

    form = page.get_by_test_id("return-form")
    form.locator("#id_st-0-procedure").fill(catalogue["birth"].code)
    form.locator("#id_st-0-stamped_at").fill(timezone.localtime().strftime("%d/%m/%Y %H:%M"))
    form.locator("#id_st-0-document_type").fill("Trích lục")
    form.locator("#id_st-0-document_date").fill(timezone.localdate().isoformat())
    form.locator("#id_st-0-summary").fill("Trích lục khai sinh cho ông Nguyễn Văn Bình")
    form.locator("#id_st-0-signer_name").fill("Lê Thị Lan")
    form.locator("#id_st-0-signer_position").fill("Trưởng phòng Tư pháp")
    form.locator("#id_st-0-is_signed").check()
    # Made off-site as a giáp lai over 8 sheets with 2 impressions: recorded as made (NĐ 30/2020, Điều 33).
    form.locator("#id_st-0-kind").select_option("overlap")
    form.locator("#id_st-0-impressions").fill("2")
    form.locator("#id_st-0-sheets").fill("8")
    form.get_by_role("button", name="Nhận lại con dấu").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã nhận lại con dấu")
    seal.refresh_from_db()
    request.refresh_from_db()
    assert (seal.status, request.status) == (Seal.Status.IN_CUSTODY, OffsiteRequest.Status.RETURNED)
    entry = StampingEntry.objects.get()
    assert (entry.kind, entry.impressions, entry.sheets) == ("overlap", 2, 8)

    for movement in ("check_out", "return"):
        with page.expect_download() as download:
            page.get_by_test_id(f"minute-{movement}").click()
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
