"""Issued documents: rendered once, stored with SHA-256, verified by QR (DESIGN.md section 3)."""

import datetime as dt
import hashlib
import io
import shutil
import subprocess

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from tuson_hcc.audit.models import AccessEvent
from tuson_hcc.core.models import IssuingBody
from tuson_hcc.documents.models import IssuedDocument
from tuson_hcc.documents.services import document_file_response, document_issue
from tuson_hcc.documents.templatetags.vn_dates import gio_phut_ngay, ngay_thang_nam

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def demo_users(django_user_model):
    """Two plain users: issuing needs an actor, not the (slow to hash) demo passwords."""
    return {name: django_user_model.objects.create(username=name) for name in ("tiepnhan", "vanthu")}


def _issue(actor, subject=None, **overrides):
    params = {
        "kind": "mau_01",
        "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "template_name": "ledger_testapp/sample_document.html",
        "context": {"organisation": "Công ty TNHH Đồng Kỵ", "received_at": dt.datetime(2026, 2, 25, 9, 5, tzinfo=TZ)},
        "subject": subject or IssuingBody.current(),
        "actor": actor,
        "public_summary": {"Tổ chức": "Công ty TNHH Đồng Kỵ"},
    }
    params.update(overrides)
    return document_issue(**params)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def issued(demo_users):
    with time_machine.travel(dt.datetime(2026, 2, 25, 10, 30, tzinfo=TZ), tick=False):
        return _issue(demo_users["tiepnhan"])


def test_issuing_twice_returns_the_same_row_and_identical_bytes(issued, demo_users):
    first_bytes = issued.file.open("rb").read()
    again = _issue(demo_users["vanthu"])
    assert again.pk == issued.pk
    assert again.file.open("rb").read() == first_bytes
    assert IssuedDocument.objects.count() == 1
    assert hashlib.sha256(first_bytes).hexdigest() == issued.sha256
    assert issued.size == len(first_bytes)
    assert issued.file.name.startswith("documents/2026/")
    assert issued.history.get().history_change_reason == "phát hành văn bản"


def test_a_second_key_issues_a_second_document_with_the_next_number(issued, demo_users):
    with time_machine.travel(dt.datetime(2026, 3, 1, 8, 0, tzinfo=TZ), tick=False):
        second = _issue(demo_users["tiepnhan"], key="lan-2")
        other_kind = _issue(demo_users["tiepnhan"], kind="mau_02", key="x")
    with time_machine.travel(dt.datetime(2027, 1, 2, 8, 0, tzinfo=TZ), tick=False):
        next_year = _issue(demo_users["tiepnhan"], key="lan-3")
    assert (issued.number, second.number, other_kind.number, next_year.number) == (
        "1/2026",
        "2/2026",
        "1/2026",
        "1/2027",
    )
    assert _issue(demo_users["tiepnhan"], key="given", number="99/GCN").number == "99/GCN"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext not installed")
def test_the_pdf_has_the_national_header_and_intact_vietnamese(issued):
    text = subprocess.run(
        ["pdftotext", "-layout", issued.file.path, "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Đăng ký mẫu con dấu" in text
    assert "Từ Sơn, ngày 25 tháng 02 năm 2026" in text
    assert "09 giờ 05 phút, ngày 25 tháng 02 năm 2026" in text
    assert "Số: 1/2026" in text
    assert issued.verify_token in text.replace("\n", "").replace(" ", "")


def test_the_only_embedded_font_is_the_bundled_tinos(issued):
    reader = PdfReader(issued.file.path)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Tinos" in name for name in fonts), fonts


def test_a5_variant_renders_on_a5_paper(demo_users):
    document = _issue(demo_users["tiepnhan"], key="a5", page_size="A5")
    width, height = PdfReader(document.file.path).pages[0].mediabox.upper_right
    assert (round(float(width) / 72 * 25.4), round(float(height) / 72 * 25.4)) == (148, 210)


def test_vietnamese_date_filters_follow_nd_30():
    assert ngay_thang_nam(dt.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert ngay_thang_nam(dt.date(2026, 11, 25)) == "ngày 25 tháng 11 năm 2026"
    assert ngay_thang_nam(dt.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"
    assert gio_phut_ngay(dt.datetime(2026, 2, 25, 2, 5, tzinfo=dt.UTC)) == "09 giờ 05 phút, ngày 25 tháng 02 năm 2026"


def test_verify_page_shows_the_document_and_logs_the_visit(client, issued):
    response = client.get(reverse("documents:verify", args=[issued.verify_token]))
    assert response.status_code == 200
    body = response.content.decode()
    assert issued.number in body and issued.sha256 in body and "Công ty TNHH Đồng Kỵ" in body
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.VERIFICATION_VISIT)
    assert event.object_id == str(issued.pk) and event.ip == "127.0.0.1"


def test_verify_page_compares_an_uploaded_file(client, issued):
    url = reverse("documents:verify", args=[issued.verify_token])
    same = SimpleUploadedFile("a.pdf", issued.file.open("rb").read(), content_type="application/pdf")
    assert "Khớp: tệp đúng là văn bản đã phát hành" in client.post(url, {"file": same}).content.decode()
    other = SimpleUploadedFile("b.pdf", b"%PDF-1.7 forged", content_type="application/pdf")
    assert "Không khớp: tệp này khác" in client.post(url, {"file": other}).content.decode()
    details = list(
        AccessEvent.objects.filter(kind=AccessEvent.Kind.VERIFICATION_VISIT).values_list("detail", flat=True)
    )
    assert set(details) == {"đối chiếu: khớp", "đối chiếu: không khớp"}


def test_a_forged_token_gets_a_vietnamese_404_and_is_logged(client, issued):
    response = client.get(reverse("documents:verify", args=["forged-token"]))
    assert response.status_code == 404
    assert "Không tìm thấy văn bản" in response.content.decode()
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.VERIFICATION_VISIT, detail__contains="forged").exists()


def test_file_response_streams_the_stored_bytes_with_etag_and_logs(issued, demo_users):
    request = RequestFactory().get("/x/", HTTP_USER_AGENT="pytest")
    request.user = demo_users["tiepnhan"]
    response = document_file_response(request, issued, download=True)
    body = b"".join(response.streaming_content)
    assert body == issued.file.open("rb").read()
    assert response["ETag"] == f'"{issued.sha256}"'
    assert response["Content-Disposition"] == 'attachment; filename="mau_01-1-2026.pdf"'
    assert response["Content-Type"] == "application/pdf"
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.DOCUMENT_DOWNLOAD)
    assert (event.username, event.user_agent, event.object_id) == ("tiepnhan", "pytest", str(issued.pk))
    inline = document_file_response(request, issued, download=False)
    assert inline["Content-Disposition"].startswith("inline")
    cached = RequestFactory().get("/x/", HTTP_IF_NONE_MATCH=f'"{issued.sha256}"')
    cached.user = demo_users["tiepnhan"]
    assert document_file_response(cached, issued, download=False).status_code == 304


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_renders_once_and_numbers_without_gaps(postgres_only, demo_users):
    import threading

    from django.db import connection

    actor = demo_users["tiepnhan"]
    barrier = threading.Barrier(4)
    results, errors = [], []

    def worker(key):
        try:
            barrier.wait()
            results.append(_issue(actor, key=key))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    # Two desks issue the same document, two others issue different ones, at the same instant.
    threads = [threading.Thread(target=worker, args=(key,)) for key in ("same", "same", "a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({doc.pk for doc in results if doc.key == "same"}) == 1
    year = str(results[0].issued_at.year)
    assert sorted(IssuedDocument.objects.values_list("number", flat=True)) == [f"{n}/{year}" for n in (1, 2, 3)]
