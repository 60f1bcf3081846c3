"""Online completion (Thủ tục bước 3, second case): the applicant sees on /lookup/ what the desk decided
and uploads the completed PDF against the same mã hồ sơ; the desk checks it as a new version."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tuson_hcc.core.errors import BusinessRuleError

from .choices import DossierStatus, ItemState
from .models import Dossier, ScanVersion
from .numbering import lookup_secret_matches
from .online import pdf_upload_validate, scan_sha256
from .rating import rating_open


def dossier_for_secret(*, code: str, secret: str) -> Dossier | None:
    """The dossier `code` if `secret` is its lookup secret; None otherwise (same answer for either mistake)."""
    dossier = Dossier.objects.filter(code=code.strip().upper()).first()
    if dossier is None or not lookup_secret_matches(code=dossier.code, secret=secret, stored_hash=dossier.secret_hash):
        return None
    return dossier


def lookup_view(dossier: Dossier) -> dict:
    """What the applicant may read: the status, the appointment, and what the desk decided.

    The missing or invalid documents of the guidance sheet (with the desk's note), the guidance
    note, the refusal reason. Never the personal data of the person sent.
    """
    status = DossierStatus(dossier.status)
    missing = [
        {"name": item.name, "state": item.get_state_display(), "note": item.note}
        for item in dossier.checklist.all()
        if item.state in (ItemState.MISSING, ItemState.INVALID)
    ]
    waiting = dossier.scan_versions.filter(checked_at__isnull=True).exists()
    return {
        "code": dossier.code,
        "status": status.label,
        "due_at": dossier.due_at if status in (DossierStatus.ACCEPTED, DossierStatus.RESULT_READY) else None,
        "returned": status == DossierStatus.RETURNED,
        "missing": missing if status == DossierStatus.INCOMPLETE else [],
        "guidance_note": dossier.guidance_note if status == DossierStatus.INCOMPLETE else "",
        "refusal_reason": dossier.refusal_reason if status == DossierStatus.REFUSED else "",
        "can_complete": status == DossierStatus.INCOMPLETE and not waiting,
        "completion_waiting": status == DossierStatus.INCOMPLETE and waiting,
        "can_rate": rating_open(dossier),
    }


def dossier_complete_online(*, code: str, secret: str, scan) -> ScanVersion:
    """Upload the completed PDF against the same mã hồ sơ, with the same content checks as /submit/."""
    dossier = dossier_for_secret(code=code, secret=secret)
    if dossier is None:
        raise BusinessRuleError("Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này.")
    pdf_upload_validate(scan)
    digest = scan_sha256(scan)
    stored = None
    try:
        with transaction.atomic():
            dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
            if dossier.status != DossierStatus.INCOMPLETE:
                raise BusinessRuleError(
                    f"Hồ sơ {dossier.code} đang ở tình trạng “{dossier.get_status_display()}”: "
                    "chỉ nộp bổ sung khi được hướng dẫn hoàn thiện hồ sơ."
                )
            if dossier.scan_versions.filter(checked_at__isnull=True).exists():
                raise BusinessRuleError("Bản bổ sung trước đang chờ bộ phận tiếp nhận kiểm tra.", field="scan")
            last = dossier.scan_versions.aggregate(n=Max("number"))["n"] or 1
            version = ScanVersion(dossier=dossier, number=last + 1, sha256=digest, size=scan.size)
            version.file.save("bo-sung.pdf", scan, save=False)
            stored = version.file.name
            version._change_reason = "nộp bổ sung hồ sơ trực tuyến"
            version.save()
    except BaseException:
        if stored:
            ScanVersion._meta.get_field("file").storage.delete(stored)
        raise
    return version


def scan_versions_mark_checked(dossier: Dossier) -> None:
    """Called by the desk's check: every version it had before it is now checked."""
    ScanVersion.objects.filter(dossier=dossier, checked_at__isnull=True).update(checked_at=timezone.now())
