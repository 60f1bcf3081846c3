"""The result (Thủ tục mục g) is recorded when it arrives; return only from "result ready"; on time or late
against the appointment; Mẫu 04 only when late or about to be (DESIGN.md section 10, issue 12)."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registrations.choices import ALLOWED, DossierStatus, Timeliness
from registrations.handover import ReturnData, dossier_return
from registrations.models import HandoverEntry
from registrations.result import apology_due, timeliness
from registrations.services import dossier_apologise_late
from tests.private_files import assert_served_privately
from tuson_hcc.core.errors import BusinessRuleError

from .conftest import local, record_result

pytestmark = pytest.mark.django_db


def _return_data(dossier) -> ReturnData:
    return ReturnData(
        recipient_name=dossier.applicant_name,
        recipient_id_kind="cccd",
        recipient_id_number=dossier.applicant_id_number,
        receipt_checked=True,
        identity_checked=True,
        recipient_signed=True,
        signature_name=dossier.applicant_name,
    )


@pytest.fixture
def accepted(receive):
    """Received Monday 09/03/2026 at 09:00: due Thursday 12/03/2026 at 09:00 (3 working days)."""
    with time_machine.travel(local(2026, 3, 9, 9, 0), tick=False):
        return receive("h").dossier


def test_return_before_the_result_is_ready_is_refused(accepted, tiepnhan):
    # Thủ tục bước 4 hands over the seal and the Giấy chứng nhận: nothing to hand over before they arrive.
    with pytest.raises(BusinessRuleError, match="chưa có kết quả"):
        dossier_return(dossier=accepted, data=_return_data(accepted), actor=tiepnhan)
    accepted.refresh_from_db()
    assert accepted.status == DossierStatus.ACCEPTED and not HandoverEntry.objects.exists()


def test_return_is_allowed_only_from_result_ready():
    assert [s for s, targets in ALLOWED.items() if DossierStatus.RETURNED in targets] == [DossierStatus.RESULT_READY]


def test_recording_the_result_keeps_the_certificate_and_the_specimen(accepted, tiepnhan):
    with time_machine.travel(local(2026, 3, 11, 14, 0), tick=False):
        dossier = record_result(accepted, tiepnhan, certificate_number="27/GCN")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESULT_READY and dossier.result_ready_at == local(2026, 3, 11, 14, 0)
    assert dossier.result_certificate_number == "27/GCN" and len(dossier.result_specimen_sha256) == 64
    assert dossier.result_specimen.name.endswith(".pdf")
    assert dossier.history.first().history_change_reason.startswith("ghi nhận kết quả")
    entry = dossier_return(dossier=dossier, data=_return_data(dossier), actor=tiepnhan)
    assert entry.dossier_id == dossier.pk


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not an image", "không đọc được"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "không đọc được|PNG/JPEG"),
    ],
)
def test_a_specimen_that_is_no_pdf_or_image_is_refused_and_nothing_changes(accepted, tiepnhan, content, message):
    with pytest.raises(BusinessRuleError, match=message) as error:
        record_result(accepted, tiepnhan, specimen=SimpleUploadedFile("mau-dau.png", content))
    assert error.value.field == "specimen"
    accepted.refresh_from_db()
    assert accepted.status == DossierStatus.ACCEPTED and not accepted.result_specimen


def test_a_png_specimen_is_accepted(accepted, tiepnhan):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    dossier = record_result(accepted, tiepnhan, specimen=SimpleUploadedFile("scan.pdf", buffer.getvalue()))
    assert dossier.result_specimen.name.endswith(".png")  # the extension follows the content, not the name


def test_result_needs_a_certificate_number_and_a_sensible_date(accepted, tiepnhan):
    with pytest.raises(BusinessRuleError, match="số Giấy chứng nhận"):
        record_result(accepted, tiepnhan, certificate_number=" ")
    with pytest.raises(BusinessRuleError, match="sau hôm nay"):
        record_result(accepted, tiepnhan, certificate_date=dt.date.today() + dt.timedelta(days=30))


def test_result_cannot_be_recorded_twice_or_for_an_unchecked_dossier(accepted, receive, tiepnhan):
    record_result(accepted, tiepnhan)
    with pytest.raises(BusinessRuleError, match="chỉ ghi nhận kết quả"):
        record_result(accepted, tiepnhan)
    incomplete = receive("h", complete=False).dossier
    with pytest.raises(BusinessRuleError, match="chỉ ghi nhận kết quả"):
        record_result(incomplete, tiepnhan)


def test_only_intake_staff_record_the_result(accepted, demo_users):
    with pytest.raises(BusinessRuleError, match="Cán bộ tiếp nhận"):
        record_result(accepted, demo_users["kiemtra"])


@pytest.mark.parametrize(
    ("ready_at", "expected"),
    [
        (local(2026, 3, 11, 16, 0), Timeliness.EARLY),
        (local(2026, 3, 12, 16, 30), Timeliness.ON_TIME),  # the appointment day itself
        (local(2026, 3, 13, 8, 0), Timeliness.LATE),
    ],
)
def test_on_time_or_late_is_judged_against_the_appointment(accepted, tiepnhan, ready_at, expected):
    with time_machine.travel(ready_at, tick=False):
        dossier = record_result(accepted, tiepnhan)
    assert timeliness(dossier) == expected


def test_a_new_date_from_an_apology_does_not_make_a_late_dossier_on_time(accepted, tiepnhan):
    with time_machine.travel(local(2026, 3, 12, 8, 0), tick=False):
        dossier = dossier_apologise_late(
            dossier=accepted, new_due_at=local(2026, 3, 16, 9, 0), reason="Cơ sở khắc dấu chậm.", actor=tiepnhan
        ).dossier
    with time_machine.travel(local(2026, 3, 16, 8, 0), tick=False):
        dossier = record_result(dossier, tiepnhan)
    assert timeliness(dossier) == Timeliness.LATE and dossier.apology_count == 1


def test_apology_is_offered_only_when_late_or_about_to_be(accepted, tiepnhan, client_for):
    # "About to be late": due today or the next working day (REGISTRATION_APOLOGY_WORKING_DAYS = 1).
    page = reverse("registrations:detail", args=[accepted.pk])
    with time_machine.travel(local(2026, 3, 9, 10, 0), tick=False):  # due in 3 working days
        assert not apology_due(accepted)
        assert 'data-testid="apology-submit"' not in client_for("tiepnhan").get(page).content.decode()
        with pytest.raises(BusinessRuleError, match="sắp quá hạn"):
            dossier_apologise_late(
                dossier=accepted, new_due_at=local(2026, 3, 16, 9, 0), reason="Chậm.", actor=tiepnhan
            )
    with time_machine.travel(local(2026, 3, 11, 10, 0), tick=False):  # due the next working day
        assert apology_due(accepted)
        assert 'data-testid="apology-submit"' in client_for("tiepnhan").get(page).content.decode()
    with time_machine.travel(local(2026, 3, 13, 10, 0), tick=False):  # already late
        assert apology_due(accepted)


def test_the_desk_records_the_result_through_the_detail_page(accepted, client_for):
    from .conftest import tiny_pdf

    client = client_for("tiepnhan")
    page = client.get(reverse("registrations:detail", args=[accepted.pk])).content.decode()
    assert 'data-testid="result-submit"' in page and 'data-testid="return-link"' not in page
    response = client.post(
        reverse("registrations:result", args=[accepted.pk]),
        {
            "certificate_number": "31/GCN",
            "certificate_date": dt.date.today().isoformat(),
            "issuing_authority": "Phòng Cảnh sát QLHC về TTXH",
            "specimen": SimpleUploadedFile("mau.pdf", tiny_pdf(), content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("registrations:detail", args=[accepted.pk])).content.decode()
    assert "31/GCN" in page and 'data-testid="return-link"' in page
    specimen = client.get(reverse("registrations:specimen", args=[accepted.pk]))
    assert_served_privately(specimen, about=accepted, user=specimen.wsgi_request.user, body_starts=b"%PDF-")
    assert specimen["Content-Type"] == "application/pdf"
