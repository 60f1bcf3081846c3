from django.db import models

from tuson_hcc.core.labels import choice_label


class WorkerHeartbeat(models.Model):
    """The last time a worker ran the heartbeat job: a row, so every web process sees it."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = "nhịp sống của tiến trình nền"
        verbose_name_plural = "nhịp sống của tiến trình nền"

    def __str__(self):
        return f"{self.name}: {self.seen_at:%Y-%m-%d %H:%M:%S}"


class JobRun(models.Model):
    """A long job a user started from a page (a chain check, an inspection): its progress and result.

    The page polls it (htmx, every 2 s) until it is done; the job writes `done`/`total` as it goes.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Xong"
        FAILED = "failed", "Lỗi"

    kind = models.CharField("loại", max_length=50)
    title = models.CharField("tên", max_length=255)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED)
    started_by = models.ForeignKey(
        "accounts.User", verbose_name="người chạy", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    done = models.PositiveBigIntegerField("đã xử lý", default=0)
    total = models.PositiveBigIntegerField("tổng", default=0)
    # {"ok": bool, "summary": str, "lines": [str], "url": str, "url_label": str}
    result = models.JSONField("kết quả", default=dict, blank=True)
    error = models.TextField("lỗi", blank=True)

    class Meta:
        verbose_name = "tác vụ nền"
        verbose_name_plural = "tác vụ nền"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.title} ({choice_label(self, 'status')})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0
