"""The Director's oversight: exception authorisations (Điều 5.3), incidents (Điều 9), inspections (Điều 5.4)."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tuson_hcc.accounts.permissions import require_role
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.history import tracked_save
from tuson_hcc.documents.uploads import pdf_upload_check
from tuson_hcc.jobs.runs import job_run_start
from tuson_hcc.ledgers.models import LedgerHead
from tuson_hcc.ledgers.services import ledger_label
from tuson_hcc.ledgers.verify import verify_ledger

from ..models import CustodyEntry, ExceptionAuthorisation, Inspection, Seal, SealIncident, StampingEntry
from .common import seal_lock, seal_set_status


def exception_record(
    *,
    seal: Seal,
    document_number: str,
    document_date: date,
    signed_by: str,
    scan,
    purpose: str,
    valid_from: date,
    valid_until: date,
    max_uses: int,
    actor,
) -> ExceptionAuthorisation:
    """The Director records the Chairman's or Head's written authorisation to stamp outside the catalogue."""
    require_role(actor, Role.GIAM_DOC)
    # Điều 5.3 asks for the written consent itself: its scan must be a real PDF.
    pdf_upload_check(scan, field="scan", missing="Hãy tải lên bản chụp văn bản cho phép (PDF).")
    if valid_until < valid_from:
        raise BusinessRuleError("Ngày hết hiệu lực phải từ ngày bắt đầu trở đi.", field="valid_until")
    if max_uses < 1:
        raise BusinessRuleError("Số lần đóng dấu tối đa phải từ 1 trở lên.", field="max_uses")
    if document_date > timezone.localdate():
        raise BusinessRuleError("Ngày văn bản không được sau hôm nay.", field="document_date")
    authorisation = ExceptionAuthorisation(
        seal=seal,
        document_number=document_number,
        document_date=document_date,
        signed_by=signed_by,
        scan=scan,
        purpose=purpose,
        valid_from=valid_from,
        valid_until=valid_until,
        max_uses=max_uses,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    return tracked_save(authorisation, actor=actor, reason="Giám đốc ghi nhận văn bản cho phép ngoài danh mục")


def incident_report(*, seal: Seal, kind: str, description: str, actor) -> SealIncident:
    """A lost or damaged seal is reported; stamping with it stops until the Director closes the incident."""
    require_role(actor, Role.VAN_THU, Role.GIAM_DOC)
    with transaction.atomic():
        seal = seal_lock(seal)
        if SealIncident.objects.filter(seal=seal, closed_at__isnull=True).exists():
            raise BusinessRuleError(f"Con dấu {seal.code} đã có sự cố đang xử lý.", field="seal")
        incident = SealIncident(
            seal=seal,
            kind=kind,
            description=description,
            reported_by=actor,
            reported_at=timezone.now(),
            status_before=seal.status,
        )
        tracked_save(incident, actor=actor, reason="báo cáo sự cố con dấu")
        status = Seal.Status.LOST if kind == SealIncident.Kind.LOST else Seal.Status.SUSPENDED
        seal_set_status(seal, status=status, custodian=seal.custodian, actor=actor, reason="sự cố con dấu")
    return incident


def incident_close(*, incident: SealIncident, outcome: str, resolution: str, actor) -> SealIncident:
    """The Director closes an incident: the seal is used again, or retired."""
    require_role(actor, Role.GIAM_DOC)
    if not resolution.strip():
        raise BusinessRuleError("Hãy ghi biện pháp xử lý.", field="resolution")
    with transaction.atomic():
        incident = SealIncident.objects.select_for_update().get(pk=incident.pk)
        if not incident.is_open:
            raise BusinessRuleError("Sự cố này đã được kết thúc.")
        seal = seal_lock(incident.seal)
        incident.closed_by, incident.closed_at = actor, timezone.now()
        incident.outcome, incident.resolution = outcome, resolution
        tracked_save(incident, actor=actor, reason="Giám đốc kết thúc sự cố")
        if outcome == SealIncident.Outcome.RETIRED:
            seal_set_status(
                seal, status=Seal.Status.RETIRED, custodian=None, actor=actor, reason="thôi sử dụng con dấu"
            )
        else:
            restored = incident.status_before
            if restored in (Seal.Status.LOST, Seal.Status.SUSPENDED, Seal.Status.RETIRED):
                restored = Seal.Status.IN_CUSTODY
            seal_set_status(seal, status=restored, custodian=seal.custodian, actor=actor, reason="khôi phục sử dụng")
    return incident


def _seal_chain_length(seal: Seal) -> int:
    heads = LedgerHead.objects.filter(
        Q(ledger=ledger_label(StampingEntry), chain_key__startswith=f"seal:{seal.pk}:")
        | Q(ledger=ledger_label(CustodyEntry), chain_key=f"custody:{seal.pk}")
    )
    return sum(heads.values_list("last_sequence", flat=True))


def seal_chains_verify(seal: Seal) -> list:
    """Chain checks of the seal's stamping logs (every year) and its custody ledger."""
    reports = []
    stamping_chains = LedgerHead.objects.filter(
        ledger=ledger_label(StampingEntry), chain_key__startswith=f"seal:{seal.pk}:"
    ).values_list("chain_key", flat=True)
    for chain_key in stamping_chains:
        reports.extend(verify_ledger(StampingEntry, chain_key))
    reports.extend(verify_ledger(CustodyEntry, f"custody:{seal.pk}"))
    return reports


def _inspection_check(seals: list[Seal], actor) -> None:
    require_role(actor, Role.GIAM_DOC)
    if not seals:
        raise BusinessRuleError("Hãy chọn ít nhất một con dấu được kiểm tra.", field="seals")


def inspection_start(*, seals: list[Seal], condition: str, findings: str, actions: str, actor):
    """The Director's inspection (Điều 5.4), queued: the worker verifies the chains, then records it.

    Returns the JobRun the page follows (tuson_hcc.jobs.runs)."""
    _inspection_check(seals, actor)
    return job_run_start(
        kind="inspection",
        title="Kiểm tra con dấu: " + ", ".join(seal.code for seal in seals),
        func="seals.services.oversight.inspection_job",
        actor=actor,
        seal_ids=[seal.pk for seal in seals],
        condition=condition,
        findings=findings,
        actions=actions,
        actor_id=actor.pk,
    )


def inspection_job(*, progress, seal_ids: list[int], condition: str, findings: str, actions: str, actor_id: int):
    from tuson_hcc.accounts.models import User

    seals = list(Seal.objects.filter(pk__in=seal_ids).order_by("code"))
    inspection = inspection_record(
        seals=seals,
        condition=condition,
        findings=findings,
        actions=actions,
        actor=User.objects.get(pk=actor_id),
        progress=progress,
    )
    verdict = "toàn vẹn" if inspection.ledger_ok else "CÓ MỤC BỊ SỬA ĐỔI"
    return {
        "ok": inspection.ledger_ok,
        "summary": f"Đã ghi biên bản kiểm tra; sổ đóng dấu: {verdict}.",
        "lines": inspection.ledger_result.splitlines(),
        "url": reverse("seals:inspection_list"),
        "url_label": "Về danh sách kiểm tra con dấu",
    }


def inspection_record(
    *, seals: list[Seal], condition: str, findings: str, actions: str, actor, progress=None
) -> Inspection:
    """The Director inspects seals (Điều 5.4); the ledgers are verified now and the result kept.

    `progress(done, total)` hears the entries checked after each seal (the worker's JobRun)."""
    _inspection_check(seals, actor)
    progress = progress or (lambda done, total: None)
    total = sum(_seal_chain_length(seal) for seal in seals)
    lines, ok, done = [], True, 0
    progress(0, total)
    for seal in seals:
        reports = seal_chains_verify(seal)
        done += sum(report.entries for report in reports)
        progress(done, max(done, total))
        for report in reports:
            if report.ok:
                lines.append(f"{seal.code} {report.chain_key}: {report.entries} mục, toàn vẹn.")
            else:
                ok = False
                lines.append(
                    f"{seal.code} {report.chain_key}: HỎNG tại mục số {report.broken_sequence} ({report.reason})."
                )
    with transaction.atomic():
        inspection = Inspection(
            inspected_at=timezone.now(),
            inspector=actor,
            condition=condition,
            ledger_ok=ok,
            ledger_result="\n".join(lines) or "Chưa có mục sổ nào.",
            findings=findings,
            actions=actions,
        )
        tracked_save(inspection, actor=actor, reason="Giám đốc kiểm tra con dấu")
        inspection.seals.set(seals)
    return inspection
