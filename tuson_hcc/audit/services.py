"""Writing to the access log."""

from django.contrib.contenttypes.models import ContentType

from tuson_hcc.core.clientip import client_ip

from .models import AccessEvent


def access_event_record(*, kind: str, request=None, obj=None, detail: str = "", username: str = "") -> AccessEvent:
    """Log one access: `kind` an `AccessEvent.Kind`, `obj` the model instance read (if any).

    The user, IP and user agent come from `request`; `username` overrides the copied name
    (a failed login names the attempted account, not a signed-in user).
    """
    user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    event = AccessEvent(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:255],
        detail=detail[:255],
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj)
        event.object_id = str(obj.pk)
    event.save()
    return event
