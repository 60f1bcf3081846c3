"""Custody at the desk: handovers need the Director's consent (Quy chế 157, Điều 7.4) and leave a minute."""

from datetime import timedelta

import pytest
from django.utils import timezone

from seals.models import CustodyEntry, ExceptionAuthorisation, Inspection, Seal
from seals.services.custody import handover_consent_grant, seal_hand_over, seal_take_back
from seals.services.oversight import exception_record, inspection_record
from tests.private_files import assert_served_privately
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.documents.models import IssuedDocument

from .factories import tiny_pdf

pytestmark = pytest.mark.django_db


def test_handing_a_seal_to_an_official_without_the_directors_consent_is_refused_dieu_7_4(seal, demo_users):
    with pytest.raises(BusinessRuleError, match="Điều 7.4"):
        seal_hand_over(seal=seal, recipient=demo_users["congchuc"], actor=demo_users["vanthu"])
    seal.refresh_from_db()
    assert seal.status == Seal.Status.IN_CUSTODY and not CustodyEntry.objects.exists()


def test_only_the_director_consents(seal, demo_users):
    with pytest.raises(BusinessRuleError, match="Giám đốc"):
        handover_consent_grant(
            seal=seal,
            recipient=demo_users["congchuc"],
            purpose="x",
            valid_until=timezone.now() + timedelta(hours=2),
            actor=demo_users["vanthu"],
        )


def test_consented_handover_and_take_back_each_leave_a_minute(seal, demo_users):
    official, clerk = demo_users["congchuc"], demo_users["vanthu"]
    handover_consent_grant(
        seal=seal,
        recipient=official,
        purpose="Đối chiếu bản chính tại bộ phận một cửa",
        valid_until=timezone.now() + timedelta(hours=2),
        actor=demo_users["giamdoc"],
    )
    out = seal_hand_over(seal=seal, recipient=official, actor=clerk)
    seal.refresh_from_db()
    assert (seal.status, seal.custodian) == (Seal.Status.HANDED_OVER, official)
    assert out.consent.granted_by == demo_users["giamdoc"]
    assert seal.history.first().history_change_reason == "giao con dấu"
    back = seal_take_back(seal=seal, actor=clerk, condition="Nguyên vẹn")
    seal.refresh_from_db()
    assert (seal.status, seal.custodian) == (Seal.Status.IN_CUSTODY, clerk)
    assert (out.sequence, back.sequence) == (1, 2)
    assert IssuedDocument.objects.filter(kind="bien_ban_giao_nhan_con_dau").count() == 2
    # The consent is used once: a second handover needs a new one.
    with pytest.raises(BusinessRuleError, match="Điều 7.4"):
        seal_hand_over(seal=seal, recipient=official, actor=clerk)


def test_expired_consent_does_not_allow_a_handover(seal, demo_users):
    consent = handover_consent_grant(
        seal=seal,
        recipient=demo_users["congchuc"],
        purpose="x",
        valid_until=timezone.now() + timedelta(minutes=5),
        actor=demo_users["giamdoc"],
    )
    consent.valid_until = timezone.now() - timedelta(minutes=1)
    consent.save()
    with pytest.raises(BusinessRuleError):
        seal_hand_over(seal=seal, recipient=demo_users["congchuc"], actor=demo_users["vanthu"])


def test_minute_downloads_as_pdf(client_for, seal, demo_users):
    handover_consent_grant(
        seal=seal,
        recipient=demo_users["congchuc"],
        purpose="x",
        valid_until=timezone.now() + timedelta(hours=1),
        actor=demo_users["giamdoc"],
    )
    entry = seal_hand_over(seal=seal, recipient=demo_users["congchuc"], actor=demo_users["vanthu"])
    response = client_for("giamdoc").get(f"/seals/custody/{entry.pk}/minute/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_hand_over_view_refuses_without_consent_with_a_message(client_for, seal, demo_users):
    response = client_for("vanthu").post(
        f"/seals/{seal.pk}/hand-over/", {"recipient": demo_users["congchuc"].pk, "condition": "Nguyên vẹn"}
    )
    assert response.status_code == 400 and "Điều 7.4" in response.content.decode()
    assert client_for("congchuc").post(f"/seals/{seal.pk}/hand-over/", {}).status_code == 403


def test_inspection_verifies_the_ledgers_and_keeps_the_result_dieu_5_4(seal, catalogue, document, demo_users):
    from seals.services.stamping import stamping_record

    stamping_record(seal=seal, procedure=catalogue["birth"], document=document(), actor=demo_users["vanthu"])
    inspection = inspection_record(
        seals=[seal], condition="Nguyên vẹn", findings="", actions="", actor=demo_users["giamdoc"]
    )
    assert inspection.ledger_ok and "1 mục, toàn vẹn" in inspection.ledger_result
    with pytest.raises(BusinessRuleError):
        inspection_record(seals=[seal], condition="x", findings="", actions="", actor=demo_users["kiemtra"])
    assert Inspection.objects.count() == 1


def test_exception_authorisation_is_recorded_by_the_director_with_a_pdf_scan(client_for, seal, demo_users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    today = timezone.localdate().isoformat()
    data = {
        "seal": seal.pk,
        "document_number": "15/UBND",
        "document_date": today,
        "signed_by": "Chủ tịch",
        "purpose": "Giấy mời",
        "valid_from": today,
        "valid_until": today,
        "max_uses": 3,
    }
    bad = client_for("giamdoc").post(
        "/seals/exceptions/new/", {**data, "scan": SimpleUploadedFile("a.pdf", b"MZ not a pdf")}
    )
    assert bad.status_code == 400 and "không phải PDF" in bad.content.decode()
    good = client_for("giamdoc").post(
        "/seals/exceptions/new/", {**data, "scan": SimpleUploadedFile("a.pdf", tiny_pdf())}
    )
    assert good.status_code == 302
    authorisation = ExceptionAuthorisation.objects.get()
    scan = client_for("kiemtra").get(f"/seals/exceptions/{authorisation.pk}/scan/")
    assert_served_privately(scan, about=authorisation, user=demo_users["kiemtra"], body_starts=b"%PDF-")
    assert client_for("vanthu").post("/seals/exceptions/new/", data).status_code == 403
    with pytest.raises(BusinessRuleError):
        exception_record(
            seal=seal,
            document_number="1",
            document_date=timezone.localdate(),
            signed_by="x",
            scan=None,
            purpose="x",
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate(),
            max_uses=0,
            actor=demo_users["giamdoc"],
        )


def test_inspection_after_tampering_records_the_broken_entry(seal, catalogue, document, demo_users):
    from django.db import connection

    from seals.models import StampingEntry
    from seals.services.stamping import stamping_record

    entries = [
        stamping_record(seal=seal, procedure=catalogue["birth"], document=document(), actor=demo_users["vanthu"])
        for _ in range(2)
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {StampingEntry._meta.db_table} DISABLE TRIGGER USER")
        cursor.execute(f"UPDATE {StampingEntry._meta.db_table} SET summary = 'x' WHERE id = %s", [entries[0].pk])
    inspection = inspection_record(
        seals=[seal], condition="Nguyên vẹn", findings="", actions="", actor=demo_users["giamdoc"]
    )
    assert not inspection.ledger_ok and "HỎNG tại mục số 1" in inspection.ledger_result


def test_custody_refusals_write_nothing(seal, demo_users):
    clerk = demo_users["vanthu"]
    with pytest.raises(BusinessRuleError, match="không ở trạng thái đã giao"):
        seal_take_back(seal=seal, actor=clerk)
    with pytest.raises(BusinessRuleError, match="chính mình"):
        seal_hand_over(seal=seal, recipient=clerk, actor=clerk)
    with pytest.raises(BusinessRuleError, match="Văn thư"):
        seal_hand_over(seal=seal, recipient=demo_users["congchuc"], actor=demo_users["giamdoc"])
    assert not CustodyEntry.objects.exists()


def test_an_incident_is_reported_once_and_closed_once_by_the_director(seal, demo_users):
    from seals.services.oversight import incident_close, incident_report

    incident = incident_report(seal=seal, kind="lost", description="Không thấy trong tủ", actor=demo_users["vanthu"])
    seal.refresh_from_db()
    assert seal.status == Seal.Status.LOST
    with pytest.raises(BusinessRuleError, match="đã có sự cố"):
        incident_report(seal=seal, kind="damaged", description="x", actor=demo_users["giamdoc"])
    with pytest.raises(BusinessRuleError, match="vai trò"):
        incident_report(seal=seal, kind="damaged", description="x", actor=demo_users["congchuc"])
    incident_close(
        incident=incident, outcome="retired", resolution="Báo mất, khắc dấu mới", actor=demo_users["giamdoc"]
    )
    seal.refresh_from_db()
    assert seal.status == Seal.Status.RETIRED
    with pytest.raises(BusinessRuleError, match="đã được kết thúc"):
        incident_close(incident=incident, outcome="restored", resolution="x", actor=demo_users["giamdoc"])
