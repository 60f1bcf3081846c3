"""Reminders about off-site requests, sent through the outbox (tuson_hcc.notifications).

Run by the worker every few minutes (the schedule registered in seals/apps.py), or by hand with
`manage.py send_offsite_reminders`. Every message is recorded on the request's timeline.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tuson_hcc.accounts.models import User
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.history import tracked_save
from tuson_hcc.notifications.services import message_queue

from ..models import OffsiteRequest, SealCheckout, checkout_overdue
from .offsite import offsite_requests_expire

Status = OffsiteRequest.Status


def _url(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def _directors() -> list[str]:
    return list(
        User.objects.filter(groups__name=Role.GIAM_DOC, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def _head_email(agency) -> list[str]:
    head = agency.head
    return [head.email] if head is not None and head.email and head.is_active else []


def _mail_each(recipients: list[str], *, subject: str, body: str, about) -> int:
    """One outbox message per distinct address, each on `about`'s timeline."""
    unique = list(dict.fromkeys(recipients))
    for recipient in unique:
        message_queue(channel="email", recipient=recipient, subject=subject, body=body, about=about)
    return len(unique)


def awaiting_recipients(request: OffsiteRequest) -> list[str]:
    """Who must act now: the Director (opinion, permission) or the Head of the seal's agency."""
    if request.status == Status.FORWARDED:
        return _head_email(request.seal.agency)
    if request.status in (Status.SUBMITTED, Status.HEAD_AGREED):
        return _directors()
    return []


def overdue_recipients(checkout: SealCheckout) -> list[str]:
    """Quy chế 157, Điều 5.2: the Director answers for the permission; Điều 6.2: the Head for the consent;
    Điều 7.2 and 8.4: the carrier holds the seal outside the Văn thư's keeping and must bring it back."""
    carrier = checkout.carrier
    mine = [carrier.email] if carrier.email and carrier.is_active else []
    return mine + _directors() + _head_email(checkout.seal.agency)


def offsite_remind(pk: int, *, now=None) -> bool:
    """Mail whoever must decide request `pk` next, once per step; True when a mail was queued."""
    now = now or timezone.now()
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
        sent = _mail_each(
            awaiting_recipients(request),
            subject=f"[HCC Từ Sơn] Đề nghị mang con dấu {request.seal.code} chờ ý kiến của ông/bà",
            body=(
                f"Đề nghị số {request.pk} ({request.get_status_display()}): {request.purpose}\n"
                f"Mang đến: {request.destination}; từ {timezone.localtime(request.starts_at):%H:%M %d/%m/%Y} "
                f"đến {timezone.localtime(request.due_back_at):%H:%M %d/%m/%Y}.\n"
                f"Xem và quyết định: {_url(reverse('seals:offsite_detail', args=[request.pk]))}"
            ),
            about=request,
        )
        request.reminded_at = now
        tracked_save(request, actor=None, reason="gửi thư nhắc người cần quyết định")
    return sent > 0


def overdue_remind(pk: int, *, now=None) -> bool:
    """Remind the carrier, the Director(s) and the Head that check-out `pk` is overdue, at most once
    per OVERDUE_REMINDER_INTERVAL_MINUTES, until the seal is back; True when mail was queued."""
    now = now or timezone.now()
    last_allowed = now - timedelta(minutes=settings.OVERDUE_REMINDER_INTERVAL_MINUTES)
    with transaction.atomic():
        # The row lock and the re-checked condition make it exactly one reminder per interval,
        # even when two runs overlap: the second skips the locked row or finds it just reminded.
        checkout = (
            SealCheckout.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("seal__agency__head", "carrier", "request")
            .filter(checkout_overdue(now), pk=pk)
            .exclude(overdue_notified_at__gt=last_allowed)
            .first()
        )
        if checkout is None:
            return False
        late = int((now - checkout.due_back_at).total_seconds() // 60)
        sent = _mail_each(
            overdue_recipients(checkout),
            subject=f"[HCC Từ Sơn] Con dấu {checkout.seal.code} quá hạn trả",
            body=(
                f"Con dấu {checkout.seal.code} do {checkout.carrier.full_name} mang ra ngoài Trung tâm, hạn trả "
                f"{timezone.localtime(checkout.due_back_at):%H:%M %d/%m/%Y}, đã quá hạn {late // 60} giờ "
                f"{late % 60} phút. Đề nghị mang con dấu về giao lại Văn thư ngay "
                f"(Quy chế 157, Điều 7.2 và 8.4).\n"
                f"{_url(reverse('seals:offsite_detail', args=[checkout.request_id]))}"
            ),
            about=checkout.request,
        )
        checkout.overdue_notified_at = now
        tracked_save(checkout, actor=None, reason="gửi thư nhắc con dấu quá hạn trả")
    return sent > 0


def reminders_send(*, now=None) -> dict:
    """Expire lapsed requests, remind deciders once per step, remind about each overdue seal once per interval."""
    now = now or timezone.now()
    sent = {"expired": offsite_requests_expire(now=now), "awaiting": 0, "overdue": 0}
    pending = OffsiteRequest.objects.filter(
        status__in=[Status.SUBMITTED, Status.FORWARDED, Status.HEAD_AGREED], reminded_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in pending:
        sent["awaiting"] += offsite_remind(pk, now=now)
    last_allowed = now - timedelta(minutes=settings.OVERDUE_REMINDER_INTERVAL_MINUTES)
    overdue = (
        SealCheckout.objects.filter(checkout_overdue(now))
        .exclude(overdue_notified_at__gt=last_allowed)
        .values_list("pk", flat=True)
    )
    for pk in overdue:
        sent["overdue"] += overdue_remind(pk, now=now)
    return sent
