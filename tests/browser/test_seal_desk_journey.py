"""The Văn thư's day at the desk, in a real browser (issues 3 and 13)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from seals.models import Seal, StampingEntry
from tests.seals.factories import build_catalogue, build_seal

pytestmark = pytest.mark.browser


def _fill_stamping(page, *, procedure: str, summary: str, signed: bool = True, signer: bool = True):
    # The procedure field has the focus when the desk opens; the rest is reached with Tab.
    expect(page.locator("#id_procedure")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type(procedure)
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("HCCTS-261125-0001")  # mã hồ sơ
    page.locator("#id_document_number").fill("15/TL")
    page.locator("#id_summary").fill(summary)
    if signer:
        page.locator("#id_signer_name").fill("Lê Thị Lan")
        page.locator("#id_signer_position").fill("Trưởng phòng Tư pháp")
    page.locator("#id_requested_by").fill("Phạm Đức Anh")
    if signed:
        page.locator("#id_is_signed").check()
    page.locator("#id_summary").press("Enter")


def test_van_thu_records_three_stampings_one_refused_and_downloads_the_days_register(sign_in, live_users):
    catalogue = build_catalogue()
    seal = build_seal(catalogue, live_users["vanthu"])
    finance_seal = Seal.objects.create(code="PTCKH-02", agency=catalogue["finance"], custodian=live_users["vanthu"])
    page = sign_in("vanthu")
    page.get_by_role("link", name="Đóng dấu").first.click()

    # The date is today's, typed dd/mm/yyyy in one box: from the number, one Tab reaches the summary.
    expect(page.locator("#id_document_date")).to_have_value(timezone.localdate().strftime("%d/%m/%Y"))
    page.locator("#id_document_number").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("#id_summary")).to_be_focused()
    page.locator("#id_procedure").focus()

    # Choosing a seal narrows the suggestions to its agency's procedures; none carries a database id.
    page.locator("#id_seal").select_option(str(finance_seal.pk))
    options = page.locator("#procedure-options option")
    expect(options.first).to_have_attribute("value", f"{catalogue['household'].code} — {catalogue['household'].name}")
    values = options.evaluate_all("els => els.map(e => e.value)")
    assert catalogue["birth"].code not in " ".join(values) and not any(v.startswith("#") for v in values)
    page.locator("#id_procedure").focus()

    # Choosing a procedure selects its seal.
    page.locator("#id_procedure").fill(f"{catalogue['birth'].code} — {catalogue['birth'].name}")
    page.locator("#id_procedure").dispatch_event("change")
    expect(page.locator("#id_seal")).to_have_value(str(seal.pk))
    page.locator("#id_procedure").focus()

    # A batch signed by the same person: the signer stays for the next document.
    page.locator("#id_keep_signer").check()
    page.locator("#id_procedure").focus()
    _fill_stamping(page, procedure=catalogue["birth"].code, summary="Trích lục khai sinh cho Nguyễn Văn An")
    expect(page.get_by_role("alert").first).to_contain_text("Đã ghi sổ")
    expect(page.locator("#id_signer_name")).to_have_value("Lê Thị Lan")
    expect(page.locator("#id_signer_position")).to_have_value("Trưởng phòng Tư pháp")
    expect(page.locator("#id_seal")).to_have_value(str(seal.pk))

    _fill_stamping(page, procedure=catalogue["household"].code, summary="Giấy chứng nhận hộ kinh doanh", signer=False)
    # The household procedure belongs to the finance seal: the desk switched to it and recorded it there.
    expect(page.get_by_role("alert").first).to_contain_text("PTCKH-02")
    page.locator("#id_seal").select_option(str(seal.pk))
    page.locator("#id_procedure").focus()
    _fill_stamping(page, procedure=catalogue["copy"].code, summary="Bản sao giấy khai sinh", signer=False)
    expect(page.get_by_role("alert").first).to_contain_text("số 2")
    # A procedure of no seal the clerk holds is refused with the rule, and nothing is written.
    _fill_stamping(page, procedure=catalogue["abolished"].code, summary="Chứng thực chữ ký", signer=False)
    expect(page.get_by_test_id("stamping-form")).to_contain_text("không thuộc danh mục")
    assert StampingEntry.objects.count() == 3
    assert set(StampingEntry.objects.values_list("signer_name", flat=True)) == {"Lê Thị Lan"}

    page.get_by_role("link", name="Sổ đóng dấu hôm nay").click()
    expect(page.get_by_test_id("totals")).to_contain_text("3 lần đóng dấu")
    with page.expect_download() as download:
        page.get_by_test_id("register-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
