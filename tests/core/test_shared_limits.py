"""Limits hold across workers and servers (DESIGN.md section 9): the shared cache, one client-address rule."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.test import RequestFactory
from django.urls import reverse

from registrations.online import LOOKUP_ATTEMPTS
from tuson_hcc.core import ratelimit
from tuson_hcc.core.clientip import client_ip

ROOT = Path(__file__).resolve().parents[2]


def _cache_backend_in_a_fresh_process(**env) -> str:
    code = (
        "from django.conf import settings; import django; django.setup(); print(settings.CACHES['default']['BACKEND'])"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tuson_hcc.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_cache_is_the_database_by_default_and_redis_when_given():
    assert _cache_backend_in_a_fresh_process() == "django.core.cache.backends.db.DatabaseCache"
    assert _cache_backend_in_a_fresh_process(REDIS_URL="redis://127.0.0.1:6379/1") == (
        "django.core.cache.backends.redis.RedisCache"
    )


@pytest.mark.django_db
def test_the_limit_is_exact_when_two_processes_count_with_their_own_cache_clients():
    # Two cache clients with nothing in common but the table: what two gunicorn workers have.
    workers = [DatabaseCache("hcc_cache", {}), DatabaseCache("hcc_cache", {})]
    answers = []
    for attempt in range(50):
        with mock.patch.object(ratelimit, "cache", workers[attempt % 2]):
            answers.append(ratelimit.rate_limit_allows("test:shared", limit=20, window_seconds=600))
    assert answers == [True] * 20 + [False] * 30


@pytest.mark.django_db
def test_lookup_refuses_the_21st_try_from_one_address_whichever_worker_answers(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "hcc_cache"}}
    workers = [DatabaseCache("hcc_cache", {}), DatabaseCache("hcc_cache", {})]
    url = reverse("registrations_public:lookup")
    statuses = []
    for attempt in range(LOOKUP_ATTEMPTS + 5):
        with mock.patch.object(ratelimit, "cache", workers[attempt % 2]):
            response = client.post(url, {"code": "HS-X", "secret": f"SAI{attempt:04d}"}, REMOTE_ADDR="203.0.113.5")
            statuses.append(response.status_code)
    assert statuses == [200] * LOOKUP_ATTEMPTS + [429] * 5
    assert "Bạn đã tra cứu quá nhiều lần" in response.content.decode()
    assert response["Retry-After"] == "600"
    # Another address still has its own budget.
    assert client.post(url, {"code": "HS-X", "secret": "SAI"}, REMOTE_ADDR="203.0.113.6").status_code == 200


def _request(remote="10.0.0.1", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("198.51.100.7", forwarded="1.2.3.4")) == "198.51.100.7"


def test_behind_one_trusted_proxy_the_address_it_saw_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # nginx appends the address it saw; whatever the client wrote before it is not believed.
    assert client_ip(_request("127.0.0.1", forwarded="6.6.6.6, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request("127.0.0.1", forwarded="198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"  # not through the proxy
    assert client_ip(_request("127.0.0.1", forwarded="not-an-address")) == "127.0.0.1"


def test_the_login_lockout_uses_the_same_address_rule(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = _request("127.0.0.1", forwarded="6.6.6.6, 198.51.100.7")
    assert get_client_ip_address(request) == client_ip(request) == "198.51.100.7"


@pytest.mark.django_db
def test_login_failures_are_counted_in_the_database_for_every_worker(client, demo_users):
    from axes.models import AccessAttempt

    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": "vanthu", "password": "sai"}, REMOTE_ADDR="10.9.9.9")
    assert AccessAttempt.objects.get(username="vanthu").failures_since_start == settings.AXES_FAILURE_LIMIT - 1
    # Another worker has nothing of its own: a new client, the same rows, locked at the next failure.
    from django.test import Client

    other = Client()
    other.post(url, {"username": "vanthu", "password": "sai"}, REMOTE_ADDR="10.9.9.9")
    response = other.post(url, {"username": "vanthu", "password": "test-pass-2026"}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
