"""Custody at the desk: the Văn thư hands a seal to someone else only with the Director's consent.

Quy chế 157, Điều 7.2, 7.4; every handover has its biên bản giao nhận (NĐ 30/2020, Điều 32).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from tuson_hcc.accounts.permissions import require_role, user_has_role
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.history import tracked_save
from tuson_hcc.documents.services import document_issue
from tuson_hcc.ledgers.services import ledger_append

from ..models import CustodyEntry, HandoverConsent, Seal
from .common import seal_lock, seal_refuse_if_incident_open, seal_set_status

MINUTE_KIND = "bien_ban_giao_nhan_con_dau"


def handover_consent_grant(*, seal: Seal, recipient, purpose: str, valid_until: datetime, actor) -> HandoverConsent:
    """The Director consents in writing to the seal being handed to `recipient` (Điều 7.4)."""
    require_role(actor, Role.GIAM_DOC)
    if valid_until <= timezone.now():
        raise BusinessRuleError("Thời hạn đồng ý phải sau thời điểm hiện tại.", field="valid_until")
    if user_has_role(recipient, Role.VAN_THU):
        raise BusinessRuleError("Giao cho Văn thư khác không cần ý kiến của Giám đốc.", field="recipient")
    consent = HandoverConsent(
        seal=seal,
        recipient=recipient,
        purpose=purpose,
        valid_until=valid_until,
        granted_by=actor,
        granted_at=timezone.now(),
    )
    return tracked_save(consent, actor=actor, reason="Giám đốc đồng ý giao con dấu")


def custody_append(
    *, seal: Seal, movement: str, giver, receiver, actor, minute_extra: dict | None = None, **fields
) -> CustodyEntry:
    """One line in the seal's custody ledger, plus its biên bản giao nhận."""
    entry = ledger_append(
        CustodyEntry,
        chain_key=f"custody:{seal.pk}",
        seal=seal,
        movement=movement,
        giver=giver,
        receiver=receiver,
        occurred_at=timezone.now(),
        recorded_by=actor,
        history_user=actor,
        history_reason=CustodyEntry.Movement(movement).label.lower(),
        **fields,
    )
    custody_minute_issue(entry=entry, actor=actor, extra=minute_extra)
    return entry


def custody_minute_issue(*, entry: CustodyEntry, actor, extra: dict | None = None):
    """The biên bản giao nhận con dấu of one handover, rendered once (DESIGN.md section 3).

    Only the Văn thư, who hands the seal over or takes it back, issues it (Quy chế 157, Điều 7.4).
    """
    from tuson_hcc.core.models import IssuingBody

    require_role(actor, Role.VAN_THU)

    return document_issue(
        kind=MINUTE_KIND,
        title="Biên bản giao nhận con dấu",
        template_name="seals/documents/custody_minute.html",
        context={"entry": entry, "body": IssuingBody.current(), **(extra or {})},
        subject=entry,
        actor=actor,
        public_summary={
            "Con dấu": entry.seal.code,
            "Nội dung": entry.get_movement_display(),
            "Thời điểm": timezone.localtime(entry.occurred_at).strftime("%H:%M %d/%m/%Y"),
        },
    )


def seal_hand_over(*, seal: Seal, recipient, actor, condition: str = "Nguyên vẹn", note: str = "") -> CustodyEntry:
    """The Văn thư hands the seal over: to another Văn thư freely, to anyone else with a valid consent."""
    require_role(actor, Role.VAN_THU)
    with transaction.atomic():
        seal = seal_lock(seal)
        seal_refuse_if_incident_open(seal)
        if seal.status != Seal.Status.IN_CUSTODY or seal.custodian_id != actor.pk:
            raise BusinessRuleError(f"Con dấu {seal.code} không do bạn quản lý: không thể giao.", field="seal")
        if recipient.pk == actor.pk:
            raise BusinessRuleError("Không thể tự giao con dấu cho chính mình.", field="recipient")
        consent = None
        if not user_has_role(recipient, Role.VAN_THU):
            consent = (
                HandoverConsent.objects.select_for_update()
                .filter(seal=seal, recipient=recipient, used_at__isnull=True, valid_until__gt=timezone.now())
                .order_by("granted_at")
                .first()
            )
            if consent is None:
                raise BusinessRuleError(
                    f"Chưa có ý kiến đồng ý còn hiệu lực của Giám đốc Trung tâm để giao con dấu {seal.code} cho "
                    f"{recipient.get_full_name() or recipient}: không được giao (Quy chế 157, Điều 7.4).",
                    field="recipient",
                )
            consent.used_at = timezone.now()
            tracked_save(consent, actor=actor, reason="giao con dấu theo ý kiến đồng ý")
        entry = custody_append(
            seal=seal,
            movement=CustodyEntry.Movement.HAND_OVER,
            giver=actor,
            receiver=recipient,
            actor=actor,
            consent=consent,
            condition=condition,
            note=note,
        )
        status = Seal.Status.IN_CUSTODY if consent is None else Seal.Status.HANDED_OVER
        seal_set_status(seal, status=status, custodian=recipient, actor=actor, reason="giao con dấu")
    return entry


def seal_take_back(*, seal: Seal, actor, condition: str = "Nguyên vẹn", note: str = "") -> CustodyEntry:
    """The Văn thư takes a handed-over seal back into custody, with its minute."""
    require_role(actor, Role.VAN_THU)
    with transaction.atomic():
        seal = seal_lock(seal)
        if seal.status != Seal.Status.HANDED_OVER:
            raise BusinessRuleError(f"Con dấu {seal.code} không ở trạng thái đã giao: không có gì để nhận lại.")
        entry = custody_append(
            seal=seal,
            movement=CustodyEntry.Movement.TAKE_BACK,
            giver=seal.custodian,
            receiver=actor,
            actor=actor,
            condition=condition,
            note=note,
        )
        seal_set_status(seal, status=Seal.Status.IN_CUSTODY, custodian=actor, actor=actor, reason="nhận lại con dấu")
    return entry
