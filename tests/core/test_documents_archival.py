"""Issued PDFs are archival and say who issued them (DESIGN.md section 3; issue 13).

PDF/A-3b (a later PAdES signature keeps it valid), every font embedded, metadata set: title,
issuing body, number, date. /verify/ names the body that issued the document.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from tuson_hcc.core.models import IssuingBody
from tuson_hcc.documents.rendering import warm_up
from tuson_hcc.documents.services import document_issue
from tuson_hcc.documents.templatetags.doc_text import NBSP, nobreak

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def actor(django_user_model):
    return django_user_model.objects.create(username="tiepnhan", full_name="Lê Văn Tiếp")


def _issue(actor, **overrides):
    params = {
        "kind": "mau_01",
        "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "template_name": "ledger_testapp/sample_document.html",
        "context": {"organisation": "Công ty TNHH Đồng Kỵ", "received_at": dt.datetime(2026, 2, 25, 9, 5, tzinfo=TZ)},
        "subject": IssuingBody.current(),
        "actor": actor,
        "public_summary": {"Tổ chức": "Công ty TNHH Đồng Kỵ"},
    }
    params.update(overrides)
    with time_machine.travel(dt.datetime(2026, 2, 25, 10, 30, tzinfo=TZ), tick=False):
        return document_issue(**params)


def _police(actor):
    body = IssuingBody.current()
    context = {
        "organisation": "Công ty TNHH Đồng Kỵ",
        "received_at": dt.datetime(2026, 2, 25, 9, 5, tzinfo=TZ),
        "body_parent_name": body.police_parent_name,
        "body_name": body.police_unit_name,
    }
    return _issue(actor, context=context, key="police")


def test_an_issued_pdf_declares_pdf_a_3b_in_its_xmp_metadata(actor):
    reader = PdfReader(_issue(actor).file.path)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")3", xmp), xmp
    assert re.search(r"pdfaid:conformance(>|=\")B", xmp), xmp
    assert "/OutputIntents" in reader.trailer["/Root"]  # PDF/A needs its colour output intent


def test_an_issued_pdf_carries_title_issuing_body_number_and_date(actor):
    document = _issue(actor)
    info = PdfReader(document.file.path).metadata
    assert info.title == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả số 1/2026"
    assert info.author == "Trung tâm Hành chính công – Ủy ban nhân dân thành phố Từ Sơn"
    assert info.creator == info.author
    assert "Số 1/2026" in info["/Keywords"] and "25/02/2026" in info["/Keywords"]
    assert info.creation_date.strftime("%Y-%m-%d %H:%M") == "2026-02-25 10:30"


def test_every_font_of_an_issued_pdf_is_embedded(actor):
    reader = PdfReader(_issue(actor).file.path)
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]


def test_a_police_form_names_the_police_unit_as_author_and_on_verify(client, actor):
    document = _police(actor)
    assert PdfReader(document.file.path).metadata.author == (
        "Phòng Cảnh sát quản lý hành chính về trật tự xã hội – Công an tỉnh Bắc Ninh"
    )
    page = client.get(reverse("documents:verify", args=[document.verify_token])).content.decode()
    assert "Phòng Cảnh sát quản lý hành chính về trật tự xã hội – Công an tỉnh Bắc Ninh" in page
    assert "Trung tâm Hành chính công" not in page.split("Cơ quan phát hành")[0].split("verify-issuer")[1]


def test_verify_shows_the_forms_vietnamese_title_not_its_code(client, actor):
    document = _issue(actor)
    page = client.get(reverse("documents:verify", args=[document.verify_token])).content.decode()
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    assert "mau_01" not in page
    assert "Trung tâm Hành chính công – Ủy ban nhân dân thành phố Từ Sơn" in page


def test_header_names_never_break_inside_a_place_name_or_a_compound_word():
    body = IssuingBody()
    assert f"THÀNH{NBSP}PHỐ{NBSP}TỪ{NBSP}SƠN" in nobreak("ỦY BAN NHÂN DÂN THÀNH PHỐ TỪ SƠN", body)
    assert f"ỦY{NBSP}BAN NHÂN{NBSP}DÂN" in nobreak("ỦY BAN NHÂN DÂN THÀNH PHỐ TỪ SƠN", body)
    police = nobreak("PHÒNG CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", body)
    assert f"TRẬT{NBSP}TỰ XÃ{NBSP}HỘI" in police and f"CẢNH{NBSP}SÁT" in police
    assert f"tỉnh{NBSP}Bắc{NBSP}Ninh" in nobreak("Công an tỉnh Bắc Ninh", body)


def test_warm_up_renders_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        warm_up()
