"""Delivery, run by the worker: one attempt per call, recorded; retries with exponential backoff."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from tuson_hcc.core.history import tracked_save

from .models import SECRET_MASK, DeliveryAttempt, OutboundMessage
from .sealing import unseal
from .sms import get_sms_backend

logger = logging.getLogger(__name__)
Status = OutboundMessage.Status


def retry_delay(attempts: int) -> dt.timedelta:
    """After the n-th failed attempt: base, 2×base, 4×base, … (capped at six hours)."""
    return dt.timedelta(seconds=min(settings.MESSAGE_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 6 * 3600))


def _claim(pk: int, now) -> OutboundMessage | None:
    """Take the message for one attempt: the lease keeps a second worker from sending it meanwhile."""
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=Status.QUEUED, next_attempt_at__lte=now)
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        message.next_attempt_at = now + dt.timedelta(seconds=settings.MESSAGE_SEND_LEASE_SECONDS)
        message.save(update_fields=["attempts", "next_attempt_at"])
    return message


def _text(message: OutboundMessage) -> str:
    """The body as the recipient reads it: the sealed secret, opened, in place of its mask."""
    if not message.carries_secret:
        return message.body
    if not message.sealed_secret:
        raise ValueError("the lookup secret of this message was wiped; it cannot be sent")
    head, mask, tail = message.body.rpartition(SECRET_MASK)
    return head + unseal(message.sealed_secret) + tail


def _send(message: OutboundMessage) -> None:
    body = _text(message)
    if message.channel == OutboundMessage.Channel.SMS:
        get_sms_backend().send(message.recipient, body)
        return
    email = EmailMessage(message.subject, body, settings.DEFAULT_FROM_EMAIL, [message.recipient])
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as stored:
            email.attach(attachment.filename, stored.read(), attachment.mimetype)
    email.send(fail_silently=False)


def message_deliver(pk: int) -> bool:
    """One attempt at message `pk` if it is due; True when it went out."""
    now = timezone.now()
    message = _claim(pk, now)
    if message is None:
        return False
    error = ""
    try:
        _send(message)
    except Exception as exc:  # any failure of the server or provider is recorded and retried
        error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("delivery of message %s failed (attempt %s): %s", pk, message.attempts, error)
    done = timezone.now()
    with transaction.atomic():
        DeliveryAttempt.objects.create(message=message, at=done, succeeded=not error, error=error)
        if not error:
            message.status, message.sent_at, message.next_attempt_at = Status.SENT, done, None
        elif message.attempts >= settings.MESSAGE_MAX_ATTEMPTS:
            message.status, message.last_error, message.next_attempt_at = Status.FAILED, error, None
        else:
            message.last_error, message.next_attempt_at = error, done + retry_delay(message.attempts)
        fields = ["status", "sent_at", "last_error", "next_attempt_at"]
        if message.status != Status.QUEUED and message.sealed_secret:
            # Delivered or failed for good: the secret is no longer kept, even sealed (issue 11 point 9).
            message.sealed_secret, message.secret_wiped_at = "", done
            fields += ["sealed_secret", "secret_wiped_at"]
        tracked_save(message, actor=None, reason="kết quả một lần gửi", db_checks=True, update_fields=fields)
    return not error


def messages_deliver_due(limit: int = 200) -> int:
    """Scheduled every minute: retries whose time has come, and messages whose worker died mid-send."""
    due = OutboundMessage.objects.filter(status=Status.QUEUED, next_attempt_at__lte=timezone.now()).order_by(
        "next_attempt_at"
    )[:limit]
    return sum(message_deliver(pk) for pk in due.values_list("pk", flat=True))
