from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.history import AuditedHistory
from tuson_hcc.core.labels import choice_label
from tuson_hcc.ledgers.models import LedgerEntry


class HandoverConsent(models.Model):
    """The Director's consent to hand a seal to someone other than the Văn thư (Quy chế 157, Điều 7.4)."""

    seal = models.ForeignKey("seals.Seal", verbose_name="con dấu", on_delete=models.PROTECT, related_name="consents")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người nhận", on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField("mục đích", max_length=500)
    valid_until = models.DateTimeField("hiệu lực đến")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="Giám đốc đồng ý", on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField("thời điểm đồng ý")
    used_at = models.DateTimeField("đã dùng lúc", null=True, blank=True)
    history = AuditedHistory()

    class Meta:
        verbose_name = "ý kiến đồng ý giao con dấu"
        verbose_name_plural = "ý kiến đồng ý giao con dấu"
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.seal} → {self.recipient}"


class CustodyEntry(LedgerEntry):
    """One handover of a seal (giao nhận con dấu): out of or back into the Văn thư's custody.

    A ledger with one chain per seal; each entry has its biên bản giao nhận (NĐ 30/2020 Điều 32).
    """

    class Movement(models.TextChoices):
        HAND_OVER = "hand_over", _("Giao con dấu")
        TAKE_BACK = "take_back", _("Nhận lại con dấu")
        CHECK_OUT = "check_out", _("Giao mang ra ngoài Trung tâm")
        RETURN = "return", _("Nhận lại sau khi mang ra ngoài")

    seal = models.ForeignKey("seals.Seal", verbose_name="con dấu", on_delete=models.PROTECT, related_name="custody")
    movement = models.CharField("loại giao nhận", max_length=20, choices=Movement.choices)
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="bên giao", on_delete=models.PROTECT, related_name="+"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="bên nhận", on_delete=models.PROTECT, related_name="+"
    )
    consent = models.ForeignKey(
        HandoverConsent,
        verbose_name="ý kiến đồng ý",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checkout = models.ForeignKey(
        "seals.SealCheckout",
        verbose_name="lần mang dấu ra ngoài",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="custody_entries",
    )
    occurred_at = models.DateTimeField("thời điểm giao nhận")
    condition = models.CharField("tình trạng con dấu", max_length=255, default="Nguyên vẹn")
    note = models.CharField("ghi chú", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người ghi", on_delete=models.PROTECT, related_name="+"
    )

    # Also in simple-history, so each entry shows in the auditors' history with its actor and action.
    history = AuditedHistory()

    chained_fields = (
        "seal",
        "movement",
        "giver",
        "receiver",
        "consent",
        "checkout",
        "occurred_at",
        "condition",
        "note",
        "recorded_by",
    )

    class Meta(LedgerEntry.Meta):
        verbose_name = "lần giao nhận con dấu"
        verbose_name_plural = "sổ giao nhận con dấu tại Trung tâm"
        indexes = [models.Index(fields=["seal", "occurred_at"], name="custody_seal_time")]

    def __str__(self) -> str:
        return f"{choice_label(self, 'movement')} {self.seal_id} #{self.sequence}"
