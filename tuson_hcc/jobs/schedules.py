"""Periodic jobs: each registered `ScheduledJob` becomes one django-q2 Schedule, found by name."""

from django.utils import timezone

from tuson_hcc.core import registry


def schedules_ensure(using: str = "default", **_signal_kwargs) -> None:
    """Create or update the Schedule rows (idempotent: runs after every `migrate`)."""
    from django.db import connections
    from django_q.models import Schedule

    if Schedule._meta.db_table not in connections[using].introspection.table_names():
        return  # a partial `migrate <app>` before django_q's tables exist
    schedules = Schedule.objects.using(using)
    for job in registry.scheduled_jobs:
        schedule = schedules.filter(name=job.name).order_by("pk").first()
        if schedule is None:
            schedules.create(
                name=job.name,
                func=job.func,
                schedule_type=Schedule.MINUTES,
                minutes=job.minutes,
                repeats=-1,
                next_run=timezone.now(),
            )
        elif (schedule.func, schedule.minutes, schedule.schedule_type) != (job.func, job.minutes, Schedule.MINUTES):
            schedule.func, schedule.minutes, schedule.schedule_type, schedule.repeats = (
                job.func,
                job.minutes,
                Schedule.MINUTES,
                -1,
            )
            schedule.save(using=using)
