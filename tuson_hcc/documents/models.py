"""Issued documents (văn bản đã phát hành): rendered once, stored, verified by QR (DESIGN.md section 3)."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from tuson_hcc.core.history import AuditedHistory


def new_verify_token() -> str:
    return secrets.token_urlsafe(24)


def document_upload_to(instance: "IssuedDocument", filename: str) -> str:
    # Private storage: MEDIA_ROOT/documents/YYYY/, served only through document_file_response().
    year = timezone.localtime(instance.issued_at or timezone.now()).year
    return f"documents/{year}/{instance.kind}-{instance.verify_token[:12]}.pdf"


class IssuedDocument(models.Model):
    """One issued PDF: its number, subject, stored bytes and SHA-256, and its public verification token."""

    kind = models.CharField("loại văn bản", max_length=50)  # e.g. "mau_01", "bien_ban_giao_nhan"
    title = models.CharField("tên văn bản", max_length=255)
    number = models.CharField("số", max_length=50)  # e.g. "15/2026"
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    key = models.CharField(
        "khóa phân biệt", max_length=100, blank=True, default="", help_text="Để phát hành nhiều văn bản cùng loại."
    )
    file = models.FileField("tệp", upload_to=document_upload_to, max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("kích thước (byte)")
    verify_token = models.CharField("mã xác thực", max_length=64, unique=True, default=new_verify_token)
    # The body named in the document's header (the police unit for the intake's forms), shown by /verify/.
    issuer = models.CharField("cơ quan phát hành", max_length=600, blank=True, default="")
    public_summary = models.JSONField("thông tin công khai", default=dict, blank=True)
    issued_at = models.DateTimeField("thời điểm phát hành", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người phát hành", on_delete=models.PROTECT, related_name="+"
    )
    history = AuditedHistory()

    class Meta:
        verbose_name = "văn bản đã phát hành"
        verbose_name_plural = "văn bản đã phát hành"
        constraints = [
            # Rendered once: issuing again for the same subject, kind and key returns this row.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "key"], name="documents_issued_once_per_subject"
            ),
        ]
        indexes = [models.Index(fields=["kind", "issued_at"], name="documents_kind_issued_at")]

    def __str__(self) -> str:
        return f"{self.title} số {self.number}"

    def get_verify_url(self) -> str:
        """The absolute public URL printed in the QR code."""
        return settings.PUBLIC_BASE_URL + reverse("documents:verify", args=[self.verify_token])


class DocumentCounter(models.Model):
    """The last number given to one kind of document in one year; locked while allocating."""

    kind = models.CharField(max_length=50)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "bộ đếm số văn bản"
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="documents_counter_kind_year")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last_number}"
