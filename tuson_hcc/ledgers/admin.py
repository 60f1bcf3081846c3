from django.contrib import admin

from .models import LedgerHead


class ReadOnlyLedgerAdmin(admin.ModelAdmin):
    """Base admin for a concrete ledger: browse only; no add, change or delete (DESIGN.md section 5)."""

    list_display = ("chain_key", "sequence", "recorded_at", "corrects", "entry_hash")
    list_filter = ("chain_key",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerHead)
class LedgerHeadAdmin(ReadOnlyLedgerAdmin):
    list_display = ("ledger", "chain_key", "last_sequence", "last_hash")
    list_filter = ("ledger",)
