from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.history import AuditedHistory


class Seal(models.Model):
    """A seal (con dấu) kept at the Centre; most are agencies' second seals (con dấu thứ 2)."""

    class Kind(models.TextChoices):
        SECOND = "second", _("Con dấu thứ 2")
        OTHER = "other", _("Con dấu khác")

    class Status(models.TextChoices):
        IN_CUSTODY = "in_custody", _("Văn thư đang quản lý")
        HANDED_OVER = "handed_over", _("Đã giao cho người khác")
        OFF_SITE = "off_site", _("Mang ra ngoài Trung tâm")
        SUSPENDED = "suspended", _("Tạm dừng sử dụng")
        LOST = "lost", _("Bị mất")
        RETIRED = "retired", _("Thôi sử dụng")

    code = models.CharField("mã con dấu", max_length=30, unique=True)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name="cơ quan sở hữu", on_delete=models.PROTECT, related_name="seals"
    )
    serves_agencies = models.ManyToManyField(
        "accounts.Agency",
        verbose_name="dùng cho TTHC của cơ quan",
        blank=True,
        related_name="served_by_seals",
        help_text="Ngoài cơ quan sở hữu: ví dụ con dấu UBND dùng cho kết quả do Chủ tịch ký của các phòng.",
    )
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.SECOND)
    description = models.CharField("mô tả", max_length=255, blank=True)
    specimen = models.ImageField("hình mẫu dấu", upload_to="seals/specimens/", blank=True)
    certificate_number = models.CharField("số giấy chứng nhận đăng ký mẫu dấu", max_length=50, blank=True)
    certificate_date = models.DateField("ngày cấp giấy chứng nhận", null=True, blank=True)
    storage_place = models.CharField("nơi bảo quản", max_length=255, default="Tủ khóa tại vị trí làm việc của Văn thư")
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người đang giữ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seals_held",
    )
    # Changed only by the services of seals/services/, each change a history row with its reason.
    status = models.CharField("tình trạng", max_length=20, choices=Status.choices, default=Status.IN_CUSTODY)
    history = AuditedHistory()

    class Meta:
        verbose_name = "con dấu"
        verbose_name_plural = "con dấu"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.agency.name}"

    def get_absolute_url(self) -> str:
        return reverse("seals:detail", args=[self.pk])

    def agency_ids_served(self) -> set[int]:
        # .all() so a prefetch_related("serves_agencies") is used when the caller made one.
        return {self.agency_id, *(agency.pk for agency in self.serves_agencies.all())}
