"""Online completion (Thủ tục bước 3, second case; issue 12): /lookup/ shows what the desk decided, the
applicant uploads the completed PDF against the same mã hồ sơ, the desk checks it as a new version."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registrations.choices import DossierStatus, ItemState
from registrations.models import Dossier, ScanVersion
from registrations.selectors import required_documents_for
from registrations.services import CheckResult, dossier_check
from tests.private_files import assert_served_privately

from .conftest import complete_checklist, tiny_pdf
from .test_online_and_lookup import _form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


@pytest.fixture
def guided(client, org_types, tiepnhan):
    """An online dossier the desk found incomplete: the last document missing, the one before invalid."""
    response = client.post(
        reverse("registrations_public:submit"), _form(org_types, SimpleUploadedFile("a.pdf", tiny_pdf()))
    )
    dossier, secret = Dossier.objects.get(), response.context["secret"]
    results = complete_checklist(org_types["h"])
    documents = required_documents_for(org_types["h"])
    results[documents[-1].pk] = CheckResult(ItemState.MISSING, note="chưa có bản chứng thực")
    results[documents[-2].pk] = CheckResult(ItemState.INVALID, "ban_photo", note="hết hạn")
    dossier_check(dossier=dossier, checklist=results, guidance_note="Bổ sung trong 10 ngày.", actor=tiepnhan)
    return dossier, secret, documents


def _lookup(client, dossier, secret):
    return client.post(reverse("registrations_public:lookup"), {"code": dossier.code, "secret": secret})


def test_lookup_shows_the_missing_and_invalid_documents_and_the_guidance(client, guided):
    dossier, secret, documents = guided
    page = _lookup(client, dossier, secret).content.decode()
    assert "Chưa đầy đủ, chờ bổ sung" in page and 'data-testid="lookup-missing"' in page
    assert f"{documents[-1].name} – Thiếu (chưa có bản chứng thực)" in page
    assert f"{documents[-2].name} – Không hợp lệ (hết hạn)" in page
    assert "Bổ sung trong 10 ngày." in page and 'data-testid="completion-form"' in page
    assert documents[0].name not in page.split('data-testid="lookup-missing"')[1].split("</ol>")[0]


def test_lookup_shows_the_refusal_reason(client, org_types, tiepnhan):
    response = client.post(
        reverse("registrations_public:submit"), _form(org_types, SimpleUploadedFile("a.pdf", tiny_pdf()))
    )
    dossier = Dossier.objects.get()
    dossier_check(
        dossier=dossier,
        checklist=complete_checklist(org_types["h"]),
        refusal_reason="Tổ chức chưa được phép sử dụng con dấu.",
        actor=tiepnhan,
    )
    page = _lookup(client, dossier, response.context["secret"]).content.decode()
    assert "Tổ chức chưa được phép sử dụng con dấu." in page and 'data-testid="completion-form"' not in page


def test_completed_pdf_becomes_a_new_version_the_desk_checks(client, client_for, guided, tiepnhan, org_types):
    dossier, secret, _documents = guided
    response = client.post(
        reverse("registrations_public:lookup_complete"),
        {"code": dossier.code, "secret": secret, "scan": SimpleUploadedFile("bo-sung.pdf", tiny_pdf())},
    )
    assert response.status_code == 200 and 'data-testid="completion-received"' in response.content.decode()
    version = ScanVersion.objects.get()
    assert (version.dossier_id, version.number, version.checked_at) == (dossier.pk, 2, None)
    desk = client_for("tiepnhan")
    page = desk.get(reverse("registrations:detail", args=[dossier.pk])).content.decode()
    assert 'data-testid="scan-version-new"' in page
    served = desk.get(reverse("registrations:scan_version", args=[dossier.pk, 2]))
    assert assert_served_privately(served, about=dossier, user=served.wsgi_request.user) == tiny_pdf()
    assert client_for("kiemtra").get(reverse("registrations:scan_version", args=[dossier.pk, 2])).status_code == 403
    # A second upload waits for the desk's check of the first.
    again = client.post(
        reverse("registrations_public:lookup_complete"),
        {"code": dossier.code, "secret": secret, "scan": SimpleUploadedFile("b.pdf", tiny_pdf())},
    )
    assert again.status_code == 400 and ScanVersion.objects.count() == 1
    outcome = dossier_check(dossier=dossier, checklist=complete_checklist(org_types["h"]), actor=tiepnhan)
    assert outcome.dossier.status == DossierStatus.ACCEPTED
    version.refresh_from_db()
    assert version.checked_at is not None


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"MZ not a pdf at all", "không phải PDF"), (b"%PDF-1.4 broken\n%%EOF", "hỏng")],
)
def test_completion_upload_gets_the_same_content_checks_as_submit(client, guided, content, message):
    dossier, secret, _documents = guided
    response = client.post(
        reverse("registrations_public:lookup_complete"),
        {"code": dossier.code, "secret": secret, "scan": SimpleUploadedFile("bo-sung.pdf", content)},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not ScanVersion.objects.exists()


def test_completion_needs_the_right_secret_and_an_incomplete_dossier(client, guided, receive):
    dossier, _secret, _documents = guided
    wrong = client.post(
        reverse("registrations_public:lookup_complete"),
        {"code": dossier.code, "secret": "WRONGWRONG", "scan": SimpleUploadedFile("b.pdf", tiny_pdf())},
    )
    assert wrong.status_code == 400 and "Không tìm thấy hồ sơ" in wrong.content.decode()
    accepted = receive("h")
    refused = client.post(
        reverse("registrations_public:lookup_complete"),
        {"code": accepted.dossier.code, "secret": accepted.secret, "scan": SimpleUploadedFile("b.pdf", tiny_pdf())},
    )
    assert refused.status_code == 400 and "chỉ nộp bổ sung" in refused.content.decode()
    assert not ScanVersion.objects.exists()
