from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from simple_history.admin import SimpleHistoryAdmin

from tuson_hcc.core.admin_reason import (
    REASON_FIELD,
    BrowseOnlyAdminMixin,
    ReasonedHistoryAdmin,
    ReasonRequiredAdminMixin,
    _reason_field,
)

from .models import Agency, User


class ReasonedPasswordChangeForm(AdminPasswordChangeForm):
    """The admin's "set a password" page for a user: a reason is required there too."""

    change_reason = _reason_field()


@admin.register(Agency)
class AgencyAdmin(ReasonedHistoryAdmin):
    list_display = ["name", "short_name", "kind", "head", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["head"]


@admin.register(User)
class UserAdmin(ReasonRequiredAdminMixin, DjangoUserAdmin, SimpleHistoryAdmin):
    change_password_form = ReasonedPasswordChangeForm
    change_user_password_template = "admin/accounts/user/change_password_reason.html"

    def user_change_password(self, request, id, form_url=""):
        if request.method == "POST":
            request._admin_change_reason = request.POST.get(REASON_FIELD, "").strip()[:100]
            request._admin_password_set = True
        return super().user_change_password(request, id, form_url)

    def log_change(self, request, obj, message):
        if getattr(request, "_admin_password_set", False):
            # The password hash is left out of the history, so a version is written here: who set a
            # new password for this user, and why (the form refused to save without the reason).
            User.history.bulk_history_create(
                [obj],
                update=True,
                default_user=request.user,
                default_change_reason=(
                    ("đặt mật khẩu mới: " if obj.has_usable_password() else "tắt đăng nhập bằng mật khẩu: ")
                    + request._admin_change_reason
                )[:100],
            )
        return super().log_change(request, obj, message)

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


# Django's permission groups: edited with a reason, versions kept (accounts/models.py registers them).
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReasonRequiredAdminMixin, DjangoGroupAdmin, SimpleHistoryAdmin):
    pass


# django-axes: the login log and the failures are browsed, never edited. A lock-out (an attempt row)
# may be lifted by deleting it, with a reason, kept in the admin's log of that record.
for _model in (AccessAttempt, AccessLog, AccessFailureLog):
    admin.site.unregister(_model)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ReasonRequiredAdminMixin, axes_admin.AccessAttemptAdmin):
    actions = None

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(BrowseOnlyAdminMixin, axes_admin.AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(BrowseOnlyAdminMixin, axes_admin.AccessFailureLogAdmin):
    pass
