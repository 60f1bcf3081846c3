"""The online channel /submit/ (Thủ tục mục b: one scanned PDF) and /lookup/ (DESIGN.md §6)."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registrations.choices import Channel, DossierStatus
from registrations.models import Dossier
from registrations.services import dossier_check
from tests.private_files import assert_served_privately

from .conftest import complete_checklist, tiny_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def _form(org_types, upload, key="k" * 32, **overrides):
    data = {
        "idempotency_key": key,
        "organisation_type": org_types["h"].pk,
        "organisation_name": "Công ty Cổ phần Thép Châu Khê",
        "organisation_address": "Phường Châu Khê, thành phố Từ Sơn",
        "founding_document": "Giấy chứng nhận đăng ký doanh nghiệp số 2300999888",
        "applicant_name": "Phạm Thu Hằng",
        "applicant_id_kind": "cccd",
        "applicant_id_number": "027190005555",
        "authorisation_kind": "gioi_thieu",
        "applicant_phone": "0987654321",
        "applicant_email": "hang@chaukhe.example.vn",
        "scan": upload,
    }
    data.update(overrides)
    return data


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT / "registrations"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_online_submission_stores_the_pdf_privately_and_gives_code_and_secret(client, org_types, settings):
    response = client.post(
        reverse("registrations_public:submit"), _form(org_types, SimpleUploadedFile("a.pdf", tiny_pdf()))
    )
    assert response.status_code == 200
    dossier = Dossier.objects.get()
    assert dossier.channel == Channel.ONLINE and dossier.status == DossierStatus.RECEIVED
    assert dossier.received_by is None and dossier.scan_sha256
    page = response.content.decode()
    assert dossier.code in page
    secret = response.context["secret"]
    assert secret in page and secret not in dossier.secret_hash and len(dossier.secret_hash) == 64
    assert len(_stored_files(settings)) == 1
    assert "a.pdf" != dossier.scan.name.rsplit("/", 1)[-1]  # never the applicant's file name
    assert dossier.history.get().history_change_reason == "nhận hồ sơ trực tuyến"


def test_double_submitted_online_form_creates_one_dossier_and_shows_the_same_secret(client, org_types, settings):
    url = reverse("registrations_public:submit")
    first = client.post(url, _form(org_types, SimpleUploadedFile("a.pdf", tiny_pdf())))
    second = client.post(url, _form(org_types, SimpleUploadedFile("a.pdf", tiny_pdf())))
    assert Dossier.objects.count() == 1
    assert first.context["secret"] == second.context["secret"]
    assert len(_stored_files(settings)) == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 this is an exe renamed", "ho-so.pdf", "không phải là tệp PDF"),
        (b"%PDF-1.7\n garbage without structure", "ho-so.pdf", "không phải là tệp PDF"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nthis is broken\n%%EOF\n", "ho-so.pdf", "bị hỏng"),
        (b"\x89PNG\r\n\x1a\n....", "scan.pdf", "không phải là tệp PDF"),
    ],
)
def test_non_pdf_upload_is_refused_with_a_message_and_nothing_stored(
    client, org_types, settings, content, name, message
):
    response = client.post(reverse("registrations_public:submit"), _form(org_types, SimpleUploadedFile(name, content)))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Dossier.objects.exists() and _stored_files(settings) == []


def test_oversized_upload_is_refused_with_a_message_and_nothing_stored(client, org_types, settings):
    settings.REGISTRATION_UPLOAD_MAX_BYTES = 2048
    big = tiny_pdf().replace(b"%%EOF", b"%" + b"x" * 4096 + b"\n%%EOF")
    response = client.post(reverse("registrations_public:submit"), _form(org_types, SimpleUploadedFile("a.pdf", big)))
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    assert not Dossier.objects.exists() and _stored_files(settings) == []


def test_scan_is_served_only_to_intake_staff(client, client_for, org_types):
    client.post(reverse("registrations_public:submit"), _form(org_types, SimpleUploadedFile("a.pdf", tiny_pdf())))
    dossier = Dossier.objects.get()
    url = reverse("registrations:scan", args=[dossier.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client_for("kiemtra").get(url).status_code == 403
    staff = client_for("tiepnhan")
    response = staff.get(url)
    body = assert_served_privately(response, about=dossier, user=response.wsgi_request.user)
    assert body == tiny_pdf()
    assert response["Content-Disposition"].endswith(f"filename*=UTF-8''{dossier.code}-b%E1%BA%A3n-scan.pdf")


def test_lookup_shows_only_status_and_appointment(client, org_types, tiepnhan):
    response = client.post(
        reverse("registrations_public:submit"), _form(org_types, SimpleUploadedFile("a.pdf", tiny_pdf()))
    )
    code, secret = response.context["dossier"].code, response.context["secret"]
    dossier = Dossier.objects.get()
    dossier_check(dossier=dossier, checklist=complete_checklist(org_types["h"]), actor=tiepnhan)
    page = client.post(
        reverse("registrations_public:lookup"), {"code": code.lower(), "secret": secret}
    ).content.decode()
    assert "Đã tiếp nhận, hẹn trả kết quả" in page and "Hẹn trả kết quả" in page
    for personal in ("Phạm Thu Hằng", "027190005555", "0987654321", "Thép Châu Khê"):
        assert personal not in page


def test_lookup_with_a_wrong_secret_says_nothing(client, receive):
    dossier = receive("h").dossier
    page = client.post(reverse("registrations_public:lookup"), {"code": dossier.code, "secret": "WRONGWRONG"})
    text = page.content.decode()
    assert "Không tìm thấy hồ sơ" in text and "hẹn trả" not in text.lower().split("không tìm thấy")[1][:50]
    assert dossier.organisation_name not in text


def test_counter_secret_from_the_decision_opens_the_lookup(client, receive):
    outcome = receive("h")
    page = client.post(reverse("registrations_public:lookup"), {"code": outcome.dossier.code, "secret": outcome.secret})
    assert "Đã tiếp nhận, hẹn trả kết quả" in page.content.decode()


def test_lookup_is_throttled(client, receive, settings):
    dossier = receive("h").dossier
    url = reverse("registrations_public:lookup")
    statuses = [client.post(url, {"code": dossier.code, "secret": f"GUESS{i:05d}"}).status_code for i in range(25)]
    assert statuses[:20] == [200] * 20 and set(statuses[20:]) == {429}
