from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from tuson_hcc.core.admin_reason import ReasonedHistoryAdmin, ReasonRequiredAdminMixin

from .models import Agency, User


@admin.register(Agency)
class AgencyAdmin(ReasonedHistoryAdmin):
    list_display = ["name", "short_name", "kind", "head", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["head"]


@admin.register(User)
class UserAdmin(ReasonRequiredAdminMixin, DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "full_name", "position", "agency", "is_active", "must_change_password"]
    list_filter = ["groups", "agency", "is_active", "is_superuser", "must_change_password"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Thông tin cá nhân", {"fields": ("full_name", "position", "agency", "email")}),
        ("Vai trò và quyền", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Mật khẩu", {"fields": ("must_change_password",)}),
        ("Thời điểm", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "username",
                    "full_name",
                    "position",
                    "agency",
                    "password1",
                    "password2",
                    "must_change_password",
                )
            },
        ),
    )
