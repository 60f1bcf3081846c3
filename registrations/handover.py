"""Returning the result (Thủ tục bước 4) and the handover book (sổ giao nhận con dấu), DESIGN.md sections 2 and 5."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from unidecode import unidecode

from tuson_hcc.accounts.permissions import require_role
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.history import tracked_save
from tuson_hcc.core.models import IssuingBody
from tuson_hcc.documents.models import IssuedDocument
from tuson_hcc.documents.services import document_issue
from tuson_hcc.ledgers.services import ledger_append

from .choices import ALLOWED, Channel, DocumentKind, DossierStatus
from .models import Dossier, HandoverEntry
from .selectors import handover_entries_between

HANDED_OVER = "01 con dấu; 01 Giấy chứng nhận đăng ký mẫu con dấu"
MAX_BOOK_DAYS = 366


@dataclass(frozen=True)
class ReturnData:
    """What the desk checked and recorded when handing the result over."""

    recipient_name: str
    recipient_id_kind: str
    recipient_id_number: str
    receipt_checked: bool
    identity_checked: bool
    originals_checked: bool = False
    authorisation_checked: bool = False
    recipient_signed: bool = False
    signature_name: str = ""
    note: str = ""


def _same_person(a: str, b: str) -> bool:
    return " ".join(unidecode(a).lower().split()) == " ".join(unidecode(b).lower().split())


def handover_chain_key(when) -> str:
    """One book per year at the unit: "<unit code>:<YYYY>"."""
    return f"{IssuingBody.current().unit_code}:{timezone.localtime(when).year}"


def dossier_return(*, dossier: Dossier, data: ReturnData, actor) -> HandoverEntry:
    """Hand over the seal and the Giấy chứng nhận to the person sent, and write the handover book.

    Thủ tục bước 4: check the receipt and the CCCD / CMND / passport of the person sent; for an
    online dossier also the originals against the scans; the recipient signs the handover book.
    Someone other than the applicant needs a checked giấy giới thiệu / ủy quyền.
    """
    require_role(actor, Role.TIEP_NHAN)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if DossierStatus.RETURNED not in ALLOWED[DossierStatus(dossier.status)]:
            if dossier.status == DossierStatus.REFUSED:
                raise BusinessRuleError(f"Hồ sơ {dossier.code} đã bị từ chối: không có kết quả để trả.")
            if dossier.status == DossierStatus.ACCEPTED:
                # Thủ tục bước 4 hands over the seal and the Giấy chứng nhận: both must have arrived.
                raise BusinessRuleError(
                    f"Hồ sơ {dossier.code} chưa có kết quả (con dấu và Giấy chứng nhận): "
                    "ghi nhận kết quả trước khi trả (Thủ tục bước 4)."
                )
            raise BusinessRuleError(
                f"Hồ sơ {dossier.code} đang ở tình trạng “{dossier.get_status_display()}”: chưa thể trả kết quả."
            )
        checks = _checks(dossier, data)
        entry = ledger_append(
            HandoverEntry,
            chain_key=handover_chain_key(timezone.now()),
            dossier=dossier,
            dossier_code=dossier.code,
            organisation_name=dossier.organisation_name,
            items=HANDED_OVER,
            recipient_name=data.recipient_name.strip(),
            recipient_id_kind=data.recipient_id_kind,
            recipient_id_number=data.recipient_id_number.strip(),
            checks="; ".join(checks),
            recipient_signed=True,
            signature_name=data.signature_name.strip(),
            handed_by=actor,
            note=data.note.strip()[:255],
        )
        dossier.status = DossierStatus.RETURNED
        dossier.returned_at = entry.recorded_at
        tracked_save(dossier, actor=actor, reason="trả kết quả: giao con dấu và Giấy chứng nhận đăng ký mẫu con dấu")
    return entry


def _checks(dossier: Dossier, data: ReturnData) -> list[str]:
    if not data.recipient_name.strip() or not data.recipient_id_number.strip():
        raise BusinessRuleError("Ghi họ tên và số giấy tờ tùy thân của người nhận.", field="recipient_name")
    if not data.receipt_checked:
        raise BusinessRuleError("Phải kiểm tra Giấy tiếp nhận hồ sơ và hẹn trả kết quả.", field="receipt_checked")
    if not data.identity_checked:
        raise BusinessRuleError(
            "Phải kiểm tra Thẻ Căn cước công dân, Chứng minh nhân dân hoặc Hộ chiếu của người nhận.",
            field="identity_checked",
        )
    checks = ["Giấy tiếp nhận hồ sơ", "giấy tờ tùy thân của người nhận"]
    if dossier.channel == Channel.ONLINE:
        if not data.originals_checked:
            raise BusinessRuleError(
                "Hồ sơ nộp trực tuyến: phải đối chiếu bản chính với bản scan đã gửi.", field="originals_checked"
            )
        checks.append("bản chính đối chiếu với bản scan")
    same_person = data.recipient_id_number.strip() == dossier.applicant_id_number
    if not same_person:
        if not data.authorisation_checked:
            raise BusinessRuleError(
                "Người nhận không phải người đã nộp hồ sơ: phải kiểm tra giấy giới thiệu hoặc giấy ủy quyền.",
                field="authorisation_checked",
            )
        checks.append("giấy giới thiệu / ủy quyền của người nhận")
    if not data.recipient_signed or not _same_person(data.signature_name, data.recipient_name):
        raise BusinessRuleError(
            "Người nhận phải ký vào sổ giao nhận con dấu (ghi đúng họ tên của mình).", field="signature_name"
        )
    return checks


def handover_book_issue(*, start: date, end: date, actor) -> IssuedDocument:
    """The handover book for a period as PDF; the same lines give the same stored document."""
    require_role(actor, Role.TIEP_NHAN)
    if end < start:
        raise BusinessRuleError("Ngày kết thúc phải sau ngày bắt đầu.")
    if (end - start).days >= MAX_BOOK_DAYS:
        raise BusinessRuleError("In sổ giao nhận tối đa một năm mỗi lần.")
    entries = list(handover_entries_between(start=start, end=end))
    last = max((e.id for e in entries), default=0)
    body = IssuingBody.current()
    return document_issue(
        kind=DocumentKind.HANDOVER_BOOK,
        title=DocumentKind.HANDOVER_BOOK.label,
        template_name="registrations/documents/so_giao_nhan.html",
        context={
            "issuing_body": body,
            "body_parent_name": body.police_parent_name,
            "body_name": body.police_unit_name,
            "entries": entries,
            "start": start,
            "end": end,
        },
        subject=body,
        actor=actor,
        public_summary={"Sổ giao nhận con dấu": f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}", "Số mục": len(entries)},
        key=f"{start:%Y%m%d}-{end:%Y%m%d}-{len(entries)}-{last}",
    )
