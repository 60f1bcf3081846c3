"""The background-jobs contract (CONTRACTS.md): a job runs after its transaction commits, never if rolled back."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django_q.models import Schedule

from tuson_hcc.core import registry
from tuson_hcc.jobs import enqueue
from tuson_hcc.jobs.schedules import schedules_ensure

from . import probe


@pytest.fixture(autouse=True)
def _clear_probe():
    probe.calls.clear()


def test_a_job_runs_when_the_transaction_that_queued_it_commits(db):
    with transaction.atomic():
        enqueue("tests.jobs.probe.record", 7, timeout="not django-q's option", group="x")
        assert probe.calls == []  # not yet: the row it needs may not be visible to the worker
    assert probe.calls == [((7,), {"timeout": "not django-q's option", "group": "x"})]


def test_a_job_queued_in_a_rolled_back_transaction_never_runs(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("tests.jobs.probe.record", 1)
        raise RuntimeError("the service refused")
    assert probe.calls == []


def test_enqueue_takes_a_dotted_path_not_a_function(db):
    with pytest.raises(TypeError):
        enqueue(probe.record)


def test_every_registered_schedule_exists_once_even_after_several_migrations(db):
    call_command("migrate", verbosity=0)
    schedules_ensure()
    names = {job.name for job in registry.scheduled_jobs}
    assert {"heartbeat"} <= names
    for job in registry.scheduled_jobs:
        assert Schedule.objects.filter(name=job.name).count() == 1
        row = Schedule.objects.get(name=job.name)
        assert (row.func, row.minutes, row.schedule_type, row.repeats) == (job.func, job.minutes, Schedule.MINUTES, -1)


def test_a_schedule_whose_interval_changed_is_updated_in_place(db):
    schedules_ensure()
    Schedule.objects.filter(name="heartbeat").update(minutes=99)
    schedules_ensure()
    assert list(Schedule.objects.filter(name="heartbeat").values_list("minutes", flat=True)) == [1]
