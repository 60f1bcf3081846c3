"""The lookup secret stays with the applicant (issue 11 point 9): no stored file and no column holds it in
clear; the applicant gets it on a slip printed at the counter, or on screen and by e-mail when online."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from registrations.models import Dossier
from tuson_hcc.documents.models import IssuedDocument

from .conftest import tiny_pdf
from .test_pages import _intake_post

pytestmark = pytest.mark.django_db


def _stored_pdf_texts(media_root) -> list[str]:
    texts = []
    for path in media_root.rglob("*.pdf"):
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        texts.append(" ".join(page.extract_text() for page in reader.pages))
    return texts


def _columns_holding(value: str) -> list[str]:
    """Every table, every row, every column of the database: where `value` appears in clear."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from introspection
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                found += [f"{table}.{col}" for col, cell in zip(columns, row, strict=True) if value in str(cell)]
    return found


def test_counter_intake_prints_the_secret_on_a_slip_and_stores_it_nowhere(client_for, org_types, settings):
    client = client_for("tiepnhan")
    response = client.post(reverse("registrations:intake"), _intake_post(org_types["h"]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    dossier = Dossier.objects.get()
    assert f'data-testid="slip-secret">{secret}<' in response.content.decode()
    receipt = IssuedDocument.objects.get(kind="mau_01")
    texts = _stored_pdf_texts(settings.MEDIA_ROOT)
    assert texts and any(dossier.code in text and "Liên 2" in text for text in texts)
    assert not [text for text in texts if secret in text], "the stored receipt must not carry the secret"
    assert receipt.file.name.endswith(".pdf")
    assert _columns_holding(secret) == []
    lookup = client.post(reverse("registrations_public:lookup"), {"code": dossier.code, "secret": secret})
    assert "Đã tiếp nhận, hẹn trả kết quả" in lookup.content.decode()


def test_a_lost_slip_gets_a_new_secret_and_the_old_one_stops_working(client_for, org_types, client):
    desk = client_for("tiepnhan")
    old = desk.post(reverse("registrations:intake"), _intake_post(org_types["h"])).context["secret"]
    dossier = Dossier.objects.get()
    renewed = desk.post(reverse("registrations:secret_renew", args=[dossier.pk]))
    new = renewed.context["secret"]
    assert new != old and renewed["Cache-Control"] == "no-store"
    lookup = reverse("registrations_public:lookup")
    assert "Không tìm thấy hồ sơ" in client.post(lookup, {"code": dossier.code, "secret": old}).content.decode()
    assert "Đã tiếp nhận" in client.post(lookup, {"code": dossier.code, "secret": new}).content.decode()
    assert _columns_holding(new) == []


def test_only_intake_staff_renew_a_secret(client_for, receive):
    dossier = receive("h").dossier
    assert client_for("kiemtra").post(reverse("registrations:secret_renew", args=[dossier.pk])).status_code == 403


def test_online_secret_is_not_in_the_receipt_issued_later(client, client_for, org_types, settings, tiepnhan):
    from registrations.services import dossier_check

    from .conftest import complete_checklist
    from .test_online_and_lookup import _form

    response = client.post(
        reverse("registrations_public:submit"), _form(org_types, SimpleUploadedFile("a.pdf", tiny_pdf()))
    )
    secret = response.context["secret"]
    outcome = dossier_check(dossier=Dossier.objects.get(), checklist=complete_checklist(org_types["h"]), actor=tiepnhan)
    assert outcome.secret is None  # the online applicant already has theirs
    assert not [text for text in _stored_pdf_texts(settings.MEDIA_ROOT) if secret in text]
    # Online, the secret reaches the applicant by e-mail (issue 11 point 9): the outbox keeps that e-mail's
    # body until it is delivered or resent; no other column holds it.
    assert {column for column in _columns_holding(secret)} == {"notifications_outboundmessage.body"}
