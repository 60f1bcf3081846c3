import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.labels import choice_label

SECRET_MASK = "••••••••"


class OutboundMessage(models.Model):
    """One e-mail or SMS to one recipient; delivered by the worker (tuson_hcc.notifications.tasks)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không được")

    channel = models.CharField("kênh", max_length=10, choices=Channel.choices)
    recipient = models.CharField("người nhận", max_length=254)
    subject = models.CharField("tiêu đề", max_length=255, blank=True)
    # A message that carries the applicant's lookup secret stores its body with the secret masked
    # (`SECRET_MASK`): timelines and the admin show that. The secret itself is kept sealed (encrypted,
    # `tuson_hcc.notifications.sealing`) only until the message is delivered or fails for good.
    body = models.TextField("nội dung")
    carries_secret = models.BooleanField("mang mã tra cứu", default=False, editable=False)
    sealed_secret = models.TextField("mã tra cứu niêm phong", blank=True, editable=False)
    secret_wiped_at = models.DateTimeField("xoá mã tra cứu lúc", null=True, blank=True, editable=False)
    resend_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resends",
        verbose_name="gửi lại của",
    )
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField("số lần thử", default=0)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    # Queued: when the next attempt may start. While a worker sends, it is pushed ahead as a lease,
    # so a second worker never sends the same message at the same time.
    next_attempt_at = models.DateTimeField("lần thử tiếp theo", null=True, blank=True)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người tạo",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    about = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = "thư/tin nhắn gửi đi"
        verbose_name_plural = "thư và tin nhắn gửi đi"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"], name="notif_msg_about_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="notif_msg_due_idx"),
        ]

    def __str__(self):
        return f"{choice_label(self, 'channel')} → {self.recipient}: {self.subject or self.body[:40]}"


def attachment_upload_to(instance: "MessageAttachment", filename: str) -> str:
    # Private storage (MEDIA_ROOT is never served); a random name, the real one is kept in `filename`.
    return f"outbox/{instance.message.created_at:%Y}/{uuid.uuid4().hex}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(OutboundMessage, on_delete=models.PROTECT, related_name="attachments")
    filename = models.CharField("tên tệp", max_length=255)
    mimetype = models.CharField("kiểu nội dung", max_length=100)
    file = models.FileField("tệp", upload_to=attachment_upload_to, max_length=255)

    class Meta:
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"

    def __str__(self):
        return self.filename


class DeliveryAttempt(models.Model):
    """One try at handing the message to the mail server or the SMS provider."""

    message = models.ForeignKey(OutboundMessage, on_delete=models.PROTECT, related_name="delivery_attempts")
    at = models.DateTimeField("lúc")
    succeeded = models.BooleanField("thành công")
    error = models.TextField("lỗi", blank=True)

    class Meta:
        verbose_name = "lần gửi"
        verbose_name_plural = "các lần gửi"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {'OK' if self.succeeded else self.error[:60]}"
