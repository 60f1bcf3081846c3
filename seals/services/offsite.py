"""Taking a seal off-site: request, the three written decisions in order, check-out, return.

Quy chế 157, Điều 5.2 (the Director permits, after the Head agrees, and answers for it),
Điều 6.2 (the Head of the owning agency decides and answers for it), Điều 8.4 (only with
written consent may the seal leave), Điều 7 (it goes out and comes back through the Văn thư);
NĐ 30/2020, Điều 32 (every handover has a minute).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from tuson_hcc.accounts.permissions import require_role, user_has_role
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.history import tracked_save
from tuson_hcc.documents.uploads import pdf_upload_check
from tuson_hcc.jobs import enqueue

from ..models import CustodyEntry, OffsiteDecision, OffsiteRequest, Seal, SealCheckout
from .common import seal_lock, seal_refuse_if_incident_open, seal_set_status
from .custody import custody_append
from .stamping import stamping_record

Status = OffsiteRequest.Status
Step = OffsiteDecision.Step

# A permission not used within this time after "from" lapses: the request must be made again.
EXPIRY_GRACE = timedelta(hours=4)

# The visible table of who may move a request from which status (STYLE.md rule 2).
DECISION_STEPS = {
    Step.DIRECTOR_OPINION: (Status.SUBMITTED, Status.FORWARDED, Status.REJECTED),
    Step.HEAD_DECISION: (Status.FORWARDED, Status.HEAD_AGREED, Status.REFUSED),
    Step.DIRECTOR_PERMISSION: (Status.HEAD_AGREED, Status.PERMITTED, Status.DENIED),
}
WITHDRAWABLE = {Status.DRAFT, Status.SUBMITTED, Status.FORWARDED, Status.HEAD_AGREED, Status.PERMITTED}
EXPIRABLE = {Status.SUBMITTED, Status.FORWARDED, Status.HEAD_AGREED, Status.PERMITTED}
EDITABLE = {Status.DRAFT, Status.SUBMITTED}


def _lock(request: OffsiteRequest) -> OffsiteRequest:
    return OffsiteRequest.objects.select_for_update().select_related("seal__agency").get(pk=request.pk)


AWAITING_DECISION = {Status.SUBMITTED, Status.FORWARDED, Status.HEAD_AGREED}


def _save(request: OffsiteRequest, *, actor, reason: str, status: str | None = None) -> OffsiteRequest:
    if status is not None:
        request.status = status
        request.reminded_at = None  # a new step: whoever must act now gets a fresh reminder
        if status in AWAITING_DECISION:
            # Told as soon as the step is committed; the scheduled reminders run catches any left over.
            enqueue("seals.services.reminders.offsite_remind", request.pk)
    return tracked_save(request, actor=actor, reason=reason)


def _check_fields(*, seal: Seal, carrier, starts_at: datetime, due_back_at: datetime, procedures) -> None:
    if due_back_at <= starts_at:
        raise BusinessRuleError("Hạn trả con dấu phải sau thời điểm mang đi.", field="due_back_at")
    if due_back_at <= timezone.now():
        raise BusinessRuleError("Hạn trả con dấu đã qua.", field="due_back_at")
    if seal.status in (Seal.Status.LOST, Seal.Status.RETIRED):
        raise BusinessRuleError(f"Con dấu {seal.code} không còn sử dụng.", field="seal")
    if not carrier.is_active:
        raise BusinessRuleError("Người mang con dấu không còn hoạt động.", field="carrier")
    served = seal.agency_ids_served()
    for procedure in procedures:
        if procedure.implementing_agency_id not in served:
            raise BusinessRuleError(
                f"Thủ tục “{procedure.name}” không thuộc cơ quan của con dấu {seal.code}.", field="procedures"
            )


def _check_deciders_appointed(seal: Seal) -> None:
    """Refuse a request nobody could decide: it would wait for a missing decider and lapse unseen."""
    agency = seal.agency
    head = agency.head
    if head is None or not head.is_active or not head.has_role(Role.THU_TRUONG):
        raise BusinessRuleError(
            f"{agency.name} chưa có Thủ trưởng trong hệ thống để quyết định việc mang con dấu {seal.code} ra ngoài "
            f"(Quy chế 157, Điều 6.2): quản trị hệ thống cần gán Thủ trưởng cho {agency.name} trước khi lập đề nghị.",
            field="seal",
        )
    if not get_user_model().objects.filter(groups__name=Role.GIAM_DOC, is_active=True).exists():
        raise BusinessRuleError(
            "Chưa có Giám đốc Trung tâm trong hệ thống để cho ý kiến và cho phép (Quy chế 157, Điều 5.2): "
            "quản trị hệ thống cần gán vai trò Giám đốc trước khi lập đề nghị.",
            field="seal",
        )


def offsite_request_create(
    *,
    seal: Seal,
    requested_by,
    purpose: str,
    procedures,
    documents: str,
    destination: str,
    carrier,
    starts_at: datetime,
    due_back_at: datetime,
    urgency: str,
    actor,
) -> OffsiteRequest:
    """An official asks, or the Văn thư writes the request down for them (Điều 8.3)."""
    require_role(actor, Role.CONG_CHUC, Role.VAN_THU)
    if requested_by != actor and not user_has_role(actor, Role.VAN_THU):
        raise BusinessRuleError("Chỉ Văn thư được lập đề nghị thay cho người khác.", field="requested_by")
    procedures = list(procedures)
    if not procedures:
        raise BusinessRuleError("Hãy chọn ít nhất một thủ tục cần đóng dấu.", field="procedures")
    _check_fields(seal=seal, carrier=carrier, starts_at=starts_at, due_back_at=due_back_at, procedures=procedures)
    _check_deciders_appointed(seal)
    with transaction.atomic():
        request = OffsiteRequest(
            seal=seal,
            requested_by=requested_by,
            entered_by=actor,
            purpose=purpose,
            documents=documents,
            destination=destination,
            carrier=carrier,
            starts_at=starts_at,
            due_back_at=due_back_at,
            urgency=urgency,
            created_at=timezone.now(),
        )
        tracked_save(request, actor=actor, reason="lập đề nghị mang con dấu ra ngoài")
        request.procedures.set(procedures)
    return request


def _is_party(request: OffsiteRequest, actor) -> bool:
    return actor.pk in (request.requested_by_id, request.entered_by_id)


def offsite_request_submit(*, request: OffsiteRequest, actor) -> OffsiteRequest:
    with transaction.atomic():
        request = _lock(request)
        if not _is_party(request, actor):
            raise BusinessRuleError("Chỉ người đề nghị hoặc người lập được gửi đề nghị này.")
        if request.status != Status.DRAFT:
            raise BusinessRuleError(f"Đề nghị đang ở trạng thái “{request.get_status_display()}”: không gửi lại được.")
        _check_deciders_appointed(request.seal)
        return _save(request, actor=actor, reason="gửi đề nghị tới Giám đốc", status=Status.SUBMITTED)


def offsite_request_update(*, request: OffsiteRequest, actor, procedures=None, **fields) -> OffsiteRequest:
    """Edit before any decision; the version goes up so no decision can rest on the old text."""
    with transaction.atomic():
        request = _lock(request)
        if not _is_party(request, actor):
            raise BusinessRuleError("Chỉ người đề nghị hoặc người lập được sửa đề nghị này.")
        if request.status not in EDITABLE:
            raise BusinessRuleError("Đề nghị đã có ý kiến: không sửa được, hãy rút và lập đề nghị mới.")
        for name, value in fields.items():
            setattr(request, name, value)
        procedures = list(procedures) if procedures is not None else list(request.procedures.all())
        _check_fields(
            seal=request.seal,
            carrier=request.carrier,
            starts_at=request.starts_at,
            due_back_at=request.due_back_at,
            procedures=procedures,
        )
        _check_deciders_appointed(request.seal)
        request.version += 1
        _save(request, actor=actor, reason="sửa đề nghị")
        request.procedures.set(procedures)
    return request


def offsite_request_withdraw(*, request: OffsiteRequest, actor) -> OffsiteRequest:
    with transaction.atomic():
        request = _lock(request)
        if not _is_party(request, actor):
            raise BusinessRuleError("Chỉ người đề nghị hoặc người lập được rút đề nghị này.")
        if request.status not in WITHDRAWABLE:
            raise BusinessRuleError(f"Đề nghị đang “{request.get_status_display()}”: không rút được.")
        return _save(request, actor=actor, reason="rút đề nghị", status=Status.WITHDRAWN)


def _expire_if_lapsed(request: OffsiteRequest, *, now: datetime) -> bool:
    if request.status in EXPIRABLE and now > request.starts_at + EXPIRY_GRACE:
        _save(
            request, actor=None, reason="hết hạn: không mang con dấu đi trong thời gian đề nghị", status=Status.EXPIRED
        )
        return True
    return False


def _expire_one(request: OffsiteRequest) -> None:
    """Lapse this request now if it is due to, in its own transaction so the refusal that follows keeps it."""
    with transaction.atomic():
        _expire_if_lapsed(_lock(request), now=timezone.now())


def offsite_requests_expire(*, now: datetime | None = None) -> int:
    """Lapse every pending request whose "from" passed more than EXPIRY_GRACE ago; safe to repeat."""
    now = now or timezone.now()
    expired = 0
    candidates = OffsiteRequest.objects.filter(status__in=EXPIRABLE, starts_at__lt=now - EXPIRY_GRACE)
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            request = OffsiteRequest.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if request is not None and _expire_if_lapsed(request, now=now):
                expired += 1
    return expired


def _check_decider(request: OffsiteRequest, step: str, actor) -> str:
    """The role the actor decides in, or a refusal: the right role, the right agency, never their own request."""
    if actor.pk in (request.requested_by_id, request.entered_by_id, request.carrier_id):
        raise BusinessRuleError(
            "Người đề nghị, người lập hoặc người mang con dấu không được tự quyết định đề nghị này."
        )
    if step == Step.HEAD_DECISION:
        require_role(actor, Role.THU_TRUONG)
        # Điều 6.2: only the Head of the agency owning the seal (the Chairman for the city seal).
        if request.seal.agency.head_id != actor.pk:
            raise BusinessRuleError(
                f"Chỉ Thủ trưởng {request.seal.agency.name} được quyết định cho con dấu {request.seal.code}."
            )
        return Role.THU_TRUONG
    require_role(actor, Role.GIAM_DOC)
    return Role.GIAM_DOC


def offsite_next_step(*, request: OffsiteRequest, user) -> str | None:
    """The decision `user` may record on `request` now, by the very checks `offsite_decide` makes."""
    for step, (expected, _on_yes, _on_no) in DECISION_STEPS.items():
        if request.status == expected:
            try:
                _check_decider(request, step, user)
            except BusinessRuleError:
                return None
            return step
    return None


def offsite_party_actions(*, request: OffsiteRequest, user) -> dict[str, bool]:
    """What the requester (or the Văn thư who wrote the request) may still do with it."""
    party = _is_party(request, user)
    return {
        "submit": party and request.status == Status.DRAFT,
        "withdraw": party and request.status in WITHDRAWABLE,
        "edit": party and request.status in EDITABLE,
    }


def offsite_decide(
    *, request: OffsiteRequest, step: str, approved: bool, version: int, actor, comment: str = "", scan=None
) -> OffsiteDecision:
    """Record one written decision, in order: no step skipped, none repeated, none on an outdated text."""
    if step not in DECISION_STEPS:
        raise BusinessRuleError("Bước quyết định không hợp lệ.")
    expected, on_yes, on_no = DECISION_STEPS[step]
    _expire_one(request)
    with transaction.atomic():
        request = _lock(request)
        if request.status == Status.EXPIRED:
            raise BusinessRuleError("Đề nghị đã hết hạn: không quyết định được nữa.")
        role = _check_decider(request, step, actor)
        if request.status != expected:
            raise BusinessRuleError(
                f"Đề nghị đang “{request.get_status_display()}”: chưa đến hoặc đã qua bước "
                f"“{Step(step).label}” (Quy chế 157, Điều 5.2, 6.2, 8.4)."
            )
        if version != request.version:
            raise BusinessRuleError("Đề nghị đã được sửa sau khi bạn mở: hãy xem lại nội dung mới rồi quyết định.")
        if not approved and not comment.strip():
            raise BusinessRuleError("Hãy ghi lý do không đồng ý.", field="comment")
        if approved and step == Step.DIRECTOR_OPINION:
            _check_deciders_appointed(request.seal)  # forwarded to a Head who must exist
        if scan:
            pdf_upload_check(scan, field="scan")
        decision = OffsiteDecision(
            request=request,
            step=step,
            approved=approved,
            decided_by=actor,
            role=role,
            position=actor.position,
            decided_at=timezone.now(),
            comment=comment,
            request_version=request.version,
        )
        if scan:
            decision.scan = scan
        label = f"{Step(step).label}: {'đồng ý' if approved else 'không đồng ý'}"
        tracked_save(decision, actor=actor, reason=label)
        _save(request, actor=actor, reason=label, status=on_yes if approved else on_no)
    return decision


def _check_window(request: OffsiteRequest, *, now: datetime) -> None:
    """The seal leaves only inside the permitted window: the rest of the time it stays in the Văn thư's safe
    keeping (Quy chế 157, Điều 7.2, 8.4). A small early margin (a setting) lets the carrier leave on time."""
    earliest = request.starts_at - timedelta(minutes=settings.OFFSITE_EARLY_CHECKOUT_MINUTES)
    if now < earliest:
        raise BusinessRuleError(
            f"Chưa đến thời gian được phép mang con dấu ra ngoài: sớm nhất từ "
            f"{timezone.localtime(earliest):%H:%M %d/%m/%Y} (thời gian được phép từ "
            f"{timezone.localtime(request.starts_at):%H:%M %d/%m/%Y}); ngoài thời gian đó con dấu được bảo quản tại "
            "Trung tâm (Quy chế 157, Điều 7.2, 8.4)."
        )
    if now >= request.due_back_at:
        raise BusinessRuleError(
            f"Đã quá hạn trả con dấu ({timezone.localtime(request.due_back_at):%H:%M %d/%m/%Y}) của đề nghị này: "
            "không giao con dấu; hãy lập đề nghị mới (Quy chế 157, Điều 8.4)."
        )


def offsite_check_out(*, request: OffsiteRequest, carrier_password: str, actor) -> SealCheckout:
    """The Văn thư hands the seal to the named carrier of a fully approved request, who confirms with their password."""
    require_role(actor, Role.VAN_THU)
    _expire_one(request)
    with transaction.atomic():
        request = _lock(request)
        if request.status == Status.EXPIRED:
            raise BusinessRuleError("Đề nghị đã hết hạn: không giao con dấu.")
        if request.status in (Status.CHECKED_OUT, Status.RETURNED):
            # A second click on "Giao con dấu": say what happened, not that permission is missing.
            checkout = request.checkout
            raise BusinessRuleError(
                f"Con dấu {request.seal.code} đã được giao cho {checkout.carrier} lúc "
                f"{timezone.localtime(checkout.checked_out_at):%H:%M %d/%m/%Y} theo đề nghị này"
                + (" và đã được trả lại" if request.status == Status.RETURNED else "")
                + ": không giao lần nữa."
            )
        if request.status != Status.PERMITTED:
            raise BusinessRuleError(
                "Chỉ giao con dấu khi đã có đủ ý kiến Giám đốc, quyết định đồng ý của Thủ trưởng và cho phép "
                "của Giám đốc bằng văn bản (Quy chế 157, Điều 8.4)."
            )
        _check_window(request, now=timezone.now())
        if not request.carrier.check_password(carrier_password or ""):
            raise BusinessRuleError(
                f"Mật khẩu xác nhận của người nhận ({request.carrier.full_name}) không đúng: chỉ giao cho đúng người "
                "có tên trong đề nghị.",
                field="carrier_password",
            )
        seal = seal_lock(request.seal)
        seal_refuse_if_incident_open(seal)
        if seal.status != Seal.Status.IN_CUSTODY or seal.custodian_id != actor.pk:
            raise BusinessRuleError(f"Con dấu {seal.code} không ở bàn của bạn ({seal.get_status_display()}).")
        try:
            with transaction.atomic():
                checkout = SealCheckout(
                    request=request,
                    seal=seal,
                    carrier=request.carrier,
                    checked_out_by=actor,
                    checked_out_at=timezone.now(),
                    due_back_at=request.due_back_at,
                )
                tracked_save(checkout, actor=actor, reason="giao con dấu mang ra ngoài")
        except IntegrityError as error:
            raise BusinessRuleError(f"Con dấu {seal.code} đang được mang ra ngoài theo một đề nghị khác.") from error
        custody_append(
            seal=seal,
            movement=CustodyEntry.Movement.CHECK_OUT,
            giver=actor,
            receiver=request.carrier,
            actor=actor,
            checkout=checkout,
            minute_extra=_minute_context(request),
        )
        seal_set_status(
            seal, status=Seal.Status.OFF_SITE, custodian=request.carrier, actor=actor, reason="mang con dấu ra ngoài"
        )
        _save(request, actor=actor, reason="giao con dấu", status=Status.CHECKED_OUT)
    return checkout


def _minute_context(request: OffsiteRequest, stampings=()) -> dict:
    return {
        "offsite_request": request,
        "decisions": list(request.decisions.select_related("decided_by").order_by("decided_at", "id")),
        "stampings": list(stampings),
    }


def offsite_return(*, request: OffsiteRequest, condition: str, stampings: list[dict], actor) -> SealCheckout:
    """The Văn thư takes the seal back and logs every stamping made off-site under this check-out."""
    require_role(actor, Role.VAN_THU)
    with transaction.atomic():
        request = _lock(request)
        if request.status != Status.CHECKED_OUT:
            raise BusinessRuleError("Đề nghị này không có con dấu đang ở ngoài.")
        checkout = SealCheckout.objects.select_for_update().get(request=request)
        allowed = set(request.procedures.values_list("pk", flat=True))
        recorded = []
        for number, stamping in enumerate(stampings, start=1):
            procedure = stamping["procedure"]
            if procedure is None or procedure.pk not in allowed:
                raise BusinessRuleError(
                    f"Lần đóng dấu thứ {number}: phải thuộc các thủ tục đã được cho phép trong đề nghị "
                    "(Quy chế 157, Điều 8.4)."
                )
            document = {**stamping["document"]}
            document["requested_by"] = document.get("requested_by") or str(request.requested_by)
            document["dossier_code"] = document.get("dossier_code") or ""
            try:
                # The desk's own checks (NĐ 30/2020, Điều 32–33): kind, impressions, giáp lai sheets.
                entry = stamping_record(
                    seal=request.seal,
                    procedure=procedure,
                    document=document,
                    actor=actor,
                    checkout=checkout,
                    stamped_at=stamping["stamped_at"],
                )
            except BusinessRuleError as error:
                raise BusinessRuleError(f"Lần đóng dấu thứ {number}: {error.message}", field=error.field) from error
            recorded.append(entry)
        seal = seal_lock(request.seal)
        checkout.returned_at, checkout.returned_to, checkout.return_condition = timezone.now(), actor, condition
        tracked_save(checkout, actor=actor, reason="nhận lại con dấu")
        custody_append(
            seal=seal,
            movement=CustodyEntry.Movement.RETURN,
            giver=checkout.carrier,
            receiver=actor,
            actor=actor,
            checkout=checkout,
            condition=condition,
            minute_extra=_minute_context(request, recorded),
        )
        seal_set_status(seal, status=Seal.Status.IN_CUSTODY, custodian=actor, actor=actor, reason="nhận lại con dấu")
        _save(request, actor=actor, reason="trả con dấu", status=Status.RETURNED)
    return checkout
