from django.db import models


class StampingDayTotal(models.Model):
    """What stands in one seal's log on one local day: the register's totals read these rows.

    Maintained by `seals.services.totals` in the transaction of each stamping or correction (under
    the seal's row lock), so totals over a quarter sum ~1,800 rows instead of ~50,000 entries.
    """

    seal = models.ForeignKey("seals.Seal", on_delete=models.PROTECT, related_name="+")
    day = models.DateField("ngày")
    entries = models.IntegerField("số lần đóng dấu", default=0)
    copies = models.IntegerField("số bản", default=0)
    impressions = models.IntegerField("số lần đóng dấu", default=0)
    exceptions = models.IntegerField("theo văn bản cho phép", default=0)
    offsite = models.IntegerField("ngoài Trung tâm", default=0)

    class Meta:
        verbose_name = "tổng sổ đóng dấu theo ngày"
        verbose_name_plural = "tổng sổ đóng dấu theo ngày"
        constraints = [models.UniqueConstraint(fields=["day", "seal"], name="stamping_day_total_day_seal")]

    def __str__(self) -> str:
        return f"{self.seal_id} {self.day}: {self.entries}"
