"""What `/healthz/` checks: the database, the cache, and the worker's heartbeat (a row every minute)."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .models import WorkerHeartbeat

OK, DEGRADED, FAIL = "ok", "degraded", "fail"


def database_check() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"status": OK}
    except Exception as exc:
        return {"status": FAIL, "error": type(exc).__name__}


def cache_check() -> dict:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, 10)
        found = cache.get(key)
        cache.delete(key)
    except Exception as exc:
        return {"status": FAIL, "error": type(exc).__name__}
    return {"status": OK} if found == value else {"status": FAIL, "error": "value not read back"}


def worker_check(now=None) -> dict:
    """Fails when the last heartbeat is too old: the worker stopped, so reminders and mail stopped.

    Never seen at all is only "degraded": a fresh install before the worker's first minute, or a
    development server started without `make worker`. Queued jobs wait in the database meanwhile.
    """
    now = now or timezone.now()
    try:
        beat = WorkerHeartbeat.objects.filter(name="default").values_list("seen_at", flat=True).first()
    except Exception as exc:
        return {"status": FAIL, "error": type(exc).__name__}
    if beat is None:
        return {"status": DEGRADED, "error": "no worker heartbeat yet (make worker)"}
    age = int((now - beat).total_seconds())
    if age > settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS:
        return {"status": FAIL, "last_seen_seconds_ago": age}
    return {"status": OK, "last_seen_seconds_ago": age}


def health_report() -> tuple[dict, int]:
    checks = {"database": database_check(), "cache": cache_check()}
    checks["worker"] = worker_check() if checks["database"]["status"] == OK else {"status": FAIL}
    statuses = {check["status"] for check in checks.values()}
    overall = FAIL if FAIL in statuses else DEGRADED if DEGRADED in statuses else OK
    return {"status": overall, "checks": checks}, 503 if overall == FAIL else 200
