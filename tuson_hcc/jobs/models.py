from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time a worker ran the heartbeat job: a row, so every web process sees it."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = "nhịp sống của tiến trình nền"
        verbose_name_plural = "nhịp sống của tiến trình nền"

    def __str__(self):
        return f"{self.name}: {self.seen_at:%Y-%m-%d %H:%M:%S}"
