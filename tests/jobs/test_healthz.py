"""`/healthz/` checks the database, the cache and the worker's heartbeat (issue 10)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django_q.models import Schedule
from django_q.scheduler import scheduler

from tuson_hcc.jobs.models import WorkerHeartbeat
from tuson_hcc.jobs.schedules import schedules_ensure


def test_the_scheduled_heartbeat_makes_the_worker_check_pass(client, db):
    schedules_ensure()
    Schedule.objects.filter(name="heartbeat").update(next_run=timezone.now() - dt.timedelta(seconds=1))
    scheduler()  # what the worker's scheduler does every 30 s; the job runs synchronously in tests
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert {name: check["status"] for name, check in response.json()["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "worker": "ok",
    }
    assert response["Cache-Control"] == "no-store"


def test_a_worker_that_stopped_beating_fails_the_probe_with_503(client, db):
    WorkerHeartbeat.objects.create(name="default", seen_at=timezone.now())
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["status"] == "fail" and response.json()["checks"]["worker"]["status"] == "fail"


def test_a_worker_that_never_ran_is_reported_degraded_not_down(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["status"] == "degraded"


def test_a_broken_cache_fails_the_probe(client, db, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz/")
    assert response.status_code == 503 and response.json()["checks"]["cache"]["status"] == "fail"


@pytest.mark.parametrize("method", ["post", "put"])
def test_the_probe_only_answers_get(client, db, method):
    assert getattr(client, method)("/healthz/").status_code == 405
