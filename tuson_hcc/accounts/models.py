from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.history import AuditedHistory

from .roles import Role


class Agency(models.Model):
    """An agency (cơ quan, đơn vị) of the city that owns seals or sends officials."""

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "ubnd", _("Ủy ban nhân dân")
        DEPARTMENT = "phong", _("Phòng chuyên môn")
        POLICE = "cong_an", _("Công an")
        CENTRE = "trung_tam", _("Trung tâm Hành chính công")
        OTHER = "khac", _("Đơn vị khác")

    name = models.CharField("tên cơ quan", max_length=255, unique=True)
    short_name = models.CharField("tên viết tắt", max_length=50, unique=True)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    head = models.ForeignKey(
        "accounts.User",
        verbose_name="thủ trưởng",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="headed_agencies",
    )
    is_active = models.BooleanField("đang hoạt động", default=True)
    history = AuditedHistory()

    class Meta:
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: an official of the Centre, an agency or the police."""

    full_name = models.CharField("họ và tên", max_length=150)
    position = models.CharField("chức vụ", max_length=150, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name="cơ quan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    # Set by the administrator (or for a new account): every page leads to the password change until done.
    must_change_password = models.BooleanField(
        "phải đổi mật khẩu",
        default=False,
        help_text="Người dùng phải tự đặt mật khẩu mới ở lần đăng nhập tới trước khi làm việc khác.",
    )
    history = AuditedHistory(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: Role | str) -> bool:
        return any(str(role) in self.role_names for role in roles)

    @property
    def roles_display(self) -> list[str]:
        return [Role(name).label for name in sorted(self.role_names) if name in Role.values]


# Django's permission groups are edited in the admin, with a reason (issue 11 point 7): their versions,
# permissions included, are kept like any other record's (the historical table lives in this app).
def _group_history() -> None:
    from django.contrib.auth.models import Group
    from simple_history import register

    if not hasattr(Group._meta, "simple_history_manager_attribute"):
        register(Group, app="tuson_hcc.accounts", records_class=AuditedHistory, m2m_fields=["permissions"])


_group_history()
