"""What the worker runs: the trampoline behind `enqueue()` and the heartbeat."""

from django.utils import timezone
from django.utils.module_loading import import_string

from .models import WorkerHeartbeat


def run(func: str, args: tuple, kwargs: dict):
    return import_string(func)(*args, **kwargs)


def heartbeat() -> None:
    """Scheduled every minute: proves that the scheduler, the broker and a worker all run."""
    WorkerHeartbeat.objects.update_or_create(name="default", defaults={"seen_at": timezone.now()})
