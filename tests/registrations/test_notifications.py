"""The applicant is told at each step (DESIGN.md section 10; Thủ tục bước 3): receipt, guidance, refusal,
result ready and apology, by e-mail and SMS, only to the addresses given; online e-mails carry the issued
PDF signed PAdES; deliveries and failures are on the dossier's timeline and the desk resends failures."""

import io

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from registrations.models import Dossier
from registrations.services import dossier_apologise_late, dossier_check
from tuson_hcc.documents import signing
from tuson_hcc.notifications import sms
from tuson_hcc.notifications.models import OutboundMessage
from tuson_hcc.notifications.selectors import messages_about

from .conftest import complete_checklist, local, record_result, tiny_pdf
from .test_online_and_lookup import _form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_outboxes():
    mail.outbox.clear()
    sms.outbox.clear()


def _sent_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_counter_receipt_is_mailed_and_texted_without_attachment_or_secret(receive):
    outcome = receive("h")
    dossier = outcome.dossier
    (email,) = _sent_to("hang@dongky.example.vn")
    assert email.subject == f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả – hồ sơ {dossier.code}"
    assert "đã được tiếp nhận" in email.body and "Hẹn trả kết quả: " in email.body
    assert email.attachments == [] and outcome.secret not in email.body  # the counter applicant has the slip
    due = dossier.due_at.astimezone(local(2026, 1, 1).tzinfo)
    assert [m["body"] for m in sms.outbox if m["to"] == "0912345678"] == [
        f"Ho so {dossier.code} da duoc tiep nhan, hen tra {due:%H:%M %d/%m/%Y}."
    ]
    assert {m.status for m in messages_about(dossier)} == {OutboundMessage.Status.SENT}


def test_nothing_goes_to_an_address_the_applicant_did_not_give(receive):
    dossier = receive("h", applicant_email="", applicant_phone="").dossier
    assert mail.outbox == [] and sms.outbox == [] and not messages_about(dossier).exists()
    receive("h", applicant_email="", applicant_phone="0911000111")
    assert mail.outbox == [] and [m["to"] for m in sms.outbox] == ["0911000111"]


def test_guidance_lists_what_is_missing_and_refusal_gives_the_reason(receive):
    guided = receive("h", complete=False, guidance_note="Nộp bản sao chứng thực.").dossier
    (email,) = mail.outbox
    assert email.subject.startswith("Phiếu hướng dẫn bổ sung") and "Nộp bản sao chứng thực." in email.body
    assert f"- {guided.checklist.last().name}: thiếu" in email.body and "/lookup/" in email.body
    mail.outbox.clear()
    refused = receive("h", refusal_reason="Tổ chức chưa được phép sử dụng con dấu.").dossier
    (email,) = mail.outbox
    assert email.subject == f"Từ chối tiếp nhận hồ sơ {refused.code}"
    assert "Lý do: Tổ chức chưa được phép sử dụng con dấu." in email.body


def test_result_ready_and_apology_are_told(receive, tiepnhan):
    with time_machine.travel(local(2026, 3, 9, 9, 0), tick=False):
        dossier = receive("h").dossier
    mail.outbox.clear()
    with time_machine.travel(local(2026, 3, 12, 8, 0), tick=False):
        dossier_apologise_late(
            dossier=dossier, new_due_at=local(2026, 3, 16, 9, 0), reason="Cơ sở khắc dấu chậm.", actor=tiepnhan
        )
    (apology,) = mail.outbox
    assert apology.subject.startswith("Xin lỗi và hẹn lại") and "Cơ sở khắc dấu chậm." in apology.body
    assert "09 giờ 00, ngày 16/03/2026" in apology.body and "09 giờ 00, ngày 12/03/2026" in apology.body
    mail.outbox.clear()
    with time_machine.travel(local(2026, 3, 13, 10, 0), tick=False):
        record_result(dossier, tiepnhan, certificate_number="44/GCN")
    (ready,) = mail.outbox
    assert ready.subject == f"Đã có kết quả hồ sơ {dossier.code}: mời đến nhận con dấu" and "44/GCN" in ready.body
    assert sms.outbox[-1] == {"to": "0912345678", "body": f"Ho so {dossier.code} da co ket qua: moi den nhan con dau."}


def test_online_receipt_carries_the_secret_and_a_signed_pdf(client, org_types, tiepnhan, demo_signing):
    response = client.post(
        reverse("registrations_public:submit"), _form(org_types, SimpleUploadedFile("a.pdf", tiny_pdf()))
    )
    secret = response.context["secret"]
    (acknowledgement,) = _sent_to("hang@chaukhe.example.vn")
    assert secret in acknowledgement.body and acknowledgement.attachments == []
    mail.outbox.clear()
    outcome = dossier_check(dossier=Dossier.objects.get(), checklist=complete_checklist(org_types["h"]), actor=tiepnhan)
    (receipt,) = _sent_to("hang@chaukhe.example.vn")
    assert f"mã tra cứu: {secret}" in receipt.body
    ((filename, signed, mimetype),) = receipt.attachments
    assert mimetype == "application/pdf" and filename.endswith("-ky-so.pdf")
    stored = outcome.document.file.open("rb").read()
    assert signed.startswith(stored)
    status = validate_pdf_signature(PdfFileReader(io.BytesIO(signed)).embedded_signatures[0], signing._trust_context())
    assert status.intact and status.valid and status.trusted


def test_online_receipt_without_a_signing_certificate_goes_without_attachment(client, org_types, tiepnhan):
    client.post(reverse("registrations_public:submit"), _form(org_types, SimpleUploadedFile("a.pdf", tiny_pdf())))
    mail.outbox.clear()
    dossier_check(dossier=Dossier.objects.get(), checklist=complete_checklist(org_types["h"]), actor=tiepnhan)
    (receipt,) = mail.outbox
    assert receipt.attachments == []  # never an unsigned electronic copy


@pytest.fixture
def failing_mail(failing_mail, settings):
    """The shared one (tests/conftest.py), and a message fails for good at its first attempt."""
    settings.MESSAGE_MAX_ATTEMPTS = 1
    return failing_mail


def test_a_failed_delivery_is_shown_on_the_dossier_and_the_desk_resends_it(
    receive, client_for, failing_mail, demo_users
):
    dossier = receive("h").dossier
    failed = messages_about(dossier).get(channel="email")
    assert failed.status == OutboundMessage.Status.FAILED and "SMTP server down" in failed.last_error
    desk = client_for("tiepnhan")
    page = desk.get(reverse("registrations:detail", args=[dossier.pk])).content.decode()
    assert 'data-testid="failed-messages"' in page and "SMTP server down" in page
    assert "Gửi thư điện tử tới hang@dongky.example.vn" in page and "Gửi không được" in page
    url = reverse("registrations:message_resend", args=[dossier.pk, failed.pk])
    assert client_for("kiemtra").post(url).status_code == 403
    from registrations.notify import dossier_message_resend
    from tuson_hcc.core.errors import BusinessRuleError

    with pytest.raises(BusinessRuleError, match="không có quyền gửi lại"):  # refused by the service itself
        dossier_message_resend(dossier=dossier, message_id=failed.pk, actor=demo_users["kiemtra"])
    desk = client_for("tiepnhan")
    failing_mail["up"] = True
    assert desk.post(url).status_code == 302
    again = messages_about(dossier).filter(channel="email").first()
    assert again.pk != failed.pk and again.status == OutboundMessage.Status.SENT
    assert again.resend_of == failed  # through the outbox's one resend service
    assert again.body == failed.body and _sent_to("hang@dongky.example.vn")
    page = desk.get(reverse("registrations:detail", args=[dossier.pk])).content.decode()
    assert "Đã gửi" in page
    sent = messages_about(dossier).get(channel="sms")
    assert desk.post(reverse("registrations:message_resend", args=[dossier.pk, sent.pk])).status_code == 302
    assert messages_about(dossier).count() == 3  # a delivered message is not sent again
