"""E-mail reminders: decisions awaiting someone, seals overdue (issue 4). Safe to run every few minutes."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tuson_hcc.accounts.models import User
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.history import tracked_save

from ..models import OffsiteRequest, SealCheckout
from .offsite import offsite_requests_expire

Status = OffsiteRequest.Status


def _url(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def _directors() -> list[str]:
    return list(
        User.objects.filter(groups__name=Role.GIAM_DOC, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def awaiting_recipients(request: OffsiteRequest) -> list[str]:
    """Who must act now: the Director (opinion, permission) or the Head of the seal's agency."""
    if request.status == Status.FORWARDED:
        head = request.seal.agency.head
        return [head.email] if head is not None and head.email and head.is_active else []
    if request.status in (Status.SUBMITTED, Status.HEAD_AGREED):
        return _directors()
    return []


def offsite_remind(pk: int, *, now=None) -> bool:
    """Mail whoever must decide request `pk` next, once per step; True when a mail went out."""
    now = now or timezone.now()
    sent = False
    with transaction.atomic():
        # skip_locked: two runs at once never mail the same reminder twice.
        request = (
            OffsiteRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("seal__agency__head")
            .filter(pk=pk, reminded_at__isnull=True)
            .first()
        )
        if request is None:
            return False
        recipients = awaiting_recipients(request)
        if recipients:
            send_mail(
                f"[HCC Từ Sơn] Đề nghị mang con dấu {request.seal.code} chờ ý kiến của ông/bà",
                f"Đề nghị số {request.pk} ({request.get_status_display()}): {request.purpose}\n"
                f"Mang đến: {request.destination}; từ {timezone.localtime(request.starts_at):%H:%M %d/%m/%Y} "
                f"đến {timezone.localtime(request.due_back_at):%H:%M %d/%m/%Y}.\n"
                f"Xem và quyết định: {_url(reverse('seals:offsite_detail', args=[request.pk]))}",
                None,
                recipients,
            )
            sent = True
        request.reminded_at = now
        tracked_save(request, actor=None, reason="gửi thư nhắc người cần quyết định")
    return sent


def reminders_send(*, now=None) -> dict:
    """Expire lapsed requests, remind deciders once per step, warn about each overdue seal once."""
    now = now or timezone.now()
    sent = {"expired": offsite_requests_expire(now=now), "awaiting": 0, "overdue": 0}
    pending = OffsiteRequest.objects.filter(
        status__in=[Status.SUBMITTED, Status.FORWARDED, Status.HEAD_AGREED], reminded_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in pending:
        sent["awaiting"] += offsite_remind(pk, now=now)
    overdue = SealCheckout.objects.filter(
        returned_at__isnull=True, due_back_at__lt=now, overdue_notified_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in overdue:
        with transaction.atomic():
            checkout = (
                SealCheckout.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("seal__agency__head", "carrier")
                .filter(pk=pk, overdue_notified_at__isnull=True)
                .first()
            )
            if checkout is None:
                continue
            head = checkout.seal.agency.head
            recipients = _directors() + ([head.email] if head is not None and head.email else [])
            if recipients:
                late = now - checkout.due_back_at
                send_mail(
                    f"[HCC Từ Sơn] Con dấu {checkout.seal.code} quá hạn trả",
                    f"Con dấu {checkout.seal.code} do {checkout.carrier.full_name} mang ra ngoài, hạn trả "
                    f"{timezone.localtime(checkout.due_back_at):%H:%M %d/%m/%Y}, đã quá hạn "
                    f"{int(late.total_seconds() // 3600)} giờ {int(late.total_seconds() % 3600 // 60)} phút.\n"
                    f"{_url(reverse('seals:offsite_detail', args=[checkout.request_id]))}",
                    None,
                    recipients,
                )
                sent["overdue"] += 1
            checkout.overdue_notified_at = now
            tracked_save(checkout, actor=None, reason="gửi thư báo con dấu quá hạn trả")
    return sent
