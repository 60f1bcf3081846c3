"""The client's address, one rule for the access log, the login lockout (axes) and the /lookup/ limit.

X-Forwarded-For is only believed when `TRUSTED_PROXY_COUNT` says how many proxies append to it:
each appends the address it saw, so the client is the entry that many places from the right.
Anything a client writes further left is ignored. With 0 (the default) only REMOTE_ADDR counts.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    if request is None:
        return None
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < trusted:
        return remote  # the request did not come through the configured proxies
    return _valid(hops[-trusted]) or remote
