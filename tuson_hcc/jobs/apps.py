from django.apps import AppConfig
from django.db.models.signals import post_migrate


class JobsConfig(AppConfig):
    name = "tuson_hcc.jobs"
    label = "jobs"
    verbose_name = "Tác vụ nền"

    def ready(self):
        from tuson_hcc.core import registry

        from .schedules import schedules_ensure

        registry.register_schedule(
            registry.ScheduledJob(name="heartbeat", func="tuson_hcc.jobs.tasks.heartbeat", minutes=1)
        )
        post_migrate.connect(schedules_ensure, sender=self, dispatch_uid="tuson_hcc.jobs.schedules_ensure")
