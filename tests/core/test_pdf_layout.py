"""Every form fits its sheets with typical and worst-case data (issue 13, DESIGN.md section 3).

Each registered form is rendered through the same path as an issued document, then read back
page by page with pdftotext: the page count, and the page that holds the signature block and the
QR (found by the verification address printed next to it).
"""

import pytest

from tuson_hcc.core import registry
from tuson_hcc.documents.samples import VARIANTS, pdf_pages_text, sample_pdf, tools_available

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not tools_available(), reason="pdftotext/pdftoppm (poppler-utils) not installed"),
]

QR_MARKER = "Xác thực văn bản tại"
# Pages of each form, typical / worst case. A5 Mẫu 01: one page per copy (TT 01/2018: two copies).
EXPECTED_PAGES = {
    "registrations-mau_01": (2, 2),
    "registrations-mau_02": (1, 4),
    "registrations-mau_03": (1, 1),
    "registrations-mau_04": (1, 1),
    "registrations-mau_05": (1, 6),
    "registrations-mau_06": (1, 9),
    "registrations-so_giao_nhan": (1, 5),
    "seals-bien_ban_giao_nhan": (1, 4),
    "seals-de_nghi_mang_dau": (1, 2),
    "seals-so_dong_dau": (3, 11),
}
# Forms whose table runs over several pages: the header row is printed again on each page.
TABLE_HEADERS = {
    "registrations-mau_02": "Tên giấy tờ",
    "registrations-mau_05": "Tên cơ quan, người giao",
    "registrations-mau_06": "Mã hồ sơ",
    "registrations-so_giao_nhan": "Người nhận, giấy tờ",
    "seals-so_dong_dau": "Người ký, chức vụ",
}

# Forms whose body ends with a table: a row of it is printed on the page with the closing.
LAST_ROW_MARKERS = {
    "registrations-mau_05": " giờ ",
    "registrations-mau_06": "HCCTS-2602",
    "registrations-so_giao_nhan": "HCCTS-2602",
    "seals-so_dong_dau": "2026/",
}


def _samples():
    return {sample.name: sample for sample in registry.document_samples}


def test_every_form_has_its_expected_page_counts():
    assert set(_samples()) == set(EXPECTED_PAGES)


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """Each form and variant rendered once for the module (rendering is the slow part)."""
    cache = {}

    def get(name, variant):
        if (name, variant) not in cache:
            with django_db_blocker.unblock():
                cache[name, variant] = pdf_pages_text(sample_pdf(_samples()[name], variant))
        return cache[name, variant]

    return get


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", sorted(EXPECTED_PAGES))
def test_form_fits_its_pages_and_keeps_signature_and_qr_with_the_body(rendered, name, variant):
    sample = _samples()[name]
    pages = rendered(name, variant)
    assert len(pages) == EXPECTED_PAGES[name][VARIANTS.index(variant)]
    if sample.page_size == "A5":
        # Mẫu 01: each copy on its own page, each with both signatures and the QR.
        for page, copy in zip(pages, ("Liên 1", "Liên 2"), strict=True):
            assert copy in page
            assert "NGƯỜI NỘP HỒ SƠ" in page and "NGƯỜI TIẾP NHẬN HỒ SƠ" in page
            assert QR_MARKER in page
        return
    # The QR (and the signatures) are on the last page only, and never alone there.
    qr_pages = [i for i, page in enumerate(pages) if QR_MARKER in page]
    assert qr_pages == [len(pages) - 1]
    last = pages[-1]
    if sample.signature_marker:
        sign_pages = [i for i, page in enumerate(pages) if sample.signature_marker in page]
        assert sign_pages == [len(pages) - 1]
        before = last[: last.index(sample.signature_marker)]
    else:
        before = last[: last.index(QR_MARKER)]
    # Body text precedes the closing on its page (beyond a page number and a signer's title).
    assert len(before) > 80, before
    if name in LAST_ROW_MARKERS:
        assert LAST_ROW_MARKERS[name] in before.split(TABLE_HEADERS.get(name, "\0"))[-1]


@pytest.mark.parametrize("name", sorted(TABLE_HEADERS))
def test_long_tables_repeat_their_header_row_on_every_page(rendered, name):
    pages = rendered(name, "worst")
    assert len(pages) > 1
    assert all(TABLE_HEADERS[name] in page for page in pages)


def test_the_stamping_register_lists_each_seal_apart_with_its_own_numbering_and_totals(rendered):
    text = " ".join(rendered("seals-so_dong_dau", "typical"))
    # Quy chế 157, Điều 7.3: each seal has its register; «2026/31» is printed once per seal.
    for code in ("PTP-TS-01", "UBND-TS-01", "UBND-TS-02"):
        assert f"Con dấu {code}" in text
        assert f"Cộng con dấu {code}: 3 lần đóng dấu" in text
    assert text.count("2026/31") == 3
    assert "Trần Minh Giám, Phó" in text  # the signer and the position (wrapped in its cell)
    assert "H07.24-260224-0001" in text  # the mã hồ sơ column


def test_the_register_repeats_the_seal_name_on_every_page_of_its_section(rendered):
    pages = rendered("seals-so_dong_dau", "worst")
    assert all("Con dấu " in page for page in pages)


def test_running_text_keeps_the_capitals_of_proper_names(rendered):
    receipt = rendered("registrations-mau_01", "typical")[0]
    # NĐ 30/2020 Phụ lục VI: names as written, neither lowered nor shouted in running text.
    assert "Phòng Cảnh sát quản lý hành chính về trật tự xã hội tại Trung tâm Hành chính công Từ Sơn" in receipt
    minute = " ".join(rendered("seals-bien_ban_giao_nhan", "typical"))
    assert "tại Trung tâm Hành chính công" in minute
    assert "TRUNG TÂM HÀNH CHÍNH CÔNG, chúng tôi" not in minute
