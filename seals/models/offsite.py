from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.history import AuditedHistory
from tuson_hcc.core.labels import choice_label


class OffsiteRequest(models.Model):
    """A request to take a seal outside the Centre (đề nghị mang con dấu ra ngoài Trung tâm).

    Quy chế 157, Điều 5.2, 6.2, 8.4: the Director's opinion, then the owning agency Head's
    decision, then the Director's permission, in writing and in that order.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Chờ ý kiến Giám đốc")
        FORWARDED = "forwarded", _("Chờ Thủ trưởng quyết định")
        HEAD_AGREED = "head_agreed", _("Chờ Giám đốc cho phép")
        PERMITTED = "permitted", _("Được phép, chờ giao dấu")
        CHECKED_OUT = "checked_out", _("Con dấu đang ở ngoài")
        RETURNED = "returned", _("Đã trả con dấu")
        REJECTED = "rejected", _("Giám đốc không đồng ý")
        REFUSED = "refused", _("Thủ trưởng không đồng ý")
        DENIED = "denied", _("Giám đốc không cho phép")
        WITHDRAWN = "withdrawn", _("Đã rút đề nghị")
        EXPIRED = "expired", _("Hết hạn, không sử dụng")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Bình thường")
        URGENT = "urgent", _("Cấp bách")

    seal = models.ForeignKey(
        "seals.Seal", verbose_name="con dấu", on_delete=models.PROTECT, related_name="offsite_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người đề nghị", on_delete=models.PROTECT, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người lập", on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.TextField("mục đích")
    procedures = models.ManyToManyField("procedures.Procedure", verbose_name="thủ tục hành chính", related_name="+")
    documents = models.TextField("văn bản cần đóng dấu")
    destination = models.CharField("nơi mang đến", max_length=255)
    carrier = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người mang con dấu", on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField("từ")
    due_back_at = models.DateTimeField("hạn trả con dấu")
    urgency = models.CharField("mức độ", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Bumped on every edit; a decision names the version it read, so it cannot approve an outdated text.
    version = models.PositiveIntegerField("phiên bản", default=1)
    created_at = models.DateTimeField("ngày lập")
    reminded_at = models.DateTimeField("đã nhắc lúc", null=True, blank=True)
    history = AuditedHistory(m2m_fields=[procedures])

    class Meta:
        verbose_name = "đề nghị mang con dấu ra ngoài"
        verbose_name_plural = "đề nghị mang con dấu ra ngoài"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_back_at"], name="offsite_status_due"),
            models.Index(fields=["seal", "created_at"], name="offsite_seal_created"),
            models.Index(fields=["created_at", "id"], name="offsite_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_back_at__gt=models.F("starts_at")),
                name="offsite_due_after_start",
                violation_error_message="Hạn trả con dấu phải sau thời điểm mang đi.",
            ),
        ]

    def __str__(self) -> str:
        return f"Đề nghị số {self.pk} – {self.seal.code}"

    def get_absolute_url(self) -> str:
        return reverse("seals:offsite_detail", args=[self.pk])


class OffsiteDecision(models.Model):
    """One written decision on an off-site request: who, in which role, when, what, on which version."""

    class Step(models.TextChoices):
        DIRECTOR_OPINION = "director_opinion", _("Ý kiến của Giám đốc Trung tâm")
        HEAD_DECISION = "head_decision", _("Quyết định của Thủ trưởng cơ quan")
        DIRECTOR_PERMISSION = "director_permission", _("Cho phép của Giám đốc Trung tâm")

    step = models.CharField("bước", max_length=30, choices=Step.choices)
    request = models.ForeignKey(
        OffsiteRequest, verbose_name="đề nghị", on_delete=models.PROTECT, related_name="decisions"
    )
    approved = models.BooleanField("đồng ý")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người quyết định", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("với vai trò", max_length=30)
    position = models.CharField("chức vụ", max_length=120, blank=True)
    decided_at = models.DateTimeField("thời điểm")
    comment = models.TextField("ý kiến", blank=True)
    scan = models.FileField("bản chụp văn bản ký", upload_to="seals/offsite/%Y/", blank=True)
    request_version = models.PositiveIntegerField("phiên bản đề nghị")
    history = AuditedHistory()

    class Meta:
        verbose_name = "ý kiến, quyết định"
        verbose_name_plural = "ý kiến, quyết định"
        ordering = ["decided_at", "id"]
        constraints = [
            # No step is ever taken twice for one request.
            models.UniqueConstraint(fields=["request", "step"], name="offsite_one_decision_per_step"),
        ]

    def __str__(self) -> str:
        return f"{choice_label(self, 'step')}: {'đồng ý' if self.approved else 'không đồng ý'}"


def checkout_overdue(now) -> Q:
    """ "Quá hạn" for a seal out of the Centre (Quy chế 157, Điều 7: flagged at once): not back yet, and past
    its due-back time; the one meaning the lists, the dashboards, the reminders and the reports share."""
    return Q(returned_at__isnull=True, due_back_at__lt=now)


class SealCheckout(models.Model):
    """A seal out of the Centre under a fully approved request, until the Văn thư takes it back."""

    request = models.OneToOneField(
        OffsiteRequest, verbose_name="đề nghị", on_delete=models.PROTECT, related_name="checkout"
    )
    seal = models.ForeignKey("seals.Seal", verbose_name="con dấu", on_delete=models.PROTECT, related_name="checkouts")
    carrier = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người mang", on_delete=models.PROTECT, related_name="+"
    )
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="Văn thư giao", on_delete=models.PROTECT, related_name="+"
    )
    checked_out_at = models.DateTimeField("thời điểm giao")
    due_back_at = models.DateTimeField("hạn trả")
    returned_at = models.DateTimeField("thời điểm trả", null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Văn thư nhận lại",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_condition = models.CharField("tình trạng khi trả", max_length=255, blank=True)
    overdue_notified_at = models.DateTimeField("đã báo quá hạn lúc", null=True, blank=True)
    history = AuditedHistory()

    class Meta:
        verbose_name = "lần mang con dấu ra ngoài"
        verbose_name_plural = "các lần mang con dấu ra ngoài"
        ordering = ["-checked_out_at"]
        constraints = [
            # One seal, one open check-out: the database refuses a second one even under a race.
            models.UniqueConstraint(
                fields=["seal"], condition=Q(returned_at__isnull=True), name="one_open_checkout_per_seal"
            ),
        ]
        indexes = [models.Index(fields=["returned_at", "due_back_at"], name="checkout_open_due")]

    def __str__(self) -> str:
        return f"{self.seal.code} – {self.carrier}"

    @property
    def is_open(self) -> bool:
        return self.returned_at is None

    def is_overdue_at(self, now) -> bool:
        """`checkout_overdue` for this one check-out."""
        return self.returned_at is None and self.due_back_at < now
