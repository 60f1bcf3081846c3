from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from .models import OutboundMessage


def messages_about(obj) -> QuerySet[OutboundMessage]:
    """The messages sent about `obj` (any record), newest first, for its timeline."""
    return OutboundMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("-created_at", "-pk")


def failed_not_resent(messages: list[OutboundMessage]) -> list[OutboundMessage]:
    """The messages of `messages` (all those about one record) that failed for good and were not sent again:
    a resend is about the same record (`message_resend`), so it is in the same list."""
    resent = {m.resend_of_id for m in messages if m.resend_of_id}
    return [m for m in messages if m.status == "failed" and m.pk not in resent]
