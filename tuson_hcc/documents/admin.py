from django.contrib import admin

from tuson_hcc.core.admin_reason import ReasonedHistoryAdmin

from .models import IssuedDocument


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReasonedHistoryAdmin):
    """Browse only: an issued document is never edited (it would no longer match its SHA-256)."""

    list_display = ("number", "kind", "title", "issued_at", "issued_by")
    list_filter = ("kind",)
    search_fields = ("number", "title", "verify_token")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
