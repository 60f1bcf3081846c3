"""Queue outbound messages; delivery itself is `tasks.message_deliver`, run by the worker."""

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.jobs import enqueue

from .models import MessageAttachment, OutboundMessage

Channel = OutboundMessage.Channel
Status = OutboundMessage.Status


def message_queue(
    *, channel, recipient, subject, body, about=None, attachments=(), actor=None
) -> OutboundMessage | None:
    """Record one message and hand it to the worker once the caller's transaction commits.

    Returns None and records nothing when `recipient` is empty (someone without an address).
    `attachments`: `(filename, bytes, mimetype)` triples, kept in private storage until sent.
    """
    recipient = (recipient or "").strip()
    if not recipient:
        return None
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if channel == Channel.SMS and attachments:
        raise ValueError("an SMS carries no attachment")
    with transaction.atomic():
        message = OutboundMessage.objects.create(
            channel=channel,
            recipient=recipient,
            subject=subject or "",
            body=body,
            next_attempt_at=timezone.now(),
            created_by=actor if actor is not None and actor.is_authenticated else None,
            content_type=ContentType.objects.get_for_model(about) if about is not None else None,
            object_id=str(about.pk) if about is not None else "",
        )
        for filename, content, mimetype in attachments:
            attachment = MessageAttachment(message=message, filename=filename, mimetype=mimetype)
            attachment.file.save(filename, ContentFile(content), save=True)
        enqueue("tuson_hcc.notifications.tasks.message_deliver", message.pk)
    return message


def message_resend(*, message: OutboundMessage, actor) -> OutboundMessage:
    """Queue a message that failed for good once more, with a fresh count of attempts (administrator only)."""
    if not (actor is not None and actor.is_active and actor.is_superuser):
        raise BusinessRuleError("Chỉ quản trị hệ thống được gửi lại thư/tin nhắn.")
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().get(pk=message.pk)
        if message.status != Status.FAILED:
            raise BusinessRuleError("Chỉ gửi lại được thư/tin nhắn đã gửi không được.")
        message.status = Status.QUEUED
        message.attempts = 0
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        enqueue("tuson_hcc.notifications.tasks.message_deliver", message.pk)
    return message
