from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from .models import OutboundMessage


def messages_about(obj) -> QuerySet[OutboundMessage]:
    """The messages sent about `obj` (any record), newest first, for its timeline."""
    return OutboundMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("-created_at", "-pk")
