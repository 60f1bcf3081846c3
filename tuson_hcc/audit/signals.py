"""Logins, failed logins and logouts go to the access log (DESIGN.md section 5)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AccessEvent
from .services import access_event_record


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    if request is not None and getattr(request, "user", None) is None:
        request.user = user
    access_event_record(kind=AccessEvent.Kind.LOGIN_SUCCESS, request=request, username=user.get_username())


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    access_event_record(
        kind=AccessEvent.Kind.LOGIN_FAILURE, request=request, username=str(credentials.get("username", ""))
    )


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    access_event_record(kind=AccessEvent.Kind.LOGOUT, request=request, username=user.get_username() if user else "")
