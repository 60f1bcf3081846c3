from django.db import models
from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.history import AuditedHistory
from tuson_hcc.core.labels import choice_label


class CalendarOverride(models.Model):
    """A local correction to the national calendar: an extra day off or a swap working day."""

    class Kind(models.TextChoices):
        DAY_OFF = "nghi", _("Ngày nghỉ")
        WORKING_DAY = "lam_viec", _("Ngày làm việc (làm bù)")

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    note = models.CharField("căn cứ / ghi chú", max_length=255)
    history = AuditedHistory()

    class Meta:
        verbose_name = "điều chỉnh lịch làm việc"
        verbose_name_plural = "điều chỉnh lịch làm việc"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {choice_label(self, 'kind')}"
