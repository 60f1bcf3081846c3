"""Login is required everywhere except the public pages of DESIGN.md section 6."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Public by contract (DESIGN.md section 6) or by nature (login itself, the liveness probe).
PUBLIC_PREFIXES = (
    "accounts/login/",
    "admin/login/",
    "verify/",
    "lookup/",
    "submit/",
    "healthz/",
    "i18n/",
    "static/",
)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _concrete(route: str) -> str:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\/", "/")
    route = re.sub(
        r"<(?:(\w+):)?(\w+)>",
        lambda m: "00000000-0000-0000-0000-000000000001" if m.group(1) == "uuid" else "1",
        route,
    )
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    return "/" + route.replace("(?:", "").replace(")?", "").replace("?", "")


ALL_ROUTES = sorted(set(_walk(get_resolver().url_patterns)))


def test_the_walk_finds_the_routes():
    assert len(ALL_ROUTES) > 10


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ALL_ROUTES if not r.lstrip("^").startswith(PUBLIC_PREFIXES)])
def test_anonymous_user_is_sent_to_login(client, route):
    url = _concrete(route)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 403, 405), (method, url, response.status_code)
        if response.status_code == 302:
            assert "login" in response["Location"], (method, url, response["Location"])
