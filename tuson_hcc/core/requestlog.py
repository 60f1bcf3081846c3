"""A request id on every request and every log line, with the signed-in user's id.

The id comes from the proxy's `X-Request-ID` when it looks like one (nginx sends `$request_id`),
so the proxy's log and ours name the same request; otherwise a new one. It goes back in the response.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.utils.functional import empty

_current_request = ContextVar("tuson_hcc_request", default=None)
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_logger = logging.getLogger("tuson_hcc.requests")


def request_id_of(request) -> str:
    offered = request.META.get("HTTP_X_REQUEST_ID", "")
    return offered if _SAFE_ID.match(offered) else uuid.uuid4().hex


def _user_id(request) -> str:
    # Only a user already loaded: a log line must never run a query of its own.
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return "-"
    return str(wrapped.pk)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        token = _current_request.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            request_logger.info(
                "%s %s %s %dms",
                request.method,
                request.get_full_path()[:300],
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            return response
        finally:
            _current_request.reset(token)


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` to every record ("-" outside a request)."""

    def filter(self, record):
        request = _current_request.get()
        record.request_id = getattr(request, "request_id", "-") if request is not None else "-"
        record.user_id = _user_id(request) if request is not None else "-"
        return True
