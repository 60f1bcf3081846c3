"""Queue outbound messages; delivery itself is `tasks.message_deliver`, run by the worker."""

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.jobs import enqueue

from .models import SECRET_MASK, MessageAttachment, OutboundMessage
from .sealing import seal

Channel = OutboundMessage.Channel
Status = OutboundMessage.Status


def message_queue(
    *, channel, recipient, subject, body, about=None, attachments=(), actor=None, secret=None, resend_of=None
) -> OutboundMessage | None:
    """Record one message and hand it to the worker once the caller's transaction commits.

    Returns None and records nothing when `recipient` is empty (someone without an address).
    `attachments`: `(filename, bytes, mimetype)` triples, kept in private storage until sent.
    `secret`: the applicant's lookup secret, written as `SECRET_MASK` in `body`; it is stored sealed and
    put in place of the mask only when the worker sends the message (issue 11 point 9).
    """
    recipient = (recipient or "").strip()
    if not recipient:
        return None
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if channel == Channel.SMS and attachments:
        raise ValueError("an SMS carries no attachment")
    if secret and SECRET_MASK not in body:
        raise ValueError("a message carrying a secret writes it as SECRET_MASK in its body")
    if not secret and SECRET_MASK in body:
        raise ValueError("the body masks a secret that was not given")
    with transaction.atomic():
        message = OutboundMessage.objects.create(
            channel=channel,
            recipient=recipient,
            subject=subject or "",
            body=body,
            carries_secret=bool(secret),
            sealed_secret=seal(secret) if secret else "",
            resend_of=resend_of,
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


# Who, besides the system administrator, may send again a message about a record of a given model:
# each app registers its own in its AppConfig.ready() (`resend_role_register`), so this app imports none.
_RESEND_ROLES: dict[str, tuple[str, ...]] = {}


def resend_role_register(model_label: str, *roles) -> None:
    _RESEND_ROLES[model_label.lower()] = tuple(str(role) for role in roles)


def _resend_allowed(actor, message: OutboundMessage) -> bool:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if message.content_type_id is None:
        return False
    label = message.content_type.app_label + "." + message.content_type.model
    roles = _RESEND_ROLES.get(label, ())
    return bool(roles) and actor.has_role(*roles)


def message_resend(*, message: OutboundMessage, actor, secret: str | None = None) -> OutboundMessage:
    """Send a message that failed for good once more: a new message pointing at it (`resend_of`), the
    failed one stays on record with its attempts. The one resend path: the desk's "Gửi lại" button and
    the admin's action both come here.

    Who: the system administrator, or a holder of the role registered for the message's subject.
    A message that carried a lookup secret lost it when it failed (wiped, point 9): the caller passes a
    newly drawn `secret`, else the resend is refused.
    """
    if not _resend_allowed(actor, message):
        raise BusinessRuleError("Bạn không có quyền gửi lại thư/tin nhắn này.")
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().get(pk=message.pk)
        if message.status != Status.FAILED:
            raise BusinessRuleError("Chỉ gửi lại được thư/tin nhắn đã gửi không được.")
        if message.resends.exists():
            raise BusinessRuleError("Thư/tin nhắn này đã được gửi lại; xem bản gửi lại.")
        if message.carries_secret and not secret:
            raise BusinessRuleError(
                "Thư này mang mã tra cứu, đã xoá khi gửi không được: gửi lại từ trang hồ sơ để cấp mã mới."
            )
        attachments = []
        for attachment in message.attachments.all():
            with attachment.file.open("rb") as stored:
                attachments.append((attachment.filename, stored.read(), attachment.mimetype))
        return message_queue(
            channel=message.channel,
            recipient=message.recipient,
            subject=message.subject,
            body=message.body,
            about=message.about,
            attachments=attachments,
            actor=actor,
            secret=secret if message.carries_secret else None,
            resend_of=message,
        )
