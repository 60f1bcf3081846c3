from django.contrib import admin

from .admin_reason import ReasonedHistoryAdmin
from .models import IssuingBody

admin.site.site_header = "HCC Từ Sơn – Quản trị"
admin.site.site_title = "HCC Từ Sơn"


@admin.register(IssuingBody)
class IssuingBodyAdmin(ReasonedHistoryAdmin):
    list_display = ["centre_name", "city_name", "province_name", "unit_code"]

    def has_add_permission(self, request):
        # One row only, and only for users allowed to add (an auditor made staff may not).
        return super().has_add_permission(request) and not IssuingBody.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
