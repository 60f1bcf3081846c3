import datetime as dt
import importlib
import io
import re
import subprocess

import pytest
from django.apps import apps
from pypdf import PdfWriter

from registrations.choices import AuthorisationKind, Channel, DeliveryPlace, IdKind, ItemForm, ItemState
from registrations.models import OrganisationType
from registrations.selectors import required_documents_for
from registrations.services import CheckResult, dossier_receive

TZ = dt.timezone(dt.timedelta(hours=7))


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def org_types(db):
    """The 11 types of Thủ tục mục c (data migration 0002; reloaded when a transactional test flushed them)."""
    if not OrganisationType.objects.exists():
        importlib.import_module("registrations.migrations.0002_organisation_types").load(apps, None)
    return {t.code: t for t in OrganisationType.objects.all()}


@pytest.fixture
def tiepnhan(demo_users):
    return demo_users["tiepnhan"]


def dossier_data(org_type, **overrides) -> dict:
    data = {
        "organisation_type": org_type,
        "organisation_name": "Công ty TNHH Gỗ mỹ nghệ Đồng Kỵ",
        "organisation_address": "Phường Đồng Kỵ, thành phố Từ Sơn, tỉnh Bắc Ninh",
        "founding_document": "Giấy chứng nhận đăng ký doanh nghiệp số 2300123456",
        "applicant_name": "Nguyễn Thị Hằng",
        "applicant_id_kind": IdKind.CCCD,
        "applicant_id_number": "027190001234",
        "authorisation_kind": AuthorisationKind.INTRODUCTION,
        "applicant_phone": "0912345678",
        "applicant_email": "hang@dongky.example.vn",
        "channel": Channel.IN_PERSON,
        "delivery_place": DeliveryPlace.COUNTER,
    }
    data.update(overrides)
    return data


def complete_checklist(org_type) -> dict:
    return {d.pk: CheckResult(ItemState.PRESENT, ItemForm.ORIGINAL) for d in required_documents_for(org_type)}


def checklist_missing(org_type, *, last: int = 1) -> dict:
    results = complete_checklist(org_type)
    for document in required_documents_for(org_type)[-last:]:
        results[document.pk] = CheckResult(ItemState.MISSING)
    return results


@pytest.fixture
def receive(tiepnhan, org_types):
    """`receive(code="h", complete=True, **data)`: a dossier received at the desk through the service."""

    def _receive(code="h", *, complete=True, actor=None, checklist=None, **kwargs):
        org_type = org_types[code]
        if checklist is None:
            checklist = complete_checklist(org_type) if complete else checklist_missing(org_type)
        service_kwargs = {
            k: kwargs.pop(k)
            for k in ("refusal_reason", "guidance_note", "idempotency_key", "received_at")
            if k in kwargs
        }
        return dossier_receive(
            data=dossier_data(org_type, **kwargs), checklist=checklist, actor=actor or tiepnhan, **service_kwargs
        )

    return _receive


def pdf_text(document) -> str:
    """The text of a stored PDF as pdftotext (poppler-utils) sees it, whitespace collapsed."""
    with document.file.open("rb") as handle:
        data = handle.read()
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return re.sub(r"\s+", " ", result.stdout.decode("utf-8"))


def tiny_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def record_result(dossier, actor, **overrides):
    """The result arrives (the seal and the Giấy chứng nhận): the dossier becomes "result ready"."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from registrations.result import dossier_result_record

    values = dict(
        certificate_number="15/GCN",
        certificate_date=timezone.localdate(),
        issuing_authority="Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
        specimen=SimpleUploadedFile("mau-dau.pdf", tiny_pdf(), content_type="application/pdf"),
    )
    values.update(overrides)
    return dossier_result_record(dossier=dossier, actor=actor, **values)


@pytest.fixture
def demo_signing(settings, tmp_path):
    """The demo CA and signing certificate (seed_demo's), made in a temporary folder."""
    from tuson_hcc.documents import signing

    paths = signing.demo_signing_material_create(tmp_path / "signing", organisation="Công an thành phố Từ Sơn")
    for setting, path in paths.items():
        setattr(settings, setting, str(path))
    return paths


def return_in_person(dossier, actor):
    """The result handed at the counter to the person who filed (receipt and identity checked, book signed)."""
    from registrations.handover import ReturnData, dossier_return

    return dossier_return(
        dossier=dossier,
        data=ReturnData(
            recipient_name=dossier.applicant_name,
            recipient_id_kind="cccd",
            recipient_id_number=dossier.applicant_id_number,
            receipt_checked=True,
            identity_checked=True,
            recipient_signed=True,
            signature_name=dossier.applicant_name,
        ),
        actor=actor,
    )


@pytest.fixture
def received_and_returned(receive, tiepnhan):
    """`received_and_returned(result_at=…, returned_at=…)`: a dossier received on 09/03/2026 at 09:00 (due
    12/03), its result recorded and returned in person at the given moments; returns the intake's outcome."""
    import time_machine

    def make(*, result_at, returned_at):
        with time_machine.travel(local(2026, 3, 9, 9, 0), tick=False):
            outcome = receive("h")
        with time_machine.travel(result_at, tick=False):
            record_result(outcome.dossier, tiepnhan)
        with time_machine.travel(returned_at, tick=False):
            return_in_person(outcome.dossier, tiepnhan)
        outcome.dossier.refresh_from_db()
        return outcome

    return make
