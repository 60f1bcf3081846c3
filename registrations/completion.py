"""Scanned versions of a dossier.

Online completion (Thủ tục bước 3, second case): the applicant sees on /lookup/ what the desk decided
and uploads the completed PDF against the same mã hồ sơ; the desk checks it as a new version.
At the counter: the clerk scans each paper document while checking it (intake or a later check), with
the same PDF checks as /submit/, stored in the same numbered versions.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.history import tracked_save
from tuson_hcc.documents.uploads import pdf_upload_check

from .choices import DossierStatus, ItemState
from .models import ChecklistItem, Dossier, ScanVersion
from .numbering import lookup_secret_matches
from .online import pdf_upload_validate, scan_sha256, upload_max_bytes
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


def scan_versions_mark_checked(dossier: Dossier, *, actor) -> None:
    """Called by the desk's check: every version it had before it is now checked, each in its history."""
    now = timezone.now()
    for version in ScanVersion.objects.filter(dossier=dossier, checked_at__isnull=True):
        version.checked_at = now
        tracked_save(version, actor=actor, reason="kiểm tra bản nộp bổ sung")


# The papers the applicant handed in: what a counter scan may be of, and what "digitised" needs scanned.
HANDED_IN = (ItemState.PRESENT, ItemState.INVALID)


def counter_scans_validate(checklist: dict, names: dict) -> None:
    """Before anything is written: each scan attached at the counter passes /submit/'s PDF checks.

    `checklist`: RequiredDocument id → CheckResult; `names`: RequiredDocument id → the document's name.
    """
    for document_id, result in checklist.items():
        if result.scan is None:
            continue
        try:
            pdf_upload_check(result.scan, field=f"doc_{document_id}_scan", max_bytes=upload_max_bytes())
        except BusinessRuleError as error:
            raise BusinessRuleError(
                f"Bản scan “{names.get(document_id, '')}”: {error.message}", field=error.field
            ) from error
        if result.state not in HANDED_IN:
            raise BusinessRuleError(
                f"Bản scan “{names.get(document_id, '')}”: chỉ quét giấy tờ người nộp đã đưa "
                "(có, hợp lệ hoặc không hợp lệ).",
                field=f"doc_{document_id}_scan",
            )


def counter_scans_store(
    *, dossier: Dossier, items: list[ChecklistItem], checklist: dict, actor, stored: list
) -> list[ScanVersion]:
    """Inside the deciding transaction: one version per paper scanned at the counter, checked as stored.

    The names of the files written are appended to `stored`, for the caller to remove on a rollback.
    """
    scans = [
        (item, checklist[item.required_document_id].scan) for item in items if item.required_document_id in checklist
    ]
    scans = [(item, upload) for item, upload in scans if upload is not None]
    if not scans:
        return []
    last = dossier.scan_versions.aggregate(n=Max("number"))["n"] or (1 if dossier.scan else 0)
    now = timezone.now()
    versions = []
    for number, (item, upload) in enumerate(scans, start=last + 1):
        version = ScanVersion(
            dossier=dossier,
            number=number,
            checklist_item=item,
            scanned_by=actor,
            sha256=scan_sha256(upload),
            size=upload.size,
            submitted_at=now,
            checked_at=now,
        )
        version.file.save("quet-tai-quay.pdf", upload, save=False)
        stored.append(version.file.name)
        tracked_save(version, actor=actor, reason=f"quét giấy tờ tại quầy: {item.name}"[:100], db_checks=True)
        versions.append(version)
    return versions


def stored_scans_remove(names: list) -> None:
    storage = ScanVersion._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
