"""Issued PDFs that leave electronically carry the issuing body's PAdES signature (DESIGN.md section 10);
/verify/ reports the stored-hash match and the signature's validity and signer (pyHanko's validator)."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from tuson_hcc.documents import signing


@pytest.fixture
def demo_signing(settings, tmp_path):
    paths = signing.demo_signing_material_create(tmp_path / "signing", organisation="Công an thành phố Từ Sơn")
    for setting, path in paths.items():
        setattr(settings, setting, str(path))
    return paths


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _tampered(signed: bytes) -> bytes:
    at = signed.index(b"/MediaBox")
    return signed[: at + 12] + b"9" + signed[at + 13 :]


def test_signed_copy_is_valid_for_pyhanko_and_a_modified_copy_fails(demo_signing):
    pdf = _pdf()
    signed = signing.sign_pdf(pdf)
    assert signed.startswith(pdf)  # an incremental update: the issued bytes are untouched
    # pyHanko's sync API runs its own event loop: off the loop a browser test may have left running.
    status = signing._off_the_loop(
        validate_pdf_signature, PdfFileReader(io.BytesIO(signed)).embedded_signatures[0], signing._trust_context()
    )
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert signing.DEMO_NAME in status.signing_cert.subject.human_friendly
    broken = signing._off_the_loop(
        validate_pdf_signature,
        PdfFileReader(io.BytesIO(_tampered(signed))).embedded_signatures[0],
        signing._trust_context(),
    )
    assert not broken.intact and not broken.bottom_line


def test_signature_check_reports_prefix_signature_and_signer(demo_signing):
    pdf = _pdf()
    signed = signing.sign_pdf(pdf)
    check = signing.signature_check(signed, issued_sha256=hashlib.sha256(pdf).hexdigest(), issued_size=len(pdf))
    assert check.ok and check.issued_prefix_matches and "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in check.signer
    assert not signing.signature_check(_tampered(signed)).ok
    assert not signing.signature_check(signed + b"\n%% appended after signing\n").ok
    assert not signing.signature_check(pdf).signed


def test_a_certificate_from_another_ca_is_not_trusted(demo_signing, settings, tmp_path):
    signed = signing.sign_pdf(_pdf())
    other = signing.demo_signing_material_create(tmp_path / "other", organisation="Không phải cơ quan này")
    settings.SIGNING_CA_CERT = str(other["SIGNING_CA_CERT"])
    check = signing.signature_check(signed)
    assert check.intact and not check.trusted and not check.ok


def test_nothing_is_signed_without_a_configured_certificate(settings):
    settings.SIGNING_CERT = ""
    with pytest.raises(signing.SigningNotConfigured):
        signing.sign_pdf(_pdf())


@pytest.mark.django_db
def test_verify_page_accepts_the_signed_copy_and_refuses_a_modified_one(client, demo_signing, demo_users):
    from tuson_hcc.core.models import IssuingBody
    from tuson_hcc.documents.services import document_issue

    document = document_issue(
        kind="thu_nghiem",
        title="Văn bản thử",
        template_name="documents/base_document.html",
        context={},
        subject=IssuingBody.current(),
        actor=demo_users["tiepnhan"],
        public_summary={"Nội dung": "thử"},
    )
    stored = document.file.read()
    signed = signing.sign_pdf(stored)
    url = reverse("documents:verify", args=[document.verify_token])
    page = client.post(url, {"file": SimpleUploadedFile("a.pdf", signed)}).content.decode()
    assert "bản điện tử có chữ ký số" in page and "Hợp lệ: tệp không bị sửa sau khi ký" in page
    assert "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in page
    page = client.post(url, {"file": SimpleUploadedFile("a.pdf", _tampered(signed))}).content.decode()
    assert "Không khớp" in page and "Không hợp lệ" in page
    page = client.post(url, {"file": SimpleUploadedFile("a.pdf", stored)}).content.decode()
    assert "Khớp: tệp đúng là văn bản đã phát hành." in page
