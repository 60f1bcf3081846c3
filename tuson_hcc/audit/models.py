"""The access log (nhật ký truy cập): logins and reads of issued documents (DESIGN.md section 5)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.labels import choice_label


class AccessLogImmutableError(BusinessRuleError):
    def __init__(self):
        super().__init__("Nhật ký truy cập chỉ được ghi thêm: không được sửa hoặc xóa.")


class AccessEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AccessLogImmutableError()

    def delete(self):
        raise AccessLogImmutableError()


class AccessEvent(models.Model):
    """One login attempt, logout or read of a document; never changed once written."""

    class Kind(models.TextChoices):
        LOGIN_SUCCESS = "login_success", _("Đăng nhập thành công")
        LOGIN_FAILURE = "login_failure", _("Đăng nhập thất bại")
        LOGOUT = "logout", _("Đăng xuất")
        DOCUMENT_VIEW = "document_view", _("Xem văn bản")
        DOCUMENT_DOWNLOAD = "document_download", _("Tải văn bản")
        DOCUMENT_PRINT = "document_print", _("In văn bản")
        VERIFICATION_VISIT = "verification_visit", _("Tra cứu xác thực văn bản")

    kind = models.CharField("loại", max_length=32, choices=Kind.choices)
    at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    # No database constraint: the event outlives the user it names (Wagtail's audit log does the same).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người dùng",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField("tên đăng nhập", max_length=150, blank=True)
    ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    user_agent = models.CharField("trình duyệt", max_length=255, blank=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    obj = GenericForeignKey("content_type", "object_id")
    detail = models.CharField("chi tiết", max_length=255, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        verbose_name = "sự kiện truy cập"
        verbose_name_plural = "nhật ký truy cập"
        indexes = [
            models.Index(fields=["kind", "at"], name="audit_event_kind_at"),
            models.Index(fields=["user", "at"], name="audit_event_user_at"),
            # The auditor's searches by IP and by the typed username (a failed login has no user).
            models.Index(fields=["ip", "at", "id"], name="audit_event_ip_at"),
            models.Index(fields=["username", "at", "id"], name="audit_event_username_at"),
        ]

    def __str__(self) -> str:
        return f"{choice_label(self, 'kind')} {self.username} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AccessLogImmutableError()
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AccessLogImmutableError()
