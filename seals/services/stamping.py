"""The stamping log (sổ đóng dấu): recording and correcting stampings.

Quy chế 157: only the Văn thư stamps (Điều 7.3), at the Centre, from the seal in their custody
(Điều 7.1–7.2), only for catalogued "5 tại chỗ" procedures (Điều 2.4, 3, 7.3) of the seal's
agency, unless a written authorisation of the Chairman or Head allows it (Điều 5.3).
NĐ 30/2020: only signed documents (Điều 32); dấu giáp lai at most 5 sheets per impression (Điều 33).
"""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from procedures.models import Procedure
from procedures.selectors import procedure_is_in_force
from tuson_hcc.accounts.permissions import require_role
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.history import tracked_save
from tuson_hcc.ledgers.services import ledger_append

from ..models import ExceptionAuthorisation, Seal, SealCheckout, StampingEntry
from ..models.stamping import DOCUMENT_FIELDS
from .common import seal_lock, seal_refuse_if_incident_open
from .totals import stamping_totals_apply

SHEETS_PER_OVERLAP_IMPRESSION = 5  # NĐ 30/2020, Điều 33


def stamping_chain_key(seal: Seal, when: datetime) -> str:
    """One chain per seal and year: sequence numbers restart at 1 each year, without gaps."""
    return f"seal:{seal.pk}:{timezone.localtime(when).year}"


def _check_document(document: dict, *, on: date) -> None:
    # NĐ 30/2020, Điều 32: the seal goes only on a document already signed by the competent person.
    if not document.get("is_signed") or not (document.get("signer_name") or "").strip():
        raise BusinessRuleError(
            "Văn bản chưa có chữ ký của người có thẩm quyền: không được đóng dấu (NĐ 30/2020/NĐ-CP, Điều 32).",
            field="is_signed",
        )
    for name, label in (
        ("signer_position", "chức vụ người ký"),
        ("document_type", "loại văn bản"),
        ("summary", "trích yếu"),
        ("requested_by", "người đề nghị đóng dấu"),
    ):
        if not (document.get(name) or "").strip():
            raise BusinessRuleError(f"Hãy ghi {label}.", field=name)
    if not document.get("document_date"):
        raise BusinessRuleError("Hãy ghi ngày văn bản.", field="document_date")
    if document["document_date"] > on:
        raise BusinessRuleError("Ngày văn bản không được sau ngày đóng dấu.", field="document_date")
    impressions, sheets = document.get("impressions") or 0, document.get("sheets")
    if impressions < 1 or (document.get("copies") or 0) < 1:
        raise BusinessRuleError("Số bản và số lần đóng dấu phải từ 1 trở lên.", field="impressions")
    if document.get("kind") == StampingEntry.Kind.OVERLAP:
        if not sheets:
            raise BusinessRuleError("Dấu giáp lai: hãy ghi số tờ văn bản được đóng giáp lai.", field="sheets")
        if sheets > SHEETS_PER_OVERLAP_IMPRESSION * impressions:
            raise BusinessRuleError(
                f"Mỗi dấu giáp lai đóng tối đa {SHEETS_PER_OVERLAP_IMPRESSION} tờ: {sheets} tờ cần ít nhất "
                f"{-(-sheets // SHEETS_PER_OVERLAP_IMPRESSION)} lần đóng (NĐ 30/2020/NĐ-CP, Điều 33).",
                field="sheets",
            )
    elif sheets:
        raise BusinessRuleError("Chỉ dấu giáp lai mới ghi số tờ.", field="sheets")


def _check_catalogue(seal: Seal, procedure: Procedure | None, *, on: date) -> None:
    if procedure is None:
        raise BusinessRuleError("Hãy chọn thủ tục hành chính của văn bản.", field="procedure")
    if not procedure_is_in_force(procedure=procedure, on=on):
        raise BusinessRuleError(
            f"Thủ tục “{procedure.name}” không thuộc danh mục TTHC “5 tại chỗ” có hiệu lực ngày {on:%d/%m/%Y}: "
            "không được đóng dấu (Quy chế 157, Điều 2.4, 7.3).",
            field="procedure",
        )
    if procedure.implementing_agency_id not in seal.agency_ids_served():
        raise BusinessRuleError(
            f"Thủ tục “{procedure.name}” thuộc {procedure.implementing_agency}, không phải cơ quan của con dấu "
            f"{seal.code} ({seal.agency}): không được đóng dấu (Quy chế 157, Điều 7.3).",
            field="procedure",
        )


def _use_exception(seal: Seal, exception: ExceptionAuthorisation, *, on: date, actor) -> ExceptionAuthorisation:
    """Điều 5.3: a written authorisation covers the stamping; it is counted down under a row lock."""
    exception = ExceptionAuthorisation.objects.select_for_update().get(pk=exception.pk)
    if exception.seal_id != seal.pk:
        raise BusinessRuleError(
            f"Văn bản cho phép số {exception.document_number} không dành cho con dấu {seal.code}.", field="exception"
        )
    if not exception.valid_from <= on <= exception.valid_until:
        raise BusinessRuleError(
            f"Văn bản cho phép số {exception.document_number} chỉ có hiệu lực từ {exception.valid_from:%d/%m/%Y} "
            f"đến {exception.valid_until:%d/%m/%Y}.",
            field="exception",
        )
    if exception.uses >= exception.max_uses:
        raise BusinessRuleError(
            f"Văn bản cho phép số {exception.document_number} đã dùng hết {exception.max_uses} lần đóng dấu.",
            field="exception",
        )
    exception.uses += 1
    return tracked_save(exception, actor=actor, reason="đóng dấu theo văn bản cho phép (trừ 1 lần)")


def _check_custody(seal: Seal, *, actor, checkout: SealCheckout | None, stamped_at: datetime) -> None:
    if checkout is None:
        # Điều 7.1–7.2: at the Văn thư's desk, from the seal in their own custody.
        if seal.status != Seal.Status.IN_CUSTODY or seal.custodian_id != actor.pk:
            raise BusinessRuleError(
                f"Con dấu {seal.code} không do bạn quản lý tại Trung tâm ({seal.get_status_display()}): "
                "không được đóng dấu (Quy chế 157, Điều 7.1–7.2).",
                field="seal",
            )
        return
    # Off-site stampings are logged by the Văn thư when the seal comes back (Điều 7, 8.4).
    if checkout.seal_id != seal.pk or checkout.returned_at is not None:
        raise BusinessRuleError("Lần mang dấu ra ngoài này không còn mở cho con dấu này.", field="seal")
    # The form gives minutes: a stamping in the minute of the check-out counts as after it.
    if not checkout.checked_out_at.replace(second=0, microsecond=0) <= stamped_at <= timezone.now():
        raise BusinessRuleError(
            "Thời gian đóng dấu ngoài Trung tâm phải trong thời gian con dấu ở ngoài: từ lúc giao "
            f"({timezone.localtime(checkout.checked_out_at):%H:%M %d/%m/%Y}) đến lúc nhận lại "
            "(Quy chế 157, Điều 7.2, 8.4).",
            field="stamped_at",
        )


def stamping_record(
    *,
    seal: Seal,
    procedure: Procedure | None,
    document: dict,
    actor,
    exception: ExceptionAuthorisation | None = None,
    checkout: SealCheckout | None = None,
    stamped_at: datetime | None = None,
    form_token: str | None = None,
) -> StampingEntry:
    """Record one stamping in the seal's log, or refuse it with the rule it breaks; nothing is written then.

    The Văn thư is always `actor` (the signed-in user), never a value from the form.
    """
    require_role(actor, Role.VAN_THU)
    if form_token and (done := StampingEntry.objects.filter(form_token=form_token, clerk=actor).first()):
        return done
    stamped_at = stamped_at if checkout is not None and stamped_at else timezone.now()
    on = timezone.localdate(stamped_at)
    try:
        with transaction.atomic():
            seal = seal_lock(seal)
            seal_refuse_if_incident_open(seal)
            _check_custody(seal, actor=actor, checkout=checkout, stamped_at=stamped_at)
            _check_document(document, on=on)
            if exception is not None:
                exception = _use_exception(seal, exception, on=on, actor=actor)
            else:
                _check_catalogue(seal, procedure, on=on)
            entry = ledger_append(
                StampingEntry,
                chain_key=stamping_chain_key(seal, stamped_at),
                seal=seal,
                procedure=procedure,
                exception=exception,
                clerk=actor,
                stamped_at=stamped_at,
                place=StampingEntry.Place.OFFSITE if checkout else StampingEntry.Place.DESK,
                checkout=checkout,
                form_token=form_token or None,
                history_user=actor,
                history_reason="đóng dấu ngoài Trung tâm" if checkout else "đóng dấu",
                **{
                    name: document.get(name) if name == "sheets" else document.get(name, "") for name in DOCUMENT_FIELDS
                },
            )
            stamping_totals_apply(entry=entry, sign=1)
            return entry
    except IntegrityError:
        # The same form posted twice at once: the first one's entry stands.
        done = StampingEntry.objects.filter(form_token=form_token).first() if form_token else None
        if done is None:
            raise
        return done


def stamping_correct(
    *,
    entry: StampingEntry,
    correction: str,
    reason: str,
    actor,
    procedure: Procedure | None = None,
    document: dict | None = None,
) -> StampingEntry:
    """Void or amend an entry by appending a new one that points at it; the original stays untouched."""
    require_role(actor, Role.VAN_THU)
    reason = (reason or "").strip()
    if not reason:
        raise BusinessRuleError("Hãy ghi lý do đính chính.", field="reason")
    if entry.correction == StampingEntry.Correction.VOID:
        raise BusinessRuleError("Không đính chính một mục hủy.")
    with transaction.atomic():
        seal = seal_lock(entry.seal)
        if StampingEntry.objects.filter(corrects=entry).exists():
            raise BusinessRuleError("Mục này đã được đính chính; hãy đính chính mục mới nhất.")
        original = {name: getattr(entry, name) for name in DOCUMENT_FIELDS}
        if correction == StampingEntry.Correction.VOID:
            procedure, fields = entry.procedure, original
        elif correction == StampingEntry.Correction.AMEND:
            fields = {**original, **(document or {})}
            on = timezone.localdate(entry.stamped_at)
            _check_document({**fields, "is_signed": True}, on=on)
            if entry.exception_id is None:
                _check_catalogue(seal, procedure, on=on)
        else:
            raise BusinessRuleError("Loại đính chính không hợp lệ.")
        correcting = ledger_append(
            StampingEntry,
            chain_key=stamping_chain_key(seal, timezone.now()),
            corrects=entry,
            seal=seal,
            procedure=procedure,
            exception=entry.exception,
            clerk=actor,
            stamped_at=entry.stamped_at,
            place=entry.place,
            checkout=entry.checkout,
            correction=correction,
            correction_reason=reason,
            history_user=actor,
            history_reason=f"đính chính sổ đóng dấu ({StampingEntry.Correction(correction).label.lower()})",
            **fields,
        )
        # The corrected entry no longer stands; an amendment stands in its place, a void does not.
        stamping_totals_apply(entry=entry, sign=-1)
        if correction == StampingEntry.Correction.AMEND:
            stamping_totals_apply(entry=correcting, sign=1)
        return correcting
