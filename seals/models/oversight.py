from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.history import AuditedHistory
from tuson_hcc.core.labels import choice_label


class ExceptionAuthorisation(models.Model):
    """A written authorisation to use a seal outside the catalogue (Quy chế 157, Điều 5.3).

    Signed by the Chairman (city seal) or the agency Head (agency seal), recorded by the Director,
    cited by each stamping it covers and counted down.
    """

    seal = models.ForeignKey(
        "seals.Seal", verbose_name="con dấu", on_delete=models.PROTECT, related_name="exception_authorisations"
    )
    document_number = models.CharField("số văn bản", max_length=60)
    document_date = models.DateField("ngày văn bản")
    signed_by = models.CharField("người ký (Chủ tịch / Thủ trưởng)", max_length=120)
    scan = models.FileField("bản chụp văn bản", upload_to="seals/exceptions/%Y/")
    purpose = models.CharField("mục đích, phạm vi", max_length=500)
    valid_from = models.DateField("hiệu lực từ ngày")
    valid_until = models.DateField("hiệu lực đến ngày")
    max_uses = models.PositiveIntegerField("số lần đóng dấu tối đa")
    uses = models.PositiveIntegerField("số lần đã dùng", default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="Giám đốc ghi nhận", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("thời điểm ghi nhận")
    history = AuditedHistory()

    class Meta:
        verbose_name = "văn bản cho phép đóng dấu ngoài danh mục"
        verbose_name_plural = "văn bản cho phép đóng dấu ngoài danh mục"
        ordering = ["-document_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(uses__lte=F("max_uses")),
                name="exception_uses_within_max",
                violation_error_message="Văn bản cho phép đã dùng hết số lần đóng dấu.",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")),
                name="exception_window_order",
                violation_error_message="Ngày hết hiệu lực phải từ ngày bắt đầu trở đi.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} ({self.uses}/{self.max_uses})"

    @property
    def remaining(self) -> int:
        return self.max_uses - self.uses


class SealIncident(models.Model):
    """A lost or damaged seal, or another incident (Quy chế 157, Điều 9.3); blocks stamping while open."""

    class Kind(models.TextChoices):
        LOST = "lost", _("Mất con dấu")
        DAMAGED = "damaged", _("Con dấu bị hỏng")
        OTHER = "other", _("Sự cố khác")

    class Outcome(models.TextChoices):
        RESTORED = "restored", _("Tiếp tục sử dụng")
        RETIRED = "retired", _("Thôi sử dụng con dấu")

    seal = models.ForeignKey("seals.Seal", verbose_name="con dấu", on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField("loại sự cố", max_length=20, choices=Kind.choices)
    description = models.TextField("mô tả")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người báo cáo", on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField("thời điểm báo cáo")
    status_before = models.CharField("tình trạng trước sự cố", max_length=20)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Giám đốc kết thúc",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField("thời điểm kết thúc", null=True, blank=True)
    outcome = models.CharField("kết quả xử lý", max_length=20, choices=Outcome.choices, blank=True)
    resolution = models.TextField("biện pháp xử lý", blank=True)
    history = AuditedHistory()

    class Meta:
        verbose_name = "sự cố con dấu"
        verbose_name_plural = "sự cố con dấu"
        ordering = ["-reported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["seal"], condition=Q(closed_at__isnull=True), name="one_open_incident_per_seal"
            ),
        ]

    def __str__(self) -> str:
        return f"{choice_label(self, 'kind')} – {self.seal}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Inspection(models.Model):
    """The Director's inspection of seals and their use (Quy chế 157, Điều 5.4)."""

    inspected_at = models.DateTimeField("thời điểm kiểm tra")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người kiểm tra", on_delete=models.PROTECT, related_name="+"
    )
    seals = models.ManyToManyField("seals.Seal", verbose_name="con dấu được kiểm tra", related_name="inspections")
    condition = models.CharField("tình trạng con dấu", max_length=255)
    ledger_ok = models.BooleanField("sổ đóng dấu toàn vẹn")
    ledger_result = models.TextField("kết quả kiểm tra chuỗi sổ")
    findings = models.TextField("nhận xét, phát hiện", blank=True)
    actions = models.TextField("biện pháp, kiến nghị", blank=True)
    history = AuditedHistory(m2m_fields=[seals])

    class Meta:
        verbose_name = "lần kiểm tra con dấu"
        verbose_name_plural = "kiểm tra con dấu"
        ordering = ["-inspected_at"]

    def __str__(self) -> str:
        return f"Kiểm tra {self.inspected_at:%d/%m/%Y}"
