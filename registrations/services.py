"""Intake and its outcomes (Thủ tục "Đăng ký mẫu con dấu mới", bước 2–3): every write is one function here.

Each service checks the role (tiếp nhận) and the dossier's status against `choices.ALLOWED`, writes
inside one transaction with a history reason naming the action, then issues the outcome's document
(Mẫu 01–04). Documents are issued after the state change commits: a rendering failure never loses
the dossier, and `paperwork.dossier_paper_issue` can issue it again from the detail page.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from simple_history.utils import bulk_create_with_history

from tuson_hcc.accounts.permissions import require_role
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.history import field_rules_check, tracked_save
from tuson_hcc.core.models import IssuingBody

from . import notify, paperwork
from .choices import ALLOWED, Channel, DossierStatus, ItemForm, ItemState
from .completion import counter_scans_store, counter_scans_validate, scan_versions_mark_checked, stored_scans_remove
from .lookup_secret import lookup_secret_draw
from .models import ChecklistItem, Dossier, OrganisationType
from .numbering import (
    SECRET_ALPHABET,
    SECRET_LENGTH,
    appointment_at,
    dossier_numbers_allocate,
    lookup_secret_hash,
    processing_terms,
    seal_registration_procedure,
)
from .result import apology_due
from .selectors import required_documents_for

logger = logging.getLogger(__name__)

DOSSIER_FIELDS = (
    "organisation_name",
    "organisation_type",
    "organisation_address",
    "founding_document",
    "applicant_name",
    "applicant_id_kind",
    "applicant_id_number",
    "authorisation_kind",
    "applicant_phone",
    "applicant_email",
    "channel",
    "delivery_place",
)


@dataclass(frozen=True)
class CheckResult:
    """What one check of the dossier's documents produced: the item and how it was found."""

    state: str
    form: str = ""
    note: str = ""
    scan: object = None  # the clerk's scan of this paper (an uploaded PDF), stored as a ScanVersion


@dataclass
class Outcome:
    dossier: Dossier
    document: object | None  # the IssuedDocument of the outcome, None if it could not be issued now
    created: bool = True
    secret: str | None = None  # a lookup secret drawn by this decision: print it on the slip, never store it
    issuing_body: IssuingBody | None = None  # read by the service that made the outcome, for the slip


def _transition(dossier: Dossier, target: DossierStatus) -> None:
    if target not in ALLOWED[DossierStatus(dossier.status)]:
        raise BusinessRuleError(
            f"Hồ sơ {dossier.code} đang ở tình trạng “{dossier.get_status_display()}”: "
            f"không thể chuyển sang “{target.label}”."
        )
    dossier.status = target


def _submitted_with(idempotency_key: str) -> Dossier | None:
    """The dossier of a form's one-time key (unique), if any. Not `.first()`: its ORDER BY … LIMIT would be
    planned anew on every intake (core.dbcursor), this statement stays prepared."""
    return next(iter(Dossier.objects.filter(idempotency_key=idempotency_key)), None)


def _locked(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


# --- intake -------------------------------------------------------------------------------------


def dossier_receive(
    *,
    data: dict,
    actor,
    checklist: dict | None = None,
    refusal_reason: str = "",
    guidance_note: str = "",
    idempotency_key: str | None = None,
    received_at: datetime | None = None,
) -> Outcome:
    """Receive a dossier at a desk (Thủ tục bước 2–3) and, when the checklist is given, decide at once.

    `data` holds the fields of `DOSSIER_FIELDS`; `checklist` maps RequiredDocument id → CheckResult.
    With a checklist: `refusal_reason` refuses (Mẫu 03), a complete checklist accepts (Mẫu 01 with
    the appointment), otherwise the applicant is guided (Mẫu 02). Without one (post, online), the
    dossier waits for `dossier_check`. The same `idempotency_key` twice returns the first dossier.
    """
    require_role(actor, Role.TIEP_NHAN)
    if idempotency_key:
        existing = _submitted_with(idempotency_key)
        if existing is not None:
            return Outcome(existing, paperwork.outcome_document(existing), created=False)
    if checklist and any(result.scan is not None for result in checklist.values()):
        org_type = data.get("organisation_type")
        names = (
            {d.pk: d.name for d in required_documents_for(org_type)} if isinstance(org_type, OrganisationType) else {}
        )
        counter_scans_validate(checklist, names)
    stored = []
    # Read once for the dossier's number, its document, its notifications and the desk's slip.
    body = IssuingBody.current()
    try:
        with transaction.atomic():
            dossier, items = _create(
                data=data,
                actor=actor,
                idempotency_key=idempotency_key,
                received_at=received_at,
                checklist=checklist,
                unit_code=body.unit_code,
            )
            secret = None
            if checklist is not None:
                counter_scans_store(dossier=dossier, items=items, checklist=checklist, actor=actor, stored=stored)
                # Created just above, in this transaction: its one version is known without reading it.
                _decide(
                    dossier,
                    items,
                    actor=actor,
                    refusal_reason=refusal_reason,
                    guidance_note=guidance_note,
                    after_own_version=True,
                )
                secret = lookup_secret_draw(dossier)
    except (IntegrityError, ValidationError):
        stored_scans_remove(stored)
        # The same form submitted twice at the same instant: the first one stands.
        existing = _submitted_with(idempotency_key) if idempotency_key else None
        if existing is None:
            raise
        return Outcome(existing, paperwork.outcome_document(existing), created=False)
    except BaseException:
        stored_scans_remove(stored)
        raise
    # Just created and committed by us: the dossier and its checklist in memory are current, no need
    # to read them again, and it has no document yet.
    document = _issue_outcome(dossier, actor=actor, checklist=items, issuing_body=body, created=True)
    outcome = Outcome(dossier, document, secret=secret, issuing_body=body)
    return _told(outcome, actor=actor) if checklist is not None else outcome


def _create(
    *,
    data: dict,
    actor,
    idempotency_key,
    received_at,
    checklist,
    scan=None,
    scan_sha256="",
    secret_hash="",
    unit_code: str | None = None,
) -> tuple[Dossier, list[ChecklistItem]]:
    org_type = data.get("organisation_type")
    if not isinstance(org_type, OrganisationType) or not org_type.is_active:
        raise BusinessRuleError("Chọn loại cơ quan, tổ chức đang áp dụng.", field="organisation_type")
    received_at = received_at or timezone.now()
    procedure = seal_registration_procedure()
    days, _ = processing_terms(procedure)
    code, year, line = dossier_numbers_allocate(received_at=received_at, unit_code=unit_code)
    dossier = Dossier(
        **{name: data[name] for name in DOSSIER_FIELDS if name in data},
        code=code,
        register_year=year,
        register_number=line,
        procedure=procedure,
        processing_days=days,
        received_at=received_at,
        received_by=actor,
        status=DossierStatus.RECEIVED,
        idempotency_key=idempotency_key or None,
        scan_sha256=scan_sha256,
        secret_hash=secret_hash,
    )
    if scan is not None:
        dossier.scan = scan
    reason = "nhận hồ sơ trực tuyến" if dossier.channel == Channel.ONLINE else "nhận hồ sơ"
    tracked_save(dossier, actor=actor, reason=reason, db_checks=True)
    items = _checklist_create(dossier, actor=actor, results=checklist or {})
    return dossier, items


def _checklist_create(dossier: Dossier, *, actor, results: dict) -> list[ChecklistItem]:
    """One row per document required for the organisation's type (Thủ tục mục c), at its current wording.

    All rows in one INSERT and their history rows in another (same user and reason as one save
    each); returned in the checklist's own order (`ChecklistItem.Meta.ordering`).
    """
    documents = required_documents_for(dossier.organisation_type)
    unknown = set(results) - {d.pk for d in documents}
    if unknown:
        raise BusinessRuleError("Danh mục giấy tờ không khớp với loại cơ quan, tổ chức đã chọn.")
    items = []
    for document in documents:
        result = results.get(document.pk, CheckResult(ItemState.UNCHECKED))
        item = ChecklistItem(
            dossier=dossier,
            required_document=document,
            name=document.name,
            conditional=document.conditional,
            order=(0 if document.organisation_type_id is None else 100) + document.order,
        )
        _apply_result(item, result)
        # One row per (dossier, document) is guarded by checklist_one_row_per_document.
        field_rules_check(item)
        items.append(item)
    bulk_create_with_history(
        items, ChecklistItem, default_user=actor, default_change_reason="kiểm tra thành phần hồ sơ"
    )
    return sorted(items, key=lambda item: (item.order, item.pk))


def _apply_result(item: ChecklistItem, result: CheckResult) -> None:
    if result.state not in ItemState.values:
        raise BusinessRuleError(f"Kết quả kiểm tra không hợp lệ cho “{item.name}”.")
    if result.state == ItemState.NOT_APPLICABLE and not item.conditional:
        raise BusinessRuleError(f"“{item.name}” là giấy tờ bắt buộc, không thể ghi “Không áp dụng”.")
    if result.state == ItemState.PRESENT and result.form not in ItemForm.values:
        raise BusinessRuleError(f"Ghi hình thức (bản chính, bản chứng thực, bản photo) cho “{item.name}”.")
    item.state = result.state
    item.form = result.form if result.state in (ItemState.PRESENT, ItemState.INVALID) else ""
    item.note = result.note[:255]


# --- check and outcomes (Thủ tục bước 3) ---------------------------------------------------------------


def dossier_check(
    *, dossier: Dossier, checklist: dict, actor, refusal_reason: str = "", guidance_note: str = ""
) -> Outcome:
    """Check (again) a received or completed dossier and decide: accept, guide or refuse."""
    require_role(actor, Role.TIEP_NHAN)
    if any(result.scan is not None for result in checklist.values()):
        counter_scans_validate(checklist, {item.required_document_id: item.name for item in dossier.checklist.all()})
    stored = []
    try:
        with transaction.atomic():
            dossier = _locked(dossier)
            if dossier.status not in (DossierStatus.RECEIVED, DossierStatus.INCOMPLETE):
                raise BusinessRuleError(f"Hồ sơ {dossier.code} đã có kết quả kiểm tra: {dossier.get_status_display()}.")
            items = {item.required_document_id: item for item in dossier.checklist.select_for_update()}
            if set(checklist) - set(items):
                raise BusinessRuleError("Danh mục giấy tờ không khớp với hồ sơ.")
            for document_id, result in checklist.items():
                item = items[document_id]
                if (item.state, item.form, item.note) == (result.state, result.form, result.note):
                    continue
                _apply_result(item, result)
                tracked_save(item, actor=actor, reason="kiểm tra lại thành phần hồ sơ", db_checks=True)
            scan_versions_mark_checked(dossier, actor=actor)
            counter_scans_store(
                dossier=dossier, items=list(items.values()), checklist=checklist, actor=actor, stored=stored
            )
            _decide(
                dossier, list(items.values()), actor=actor, refusal_reason=refusal_reason, guidance_note=guidance_note
            )
            secret = lookup_secret_draw(dossier)
    except BaseException:
        stored_scans_remove(stored)
        raise
    return _told(Outcome(dossier, _issue_outcome(dossier, actor=actor), created=False, secret=secret), actor=actor)


def _decide(
    dossier: Dossier,
    items: list[ChecklistItem],
    *,
    actor,
    refusal_reason: str,
    guidance_note: str,
    after_own_version: bool = False,
) -> None:
    """`items` is the dossier's whole checklist as just written; `after_own_version`: see `tracked_save`."""
    if refusal_reason.strip():
        _refuse(dossier, reason=refusal_reason, actor=actor, after_own_version=after_own_version)
    elif all(item.is_satisfied for item in items):
        _accept(dossier, actor=actor, items=items, after_own_version=after_own_version)
    else:
        _request_completion(dossier, actor=actor, note=guidance_note, items=items, after_own_version=after_own_version)


def _accept(
    dossier: Dossier, *, actor, items: list[ChecklistItem] | None = None, after_own_version: bool = False
) -> None:
    items = list(dossier.checklist.all()) if items is None else items
    missing = [item.name for item in items if not item.is_satisfied]
    if missing:
        raise BusinessRuleError("Hồ sơ chưa đủ thành phần: " + "; ".join(missing) + ".")
    _transition(dossier, DossierStatus.ACCEPTED)
    now = timezone.now()
    # Counted from the receipt of the complete dossier: a completed dossier counts from its completion.
    complete_at = dossier.received_at if dossier.completion_round == 0 else now
    days, cutoff = processing_terms(dossier.procedure)
    dossier.processing_days = days
    dossier.accepted_at = now
    dossier.due_at = appointment_at(complete_at=complete_at, days=days, cutoff=cutoff)
    dossier.due_date = timezone.localtime(dossier.due_at).date()
    tracked_save(
        dossier,
        actor=actor,
        reason="tiếp nhận hồ sơ đủ thành phần, hẹn trả kết quả",
        db_checks=True,
        after_own_version=after_own_version,
    )


def _request_completion(
    dossier: Dossier, *, actor, note: str, items: list[ChecklistItem] | None = None, after_own_version: bool = False
) -> None:
    items = list(dossier.checklist.all()) if items is None else items
    if all(item.is_satisfied for item in items):
        raise BusinessRuleError("Hồ sơ đã đủ thành phần: tiếp nhận thay vì yêu cầu bổ sung.")
    _transition(dossier, DossierStatus.INCOMPLETE)
    dossier.completion_round += 1
    dossier.guidance_note = note.strip()
    tracked_save(
        dossier,
        actor=actor,
        reason="hướng dẫn bổ sung, hoàn thiện hồ sơ",
        db_checks=True,
        after_own_version=after_own_version,
    )


def _refuse(dossier: Dossier, *, reason: str, actor, after_own_version: bool = False) -> None:
    if not reason.strip():
        raise BusinessRuleError("Nêu rõ lý do từ chối tiếp nhận hồ sơ.", field="refusal_reason")
    _transition(dossier, DossierStatus.REFUSED)
    dossier.refusal_reason = reason.strip()
    tracked_save(
        dossier, actor=actor, reason="từ chối tiếp nhận hồ sơ", db_checks=True, after_own_version=after_own_version
    )


def dossier_apologise_late(*, dossier: Dossier, new_due_at: datetime, reason: str, actor) -> Outcome:
    """The dossier will be late: a new appointment and Mẫu 04 (Phiếu xin lỗi và hẹn lại ngày trả kết quả)."""
    require_role(actor, Role.TIEP_NHAN)
    if not reason.strip():
        raise BusinessRuleError("Nêu lý do chậm trả kết quả.", field="reason")
    with transaction.atomic():
        dossier = _locked(dossier)
        if dossier.status != DossierStatus.ACCEPTED:
            raise BusinessRuleError("Chỉ hẹn lại với hồ sơ đã tiếp nhận và chưa có kết quả.")
        if not apology_due(dossier):
            raise BusinessRuleError(
                "Chỉ lập Phiếu xin lỗi và hẹn lại (Mẫu 04) khi hồ sơ đã hoặc sắp quá hạn "
                f"(hẹn trả trong {settings.REGISTRATION_APOLOGY_WORKING_DAYS} ngày làm việc tới)."
            )
        if new_due_at <= dossier.due_at:
            raise BusinessRuleError("Ngày hẹn mới phải sau ngày hẹn hiện tại.", field="new_due_at")
        _transition(dossier, DossierStatus.ACCEPTED)
        dossier.original_due_at = dossier.original_due_at or dossier.due_at
        dossier.due_at = new_due_at
        dossier.due_date = timezone.localtime(new_due_at).date()
        dossier.apology_count += 1
        dossier.apology_reason = reason.strip()
        tracked_save(dossier, actor=actor, reason="xin lỗi và hẹn lại ngày trả kết quả", db_checks=True)
    return _told(Outcome(dossier, _issue_outcome(dossier, actor=actor), created=False), actor=actor)


def _told(outcome: Outcome, *, actor) -> Outcome:
    """Tell the applicant of the decision just committed (DESIGN.md section 10); never undoes it."""
    dossier = outcome.dossier
    event = {
        DossierStatus.ACCEPTED: notify.APOLOGY if dossier.apology_count else notify.RECEIPT,
        DossierStatus.INCOMPLETE: notify.GUIDANCE,
        DossierStatus.REFUSED: notify.REFUSAL,
    }.get(dossier.status)
    if event is None:
        return outcome
    # The online applicant's secret goes in the receipt's e-mail (issue 11 point 9): derived, never stored.
    online_key = dossier.channel == Channel.ONLINE and event == notify.RECEIPT and dossier.idempotency_key
    secret = lookup_secret_for_key(dossier.idempotency_key) if online_key else None
    try:
        notify.dossier_notify(
            dossier=dossier,
            event=event,
            actor=actor,
            document=outcome.document,
            secret=secret,
            issuing_body=outcome.issuing_body,
        )
    except Exception:  # noqa: BLE001 - the decision is committed; the desk sees who was not told
        logger.exception("could not queue the notifications of dossier %s", dossier.code)
    return outcome


def _issue_outcome(
    dossier: Dossier,
    *,
    actor,
    checklist: list[ChecklistItem] | None = None,
    issuing_body: IssuingBody | None = None,
    created: bool = False,
):
    """The outcome's document; a failure to render is logged and left for a later re-issue.

    `checklist` given: `dossier` and these items are current (just committed by the caller) and
    are not read again; `created`: the caller created the dossier (see `dossier_paper_issue_current`).
    """
    try:
        if checklist is not None:
            return paperwork.dossier_paper_issue_current(
                dossier=dossier, actor=actor, checklist=checklist, issuing_body=issuing_body, created=created
            )
        return paperwork.dossier_paper_issue(dossier=dossier, actor=actor)
    except BusinessRuleError:
        raise
    except Exception:  # noqa: BLE001 - the dossier is committed; the detail page offers "phát hành lại"
        logger.exception("could not issue the document of dossier %s", dossier.code)
        return None


# --- online channel (/submit/, Thủ tục mục b) ----------------------------------------------------------


def dossier_submit_online(*, data: dict, scan, idempotency_key: str) -> tuple[Outcome, str]:
    """A public submission with one scanned PDF: the dossier waits in "received" for the intake desk.

    Returns the outcome and the lookup secret for the applicant. The secret is derived from the
    form's one-time key (so a double-submitted form shows the same code and secret) and only its
    keyed hash is stored. `scan` must already have passed `online.pdf_upload_validate`; it is checked
    again here, before anything is written.
    """
    from .online import pdf_upload_validate, scan_sha256

    if not idempotency_key:
        raise BusinessRuleError("Biểu mẫu đã hết hạn, vui lòng tải lại trang.")
    secret = lookup_secret_for_key(idempotency_key)
    existing = _submitted_with(idempotency_key)
    if existing is not None:
        return Outcome(existing, None, created=False), secret
    pdf_upload_validate(scan)
    data = {**data, "channel": Channel.ONLINE}
    dossier = None
    try:
        with transaction.atomic():
            dossier, _items = _create(
                data=data,
                actor=None,
                idempotency_key=idempotency_key,
                received_at=None,
                checklist=None,
                scan=scan,
                scan_sha256=scan_sha256(scan),
                secret_hash="pending",
            )
            dossier.secret_hash = lookup_secret_hash(code=dossier.code, secret=secret)
            Dossier.objects.filter(pk=dossier.pk).update(secret_hash=dossier.secret_hash)
    except (IntegrityError, ValidationError):
        if dossier is not None and dossier.scan:
            dossier.scan.storage.delete(dossier.scan.name)
        existing = _submitted_with(idempotency_key)
        if existing is None:
            raise
        return Outcome(existing, None, created=False), secret
    except BaseException:
        if dossier is not None and dossier.scan:
            dossier.scan.storage.delete(dossier.scan.name)
        raise
    try:
        notify.dossier_notify(dossier=dossier, event=notify.SUBMITTED, secret=secret)
    except Exception:  # noqa: BLE001 - the submission is committed and its secret shown on screen
        logger.exception("could not queue the acknowledgement of dossier %s", dossier.code)
    return Outcome(dossier, None), secret


def lookup_secret_for_key(idempotency_key: str) -> str:
    """The online applicant's secret, a keyed function of the form's one-time key (never stored)."""
    digest = salted_hmac("registrations.online-secret", idempotency_key, algorithm="sha256").digest()
    return "".join(SECRET_ALPHABET[b % len(SECRET_ALPHABET)] for b in digest[:SECRET_LENGTH])
