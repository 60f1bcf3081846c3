"""The applicant is told at each step (DESIGN.md section 10; Thủ tục bước 3: the receipt or guidance sheet
goes to the electronic address of an online applicant): e-mail and SMS through the outbox.

Only to the addresses the applicant gave on the dossier. For an online dossier the e-mail carries the
issued PDF, signed PAdES by `tuson_hcc.documents.signing`. Each message is recorded against the dossier,
so its delivery or failure shows on the dossier's timeline.
"""

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tuson_hcc.core.models import IssuingBody
from tuson_hcc.documents import signing
from tuson_hcc.notifications.models import SECRET_MASK
from tuson_hcc.notifications.services import message_queue, message_resend

from .choices import Channel
from .models import Dossier

logger = logging.getLogger(__name__)

SUBMITTED = "submitted"
RECEIPT = "receipt"
GUIDANCE = "guidance"
REFUSAL = "refusal"
RESULT_READY = "result_ready"
APOLOGY = "apology"

SUBJECTS = {
    SUBMITTED: "Đã nhận hồ sơ trực tuyến {code}",
    RECEIPT: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả – hồ sơ {code}",
    GUIDANCE: "Phiếu hướng dẫn bổ sung, hoàn thiện hồ sơ – hồ sơ {code}",
    REFUSAL: "Từ chối tiếp nhận hồ sơ {code}",
    RESULT_READY: "Đã có kết quả hồ sơ {code}: mời đến nhận con dấu",
    APOLOGY: "Xin lỗi và hẹn lại ngày trả kết quả – hồ sơ {code}",
}


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%H giờ %M, ngày %d/%m/%Y}" if moment else ""


def _lines(dossier: Dossier, event: str, secret: str | None, issuing_body: IssuingBody | None) -> list[str]:
    body = issuing_body or IssuingBody.current()
    # Read only for the guidance: the table below is built whole, for whichever event.
    missing = _missing(dossier) if event == GUIDANCE else []
    lookup = settings.PUBLIC_BASE_URL + reverse("registrations_public:lookup")
    lines = {
        SUBMITTED: [
            f"{body.police_unit_name} đã nhận hồ sơ đăng ký mẫu con dấu của {dossier.organisation_name} "
            f"nộp trực tuyến, mã hồ sơ {dossier.code}. Bộ phận tiếp nhận sẽ kiểm tra và trả lời.",
        ],
        RECEIPT: [
            f"Hồ sơ {dossier.code} của {dossier.organisation_name} đã được tiếp nhận.",
            f"Hẹn trả kết quả: {_when(dossier.due_at)}, tại {dossier.get_delivery_place_display().lower()}.",
        ],
        GUIDANCE: [
            f"Hồ sơ {dossier.code} chưa đầy đủ. Cần bổ sung, hoàn thiện:",
            *[f"- {item.name}: {item.get_state_display().lower()}" for item in missing],
            *([f"Hướng dẫn: {dossier.guidance_note}"] if dossier.guidance_note else []),
            f"Xem chi tiết và nộp bổ sung trực tuyến tại {lookup}.",
        ],
        REFUSAL: [
            f"Hồ sơ {dossier.code} không được tiếp nhận giải quyết.",
            f"Lý do: {dossier.refusal_reason}",
        ],
        RESULT_READY: [
            f"Hồ sơ {dossier.code} đã có kết quả: con dấu và Giấy chứng nhận đăng ký mẫu con dấu "
            f"số {dossier.result_certificate_number}.",
            "Người được cử đến nhận mang theo Giấy tiếp nhận hồ sơ, Thẻ Căn cước / CMND / Hộ chiếu"
            + (" và bản chính các giấy tờ đã nộp trực tuyến." if dossier.channel == Channel.ONLINE else "."),
        ],
        APOLOGY: [
            f"Hồ sơ {dossier.code} chưa có kết quả đúng hẹn ({_when(dossier.original_due_at)}). "
            "Chúng tôi xin lỗi ông/bà.",
            f"Lý do: {dossier.apology_reason}",
            f"Hẹn trả kết quả mới: {_when(dossier.due_at)}.",
        ],
    }[event]
    if secret:
        # Masked in the stored body; the outbox puts the secret in only when it sends (issue 11 point 9).
        lines.append(f"Tra cứu tình trạng hồ sơ tại {lookup} với mã hồ sơ {dossier.code} và mã tra cứu: {SECRET_MASK}")
    lines += ["", f"{body.police_unit_name} – {body.centre_name}", f"Điện thoại: {body.phone}"]
    return lines


def _missing(dossier: Dossier) -> list:
    return [item for item in dossier.checklist.all() if not item.is_satisfied]


def _sms_when(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}" if moment else ""


def _sms_text(dossier: Dossier, event: str) -> str:
    """Short and without diacritics: one plain SMS segment on any handset."""
    return {
        SUBMITTED: f"Da nhan ho so truc tuyen {dossier.code}.",
        RECEIPT: f"Ho so {dossier.code} da duoc tiep nhan, hen tra {_sms_when(dossier.due_at)}.",
        GUIDANCE: f"Ho so {dossier.code} chua day du: xem noi dung can bo sung tai trang tra cuu.",
        REFUSAL: f"Ho so {dossier.code} khong duoc tiep nhan. Ly do trong thu/phieu tu choi.",
        RESULT_READY: f"Ho so {dossier.code} da co ket qua: moi den nhan con dau.",
        APOLOGY: f"Xin loi: ho so {dossier.code} cham tra, hen lai {_sms_when(dossier.due_at)}.",
    }[event]


def _attachments(dossier: Dossier, document) -> list[tuple[str, bytes, str]]:
    """The issued PDF, signed, for an online dossier; nothing when it cannot be signed (never unsigned)."""
    if document is None or dossier.channel != Channel.ONLINE:
        return []
    with document.file.open("rb") as stored:
        pdf = stored.read()
    try:
        signed = signing.sign_pdf(pdf, reason=f"{document.title} số {document.number}")
    except signing.SigningNotConfigured:
        logger.warning("not signed, so not attached: %s %s (no signing certificate)", document.kind, document.number)
        return []
    return [(f"{document.kind}-{document.number.replace('/', '-')}-ky-so.pdf", signed, "application/pdf")]


def dossier_notify(
    *,
    dossier: Dossier,
    event: str,
    actor=None,
    document=None,
    secret: str | None = None,
    issuing_body: IssuingBody | None = None,
) -> list:
    """Tell the applicant of `event` by e-mail and SMS, to the addresses on the dossier only.

    `document`: the issued PDF of this step (attached, signed, for online dossiers); `secret`: the
    online applicant's lookup secret, in the e-mail body only; `issuing_body`: IssuingBody.current()
    when the caller already holds it. Returns the queued messages.
    """
    subject = SUBJECTS[event].format(code=dossier.code)
    body = "\n".join(
        ["Kính gửi ông/bà " + dossier.applicant_name + ",", "", *_lines(dossier, event, secret, issuing_body)]
    )
    queued = [
        message_queue(
            channel="email",
            recipient=dossier.applicant_email,
            subject=subject,
            body=body,
            about=dossier,
            attachments=_attachments(dossier, document) if dossier.applicant_email else (),
            actor=actor,
            secret=secret,
        ),
        message_queue(
            channel="sms",
            recipient=dossier.applicant_phone,
            subject="",
            body=_sms_text(dossier, event),
            about=dossier,
            actor=actor,
        ),
    ]
    return [message for message in queued if message is not None]


def dossier_message_resend(*, dossier: Dossier, message_id: int, actor):
    """The desk's "Gửi lại": a failed message about this dossier, sent again through the outbox's one
    resend service (`notifications.services.message_resend`: a new message, the failure stays recorded),
    to the same recipient only while it is still an address the applicant gave.

    A message that carried the lookup secret lost it when it failed (wiped): the applicant never received
    it, so a new secret is drawn and goes out in the copy.
    """
    from django.db import transaction

    from tuson_hcc.core.errors import BusinessRuleError
    from tuson_hcc.notifications.selectors import messages_about

    from .lookup_secret import lookup_secret_renew

    message = messages_about(dossier).filter(pk=message_id).first()
    if message is None:
        raise BusinessRuleError("Chỉ gửi lại được thư/tin nhắn về hồ sơ này đã gửi không được.")
    if message.recipient not in (dossier.applicant_email, dossier.applicant_phone):
        raise BusinessRuleError("Địa chỉ nhận không còn là địa chỉ người nộp đã khai: không gửi lại.")
    with transaction.atomic():
        secret = None
        if message.carries_secret and message.status == message.Status.FAILED and not message.resends.exists():
            secret = lookup_secret_renew(dossier=dossier, actor=actor)
        return message_resend(message=message, actor=actor, secret=secret)
