"""Jobs started from a page, with a progress row (`JobRun`) the page polls until the result is in."""

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from . import enqueue
from .models import JobRun

logger = logging.getLogger(__name__)


def job_run_start(*, kind: str, title: str, func: str, actor, **kwargs) -> JobRun:
    """Record the run and queue `func(progress=..., **kwargs)`; it returns the result dict.

    Callers (services) check the actor's permission first: this only records and queues.
    """
    with transaction.atomic():
        run = JobRun.objects.create(kind=kind, title=title, started_by=actor)
        enqueue("tuson_hcc.jobs.runs.job_run_execute", run.pk, func, kwargs)
    return run


def _progress_writer(pk: int) -> Callable[[int, int], None]:
    def progress(done: int, total: int) -> None:
        # Its own statement outside any transaction of the job: visible to the page at once.
        JobRun.objects.filter(pk=pk).update(done=done, total=total)

    return progress


def job_run_execute(pk: int, func: str, kwargs: dict) -> None:
    """What the worker runs: mark running, call the job, store its result or its error."""
    updated = JobRun.objects.filter(pk=pk, status=JobRun.Status.QUEUED).update(
        status=JobRun.Status.RUNNING, started_at=timezone.now()
    )
    if not updated:
        return  # already run (a job handed out twice after a worker died)
    try:
        result = import_string(func)(progress=_progress_writer(pk), **kwargs)
    except Exception as exc:
        logger.exception("job run %s (%s) failed", pk, func)
        JobRun.objects.filter(pk=pk).update(
            status=JobRun.Status.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return
    JobRun.objects.filter(pk=pk).update(status=JobRun.Status.DONE, finished_at=timezone.now(), result=result or {})
