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
    # Online, the secret reaches the applicant by e-mail (issue 11 point 9); the outbox keeps that e-mail
    # with the secret masked, and its sealed copy is wiped once delivered: no column holds it.
    assert _columns_holding(secret) == []


def _files_holding(value: str, media_root) -> list[str]:
    return [str(path) for path in media_root.rglob("*") if path.is_file() and value.encode() in path.read_bytes()]


def _submit_online(client, org_types) -> str:
    from .test_online_and_lookup import _form

    response = client.post(
        reverse("registrations_public:submit"), _form(org_types, SimpleUploadedFile("a.pdf", tiny_pdf()))
    )
    assert response.status_code == 200
    return response.context["secret"]


def test_the_online_secret_reaches_the_applicant_by_mail_and_no_table_or_file_keeps_it(client, org_types, settings):
    from django.core import mail

    from tuson_hcc.notifications.models import SECRET_MASK, OutboundMessage

    mail.outbox.clear()
    secret = _submit_online(client, org_types)
    (email,) = [m for m in mail.outbox if secret in m.body]  # the applicant got it
    stored = OutboundMessage.objects.get(channel="email", subject=email.subject)
    assert stored.status == OutboundMessage.Status.SENT
    assert f"mã tra cứu: {SECRET_MASK}" in stored.body and secret not in stored.body
    assert stored.body.replace(SECRET_MASK, secret) == email.body
    assert stored.carries_secret and stored.sealed_secret == "" and stored.secret_wiped_at is not None
    assert _columns_holding(secret) == []  # every table: outbox, history, documents, index …
    assert _files_holding(secret, settings.MEDIA_ROOT) == []
    # The timeline and the admin read the masked body.
    assert not OutboundMessage.objects.filter(body__contains=secret).exists()


def test_while_the_mail_server_is_down_the_secret_waits_sealed_and_is_wiped_when_it_fails_for_good(
    client, org_types, settings, failing_mail, client_for
):
    from django.core import mail

    from tuson_hcc.notifications.models import SECRET_MASK, OutboundMessage
    from tuson_hcc.notifications.sealing import unseal
    from tuson_hcc.notifications.tasks import message_deliver

    settings.MESSAGE_MAX_ATTEMPTS = 2
    mail.outbox.clear()
    secret = _submit_online(client, org_types)
    waiting = OutboundMessage.objects.get(channel="email", carries_secret=True)
    assert waiting.status == OutboundMessage.Status.QUEUED and waiting.attempts == 1
    assert waiting.sealed_secret and secret not in waiting.sealed_secret and unseal(waiting.sealed_secret) == secret
    assert _columns_holding(secret) == []  # sealed is not in clear

    OutboundMessage.objects.filter(pk=waiting.pk).update(next_attempt_at=waiting.created_at)
    message_deliver(waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == OutboundMessage.Status.FAILED
    assert (waiting.sealed_secret, waiting.secret_wiped_at is not None) == ("", True)

    # The desk resends: the applicant never got the old secret, so a new one goes out and works.
    failing_mail["up"] = True
    dossier = Dossier.objects.get()
    desk = client_for("tiepnhan")
    response = desk.post(reverse("registrations:message_resend", args=[dossier.pk, waiting.pk]))
    assert response.status_code == 302
    copy = OutboundMessage.objects.get(resend_of=waiting)
    assert copy.status == OutboundMessage.Status.SENT and SECRET_MASK in copy.body and copy.sealed_secret == ""
    (email,) = [m for m in mail.outbox if m.subject == copy.subject]
    new_secret = email.body.rsplit("mã tra cứu: ", 1)[1].split()[0]
    assert new_secret != secret
    lookup = reverse("registrations_public:lookup")
    assert "Không tìm thấy hồ sơ" in client.post(lookup, {"code": dossier.code, "secret": secret}).content.decode()
    assert (
        "Không tìm thấy hồ sơ" not in client.post(lookup, {"code": dossier.code, "secret": new_secret}).content.decode()
    )
    assert _columns_holding(new_secret) == [] and _columns_holding(secret) == []
