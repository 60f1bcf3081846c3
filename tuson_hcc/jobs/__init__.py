"""Background jobs (CONTRACTS.md): `enqueue("pkg.module.func", *args, **kwargs)`.

The job runs in the django-q2 worker (`make worker`) once the current transaction commits, so
it never sees rows that were rolled back and never runs before they are visible. Arguments must
be picklable plain values (ids, strings), never model instances: the row may change before the
worker picks the job up.
"""

from django.db import transaction


def enqueue(func: str, *args, **kwargs) -> None:
    """Queue the dotted-path function `func(*args, **kwargs)` for the worker, after commit."""
    if not isinstance(func, str) or "." not in func:
        raise TypeError("enqueue() takes the function's dotted path, e.g. 'seals.tasks.reminders_run'")
    transaction.on_commit(lambda: _push(func, args, kwargs))


def _push(func: str, args: tuple, kwargs: dict) -> None:
    from django_q.tasks import async_task

    # Through a trampoline: django-q2 would take kwargs such as `timeout` or `group` for itself.
    async_task("tuson_hcc.jobs.tasks.run", func, args, kwargs, task_name=func)
