"""Demo off-site requests: one at each step of the workflow; `--scale large` adds 2,000 past requests."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from procedures.selectors import procedures_in_force
from tuson_hcc.accounts.models import User
from tuson_hcc.core.demo import demo_password
from tuson_hcc.core.history import tracked_save

from .models import OffsiteDecision, OffsiteRequest, Seal, SealCheckout
from .services.offsite import (
    offsite_check_out,
    offsite_decide,
    offsite_request_create,
    offsite_request_submit,
)

LARGE_REQUESTS = 2000
Step = OffsiteDecision.Step
Status = OffsiteRequest.Status


def seed_offsite(*, scale: str, stdout) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["vanthu", "giamdoc", "truongphong", "congchuc"])}
    seal = Seal.objects.filter(agency__head=users["truongphong"], status=Seal.Status.IN_CUSTODY).first()
    if seal is None or len(users) < 4:
        return
    if not OffsiteRequest.objects.exists():
        _one_per_step(seal, users)
    if scale == "large":
        _history(users, LARGE_REQUESTS)
    stdout.write(f"  {OffsiteRequest.objects.count()} đề nghị mang con dấu ra ngoài")


def _create(seal, users, *, hours_from_now: float, purpose: str):
    now = timezone.now()
    procedures = list(procedures_in_force(on=timezone.localdate()).filter(implementing_agency=seal.agency)[:2])
    request = offsite_request_create(
        seal=seal,
        requested_by=users["congchuc"],
        purpose=purpose,
        procedures=procedures,
        documents="Các trích lục, giấy chứng nhận đã ký",
        destination="UBND phường Đình Bảng",
        carrier=users["congchuc"],
        starts_at=now + timedelta(hours=hours_from_now),
        due_back_at=now + timedelta(hours=hours_from_now + 3),
        urgency=OffsiteRequest.Urgency.URGENT,
        actor=users["congchuc"],
    )
    offsite_request_submit(request=request, actor=users["congchuc"])
    return request


def _decide(request, step, user):
    request.refresh_from_db()
    offsite_decide(request=request, step=step, approved=True, version=request.version, comment="Đồng ý", actor=user)


@transaction.atomic
def _one_per_step(seal, users) -> None:
    _create(seal, users, hours_from_now=2, purpose="Đóng dấu giấy khai tử cho gia đình neo đơn (chờ Giám đốc)")
    forwarded = _create(seal, users, hours_from_now=3, purpose="Đóng dấu tại buổi trao giấy khai sinh lưu động")
    _decide(forwarded, Step.DIRECTOR_OPINION, users["giamdoc"])
    out = _create(seal, users, hours_from_now=0.1, purpose="Đóng dấu kết quả tại nhà người cao tuổi (đang mang đi)")
    for step, username in (
        (Step.DIRECTOR_OPINION, "giamdoc"),
        (Step.HEAD_DECISION, "truongphong"),
        (Step.DIRECTOR_PERMISSION, "giamdoc"),
    ):
        _decide(out, step, users[username])
    out.refresh_from_db()
    checkout = offsite_check_out(request=out, carrier_password=demo_password(), actor=users["vanthu"])
    # Demo only: make this seal overdue so every dashboard shows what overdue looks like.
    past = timezone.now() - timedelta(hours=1, minutes=20)
    checkout.due_back_at = past
    tracked_save(checkout, actor=None, reason="dữ liệu mẫu: hạn trả đã qua")


def _history(users, total: int) -> None:
    """Past requests (bulk, for volume): most returned, some refused, withdrawn or expired."""
    missing = total - OffsiteRequest.objects.count()
    if missing <= 0:
        return
    rng = random.Random(11)
    seals = list(Seal.objects.all())
    now = timezone.now()
    outcomes = [Status.RETURNED] * 14 + [Status.REFUSED, Status.REJECTED, Status.WITHDRAWN, Status.EXPIRED]
    with transaction.atomic():
        requests = []
        for _ in range(missing):
            created = now - timedelta(days=rng.randint(2, 5 * 365), minutes=rng.randint(0, 600))
            requests.append(
                OffsiteRequest(
                    seal=rng.choice(seals),
                    requested_by=users["congchuc"],
                    entered_by=users["congchuc"],
                    purpose="Đóng dấu ngoài Trung tâm (dữ liệu đo hiệu năng)",
                    documents="Văn bản đã ký",
                    destination="UBND phường",
                    carrier=users["congchuc"],
                    starts_at=created + timedelta(hours=2),
                    due_back_at=created + timedelta(hours=5),
                    status=rng.choice(outcomes),
                    created_at=created,
                )
            )
        # bulk_create skips history on purpose: these rows exist only to measure the pages.
        requests = OffsiteRequest.objects.bulk_create(requests, batch_size=1000)
        decisions, checkouts = [], []
        for request in requests:
            steps = {Status.RETURNED: 3, Status.REFUSED: 2, Status.REJECTED: 1}.get(request.status, 0)
            for i, (step, user) in enumerate(
                [
                    (Step.DIRECTOR_OPINION, users["giamdoc"]),
                    (Step.HEAD_DECISION, users["truongphong"]),
                    (Step.DIRECTOR_PERMISSION, users["giamdoc"]),
                ][:steps]
            ):
                approved = request.status == Status.RETURNED or i < steps - 1
                decisions.append(
                    OffsiteDecision(
                        request=request,
                        step=step,
                        approved=approved,
                        decided_by=user,
                        role="giam_doc",
                        decided_at=request.created_at + timedelta(minutes=10 * (i + 1)),
                        comment="" if approved else "Không cần thiết",
                        request_version=1,
                    )
                )
            if request.status == Status.RETURNED:
                checkouts.append(
                    SealCheckout(
                        request=request,
                        seal=request.seal,
                        carrier=users["congchuc"],
                        checked_out_by=users["vanthu"],
                        checked_out_at=request.starts_at,
                        due_back_at=request.due_back_at,
                        returned_at=request.due_back_at - timedelta(minutes=rng.randint(-90, 120)),
                        returned_to=users["vanthu"],
                        return_condition="Nguyên vẹn",
                    )
                )
        OffsiteDecision.objects.bulk_create(decisions, batch_size=2000)
        SealCheckout.objects.bulk_create(checkouts, batch_size=2000)
